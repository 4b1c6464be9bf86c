using System;
using System.Numerics;

namespace NetGen.Generator.Tests.Topologies;

/// <summary>
/// A streaming model seen as a network whose one sample is a whole sequence, so that <see cref="GradientCheck"/> can
/// difference BackwardSequence: Loss is BackwardSequence's loss (from a zero state, the mean over the steps), and
/// Backward adds BackwardSequence's gradient into a buffer of this wrapper's own. The wrapped network's Gradients
/// serve as scratch (every Loss call adds into them), so they never disturb the gradient being checked.
/// </summary>
public sealed class WholeSequence<T>(ISequenceNetwork<T> inner, int steps) : INetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _gradients = new T[inner.Parameters.Length];

    public int InputCount => steps * inner.InputCount;

    public int OutputCount => steps * inner.OutputCount;

    public string Topology => inner.Topology;

    public Span<T> Parameters => inner.Parameters;

    public Span<T> Gradients => _gradients;

    public void Forward(ReadOnlySpan<T> input, Span<T> output) => inner.ForwardSequence(input, output, inner.CreateState());

    public T Loss(ReadOnlySpan<T> input, ReadOnlySpan<T> target) => inner.BackwardSequence(input, target);

    public T Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> target)
    {
        inner.ZeroGradients();
        T loss = inner.BackwardSequence(input, target);
        ReadOnlySpan<T> slopes = inner.Gradients;
        for (int i = 0; i < _gradients.Length; i++)
        {
            _gradients[i] += slopes[i];
        }

        return loss;
    }

    public void ZeroGradients() => Array.Clear(_gradients);

    public T TrainStep(ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate) => throw new NotSupportedException();

    public T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, T learningRate) => throw new NotSupportedException();

    public void InitializeParameters(int seed) => inner.InitializeParameters(seed);
}
