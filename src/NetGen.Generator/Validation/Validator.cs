using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Validation;

/// <summary>
/// The rules a declaration must meet before it is planned, one method each, in this folder by theme. The parser
/// calls them while it reads (a rule's diagnostic needs the syntax it points at, which the cached model must not
/// keep), in this order: the declaration (<see cref="DeclarationRules"/>), the loss's spelling
/// (<see cref="LossSpellingRule"/>), the [Network] arguments (here and <see cref="ThresholdRules"/>), the layers
/// (<see cref="LayerRules"/>), and once those hold, the size (<see cref="SizeRules"/>) and the member names
/// (<see cref="MemberRules"/>). The analyzers share them: <see cref="IgnoredThresholdAnalyzer"/> reads
/// <see cref="ThresholdRules"/>.
/// </summary>
internal static class Validator
{
    /// <summary>NG0002: a network takes one input or more.</summary>
    public static void CheckInputs(string typeName, int inputs, AttributeSyntax network, List<DiagnosticInfo> diagnostics)
    {
        if (inputs < 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.InputsBelowOne, NetworkParser.ArgumentLocation(network, 0, "inputs", null), typeName, Invariant(inputs)));
        }
    }

    /// <summary>NG0006: a network has at least one layer.</summary>
    public static void CheckHasLayers(string typeName, int layers, AttributeSyntax network, List<DiagnosticInfo> diagnostics)
    {
        if (layers == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, network.GetLocation(), typeName));
        }
    }

    /// <summary>The layers, then (when they hold) the size and the generated members' names.</summary>
    public static void CheckLayersSizeAndMembers(
        INamedTypeSymbol type,
        ElementKind element,
        int inputs,
        LossFunction loss,
        CodeShape code,
        bool checkFinite,
        bool embedded,
        List<(DenseLayerSpec Spec, AttributeSyntax Syntax)> layers,
        AttributeSyntax network,
        List<DiagnosticInfo> diagnostics)
    {
        LayerRules.CheckLayers(type.Name, layers, loss, network, diagnostics);
        if (diagnostics.Count == 0)
        {
            SizeRules.CheckSize(type.Name, element, inputs, code, checkFinite, layers, network, diagnostics);
        }

        if (diagnostics.Count == 0)
        {
            MemberRules.CheckMemberNames(type, element, inputs, layers[layers.Count - 1].Spec.Units, embedded, diagnostics);
        }
    }

    /// <summary>NG0013: an enum argument that is none of the enum's values.</summary>
    public static DiagnosticInfo Undefined(AttributeSyntax syntax, string argument, int value, Type enumType, int position = -1)
    {
        string enumName = enumType == typeof(Activation) ? "Activation" : enumType == typeof(LossFunction) ? "LossFunction" : "CodeShape";
        string names = string.Join(", ", Enum.GetNames(enumType));
        Location location = position >= 0 ? NetworkParser.ArgumentLocation(syntax, position, argument, null) : NetworkParser.ArgumentLocation(syntax, -1, null, argument);
        return DiagnosticInfo.Create(DiagnosticDescriptors.UndefinedEnumValue, location, Invariant(value), enumName, names);
    }

    public static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
