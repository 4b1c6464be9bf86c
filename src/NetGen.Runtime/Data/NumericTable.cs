using System;
using System.Collections.Generic;
using System.Numerics;

namespace NetGen;

/// <summary>
/// A table of numbers with named or unnamed columns, stored row-major in one flat array: the value of row r and
/// column c is <c>Values[r * ColumnCount + c]</c>. What <see cref="NumericCsv"/> reads.
/// </summary>
/// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
public sealed class NumericTable<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Wraps <paramref name="values"/> (not copied) as a table of <paramref name="columnCount"/> columns.</summary>
    /// <param name="values">The values, row after row.</param>
    /// <param name="columnCount">The number of columns; 0 only for an empty table.</param>
    /// <param name="columnNames">The columns' names, one per column, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columnCount"/> is negative, or 0 with values.</exception>
    /// <exception cref="ArgumentException">
    /// The values are not a whole number of rows, or the names are not one per column.
    /// </exception>
    public NumericTable(T[] values, int columnCount, IReadOnlyList<string>? columnNames = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(columnCount);
        if (columnCount == 0 && values.Length != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(columnCount), columnCount, "A table with values needs at least one column.");
        }

        if (columnCount != 0 && values.Length % columnCount != 0)
        {
            throw new ArgumentException(
                $"The values must be whole rows of {columnCount} columns, but their length is {values.Length}.", nameof(values));
        }

        if (columnNames is not null && columnNames.Count != columnCount)
        {
            throw new ArgumentException(
                $"There must be one name per column ({columnCount}), but there are {columnNames.Count}.", nameof(columnNames));
        }

        Values = values;
        ColumnCount = columnCount;
        RowCount = columnCount == 0 ? 0 : values.Length / columnCount;
        ColumnNames = columnNames ?? [];
    }

    /// <summary>The values, row after row: row r, column c is at <c>r * ColumnCount + c</c>.</summary>
    public T[] Values { get; }

    /// <summary>The number of rows (not counting a header).</summary>
    public int RowCount { get; }

    /// <summary>The number of columns.</summary>
    public int ColumnCount { get; }

    /// <summary>The columns' names from the header, or an empty list when there was none.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>The value at row <paramref name="row"/> and column <paramref name="column"/> (both 0-based).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The row or column is out of range.</exception>
    public T this[int row, int column]
    {
        get => Values[Index(row, column)];
        set => Values[Index(row, column)] = value;
    }

    /// <summary>Row <paramref name="row"/> (0-based), a view into <see cref="Values"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is out of range.</exception>
    public Span<T> GetRow(int row)
    {
        CheckRow(row);
        return Values.AsSpan(row * ColumnCount, ColumnCount);
    }

    /// <summary>A copy of column <paramref name="column"/> (0-based), one value per row.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="column"/> is out of range.</exception>
    public T[] GetColumn(int column)
    {
        CheckColumn(column);
        var result = new T[RowCount];
        for (int r = 0; r < RowCount; r++)
        {
            result[r] = Values[(r * ColumnCount) + column];
        }

        return result;
    }

    /// <summary>
    /// Column <paramref name="column"/> (0-based) as class labels: each value must be a whole number from 0 to
    /// <see cref="int.MaxValue"/>. For <see cref="OneHot.Encode{T}(ReadOnlySpan{int}, int)"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="column"/> is out of range.</exception>
    /// <exception cref="System.IO.InvalidDataException">A value is not a whole number of at least 0; the message gives its row and column (1-based).</exception>
    public int[] GetLabels(int column)
    {
        CheckColumn(column);
        var labels = new int[RowCount];
        for (int r = 0; r < RowCount; r++)
        {
            // Below 2^31, not at most int.MaxValue: (float)int.MaxValue rounds up to 2^31, which is no int.
            T value = Values[(r * ColumnCount) + column];
            if (!T.IsInteger(value) || value < T.Zero || !(value < T.CreateChecked(2147483648.0)))
            {
                throw new System.IO.InvalidDataException(
                    $"Row {r + 1}, column {column + 1}: a label must be a whole number of at least 0, but the value is {value}.");
            }

            labels[r] = int.CreateChecked(value);
        }

        return labels;
    }

    /// <summary>A new table with the <paramref name="count"/> columns starting at <paramref name="start"/> (0-based), copied.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the table, or <paramref name="count"/> is less than 1.</exception>
    public NumericTable<T> SelectColumns(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if ((long)start + count > ColumnCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Columns {start} to {start + count - 1} are not all inside a table of {ColumnCount} columns.");
        }

        var values = new T[RowCount * count];
        for (int r = 0; r < RowCount; r++)
        {
            Values.AsSpan((r * ColumnCount) + start, count).CopyTo(values.AsSpan(r * count));
        }

        string[]? names = null;
        if (ColumnNames.Count != 0)
        {
            names = new string[count];
            for (int c = 0; c < count; c++)
            {
                names[c] = ColumnNames[start + c];
            }
        }

        return new NumericTable<T>(values, count, names);
    }

    private int Index(int row, int column)
    {
        CheckRow(row);
        CheckColumn(column);
        return (row * ColumnCount) + column;
    }

    private void CheckRow(int row)
    {
        if ((uint)row >= (uint)RowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"The table has {RowCount} rows.");
        }
    }

    private void CheckColumn(int column)
    {
        if ((uint)column >= (uint)ColumnCount)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"The table has {ColumnCount} columns.");
        }
    }
}
