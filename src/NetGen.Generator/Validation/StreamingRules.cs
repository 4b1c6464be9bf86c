using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Validation;

/// <summary>NG0022: what a streaming model (a network with a recurrent layer) cannot have, one rule a method.</summary>
internal static class StreamingRules
{
    /// <summary>NG0022: a streaming model's layers are written as loops; straight-line code cannot be forced.</summary>
    public static void CheckCodeShape(NetworkSpec spec, List<Finding> findings)
    {
        if (spec.IsStreaming && spec.Code == CodeShape.Unrolled)
        {
            findings.Add(Finding.Create(DiagnosticDescriptors.StreamingUnsupported, Site.NetworkProperty("Code"), spec.TypeName,
                "be written as straight-line code: its layers are loops over their units; remove Code = CodeShape.Unrolled"));
        }
    }

    /// <summary>NG0022: CheckFinite's checks name one layer and node of one pass, which a sequence does not have yet.</summary>
    public static void CheckFiniteChecks(NetworkSpec spec, List<Finding> findings)
    {
        if (spec.IsStreaming && spec.CheckFinite)
        {
            findings.Add(Finding.Create(DiagnosticDescriptors.StreamingUnsupported, Site.NetworkProperty("CheckFinite"), spec.TypeName,
                "check its values with CheckFinite yet; remove CheckFinite = true and check the outputs with float.IsFinite"));
        }
    }

    /// <summary>NG0022: compile-time weights bind a Dense state_dict's tensors, not a recurrent layer's yet.</summary>
    public static void CheckWeights(NetworkSpec spec, List<Finding> findings)
    {
        if (spec.IsStreaming && spec.Weights is not null)
        {
            findings.Add(Finding.Create(DiagnosticDescriptors.StreamingUnsupported, Site.NetworkProperty("Weights"), spec.TypeName,
                "embed weights at build time yet; remove Weights = ... and copy the parameters in at run time (Parameters, or NetGen.Interop's safetensors loader)"));
        }
    }

    /// <summary>
    /// NG0022: a recurrent last layer puts out its hidden values (in (-1, 1)): the mean squared error can train them,
    /// the cross-entropies need a Softmax or Sigmoid Dense layer after it.
    /// </summary>
    public static void CheckOutputLayer(NetworkSpec spec, List<Finding> findings)
    {
        if (spec.Layers.Count > 0 && spec.Layers[spec.Layers.Count - 1] is RecurrentLayerSpec last && spec.Loss != LossFunction.MeanSquaredError)
        {
            string needs = spec.Loss == LossFunction.CrossEntropy ? "Activation.Softmax" : "Activation.Sigmoid";
            findings.Add(Finding.Create(DiagnosticDescriptors.StreamingUnsupported, Site.NetworkProperty("Loss"), spec.TypeName,
                $"train a [{last.Name}] last layer on LossFunction.{spec.Loss}; add [Dense(outputs, {needs})] after it"));
        }
    }
}
