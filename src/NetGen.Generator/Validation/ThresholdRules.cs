using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Validation;

/// <summary>NG0020 and NG0021: [Network(MaxUnrolledLayerWeights = ...)], for the generator and the analyzer alike.</summary>
internal static class ThresholdRules
{
    /// <summary>
    /// Whether [Network(MaxUnrolledLayerWeights = ...)] can be honoured: 0 (the default) or up to
    /// <see cref="Planner.UnrollMaxWeights"/>, since no network unrolls more weights than that in all.
    /// </summary>
    public static bool IsAllowed(int value) => value >= 0 && value <= Planner.UnrollMaxWeights;

    /// <summary>NG0020: the value is out of range.</summary>
    public static void CheckInRange(NetworkSpec spec, List<Finding> findings)
    {
        if (!IsAllowed(spec.MaxUnrolledLayerWeights))
        {
            findings.Add(Finding.Create(
                DiagnosticDescriptors.UnrollThresholdOutOfRange,
                Site.NetworkProperty("MaxUnrolledLayerWeights"),
                spec.TypeName,
                Validator.Invariant(spec.MaxUnrolledLayerWeights),
                Validator.Invariant(Planner.UnrollMaxWeights),
                Validator.Invariant(Planner.AutoUnrollMaxWeightsPerLayer)));
        }
    }

    /// <summary>
    /// NG0021's condition: a threshold set (not 0, and in range) beside a Code that does not consult it; only
    /// CodeShape.Auto does.
    /// </summary>
    public static bool IsIgnored(int value, CodeShape code) =>
        value != 0 && IsAllowed(value) && code is CodeShape.Unrolled or CodeShape.Loops;
}
