using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using NetGen;

namespace NetGen.Generator.Tests.Topologies;

/// <summary>One layer of a random topology.</summary>
public sealed record LayerShape(int Units, Activation Activation, bool Bias);

/// <summary>
/// A random network shape (inputs and layers, no element type or code shape): every variant declared for it has
/// the same parameter layout, so parameters can be copied between them.
/// </summary>
public sealed record Topology(int Id, int Inputs, LayerShape[] Layers)
{
    /// <summary>The loss: cross-entropy comes with a Softmax last layer, binary cross-entropy with a Sigmoid one.</summary>
    public LossFunction Loss { get; init; } = LossFunction.MeanSquaredError;

    public int Outputs => Layers[^1].Units;

    public int ParameterCount
    {
        get
        {
            int count = 0, fanIn = Inputs;
            foreach (LayerShape layer in Layers)
            {
                count += (fanIn * layer.Units) + (layer.Bias ? layer.Units : 0);
                fanIn = layer.Units;
            }

            return count;
        }
    }

    public int Weights
    {
        get
        {
            int count = 0, fanIn = Inputs;
            foreach (LayerShape layer in Layers)
            {
                count += fanIn * layer.Units;
                fanIn = layer.Units;
            }

            return count;
        }
    }

    /// <summary>
    /// Whether CodeShape.Unrolled is allowed, by the rule docs/planner.md states and Planner.WhyNotUnrollable applies:
    /// at most 768 weights, an estimated 48,000 bytes of IL (44 per weight, 270 per node) and 400 locals (16, plus
    /// 4 per node, one per input, one per output). A wrong guess here does not pass silently: the generator then
    /// reports NG0011 and the compilation fails.
    /// </summary>
    public bool Unrollable
    {
        get
        {
            long il = 0, locals = 16 + Inputs + Outputs;
            int fanIn = Inputs;
            foreach (LayerShape layer in Layers)
            {
                il += (44L * fanIn * layer.Units) + (270L * layer.Units);
                locals += 4 * layer.Units;
                fanIn = layer.Units;
            }

            return Weights <= 768 && il <= 48_000 && locals <= 400;
        }
    }

    public bool HasKinks => Layers.Any(l => l.Activation is Activation.ReLU or Activation.LeakyReLU or Activation.ELU);

    public override string ToString() =>
        $"#{Id}: {Inputs} | " + string.Join(" | ", Layers.Select(l => $"{l.Units} {l.Activation}{(l.Bias ? string.Empty : " nobias")}")) + $" | {Loss}";
}

/// <summary>One declared network class: a topology in an element type and a code shape.</summary>
public sealed record Variant(Topology Topology, bool IsDouble, CodeShape Code)
{
    public string ClassName =>
        $"T{Topology.Id:D3}_{(IsDouble ? "D" : "F")}_{Code}";

    /// <summary>The declaration, as a user would write it.</summary>
    public string Declaration()
    {
        var text = new StringBuilder();
        string element = IsDouble ? "<double>" : string.Empty;
        string code = Code == CodeShape.Auto ? string.Empty : $", Code = CodeShape.{Code}";

        // Qualified: inside the class, a bare 'Loss' would name the generated Loss method (NG0016).
        string loss = Topology.Loss == LossFunction.MeanSquaredError ? string.Empty : $", Loss = NetGen.LossFunction.{Topology.Loss}";
        text.Append(CultureInfo.InvariantCulture, $"[Network{element}({Topology.Inputs}{code}{loss})]\n");
        foreach (LayerShape layer in Topology.Layers)
        {
            string bias = layer.Bias ? string.Empty : ", Bias = false";
            text.Append(CultureInfo.InvariantCulture, $"[Dense({layer.Units}, Activation.{layer.Activation}{bias})]\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"public partial class {ClassName};\n");
        return text.ToString();
    }

    public override string ToString() => $"{ClassName} ({Topology})";
}

