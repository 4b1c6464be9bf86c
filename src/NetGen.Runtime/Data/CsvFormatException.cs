using System;

namespace NetGen;

/// <summary>
/// A CSV file could not be read as numbers: a cell is not a finite number, or a row has the wrong number of
/// cells. <see cref="LineNumber"/>, <see cref="ColumnNumber"/> and <see cref="Text"/> say where and what.
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

    /// <summary>The offending cell's text, or for a row of the wrong length the whole row's text.</summary>
    public string Text { get; }
}
