using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>
/// The end-to-end side of the file fuzzers: one program declaring networks that read one additional file, and one
/// generator driver that is given each input as an edit of that file, so that each run costs only the steps it
/// changes. <see cref="Feed"/> holds the generator to its promise for every network of the program: no exception
/// (GeneratorRunResult.Exception, which the compiler reports as CS8785), only NetGen errors, and for each network
/// either its code or exactly one error on its declaration (and then no code but a stand-in); <see cref="CompileEach"/>
/// compiles the distinct network code seen, which must give no diagnostic in a generated file.
/// </summary>
internal sealed class GeneratorFileFeeder
{
    private readonly Compilation _compilation;
    private readonly (string Name, TextSpan Span)[] _networks;
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);
    private readonly int _maxSources;
    private AdditionalTextFile _file;
    private GeneratorDriver _driver;

    /// <param name="source">The program; every class in it is a network reading the file.</param>
    /// <param name="fileName">The file's name as the build targets pass it (e.g. "w.safetensors"), without the ".b64".</param>
    /// <param name="initial">The file at the start (a valid one, so that the first run warms the driver up).</param>
    /// <param name="maxSources">How many distinct generated files to keep for <see cref="CompileEach"/>.</param>
    public GeneratorFileFeeder(string source, string fileName, byte[] initial, int maxSources)
    {
        _compilation = TestCompilation.Create(source);
        SyntaxTree tree = _compilation.SyntaxTrees.Single();
        _networks = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().Select(c => (c.Identifier.ValueText, c.FullSpan)).ToArray();
        _maxSources = maxSources;
        _file = new AdditionalTextFile("obj/netgen/" + fileName + ".b64", Convert.ToBase64String(initial));
        _driver = CSharpGeneratorDriver.Create([new NetworkGenerator().AsSourceGenerator()], additionalTexts: [_file], parseOptions: TestCompilation.ParseOptions);
        _driver = _driver.RunGenerators(_compilation);
    }

    /// <summary>Runs the generator on <paramref name="bytes"/> as the file; returns each network's outcome, e.g. "Net: code; Other: NG0018".</summary>
    public string Feed(byte[] bytes) => FeedText(Convert.ToBase64String(bytes));

    public string FeedText(string base64)
    {
        var next = new AdditionalTextFile(_file.Path, base64);
        _driver = _driver.ReplaceAdditionalText(_file, next);
        _file = next;
        _driver = _driver.RunGenerators(_compilation);
        GeneratorRunResult result = _driver.GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            throw new InvalidOperationException($"the generator threw (CS8785): {result.Exception}");
        }

        Diagnostic[] errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Diagnostic? foreign = errors.FirstOrDefault(e => !e.Id.StartsWith("NG", StringComparison.Ordinal));
        if (foreign is not null)
        {
            throw new InvalidOperationException($"an error that is not NetGen's: {foreign}");
        }

        var outcomes = new List<string>();
        foreach ((string name, TextSpan span) in _networks)
        {
            Diagnostic[] mine = errors.Where(e => span.Contains(e.Location.SourceSpan)).ToArray();
            GeneratedSourceResult[] code = result.GeneratedSources
                .Where(s => s.HintName == name + ".g.cs" || s.HintName.EndsWith("." + name + ".g.cs", StringComparison.Ordinal))
                .ToArray();
            bool network = code.Any(s => !s.SourceText.ToString().Contains(GeneratorRun.StubMarker, StringComparison.Ordinal));
            if (mine.Length > 1)
            {
                throw new InvalidOperationException($"{name} got {mine.Length} errors: {string.Join("; ", mine.Select(e => e.ToString()))}");
            }

            if (mine.Length == 0 && !network)
            {
                throw new InvalidOperationException($"{name} got neither code nor an error (sources: {string.Join(", ", result.GeneratedSources.Select(s => s.HintName))})");
            }

            if (mine.Length == 1 && network)
            {
                throw new InvalidOperationException($"{name} got network code and an error: {mine[0]}");
            }

            if (network && _sources.Count < _maxSources)
            {
                foreach (GeneratedSourceResult source in code)
                {
                    _sources.TryAdd(source.SourceText.ToString(), source.HintName);
                }
            }

            outcomes.Add(name + ": " + (network ? "code" : mine[0].Id));
        }

        if (errors.Length > outcomes.Count(o => o.Contains(": NG", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"an error outside the networks' declarations: {string.Join("; ", errors.Select(e => e.ToString()))}");
        }

        return string.Join("; ", outcomes);
    }

    /// <summary>Compiles each distinct generated file seen with the program: no diagnostic may be located in it.</summary>
    public int CompileEach()
    {
        foreach ((string text, string hint) in _sources)
        {
            SyntaxTree generated = CSharpSyntaxTree.ParseText(text, TestCompilation.ParseOptions, path: hint);
            Diagnostic[] inGenerated = _compilation.AddSyntaxTrees(generated).GetDiagnostics().Where(d => d.Location.SourceTree == generated).ToArray();
            if (inGenerated.Length > 0)
            {
                throw new InvalidOperationException($"{hint} does not compile cleanly: {string.Join("; ", inGenerated.Take(5).Select(d => d.ToString()))}\n{text}");
            }
        }

        return _sources.Count;
    }
}
