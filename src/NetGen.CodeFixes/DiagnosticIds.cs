namespace NetGen.CodeFixes;

/// <summary>
/// The ids of the generator's diagnostics that have a fix here. Spelled out, not taken from the generator: this
/// assembly references nothing of it, and an id never changes meaning once shipped (docs/diagnostics.md).
/// </summary>
internal static class DiagnosticIds
{
    /// <summary>The [Network] class is not partial; reported on the class's identifier.</summary>
    public const string NotPartial = "NG0001";

    /// <summary>'Loss' written for the enum of losses; reported on 'Loss.X' or on a bare 'Loss'.</summary>
    public const string LossNameShadowed = "NG0016";
}
