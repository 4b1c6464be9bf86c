using System;
using System.Collections.Generic;
using System.Numerics;
using NetGen.Tests.Support;

namespace NetGen.Tests;

/// <summary>
/// The real path against an oracle that shares nothing with the generator or the runtime: the plain interpreter of
/// Support/ReferenceNetwork.cs (the parameter layout and PyTorch's definitions), its loss, and central differences of that loss.
/// </summary>
public sealed class ReferenceTests
{
    private const int Samples = 40;

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Forward_and_Loss_match_the_interpreter_and_Backward_returns_the_same_loss(string name) =>
        NetworkCatalog.Get(name).Accept(new ForwardVisitor());

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Backward_matches_central_differences_of_the_interpreter(string name) =>
        NetworkCatalog.Get(name).Accept(new GradientVisitor());

    private static double Scale(NetworkCase network, double[] parameters, double[] input)
    {
        // The largest sum |w a| + |b| of any node bounds the size of a forward pass's rounding errors.
        double largest = 1;
        double[] values = input;
        int offset = 0;
        foreach (LayerInfo layer in network.Layers)
        {
            var next = new double[layer.Units];
            int biases = offset + (values.Length * layer.Units);
            for (int j = 0; j < layer.Units; j++)
            {
                double size = layer.Bias ? Math.Abs(parameters[biases + j]) : 0, z = layer.Bias ? parameters[biases + j] : 0;
                for (int i = 0; i < values.Length; i++)
                {
                    size += Math.Abs(parameters[offset + (j * values.Length) + i] * values[i]);
                    z += parameters[offset + (j * values.Length) + i] * values[i];
                }

                largest = Math.Max(largest, size);
                next[j] = layer.Activation == Activation.Softmax ? 0 : ReferenceNetwork.Activate(layer.Activation, z);
            }

            offset = biases + (layer.Bias ? layer.Units : 0);
            values = next;
        }

        return largest;
    }

    private static double[] ToDoubles<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = double.CreateChecked(values[i]);
        }

        return result;
    }

    private sealed class ForwardVisitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            // Double: the same sums in the same order, so only the last bits may differ (Sigmoid's formula for z < 0):
            // 1e-13 of the node magnitude. Float: 24-bit rounding over these few layers of at most 70-term sums stays
            // within (3 x 70 + 10) u = 1.3e-5 of it; 1e-4 is allowed.
            double tolerance = network.IsDouble ? 1e-13 : 1e-4;
            var random = new Random(41);
            INetwork<T> net = network.Create();
            TestData.RandomizeParameters(net, random, 0.6);
            double[] parameters = ToDoubles<T>(net.Parameters);
            var output = new T[network.Outputs];
            for (int s = 0; s < Samples; s++)
            {
                T[] input = TestData.Array<T>(network.Inputs, random, -2, 2);
                T[] target = TestData.Targets<T>(network, random);
                double[] x = ToDoubles<T>(input), t = ToDoubles<T>(target);
                double[] expected = ReferenceNetwork.Forward(network, parameters, x);
                double scale = Scale(network, parameters, x);
                net.Forward(input, output);
                for (int k = 0; k < expected.Length; k++)
                {
                    double actual = double.CreateChecked(output[k]);
                    Assert.True(Math.Abs(actual - expected[k]) <= tolerance * scale, $"{network.Name}, sample {s}, output {k}: {actual:R}, interpreter {expected[k]:R}");
                }

                T loss = net.Loss(input, target);
                double expectedLoss = ReferenceNetwork.Loss(network, parameters, x, t);

                // A change dz in the outputs' inputs moves the loss by at most about (2 sqrt(K L) + 2) dz.
                double lossTolerance = tolerance * scale * (3 + (2 * Math.Sqrt(network.Outputs * expectedLoss)));
                Assert.True(Math.Abs(double.CreateChecked(loss) - expectedLoss) <= lossTolerance, $"{network.Name}, sample {s}: Loss {loss:R}, interpreter {expectedLoss:R}");

                // Backward computes the same loss, and must return exactly what Loss returns.
                T fromBackward = net.Backward(input, target);
                Bits.Equal(loss, fromBackward, $"{network.Name}, sample {s}: Backward's loss vs Loss");
            }
        }
    }

    private sealed class GradientVisitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            // The oracle: central differences, h = 1e-6, of the interpreter's loss in double, at the network's own
            // (float or double) parameters and sample. Its error is truncation (h^2 L'''/6, below 1e-11 here) plus
            // rounding, about 1e-16 (L + sqrt(L) ymax + max |z|) / h, 1e-9 at most for these losses; so in double the analytic
            // gradient must agree within 1e-6 relative, or 1e-8 absolute for slopes near zero (100 times the rounding).
            // Float: the network's own rounding dominates, a few units of 2^-24 accumulated over at most 3 layers of
            // 70-term sums forward and back, about 2.5e-5 of the gradient's largest entry at worst; 1e-3 of
            // max(|g|, 1e-2 max |g|) is allowed. ReLU / LeakyReLU pre-activations must be 1e-2 clear of 0, far beyond
            // what h or float rounding can move them.
            var random = new Random(43);
            INetwork<T> net = network.Create();
            TestData.RandomizeParameters(net, random, 0.6);
            double[] parameters = ToDoubles<T>(net.Parameters);
            int checkedSamples = 0;
            for (int attempt = 0; attempt < 400 && checkedSamples < 3; attempt++)
            {
                T[] input = TestData.Array<T>(network.Inputs, random);
                T[] target = TestData.Targets<T>(network, random);
                double[] x = ToDoubles<T>(input), t = ToDoubles<T>(target);
                var z = new List<double[]>();
                ReferenceNetwork.Forward(network, parameters, x, z);
                if (!ClearOfKinks(network, z))
                {
                    continue;
                }

                checkedSamples++;
                net.ZeroGradients();
                net.Backward(input, target);
                double[] analytic = ToDoubles<T>(net.Gradients);
                double[] numeric = CentralDifferences(network, parameters, x, t);
                double largest = 0;
                foreach (double n in numeric)
                {
                    largest = Math.Max(largest, Math.Abs(n));
                }

                Assert.True(largest > 0, $"{network.Name}: the gradient is zero everywhere, which proves nothing");
                for (int i = 0; i < numeric.Length; i++)
                {
                    double error = Math.Abs(analytic[i] - numeric[i]);
                    bool ok = network.IsDouble
                        ? error <= Math.Max(1e-6 * Math.Abs(numeric[i]), 1e-8)
                        : error <= 1e-3 * Math.Max(Math.Abs(numeric[i]), 1e-2 * largest);
                    Assert.True(ok, $"{network.Name}, parameter {i}: Backward {analytic[i]:R}, central difference {numeric[i]:R}");
                }
            }

            Assert.Equal(3, checkedSamples);
        }

        private static bool ClearOfKinks(NetworkCase network, List<double[]> z)
        {
            for (int l = 0; l < network.Layers.Length; l++)
            {
                if (network.Layers[l].Activation is Activation.ReLU or Activation.LeakyReLU && Array.Exists(z[l], v => Math.Abs(v) <= 1e-2))
                {
                    return false;
                }
            }

            return true;
        }

        private static double[] CentralDifferences(NetworkCase network, double[] parameters, double[] x, double[] t)
        {
            const double H = 1e-6;
            var p = (double[])parameters.Clone();
            var gradient = new double[p.Length];
            for (int i = 0; i < p.Length; i++)
            {
                double keep = p[i];
                p[i] = keep + H;
                double plus = ReferenceNetwork.Loss(network, p, x, t);
                p[i] = keep - H;
                double minus = ReferenceNetwork.Loss(network, p, x, t);
                p[i] = keep;
                gradient[i] = (plus - minus) / (2 * H);
            }

            return gradient;
        }
    }
}
