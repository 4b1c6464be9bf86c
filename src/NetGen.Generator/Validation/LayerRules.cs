using System;
using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Validation;

/// <summary>NG0002, NG0004, NG0008 and NG0013 on layers: there are some, their units, their activations, and the output beside the loss.</summary>
internal static class LayerRules
{
    /// <summary>NG0002: a network has at least one layer.</summary>
    public static void CheckHasLayers(NetworkSpec spec, List<Finding> findings)
    {
        if (spec.Layers.Count == 0)
        {
            findings.Add(Finding.Create(DiagnosticDescriptors.NoLayers, Site.Network, spec.TypeName));
        }
    }

    /// <summary>NG0004: every layer has one unit or more.</summary>
    public static void CheckUnits(NetworkSpec spec, List<Finding> findings)
    {
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i];
            if (layer.Outputs < 1)
            {
                string kind = layer is RecurrentLayerSpec recurrent ? recurrent.Name : "Dense";
                findings.Add(Finding.Create(DiagnosticDescriptors.UnitsBelowOne, Site.LayerParameter(i, 0, "units"),
                    Validator.Invariant(i + 1), spec.TypeName, Validator.Invariant(layer.Outputs), kind));
            }
        }
    }

    /// <summary>NG0013 and NG0008: every activation is one of Activation's values, and Softmax is only the last's, with cross-entropy.</summary>
    public static void CheckActivations(NetworkSpec spec, List<Finding> findings)
    {
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            if (spec.Layers[i] is not DenseLayerSpec layer)
            {
                continue;
            }

            Site activation = Site.LayerParameter(i, 1, "activation");
            if (!Enum.IsDefined(typeof(Activation), layer.Activation))
            {
                findings.Add(Validator.Undefined(activation, (int)layer.Activation, typeof(Activation)));
            }
            else if (layer.Activation == Activation.Softmax)
            {
                if (i != spec.Layers.Count - 1)
                {
                    findings.Add(Finding.Create(DiagnosticDescriptors.DisallowedCombination, activation,
                        $"Softmax is allowed only on the last layer, but layer {i + 1} of '{spec.TypeName}' uses it; use another activation here"));
                }
                else if (spec.Loss != LossFunction.CrossEntropy)
                {
                    findings.Add(Finding.Create(DiagnosticDescriptors.DisallowedCombination, activation,
                        $"A Softmax output needs Loss = LossFunction.CrossEntropy, but '{spec.TypeName}' uses LossFunction.{spec.Loss}; set Loss = LossFunction.CrossEntropy on [Network]"));
                }
            }
        }
    }

    /// <summary>NG0008: cross-entropy needs a Softmax output, binary cross-entropy a Sigmoid one.</summary>
    public static void CheckLossMatchesOutput(NetworkSpec spec, List<Finding> findings)
    {
        if (spec.Layers.Count == 0 || spec.Layers[spec.Layers.Count - 1] is not DenseLayerSpec last)
        {
            return;
        }

        Activation output = last.Activation;
        Site loss = Site.NetworkProperty("Loss");
        if (spec.Loss == LossFunction.CrossEntropy && output != Activation.Softmax)
        {
            findings.Add(Finding.Create(DiagnosticDescriptors.DisallowedCombination, loss,
                $"LossFunction.CrossEntropy needs a Softmax last layer, but the last layer of '{spec.TypeName}' uses {output}; declare the last layer as [Dense(units, Activation.Softmax)]"));
        }
        else if (spec.Loss == LossFunction.BinaryCrossEntropy && output != Activation.Sigmoid)
        {
            findings.Add(Finding.Create(DiagnosticDescriptors.DisallowedCombination, loss,
                $"LossFunction.BinaryCrossEntropy needs a Sigmoid last layer, but the last layer of '{spec.TypeName}' uses {output}; declare the last layer as [Dense(units, Activation.Sigmoid)]"));
        }
    }
}
