using System;
using System.Numerics;

namespace NetGen;

public static partial class Metrics
{
    /// <summary>The share of samples whose predicted class is the actual one (scikit-learn's <c>accuracy_score</c>).</summary>
    /// <param name="actual">The samples' true classes.</param>
    /// <param name="predicted">The predicted classes, in the same order.</param>
    /// <returns>The accuracy, 0 to 1; NaN if there are no samples.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double Accuracy(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted)
    {
        Guard.Length(predicted.Length, actual.Length, nameof(predicted));
        if (actual.IsEmpty)
        {
            return double.NaN;
        }

        int correct = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            if (actual[i] == predicted[i])
            {
                correct++;
            }
        }

        return (double)correct / actual.Length;
    }

    /// <summary>
    /// The share of samples whose output's class is the target's, both found by <see cref="ClassOf{T}"/>: what
    /// <see cref="Trainer.Evaluate{TNet, T}(TNet, Dataset{T})"/> reports as the accuracy of a classifier.
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="targets">n targets of <paramref name="outputCount"/> values (one-hot rows, or 0/1 for one output), one after another.</param>
    /// <param name="outputs">The network's n outputs, in the same layout.</param>
    /// <param name="outputCount">The values per sample, 1 or more: the network's <c>OutputCount</c>.</param>
    /// <returns>The accuracy, 0 to 1; NaN if there are no samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputCount"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The spans differ in length, or do not hold whole samples.</exception>
    public static double Accuracy<T>(ReadOnlySpan<T> targets, ReadOnlySpan<T> outputs, int outputCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = SampleCount(targets.Length, outputs.Length, outputCount);
        if (count == 0)
        {
            return double.NaN;
        }

        int correct = 0;
        for (int i = 0; i < count; i++)
        {
            if (ClassOf(targets.Slice(i * outputCount, outputCount)) == ClassOf(outputs.Slice(i * outputCount, outputCount)))
            {
                correct++;
            }
        }

        return (double)correct / count;
    }

    /// <summary>
    /// The mean over the classes of each class's recall (the share of its samples predicted as it), over the
    /// classes that occur among the actual classes (scikit-learn's <c>balanced_accuracy_score</c>, not adjusted).
    /// Unlike the accuracy, it does not reward predicting the commonest class.
    /// </summary>
    /// <param name="actual">The samples' true classes, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="predicted">The predicted classes, in the same order and range.</param>
    /// <param name="classCount">The number of classes, 1 or more. Up to 128 classes nothing is allocated.</param>
    /// <returns>The balanced accuracy, 0 to 1; NaN if there are no samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is less than 1, or a class is out of range.</exception>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double BalancedAccuracy(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount)
    {
        CheckClasses(actual, predicted, classCount);
        Span<int> counts = classCount <= ClassCounts.StackClasses ? stackalloc int[3 * ClassCounts.StackClasses] : new int[3 * classCount];
        counts = counts[..(3 * classCount)];
        counts.Clear();
        ClassCounts.Add(actual, predicted, classCount, counts);
        return ClassCounts.BalancedAccuracy(counts, classCount);
    }

    /// <summary>
    /// The precision of one class: of the samples predicted as <paramref name="classIndex"/>, the share that are
    /// (scikit-learn's <c>precision_score</c> with <c>average=None</c>, one entry). 0 when the class is never
    /// predicted (<c>zero_division=0</c>).
    /// </summary>
    /// <param name="actual">The samples' true classes, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="predicted">The predicted classes, in the same order and range.</param>
    /// <param name="classCount">The number of classes, 1 or more.</param>
    /// <param name="classIndex">The class, in [0, <paramref name="classCount"/>).</param>
    /// <returns>The precision, 0 to 1; NaN if there are no samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="classCount"/> is less than 1, or <paramref name="classIndex"/> or a class is out of range.
    /// </exception>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double Precision(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount, int classIndex) =>
        OneClass(actual, predicted, classCount, classIndex, ClassCounts.Measure.Precision);

    /// <summary>
    /// The precision (the share of a class's predictions that are right) averaged over the classes as
    /// <paramref name="average"/> says (scikit-learn's <c>precision_score</c> with that <c>average</c> and
    /// <c>zero_division=0</c>).
    /// </summary>
    /// <param name="actual">The samples' true classes, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="predicted">The predicted classes, in the same order and range.</param>
    /// <param name="classCount">The number of classes, 1 or more. Up to 128 classes nothing is allocated.</param>
    /// <param name="average">How to combine the classes: over those that occur among the actual or predicted classes.</param>
    /// <returns>The averaged precision, 0 to 1; NaN if there are no samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="classCount"/> is less than 1, a class is out of range, or <paramref name="average"/> is not a member of <see cref="MetricAverage"/>.
    /// </exception>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double Precision(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount, MetricAverage average) =>
        Averaged(actual, predicted, classCount, average, ClassCounts.Measure.Precision);

    /// <summary>
    /// The recall of one class: of the samples actually of <paramref name="classIndex"/>, the share predicted as it
    /// (scikit-learn's <c>recall_score</c> with <c>average=None</c>, one entry). 0 when no sample is of the class
    /// (<c>zero_division=0</c>).
    /// </summary>
    /// <param name="actual">The samples' true classes, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="predicted">The predicted classes, in the same order and range.</param>
    /// <param name="classCount">The number of classes, 1 or more.</param>
    /// <param name="classIndex">The class, in [0, <paramref name="classCount"/>).</param>
    /// <returns>The recall, 0 to 1; NaN if there are no samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="classCount"/> is less than 1, or <paramref name="classIndex"/> or a class is out of range.
    /// </exception>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double Recall(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount, int classIndex) =>
        OneClass(actual, predicted, classCount, classIndex, ClassCounts.Measure.Recall);

    /// <summary>
    /// The recall (the share of a class's samples predicted as it) averaged over the classes as
    /// <paramref name="average"/> says (scikit-learn's <c>recall_score</c> with that <c>average</c> and
    /// <c>zero_division=0</c>). Its macro average is the <see cref="BalancedAccuracy"/> when no class is predicted
    /// that never occurs.
    /// </summary>
    /// <param name="actual">The samples' true classes, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="predicted">The predicted classes, in the same order and range.</param>
    /// <param name="classCount">The number of classes, 1 or more. Up to 128 classes nothing is allocated.</param>
    /// <param name="average">How to combine the classes: over those that occur among the actual or predicted classes.</param>
    /// <returns>The averaged recall, 0 to 1; NaN if there are no samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="classCount"/> is less than 1, a class is out of range, or <paramref name="average"/> is not a member of <see cref="MetricAverage"/>.
    /// </exception>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double Recall(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount, MetricAverage average) =>
        Averaged(actual, predicted, classCount, average, ClassCounts.Measure.Recall);

    /// <summary>
    /// The F1 score of one class, the harmonic mean of its precision and recall, computed from the counts as
    /// 2 tp / (2 tp + fp + fn) (scikit-learn's <c>f1_score</c> with <c>average=None</c>, one entry). 0 when the class
    /// is neither predicted nor present (<c>zero_division=0</c>).
    /// </summary>
    /// <param name="actual">The samples' true classes, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="predicted">The predicted classes, in the same order and range.</param>
    /// <param name="classCount">The number of classes, 1 or more.</param>
    /// <param name="classIndex">The class, in [0, <paramref name="classCount"/>).</param>
    /// <returns>The F1 score, 0 to 1; NaN if there are no samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="classCount"/> is less than 1, or <paramref name="classIndex"/> or a class is out of range.
    /// </exception>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double F1(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount, int classIndex) =>
        OneClass(actual, predicted, classCount, classIndex, ClassCounts.Measure.F1);

    /// <summary>
    /// The F1 score averaged over the classes as <paramref name="average"/> says (scikit-learn's <c>f1_score</c>
    /// with that <c>average</c> and <c>zero_division=0</c>): the macro average is the mean of the classes' F1 scores,
    /// not the F1 of the macro precision and recall.
    /// </summary>
    /// <param name="actual">The samples' true classes, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="predicted">The predicted classes, in the same order and range.</param>
    /// <param name="classCount">The number of classes, 1 or more. Up to 128 classes nothing is allocated.</param>
    /// <param name="average">How to combine the classes: over those that occur among the actual or predicted classes.</param>
    /// <returns>The averaged F1 score, 0 to 1; NaN if there are no samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="classCount"/> is less than 1, a class is out of range, or <paramref name="average"/> is not a member of <see cref="MetricAverage"/>.
    /// </exception>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static double F1(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount, MetricAverage average) =>
        Averaged(actual, predicted, classCount, average, ClassCounts.Measure.F1);

    private static double OneClass(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount, int classIndex, ClassCounts.Measure measure)
    {
        CheckClasses(actual, predicted, classCount);
        if ((uint)classIndex >= (uint)classCount)
        {
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"The class must be in [0, {classCount}).");
        }

        if (actual.IsEmpty)
        {
            return double.NaN;
        }

        // One class needs three counts, not 3 × classCount.
        Span<int> counts = stackalloc int[3];
        counts.Clear();
        for (int i = 0; i < actual.Length; i++)
        {
            bool isActual = actual[i] == classIndex, isPredicted = predicted[i] == classIndex;
            counts[0] += isActual && isPredicted ? 1 : 0;
            counts[1] += isActual ? 1 : 0;
            counts[2] += isPredicted ? 1 : 0;
        }

        return ClassCounts.Of(counts, 1, 0, measure);
    }

    private static double Averaged(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount, MetricAverage average, ClassCounts.Measure measure)
    {
        CheckClasses(actual, predicted, classCount);
        ClassCounts.CheckAverage(average);
        Span<int> counts = classCount <= ClassCounts.StackClasses ? stackalloc int[3 * ClassCounts.StackClasses] : new int[3 * classCount];
        counts = counts[..(3 * classCount)];
        counts.Clear();
        ClassCounts.Add(actual, predicted, classCount, counts);
        return ClassCounts.Average(counts, classCount, measure, average);
    }

    private static void CheckClasses(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, Array.MaxLength / 3);
        Guard.Length(predicted.Length, actual.Length, nameof(predicted));
        ClassCounts.CheckLabels(actual, classCount, nameof(actual));
        ClassCounts.CheckLabels(predicted, classCount, nameof(predicted));
    }
}
