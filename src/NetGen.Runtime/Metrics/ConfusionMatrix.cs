using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace NetGen;

/// <summary>
/// How often each actual class was predicted as each class: row = actual class, column = predicted class
/// (scikit-learn's <c>confusion_matrix</c> with every class listed), and the per-class and averaged measures read
/// from it, with the same definitions as <see cref="Metrics"/>.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> lays the matrix out as a table with aligned columns, headed by the class names:
/// <code>
/// actual \ predicted  setosa  versicolor  virginica
/// setosa                  50           0          0
/// versicolor               0          47          3
/// virginica                0           2         48
/// </code>
/// </remarks>
public sealed class ConfusionMatrix
{
    private const string Corner = "actual \\ predicted";

    private readonly int[] _counts;
    private readonly int[] _classCounts;
    private readonly string[] _labels;

    /// <summary>Counts the samples' actual and predicted classes.</summary>
    /// <param name="actual">The samples' true classes, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="predicted">The predicted classes, in the same order and range.</param>
    /// <param name="classCount">The number of classes, 1 or more: the matrix is <paramref name="classCount"/> × <paramref name="classCount"/>.</param>
    /// <param name="labels">
    /// The classes' names for <see cref="ToString"/>, <paramref name="classCount"/> of them, or <see langword="null"/>
    /// (the default) for their numbers 0, 1, ...
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is less than 1, or a class is out of range.</exception>
    /// <exception cref="ArgumentException">The spans differ in length, or the labels are not one per class or one is <see langword="null"/>.</exception>
    public ConfusionMatrix(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount, IReadOnlyList<string>? labels = null)
        : this(classCount, labels)
    {
        Guard.Length(predicted.Length, actual.Length, nameof(predicted));
        ClassCounts.CheckLabels(actual, classCount, nameof(actual));
        ClassCounts.CheckLabels(predicted, classCount, nameof(predicted));
        for (int i = 0; i < actual.Length; i++)
        {
            _counts[(actual[i] * classCount) + predicted[i]]++;
        }

        Count = actual.Length;
        ClassCounts.FromMatrix(_counts, classCount, _classCounts);
    }

    private ConfusionMatrix(int classCount, IReadOnlyList<string>? labels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, 46_340); // classCount² fits an array
        _labels = new string[classCount];
        if (labels is null)
        {
            for (int k = 0; k < classCount; k++)
            {
                _labels[k] = k.ToString(CultureInfo.InvariantCulture);
            }
        }
        else
        {
            if (labels.Count != classCount)
            {
                throw new ArgumentException($"There must be one label per class, {classCount}, but there are {labels.Count}.", nameof(labels));
            }

            for (int k = 0; k < classCount; k++)
            {
                _labels[k] = labels[k] ?? throw new ArgumentException($"Label {k} is null.", nameof(labels));
            }
        }

        ClassCount = classCount;
        _counts = new int[classCount * classCount];
        _classCounts = new int[3 * classCount];
    }

    /// <summary>The number of classes: rows and columns.</summary>
    public int ClassCount { get; }

    /// <summary>The number of samples counted: the sum of all cells.</summary>
    public int Count { get; private set; }

    /// <summary>The classes' names, as given or 0, 1, ...: the headings of <see cref="ToString"/>.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>The number of samples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    /// <param name="actual">The row: the actual class.</param>
    /// <param name="predicted">The column: the predicted class.</param>
    /// <exception cref="ArgumentOutOfRangeException">A class is not in [0, <see cref="ClassCount"/>).</exception>
    public int this[int actual, int predicted]
    {
        get
        {
            CheckClass(actual, nameof(actual));
            CheckClass(predicted, nameof(predicted));
            return _counts[(actual * ClassCount) + predicted];
        }
    }

    /// <summary>The share of samples on the diagonal (<see cref="Metrics.Accuracy(ReadOnlySpan{int}, ReadOnlySpan{int})"/>); NaN without samples.</summary>
    public double Accuracy => ClassCounts.Accuracy(_classCounts, ClassCount);

    /// <summary>The mean recall over the classes that occur (<see cref="Metrics.BalancedAccuracy"/>); NaN without samples.</summary>
    public double BalancedAccuracy => ClassCounts.BalancedAccuracy(_classCounts, ClassCount);

    /// <summary>
    /// Counts the classes of a network's outputs against those of its targets, both found by
    /// <see cref="Metrics.ClassOf{T}"/>. A network with one output tells two classes apart (0 below 0.5, 1 from 0.5).
    /// Allocates only the matrix.
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="targets">n targets of <paramref name="outputCount"/> values (one-hot rows, or 0/1 for one output), one after another.</param>
    /// <param name="outputs">The network's n outputs, in the same layout.</param>
    /// <param name="outputCount">The values per sample, 1 or more: the network's <c>OutputCount</c>.</param>
    /// <param name="labels">The classes' names (2 for one output), or <see langword="null"/> for their numbers.</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputCount"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">
    /// The spans differ in length or do not hold whole samples, or the labels are not one per class.
    /// </exception>
    public static ConfusionMatrix FromOutputs<T>(ReadOnlySpan<T> targets, ReadOnlySpan<T> outputs, int outputCount, IReadOnlyList<string>? labels = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        int classCount = outputCount == 1 ? 2 : outputCount;
        var matrix = new ConfusionMatrix(classCount, labels);
        int count = Metrics.SampleCount(targets.Length, outputs.Length, outputCount);
        for (int i = 0; i < count; i++)
        {
            int a = Metrics.ClassOf(targets.Slice(i * outputCount, outputCount));
            int p = Metrics.ClassOf(outputs.Slice(i * outputCount, outputCount));
            matrix._counts[(a * classCount) + p]++;
        }

        matrix.Count = count;
        ClassCounts.FromMatrix(matrix._counts, classCount, matrix._classCounts);
        return matrix;
    }

    /// <summary>The number of samples actually of class <paramref name="classIndex"/> (its support): the sum of its row.</summary>
    /// <param name="classIndex">The class.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is not in [0, <see cref="ClassCount"/>).</exception>
    public int ActualCount(int classIndex)
    {
        CheckClass(classIndex, nameof(classIndex));
        return _classCounts[ClassCount + classIndex];
    }

    /// <summary>The number of samples predicted as class <paramref name="classIndex"/>: the sum of its column.</summary>
    /// <param name="classIndex">The class.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is not in [0, <see cref="ClassCount"/>).</exception>
    public int PredictedCount(int classIndex)
    {
        CheckClass(classIndex, nameof(classIndex));
        return _classCounts[(2 * ClassCount) + classIndex];
    }

    /// <summary>The precision of one class (<see cref="Metrics.Precision(ReadOnlySpan{int}, ReadOnlySpan{int}, int, int)"/>): 0 if it is never predicted.</summary>
    /// <param name="classIndex">The class.</param>
    /// <returns>The precision, 0 to 1; NaN without samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is not in [0, <see cref="ClassCount"/>).</exception>
    public double Precision(int classIndex) => OneClass(classIndex, ClassCounts.Measure.Precision);

    /// <summary>The averaged precision (<see cref="Metrics.Precision(ReadOnlySpan{int}, ReadOnlySpan{int}, int, MetricAverage)"/>).</summary>
    /// <param name="average">How to combine the classes that occur.</param>
    /// <returns>The averaged precision, 0 to 1; NaN without samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="average"/> is not a member of <see cref="MetricAverage"/>.</exception>
    public double Precision(MetricAverage average) => Averaged(average, ClassCounts.Measure.Precision);

    /// <summary>The recall of one class (<see cref="Metrics.Recall(ReadOnlySpan{int}, ReadOnlySpan{int}, int, int)"/>): 0 if it never occurs.</summary>
    /// <param name="classIndex">The class.</param>
    /// <returns>The recall, 0 to 1; NaN without samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is not in [0, <see cref="ClassCount"/>).</exception>
    public double Recall(int classIndex) => OneClass(classIndex, ClassCounts.Measure.Recall);

    /// <summary>The averaged recall (<see cref="Metrics.Recall(ReadOnlySpan{int}, ReadOnlySpan{int}, int, MetricAverage)"/>).</summary>
    /// <param name="average">How to combine the classes that occur.</param>
    /// <returns>The averaged recall, 0 to 1; NaN without samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="average"/> is not a member of <see cref="MetricAverage"/>.</exception>
    public double Recall(MetricAverage average) => Averaged(average, ClassCounts.Measure.Recall);

    /// <summary>The F1 score of one class (<see cref="Metrics.F1(ReadOnlySpan{int}, ReadOnlySpan{int}, int, int)"/>).</summary>
    /// <param name="classIndex">The class.</param>
    /// <returns>The F1 score, 0 to 1; NaN without samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is not in [0, <see cref="ClassCount"/>).</exception>
    public double F1(int classIndex) => OneClass(classIndex, ClassCounts.Measure.F1);

    /// <summary>The averaged F1 score (<see cref="Metrics.F1(ReadOnlySpan{int}, ReadOnlySpan{int}, int, MetricAverage)"/>).</summary>
    /// <param name="average">How to combine the classes that occur.</param>
    /// <returns>The averaged F1 score, 0 to 1; NaN without samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="average"/> is not a member of <see cref="MetricAverage"/>.</exception>
    public double F1(MetricAverage average) => Averaged(average, ClassCounts.Measure.F1);

    /// <summary>
    /// The matrix as a table: a heading row of the predicted classes' <see cref="Labels"/> after the corner
    /// <c>actual \ predicted</c>, then one row per actual class, its label first; the labels of the first column
    /// left-aligned, counts and column headings right-aligned, columns two spaces apart, lines ended by <c>\n</c>
    /// but the last.
    /// </summary>
    /// <returns>The table.</returns>
    public override string ToString()
    {
        int k = ClassCount;
        int first = Corner.Length;
        var widths = new int[k];
        for (int c = 0; c < k; c++)
        {
            first = Math.Max(first, _labels[c].Length);
            widths[c] = _labels[c].Length;
            for (int r = 0; r < k; r++)
            {
                widths[c] = Math.Max(widths[c], Digits(_counts[(r * k) + c]));
            }
        }

        var text = new StringBuilder();
        text.Append(Corner.PadRight(first));
        for (int c = 0; c < k; c++)
        {
            text.Append("  ").Append(_labels[c].PadLeft(widths[c]));
        }

        for (int r = 0; r < k; r++)
        {
            text.Append('\n').Append(_labels[r].PadRight(first));
            for (int c = 0; c < k; c++)
            {
                text.Append("  ").Append(_counts[(r * k) + c].ToString(CultureInfo.InvariantCulture).PadLeft(widths[c]));
            }
        }

        return text.ToString();
    }

    private static int Digits(int value) => value.ToString(CultureInfo.InvariantCulture).Length;

    private double OneClass(int classIndex, ClassCounts.Measure measure)
    {
        CheckClass(classIndex, nameof(classIndex));
        return Count == 0 ? double.NaN : ClassCounts.Of(_classCounts, ClassCount, classIndex, measure);
    }

    private double Averaged(MetricAverage average, ClassCounts.Measure measure)
    {
        ClassCounts.CheckAverage(average);
        return ClassCounts.Average(_classCounts, ClassCount, measure, average);
    }

    private void CheckClass(int classIndex, string parameterName)
    {
        if ((uint)classIndex >= (uint)ClassCount)
        {
            throw new ArgumentOutOfRangeException(parameterName, classIndex, $"The class must be in [0, {ClassCount}).");
        }
    }
}
