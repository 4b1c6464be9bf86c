using System;
using System.Collections.Generic;
using System.Numerics;

namespace NetGen;

/// <summary>
/// What <see cref="NumericCsv.ReadLabeled{T}(System.IO.TextReader, string, NumericCsvOptions?, IReadOnlyList{string}?)"/>
/// reads: the numeric columns as a table, and the label column's class names as class indices into
/// <see cref="ClassNames"/>, one per row.
/// </summary>
/// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
public sealed class LabeledTable<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _labels;
    private readonly string[] _classNames;

    /// <summary>Wraps <paramref name="features"/> and <paramref name="labels"/> (not copied) with their class names (copied).</summary>
    /// <param name="features">Every column but the label column, in the file's order.</param>
    /// <param name="labels">One class index per row of <paramref name="features"/>, each in [0, <c>classNames.Count</c>).</param>
    /// <param name="classNames">The class names: class k is <c>classNames[k]</c>. No two equal, none <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// There is not one label per row, a label is out of range, or a class name is <see langword="null"/> or repeated.
    /// </exception>
    public LabeledTable(NumericTable<T> features, int[] labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        string[] names = NumericCsv.CheckClassNames(classNames, nameof(classNames));
        if (labels.Length != features.RowCount)
        {
            throw new ArgumentException(
                $"There must be one label per row ({features.RowCount}), but there are {labels.Length}.", nameof(labels));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)names.Length)
            {
                throw new ArgumentException(
                    $"Label {i} is {labels[i]}, but labels must be in [0, {names.Length}).", nameof(labels));
            }
        }

        Features = features;
        _labels = labels;
        _classNames = names;
    }

    /// <summary>Every column but the label column, in the file's order, with their names if the file had a header.</summary>
    public NumericTable<T> Features { get; }

    /// <summary>One class index per row, in [0, <see cref="ClassCount"/>): row r's class is <c>ClassNames[Labels[r]]</c>.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>
    /// The class names, class k at index k: sorted ordinally when they were found in the file, or the list that
    /// was given. Store it with a model to read later files with the same classes.
    /// </summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>The number of classes: the length of <see cref="ClassNames"/>, a classifier's <c>OutputCount</c>.</summary>
    public int ClassCount => _classNames.Length;

    /// <summary>The number of rows.</summary>
    public int RowCount => Features.RowCount;

    /// <summary>
    /// The rows as a dataset: the features as inputs (not copied), the labels one-hot encoded over
    /// <see cref="ClassCount"/> classes as targets (<see cref="OneHot.Encode{T}(ReadOnlySpan{int}, int)"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">There are no feature columns, or no classes.</exception>
    public Dataset<T> ToDataset() =>
        new(Features.Values, OneHot.Encode<T>(_labels, Math.Max(ClassCount, 1)), Features.ColumnCount, ClassCount);
}
