using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic NetGen reports. Ids are stable: once shipped, an id keeps its meaning forever
/// (AnalyzerReleases.Shipped.md / Unshipped.md track them); each has a section in docs/diagnostics.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "NetGen";

    /// <summary>The base of every help link: the diagnostic's section in docs/diagnostics.md.</summary>
    public const string HelpLinkBase = "https://github.com/netgen-dev/NetGen/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor NotPartial = Create(
        "NG0001",
        "Network class must be partial",
        "The network class '{0}' must be declared partial so that NetGen can add its generated members; add the 'partial' modifier");

    public static readonly DiagnosticDescriptor NoLayers = Create(
        "NG0002",
        "Network has no layers",
        "The network '{0}' has no [Dense] layer; add at least one [Dense(units)] attribute to the declaration that carries [Network]");

    public static readonly DiagnosticDescriptor InputsBelowOne = Create(
        "NG0003",
        "Network needs at least one input",
        "A network needs at least 1 input, but '{0}' declares {1}; pass a positive number to [Network]");

    public static readonly DiagnosticDescriptor UnitsBelowOne = Create(
        "NG0004",
        "Layer needs at least one unit",
        "A [Dense] layer needs at least 1 unit, but layer {0} of '{1}' declares {2}; pass a positive number");

    public static readonly DiagnosticDescriptor LayersSplit = Create(
        "NG0005",
        "Layers spread over several partial declarations",
        "The [Dense] layers of '{0}' must all be on the declaration that carries [Network], so their order is clear; move this [Dense] there");

    public static readonly DiagnosticDescriptor UnsupportedElementType = Create(
        "NG0006",
        "Unsupported element type",
        "'{0}' is not a supported element type; use [Network<float>] or [Network<double>] (or [Network] for float)");

    public static readonly DiagnosticDescriptor MemberNameTaken = Create(
        "NG0007",
        "Generated member name already declared",
        "'{0}' already declares a member named '{1}', which NetGen generates; rename or remove it");

    public static readonly DiagnosticDescriptor DisallowedCombination = Create(
        "NG0008",
        "Activation and loss combination not allowed",
        "{0}");

    public static readonly DiagnosticDescriptor UnsupportedDeclaration = Create(
        "NG0010",
        "Unsupported network declaration",
        "NetGen cannot generate the network '{0}': {1}");

    public static readonly DiagnosticDescriptor NetworkTooLarge = Create(
        "NG0011",
        "Network too large",
        "The network '{0}' is too large: {1}");

    public static readonly DiagnosticDescriptor MultipleNetworkAttributes = Create(
        "NG0012",
        "More than one [Network] attribute",
        "'{0}' carries more than one [Network] attribute; keep exactly one");

    public static readonly DiagnosticDescriptor UndefinedEnumValue = Create(
        "NG0013",
        "Undefined enum value",
        "{0} is not a defined {1} value; use one of: {2}");

    public static readonly DiagnosticDescriptor DenseWithoutNetwork = Create(
        "NG0014",
        "[Dense] without [Network]",
        "[Dense] on '{0}' has no effect without [Network(inputs)] on the same declaration; add [Network] or remove the [Dense] attributes",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor InheritedMemberConflict = Create(
        "NG0015",
        "Generated member would hide an inherited member",
        "'{0}' inherits a member named '{1}' from '{2}', which the generated member would hide; a network class cannot derive from a class with NetGen's member names (derive from object or another base)");

    public static readonly DiagnosticDescriptor LossNameShadowed = Create(
        "NG0016",
        "'Loss' inside the class names the generated Loss method",
        "Inside '{0}', 'Loss' names the generated Loss method, not the enum of losses, so '{1}' cannot compile; write '{2}' instead");

    public static readonly DiagnosticDescriptor WeightsFileNotFound = Create(
        "NG0017",
        "Weights file not found",
        "The weights file '{0}' of '{1}' is not among the compilation's additional files{2}; add <AdditionalFiles Include=\"{0}\" /> to the project");

    public static readonly DiagnosticDescriptor WeightsFileUnreadable = Create(
        "NG0018",
        "Weights file cannot be read",
        "The weights file '{0}' of '{1}' cannot be read: {2}");

    public static readonly DiagnosticDescriptor WeightsMismatch = Create(
        "NG0019",
        "Weights file does not fit the network",
        "The weights file '{0}' does not fit '{1}': {2}");

    public static readonly DiagnosticDescriptor UnrollThresholdOutOfRange = Create(
        "NG0020",
        "MaxUnrolledLayerWeights out of range",
        "MaxUnrolledLayerWeights of '{0}' is {1}, but it must be from 0 to {2}, since no network unrolls more than {2} weights in all; use 0 for the planner's measured default of {3} weights per layer, or a number from 1 to {2}");

    public static readonly DiagnosticDescriptor UnrollThresholdIgnored = Create(
        "NG0021",
        "MaxUnrolledLayerWeights has no effect outside CodeShape.Auto",
        "MaxUnrolledLayerWeights has no effect on '{0}', which sets Code = CodeShape.{1}: it applies only under CodeShape.Auto; remove MaxUnrolledLayerWeights, or Code to let the planner choose per layer",
        DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());
}
