using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Harness;
using NetGen.Generator.Tests.Topologies;

namespace NetGen.Generator.Tests;

/// <summary>
/// The snapshot of one small image network (Expected/CnnNet.g.cs: a padded 3x3 Conv2D with ReLU, a 2x2 MaxPool2D and a
/// Softmax Dense layer on cross-entropy, double), the generated code a reader learns the layers from. The snapshot is
/// compiled by itself (the user's declaration and the expected file, no generator) and held to what PyTorch computes
/// for the same modules, parameters and sample (Fixtures/Cnn/snapshot.json, written by make_cnn_fixtures.py in
/// torch.float64), not to the generated code's own numbers.
/// </summary>
/// <remarks>
/// Tolerance: 1e-12 of max(1, |value|) (of the largest gradient, for a gradient): the two compute the same sums in other
/// orders, a few units of 2^-53 each over some tens of operations.
/// </remarks>
public sealed class CnnSnapshotTests
{
    private const string Declaration = """
        using NetGen;

        namespace Snapshots;

        /// <summary>A 1 x 6 x 6 image -> Conv2D 2 (3x3, ReLU, padding 1) -> MaxPool2D 2 -> 3 classes (Softmax); cross-entropy; double.</summary>
        [Network<double>(1, 6, 6, Loss = LossFunction.CrossEntropy)]
        [Conv2D(2, 3, Activation.ReLU, Padding = 1)]
        [MaxPool2D(2)]
        [Dense(3, Activation.Softmax)]
        public partial class CnnNet;
        """;

    [Fact]
    public void Generated_source_matches_the_expected_file()
    {
        GeneratorRun run = GeneratorHarness.Run(Declaration);

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.AllDiagnostics());
        ExpectedFiles.AssertMatches("CnnNet.g.cs", run.Source("Snapshots.CnnNet.g.cs"));
    }

    [Fact]
    public void Expected_file_compiles_alone_against_net80_with_no_diagnostics()
    {
        Compilation compilation = TestCompilation.Create(Declaration, ExpectedFiles.Read("CnnNet.g.cs"));

        Assert.Empty(compilation.GetDiagnostics());
    }

    [Fact]
    public void The_fixture_is_the_snapshot_network()
    {
        CnnCase c = CnnCase.Load("snapshot.json");
        Assert.Contains(c.Declaration, Declaration, StringComparison.Ordinal);
    }

    [Fact]
    public void CnnNet_computes_what_PyTorch_computes()
    {
        CnnCase c = CnnCase.Load("snapshot.json");
        using LoadedAssembly assembly = Emitted.Load(Emitted.Image(TestCompilation.Create(Declaration, ExpectedFiles.Read("CnnNet.g.cs"))));
        var net = assembly.Create<INetwork<double>>("Snapshots.CnnNet");
        Assert.Equal(c.Parameters.Length, net.Parameters.Length);
        c.Parameters.CopyTo(net.Parameters);

        var y = new double[c.OutputCount];
        net.Forward(c.Input(0), y);
        for (int i = 0; i < y.Length; i++)
        {
            AssertClose(c.Outputs[i], y[i], 1e-12 * Math.Max(1, Math.Abs(c.Outputs[i])), $"output {i}");
        }

        net.ZeroGradients();
        double loss = net.Backward(c.Input(0), c.Target(0));
        AssertClose(c.LossValue, loss, 1e-12 * Math.Max(1, Math.Abs(c.LossValue)), "loss");
        double largest = c.Gradients.Max(Math.Abs);
        for (int i = 0; i < c.Gradients.Length; i++)
        {
            AssertClose(c.Gradients[i], net.Gradients[i], 1e-12 * Math.Max(1, largest), $"gradient {i} ({c.DescribeParameter(i)})");
        }
    }

    private static void AssertClose(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"{what}: {actual:R}, PyTorch {expected:R} (tolerance {tolerance:G3})");
}
