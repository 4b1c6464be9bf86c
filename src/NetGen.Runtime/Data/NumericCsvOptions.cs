using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// How <see cref="NumericCsv"/> reads a file: header, separator, leading lines to skip, comment lines, missing
/// values and the longest cell. The defaults read what <c>NumericCsv.Read(path)</c> always read: no header, commas,
/// nothing skipped, no comments, missing values refused. Every option is checked when reading starts, before
/// anything is read (an <see cref="System.ArgumentException"/> or <see cref="System.ArgumentOutOfRangeException"/>
/// naming <c>options</c>).
/// </summary>
public sealed class NumericCsvOptions
{
    /// <summary>The longest cell <see cref="MaxCellLength"/> allows by default: 1,048,576 characters (1 Mi).</summary>
    public const int DefaultMaxCellLength = 1 << 20;

    /// <summary>
    /// Whether the first line read (after <see cref="SkipLines"/>, comment lines and nothing else) holds column
    /// names rather than numbers. Default <see langword="false"/>. Names are taken as written, after unquoting;
    /// two columns of the same name (compared ordinally) are a <see cref="CsvFormatException"/>.
    /// </summary>
    public bool HasHeader { get; init; }

    /// <summary>
    /// The character between cells. Default <c>','</c>. Not a quote, a line break, another control character
    /// than tab, a letter, a digit, <c>.</c>, <c>-</c> or <c>+</c>.
    /// </summary>
    public char Separator { get; init; } = ',';

    /// <summary>
    /// The number of physical lines at the start of the file that are skipped unread, whatever they hold, 0 or
    /// more. Default 0. scikit-learn's <c>iris.csv</c> and <c>wine_data.csv</c> start with one line of metadata
    /// (<c>150,4,setosa,versicolor,virginica</c>): read them with 1. Line numbers in errors still count these
    /// lines.
    /// </summary>
    public int SkipLines { get; init; }

    /// <summary>
    /// A line whose first character is this one is a comment and skipped unread, anywhere in the file, or
    /// <see langword="null"/> (the default) for no comments. Only the first character counts: a comment character
    /// later in a line, or after spaces, is part of a cell. Not the <see cref="Separator"/>, a quote, a line
    /// break or a control character.
    /// </summary>
    public char? CommentCharacter { get; init; }

    /// <summary>
    /// What to do with a missing value in a numeric column: an empty cell (nothing, or only spaces and tabs,
    /// quoted or not) or one of the <see cref="MissingValueMarkers"/>. Default
    /// <see cref="MissingValueHandling.Refuse"/>: a <see cref="CsvFormatException"/> at its line and column.
    /// A missing class name in the label column of <see cref="NumericCsv.ReadLabeled{T}(System.IO.TextReader, string, NumericCsvOptions?, IReadOnlyList{string}?)"/>
    /// is always refused.
    /// </summary>
    public MissingValueHandling MissingValues { get; init; }

    /// <summary>The value that replaces a missing value under <see cref="MissingValueHandling.Constant"/>: finite in the element type. Default 0.</summary>
    public double MissingValueConstant { get; init; }

    /// <summary>
    /// The cell texts besides an empty cell that mean a missing value, compared with the cell's text without
    /// surrounding spaces and tabs, ignoring case (ordinal). Default <c>NA</c>, <c>N/A</c> and <c>NaN</c>, so
    /// <c>na</c>, <c>nan</c> and <c>NAN</c> are missing too. An empty list leaves only empty cells missing; a marker
    /// may be a number (<c>-999</c>), which then never reads as one. Under <see cref="MissingValueHandling.Refuse"/>
    /// they are refused as missing, as every other text that is not a finite number is refused.
    /// </summary>
    public IReadOnlyList<string> MissingValueMarkers { get; init; } = ["NA", "N/A", "NaN"];

    /// <summary>
    /// The longest cell, in characters after unquoting, 1 or more. Default <see cref="DefaultMaxCellLength"/>. A
    /// longer cell is a <see cref="CsvFormatException"/> as soon as it is seen, whose <see cref="CsvFormatException.Text"/>
    /// holds its first 100 characters and <c>…</c>, so a file that is one endless cell is not read into memory.
    /// </summary>
    public int MaxCellLength { get; init; } = DefaultMaxCellLength;
}

/// <summary>What <see cref="NumericCsv"/> does with a missing value in a numeric column (<see cref="NumericCsvOptions.MissingValues"/>).</summary>
public enum MissingValueHandling
{
    /// <summary>Refuse it: a <see cref="CsvFormatException"/> at its line and column. The default.</summary>
    Refuse,

    /// <summary>
    /// Replace it with the mean of the column's values that are present in the same file (in <c>double</c>, then
    /// rounded to the element type). A column with no value present is a <see cref="CsvFormatException"/> at its
    /// first missing cell. For a test file, where the training file's means belong, prefer
    /// <see cref="Constant"/> or impute it yourself.
    /// </summary>
    ColumnMean,

    /// <summary>Replace it with <see cref="NumericCsvOptions.MissingValueConstant"/>.</summary>
    Constant,
}
