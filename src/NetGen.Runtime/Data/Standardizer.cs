using System;
using System.IO;
using System.Numerics;

namespace NetGen;

/// <summary>
/// Standardises features column by column: x' = (x - mean) / std, with the mean and the population standard
/// deviation (divisor n) learnt from training data by <see cref="Fit(ReadOnlySpan{T}, int)"/> and then applied,
/// unchanged, to training, validation and test data alike. A constant column (std 0) is only centred, so it
/// becomes 0 rather than NaN, as in scikit-learn's <c>StandardScaler</c>.
/// </summary>
/// <remarks>
/// A column is constant when all its training values are equal (compared as numbers, so 0 and -0 are equal). Its
/// mean is then that value exactly and its deviation exactly 0, whatever rounding the sums would leave: summing n
/// copies of 0.1 and dividing by n does not give 0.1 back, and the few units in the last place left over would
/// otherwise become a deviation of about 1e-17, turning the column into ±1 and a new value into 1e16. A column
/// whose values differ at all, even by one unit in the last place, is standardised with its computed deviation.
/// </remarks>
/// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
public sealed class Standardizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _means;
    private readonly T[] _standardDeviations;
    private readonly T[] _scales;

    private Standardizer(T[] means, T[] standardDeviations)
    {
        _means = means;
        _standardDeviations = standardDeviations;
        _scales = new T[means.Length];
        for (int c = 0; c < means.Length; c++)
        {
            _scales[c] = standardDeviations[c] == T.Zero ? T.One : standardDeviations[c];
        }
    }

    /// <summary>
    /// A standardiser with statistics learnt earlier (saved from <see cref="Means"/> and
    /// <see cref="StandardDeviations"/>), so that a saved model can be fed exactly as it was trained.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The spans are empty or differ in length, or a value is not finite, or a standard deviation is negative.
    /// </exception>
    public static Standardizer<T> FromStatistics(ReadOnlySpan<T> means, ReadOnlySpan<T> standardDeviations)
    {
        if (means.Length == 0)
        {
            throw new ArgumentException("A standardiser needs at least one column.", nameof(means));
        }

        Guard.Length(standardDeviations.Length, means.Length, nameof(standardDeviations));
        for (int c = 0; c < means.Length; c++)
        {
            if (!T.IsFinite(means[c]))
            {
                throw new ArgumentException($"The mean of column {c} is {means[c]}, not a finite number.", nameof(means));
            }

            if (!T.IsFinite(standardDeviations[c]) || standardDeviations[c] < T.Zero)
            {
                throw new ArgumentException(
                    $"The standard deviation of column {c} is {standardDeviations[c]}; it must be finite and not negative.", nameof(standardDeviations));
            }
        }

        return new Standardizer<T>(means.ToArray(), standardDeviations.ToArray());
    }

    /// <summary>The number of columns (features) this standardiser was fitted on.</summary>
    public int ColumnCount => _means.Length;

    /// <summary>Each column's mean over the training rows.</summary>
    public ReadOnlySpan<T> Means => _means;

    /// <summary>Each column's population standard deviation over the training rows; 0 for a constant column.</summary>
    public ReadOnlySpan<T> StandardDeviations => _standardDeviations;

    /// <summary>
    /// Learns each column's mean and standard deviation from <paramref name="rows"/>, laid out row after row.
    /// Sums are taken in double precision, in two passes (mean first, then squared deviations from it). A column
    /// whose values are all equal gets that value as its mean and exactly 0 as its deviation (see the class remarks).
    /// </summary>
    /// <param name="rows">The training rows, <paramref name="columnCount"/> values each.</param>
    /// <param name="columnCount">The number of columns, 1 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columnCount"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The rows are empty, not whole, or hold a value that is not finite.</exception>
    public static Standardizer<T> Fit(ReadOnlySpan<T> rows, int columnCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columnCount, 1);
        if (rows.Length == 0 || rows.Length % columnCount != 0)
        {
            throw new ArgumentException(
                $"Fitting needs one or more whole rows of {columnCount} values, but the length is {rows.Length}.", nameof(rows));
        }

        int rowCount = rows.Length / columnCount;
        var sums = new double[columnCount];
        var varies = new bool[columnCount];
        for (int i = 0; i < rows.Length; i++)
        {
            if (!T.IsFinite(rows[i]))
            {
                throw new ArgumentException($"Row {(i / columnCount) + 1}, column {(i % columnCount) + 1} is {rows[i]}, not a finite number.", nameof(rows));
            }

            int column = i % columnCount;
            sums[column] += double.CreateChecked(rows[i]);
            varies[column] |= rows[i] != rows[column];
        }

        var means = new double[columnCount];
        for (int c = 0; c < columnCount; c++)
        {
            means[c] = sums[c] / rowCount;
        }

        var squares = new double[columnCount];
        for (int i = 0; i < rows.Length; i++)
        {
            double deviation = double.CreateChecked(rows[i]) - means[i % columnCount];
            squares[i % columnCount] += deviation * deviation;
        }

        var meanValues = new T[columnCount];
        var deviations = new T[columnCount];
        for (int c = 0; c < columnCount; c++)
        {
            // A constant column: its value, not the rounded sum / n, and no deviation (see the class remarks).
            meanValues[c] = varies[c] ? T.CreateChecked(means[c]) : rows[c];
            deviations[c] = varies[c] ? T.CreateChecked(Math.Sqrt(squares[c] / rowCount)) : T.Zero;
        }

        return new Standardizer<T>(meanValues, deviations);
    }

    /// <summary>Learns each column's mean and standard deviation from the rows of <paramref name="table"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The table has no rows.</exception>
    public static Standardizer<T> Fit(NumericTable<T> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.ColumnCount == 0)
        {
            throw new ArgumentException("Fitting needs at least one column and one row.", nameof(table));
        }

        return Fit(table.Values, table.ColumnCount);
    }

    /// <summary>Writes the standardised <paramref name="source"/> rows into <paramref name="destination"/> (they may be the same memory).</summary>
    /// <exception cref="ArgumentException">The source is not whole rows of <see cref="ColumnCount"/>, or the destination's length differs.</exception>
    public void Transform(ReadOnlySpan<T> source, Span<T> destination)
    {
        if (source.Length % ColumnCount != 0)
        {
            throw new ArgumentException(
                $"The rows must be whole rows of {ColumnCount} values, but the length is {source.Length}.", nameof(source));
        }

        Guard.Length(destination.Length, source.Length, nameof(destination));
        for (int i = 0; i < source.Length; i++)
        {
            int c = i % ColumnCount;
            destination[i] = (source[i] - _means[c]) / _scales[c];
        }
    }

    /// <summary>Standardises <paramref name="rows"/> in place.</summary>
    /// <exception cref="ArgumentException">The rows are not whole rows of <see cref="ColumnCount"/>.</exception>
    public void TransformInPlace(Span<T> rows) => Transform(rows, rows);

    /// <summary>A new table holding the standardised rows of <paramref name="table"/>; the names are kept.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The table's column count differs from <see cref="ColumnCount"/>.</exception>
    public NumericTable<T> Transform(NumericTable<T> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        CheckColumns(table.ColumnCount, nameof(table));
        var values = new T[table.Values.Length];
        Transform(table.Values, values);
        return new NumericTable<T>(values, table.ColumnCount, table.ColumnCount == 0 || table.ColumnNames.Count == 0 ? null : table.ColumnNames);
    }

    /// <summary>A new dataset with the standardised inputs of <paramref name="dataset"/> and the same targets.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The dataset's input count differs from <see cref="ColumnCount"/>.</exception>
    public Dataset<T> Transform(Dataset<T> dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        CheckColumns(dataset.InputCount, nameof(dataset));
        var inputs = new T[dataset.Inputs.Length];
        Transform(dataset.Inputs.Span, inputs);
        return new Dataset<T>(inputs, dataset.Targets, dataset.InputCount, dataset.OutputCount);
    }

    /// <summary>
    /// Writes the means and deviations to <paramref name="stream"/>, from its current position, in the standardiser
    /// file format (docs/format.md), bit for bit. The stream is not closed.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be written.</exception>
    /// <exception cref="InvalidOperationException">The standardiser has more than 2^20 columns, the format's limit.</exception>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream cannot be written.", nameof(stream));
        }

        stream.Write(StandardizerFile.Encode(this));
    }

    /// <summary>
    /// Writes the means and deviations to the file at <paramref name="path"/> in the standardiser file format
    /// (docs/format.md), atomically as <see cref="ModelFile.Save{T}(INetwork{T}, string)"/> does: a temporary file
    /// beside the target, flushed, then renamed over it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    /// <exception cref="InvalidOperationException">The standardiser has more than 2^20 columns, the format's limit.</exception>
    /// <exception cref="IOException">The file cannot be written or replaced.</exception>
    /// <exception cref="UnauthorizedAccessException">Access to the file or directory is denied.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, StandardizerFile.Encode(this));
    }

    /// <summary>
    /// Reads a standardiser file from <paramref name="stream"/>, from its current position, leaving the stream just
    /// after its checksum: a standardiser that transforms bit for bit as the saved one did.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read.</exception>
    /// <exception cref="ModelFileException">
    /// The data is not a standardiser file, is of an unsupported version, truncated, corrupted, of another element
    /// type, or declares no columns, more than 2^20, or statistics that are not finite or a negative deviation (see
    /// <see cref="ModelFileException.Reason"/>).
    /// </exception>
    public static Standardizer<T> Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(stream));
        }

        return StandardizerFile.Decode<T>(stream);
    }

    /// <summary>Reads the standardiser file at <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ModelFileException">As <see cref="Load(Stream)"/>, and bytes after the checksum are <see cref="ModelFileError.Corrupted"/>.</exception>
    /// <exception cref="IOException">The file does not exist (<see cref="FileNotFoundException"/>), is a directory, or cannot be read.</exception>
    public static Standardizer<T> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using FileStream file = ReadableFile.Open(path);
        Standardizer<T> standardizer = StandardizerFile.Decode<T>(file);
        if (file.ReadByte() >= 0)
        {
            throw new ModelFileException(ModelFileError.Corrupted, $"'{path}' continues after the checksum that should end it.");
        }

        return standardizer;
    }

    private void CheckColumns(int columns, string parameterName)
    {
        if (columns != ColumnCount)
        {
            throw new ArgumentException($"The standardiser was fitted on {ColumnCount} columns, but this data has {columns}.", parameterName);
        }
    }
}
