using System;
using System.Globalization;
using System.IO;

namespace NetGen.Benchmarks.Comparison;

public delegate float ForwardFunc(ReadOnlySpan<float> input, Span<float> output);

public delegate float TrainStepFunc(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate);

/// <summary>
/// The check that every implementation computes the same thing: from the same parameters and the same sample,
/// the Forward outputs agree (ONNX Runtime included; on the fixed sample and on the first <see cref="FreshChecked"/>
/// samples of the fresh-input buffer), and after one TrainStep (learning rate 0.01) the losses and
/// every parameter agree, within <see cref="Tolerance"/> relative to max(1, |value|). Run in every comparison
/// benchmark's GlobalSetup and by <c>--verify</c>; throws if anything disagrees.
/// </summary>
/// <remarks>
/// The implementations sum in different orders (TensorPrimitives in SIMD lanes, ONNX Runtime in its own kernels),
/// so they agree to float rounding, not to the bit: the largest difference seen is about 1e-6 (D's 784-term sums,
/// printed by --verify), so 1e-5 leaves ten times that and is still far below any real mistake, which moves a value
/// by the size of a slope.
/// </remarks>
public static class Verification
{
    public const float Tolerance = 1e-5f;
    public const float LearningRate = 0.01f;

    /// <summary>How many samples of the fresh-input buffer the check runs through every implementation.</summary>
    public const int FreshChecked = 256;

    /// <summary>Checks one network; returns the largest scaled differences seen, as a line of text.</summary>
    public static string Check(NetworkCase c)
    {
        (float[] inputs, float[] targets) = c.Samples(1);
        INetwork<float> netgen = c.NewNetGen();
        LoopsMlp loops = c.NewLoops();
        TensorPrimitivesMlp tp = c.NewTensorPrimitives();
        using OnnxForward onnx = c.NewOnnx();
        var hand = Hand.For(c);

        // Forward.
        float[] reference = new float[c.OutputCount];
        netgen.Forward(inputs, reference);
        float forward = 0f;
        forward = Math.Max(forward, Compare(c, "Forward", "plain loops", reference, Run(loops.Forward)));
        forward = Math.Max(forward, Compare(c, "Forward", "TensorPrimitives", reference, Run(tp.Forward)));
        forward = Math.Max(forward, Compare(c, "Forward", "ONNX Runtime", reference, Run(onnx.Forward)));
        if (hand is not null)
        {
            forward = Math.Max(forward, Compare(c, "Forward", "hand-unrolled", reference, Run(hand.Forward)));
        }

        // Compiled from the ONNX file: the same code as the declaration and the same parameters, so the same bits.
        string fromFileNote = "no committed ONNX file";
        if (c.CreateFromOnnx is not null)
        {
            INetwork<float> fromOnnx = c.CreateFromOnnx();
            if (fromOnnx.Topology != netgen.Topology || !fromOnnx.Parameters.SequenceEqual(netgen.Parameters))
            {
                throw new InvalidOperationException($"Network {c.Name}: the [OnnxNetwork] of {c.OnnxFileName} is {fromOnnx.Topology} with other parameters than {netgen.Topology}; run --write-onnx again.");
            }

            float[] fromFile = new float[c.OutputCount];
            fromOnnx.Forward(inputs, fromFile);
            if (!fromFile.AsSpan().SequenceEqual(reference))
            {
                throw new InvalidOperationException($"Network {c.Name}: the network compiled from {c.OnnxFileName} does not give the declared network's outputs bit for bit.");
            }

            fromFileNote = $"compiled from {c.OnnxFileName}: the same bits";
        }

        // The fresh-input benchmarks' samples: the first FreshChecked of the buffer, through every implementation.
        (float[] fresh, _) = c.FreshSamples();
        float[] freshReference = new float[FreshChecked * c.OutputCount];
        for (int s = 0; s < FreshChecked; s++)
        {
            netgen.Forward(fresh.AsSpan(s * c.InputCount, c.InputCount), freshReference.AsSpan(s * c.OutputCount, c.OutputCount));
        }

        forward = Math.Max(forward, Compare(c, "Forward, fresh samples", "plain loops", freshReference, RunFresh(loops.Forward)));
        forward = Math.Max(forward, Compare(c, "Forward, fresh samples", "TensorPrimitives", freshReference, RunFresh(tp.Forward)));
        forward = Math.Max(forward, Compare(c, "Forward, fresh samples", "ONNX Runtime", freshReference, RunFresh(onnx.Forward)));
        if (hand is not null)
        {
            forward = Math.Max(forward, Compare(c, "Forward, fresh samples", "hand-unrolled", freshReference, RunFresh(hand.Forward)));
        }

        // ForwardBatch: 32 samples (four blocks), each as Forward computes it, to rounding.
        (float[] batch, _) = c.Samples(32);
        float[] batched = new float[32 * c.OutputCount];
        float[] single = new float[32 * c.OutputCount];
        netgen.ForwardBatch(batch, batched);
        for (int s = 0; s < 32; s++)
        {
            netgen.Forward(batch.AsSpan(s * c.InputCount, c.InputCount), single.AsSpan(s * c.OutputCount, c.OutputCount));
        }

        forward = Math.Max(forward, Compare(c, "ForwardBatch", "ForwardBatch", single, batched));

        // One TrainStep: the loss before the step and every parameter after it.
        float loss = netgen.TrainStep(inputs, targets, LearningRate);
        float[] parameters = netgen.Parameters.ToArray();
        float step = 0f;
        step = Math.Max(step, Compare(c, "TrainStep loss", "plain loops", [loss], [loops.TrainStep(inputs, targets, LearningRate)]));
        step = Math.Max(step, Compare(c, "TrainStep parameters", "plain loops", parameters, loops.Parameters.ToArray()));
        step = Math.Max(step, Compare(c, "TrainStep loss", "TensorPrimitives", [loss], [tp.TrainStep(inputs, targets, LearningRate)]));
        step = Math.Max(step, Compare(c, "TrainStep parameters", "TensorPrimitives", parameters, tp.Parameters.ToArray()));
        if (hand is not null)
        {
            step = Math.Max(step, Compare(c, "TrainStep loss", "hand-unrolled", [loss], [hand.TrainStep(inputs, targets, LearningRate)]));
            step = Math.Max(step, Compare(c, "TrainStep parameters", "hand-unrolled", parameters, hand.GetParameters()));
        }

        // The step must have moved the parameters, or the check would prove nothing.
        float[] start = c.NewNetGen().Parameters.ToArray();
        float moved = 0f;
        for (int i = 0; i < start.Length; i++)
        {
            moved = Math.Max(moved, Math.Abs(start[i] - parameters[i]));
        }

        if (moved == 0f)
        {
            throw new InvalidOperationException($"Network {c.Name}: one TrainStep did not change any parameter.");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{c.Name}: Forward outputs agree on the fixed sample and the first {FreshChecked} fresh ones (largest scaled difference {forward:G3}; {fromFileNote}); after one TrainStep losses and all {parameters.Length} parameters agree (largest {step:G3}); tolerance {Tolerance:G3}.");

        float[] Run(ForwardFunc forwardOf)
        {
            float[] output = new float[c.OutputCount];
            forwardOf(inputs, output);
            return output;
        }

        float[] RunFresh(ForwardFunc forwardOf)
        {
            float[] output = new float[FreshChecked * c.OutputCount];
            for (int s = 0; s < FreshChecked; s++)
            {
                forwardOf(fresh.AsSpan(s * c.InputCount, c.InputCount), output.AsSpan(s * c.OutputCount, c.OutputCount));
            }

            return output;
        }
    }

    /// <summary>Runs <see cref="Check"/> on every network (Dense NxN and A to D), writing one line each.</summary>
    public static void CheckAll(TextWriter log)
    {
        foreach (NetworkCase c in NetworkCase.Every)
        {
            log.WriteLine(Check(c));
        }
    }

    private static float Compare(NetworkCase c, string what, string who, float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new InvalidOperationException($"Network {c.Name}, {what}: {who} has {actual.Length} values, NetGen {expected.Length}.");
        }

        float largest = 0f;
        for (int i = 0; i < expected.Length; i++)
        {
            float scaled = Math.Abs(expected[i] - actual[i]) / Math.Max(1f, Math.Abs(expected[i]));
            if (!(scaled <= Tolerance))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Network {c.Name}, {what}: {who} gives {actual[i]:R} at [{i}], NetGen {expected[i]:R} (scaled difference {scaled:G3} > {Tolerance:G3})."));
            }

            largest = Math.Max(largest, scaled);
        }

        return largest;
    }

    /// <summary>The hand-unrolled implementation of a network, where one exists (A and B), behind one shape.</summary>
    private sealed class Hand
    {
        public required ForwardFunc Forward { get; init; }

        public required TrainStepFunc TrainStep { get; init; }

        public required Func<float[]> GetParameters { get; init; }

        public static Hand? For(NetworkCase c)
        {
            if (c == NetworkCase.A)
            {
                var a = new HandA();
                a.SetParameters(c.NewNetGen().Parameters);
                return new Hand { Forward = a.Forward, TrainStep = a.TrainStep, GetParameters = a.GetParameters };
            }

            if (c == NetworkCase.B)
            {
                var b = new HandB();
                b.SetParameters(c.NewNetGen().Parameters);
                return new Hand { Forward = b.Forward, TrainStep = b.TrainStep, GetParameters = b.GetParameters };
            }

            return null;
        }
    }
}
