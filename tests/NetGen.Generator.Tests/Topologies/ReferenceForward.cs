using System;
using NetGen;

namespace NetGen.Generator.Tests.Topologies;

/// <summary>
/// A plain double-precision interpreter of a <see cref="Topology"/> from the parameter layout and the numerical definitions (PyTorch's),
/// sharing no code with the generator, plus the kink guard for ReLU and LeakyReLU: a finite difference across a
/// kink measures a chord, not a slope, so a sample is used only where no such pre-activation can reach 0 while a
/// parameter moves by ±h.
/// </summary>
public sealed class ReferenceForward
{
    private readonly Topology _topology;
    private readonly double[] _parameters;
    private readonly int[] _weightOffsets;
    private readonly int[] _biasOffsets;

    /// <summary>
    /// _reach[l][m][j], for m &lt; l: the largest entry of row j of |W_l| |W_(l-1)| ... |W_(m+1)|, times the largest
    /// slopes of the activations of layers m to l - 1 (1, but 1.13 for GELU and 1.1 for SiLU). A change of size s in
    /// z at one node of layer m changes node j of layer l by at most s * _reach[l][m][j].
    /// </summary>
    private readonly double[][][] _reach;

    public ReferenceForward(Topology topology, ReadOnlySpan<double> parameters)
    {
        _topology = topology;
        _parameters = parameters.ToArray();
        int layers = topology.Layers.Length;
        _weightOffsets = new int[layers];
        _biasOffsets = new int[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++)
        {
            _weightOffsets[l] = offset;
            offset += FanIn(l) * topology.Layers[l].Units;
            _biasOffsets[l] = topology.Layers[l].Bias ? offset : -1;
            offset += topology.Layers[l].Bias ? topology.Layers[l].Units : 0;
        }

        _reach = new double[layers][][];
        for (int l = 0; l < layers; l++)
        {
            _reach[l] = new double[l][];
            if (!IsKink(topology.Layers[l].Activation))
            {
                continue;
            }

            // product = |W_l| ... |W_(m+1)|, units_l x units_m, built from m = l - 1 downwards; slopes = the product
            // of the largest slopes of layers m to l - 1, through which the change passes.
            double[,] product = AbsoluteWeights(l);
            double slopes = 1;
            for (int m = l - 1; m >= 0; m--)
            {
                slopes *= NetGen.TestFixtures.ReferenceActivations.MaxSlope(topology.Layers[m].Activation);
                var reach = new double[topology.Layers[l].Units];
                for (int j = 0; j < reach.Length; j++)
                {
                    for (int k = 0; k < product.GetLength(1); k++)
                    {
                        reach[j] = Math.Max(reach[j], slopes * product[j, k]);
                    }
                }

                _reach[l][m] = reach;
                if (m > 0)
                {
                    product = Multiply(product, AbsoluteWeights(m));
                }
            }
        }
    }

    public static double Activate(Activation activation, double z) => activation switch
    {
        Activation.Identity => z,
        Activation.ReLU => Math.Max(0.0, z),
        Activation.LeakyReLU => z > 0 ? z : 0.01 * z,
        Activation.Sigmoid => 1.0 / (1.0 + Math.Exp(-z)),
        Activation.Tanh => Math.Tanh(z),
        _ => NetGen.TestFixtures.ReferenceActivations.Activate(activation, z) ?? throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>The network's output for <paramref name="input"/>.</summary>
    public double[] Forward(ReadOnlySpan<double> input) => Run(input, out _, out _, out _);

    /// <summary>The last layer's pre-activations: the logits a cross-entropy loss is computed from.</summary>
    public double[] Logits(ReadOnlySpan<double> input)
    {
        Run(input, out double[][] z, out _, out _);
        return z[^1];
    }

    /// <summary>
    /// Whether some node of every ReLU layer is active (z &gt; 0). Where a whole ReLU layer is off, no slope passes it,
    /// every parameter before it (or all of them, for the last layer) has slope 0 both ways, and a check proves
    /// little there.
    /// </summary>
    public bool IsLive(ReadOnlySpan<double> input)
    {
        Run(input, out double[][] z, out _, out _);
        for (int l = 0; l < _topology.Layers.Length; l++)
        {
            if (_topology.Layers[l].Activation == Activation.ReLU && !Array.Exists(z[l], v => v > 0))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The largest sum |w a| + |b| of any node: the scale of the rounding errors of a forward pass.</summary>
    public double LargestMagnitude(ReadOnlySpan<double> input)
    {
        Run(input, out _, out double[][] magnitude, out _);
        double largest = 0;
        foreach (double[] layer in magnitude)
        {
            foreach (double m in layer)
            {
                largest = Math.Max(largest, m);
            }
        }

        return largest;
    }

    /// <summary>
    /// Whether every ReLU / LeakyReLU pre-activation z stays clear of 0 under a move of ±<paramref name="step"/> in any
    /// one parameter, with room for rounding: |z| &gt; 4 D + rounding * S, where D bounds how far z can move (the move
    /// at the perturbed layer, at most step * max(1, largest value feeding it), carried forward through
    /// <see cref="_reach"/>; the factor 4 covers second-order terms) and S = sum |w a| + |b| bounds the size of z's
    /// rounding error in units of the element type's precision.
    /// </summary>
    public bool IsClearOfKinks(ReadOnlySpan<double> input, double step, double rounding, out string? why)
    {
        Run(input, out double[][] z, out double[][] magnitude, out double[] largestFeeding);
        why = null;
        for (int l = 0; l < _topology.Layers.Length; l++)
        {
            if (!IsKink(_topology.Layers[l].Activation))
            {
                continue;
            }

            for (int j = 0; j < z[l].Length; j++)
            {
                double move = step * Math.Max(1, largestFeeding[l]);
                for (int m = 0; m < l; m++)
                {
                    move = Math.Max(move, step * Math.Max(1, largestFeeding[m]) * _reach[l][m][j]);
                }

                double margin = (4 * move) + (rounding * magnitude[l][j]);
                if (Math.Abs(z[l][j]) <= margin)
                {
                    why = $"layer {l + 1} node {j}: z = {z[l][j]:G3}, margin {margin:G3}";
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// ReLU and LeakyReLU bend at 0; ELU's slope is continuous there but its curvature jumps (from 1 to 0), so a
    /// difference across it is off by about the step itself, as much as the double check's tolerance allows: all three
    /// are guarded.
    /// </summary>
    private static bool IsKink(Activation activation) => activation is Activation.ReLU or Activation.LeakyReLU or Activation.ELU;

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        int rows = a.GetLength(0), inner = a.GetLength(1), columns = b.GetLength(1);
        var product = new double[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            for (int k = 0; k < inner; k++)
            {
                double aik = a[i, k];
                for (int j = 0; j < columns; j++)
                {
                    product[i, j] += aik * b[k, j];
                }
            }
        }

        return product;
    }

    private int FanIn(int layer) => layer == 0 ? _topology.Inputs : _topology.Layers[layer - 1].Units;

    private double[,] AbsoluteWeights(int layer)
    {
        int units = _topology.Layers[layer].Units, fanIn = FanIn(layer);
        var w = new double[units, fanIn];
        for (int j = 0; j < units; j++)
        {
            for (int i = 0; i < fanIn; i++)
            {
                w[j, i] = Math.Abs(_parameters[_weightOffsets[layer] + (j * fanIn) + i]);
            }
        }

        return w;
    }

    private double[] Run(ReadOnlySpan<double> input, out double[][] z, out double[][] magnitude, out double[] largestFeeding)
    {
        int layers = _topology.Layers.Length;
        z = new double[layers][];
        magnitude = new double[layers][];
        largestFeeding = new double[layers];
        double[] values = input.ToArray();
        for (int l = 0; l < layers; l++)
        {
            LayerShape layer = _topology.Layers[l];
            int fanIn = values.Length;
            foreach (double v in values)
            {
                largestFeeding[l] = Math.Max(largestFeeding[l], Math.Abs(v));
            }

            z[l] = new double[layer.Units];
            magnitude[l] = new double[layer.Units];
            var a = new double[layer.Units];
            for (int j = 0; j < layer.Units; j++)
            {
                double sum = 0, size = 0;
                for (int i = 0; i < fanIn; i++)
                {
                    double term = _parameters[_weightOffsets[l] + (j * fanIn) + i] * values[i];
                    sum += term;
                    size += Math.Abs(term);
                }

                if (layer.Bias)
                {
                    sum += _parameters[_biasOffsets[l] + j];
                    size += Math.Abs(_parameters[_biasOffsets[l] + j]);
                }

                z[l][j] = sum;
                magnitude[l][j] = size;
                a[j] = layer.Activation == Activation.Softmax ? 0 : Activate(layer.Activation, sum);
            }

            if (layer.Activation == Activation.Softmax)
            {
                // e^z_k / sum_j e^z_j, the largest z subtracted first.
                double max = double.NegativeInfinity, total = 0;
                foreach (double v in z[l])
                {
                    max = Math.Max(max, v);
                }

                for (int j = 0; j < a.Length; j++)
                {
                    a[j] = Math.Exp(z[l][j] - max);
                    total += a[j];
                }

                for (int j = 0; j < a.Length; j++)
                {
                    a[j] /= total;
                }
            }

            values = a;
        }

        return values;
    }
}
