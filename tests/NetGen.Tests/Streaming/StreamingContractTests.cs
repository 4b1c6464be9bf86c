using System;
using System.Linq;
using System.Numerics;
using Xunit;

namespace NetGen.Tests.Streaming;

/// <summary>
/// The members of a streaming model that do not need PyTorch to check: how the stateful, sequence and state-free
/// members relate to each other (bit for bit), the state, argument errors, allocation, and training through the
/// ordinary INetwork members. PyTorch's own numbers are checked in the generator's tests (StreamingSnapshotTests and
/// the recurrent fixtures).
/// </summary>
public sealed class StreamingContractTests
{
    private static T[] Random<T>(int count, int seed)
        where T : IFloatingPointIeee754<T>
    {
        var random = new DeterministicRandom(seed);
        return Enumerable.Range(0, count).Select(_ => T.CreateChecked(random.NextDouble(-1, 1))).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public void ForwardSequence_equals_one_Forward_call_per_step_bit_for_bit(int steps)
    {
        var net = new StreamGru();
        float[] inputs = Random<float>(steps * StreamGru.InputCount, 1);
        var sequence = new float[steps * StreamGru.OutputCount];
        net.ForwardSequence(inputs, sequence, net.CreateState());

        StreamGru.State state = net.CreateState();
        var output = new float[StreamGru.OutputCount];
        for (int t = 0; t < steps; t++)
        {
            net.Forward(inputs.AsSpan(t * StreamGru.InputCount, StreamGru.InputCount), output, state);
            Assert.Equal(sequence.AsSpan(t * StreamGru.OutputCount, StreamGru.OutputCount).ToArray(), output);
        }
    }

    [Fact]
    public void The_state_carries_from_call_to_call_and_Reset_starts_the_stream_again()
    {
        var net = new StreamLstm();
        double[] input = Random<double>(StreamLstm.InputCount, 2);
        StreamLstm.State state = net.CreateState();
        var first = new double[2];
        var second = new double[2];
        net.Forward(input, first, state);
        net.Forward(input, second, state);
        Assert.NotEqual(first, second); // the same input, another state

        state.Reset();
        var again = new double[2];
        net.Forward(input, again, state);
        Assert.Equal(first, again);

        // The state-free Forward is one step from a zero state.
        var stateless = new double[2];
        net.Forward(input, stateless);
        Assert.Equal(first, stateless);
    }

    [Fact]
    public void Two_states_are_two_independent_streams_on_one_network()
    {
        var net = new StreamGru();
        float[] a = Random<float>(10 * 2, 3), b = Random<float>(10 * 2, 4);
        var aAlone = new float[30];
        var bAlone = new float[30];
        net.ForwardSequence(a, aAlone, net.CreateState());
        net.ForwardSequence(b, bAlone, net.CreateState());

        // Interleaved step by step on two states: each stream's values are as if it were alone.
        StreamGru.State sa = net.CreateState(), sb = net.CreateState();
        var output = new float[3];
        for (int t = 0; t < 10; t++)
        {
            net.Forward(a.AsSpan(t * 2, 2), output, sa);
            Assert.Equal(aAlone.AsSpan(t * 3, 3).ToArray(), output);
            net.Forward(b.AsSpan(t * 2, 2), output, sb);
            Assert.Equal(bAlone.AsSpan(t * 3, 3).ToArray(), output);
        }
    }

    [Fact]
    public void Backward_of_one_sample_is_BackwardSequence_of_one_step_and_Loss_its_loss()
    {
        var net = new StreamLstm();
        double[] input = Random<double>(3, 5);
        double[] target = [0.25, 0.75];
        net.ZeroGradients();
        double loss = net.BackwardSequence(input, target);
        double[] expected = net.Gradients.ToArray();

        net.ZeroGradients();
        Assert.Equal(loss, net.Backward(input, target));
        Assert.Equal(expected, net.Gradients.ToArray());
        Assert.Equal(loss, net.Loss(input, target));
    }

    [Fact]
    public void TrainStep_is_ZeroGradients_Backward_and_an_SGD_step_and_leaves_Gradients_alone()
    {
        var stepped = new StreamGru();
        var reference = new StreamGru();
        float[] input = Random<float>(2, 6), target = Random<float>(3, 7);
        stepped.Gradients.Fill(42f);

        float loss = stepped.TrainStep(input, target, 0.1f);

        reference.ZeroGradients();
        Assert.Equal(reference.Backward(input, target), loss);
        Sgd.Step<float>(reference.Parameters, reference.Gradients, 0.1f);
        Assert.Equal(reference.Parameters.ToArray(), stepped.Parameters.ToArray());
        Assert.All(stepped.Gradients.ToArray(), g => Assert.Equal(42f, g));
    }

    [Fact]
    public void TrainSequence_is_ZeroGradients_BackwardSequence_and_an_SGD_step()
    {
        var trained = new StreamLstm();
        var reference = new StreamLstm();
        double[] inputs = Random<double>(12 * 3, 8);
        double[] targets = Enumerable.Range(0, 12).SelectMany(t => t % 2 == 0 ? new[] { 1.0, 0.0 } : [0.0, 1.0]).ToArray();
        trained.Gradients.Fill(3);

        double loss = trained.TrainSequence(inputs, targets, 0.05);

        reference.ZeroGradients();
        Assert.Equal(reference.BackwardSequence(inputs, targets), loss);
        Sgd.Step<double>(reference.Parameters, reference.Gradients, 0.05);
        Assert.Equal(reference.Parameters.ToArray(), trained.Parameters.ToArray());
        Assert.Equal(reference.Gradients.ToArray(), trained.Gradients.ToArray());
    }

    [Fact]
    public void BackwardSequence_adds_into_Gradients()
    {
        var net = new StreamGru();
        float[] inputs = Random<float>(5 * 2, 9), targets = Random<float>(5 * 3, 10);
        net.ZeroGradients();
        net.BackwardSequence(inputs, targets);
        float[] once = net.Gradients.ToArray();
        net.BackwardSequence(inputs, targets);

        // Each term is added to the running sum in turn, so the second pass rounds differently from doubling: equal
        // within float rounding of the sums (a few 2^-24 of the largest gradient), far from once (not added) or zero.
        float largest = once.Max(MathF.Abs);
        float[] twice = net.Gradients.ToArray();
        for (int i = 0; i < once.Length; i++)
        {
            Assert.True(MathF.Abs(twice[i] - (2 * once[i])) <= 1e-5f * largest, $"gradient {i}: {twice[i]} after two passes, {once[i]} after one");
        }
    }

    [Fact]
    public void Wrong_lengths_and_states_throw_before_anything_is_written()
    {
        var net = new StreamGru();
        float[] parameters = net.Parameters.ToArray();
        net.Gradients.Fill(5f);
        StreamGru.State state = net.CreateState();
        var output = new float[3];

        Assert.Throws<ArgumentException>("input", () => net.Forward(new float[3], output, state));
        Assert.Throws<ArgumentException>("output", () => net.Forward(new float[2], new float[2], state));
        Assert.Throws<ArgumentException>("inputs", () => net.ForwardSequence(new float[5], new float[9], state));
        Assert.Throws<ArgumentException>("outputs", () => net.ForwardSequence(new float[4], new float[5], state));
        Assert.Throws<ArgumentException>("inputs", () => net.BackwardSequence(new float[0], new float[0]));
        Assert.Throws<ArgumentException>("targets", () => net.BackwardSequence(new float[4], new float[3]));
        Assert.Throws<ArgumentException>("targets", () => net.TrainSequence(new float[4], new float[7], 0.1f));
        Assert.Throws<ArgumentNullException>("state", () => net.Forward(new float[2], output, null!));

        // A state made by another network type.
        ISequenceNetwork<float> shared = net;
        ISequenceState other = new StreamDenseFirst().CreateState();
        Assert.Throws<ArgumentException>("state", () => shared.Forward(new float[2], output, other));

        Assert.Equal(parameters, net.Parameters.ToArray());
        Assert.All(net.Gradients.ToArray(), g => Assert.Equal(5f, g));
        Assert.All(state.Values, v => Assert.Equal(0f, v));
        Assert.All(output, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void After_warm_up_nothing_allocates_for_sequences_of_one_length()
    {
        var net = new StreamGru();
        ISequenceNetwork<float> shared = net;
        float[] inputs = Random<float>(50 * 2, 11), targets = Random<float>(50 * 3, 12);
        float[] input = inputs[..2], target = targets[..3];
        var outputs = new float[150];
        var output = new float[3];
        StreamGru.State state = net.CreateState();
        ISequenceState sharedState = state;

        void All()
        {
            net.Forward(input, output, state);
            shared.Forward(input, output, sharedState);
            net.ForwardSequence(inputs, outputs, state);
            net.Forward(input, output);
            net.Loss(input, target);
            net.Backward(input, target);
            net.TrainStep(input, target, 1e-4f);
            net.TrainBatch(inputs, targets, 1e-4f);
            net.BackwardSequence(inputs, targets);
            net.TrainSequence(inputs, targets, 1e-4f);
            state.Reset();
        }

        All();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            All();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Trainer_Fit_trains_a_streaming_model_one_step_a_sample()
    {
        // Each sample is a sequence of one step from a zero state, so the GRU learns a static map: y = tanh-ish of x.
        var net = new StreamDenseFirst();
        var random = new DeterministicRandom(13);
        float[] x = Enumerable.Range(0, 256).Select(_ => (float)random.NextDouble(-1, 1)).ToArray();
        float[] y = x.Select(v => 0.5f * v).ToArray();
        var data = new Dataset<float>(x, y, 1, 1);
        float before = Mean(net, x, y);

        Trainer.Fit<StreamDenseFirst, float>(net, data, new TrainingOptions<float> { Epochs = 60, BatchSize = 16, Seed = 1, LearningRate = 0.5 });

        float after = Mean(net, x, y);
        Assert.True(after < before / 10, $"mean loss {before} before training, {after} after");
    }

    private static float Mean(INetwork<float> net, float[] x, float[] y) =>
        Enumerable.Range(0, x.Length).Average(i => net.Loss(x.AsSpan(i, 1), y.AsSpan(i, 1)));
}
