using System;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emitting;
using NetGen.Generator.Model;
using NetGen.Generator.Onnx;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;
using NetGen.Generator.Validation;
using NetGen.Generator.Weights;

namespace NetGen.Generator;

/// <summary>
/// The pipeline, one way: [Network] declarations -> parse (reading, and the rules that need the symbols; a
/// value-equatable NetworkSpec, or diagnostics) -> the model alone, stripped of its diagnostics -> validate (the rules
/// about the values) -> bind the weights to embed, if any -> plan (every decision, once) -> emit (reading only the plan). No step's output holds anything of Roslyn's object model or a
/// location, so an edit that does not change a declaration (a comment, a line added above it, another file) leaves
/// every step Cached or Unchanged and nothing is written again. Diagnostics travel apart: the parse step's as plain
/// values, and the validate and bind steps' as location-free <see cref="Finding"/>s that name a place in the
/// declaration and are located, through the compilation, only when there are some. (The warnings are ones a user may want to silence, so analyzers report them where
/// #pragma works: NG0014, a stray [Dense] without [Network], in <see cref="Diagnostics.OrphanDenseAnalyzer"/>; NG0021,
/// MaxUnrolledLayerWeights beside a Code it does not affect, in <see cref="Diagnostics.IgnoredThresholdAnalyzer"/>.)
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(NetworkParser.NetworkAttributeName, NetworkParser.IsCandidate, NetworkParser.Parse)
            .WithTrackingName(TrackingNames.ParseNetwork);
        IncrementalValuesProvider<ParseResult> parsedGeneric = context.SyntaxProvider
            .ForAttributeWithMetadataName(NetworkParser.GenericNetworkAttributeName, NetworkParser.IsCandidate, NetworkParser.Parse)
            .WithTrackingName(TrackingNames.ParseGenericNetwork);

        IncrementalValuesProvider<ParseResult> parsedOnnx = context.SyntaxProvider
            .ForAttributeWithMetadataName(NetworkParser.OnnxNetworkAttributeName, NetworkParser.IsCandidate, NetworkParser.Parse)
            .WithTrackingName(TrackingNames.ParseOnnxNetwork);

        // The base64 copies of .safetensors and .onnx files that build/NetGen.targets adds (Roslyn hands additional
        // files to generators as text only, so the binary file itself cannot be read faithfully).
        IncrementalValueProvider<EquatableArray<WeightsFile>> weights = EncodedFiles(context, ".safetensors").WithTrackingName(TrackingNames.WeightsFiles);
        IncrementalValueProvider<EquatableArray<WeightsFile>> onnxFiles = EncodedFiles(context, ".onnx").WithTrackingName(TrackingNames.OnnxFiles);

        IncrementalValuesProvider<NetworkModel> models = Model(parsed);
        IncrementalValuesProvider<NetworkModel> genericModels = Model(parsedGeneric);

        // [OnnxNetwork]: the model file read and mapped to layers, then on as any network with embedded weights.
        IncrementalValuesProvider<ImportedNetwork> imported = Model(parsedOnnx)
            .Combine(onnxFiles)
            .Select(static (pair, _) => OnnxResolver.Import(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Import);
        IncrementalValuesProvider<NetworkModel> onnxModels = imported.Select(static (network, _) => network.Model);

        // Hint names must differ ignoring case and after cleaning (Net and NET, A_B and A\u203FB), which no single
        // network can see alone: the names that would collide, usually none, get a hash of their full name.
        IncrementalValueProvider<EquatableArray<string>> colliding = models.Collect()
            .Combine(genericModels.Collect())
            .Combine(onnxModels.Collect())
            .Select(static (all, _) => NetworkEmitter.CollidingHintNames(all.Left.Left.Concat(all.Left.Right).Concat(all.Right).Select(Identity)))
            .WithTrackingName(TrackingNames.HintNames);

        foreach (IncrementalValuesProvider<ParseResult> parse in new[] { parsed, parsedGeneric, parsedOnnx })
        {
            context.RegisterSourceOutput(parse.Select(static (result, _) => result.Diagnostics), static (output, diagnostics) =>
            {
                foreach (DiagnosticInfo diagnostic in diagnostics)
                {
                    output.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
            });
        }

        foreach (IncrementalValuesProvider<NetworkModel> model in new[] { models, genericModels })
        {
            IncrementalValuesProvider<ValidatedNetwork> validated = model
                .Select(static (network, _) => Validator.Validate(network))
                .WithTrackingName(TrackingNames.Validate);
            IncrementalValuesProvider<ResolvedNetwork> resolved = validated
                .Combine(weights)
                .Select(static (pair, _) => WeightsResolver.Resolve(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.Bind);
            PlanAndEmit(context, validated, resolved, colliding);
        }

        // An imported network's parameters come with it from the file; the rules about the values still apply (the
        // sizes' limits, Softmax only last and with cross-entropy).
        IncrementalValuesProvider<(ValidatedNetwork Validated, EquatableArray<double> Parameters)> validatedOnnx = imported
            .Select(static (network, _) => (Validator.Validate(network.Model), network.Parameters))
            .WithTrackingName(TrackingNames.Validate);
        PlanAndEmit(
            context,
            validatedOnnx.Select(static (pair, _) => pair.Validated),
            validatedOnnx.Select(static (pair, _) => new ResolvedNetwork(pair.Validated.Spec, pair.Validated.Spec is null ? EquatableArray<double>.Empty : pair.Parameters, Stub: pair.Validated.Stub)),
            colliding);
        context.RegisterSourceOutput(
            imported.Select(static (network, _) => network.Failure).Where(static failure => failure is not null).Combine(context.CompilationProvider),
            static (output, pair) => FindingLocator.Report(output, pair.Left!, pair.Right));
    }

    /// <summary>The base64 copies of the additional files with this extension, named as the original files.</summary>
    private static IncrementalValueProvider<EquatableArray<WeightsFile>> EncodedFiles(IncrementalGeneratorInitializationContext context, string extension) =>
        context.AdditionalTextsProvider
            .Where(file => file.Path.EndsWith(extension + WeightsFile.Suffix, StringComparison.OrdinalIgnoreCase))
            .Select(static (file, token) => new WeightsFile(
                Path.GetFileName(file.Path).Substring(0, Path.GetFileName(file.Path).Length - WeightsFile.Suffix.Length),
                file.GetText(token)?.ToString().Trim()))
            .Collect()
            .Select(static (files, _) => files.ToEquatableArray());

    /// <summary>Plan and emit the networks that hold, and report the findings of those that do not.</summary>
    private static void PlanAndEmit(
        IncrementalGeneratorInitializationContext context,
        IncrementalValuesProvider<ValidatedNetwork> validated,
        IncrementalValuesProvider<ResolvedNetwork> resolved,
        IncrementalValueProvider<EquatableArray<string>> colliding)
    {
        IncrementalValuesProvider<PlannedNetwork?> plans = resolved
            .Select(static (network, _) =>
                network.Spec is not null ? new PlannedNetwork(Planner.Plan(network.Spec), network.Parameters)
                : network.Stub is not null ? new PlannedNetwork(null, EquatableArray<double>.Empty, network.Stub)
                : null)
            .WithTrackingName(TrackingNames.Plan);
        context.RegisterSourceOutput(plans.Combine(colliding), static (output, pair) => Emit(output, pair.Left, pair.Right));

        // Only a network with findings (a rule broken, a weights file unusable) reaches the compilation, to find where
        // to report them: the others never make these steps run.
        context.RegisterSourceOutput(
            validated.Select(static (network, _) => network.Findings).Where(static findings => findings is not null).Combine(context.CompilationProvider),
            static (output, pair) => FindingLocator.Report(output, pair.Left!, pair.Right));
        context.RegisterSourceOutput(
            resolved.Select(static (network, _) => network.Failure).Where(static failure => failure is not null).Combine(context.CompilationProvider),
            static (output, pair) => FindingLocator.Report(output, pair.Left!, pair.Right));
    }

    private static IncrementalValuesProvider<NetworkModel> Model(IncrementalValuesProvider<ParseResult> parsed) =>
        parsed.Select(static (result, _) => new NetworkModel(result.Spec, result.Stub)).WithTrackingName(TrackingNames.Model);

    /// <summary>Who a generated file is for, by name: the network, or the class a stub stands in for.</summary>
    private static (string? Namespace, EquatableArray<ContainingTypeSpec> ContainingTypes, string TypeName)? Identity(NetworkModel model) =>
        model.Spec is { } spec ? (spec.Namespace, spec.ContainingTypes, spec.TypeName)
        : model.Stub is { } stub ? (stub.Namespace, stub.ContainingTypes, stub.TypeName)
        : null;

    private static void Emit(SourceProductionContext output, PlannedNetwork? network, EquatableArray<string> colliding)
    {
        if (network?.Plan is { } plan)
        {
            NetworkSpec spec = plan.Spec;
            string full = NetworkEmitter.FullName(spec.Namespace, spec.ContainingTypes, spec.TypeName);
            output.AddSource(NetworkEmitter.HintName(full, colliding.Contains(full)), NetworkEmitter.Emit(plan, network.Parameters));
        }
        else if (network?.Stub is { } stub)
        {
            string full = NetworkEmitter.FullName(stub.Namespace, stub.ContainingTypes, stub.TypeName);
            output.AddSource(NetworkEmitter.HintName(full, colliding.Contains(full)), StubEmitter.Emit(stub));
        }
    }
}

/// <summary>The names of the pipeline's steps, for tests that check what was cached.</summary>
public static class TrackingNames
{
    /// <summary>Reading and validating a [Network] declaration (ForAttributeWithMetadataName's transform).</summary>
    public const string ParseNetwork = "NetGen.ParseNetwork";

    /// <summary>The same for [Network&lt;T&gt;].</summary>
    public const string ParseGenericNetwork = "NetGen.ParseGenericNetwork";

    /// <summary>The model alone, stripped of the parse step's diagnostics.</summary>
    public const string Model = "NetGen.Model";

    /// <summary>The .safetensors files handed to the compiler.</summary>
    public const string WeightsFiles = "NetGen.WeightsFiles";

    /// <summary>Reading an [OnnxNetwork] declaration (its path and options; the layers come in the import step).</summary>
    public const string ParseOnnxNetwork = "NetGen.ParseOnnxNetwork";

    /// <summary>The .onnx files handed to the compiler.</summary>
    public const string OnnxFiles = "NetGen.OnnxFiles";

    /// <summary>An [OnnxNetwork]'s model file read and mapped to layers.</summary>
    public const string Import = "NetGen.Import";

    /// <summary>The rules about the declaration's values, over the model alone: findings, or the model to plan.</summary>
    public const string Validate = "NetGen.Validate";

    /// <summary>A network's weights file read and bound to its layers, if it declares one.</summary>
    public const string Bind = "NetGen.Bind";

    /// <summary>Every decision about a network, in its NetworkPlan.</summary>
    public const string Plan = "NetGen.Plan";

    /// <summary>The networks whose generated file names would collide.</summary>
    public const string HintNames = "NetGen.HintNames";
}
