using System;
using System.Collections.Generic;
using System.Linq;
using NetGen;

namespace NetGen.Generator.Tests.Topologies;

/// <summary>
/// The random topologies and the network classes declared for them, drawn from one seed.
/// <list type="bullet">
/// <item><description>Topologies: 1 to 4 layers; inputs and widths 1 to 40, small ones more likely
/// (1 + floor(40 u^3)), which keeps the straight-line code, and the compile time, small; in about one topology in
/// eight, one layer 101 to 160 wide (its neighbours then at most 12 wide, to bound the finite-difference cost, which
/// grows as the square of the parameter count); every supported activation; bias on 60% of layers; the loss mean
/// squared error, or in about 15% each cross-entropy (Softmax output) and binary cross-entropy (Sigmoid output).</description></item>
/// <item><description>Each topology gets one primary network: float or double, Code = Auto, Unrolled (only where the
/// planner allows it) or Loops.</description></item>
/// <item><description>A float network also gets a double twin (Code = Loops, the cheapest to compile; the shapes are
/// proven equal separately), to compare gradients with.</description></item>
/// <item><description>Some topologies also get twins in the same element type with the other code shapes, to prove
/// that Unrolled, Loops and Auto compute exactly the same numbers.</description></item>
/// </list>
/// </summary>
public sealed class TopologySet
{
    /// <summary>The activations drawn for any layer; Softmax comes only as the last layer of a cross-entropy network.</summary>
    public static readonly Activation[] Activations =
        [Activation.Identity, Activation.ReLU, Activation.LeakyReLU, Activation.Sigmoid, Activation.Tanh,
            Activation.ELU, Activation.GELU, Activation.SiLU, Activation.Softplus];

    private TopologySet(List<Topology> topologies, List<Variant> variants, Dictionary<int, Variant> references)
    {
        Topologies = topologies;
        Variants = variants;
        DoubleReference = references;
    }

    public List<Topology> Topologies { get; }

    public List<Variant> Variants { get; }

    /// <summary>For each topology with a float network, the double network to compare it with.</summary>
    public Dictionary<int, Variant> DoubleReference { get; }

    public static TopologySet Draw(int count, int seed)
    {
        var random = new Random(seed);
        var topologies = new List<Topology>(count);
        var variants = new List<Variant>();
        var references = new Dictionary<int, Variant>();
        for (int id = 0; id < count; id++)
        {
            // The code shape first: straight-line code costs about 250 characters of source per weight (and compile
            // time with it), loops cost the same at any width. So topologies meant for loops are drawn wider
            // (widths 1 + floor(40 u^2)), those for Auto and Unrolled narrower (1 + floor(40 u^4)); forced Unrolled is
            // kept for topologies of at most 300 weights, but for one draw in ten that may go up to the planner's limit.
            double r = random.NextDouble();
            CodeShape code = r < 0.45 ? CodeShape.Loops : r < 0.8 ? CodeShape.Auto : CodeShape.Unrolled;
            Topology topology = DrawTopology(id, random, code == CodeShape.Loops ? 2 : 4);
            if (code == CodeShape.Unrolled && !(topology.Unrollable && (topology.Weights <= 300 || random.NextDouble() < 0.1)))
            {
                code = CodeShape.Auto;
            }

            topologies.Add(topology);
            bool isDouble = random.NextDouble() < 0.6;
            var mine = new List<Variant> { new(topology, isDouble, code) };

            // Same-element twins with the other shapes: where Unrolled is allowed, the set {Unrolled, Loops} (and
            // Auto if the primary is Auto); elsewhere Auto (mixed or all loops) against Loops.
            if (random.NextDouble() < 0.15)
            {
                CodeShape[] shapes = topology.Unrollable && (topology.Weights <= 300 || code == CodeShape.Unrolled)
                    ? [CodeShape.Unrolled, CodeShape.Loops]
                    : [CodeShape.Auto, CodeShape.Loops];
                mine.AddRange(shapes.Where(c => c != code).Select(c => new Variant(topology, isDouble, c)));
            }

            if (!isDouble)
            {
                Variant twin = mine.FirstOrDefault(v => v.Code == CodeShape.Loops) is { } loops
                    ? loops with { IsDouble = true }
                    : new Variant(topology, true, CodeShape.Loops);
                references[id] = twin;
                mine.Add(twin);
            }

            variants.AddRange(mine);
        }

        return new TopologySet(topologies, variants, references);
    }

    private static Topology DrawTopology(int id, Random random, int power)
    {
        int layers = 1 + random.Next(4);
        int inputs = Width(random, power);
        var shapes = new LayerShape[layers];
        int wide = random.NextDouble() < 0.125 ? random.Next(layers) : -1;
        for (int l = 0; l < layers; l++)
        {
            int units = l == wide ? 101 + random.Next(60)
                : l == wide - 1 || l == wide + 1 ? Math.Min(Width(random, power), 12)
                : Width(random, power);
            shapes[l] = new LayerShape(units, Activations[random.Next(Activations.Length)], random.NextDouble() < 0.6);
        }

        if (wide == 0)
        {
            inputs = Math.Min(inputs, 12);
        }

        // The loss: mostly mean squared error; cross-entropy over a Softmax of 2 or more outputs, or binary
        // cross-entropy over Sigmoid outputs, in about one topology in seven each.
        double r = random.NextDouble();
        LossFunction loss = r < 0.15 ? LossFunction.CrossEntropy : r < 0.3 ? LossFunction.BinaryCrossEntropy : LossFunction.MeanSquaredError;
        LayerShape last = shapes[^1];
        shapes[^1] = loss switch
        {
            LossFunction.CrossEntropy => last with { Activation = Activation.Softmax, Units = Math.Max(last.Units, 2 + random.Next(4)) },
            LossFunction.BinaryCrossEntropy => last with { Activation = Activation.Sigmoid },
            _ => last,
        };

        return new Topology(id, inputs, shapes) { Loss = loss };
    }

    /// <summary>1 to 40, small widths more likely: 1 + floor(40 u^power).</summary>
    private static int Width(Random random, int power) => 1 + (int)(40 * Math.Pow(random.NextDouble(), power));
}
