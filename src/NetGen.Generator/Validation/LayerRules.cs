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

            // A 2-D layer's outputs also count its rows and columns, which ImageRules checks; here its channels.
            int units = layer switch
            {
                Conv2DLayerSpec convolution => convolution.OutChannels,
                MaxPool2DLayerSpec => 1,
                _ => layer.Outputs,
            };
            if (units < 1)
            {
                findings.Add(Finding.Create(DiagnosticDescriptors.UnitsBelowOne, Site.LayerParameter(i, 0, "units"),
                    Validator.Invariant(i + 1), spec.TypeName, Validator.Invariant(units), ImageRules.Kind(layer)));
            }
        }
    }

    /// <summary>NG0013 and NG0008: every activation is one of Activation's values, and Softmax is only the last's, with cross-entropy.</summary>
    public static void CheckActivations(NetworkSpec spec, List<Finding> findings)
    {
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            Activation? convolutionActivation = spec.Layers[i] switch
            {
                Conv1DLayerSpec conv1D => conv1D.Activation,
                Conv2DLayerSpec conv2D => conv2D.Activation,
                _ => null,
            };
            if (convolutionActivation is { } convActivationValue)
            {
                Site convActivation = Site.LayerParameter(i, 2, "activation");
                if (!Enum.IsDefined(typeof(Activation), convActivationValue))
                {
                    findings.Add(Validator.Undefined(convActivation, (int)convActivationValue, typeof(Activation)));
                }
                else if (convActivationValue == Activation.Softmax)
                {
                    findings.Add(Finding.Create(DiagnosticDescriptors.DisallowedCombination, convActivation,
                        $"Softmax is allowed only on a last [Dense] layer, but layer {i + 1} of '{spec.TypeName}', a [{ImageRules.Kind(spec.Layers[i])}], uses it; add [Dense(outputs, Activation.Softmax)] after it"));
                }

                continue;
            }

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

    /// <summary>NG0023: a convolution's kernel size and dilation are 1 or more.</summary>
    public static void CheckConvolutionSizes(NetworkSpec spec, List<Finding> findings)
    {
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            if (spec.Layers[i] is not Conv1DLayerSpec convolution)
            {
                continue;
            }

            if (convolution.KernelSize < 1)
            {
                findings.Add(Finding.Create(DiagnosticDescriptors.ConvolutionSizeBelowOne, Site.LayerParameter(i, 1, "kernelSize"),
                    Validator.Invariant(i + 1), spec.TypeName, "kernel size", Validator.Invariant(convolution.KernelSize)));
            }

            if (convolution.Dilation < 1)
            {
                findings.Add(Finding.Create(DiagnosticDescriptors.ConvolutionSizeBelowOne, Site.LayerProperty(i, "Dilation"),
                    Validator.Invariant(i + 1), spec.TypeName, "dilation", Validator.Invariant(convolution.Dilation)));
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
