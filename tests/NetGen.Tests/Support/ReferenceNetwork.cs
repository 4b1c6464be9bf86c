using System;
using System.Collections.Generic;
using NetGen;

namespace NetGen.Tests.Support;

/// <summary>
/// A plain interpreter of a <see cref="NetworkCase"/> in double precision, written from the contract (parameter
/// layout) and §2 (definitions), sharing no code with the generator or the runtime's activations.
/// </summary>
public static class ReferenceNetwork
{
    /// <summary>The activations' definitions.</summary>
    public static double Activate(Activation activation, double z) => activation switch
    {
        Activation.Identity => z,
        Activation.ReLU => Math.Max(0.0, z),
        Activation.LeakyReLU => z > 0 ? z : 0.01 * z,
        Activation.Sigmoid => 1.0 / (1.0 + Math.Exp(-z)),
        Activation.Tanh => Math.Tanh(z),
        _ => NetGen.TestFixtures.ReferenceActivations.Activate(activation, z) ?? throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>The network's output; optionally each layer's pre-activations z.</summary>
    public static double[] Forward(NetworkCase network, ReadOnlySpan<double> parameters, ReadOnlySpan<double> input, List<double[]>? preActivations = null)
    {
        double[] values = input.ToArray();
        int offset = 0;
        foreach (LayerInfo layer in network.Layers)
        {
            int fanIn = values.Length;
            var z = new double[layer.Units];
            var a = new double[layer.Units];
            int biases = offset + (fanIn * layer.Units);
            for (int j = 0; j < layer.Units; j++)
            {
                double sum = 0;
                for (int i = 0; i < fanIn; i++)
                {
                    sum += parameters[offset + (j * fanIn) + i] * values[i];
                }

                if (layer.Bias)
                {
                    sum += parameters[biases + j];
                }

                z[j] = sum;
                a[j] = layer.Activation == Activation.Softmax ? 0 : Activate(layer.Activation, sum);
            }

            if (layer.Activation == Activation.Softmax)
            {
                // e^z_k / sum_j e^z_j, with the largest z subtracted first (the same value, without overflow).
                double max = double.NegativeInfinity, total = 0;
                foreach (double v in z)
                {
                    max = Math.Max(max, v);
                }

                for (int j = 0; j < a.Length; j++)
                {
                    a[j] = Math.Exp(z[j] - max);
                    total += a[j];
                }

                for (int j = 0; j < a.Length; j++)
                {
                    a[j] /= total;
                }
            }

            preActivations?.Add(z);
            offset = biases + (layer.Bias ? layer.Units : 0);
            values = a;
        }

        return values;
    }

    /// <summary>The network's loss of one sample, as PyTorch defines it, from the output layer's pre-activations.</summary>
    public static double Loss(NetworkCase network, ReadOnlySpan<double> parameters, ReadOnlySpan<double> input, ReadOnlySpan<double> target)
    {
        var preActivations = new List<double[]>();
        double[] output = Forward(network, parameters, input, preActivations);
        double[] logits = preActivations[^1];
        switch (network.Loss)
        {
            case NetGen.LossFunction.CrossEntropy:
                {
                    // -sum t ln p, with ln p_k = z_k - ln sum e^z.
                    double max = double.NegativeInfinity, total = 0, loss = 0;
                    foreach (double v in logits)
                    {
                        max = Math.Max(max, v);
                    }

                    foreach (double v in logits)
                    {
                        total += Math.Exp(v - max);
                    }

                    double logSum = max + Math.Log(total);
                    for (int k = 0; k < logits.Length; k++)
                    {
                        loss -= target[k] * (logits[k] - logSum);
                    }

                    return loss;
                }

            case NetGen.LossFunction.BinaryCrossEntropy:
                {
                    // -(1/K) sum [t ln s(z) + (1 - t) ln(1 - s(z))], with ln s(z) = -ln(1 + e^-z), ln(1 - s(z)) = -z - ln(1 + e^-z).
                    double loss = 0;
                    for (int k = 0; k < logits.Length; k++)
                    {
                        double z = logits[k];
                        double softplusMinus = z >= 0 ? Math.Log(1 + Math.Exp(-z)) : -z + Math.Log(1 + Math.Exp(z));
                        loss += (target[k] * softplusMinus) + ((1 - target[k]) * (z + softplusMinus));
                    }

                    return loss / logits.Length;
                }

            default:
                return MeanSquaredError(output, target);
        }
    }

    /// <summary>Mean squared error, as PyTorch defines it.</summary>
    public static double MeanSquaredError(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double sum = 0;
        for (int k = 0; k < output.Length; k++)
        {
            sum += (output[k] - target[k]) * (output[k] - target[k]);
        }

        return sum / output.Length;
    }

    /// <summary>
    /// The parameters InitializeParameters(seed) must produce, by the documented rule: layer by layer, weights drawn
    /// in storage order from SplitMix64 (reference implementation) uniform in [-limit, limit), with
    /// limit = sqrt(6 / fanIn) (He) for ReLU, LeakyReLU, ELU, GELU, SiLU and Softplus and sqrt(6 / (fanIn + fanOut)) (Glorot) for the
    /// others; biases zero and drawing nothing.
    /// </summary>
    public static double[] ExpectedInitialParameters(NetworkCase network, int seed)
    {
        var random = new SplitMix64Reference(seed);
        var parameters = new double[network.ParameterCount];
        int offset = 0, fanIn = network.Inputs;
        foreach (LayerInfo layer in network.Layers)
        {
            double limit = Limit(layer.Activation, fanIn, layer.Units);
            for (int w = 0; w < fanIn * layer.Units; w++)
            {
                double low = -limit, high = limit;
                parameters[offset + w] = low + ((high - low) * random.NextDouble());
            }

            offset += (fanIn * layer.Units) + (layer.Bias ? layer.Units : 0);
            fanIn = layer.Units;
        }

        return parameters;
    }

    /// <summary>The initialiser's bound for a layer.</summary>
    public static double Limit(Activation activation, int fanIn, int fanOut) =>
        activation is Activation.ReLU or Activation.LeakyReLU or Activation.ELU or Activation.GELU or Activation.SiLU or Activation.Softplus
            ? Math.Sqrt(6.0 / fanIn)
            : Math.Sqrt(6.0 / (fanIn + fanOut));
}
