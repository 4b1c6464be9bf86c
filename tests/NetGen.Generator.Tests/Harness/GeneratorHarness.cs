using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NetGen.Generator.Tests.Harness;

/// <summary>What one run of the NetGen generator over a compilation gave.</summary>
/// <param name="Driver">The driver after the run: run it again on an edited compilation to test caching.</param>
/// <param name="Result">The generator's own result: its sources, diagnostics, exception and tracked steps.</param>
/// <param name="Output">The input compilation with the generated sources added.</param>
/// <param name="DriverDiagnostics">
/// What the driver reported: the generator's diagnostics, plus CS8785 when the generator threw.
/// </param>
/// <param name="AnalyzerDiagnostics">
/// What NetGen's analyzers (NG0014, NG0021) reported on the input compilation, suppressed ones included and marked.
/// </param>
internal sealed record GeneratorRun(
    GeneratorDriver Driver,
    GeneratorRunResult Result,
    Compilation Output,
    ImmutableArray<Diagnostic> DriverDiagnostics,
    ImmutableArray<Diagnostic> AnalyzerDiagnostics)
{
    public ImmutableArray<GeneratedSourceResult> Sources => Result.GeneratedSources;

    /// <summary>The marker of a stand-in file: members that throw, for a class NetGen refused with an error.</summary>
    public const string StubMarker = "// NetGen reported errors for ";

    /// <summary>The generated sources that are network code, not stand-ins for a refused declaration.</summary>
    public ImmutableArray<GeneratedSourceResult> NetworkSources =>
        Sources.Where(s => !s.SourceText.ToString().Contains(StubMarker, System.StringComparison.Ordinal)).ToImmutableArray();

    /// <summary>Everything NetGen reported: the generator's diagnostics and its analyzers'.</summary>
    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics.AddRange(AnalyzerDiagnostics);

    /// <summary>The text of the one generated file whose hint name is given.</summary>
    public string Source(string hintName) =>
        Sources.Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>Everything wrong with the whole program: the driver's diagnostics and the output compilation's.</summary>
    public ImmutableArray<Diagnostic> AllDiagnostics() =>
        DriverDiagnostics.AddRange(AnalyzerDiagnostics.Where(d => !d.IsSuppressed)).AddRange(Output.GetDiagnostics());
}

/// <summary>Runs <see cref="NetworkGenerator"/> in memory, the way the compiler does, with step tracking on.</summary>
internal static class GeneratorHarness
{
    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            parseOptions: TestCompilation.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(params string[] sources) => Run(TestCompilation.Create(sources));

    /// <summary>Runs the generator with additional files (path and text), as the compiler passes AdditionalFiles items.</summary>
    public static GeneratorRun RunWithFiles(string source, params (string Path, string Text)[] files)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            additionalTexts: files.Select(f => (AdditionalText)new AdditionalTextFile(f.Path, f.Text)),
            parseOptions: TestCompilation.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        return Run(TestCompilation.Create(source), driver);
    }

    /// <summary>Runs the generator over the compilation; pass the previous run's driver to run incrementally.</summary>
    public static GeneratorRun Run(Compilation compilation, GeneratorDriver? driver = null)
    {
        driver = (driver ?? CreateDriver()).RunGeneratorsAndUpdateCompilation(
            compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        ImmutableArray<Diagnostic> analyzer = compilation
            .WithAnalyzers(
                [new Diagnostics.OrphanDenseAnalyzer(), new Diagnostics.IgnoredThresholdAnalyzer()],
                new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: true))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return new GeneratorRun(driver, result, output, diagnostics, analyzer);
    }
}

/// <summary>An additional file in memory, as the compiler passes an AdditionalFiles item to a generator.</summary>
internal sealed class AdditionalTextFile(string path, string text) : AdditionalText
{
    public override string Path => path;

    public override Microsoft.CodeAnalysis.Text.SourceText GetText(System.Threading.CancellationToken cancellationToken = default) =>
        Microsoft.CodeAnalysis.Text.SourceText.From(text);
}
