using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Validation;

/// <summary>NG0003, NG0008 and NG0013 on layers: units, activations, and activations beside the loss.</summary>
internal static class LayerRules
{
    public static void CheckLayers(string typeName, List<(DenseLayerSpec Spec, AttributeSyntax Syntax)> layers, LossFunction loss, AttributeSyntax networkSyntax, List<DiagnosticInfo> diagnostics)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            (DenseLayerSpec layer, AttributeSyntax syntax) = layers[i];
            bool last = i == layers.Count - 1;
            if (layer.Units < 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UnitsBelowOne, NetworkParser.ArgumentLocation(syntax, 0, "units", null), Validator.Invariant(i + 1), typeName, Validator.Invariant(layer.Units)));
            }

            Location activation = NetworkParser.ArgumentLocation(syntax, 1, "activation", null);
            if (!Enum.IsDefined(typeof(Activation), layer.Activation))
            {
                diagnostics.Add(Validator.Undefined(syntax, "activation", (int)layer.Activation, typeof(Activation), 1));
            }
            else if (layer.Activation == Activation.Softmax)
            {
                if (!last)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DisallowedCombination, activation,
                        $"Softmax is allowed only on the last layer, but layer {i + 1} of '{typeName}' uses it; use another activation here"));
                }
                else if (loss != LossFunction.CrossEntropy)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DisallowedCombination, activation,
                        $"A Softmax output needs Loss = LossFunction.CrossEntropy, but '{typeName}' uses LossFunction.{loss}; set Loss = LossFunction.CrossEntropy on [Network]"));
                }
            }
        }

        if (layers.Count == 0)
        {
            return;
        }

        Activation output = layers[layers.Count - 1].Spec.Activation;
        Location lossLocation = NetworkParser.ArgumentLocation(networkSyntax, -1, null, "Loss");
        if (loss == LossFunction.CrossEntropy && output != Activation.Softmax)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DisallowedCombination, lossLocation,
                $"LossFunction.CrossEntropy needs a Softmax last layer, but the last layer of '{typeName}' uses {output}; declare the last layer as [Dense(units, Activation.Softmax)]"));
        }
        else if (loss == LossFunction.BinaryCrossEntropy && output != Activation.Sigmoid)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DisallowedCombination, lossLocation,
                $"LossFunction.BinaryCrossEntropy needs a Sigmoid last layer, but the last layer of '{typeName}' uses {output}; declare the last layer as [Dense(units, Activation.Sigmoid)]"));
        }
    }
}
