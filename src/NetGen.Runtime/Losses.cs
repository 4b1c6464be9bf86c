using System;
using System.Numerics;

namespace NetGen;

/// <summary>The losses of DESIGN §2 over one sample's outputs, and their slopes with respect to the outputs.</summary>
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

    private static void CheckPair(int outputLength, int targetLength)
    {
        if (outputLength == 0)
        {
            throw new ArgumentException("A loss needs at least one output.", "output");
        }

        Guard.Length(targetLength, outputLength, "target");
    }
}
