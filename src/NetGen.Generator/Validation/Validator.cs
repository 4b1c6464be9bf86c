using System;
using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Validation;

/// <summary>
/// The validate step: the rules about a declaration's values, one method each, run over the model alone, in this
/// order: the [Network] arguments (here and <see cref="ThresholdRules"/>), the layers (<see cref="LayerRules"/>), and
/// once those hold, the size (<see cref="SizeRules"/>). A finding names its place in the declaration
/// (<see cref="Site"/>), not a location, so this step's output does not change when the declaration moves, and the
/// diagnostic is located only when it is reported. The rules that need the symbols or the syntax themselves (the
/// class's form, the loss's spelling, the members' names: <see cref="DeclarationRules"/>,
/// <see cref="LossSpellingRule"/>, <see cref="MemberRules"/>) run in the parse step, which has them. The analyzers
/// share the rules (<see cref="IgnoredThresholdAnalyzer"/> reads <see cref="ThresholdRules"/>).
/// </summary>
internal static class Validator
{
    public static ValidatedNetwork Validate(NetworkModel model)
    {
        if (model.Spec is not { } spec)
        {
            return new ValidatedNetwork(null, model.Stub, null);
        }

        var findings = new List<Finding>();
        CheckInputs(spec, findings);
        CheckEnums(spec, findings);
        ThresholdRules.CheckInRange(spec, findings);
        LayerRules.CheckHasLayers(spec, findings);
        LayerRules.CheckUnits(spec, findings);
        LayerRules.CheckActivations(spec, findings);
        LayerRules.CheckConvolutionSizes(spec, findings);
        LayerRules.CheckLossMatchesOutput(spec, findings);
        ImageRules.CheckSizes(spec, findings);
        ImageRules.CheckPlacement(spec, findings);
        ImageRules.CheckWindows(spec, findings);
        if (findings.Count == 0)
        {
            ImageRules.CheckValueCounts(spec, findings);
        }

        StreamingRules.CheckCodeShape(spec, findings);
        StreamingRules.CheckFiniteChecks(spec, findings);
        StreamingRules.CheckWeights(spec, findings);
        StreamingRules.CheckOutputLayer(spec, findings);
        if (findings.Count == 0)
        {
            SizeRules.CheckSize(spec, findings);
        }

        if (findings.Count == 0)
        {
            return new ValidatedNetwork(spec, null, null);
        }

        // Every value rule's error leaves the class able to take stand-in members (the parse step has checked
        // that their names are free), so its uses elsewhere compile.
        return new ValidatedNetwork(
            null,
            StubSpec.From(spec),
            new Findings(StubSpec.MetadataName(spec.Namespace, spec.ContainingTypes, spec.TypeName), findings.ToEquatableArray()));
    }

    /// <summary>NG0003: a network takes one input or more.</summary>
    public static void CheckInputs(NetworkSpec spec, List<Finding> findings)
    {
        // An image's sizes have rules of their own (NG0030).
        if (spec.Image is null && spec.Inputs < 1)
        {
            findings.Add(Finding.Create(DiagnosticDescriptors.InputsBelowOne, Site.NetworkParameter(0, "inputs"), spec.TypeName, Invariant(spec.Inputs)));
        }
    }

    /// <summary>NG0013: Loss and Code are values of their enums.</summary>
    public static void CheckEnums(NetworkSpec spec, List<Finding> findings)
    {
        if (!Enum.IsDefined(typeof(LossFunction), spec.Loss))
        {
            findings.Add(Undefined(Site.NetworkProperty("Loss"), (int)spec.Loss, typeof(LossFunction)));
        }

        if (!Enum.IsDefined(typeof(CodeShape), spec.Code))
        {
            findings.Add(Undefined(Site.NetworkProperty("Code"), (int)spec.Code, typeof(CodeShape)));
        }
    }

    /// <summary>NG0013: an enum argument that is none of the enum's values.</summary>
    public static Finding Undefined(Site site, int value, Type enumType)
    {
        string enumName = enumType == typeof(Activation) ? "Activation" : enumType == typeof(LossFunction) ? "LossFunction" : "CodeShape";
        string names = string.Join(", ", Enum.GetNames(enumType));
        return Finding.Create(DiagnosticDescriptors.UndefinedEnumValue, site, Invariant(value), enumName, names);
    }

    public static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
