using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Validation;

/// <summary>NG0011: networks too large to generate, or to write as straight-line code when that is forced.</summary>
internal static class SizeRules
{
    /// <summary>NG0011: within NetworkLimits, and, when Code = CodeShape.Unrolled forces straight-line code, within its budgets.</summary>
    public static void CheckSize(NetworkSpec spec, List<Finding> findings)
    {
        int[] units = spec.Layers.Select(l => l.Outputs).ToArray();
        int[] buffers = spec.Layers.Select(l => l is DenseLayerSpec dense && ActivationFacts.SlopeNeedsZ(dense.Activation)
            || l is Conv2DLayerSpec conv && ActivationFacts.SlopeNeedsZ(conv.Activation) ? 4 : 3).ToArray();
        string? why = WhyTooLarge(spec.Inputs, units, buffers, spec.Element == ElementKind.Float ? 4 : 8, spec.Layers);
        if (why is null && spec.Code == CodeShape.Unrolled)
        {
            why = WhyNotUnrollable(spec.Inputs, units, spec.CheckFinite);
            if (why is not null)
            {
                findings.Add(Finding.Create(DiagnosticDescriptors.NetworkTooLarge, Site.NetworkProperty("Code"), spec.TypeName, why));
                return;
            }
        }

        if (why is not null)
        {
            findings.Add(Finding.Create(DiagnosticDescriptors.NetworkTooLarge, Site.Network, spec.TypeName, why));
        }
    }

    /// <summary>Why the network is too large (NetworkLimits), or null.</summary>
    /// <param name="inputs">The network's inputs.</param>
    /// <param name="units">Each layer's units.</param>
    /// <param name="buffers">
    /// Each layer's stack buffers of one value per unit when looped: 3 (a, dL/da, dL/dz), or 4 where the layer keeps z
    /// for its activation's slope.
    /// </param>
    /// <param name="elementSize">4 for float, 8 for double.</param>
    /// <param name="layers">The layers as declared, for their parameter counts.</param>
    public static string? WhyTooLarge(int inputs, IReadOnlyList<int> units, IReadOnlyList<int> buffers, int elementSize, IReadOnlyList<LayerSpec> layers)
    {
        if (units.Count > NetworkLimits.MaxLayers)
        {
            return $"it has {units.Count} layers, and NetGen generates at most {NetworkLimits.MaxLayers}";
        }

        if (inputs > NetworkLimits.MaxInputs)
        {
            return $"it has {inputs} inputs, and NetGen generates at most {NetworkLimits.MaxInputs}";
        }

        long parameters = 0, stack = 0;
        int fanIn = inputs;
        for (int i = 0; i < units.Count; i++)
        {
            if (units[i] > NetworkLimits.MaxUnits)
            {
                return $"layer {i + 1} has {units[i]} units, and NetGen generates at most {NetworkLimits.MaxUnits} per layer";
            }

            parameters += layers[i].ParameterCount(fanIn);

            // A layer's working values: a, z and slopes per unit; a recurrent layer keeps its gates too (one step's
            // record of them, for backpropagation through time, and their slopes).
            long perUnit = layers[i] is RecurrentLayerSpec ? 14 : buffers[i];
            stack += perUnit * units[i] * elementSize;

            // A convolution over time carries the inputs its kernel still needs, and their slopes going back.
            if (layers[i] is Conv1DLayerSpec convolution)
            {
                stack += 2 * (System.Math.Min(convolution.Reach, NetworkLimits.MaxStackBytes) + 1) * fanIn * elementSize;
            }
            fanIn = units[i];
        }

        if (parameters > NetworkLimits.MaxParameters)
        {
            return $"it has about {parameters} parameters, and NetGen generates at most {NetworkLimits.MaxParameters}";
        }

        if (stack > NetworkLimits.MaxStackBytes)
        {
            return $"its layers' working values need {stack} bytes of stack, and NetGen allows at most {NetworkLimits.MaxStackBytes}; use fewer or narrower layers";
        }

        return null;
    }

    /// <summary>
    /// Why a network forced to <c>CodeShape.Unrolled</c> cannot be, or null when it can.
    /// </summary>
    public static string? WhyNotUnrollable(int inputs, IReadOnlyList<int> units, bool checkFinite)
    {
        long weights = 0;
        int fanIn = inputs;
        for (int i = 0; i < units.Count; i++)
        {
            weights += (long)fanIn * units[i];
            fanIn = units[i];
        }

        bool[] all = new bool[units.Count];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = true;
        }

        if (weights > Planner.UnrollMaxWeights)
        {
            return $"Code = CodeShape.Unrolled would write {weights} weights as straight-line code, more than the {Planner.UnrollMaxWeights} that straight-line code is measured to pay for (docs/planner.md); use CodeShape.Auto or CodeShape.Loops";
        }

        long il = Planner.EstimateIL(inputs, units, all, checkFinite);
        if (il > Planner.MaxEstimatedIL)
        {
            return $"Code = CodeShape.Unrolled would make a method of about {il} bytes of IL, more than the {Planner.MaxEstimatedIL} that keep it under the JIT's limit; use CodeShape.Auto or CodeShape.Loops";
        }

        long locals = Planner.EstimateLocals(inputs, units, all);
        if (locals > Planner.MaxEstimatedLocals)
        {
            return $"Code = CodeShape.Unrolled would need about {locals} locals, more than the {Planner.MaxEstimatedLocals} that keep a method under the JIT's limit; use CodeShape.Auto or CodeShape.Loops";
        }

        return null;
    }
}
