using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>One network declaration to mutate, and where it was found.</summary>
/// <param name="Origin">The file and line it came from, e.g. "samples/Digits/DigitsNet.cs:9".</param>
/// <param name="Source">A whole compilation unit holding it.</param>
internal sealed record CorpusEntry(string Origin, string Source);

/// <summary>
/// The seeds of the fuzzer: every network declaration written in the repository's tests and samples, found by
/// scanning their *.cs files when the tests run (the sources sit beside the test project in any checkout that builds
/// it), so a network added to a test or a sample joins the corpus without anyone copying it here.
/// <para>
/// Two kinds are collected. Declarations written as code (the samples, NetGen.Tests' networks): each type declaration
/// carrying a Network attribute, with its file's usings and namespace. Declarations written as test data inside
/// string literals (regular, verbatim and raw): each literal whose text holds a Network attribute, with the
/// <c>[| |]</c> span markers of <see cref="Harness.Markup"/> removed and <c>using NetGen;</c> put in front when the
/// literal lacks it, as the tests themselves do. An interpolated literal is a template whose holes the test fills
/// from data the scanner does not evaluate: its holes are left empty, and it is kept only if a Network attribute
/// survives that. The fuzzer's own folder is left out, so that its regression seeds and size-limit tests do not feed
/// back into the corpus and shift the case seeds of everything after them.
/// </para>
/// </summary>
internal static class FuzzCorpus
{
    private static readonly Lazy<IReadOnlyList<CorpusEntry>> Cache = new(Scan);

    public static IReadOnlyList<CorpusEntry> Entries => Cache.Value;

    /// <summary>This folder, relative to the root: the fuzzer's own files are not part of the corpus.</summary>
    private const string SelfFolder = "tests/NetGen.Generator.Tests/Fuzzing/";

    /// <summary>The repository's root (the directory holding NetGen.sln).</summary>
    public static string RepositoryRoot() => Harness.RepositoryPaths.Root;

    /// <summary>The scanned files, relative to the root with '/' separators, in ordinal order.</summary>
    public static IReadOnlyList<string> ScannedFiles()
    {
        string root = RepositoryRoot();
        return new[] { "tests", "samples" }
            .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(root, dir), "*.cs", SearchOption.AllDirectories))
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(path => !path.Split('/').Any(part => part is "bin" or "obj") && !path.StartsWith(SelfFolder, StringComparison.Ordinal))
            .OrderBy(path => path, StringComparer.Ordinal)
            .ToList();
    }

    private static IReadOnlyList<CorpusEntry> Scan()
    {
        var entries = new List<CorpusEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        foreach (string path in ScannedFiles())
        {
            string text = File.ReadAllText(Path.Combine(RepositoryRoot(), path));
            SyntaxTree tree = CSharpSyntaxTree.ParseText(text, options);
            CompilationUnitSyntax unit = tree.GetCompilationUnitRoot();
            foreach ((int position, string source) in FromCode(unit).Concat(FromLiterals(unit)).OrderBy(found => found.Position))
            {
                if (seen.Add(source))
                {
                    int line = tree.GetLineSpan(new Microsoft.CodeAnalysis.Text.TextSpan(position, 0)).StartLinePosition.Line + 1;
                    entries.Add(new CorpusEntry($"{path}:{line}", source));
                }
            }
        }

        return entries;
    }

    /// <summary>Top-level type declarations that hold a Network attribute, with the file's usings and namespace.</summary>
    private static IEnumerable<(int Position, string Source)> FromCode(CompilationUnitSyntax unit)
    {
        string usings = string.Concat(unit.Usings.Select(u => u.ToString() + "\n"));
        foreach (TypeDeclarationSyntax type in unit.DescendantNodes().OfType<TypeDeclarationSyntax>())
        {
            if (type.Parent is TypeDeclarationSyntax || !type.DescendantNodesAndSelf().OfType<AttributeSyntax>().Any(IsNetwork))
            {
                continue;
            }

            var source = new StringBuilder(usings);
            if (type.Parent is BaseNamespaceDeclarationSyntax ns)
            {
                source.Append('\n').Append(string.Concat(ns.Usings.Select(u => u.ToString() + "\n")));
                source.Append("namespace ").Append(ns.Name).Append(";\n");
            }

            source.Append('\n').Append(type.ToFullString().Trim()).Append('\n');
            yield return (type.SpanStart, source.ToString());
        }
    }

    /// <summary>String literals whose text is C# holding a Network attribute.</summary>
    private static IEnumerable<(int Position, string Source)> FromLiterals(CompilationUnitSyntax unit)
    {
        foreach (SyntaxNode node in unit.DescendantNodes())
        {
            string? text = node switch
            {
                LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal => literal.Token.ValueText,
                InterpolatedStringExpressionSyntax interpolated => string.Concat(interpolated.Contents
                    .OfType<InterpolatedStringTextSyntax>().Select(t => t.TextToken.ValueText)),
                _ => null,
            };
            if (text is null || !text.Contains("Network", StringComparison.Ordinal))
            {
                continue;
            }

            text = text.Replace("[|", string.Empty, StringComparison.Ordinal).Replace("|]", string.Empty, StringComparison.Ordinal);
            CompilationUnitSyntax parsed = SyntaxFactory.ParseCompilationUnit(text, options: new CSharpParseOptions(LanguageVersion.Preview));
            if (!parsed.DescendantNodes().OfType<AttributeSyntax>().Any(IsNetwork))
            {
                continue;
            }

            if (!parsed.Usings.Any(u => u.Name?.ToString() == "NetGen") && !text.TrimStart().StartsWith('#'))
            {
                text = "using NetGen;\n\n" + text;
            }

            yield return (node.SpanStart, text.EndsWith('\n') ? text : text + "\n");
        }
    }

    /// <summary>Network, NetworkAttribute, Network&lt;T&gt;, however qualified.</summary>
    public static bool IsNetwork(AttributeSyntax attribute) => RightmostName(attribute.Name) is "Network" or "NetworkAttribute";

    /// <summary>Dense or DenseAttribute, however qualified.</summary>
    public static bool IsDense(AttributeSyntax attribute) => RightmostName(attribute.Name) is "Dense" or "DenseAttribute";

    private static string RightmostName(NameSyntax name) => name switch
    {
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => string.Empty,
    };
}
