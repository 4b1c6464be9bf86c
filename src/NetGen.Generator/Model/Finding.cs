using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Model;

/// <summary>Which part of a declaration a finding is about, named without a location (see <see cref="Site"/>).</summary>
internal enum SiteKind
{
    /// <summary>The whole [Network] attribute.</summary>
    Network,

    /// <summary>An argument of [Network]: by position or parameter name, or by property name.</summary>
    NetworkArgument,

    /// <summary>An argument of the layer attribute at <see cref="Site.Layer"/> (0-based, in source order).</summary>
    LayerArgument,
}

/// <summary>
/// Where a diagnostic goes, said as a place in the declaration rather than a location, so that the validate step's
/// output holds no location and stays equal when the declaration moves. It is made a location only when reported,
/// and only for a declaration that has findings (<see cref="Diagnostics.FindingLocator"/>).
/// </summary>
internal readonly record struct Site(SiteKind Kind, int Layer = -1, int Position = -1, string? Parameter = null, string? Property = null)
{
    public static Site Network { get; } = new(SiteKind.Network);

    public static Site NetworkProperty(string property) => new(SiteKind.NetworkArgument, Property: property);

    public static Site NetworkParameter(int position, string parameter) => new(SiteKind.NetworkArgument, Position: position, Parameter: parameter);

    public static Site LayerParameter(int layer, int position, string parameter) => new(SiteKind.LayerArgument, layer, position, parameter);

    public static Site LayerProperty(int layer, string property) => new(SiteKind.LayerArgument, layer, Property: property);
}

/// <summary>A rule's verdict on a declaration: the diagnostic, where, and its message's arguments.</summary>
internal sealed record Finding(DiagnosticDescriptor Descriptor, Site Site, EquatableArray<string> MessageArgs)
{
    public static Finding Create(DiagnosticDescriptor descriptor, Site site, params string[] messageArgs) =>
        new(descriptor, site, new EquatableArray<string>(messageArgs));
}

/// <summary>A declaration's findings, with the type's metadata name (Namespace.Outer+Inner) to find it by.</summary>
internal sealed record Findings(string MetadataName, EquatableArray<Finding> Items);

/// <summary>
/// What the validate step gives: the model to bind and plan when every rule holds; else the findings, and the
/// stand-in members' needs (every value rule's error leaves the class able to take them).
/// </summary>
internal sealed record ValidatedNetwork(NetworkSpec? Spec, StubSpec? Stub, Findings? Findings);
