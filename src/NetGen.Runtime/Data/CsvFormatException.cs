using System;

namespace NetGen;

/// <summary>
/// A CSV file could not be read by <see cref="NumericCsv"/>: a cell is not a finite number or is a refused missing
/// value, a row has the wrong number of cells, a blank line is in the middle, the header names a column twice, a cell
/// is too long, holds a control character or a stray quote, or a class name is missing or unknown (the full list is on
/// <see cref="NumericCsv"/>). <see cref="LineNumber"/>, <see cref="ColumnNumber"/> and <see cref="Text"/> say where
/// and what, and the message starts <c>Line L, column C:</c>.
/// </summary>
public sealed class CsvFormatException : FormatException
{
    /// <summary>Creates the exception for the cell or row at <paramref name="lineNumber"/> and <paramref name="columnNumber"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="lineNumber">The 1-based line of the file where the row starts.</param>
    /// <param name="columnNumber">The 1-based column (cell number within the row).</param>
    /// <param name="text">The offending cell's text, or the row's text for a row of the wrong length.</param>
    public CsvFormatException(string message, int lineNumber, int columnNumber, string text)
        : base(message)
    {
        LineNumber = lineNumber;
        ColumnNumber = columnNumber;
        Text = text;
    }

    /// <summary>The 1-based line of the file where the offending row starts, as a text editor counts lines.</summary>
    public int LineNumber { get; }

    /// <summary>
    /// The 1-based column: the cell that is not a number, or for a row of the wrong length the first column that is
    /// missing or extra.
    /// </summary>
    public int ColumnNumber { get; }

    /// <summary>
    /// The offending cell's text after unquoting, or for a row of the wrong length the row's text; whole up to 100
    /// characters, else its first 100 and <c>…</c>. Empty for a blank line.
    /// </summary>
    public string Text { get; }
}
