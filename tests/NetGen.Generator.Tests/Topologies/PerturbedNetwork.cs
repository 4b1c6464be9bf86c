using System;
using System.Numerics;

namespace NetGen.Generator.Tests.Topologies;

/// <summary>
/// Wraps a network and adds a known error to one element of what Backward accumulates: the test that a gradient
/// check with the chosen tolerances would see a small mistake, not only a gross one.
/// </summary>
public sealed class PerturbedNetwork<T>(INetwork<T> inner, int index, T error) : INetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public int InputCount => inner.InputCount;

    public int OutputCount => inner.OutputCount;

    public string Topology => inner.Topology;

    public Span<T> Parameters => inner.Parameters;

    public Span<T> Gradients => inner.Gradients;

    public void Forward(ReadOnlySpan<T> input, Span<T> output) => inner.Forward(input, output);

    public T Loss(ReadOnlySpan<T> input, ReadOnlySpan<T> target) => inner.Loss(input, target);

    public T Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> target)
    {
        T loss = inner.Backward(input, target);
        inner.Gradients[index] += error;
        return loss;
    }

    public void ZeroGradients() => inner.ZeroGradients();

    public T TrainStep(ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate) => inner.TrainStep(input, target, learningRate);

    public T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, T learningRate) => inner.TrainBatch(inputs, targets, learningRate);

    public void InitializeParameters(int seed) => inner.InitializeParameters(seed);
}
