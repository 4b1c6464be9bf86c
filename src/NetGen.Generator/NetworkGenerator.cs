using Microsoft.CodeAnalysis;
using NetGen.Generator.Emitting;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;

namespace NetGen.Generator;

/// <summary>
/// The pipeline: [Network] declarations -> parse (a value-equatable NetworkSpec, or diagnostics) -> plan ->
/// emit. Parsing keeps nothing from Roslyn's object model, so an edit that does not change a declaration
/// leaves its model equal and its output cached. (NG0014, a stray [Dense] without [Network], is a warning a
/// user may want to silence, so <see cref="Diagnostics.OrphanDenseAnalyzer"/> reports it where #pragma works.)
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> networks = context.SyntaxProvider
            .ForAttributeWithMetadataName(NetworkParser.NetworkAttributeName, NetworkParser.IsCandidate, NetworkParser.Parse)
            .WithTrackingName(TrackingNames.ParseNetwork);
        IncrementalValuesProvider<ParseResult> genericNetworks = context.SyntaxProvider
            .ForAttributeWithMetadataName(NetworkParser.GenericNetworkAttributeName, NetworkParser.IsCandidate, NetworkParser.Parse)
            .WithTrackingName(TrackingNames.ParseGenericNetwork);

        context.RegisterSourceOutput(networks, Emit);
        context.RegisterSourceOutput(genericNetworks, Emit);
    }

    private static void Emit(SourceProductionContext output, ParseResult result)
    {
        // The errors are reported at the declaration's file and span, kept as plain values so that the model
        // stays cacheable; errors cannot be silenced with #pragma anyway.
        foreach (DiagnosticInfo diagnostic in result.Diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        if (result.Spec is { } spec)
        {
            output.AddSource(NetworkEmitter.HintName(spec), NetworkEmitter.Emit(Planner.Plan(spec)));
        }
    }
}

/// <summary>The names of the pipeline's steps, for tests that check what was cached.</summary>
public static class TrackingNames
{
    public const string ParseNetwork = "NetGen.ParseNetwork";
    public const string ParseGenericNetwork = "NetGen.ParseGenericNetwork";
}
