using System;
using System.Numerics;

namespace NetGen;

public static partial class Metrics
{
    /// <summary>
    /// The mean of the squared differences, (1/N) Σ (targetᵢ - predictionᵢ)², over all N values (scikit-learn's
    /// <c>mean_squared_error</c>; over several outputs the mean of all values is also the mean of the outputs' own,
    /// its default <c>uniform_average</c>).
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="targets">The true values.</param>
    /// <param name="predictions">The predicted values, in the same order.</param>
    /// <returns>The mean squared error; NaN if there are no values, or a value is NaN.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double MeanSquaredError<T>(ReadOnlySpan<T> targets, ReadOnlySpan<T> predictions)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Length(predictions.Length, targets.Length, nameof(predictions));
        if (targets.IsEmpty)
        {
            return double.NaN;
        }

        double sum = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            double d = ToDouble(targets[i]) - ToDouble(predictions[i]);
            sum += d * d;
        }

        return sum / targets.Length;
    }

    /// <summary>
    /// The square root of the mean squared error, taken per output and averaged over the outputs: with one output
    /// √((1/n) Σ (targetᵢ - predictionᵢ)²) (scikit-learn's <c>mean_squared_error(squared=False)</c>, now
    /// <c>root_mean_squared_error</c>, with its default <c>uniform_average</c>).
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="targets">The true values: n samples of <paramref name="outputCount"/> values, one sample after another.</param>
    /// <param name="predictions">The predicted values, in the same layout.</param>
    /// <param name="outputCount">The values per sample, 1 or more. Default 1.</param>
    /// <returns>The root mean squared error; NaN if there are no samples, or a value is NaN.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputCount"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The spans differ in length, or do not hold whole samples.</exception>
    public static double RootMeanSquaredError<T>(ReadOnlySpan<T> targets, ReadOnlySpan<T> predictions, int outputCount = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = SampleCount(targets.Length, outputCount, nameof(targets));
        Guard.Length(predictions.Length, targets.Length, nameof(predictions));
        if (count == 0)
        {
            return double.NaN;
        }

        double total = 0;
        for (int k = 0; k < outputCount; k++)
        {
            double sum = 0;
            for (int i = k; i < targets.Length; i += outputCount)
            {
                double d = ToDouble(targets[i]) - ToDouble(predictions[i]);
                sum += d * d;
            }

            total += Math.Sqrt(sum / count);
        }

        return total / outputCount;
    }

    /// <summary>
    /// The mean of the absolute differences, (1/N) Σ |targetᵢ - predictionᵢ|, over all N values (scikit-learn's
    /// <c>mean_absolute_error</c>; as for <see cref="MeanSquaredError"/>, also the mean over outputs).
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="targets">The true values.</param>
    /// <param name="predictions">The predicted values, in the same order.</param>
    /// <returns>The mean absolute error; NaN if there are no values, or a value is NaN.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double MeanAbsoluteError<T>(ReadOnlySpan<T> targets, ReadOnlySpan<T> predictions)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Length(predictions.Length, targets.Length, nameof(predictions));
        if (targets.IsEmpty)
        {
            return double.NaN;
        }

        double sum = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            sum += Math.Abs(ToDouble(targets[i]) - ToDouble(predictions[i]));
        }

        return sum / targets.Length;
    }

    /// <summary>
    /// The coefficient of determination, R² = 1 - Σ (targetᵢ - predictionᵢ)² / Σ (targetᵢ - mean)², per output and
    /// averaged over the outputs (scikit-learn's <c>r2_score</c> with its defaults, <c>uniform_average</c> and
    /// <c>force_finite=True</c>). 1 is a perfect fit, 0 is no better than predicting the mean, and it is negative
    /// when worse than that.
    /// </summary>
    /// <remarks>
    /// As in scikit-learn, an output whose targets are all equal (so that the denominator is 0) scores 1 when every
    /// prediction of it is exact and 0 otherwise, rather than NaN or -∞; and with fewer than two samples R² is not
    /// defined and the result is NaN.
    /// </remarks>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="targets">The true values: n samples of <paramref name="outputCount"/> values, one sample after another.</param>
    /// <param name="predictions">The predicted values, in the same layout.</param>
    /// <param name="outputCount">The values per sample, 1 or more. Default 1.</param>
    /// <returns>R², at most 1; NaN with fewer than two samples, or if a value is NaN.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputCount"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The spans differ in length, or do not hold whole samples.</exception>
    public static double RSquared<T>(ReadOnlySpan<T> targets, ReadOnlySpan<T> predictions, int outputCount = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = SampleCount(targets.Length, outputCount, nameof(targets));
        Guard.Length(predictions.Length, targets.Length, nameof(predictions));
        if (count < 2)
        {
            return double.NaN;
        }

        double total = 0;
        for (int k = 0; k < outputCount; k++)
        {
            double sum = 0;
            bool constant = true;
            T first = targets[k];
            for (int i = k; i < targets.Length; i += outputCount)
            {
                sum += ToDouble(targets[i]);
                constant &= targets[i] == first;
            }

            double mean = sum / count, residual = 0, spread = 0;
            for (int i = k; i < targets.Length; i += outputCount)
            {
                double t = ToDouble(targets[i]), d = t - ToDouble(predictions[i]), s = t - mean;
                residual += d * d;
                spread += s * s;
            }

            // All targets equal: the spread is 0 by definition, whatever the rounding of the mean.
            if (constant)
            {
                spread = 0;
            }

            total += double.IsNaN(residual) ? double.NaN : residual == 0 ? 1 : spread == 0 ? 0 : 1 - (residual / spread);
        }

        return total / outputCount;
    }
}
