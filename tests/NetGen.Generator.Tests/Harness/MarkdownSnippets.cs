using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.Generator.Tests.Harness;

/// <summary>
/// One ```csharp block of a markdown file: where it is, what its info string says, and its code.
/// </summary>
/// <param name="File">The markdown file, relative to the repository root, with '/' separators.</param>
/// <param name="Line">The line of the opening fence (1-based).</param>
/// <param name="Markers">The words after <c>csharp</c> in the info string.</param>
/// <param name="Code">The lines between the fences, without the fences' indentation.</param>
internal sealed record MarkdownSnippet(string File, int Line, IReadOnlyList<string> Markers, string Code)
{
    /// <summary>How the test names the block: file and line of the opening fence.</summary>
    public string Id => $"{File}:{Line}";

    /// <summary>The first line of code, the one after the opening fence.</summary>
    public int FirstCodeLine => Line + 1;

    public bool IsFragment => Markers.Contains(MarkdownSnippets.Fragment);

    public bool IsNoRun => Markers.Contains(MarkdownSnippets.NoRun);

    public string? Name => Value(MarkdownSnippets.NamePrefix);

    public string? Continues => Value(MarkdownSnippets.ContinuesPrefix);

    /// <summary>The repository files of <c>files=a,b</c>, given to the compiler and put beside the program.</summary>
    public IEnumerable<string> Files =>
        Value(MarkdownSnippets.FilesPrefix)?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];

    private string? Value(string prefix) =>
        Markers.Where(m => m.StartsWith(prefix, StringComparison.Ordinal)).Select(m => m[prefix.Length..]).FirstOrDefault();

    public override string ToString() => Id;
}

/// <summary>
/// Finds the ```csharp blocks of README.md and of every markdown file under docs/, and composes the program a block
/// stands for. The rules (docs/README.md says them for writers):
/// <list type="bullet">
/// <item>A block is a whole C# file, compiled as a user's project compiles it (the generator, NetGen.Runtime and
/// NetGen.Onnx referenced, net8.0, C# 12, nullable on, no implicit usings): no error and no warning.</item>
/// <item>A block with top-level statements (or a static Main) is a program: it is also run, in an empty directory,
/// and must exit with 0 within the time limit.</item>
/// <item><c>```csharp name=N</c> names a block; <c>```csharp continues=N</c> is compiled after the block named N of the
/// same file (its usings, then its statements, then this block, then its declarations), as the page reads:
/// "with the network and data above, ...".</item>
/// <item><c>```csharp files=path,...</c>: those repository files are additional files of the compilation (as
/// <c>AdditionalFiles</c> items, for <c>Weights =</c> and <c>[OnnxNetwork]</c>) and are copied beside the program.</item>
/// <item><c>```csharp no-run</c>: compiled, not run (it needs a file or a model the page does not provide).
/// A block that continues a no-run block is not run either.</item>
/// <item><c>```csharp fragment</c>: not compiled at all; for code that shows a compile error, or an excerpt. Keep
/// these rare.</item>
/// </list>
/// </summary>
internal static partial class MarkdownSnippets
{
    public const string Fragment = "fragment";
    public const string NoRun = "no-run";
    public const string NamePrefix = "name=";
    public const string ContinuesPrefix = "continues=";
    public const string FilesPrefix = "files=";

    private static readonly Lazy<IReadOnlyList<MarkdownSnippet>> AllCache = new(() => FindAll(RepositoryPaths.Root));

    /// <summary>Every csharp block of README.md and docs/**/*.md, in file order.</summary>
    public static IReadOnlyList<MarkdownSnippet> All => AllCache.Value;

    /// <summary>The markdown files looked in: README.md and every .md file under docs/.</summary>
    public static IEnumerable<string> MarkdownFiles(string root) =>
        new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            .Where(File.Exists);

    public static IReadOnlyList<MarkdownSnippet> FindAll(string root) =>
        MarkdownFiles(root)
            .SelectMany(path => Parse(Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText(path)))
            .ToArray();

    /// <summary>The csharp blocks of one markdown text (CommonMark fences: ``` or ~~~, possibly indented).</summary>
    public static IEnumerable<MarkdownSnippet> Parse(string file, string markdown)
    {
        string[] lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            Match open = OpeningFence().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            string fence = open.Groups["fence"].Value;
            int indent = open.Groups["indent"].Value.Length;
            string[] info = open.Groups["info"].Value.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            int end = i + 1;
            while (end < lines.Length && !IsClosingFence(lines[end], fence))
            {
                end++;
            }

            if (info.Length > 0 && info[0].ToLowerInvariant() is "csharp" or "cs" or "c#")
            {
                IEnumerable<string> code = lines[(i + 1)..Math.Min(end, lines.Length)].Select(line => Unindent(line, indent));
                yield return new MarkdownSnippet(file, i + 1, info[1..], string.Join("\n", code) + "\n");
            }

            i = end;
        }
    }

    /// <summary>The problems with a block's markers: unknown words, a missing or later named block.</summary>
    public static IEnumerable<string> MarkerProblems(MarkdownSnippet snippet, IReadOnlyList<MarkdownSnippet> all)
    {
        foreach (string marker in snippet.Markers)
        {
            if (marker is not (Fragment or NoRun) && !new[] { NamePrefix, ContinuesPrefix, FilesPrefix }.Any(p => marker.StartsWith(p, StringComparison.Ordinal)))
            {
                yield return $"unknown marker '{marker}' (known: {Fragment}, {NoRun}, {NamePrefix}N, {ContinuesPrefix}N, {FilesPrefix}a,b)";
            }
        }

        if (snippet.Continues is { } name && Named(snippet, name, all) is null)
        {
            yield return $"continues={name}, but no earlier block of {snippet.File} says name={name}";
        }

        foreach (string file in snippet.Files)
        {
            if (!File.Exists(RepositoryPaths.Combine(file)))
            {
                yield return $"files= names {file}, which does not exist";
            }
        }
    }

    /// <summary>The blocks a block is compiled with: the ones it continues, outermost first, then itself.</summary>
    public static IReadOnlyList<MarkdownSnippet> Chain(MarkdownSnippet snippet, IReadOnlyList<MarkdownSnippet> all)
    {
        var chain = new List<MarkdownSnippet> { snippet };
        for (MarkdownSnippet? current = snippet; current?.Continues is { } name;)
        {
            current = Named(current, name, all) ?? throw new InvalidOperationException($"{current.Id}: continues={name}, which is not an earlier block's name");
            if (chain.Contains(current))
            {
                throw new InvalidOperationException($"{snippet.Id}: the blocks it continues form a loop");
            }

            chain.Insert(0, current);
        }

        return chain;
    }

    /// <summary>
    /// The one C# file of a chain of blocks, with #line directives so that every diagnostic names the markdown file
    /// and its line: the usings of all blocks, the statements of the blocks continued, the last block as written (so a
    /// statement after a declaration in it is the CS8803 a reader would get), then the declarations of the blocks continued.
    /// </summary>
    public static string Compose(IReadOnlyList<MarkdownSnippet> chain)
    {
        var usings = new StringBuilder();
        var statements = new StringBuilder();
        var declarations = new StringBuilder();
        var seenUsings = new HashSet<string>(StringComparer.Ordinal);
        for (int k = 0; k < chain.Count; k++)
        {
            MarkdownSnippet snippet = chain[k];
            bool last = k == chain.Count - 1;
            var unit = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(snippet.Code, TestCompilation.ParseOptions).GetRoot();
            foreach (SyntaxNode node in unit.Externs.Cast<SyntaxNode>().Concat(unit.Usings))
            {
                if (seenUsings.Add(node.ToString()))
                {
                    Append(usings, snippet, node);
                }
            }

            foreach (SyntaxNode node in unit.AttributeLists.Cast<SyntaxNode>().Concat(unit.Members))
            {
                Append(last || node is GlobalStatementSyntax ? statements : declarations, snippet, node);
            }
        }

        return usings.Append(statements).Append(declarations).ToString();
    }

    /// <summary>Whether the code is a program: top-level statements or a static Main.</summary>
    public static bool IsProgram(string source)
    {
        SyntaxNode root = CSharpSyntaxTree.ParseText(source, TestCompilation.ParseOptions).GetRoot();
        return root.DescendantNodes().Any(n => n is GlobalStatementSyntax
            || (n is MethodDeclarationSyntax m && m.Identifier.Text == "Main" && m.Modifiers.Any(SyntaxKind.StaticKeyword)));
    }

    private static void Append(StringBuilder builder, MarkdownSnippet snippet, SyntaxNode node)
    {
        int line = snippet.FirstCodeLine + node.SyntaxTree.GetLineSpan(node.FullSpan).StartLinePosition.Line;
        string text = node.ToFullString();
        builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"#line {line} \"{snippet.File}\"\n").Append(text);
        if (!text.EndsWith('\n'))
        {
            builder.Append('\n');
        }
    }

    private static MarkdownSnippet? Named(MarkdownSnippet snippet, string name, IReadOnlyList<MarkdownSnippet> all) =>
        all.LastOrDefault(s => s.File == snippet.File && s.Line < snippet.Line && s.Name == name);

    private static bool IsClosingFence(string line, string fence)
    {
        string trimmed = line.Trim();
        return trimmed.Length >= fence.Length && trimmed.All(c => c == fence[0]);
    }

    private static string Unindent(string line, int indent)
    {
        int spaces = 0;
        while (spaces < indent && spaces < line.Length && line[spaces] == ' ')
        {
            spaces++;
        }

        return line[spaces..];
    }

    [GeneratedRegex(@"^(?<indent>[ \t]*)(?<fence>`{3,}|~{3,})(?<info>[^`]*)$")]
    private static partial Regex OpeningFence();
}
