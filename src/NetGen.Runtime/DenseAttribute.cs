using System;

namespace NetGen;

/// <summary>
/// One fully connected layer of the network declared by <see cref="NetworkAttribute"/> on the same class:
/// each of its <paramref name="units"/> nodes computes z = w · x (+ b) over all the previous layer's values,
/// then a = activation(z).
/// </summary>
/// <param name="units">The number of nodes, 1 or more.</param>
/// <param name="activation">The activation applied to each node. Default <see cref="Activation.Identity"/>.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DenseAttribute(int units, Activation activation = Activation.Identity) : Attribute
{
    /// <summary>The number of nodes.</summary>
    public int Units { get; } = units;

    /// <summary>The activation applied to each node.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>Whether each node adds a trainable bias. Default <c>true</c>.</summary>
    public bool Bias { get; set; } = true;
}
