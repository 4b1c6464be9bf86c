using System;

namespace NetGen;

/// <summary>
/// A network declared with <c>CheckFinite = true</c> met a value that is NaN or infinite. Thrown before any
/// parameter or gradient is written, so the network is as it was.
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

    /// <summary>The generated member that met it: Forward, Loss, Backward or TrainStep.</summary>
    public string Member { get; }

    /// <summary>The layer, 1-based; 0 for the inputs; -1 for the loss.</summary>
    public int Layer { get; }

    /// <summary>The node within the layer (the input's index for layer 0; 0 for the loss).</summary>
    public int Node { get; }

    /// <summary>The value: NaN, or positive or negative infinity.</summary>
    public double Value { get; }

    private static string Describe(string member, int layer, int node, double value) => layer switch
    {
        0 => $"{member}: input {node} is {value}, not a finite number.",
        -1 => $"{member}: the loss is {value}, not a finite number.",
        _ => $"{member}: node {node} of layer {layer} computed {value}, not a finite number.",
    };
}
