using System;
using System.Numerics;

namespace NetGen;

/// <summary>Plain stochastic gradient descent over spans: p -= learningRate * g.</summary>
public static class Sgd
{
    /// <summary>
    /// Applies p[i] -= learningRate * g[i] to every parameter. Written as exactly that expression (no fused
    /// multiply-add) so that a generated TrainStep, which applies the same expression, matches it bit for bit.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length; nothing is written.</exception>
    public static void Step<T>(Span<T> parameters, ReadOnlySpan<T> gradients, T learningRate)
        where T : IFloatingPointIeee754<T>
    {
        Guard.Length(gradients.Length, parameters.Length, nameof(gradients));
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] -= learningRate * gradients[i];
        }
    }
}
