using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Emitting;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;
using NetGen.Generator.Weights;

namespace NetGen.Generator;

/// <summary>
/// The pipeline: [Network] declarations -> parse (a value-equatable NetworkSpec, or diagnostics) -> resolve the
/// weights to embed, if any -> plan -> emit. Parsing keeps nothing from Roslyn's object model, so an edit that does
/// not change a declaration leaves its model equal and its output cached. (The warnings are ones a user may want
/// to silence, so analyzers report them where #pragma works: NG0014, a stray [Dense] without [Network], in
/// <see cref="Diagnostics.OrphanDenseAnalyzer"/>; NG0021, MaxUnrolledLayerWeights beside a Code it does not affect,
/// in <see cref="Diagnostics.IgnoredThresholdAnalyzer"/>.)
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

        // The base64 copies of .safetensors files that build/NetGen.targets adds (Roslyn hands additional files
        // to generators as text only, so the binary file itself cannot be read faithfully).
        IncrementalValueProvider<EquatableArray<WeightsFile>> weights = context.AdditionalTextsProvider
            .Where(static file => file.Path.EndsWith(".safetensors" + WeightsFile.Suffix, StringComparison.OrdinalIgnoreCase))
            .Select(static (file, token) => new WeightsFile(
                Path.GetFileName(file.Path).Substring(0, Path.GetFileName(file.Path).Length - WeightsFile.Suffix.Length),
                file.GetText(token)?.ToString().Trim()))
            .Collect()
            .Select(static (files, _) => files.ToEquatableArray())
            .WithTrackingName(TrackingNames.WeightsFiles);

        IncrementalValuesProvider<ResolvedNetwork> resolved = Resolve(networks, weights);
        IncrementalValuesProvider<ResolvedNetwork> resolvedGeneric = Resolve(genericNetworks, weights);

        // Hint names must differ ignoring case and after cleaning (Net and NET, A_B and A\u203FB), which no single
        // network can see alone: the names that would collide, usually none, get a hash of their full name.
        IncrementalValueProvider<EquatableArray<string>> colliding = resolved.Collect()
            .Combine(resolvedGeneric.Collect())
            .Select(static (all, _) => NetworkEmitter.CollidingHintNames(all.Left.Concat(all.Right).Select(n => n.Spec)))
            .WithTrackingName(TrackingNames.HintNames);

        context.RegisterSourceOutput(resolved.Combine(colliding), static (output, pair) => Emit(output, pair.Left, pair.Right));
        context.RegisterSourceOutput(resolvedGeneric.Combine(colliding), static (output, pair) => Emit(output, pair.Left, pair.Right));
    }

    private static IncrementalValuesProvider<ResolvedNetwork> Resolve(IncrementalValuesProvider<ParseResult> results, IncrementalValueProvider<EquatableArray<WeightsFile>> weights) =>
        results
            .Combine(weights)
            .Select(static (pair, _) => WeightsResolver.Resolve(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Resolve);

    private static void Emit(SourceProductionContext output, ResolvedNetwork network, EquatableArray<string> colliding)
    {
        // The errors are reported at the declaration's file and span, kept as plain values so that the model
        // stays cacheable; errors cannot be silenced with #pragma anyway.
        foreach (DiagnosticInfo diagnostic in network.Diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        if (network.Spec is { } spec)
        {
            bool disambiguate = colliding.Contains(NetworkEmitter.FullName(spec));
            output.AddSource(NetworkEmitter.HintName(spec, disambiguate), NetworkEmitter.Emit(Planner.Plan(spec), network.Parameters));
        }
    }
}

/// <summary>The names of the pipeline's steps, for tests that check what was cached.</summary>
public static class TrackingNames
{
    public const string ParseNetwork = "NetGen.ParseNetwork";
    public const string ParseGenericNetwork = "NetGen.ParseGenericNetwork";
    public const string WeightsFiles = "NetGen.WeightsFiles";
    public const string Resolve = "NetGen.Resolve";
    public const string HintNames = "NetGen.HintNames";
}
