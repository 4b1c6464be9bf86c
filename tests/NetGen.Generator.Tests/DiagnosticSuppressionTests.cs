using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests;

/// <summary>
/// A user silences a warning around the code it is about with <c>#pragma warning disable</c>. The compiler can only
/// honour that for a diagnostic whose location is in a syntax tree of the compilation: it marks it IsSuppressed and
/// does not print it.
/// </summary>
public sealed class DiagnosticSuppressionTests
{
    private const string Source = """
        using NetGen;

        #pragma warning disable {0}
        [Dense(2)]
        internal partial class Silenced;
        #pragma warning restore {0}

        [Dense(3)]
        internal partial class Loud;
        """;

    /// <summary>
    /// NG0014 comes from NetGen's analyzer, at the attribute's location in the syntax tree, so the pragma applies.
    /// (The generator keeps locations as path and spans, cache-friendly but outside any tree: a warning reported
    /// that way could not be silenced, which is why NG0014 moved to the analyzer.)
    /// </summary>
    [Fact]
    public void Pragma_warning_disable_silences_NG0014()
    {
        GeneratorRun run = GeneratorHarness.Run(string.Format(System.Globalization.CultureInfo.InvariantCulture, Source, "NG0014"));
        Assert.Empty(run.DriverDiagnostics);
        Assert.Equal(2, run.AnalyzerDiagnostics.Length);

        Diagnostic reported = Assert.Single(run.AnalyzerDiagnostics, d => !d.IsSuppressed);
        Assert.Equal("NG0014", reported.Id);
        Assert.Contains("'Loud'", reported.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    /// <summary>NG0021 comes from NetGen's analyzer too, at the argument's location in the syntax tree.</summary>
    [Fact]
    public void Pragma_warning_disable_silences_NG0021()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            #pragma warning disable NG0021
            [Network(4, Code = CodeShape.Loops, MaxUnrolledLayerWeights = 8)]
            [Dense(2)]
            internal partial class Silenced;
            #pragma warning restore NG0021

            [Network(4, Code = CodeShape.Loops, MaxUnrolledLayerWeights = 8)]
            [Dense(2)]
            internal partial class Loud;
            """);
        Assert.Empty(run.DriverDiagnostics);
        Assert.Equal(2, run.AnalyzerDiagnostics.Length);
        Assert.Equal(2, run.Sources.Length);

        Diagnostic reported = Assert.Single(run.AnalyzerDiagnostics, d => !d.IsSuppressed);
        Assert.Equal("NG0021", reported.Id);
        Assert.Contains("'Loud'", reported.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    /// <summary>
    /// The same source and the same driver, with a generator that reports at the attribute's own (in-tree)
    /// location: the pragma works. So the test above asks for something the driver does, not for the impossible.
    /// </summary>
    [Fact]
    public void The_driver_honours_the_pragma_for_a_diagnostic_located_in_a_syntax_tree()
    {
        CSharpCompilation compilation = TestCompilation.Create(string.Format(System.Globalization.CultureInfo.InvariantCulture, Source, InTreeGenerator.Descriptor.Id));
        CSharpGeneratorDriver.Create([new InTreeGenerator().AsSourceGenerator()], parseOptions: TestCompilation.ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out _, out ImmutableArray<Diagnostic> diagnostics);
        Assert.Equal(2, diagnostics.Length);

        // One of two: Loud's [Dense(3)] on line 8; Silenced's is marked suppressed.
        Diagnostic reported = Assert.Single(diagnostics, d => !d.IsSuppressed);
        Assert.Equal(InTreeGenerator.Descriptor.Id, reported.Id);
        Assert.Equal(8, reported.Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    /// <summary>Reports a warning on every [Dense] attribute, at the attribute's syntax.</summary>
    private sealed class InTreeGenerator : IIncrementalGenerator
    {
        // A test-only id: release tracking (RS2008) is for ids that ship.
#pragma warning disable RS2008
        public static readonly DiagnosticDescriptor Descriptor = new(
            "PROBE01", "Probe", "Probe", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);
#pragma warning restore RS2008

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<Location> locations = context.SyntaxProvider.ForAttributeWithMetadataName(
                "NetGen.DenseAttribute",
                static (_, _) => true,
                static (attributes, token) => attributes.Attributes[0].ApplicationSyntaxReference!.GetSyntax(token).GetLocation());
            context.RegisterSourceOutput(locations, static (output, location) => output.ReportDiagnostic(Diagnostic.Create(Descriptor, location)));
        }
    }
}
