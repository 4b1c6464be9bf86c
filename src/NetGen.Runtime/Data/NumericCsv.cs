using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using nietras.SeparatedValues;

namespace NetGen;

/// <summary>
/// Reads a CSV file of numbers into a <see cref="NumericTable{T}"/>, using the Sep parser (quoted cells are
/// unquoted). Every cell must be a finite number in the invariant culture (<c>1.5</c>, <c>-2e-3</c>; spaces around
/// it are allowed) and every row must have as many cells as the first row (or the header).
/// </summary>
public static class NumericCsv
{
    /// <summary>Reads the CSV file at <paramref name="path"/>.</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="path">The file's path.</param>
    /// <param name="hasHeader">Whether the first line holds column names rather than numbers.</param>
    /// <param name="separator">The character between cells. Default <c>','</c>.</param>
    /// <returns>The table; its <see cref="NumericTable{T}.ColumnNames"/> hold the header, if any.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="CsvFormatException">A cell is not a finite number, or a row has the wrong number of cells.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static NumericTable<T> Read<T>(string path, bool hasHeader = false, char separator = ',')
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        using var reader = new StreamReader(path);
        return Read<T>(reader, hasHeader, separator);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/> to its end. The reader is not closed.</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="reader">The text to read.</param>
    /// <param name="hasHeader">Whether the first line holds column names rather than numbers.</param>
    /// <param name="separator">The character between cells. Default <c>','</c>.</param>
    /// <returns>The table; its <see cref="NumericTable{T}.ColumnNames"/> hold the header, if any.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="separator"/> cannot separate cells (a quote, a line break).</exception>
    /// <exception cref="CsvFormatException">A cell is not a finite number, or a row has the wrong number of cells.</exception>
    public static NumericTable<T> Read<T>(TextReader reader, bool hasHeader = false, char separator = ',')
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (separator is '"' or '\r' or '\n' || char.IsLetterOrDigit(separator) || separator is '.' or '-' or '+')
        {
            throw new ArgumentException($"'{separator}' cannot separate numeric cells.", nameof(separator));
        }

        var options = new SepReaderOptions(new Sep(separator))
        {
            HasHeader = hasHeader,
            DisableColCountCheck = true,
            Unescape = true,
            CultureInfo = CultureInfo.InvariantCulture,
        };

        using SepReader sep = options.From(reader, leaveOpen: true);
        string[]? names = null;
        int columnCount = -1;
        if (hasHeader && !sep.Header.IsEmpty)
        {
            names = [.. sep.Header.ColNames];
            columnCount = names.Length;
        }

        var values = new List<T>();
        foreach (SepReader.Row row in sep)
        {
            if (columnCount < 0)
            {
                columnCount = row.ColCount;
            }

            if (row.ColCount != columnCount)
            {
                int column = Math.Min(row.ColCount, columnCount) + 1;
                string reference = names is null ? "the first row has" : "the header has";
                throw new CsvFormatException(
                    $"Line {row.LineNumberFrom}, column {column}: the row has {row.ColCount} cells, but {reference} {columnCount}.",
                    row.LineNumberFrom,
                    column,
                    row.Span.ToString());
            }

            for (int c = 0; c < row.ColCount; c++)
            {
                ReadOnlySpan<char> cell = row[c].Span;
                if (!T.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out T value) || !T.IsFinite(value))
                {
                    throw new CsvFormatException(
                        $"Line {row.LineNumberFrom}, column {c + 1}: '{cell}' is not a finite number.",
                        row.LineNumberFrom,
                        c + 1,
                        cell.ToString());
                }

                values.Add(value);
            }
        }

        return new NumericTable<T>([.. values], Math.Max(columnCount, 0), names);
    }
}
