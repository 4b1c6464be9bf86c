using System;

namespace NetGen;

/// <summary>
/// A network declared with <c>CheckFinite = true</c> met a value that is NaN or infinite. Thrown before any
/// parameter or gradient is written, so the network is as it was (TrainBatch included: it adds its samples' slopes
/// in a buffer of its own and copies them into Gradients only once every sample has passed). ForwardBatch has
/// written the outputs of the samples before the one named.
/// </summary>
public sealed class NonFiniteValueException : ArithmeticException
{
    /// <summary>Creates the exception for a value of layer <paramref name="layer"/> (0 for the inputs) and node <paramref name="node"/>.</summary>
    public NonFiniteValueException(string member, int layer, int node, double value)
        : base(Describe(member, layer, node, value))
    {
        Member = member;
        Layer = layer;
        Node = node;
        Value = value;
    }

    /// <summary>
    /// Creates the exception for a value that sample <paramref name="sample"/> of a batch met, in a member that runs
    /// its samples one by one (ForwardBatch, TrainBatch): <paramref name="inner"/> is the per-sample member's.
    /// </summary>
    public NonFiniteValueException(string member, int sample, NonFiniteValueException inner)
        : base(DescribeSample(member, sample, inner), inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Member = member;
        Sample = sample;
        Layer = inner.Layer;
        Node = inner.Node;
        Value = inner.Value;
    }

    /// <summary>The generated member that met it: Forward, ForwardBatch, Loss, Backward, TrainStep or TrainBatch.</summary>
    public string Member { get; }

    /// <summary>For ForwardBatch and TrainBatch, the sample of the batch (0-based) that met it; else -1.</summary>
    public int Sample { get; } = -1;

    /// <summary>The layer, 1-based; 0 for the inputs; -1 for the loss.</summary>
    public int Layer { get; }

    /// <summary>The node within the layer (the input's index for layer 0; 0 for the loss).</summary>
    public int Node { get; }

    /// <summary>The value: NaN, or positive or negative infinity.</summary>
    public double Value { get; }

    private static string DescribeSample(string member, int sample, NonFiniteValueException? inner) =>
        inner is null ? member : $"{member}, sample {sample}: {Describe(inner.Layer, inner.Node, inner.Value)}";

    private static string Describe(string member, int layer, int node, double value) => $"{member}: {Describe(layer, node, value)}";

    private static string Describe(int layer, int node, double value) => layer switch
    {
        0 => $"input {node} is {value}, not a finite number.",
        -1 => $"the loss is {value}, not a finite number.",
        _ => $"node {node} of layer {layer} computed {value}, not a finite number.",
    };
}
