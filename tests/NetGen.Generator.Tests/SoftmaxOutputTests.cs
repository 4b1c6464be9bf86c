using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests;

/// <summary>
/// The generated source of a softmax / cross-entropy network (the README's IrisNet, spelt NetGen.LossFunction.CrossEntropy
/// as NG0016 asks), kept as a reviewed snapshot (Expected/IrisNet.g.cs); and, since a snapshot written by the code
/// under test proves nothing alone, the snapshot itself compiled and checked against numbers computed here from the
/// definitions (PyTorch's) and against finite differences.
/// </summary>
public sealed class SoftmaxOutputTests
{
    private const string Declaration = """
        using NetGen;

        namespace Iris;

        /// <summary>4 inputs -> 16 (Tanh) -> 3 class probabilities; cross-entropy; double.</summary>
        [Network<double>(4, Loss = NetGen.LossFunction.CrossEntropy)]
        [Dense(16, Activation.Tanh)]
        [Dense(3, Activation.Softmax)]
        public partial class IrisNet;
        """;

    private const string ExpectedFile = "IrisNet.g.cs";

    [Fact]
    public void IrisNet_generated_source_matches_the_expected_file()
    {
        GeneratorRun run = GeneratorHarness.Run(Declaration);

        Assert.Empty(run.AllDiagnostics());
        Assert.Equal(["Iris.IrisNet.g.cs"], run.Sources.Select(s => s.HintName));
        ExpectedFiles.AssertMatches(ExpectedFile, run.Source("Iris.IrisNet.g.cs"));
    }

    [Fact]
    public void The_expected_file_computes_softmax_and_cross_entropy_by_their_definitions()
    {
        Compilation compilation = TestCompilation.Create(Declaration, ExpectedFiles.Read(ExpectedFile));
        Assert.Empty(compilation.GetDiagnostics());
        using LoadedAssembly assembly = Emitted.Load(Emitted.Image(compilation));
        INetwork<double> net = assembly.Create<INetwork<double>>("Iris.IrisNet");

        var random = new DeterministicRandom(11);
        Span<double> p = net.Parameters;
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = random.NextDouble(-1, 1);
        }

        double[] x = [0.3, -1.2, 2.5, 0.7];
        double[] t = [0.1, 0.7, 0.2];

        // By hand: hidden h_j = tanh(w1[j] . x + b1[j]); logits z_k = w2[k] . h + b2[k]; p = softmax(z).
        double[] h = new double[16];
        for (int j = 0; j < 16; j++)
        {
            double z = p[64 + j];
            for (int i = 0; i < 4; i++)
            {
                z += p[(j * 4) + i] * x[i];
            }

            h[j] = Math.Tanh(z);
        }

        double[] logits = new double[3];
        for (int k = 0; k < 3; k++)
        {
            logits[k] = p[80 + 48 + k];
            for (int j = 0; j < 16; j++)
            {
                logits[k] += p[80 + (k * 16) + j] * h[j];
            }
        }

        double max = logits.Max();
        double[] e = logits.Select(z => Math.Exp(z - max)).ToArray();
        double[] expected = e.Select(v => v / e.Sum()).ToArray();
        double expectedLoss = -Enumerable.Range(0, 3).Sum(k => t[k] * Math.Log(expected[k]));

        double[] output = new double[3];
        net.Forward(x, output);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(expected[k], output[k], 1e-14);
        }

        Assert.Equal(1.0, output.Sum(), 1e-15);
        Assert.Equal(expectedLoss, net.Loss(x, t), 1e-13);

        // dL/dz_k = p_k - t_k for probability targets: the output biases' gradients are exactly that.
        net.ZeroGradients();
        net.Backward(x, t);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(expected[k] - t[k], net.Gradients[128 + k], 1e-14);
        }

        // Every other gradient, against central differences. With h = 1e-6 the difference quotient's error is
        // truncation, O(h^2) (about 1e-12 here), plus rounding, eps * |L| / h (about 2e-16 * 1.5 / 1e-6 = 3e-10
        // absolute). So: 1e-5 relative, measured against at least 1e-4, i.e. 1e-9 absolute for tiny gradients.
        GradientCheckResult check = GradientCheck.Run<INetwork<double>, double>(net, x, t, 1e-6, floor: 1e-4);
        Assert.True(check.WorstRelativeError < 1e-5, check.ToString());
    }

    [Fact]
    public void The_expected_file_is_stable_for_logits_of_a_thousand()
    {
        Compilation compilation = TestCompilation.Create(Declaration, ExpectedFiles.Read(ExpectedFile));
        using LoadedAssembly assembly = Emitted.Load(Emitted.Image(compilation));
        INetwork<double> net = assembly.Create<INetwork<double>>("Iris.IrisNet");

        // Output weights zero and biases +-1000: the logits are exactly 1000, -1000 and 0.
        net.Parameters[80..].Clear();
        net.Parameters[128] = 1000;
        net.Parameters[129] = -1000;
        double[] output = new double[3];
        net.Forward([1, 2, 3, 4], output);

        Assert.Equal([1.0, 0.0, 0.0], output);
        Assert.Equal(0.0, net.Loss([1, 2, 3, 4], [1, 0, 0]));
        Assert.Equal(2000.0, net.Loss([1, 2, 3, 4], [0, 1, 0]), 1e-9);

        net.ZeroGradients();
        net.Backward([1, 2, 3, 4], [0, 1, 0]);
        Assert.All(net.Gradients.ToArray(), g => Assert.True(double.IsFinite(g)));
        Assert.Equal(1.0, net.Gradients[128]);
        Assert.Equal(-1.0, net.Gradients[129]);
    }
}
