using System;
using System.Numerics;

namespace NetGen;

public static partial class Metrics
{
    /// <summary>
    /// The mean negative log-likelihood of the actual classes under the predicted probabilities,
    /// -(1/n) Σ ln pᵢ(actualᵢ) (scikit-learn's <c>log_loss</c>, natural logarithm), after clipping as scikit-learn
    /// does.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Clipping: every probability is first clamped, in <typeparamref name="T"/>, to [ε, 1 - ε] with ε the machine
    /// epsilon of <typeparamref name="T"/> (2⁻⁵² for <c>double</c>, 2⁻²³ for <c>float</c>: scikit-learn's
    /// <c>eps="auto"</c>, the epsilon of the array's dtype), so that a certain, wrong prediction costs
    /// -ln ε (36.04 for <c>double</c>, 15.94 for <c>float</c>) instead of infinity. Then each sample's probabilities are
    /// divided by their sum, as scikit-learn 1.2 renormalises them. With one value per sample, p is the probability of
    /// class 1 and 1 - p that of class 0 (after clamping p).
    /// </para>
    /// <para>A NaN probability gives NaN. The probabilities are not otherwise checked (scikit-learn does not check them either).</para>
    /// </remarks>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="actual">The samples' true classes, each in [0, K), or 0 or 1 when K is 1.</param>
    /// <param name="probabilities">
    /// n samples of K probabilities, one sample after another, K being the length of this span over that of
    /// <paramref name="actual"/> (as scikit-learn reads K from the shape of <c>y_pred</c>): a softmax output's layout,
    /// K the number of classes; or one probability of class 1 per sample (K = 1), a sigmoid output's.
    /// </param>
    /// <returns>The log loss, 0 or more; NaN if there are no samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A class is out of range.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="probabilities"/> does not hold the same whole number (1 or more) of values for every sample.
    /// </exception>
    public static double LogLoss<T>(ReadOnlySpan<int> actual, ReadOnlySpan<T> probabilities)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = actual.Length;
        if (count == 0 ? !probabilities.IsEmpty : (probabilities.Length == 0 || probabilities.Length % count != 0))
        {
            throw new ArgumentException(
                $"The probabilities must hold the same whole number of values, 1 or more, for each of the {count} samples, but their length is {probabilities.Length}.",
                nameof(probabilities));
        }

        int outputCount = count == 0 ? 1 : probabilities.Length / count;
        ClassCounts.CheckLabels(actual, ClassCountOf(outputCount), nameof(actual));
        if (count == 0)
        {
            return double.NaN;
        }

        T epsilon = T.BitIncrement(T.One) - T.One, high = T.One - epsilon;
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += SampleLogLoss(actual[i], probabilities.Slice(i * outputCount, outputCount), epsilon, high);
        }

        return sum / count;
    }

    /// <summary>
    /// The log loss (<see cref="LogLoss{T}(ReadOnlySpan{int}, ReadOnlySpan{T})"/>, with the same clipping) of a
    /// network's outputs, each sample's actual class being its target's <see cref="ClassOf{T}"/>.
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="targets">n targets of <paramref name="outputCount"/> values (one-hot rows, or 0/1 for one output), one after another.</param>
    /// <param name="outputs">The network's n outputs, probabilities in the same layout (a softmax's, or a sigmoid's).</param>
    /// <param name="outputCount">The values per sample, 1 or more: the network's <c>OutputCount</c>.</param>
    /// <returns>The log loss, 0 or more; NaN if there are no samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputCount"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The spans differ in length, or do not hold whole samples.</exception>
    public static double LogLoss<T>(ReadOnlySpan<T> targets, ReadOnlySpan<T> outputs, int outputCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = SampleCount(targets.Length, outputs.Length, outputCount);
        if (count == 0)
        {
            return double.NaN;
        }

        T epsilon = T.BitIncrement(T.One) - T.One, high = T.One - epsilon;
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            int actual = ClassOf(targets.Slice(i * outputCount, outputCount));
            sum += SampleLogLoss(actual, outputs.Slice(i * outputCount, outputCount), epsilon, high);
        }

        return sum / count;
    }

    /// <summary>
    /// The area under the ROC curve of a binary classifier's scores (scikit-learn's <c>roc_auc_score</c> for binary
    /// targets): the probability that a random sample of class 1 scores higher than a random sample of class 0, a tie
    /// counting one half. Equal scores are given their average rank, which is what scikit-learn's trapezoids over
    /// the ROC curve amount to; the result is computed exactly from the counts and rounded once.
    /// </summary>
    /// <remarks>
    /// The positive and negative scores are sorted in a buffer of n values: <paramref name="scratch"/> when given
    /// (nothing is allocated), else a new array. Any finite or infinite scores may be given; only their order matters.
    /// </remarks>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="actual">The samples' true classes, each 0 or 1; both must occur.</param>
    /// <param name="scores">The samples' scores for class 1 (a probability, or any value that increases with it), in the same order.</param>
    /// <param name="scratch">Empty (the default) to allocate the buffer, or at least as long as <paramref name="actual"/>; its contents are overwritten.</param>
    /// <returns>The area, 0 to 1: 1 when every sample of class 1 scores above every sample of class 0, 0.5 for scores that tell nothing.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A class is neither 0 nor 1.</exception>
    /// <exception cref="ArgumentException">
    /// The spans differ in length, a score is NaN, only one class occurs (the area is not defined, as scikit-learn
    /// says too), or <paramref name="scratch"/> is neither empty nor long enough.
    /// </exception>
    public static double RocAuc<T>(ReadOnlySpan<int> actual, ReadOnlySpan<T> scores, Span<T> scratch = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Length(scores.Length, actual.Length, nameof(scores));
        ClassCounts.CheckLabels(actual, 2, nameof(actual));
        int positives = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            positives += actual[i];
        }

        Span<T> buffer = AucBuffer(scratch, actual.Length, positives, nameof(actual));
        int p = 0, n = positives;
        for (int i = 0; i < actual.Length; i++)
        {
            buffer[actual[i] == 1 ? p++ : n++] = CheckedScore(scores[i], nameof(scores));
        }

        return Auc<T>(buffer[..positives], buffer[positives..]);
    }

    /// <summary>
    /// The area under the ROC curve (<see cref="RocAuc{T}(ReadOnlySpan{int}, ReadOnlySpan{T}, Span{T})"/>) of a binary
    /// network's outputs: with one output the score is the output and the class the target's
    /// <see cref="ClassOf{T}"/> (1 for a target of at least 0.5); with two outputs the score is the second output,
    /// the probability of class 1, and the class the target's <see cref="ClassOf{T}"/>.
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="targets">n targets of <paramref name="outputCount"/> values, one after another.</param>
    /// <param name="outputs">The network's n outputs, in the same layout.</param>
    /// <param name="outputCount">The values per sample: 1 or 2.</param>
    /// <param name="scratch">Empty (the default) to allocate n values for sorting, or at least n long; its contents are overwritten.</param>
    /// <returns>The area, 0 to 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputCount"/> is neither 1 nor 2.</exception>
    /// <exception cref="ArgumentException">
    /// The spans differ in length or do not hold whole samples, a score is NaN, only one class occurs, or
    /// <paramref name="scratch"/> is neither empty nor long enough.
    /// </exception>
    public static double RocAuc<T>(ReadOnlySpan<T> targets, ReadOnlySpan<T> outputs, int outputCount, Span<T> scratch = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (outputCount is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(
                nameof(outputCount), outputCount, "The area under the ROC curve is defined here for binary classifiers: 1 or 2 outputs.");
        }

        int count = SampleCount(targets.Length, outputs.Length, outputCount);
        int positives = 0;
        for (int i = 0; i < count; i++)
        {
            positives += ClassOf(targets.Slice(i * outputCount, outputCount));
        }

        Span<T> buffer = AucBuffer(scratch, count, positives, nameof(targets));
        int p = 0, n = positives;
        for (int i = 0; i < count; i++)
        {
            T score = CheckedScore(outputs[(i * outputCount) + outputCount - 1], nameof(outputs));
            buffer[ClassOf(targets.Slice(i * outputCount, outputCount)) == 1 ? p++ : n++] = score;
        }

        return Auc<T>(buffer[..positives], buffer[positives..]);
    }

    /// <summary>One sample's -ln p(actual), after clamping to [low, high] and renormalising.</summary>
    private static double SampleLogLoss<T>(int actual, ReadOnlySpan<T> probabilities, T low, T high)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (probabilities.Length == 1)
        {
            double one = ToDouble(T.Clamp(probabilities[0], low, high)), zero = 1 - one;
            return -Math.Log((actual == 1 ? one : zero) / (zero + one));
        }

        double sum = 0;
        for (int k = 0; k < probabilities.Length; k++)
        {
            sum += ToDouble(T.Clamp(probabilities[k], low, high));
        }

        return -Math.Log(ToDouble(T.Clamp(probabilities[actual], low, high)) / sum);
    }

    private static Span<T> AucBuffer<T>(Span<T> scratch, int count, int positives, string classesName)
    {
        if (positives == 0 || positives == count)
        {
            throw new ArgumentException(
                $"Only one class occurs among the {count} samples: the area under the ROC curve is not defined.", classesName);
        }

        if (scratch.IsEmpty)
        {
            return new T[count];
        }

        if (scratch.Length < count)
        {
            throw new ArgumentException($"The scratch span must be empty or hold at least {count} values, but its length is {scratch.Length}.", nameof(scratch));
        }

        return scratch[..count];
    }

    private static T CheckedScore<T>(T score, string parameterName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (T.IsNaN(score))
        {
            throw new ArgumentException("A score is NaN, which has no place in an order.", parameterName);
        }

        return score;
    }

    /// <summary>
    /// Σ over positives of (#negatives below + ½ #negatives equal), over (#positives × #negatives): the Mann–Whitney
    /// U statistic with average ranks for ties, counted exactly in twice its value.
    /// </summary>
    private static double Auc<T>(Span<T> positives, Span<T> negatives)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        positives.Sort();
        negatives.Sort();
        long twice = 0;
        int below = 0, upTo = 0;
        foreach (T score in positives)
        {
            while (below < negatives.Length && negatives[below] < score)
            {
                below++;
            }

            if (upTo < below)
            {
                upTo = below;
            }

            while (upTo < negatives.Length && negatives[upTo] <= score)
            {
                upTo++;
            }

            twice += (2L * below) + (upTo - below);
        }

        return twice / (2.0 * positives.Length * negatives.Length);
    }
}
