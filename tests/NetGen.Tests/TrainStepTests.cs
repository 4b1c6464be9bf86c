using System;
using System.Numerics;
using NetGen.Tests.Support;

namespace NetGen.Tests;

/// <summary>
/// TrainStep leaves the parameters exactly as ZeroGradients + Backward + <c>p -= learningRate * g</c>
/// (Sgd.Step), without reading or writing Gradients; TrainBatch is the mean gradient of n Backward calls, then
/// the same step. Exactly means bit for bit, over many random samples, on every network of the catalog.
/// </summary>
public sealed class TrainStepTests
{
    private const int Samples = 300;

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void TrainStep_equals_ZeroGradients_Backward_and_Sgd_Step_bit_for_bit(string name) =>
        NetworkCatalog.Get(name).Accept(new TrainStepVisitor());

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void TrainBatch_equals_mean_of_Backward_and_one_Sgd_Step_bit_for_bit(string name) =>
        NetworkCatalog.Get(name).Accept(new TrainBatchVisitor());

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void TrainBatch_rejects_lengths_that_are_not_whole_samples_and_writes_nothing(string name) =>
        NetworkCatalog.Get(name).Accept(new TrainBatchLengthVisitor());

    /// <summary>
    /// The one documented difference (INetwork.TrainStep): a parameter of -0 whose slope is -0. TrainStep computes
    /// p - lr * (-0) = +0, while Backward's g = 0 + (-0) = +0 leaves p - lr * 0 = -0. The values are equal; only
    /// the sign of the zero differs, and making it match would cost TrainStep an addition per weight.
    /// </summary>
    [Fact]
    public void TrainStep_and_Backward_plus_Sgd_Step_differ_at_most_in_the_sign_of_a_zero_parameter()
    {
        // 1 -> 1, no bias: p = -0, input x = 0, target 1. Prediction 0, error -1, slope dz = -2, weight slope -2 * 0 = -0.
        var fused = new SeedOneWeight();
        var reference = new SeedOneWeight();
        fused.Parameters[0] = -0.0;
        reference.Parameters[0] = -0.0;

        fused.TrainStep([0.0], [1.0], 0.5);
        reference.ZeroGradients();
        reference.Backward([0.0], [1.0]);
        Sgd.Step(reference.Parameters, reference.Gradients, 0.5);

        Assert.Equal(reference.Parameters[0], fused.Parameters[0]);
        Assert.True(double.IsNegative(reference.Parameters[0]));
        Assert.False(double.IsNegative(fused.Parameters[0]));
    }

    [Theory]
    [InlineData(float.PositiveInfinity, 0.01f)]
    [InlineData(float.NaN, 0.01f)]
    [InlineData(0.5f, float.PositiveInfinity)]
    [InlineData(0.5f, 0.01f)]
    public void TrainStep_skips_idle_rows_only_where_Backward_and_Sgd_Step_leave_them_unchanged(float oddInput, float learningRate)
    {
        // BlockedFloat's first layer is SIMD loops with ReLU: TrainStep leaves the rows of nodes whose slope is 0 as
        // they are, but only when the inputs and the learning rate are finite. With an infinite or NaN input,
        // 0 * x is NaN, and with an infinite learning rate, Inf * 0 is NaN: then those rows must turn NaN exactly as
        // Backward and Sgd.Step make them.
        var random = new Random(77);
        var fused = new BlockedFloat();
        var reference = new BlockedFloat();
        TestData.RandomizeParameters(fused, random);
        fused.Parameters.CopyTo(reference.Parameters);
        float[] input = TestData.Array<float>(BlockedFloat.InputCount, random, -1, 1);
        float[] target = TestData.Array<float>(BlockedFloat.OutputCount, random, -1, 1);
        input[3] = oddInput;
        float[] before = fused.Parameters.ToArray();

        fused.TrainStep(input, target, learningRate);
        reference.ZeroGradients();
        reference.Backward(input, target);
        Sgd.Step<float>(reference.Parameters, reference.Gradients, learningRate);

        Bits.Equal<float>(reference.Parameters, fused.Parameters, $"input {oddInput}, learning rate {learningRate}");

        // The finite case is meaningful: some first-layer node was idle (its ReLU did not fire) on this sample.
        if (float.IsFinite(oddInput) && float.IsFinite(learningRate))
        {
            int idle = 0;
            for (int j = 0; j < 12; j++)
            {
                float z = before[(12 * 20) + j];
                for (int i = 0; i < 20; i++)
                {
                    z += before[(j * 20) + i] * input[i];
                }

                idle += z <= 0 ? 1 : 0;
            }

            Assert.True(idle > 0, "no idle node on this sample");
        }
    }

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NaN)]
    [InlineData(0.5f)]
    public void TrainBatch_leaves_out_idle_samples_only_where_Backward_leaves_the_gradients_unchanged(float oddInput)
    {
        // BlockedFloat's TrainBatch runs in blocks of 8 and leaves out of a row's gradient sum the samples whose slope
        // is 0, but only when the values feeding the layer are finite: with an infinite or NaN input, 0 * x is NaN and
        // must reach the gradients exactly as n Backward calls put it there.
        var random = new Random(78);
        var batched = new BlockedFloat();
        var reference = new BlockedFloat();
        TestData.RandomizeParameters(batched, random);
        batched.Parameters.CopyTo(reference.Parameters);
        const int samples = 16;
        float[] inputs = TestData.Array<float>(samples * BlockedFloat.InputCount, random, -1, 1);
        float[] targets = TestData.Array<float>(samples * BlockedFloat.OutputCount, random, -1, 1);
        inputs[(9 * BlockedFloat.InputCount) + 5] = oddInput;

        batched.TrainBatch(inputs, targets, 0.01f);
        reference.ZeroGradients();
        for (int s = 0; s < samples; s++)
        {
            reference.Backward(inputs.AsSpan(s * BlockedFloat.InputCount, BlockedFloat.InputCount), targets.AsSpan(s * BlockedFloat.OutputCount, BlockedFloat.OutputCount));
        }

        Span<float> g = reference.Gradients;
        for (int i = 0; i < g.Length; i++)
        {
            g[i] *= 1f / samples;
        }

        Sgd.Step<float>(reference.Parameters, reference.Gradients, 0.01f);
        Bits.Equal<float>(reference.Gradients, batched.Gradients, $"input {oddInput}: gradients");
        Bits.Equal<float>(reference.Parameters, batched.Parameters, $"input {oddInput}: parameters");
    }

    private sealed class TrainStepVisitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(1234 + network.Name.Length);
            INetwork<T> fused = network.Create();
            INetwork<T> reference = network.Create();
            TestData.RandomizeParameters(fused, random);
            fused.Parameters.CopyTo(reference.Parameters);

            var input = new T[network.Inputs];
            var target = new T[network.Outputs];
            var sentinel = new T[fused.Gradients.Length];
            TestData.FillSentinel<T>(sentinel);
            for (int sample = 0; sample < Samples; sample++)
            {
                TestData.Fill<T>(input, random, -1, 1);
                TestData.FillTargets<T>(network, target, random);

                // Small enough that the walk never diverges on the 70-input networks.
                T learningRate = T.CreateChecked(0.0005 + (0.005 * random.NextDouble()));

                // TrainStep must neither read Gradients (a NaN read would poison the parameters) nor write them.
                sentinel.CopyTo(fused.Gradients);
                T fusedLoss = fused.TrainStep(input, target, learningRate);

                reference.ZeroGradients();
                T referenceLoss = reference.Backward(input, target);
                Sgd.Step(reference.Parameters, reference.Gradients, learningRate);

                string where = $"{network.Name}, sample {sample}";
                Bits.Equal(referenceLoss, fusedLoss, $"{where}: loss");
                Bits.Equal<T>(reference.Parameters, fused.Parameters, $"{where}: parameters");
                Bits.Equal<T>(sentinel, fused.Gradients, $"{where}: Gradients after TrainStep");
            }

            // The walk stayed meaningful: every parameter is finite and some moved.
            foreach (T p in fused.Parameters)
            {
                Assert.True(T.IsFinite(p), $"{network.Name}: a parameter became {p}");
            }
        }
    }

    private sealed class TrainBatchVisitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(99 + network.Name.Length);
            INetwork<T> batched = network.Create();
            INetwork<T> reference = network.Create();
            TestData.RandomizeParameters(batched, random);
            batched.Parameters.CopyTo(reference.Parameters);

            foreach (int n in new[] { 1, 2, 3, 5, 8, 17, 1, 4, 32, 16, 7 })
            {
                T[] inputs = TestData.Array<T>(n * network.Inputs, random, -2, 2);
                T[] targets = TestData.Targets<T>(network, random, n);
                T learningRate = T.CreateChecked(0.001 + (0.05 * random.NextDouble()));

                // TrainBatch uses Gradients as scratch: what they held before must not matter.
                TestData.FillSentinel(batched.Gradients);
                T batchLoss = batched.TrainBatch(inputs, targets, learningRate);

                reference.ZeroGradients();
                T total = T.Zero;
                for (int s = 0; s < n; s++)
                {
                    total += reference.Backward(
                        inputs.AsSpan(s * network.Inputs, network.Inputs),
                        targets.AsSpan(s * network.Outputs, network.Outputs));
                }

                T inverse = T.One / T.CreateChecked(n);
                Span<T> g = reference.Gradients;
                for (int i = 0; i < g.Length; i++)
                {
                    g[i] *= inverse;
                }

                Sgd.Step(reference.Parameters, reference.Gradients, learningRate);

                string where = $"{network.Name}, batch of {n}";
                Bits.Equal(total / T.CreateChecked(n), batchLoss, $"{where}: mean loss");
                Bits.Equal<T>(reference.Parameters, batched.Parameters, $"{where}: parameters");
                Bits.Equal<T>(reference.Gradients, batched.Gradients, $"{where}: mean gradient left in Gradients");
            }
        }
    }

    private sealed class TrainBatchLengthVisitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(7);
            INetwork<T> net = network.Create();
            TestData.RandomizeParameters(net, random);
            TestData.Fill(net.Gradients, random);
            T[] parameters = net.Parameters.ToArray();
            T[] gradients = net.Gradients.ToArray();
            int i = network.Inputs, o = network.Outputs;

            // (inputs, targets, parameter name)
            var cases = new (int Inputs, int Targets, string Parameter)[]
            {
                (0, 0, "inputs"),
                (0, o, "inputs"),
                (i + 1, o, "inputs"),
                ((2 * i) - 1, 2 * o, "inputs"),
                (i, 0, "targets"),
                (i, o + 1, "targets"),
                (2 * i, o, "targets"),
                (3 * i, 2 * o, "targets"),
            };
            foreach ((int inputs, int targets, string parameter) in cases)
            {
                T[] x = TestData.Array<T>(inputs, random);
                T[] t = TestData.Array<T>(targets, random);
                ArgumentException e = Assert.Throws<ArgumentException>(() => net.TrainBatch(x, t, T.CreateChecked(0.1)));
                string where = $"{network.Name}: TrainBatch({inputs} inputs, {targets} targets)";
                Assert.True(e.ParamName == parameter, $"{where}: ParamName {e.ParamName}, expected {parameter}");
                Bits.Equal<T>(parameters, net.Parameters, $"{where}: parameters");
                Bits.Equal<T>(gradients, net.Gradients, $"{where}: gradients");
            }
        }
    }
}
