using System;
using System.Collections.Generic;
using NetGen;

namespace NetGen.Tests.Support;

/// <summary>
/// A plain interpreter of a <see cref="NetworkCase"/> in double precision, written from DESIGN §1 (parameter
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
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
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
                a[j] = Activate(layer.Activation, sum);
            }

            preActivations?.Add(z);
            offset = biases + (layer.Bias ? layer.Units : 0);
            values = a;
        }

        return values;
    }

    /// <summary>Mean squared error, DESIGN §2.</summary>
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
    /// The parameters InitializeParameters(seed) must produce, from DESIGN §1: layer by layer, weights drawn
    /// in storage order from SplitMix64 (reference implementation) uniform in [-limit, limit), with
    /// limit = sqrt(6 / fanIn) (He) for ReLU and LeakyReLU and sqrt(6 / (fanIn + fanOut)) (Glorot) for the
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
        activation is Activation.ReLU or Activation.LeakyReLU
            ? Math.Sqrt(6.0 / fanIn)
            : Math.Sqrt(6.0 / (fanIn + fanOut));
}
