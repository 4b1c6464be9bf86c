using System;
using System.Numerics;
using NetGen.Tests.Streaming;
using NetGen.Tests.Support;

namespace NetGen.Tests;

/// <summary>A network whose ForwardBatch goes in blocks (every layer SIMD loops), checked against the definitions.</summary>
[Network<double>(12, Code = CodeShape.Loops)]
[Dense(10, Activation.ReLU)]
[Dense(9, Activation.LeakyReLU, Bias = false)]
[Dense(3)]
public partial class LanesDouble;

/// <summary>
/// ForwardBatch, on every network of the catalog (unrolled, looped, and the looped ones that go in blocks of eight),
/// for batch sizes around the block size: each sample's output is Forward's to rounding, and exactly Forward's where
/// the network runs sample by sample; a blocked network's output is the definition's left-to-right sum bit for bit,
/// the same for a sample wherever it sits in the batch; lengths that are not whole samples are refused with nothing
/// written; an empty batch is fine; a NaN in one sample reaches no other.
/// </summary>
public sealed class ForwardBatchTests
{
    private static readonly int[] BatchSizes = [0, 1, 2, 7, 8, 9, 15, 16, 17, 33, 64];

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void ForwardBatch_equals_Forward_per_sample_to_rounding(string name) =>
        NetworkCatalog.Get(name).Accept(new AgreementVisitor(exact: false));

    [Theory]
    [InlineData("MixedFloat")]
    [InlineData("SeedReLUNet")]
    [InlineData("UnrolledFloat")]
    [InlineData("UnrolledDouble")]
    [InlineData("CrossEntropyFloat")]
    public void A_straight_line_network_gives_Forwards_bits(string name) =>
        NetworkCatalog.Get(name).Accept(new AgreementVisitor(exact: true));

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void A_sample_gets_the_same_bits_wherever_it_sits_in_the_batch(string name) =>
        NetworkCatalog.Get(name).Accept(new PositionVisitor());

    [Fact]
    public void A_blocked_network_computes_the_definitions_left_to_right_sums_bit_for_bit()
    {
        var network = new LanesDouble();
        var random = new Random(12);
        TestData.RandomizeParameters(network, random);
        NetworkCase definition = new NetworkCase<double>(
            "LanesDouble",
            () => new LanesDouble(),
            12,
            [new LayerInfo(10, Activation.ReLU, true), new LayerInfo(9, Activation.LeakyReLU, false), new LayerInfo(3, Activation.Identity, true)],
            CodeShape.Loops);
        const int Samples = 61;
        double[] inputs = TestData.Array<double>(Samples * LanesDouble.InputCount, random, -3, 3);
        double[] outputs = new double[Samples * LanesDouble.OutputCount];

        network.ForwardBatch(inputs, outputs);

        int differsFromForward = 0;
        double[] forward = new double[LanesDouble.OutputCount];
        for (int s = 0; s < Samples; s++)
        {
            ReadOnlySpan<double> input = inputs.AsSpan(s * LanesDouble.InputCount, LanesDouble.InputCount);
            double[] expected = ReferenceNetwork.Forward(definition, network.Parameters, input);
            Bits.Equal<double>(expected, outputs.AsSpan(s * LanesDouble.OutputCount, LanesDouble.OutputCount), $"sample {s}");
            network.Forward(input, forward);
            differsFromForward += forward.AsSpan().SequenceEqual(expected) ? 0 : 1;
        }

        // With SIMD, Forward adds in partial sums: the check above tells the two orders apart.
        if (Kernels.VectorBits >= 256)
        {
            Assert.True(differsFromForward > 0, "Forward gave the left-to-right sums too: the test cannot tell the paths apart");
        }
    }

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void ForwardBatch_refuses_lengths_that_are_not_whole_samples_and_writes_nothing(string name) =>
        NetworkCatalog.Get(name).Accept(new LengthVisitor());

    [Theory]
    [InlineData("BlockedFloat")]
    [InlineData("BlockedCrossEntropyDouble")]
    [InlineData("MixedFloat")]
    public void A_NaN_in_one_sample_reaches_that_samples_outputs_only(string name) =>
        NetworkCatalog.Get(name).Accept(new NaNVisitor());

    [Fact]
    public void The_interface_default_for_a_hand_written_network_is_Forward_per_sample()
    {
        INetwork<double> network = new Doubler();
        double[] outputs = new double[3];

        network.ForwardBatch([1.0, 2.5, -4.0], outputs);

        Assert.Equal([2.0, 5.0, -8.0], outputs);
        Assert.Throws<ArgumentException>("outputs", () => network.ForwardBatch([1.0, 2.0], new double[3]));
    }

    [Fact]
    public void Trainer_Evaluate_computes_the_outputs_with_ForwardBatch()
    {
        // 100 samples: two chunks of Evaluate's 64, the second partial. Forward throws, so only ForwardBatch can serve.
        var network = new BatchOnly();
        double[] inputs = new double[100];
        double[] regressionTargets = new double[100];
        double[] classTargets = new double[100];
        for (int i = 0; i < 100; i++)
        {
            inputs[i] = (i - 50) / 100.0;
            regressionTargets[i] = (2 * inputs[i]) + 0.25;
            classTargets[i] = i % 3 == 0 ? 1 : 0;
        }

        EvaluationResult regression = Trainer.Evaluate(network, new Dataset<double>(inputs, regressionTargets, 1, 1), TaskKind.Regression);
        EvaluationResult classification = Trainer.Evaluate(network, new Dataset<double>(inputs, classTargets, 1, 1), TaskKind.Classification);

        Assert.Equal(1, network.BatchCallsWith(100));
        Assert.Equal(1, network.BatchCallsWith(64));
        Assert.Equal(1, network.BatchCallsWith(36));

        // Predictions 2x against targets 2x + 0.25: the error is 0.25 everywhere, so RMSE 0.25.
        Assert.Equal(0.25, regression.RootMeanSquaredError, 12);

        // Outputs 2x >= 0.5 for x >= 0.25 (i >= 75), against the targets every third sample: count by hand.
        int correct = 0;
        for (int i = 0; i < 100; i++)
        {
            correct += (2 * inputs[i] >= 0.5) == (classTargets[i] >= 0.5) ? 1 : 0;
        }

        Assert.Equal(correct / 100.0, classification.Accuracy, 12);
    }

    [Fact]
    public void A_streaming_model_computes_each_sample_as_one_step_from_a_zero_state()
    {
        StreamingEqualsForward<float>(new StreamGru(), "StreamGru");
        StreamingEqualsForward<double>(new StreamLstm(), "StreamLstm");
        StreamingEqualsForward<float>(new StreamConv(), "StreamConv");
    }

    private static void StreamingEqualsForward<T>(INetwork<T> model, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(31);
        TestData.RandomizeParameters(model, random);
        const int Samples = 11;
        int inputCount = model.InputCount, outputCount = model.OutputCount;
        T[] inputs = TestData.Array<T>(Samples * inputCount, random);
        T[] expected = new T[Samples * outputCount];
        for (int s = 0; s < Samples; s++)
        {
            model.Forward(inputs.AsSpan(s * inputCount, inputCount), expected.AsSpan(s * outputCount, outputCount));
        }

        T[] outputs = new T[Samples * outputCount];
        model.ForwardBatch(inputs, outputs);

        Bits.Equal<T>(expected, outputs, name + ".ForwardBatch");
    }

    private sealed class AgreementVisitor(bool exact) : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(41 + network.Name.Length);
            INetwork<T> net = network.Create();
            TestData.RandomizeParameters(net, random);

            // Within a few units in the last place per layer and input, relative to the output's size (or 1).
            double tolerance = (network.IsDouble ? 1e-13 : 1e-5) * network.Layers.Length;
            foreach (int n in BatchSizes)
            {
                T[] inputs = TestData.Array<T>(n * network.Inputs, random, -3, 3);
                T[] expected = new T[n * network.Outputs];
                for (int s = 0; s < n; s++)
                {
                    net.Forward(inputs.AsSpan(s * network.Inputs, network.Inputs), expected.AsSpan(s * network.Outputs, network.Outputs));
                }

                T[] outputs = new T[n * network.Outputs];
                TestData.FillSentinel<T>(outputs);
                net.ForwardBatch(inputs, outputs);

                string where = $"{network.Name}, batch of {n}";
                if (exact)
                {
                    Bits.Equal<T>(expected, outputs, where);
                    continue;
                }

                for (int i = 0; i < expected.Length; i++)
                {
                    double e = double.CreateChecked(expected[i]), a = double.CreateChecked(outputs[i]);
                    Assert.True(Math.Abs(e - a) <= tolerance * Math.Max(1, Math.Abs(e)), $"{where}: [{i}] ForwardBatch {a:R}, Forward {e:R}");
                }
            }
        }
    }

    private sealed class PositionVisitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(43);
            INetwork<T> net = network.Create();
            TestData.RandomizeParameters(net, random);
            T[] sample = TestData.Array<T>(network.Inputs, random, -3, 3);
            T[]? first = null;
            foreach ((int size, int position) in new[] { (1, 0), (8, 0), (8, 7), (9, 8), (13, 3), (17, 12), (24, 16) })
            {
                T[] inputs = TestData.Array<T>(size * network.Inputs, random, -3, 3);
                sample.CopyTo(inputs.AsSpan(position * network.Inputs));
                T[] outputs = new T[size * network.Outputs];

                net.ForwardBatch(inputs, outputs);

                T[] output = outputs.AsSpan(position * network.Outputs, network.Outputs).ToArray();
                first ??= output;
                Bits.Equal<T>(first, output, $"{network.Name}: the sample at {position} of {size}");
            }
        }
    }

    private sealed class LengthVisitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            INetwork<T> net = network.Create();
            int inputs = network.Inputs, outputs = network.Outputs;
            (int InputLength, int OutputLength, string Parameter)[] cases =
            [
                ((3 * inputs) + 1, 3 * outputs, "inputs"),
                ((9 * inputs) - 1, 9 * outputs, "inputs"),
                (3 * inputs, (3 * outputs) + 1, "outputs"),
                (9 * inputs, 8 * outputs, "outputs"),
                (0, outputs, "outputs"),
            ];
            foreach ((int inputLength, int outputLength, string parameter) in cases)
            {
                T[] output = new T[outputLength];
                TestData.FillSentinel<T>(output);
                T[] before = (T[])output.Clone();

                ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => net.ForwardBatch(new T[inputLength], output));

                Assert.Equal(parameter, error.ParamName);
                Bits.Equal<T>(before, output, $"{network.Name}: outputs after a refused call ({inputLength}, {outputLength})");
            }

            net.ForwardBatch([], []);
        }
    }

    private sealed class NaNVisitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(8);
            INetwork<T> net = network.Create();
            TestData.RandomizeParameters(net, random);
            const int Samples = 16;
            T[] inputs = TestData.Array<T>(Samples * network.Inputs, random);
            const int Poisoned = 5;
            inputs[(Poisoned * network.Inputs) + 1] = T.NaN;
            T[] outputs = new T[Samples * network.Outputs];

            net.ForwardBatch(inputs, outputs);

            for (int s = 0; s < Samples; s++)
            {
                for (int j = 0; j < network.Outputs; j++)
                {
                    T value = outputs[(s * network.Outputs) + j];
                    Assert.True(s == Poisoned ? T.IsNaN(value) : T.IsFinite(value), $"{network.Name}: sample {s}, output {j} is {value}");
                }
            }
        }
    }

    /// <summary>One input to one output times two, through ForwardBatch only: Forward throws.</summary>
    private sealed class BatchOnly : INetwork<double>
    {
        private readonly System.Collections.Generic.List<int> _batches = [];

        public int InputCount => 1;

        public int OutputCount => 1;

        public string Topology => "hand-written";

        public Span<double> Parameters => Span<double>.Empty;

        public Span<double> Gradients => Span<double>.Empty;

        public int BatchCallsWith(int samples) => _batches.FindAll(n => n == samples).Count;

        public void Forward(ReadOnlySpan<double> input, Span<double> output) =>
            throw new InvalidOperationException("Forward was called: Evaluate should use ForwardBatch.");

        public void ForwardBatch(ReadOnlySpan<double> inputs, Span<double> outputs)
        {
            _batches.Add(inputs.Length);
            for (int i = 0; i < inputs.Length; i++)
            {
                outputs[i] = 2 * inputs[i];
            }
        }

        public double Loss(ReadOnlySpan<double> input, ReadOnlySpan<double> target) => Math.Pow((2 * input[0]) - target[0], 2);

        public double Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> target) => throw new NotSupportedException();

        public void ZeroGradients()
        {
        }

        public double TrainStep(ReadOnlySpan<double> input, ReadOnlySpan<double> target, double learningRate) =>
            throw new NotSupportedException();

        public double TrainBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, double learningRate) =>
            throw new NotSupportedException();

        public void InitializeParameters(int seed)
        {
        }
    }

    /// <summary>A hand-written network, one input to one output times two, that leaves ForwardBatch to the interface.</summary>
    private sealed class Doubler : INetwork<double>
    {
        public int InputCount => 1;

        public int OutputCount => 1;

        public string Topology => "hand-written";

        public Span<double> Parameters => Span<double>.Empty;

        public Span<double> Gradients => Span<double>.Empty;

        public void Forward(ReadOnlySpan<double> input, Span<double> output) => output[0] = 2 * input[0];

        public double Loss(ReadOnlySpan<double> input, ReadOnlySpan<double> target) => throw new NotSupportedException();

        public double Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> target) => throw new NotSupportedException();

        public void ZeroGradients()
        {
        }

        public double TrainStep(ReadOnlySpan<double> input, ReadOnlySpan<double> target, double learningRate) =>
            throw new NotSupportedException();

        public double TrainBatch(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, double learningRate) =>
            throw new NotSupportedException();

        public void InitializeParameters(int seed)
        {
        }
    }
}
