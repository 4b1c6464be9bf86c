using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// The losses a network trains with (<see cref="LossFunction"/>), defined as PyTorch defines them, over one sample's
/// outputs, and their slopes with respect to the outputs.
/// </summary>
public static class Losses
{
    /// <summary>Mean squared error: (1/K) sum_k (y_k - t_k)^2.</summary>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    public static T MeanSquaredError<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target)
        where T : IFloatingPointIeee754<T>
    {
        CheckPair(output.Length, target.Length);
        T sum = T.Zero;
        for (int k = 0; k < output.Length; k++)
        {
            T error = output[k] - target[k];
            sum += error * error;
        }

        return sum / T.CreateChecked(output.Length);
    }

    /// <summary>The slope of the mean squared error: dL/dy_k = 2 (y_k - t_k) / K, written into <paramref name="slope"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    public static void MeanSquaredErrorSlope<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target, Span<T> slope)
        where T : IFloatingPointIeee754<T>
    {
        CheckPair(output.Length, target.Length);
        Guard.Length(slope.Length, output.Length, nameof(slope));
        T scale = T.CreateChecked(2) / T.CreateChecked(output.Length);
        for (int k = 0; k < output.Length; k++)
        {
            slope[k] = scale * (output[k] - target[k]);
        }
    }

    /// <summary>
    /// Cross-entropy of a softmax over <paramref name="logits"/> against probability targets: -sum_k t_k ln p_k, with
    /// ln p_k = z_k - logsumexp(z) computed from the logits (PyTorch's CrossEntropyLoss with probability targets).
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    public static T CrossEntropyFromLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target)
        where T : IFloatingPointIeee754<T>
    {
        CheckPair(logits.Length, target.Length);
        T max = logits[0];
        for (int k = 1; k < logits.Length; k++)
        {
            max = T.Max(max, logits[k]);
        }

        T sum = T.Zero;
        for (int k = 0; k < logits.Length; k++)
        {
            sum += T.Exp(logits[k] - max);
        }

        T logSum = max + T.Log(sum);
        T loss = T.Zero;
        for (int k = 0; k < logits.Length; k++)
        {
            loss += target[k] * (logSum - logits[k]);
        }

        return loss;
    }

    /// <summary>
    /// Binary cross-entropy of a sigmoid over <paramref name="logits"/>: (1/K) sum_k of
    /// <see cref="BinaryCrossEntropyFromLogit{T}"/> (PyTorch's BCEWithLogitsLoss).
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    public static T BinaryCrossEntropyFromLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target)
        where T : IFloatingPointIeee754<T>
    {
        CheckPair(logits.Length, target.Length);
        T sum = T.Zero;
        for (int k = 0; k < logits.Length; k++)
        {
            sum += BinaryCrossEntropyFromLogit(logits[k], target[k]);
        }

        return sum / T.CreateChecked(logits.Length);
    }

    /// <summary>
    /// -[t ln s(z) + (1 - t) ln(1 - s(z))] for one logit z, in the stable form max(z, 0) - z t + ln(1 + e^-|z|):
    /// no exponent overflows and no logarithm of a rounded probability is taken.
    /// </summary>
    public static T BinaryCrossEntropyFromLogit<T>(T logit, T target)
        where T : IFloatingPointIeee754<T> =>
        T.Max(logit, T.Zero) - (logit * target) + LogOnePlus(T.Exp(-T.Abs(logit)));

    /// <summary>ln(1 + x) accurate for small x, where computing 1 + x first would round x away.</summary>
    private static T LogOnePlus<T>(T x)
        where T : IFloatingPointIeee754<T>
    {
        T u = T.One + x;
        // (u - 1) is x as rounded into u; scaling by x / (u - 1) corrects ln u for that rounding (Goldberg's trick).
        return u == T.One ? x : T.Log(u) * x / (u - T.One);
    }

    private static void CheckPair(int outputLength, int targetLength)
    {
        if (outputLength == 0)
        {
            throw new ArgumentException("A loss needs at least one output.", "output");
        }

        Guard.Length(targetLength, outputLength, "target");
    }
}
