using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// The usual measures of a model's predictions, each defined as scikit-learn's <c>sklearn.metrics</c> function of
/// the same name defines it (and tested against scikit-learn's values): regression (<see cref="MeanSquaredError"/>,
/// <see cref="RootMeanSquaredError"/>, <see cref="MeanAbsoluteError"/>, <see cref="RSquared"/>), classification from
/// class indices (<see cref="Accuracy(ReadOnlySpan{int}, ReadOnlySpan{int})"/>, <see cref="BalancedAccuracy"/>,
/// <see cref="Precision(ReadOnlySpan{int}, ReadOnlySpan{int}, int, int)"/>, <see cref="Recall(ReadOnlySpan{int}, ReadOnlySpan{int}, int, int)"/>,
/// <see cref="F1(ReadOnlySpan{int}, ReadOnlySpan{int}, int, int)"/>, and <see cref="ConfusionMatrix"/>), and from
/// probabilities (<see cref="LogLoss{T}(ReadOnlySpan{int}, ReadOnlySpan{T})"/>,
/// <see cref="RocAuc{T}(ReadOnlySpan{int}, ReadOnlySpan{T}, Span{T})"/>).
/// </summary>
/// <remarks>
/// <para>
/// Arguments come in scikit-learn's order: the truth first (<c>targets</c>, <c>actual</c>), then the model's
/// (<c>predictions</c>, <c>predicted</c>, <c>outputs</c>). Values of many outputs or classes are laid out as the
/// rest of the library lays them out: n samples of K values, one sample after another, as in
/// <see cref="Dataset{T}.Targets"/> and as <see cref="INetwork{T}.Forward"/> writes them one sample at a time.
/// Overloads that take a network's targets and outputs (<c>outputCount</c> values per sample) find each sample's
/// class with <see cref="ClassOf{T}"/>.
/// </para>
/// <para>
/// Every result is a <see cref="double"/>, computed in double precision whether <c>T</c> is <c>float</c> or
/// <c>double</c>. Where scikit-learn warns that a ratio is 0/0 (a class never predicted has no precision), the value
/// is 0, as scikit-learn's <c>zero_division=0</c> makes it. With no samples at all every measure is NaN. Nothing
/// allocates, except where a member says so.
/// </para>
/// </remarks>
public static partial class Metrics
{
    /// <summary>
    /// The class of one sample's target or output: with one value, 1 when it is at least 0.5 and 0 otherwise (a
    /// sigmoid output, a 0/1 target); with several, the index of the largest (<see cref="OneHot.Decode{T}"/>: the
    /// first on a tie, never a NaN). This is the rule <see cref="Trainer.IsCorrect{T}"/> compares by.
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="values">One sample's values.</param>
    /// <returns>The class index.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static int ClassOf<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.Length == 1)
        {
            return values[0] >= T.CreateChecked(0.5) ? 1 : 0;
        }

        return OneHot.Decode(values);
    }

    /// <summary>Writes the class (<see cref="ClassOf{T}"/>) of every sample of <paramref name="values"/> into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="values">n samples of <paramref name="outputCount"/> values, one sample after another.</param>
    /// <param name="outputCount">The values per sample, 1 or more.</param>
    /// <param name="destination">Receives n class indices.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputCount"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="values"/> is not a whole number of samples, or <paramref name="destination"/> does not have
    /// one element per sample.
    /// </exception>
    public static void ClassesOf<T>(ReadOnlySpan<T> values, int outputCount, Span<int> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = SampleCount(values.Length, outputCount, nameof(values));
        Guard.Length(destination.Length, count, nameof(destination));
        for (int i = 0; i < count; i++)
        {
            destination[i] = ClassOf(values.Slice(i * outputCount, outputCount));
        }
    }

    /// <summary>The class (<see cref="ClassOf{T}"/>) of every sample of <paramref name="values"/>, in a new array.</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="values">n samples of <paramref name="outputCount"/> values, one sample after another.</param>
    /// <param name="outputCount">The values per sample, 1 or more.</param>
    /// <returns>n class indices.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputCount"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> is not a whole number of samples.</exception>
    public static int[] ClassesOf<T>(ReadOnlySpan<T> values, int outputCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var classes = new int[SampleCount(values.Length, outputCount, nameof(values))];
        ClassesOf(values, outputCount, classes);
        return classes;
    }

    /// <summary>The number of samples of <paramref name="outputCount"/> values in <paramref name="length"/> values.</summary>
    private static int SampleCount(int length, int outputCount, string parameterName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        if (length % outputCount != 0)
        {
            throw new ArgumentException(
                $"The values must hold whole samples of {outputCount} values each, but their length is {length}.", parameterName);
        }

        return length / outputCount;
    }

    /// <summary>The number of samples in targets and outputs of <paramref name="outputCount"/> values each.</summary>
    internal static int SampleCount(int targetLength, int outputLength, int outputCount)
    {
        int count = SampleCount(targetLength, outputCount, "targets");
        Guard.Length(outputLength, targetLength, "outputs");
        return count;
    }

    /// <summary>The classes a network of <paramref name="outputCount"/> outputs tells apart: 2 for one output.</summary>
    private static int ClassCountOf(int outputCount) => outputCount == 1 ? 2 : outputCount;

    private static double ToDouble<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T> => double.CreateChecked(value);
}
