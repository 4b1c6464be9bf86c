using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Text;

namespace NetGen;

/// <summary>
/// Reads a CSV file of numbers into a <see cref="NumericTable{T}"/>, or of numbers and one column of class names
/// into a <see cref="LabeledTable{T}"/>. Every numeric cell must be a finite number in the invariant culture
/// (<c>1.5</c>, <c>-2e-3</c>; spaces and tabs around it are allowed), and every row must have as many cells as the
/// header, or the first row when there is none. <see cref="NumericCsvOptions"/> adds a header, another separator,
/// leading lines to skip, comment lines and the handling of missing values.
/// </summary>
/// <remarks>
/// <para>
/// One row is one line. A cell whose first character is a quote is quoted: the quotes are removed, two quotes
/// inside stand for one, and it must close on its line, followed by the separator or the end of the line. Line
/// breaks are <c>\n</c>, <c>\r\n</c> and <c>\r</c>; a byte order mark at the start is skipped.
/// </para>
/// <para>
/// Blank lines (nothing, or only spaces and tabs that are not the separator) are accepted at the end of the file,
/// where they may mix with comment lines; a blank line followed by a row or the header is a
/// <see cref="CsvFormatException"/> at the blank line, since a row lost in the middle of a file is more likely a
/// damaged file than a choice.
/// </para>
/// <para>
/// Everything wrong with the text is a <see cref="CsvFormatException"/> with its 1-based physical line (as a text
/// editor counts lines, skipped and comment lines included) and 1-based column (the cell within the row): a cell
/// that is not a finite number, a missing value that is refused, a row of the wrong length, a blank line in the
/// middle, a header that names a column twice, a cell longer than <see cref="NumericCsvOptions.MaxCellLength"/>, a
/// control character other than tab in a cell (NUL included: <c>"1\0"</c> is not 1), a quote inside an unquoted cell
/// or text after a closing quote, a quoted cell that does not close on its line, and in the label column a missing
/// or unknown class name. Nothing else comes out of the text: a bad argument is an <see cref="ArgumentException"/>,
/// and a file that cannot be read an <see cref="IOException"/> (or the <see cref="UnauthorizedAccessException"/> of
/// the file system).
/// </para>
/// </remarks>
public static class NumericCsv
{
    /// <summary>Reads the CSV file at <paramref name="path"/>.</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="path">The file's path.</param>
    /// <param name="hasHeader">Whether the first line holds column names rather than numbers.</param>
    /// <param name="separator">The character between cells. Default <c>','</c>.</param>
    /// <returns>The table; its <see cref="NumericTable{T}.ColumnNames"/> hold the header, if any.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="separator"/> cannot separate cells (a quote, a line break).</exception>
    /// <exception cref="CsvFormatException">The text is not a table of finite numbers (see <see cref="NumericCsv"/>).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static NumericTable<T> Read<T>(string path, bool hasHeader = false, char separator = ',')
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckSeparator(separator, nameof(separator));
        return Read<T>(path, new NumericCsvOptions { HasHeader = hasHeader, Separator = separator });
    }

    /// <summary>Reads CSV text from <paramref name="reader"/> to its end. The reader is not closed.</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="reader">The text to read.</param>
    /// <param name="hasHeader">Whether the first line holds column names rather than numbers.</param>
    /// <param name="separator">The character between cells. Default <c>','</c>.</param>
    /// <returns>The table; its <see cref="NumericTable{T}.ColumnNames"/> hold the header, if any.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="separator"/> cannot separate cells (a quote, a line break).</exception>
    /// <exception cref="CsvFormatException">The text is not a table of finite numbers (see <see cref="NumericCsv"/>).</exception>
    public static NumericTable<T> Read<T>(TextReader reader, bool hasHeader = false, char separator = ',')
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(reader);
        CheckSeparator(separator, nameof(separator));
        return Read<T>(reader, new NumericCsvOptions { HasHeader = hasHeader, Separator = separator });
    }

    /// <summary>Reads the CSV file at <paramref name="path"/> as <paramref name="options"/> say.</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="path">The file's path.</param>
    /// <param name="options">Header, separator, lines to skip, comments, missing values.</param>
    /// <returns>The table; its <see cref="NumericTable{T}.ColumnNames"/> hold the header, if any.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the parameter named is <c>options</c>).</exception>
    /// <exception cref="CsvFormatException">The text is not a table of finite numbers (see <see cref="NumericCsv"/>).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static NumericTable<T> Read<T>(string path, NumericCsvOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        T constant = CheckOptions<T>(options);
        using var reader = new StreamReader(path);
        return ReadCore(reader, options, constant, null, -1, null).Table;
    }

    /// <summary>Reads CSV text from <paramref name="reader"/> to its end as <paramref name="options"/> say. The reader is not closed.</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="reader">The text to read.</param>
    /// <param name="options">Header, separator, lines to skip, comments, missing values.</param>
    /// <returns>The table; its <see cref="NumericTable{T}.ColumnNames"/> hold the header, if any.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of range (the parameter named is <c>options</c>).</exception>
    /// <exception cref="CsvFormatException">The text is not a table of finite numbers (see <see cref="NumericCsv"/>).</exception>
    public static NumericTable<T> Read<T>(TextReader reader, NumericCsvOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(reader);
        T constant = CheckOptions<T>(options);
        return ReadCore(reader, options, constant, null, -1, null).Table;
    }

    /// <summary>
    /// Reads the CSV file at <paramref name="path"/>, with the column named <paramref name="labelColumn"/> in the
    /// header as class names. See <see cref="ReadLabeled{T}(TextReader, string, NumericCsvOptions?, IReadOnlyList{string}?)"/>.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <inheritdoc cref="ReadLabeled{T}(TextReader, string, NumericCsvOptions?, IReadOnlyList{string}?)"/>
    public static LabeledTable<T> ReadLabeled<T>(
        string path, string labelColumn, NumericCsvOptions? options = null, IReadOnlyList<string>? classNames = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(labelColumn);
        options ??= new NumericCsvOptions { HasHeader = true };
        T constant = CheckLabelArguments<T>(options, true, classNames, out string[]? classes);
        using var reader = new StreamReader(path);
        return Labeled(ReadCore(reader, options, constant, labelColumn, -1, classes));
    }

    /// <summary>
    /// Reads the CSV file at <paramref name="path"/>, with column <paramref name="labelColumn"/> (0-based) as class
    /// names. See <see cref="ReadLabeled{T}(TextReader, int, NumericCsvOptions?, IReadOnlyList{string}?)"/>.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <inheritdoc cref="ReadLabeled{T}(TextReader, int, NumericCsvOptions?, IReadOnlyList{string}?)"/>
    public static LabeledTable<T> ReadLabeled<T>(
        string path, int labelColumn, NumericCsvOptions? options = null, IReadOnlyList<string>? classNames = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegative(labelColumn);
        options ??= new NumericCsvOptions();
        T constant = CheckLabelArguments<T>(options, false, classNames, out string[]? classes);
        using var reader = new StreamReader(path);
        return Labeled(ReadCore(reader, options, constant, null, labelColumn, classes));
    }

    /// <summary>
    /// Reads CSV text from <paramref name="reader"/> to its end, with the column the header names
    /// <paramref name="labelColumn"/> as class names and every other column as numbers. The reader is not closed.
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="reader">The text to read.</param>
    /// <param name="labelColumn">The label column's name in the header (compared ordinally).</param>
    /// <param name="options">
    /// How to read; <see cref="NumericCsvOptions.HasHeader"/> must be <see langword="true"/>. Default: a header and
    /// otherwise the defaults.
    /// </param>
    /// <param name="classNames">
    /// The classes to map names to, class k being <c>classNames[k]</c> (a training file's
    /// <see cref="LabeledTable{T}.ClassNames"/>, to read its test file), or <see langword="null"/> (the default) to
    /// take the distinct names in the file sorted ordinally (<see cref="string.CompareOrdinal(string, string)"/>),
    /// so the same classes get the same indices whatever order the rows come in.
    /// </param>
    /// <returns>The numeric columns in the file's order, the class index of each row, and the class names.</returns>
    /// <remarks>
    /// A class name is the cell's text without the spaces and tabs around it, compared ordinally (case matters). An
    /// empty cell or a <see cref="NumericCsvOptions.MissingValueMarkers">missing-value marker</see> in the label
    /// column is a <see cref="CsvFormatException"/> whatever <see cref="NumericCsvOptions.MissingValues"/> says, and
    /// with <paramref name="classNames"/> given, so is a name not among them. The numeric columns are read as
    /// <see cref="Read{T}(TextReader, NumericCsvOptions)"/> reads them.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> or <paramref name="labelColumn"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// An option is out of range or the options have no header (the parameter named is <c>options</c>), or
    /// <paramref name="classNames"/> holds <see langword="null"/> or a name twice.
    /// </exception>
    /// <exception cref="CsvFormatException">
    /// The text is not a table (see <see cref="NumericCsv"/>), the header has no column of that name, or a class name
    /// is missing or unknown.
    /// </exception>
    public static LabeledTable<T> ReadLabeled<T>(
        TextReader reader, string labelColumn, NumericCsvOptions? options = null, IReadOnlyList<string>? classNames = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(labelColumn);
        options ??= new NumericCsvOptions { HasHeader = true };
        T constant = CheckLabelArguments<T>(options, true, classNames, out string[]? classes);
        return Labeled(ReadCore(reader, options, constant, labelColumn, -1, classes));
    }

    /// <summary>
    /// Reads CSV text from <paramref name="reader"/> to its end, with column <paramref name="labelColumn"/>
    /// (0-based) as class names and every other column as numbers. The reader is not closed.
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="reader">The text to read.</param>
    /// <param name="labelColumn">The label column, 0-based (errors count columns from 1).</param>
    /// <param name="options">How to read. Default: no header, and otherwise the defaults.</param>
    /// <param name="classNames">
    /// The classes to map names to, class k being <c>classNames[k]</c> (a training file's
    /// <see cref="LabeledTable{T}.ClassNames"/>, to read its test file), or <see langword="null"/> (the default) to
    /// take the distinct names in the file sorted ordinally (<see cref="string.CompareOrdinal(string, string)"/>),
    /// so the same classes get the same indices whatever order the rows come in.
    /// </param>
    /// <returns>The numeric columns in the file's order, the class index of each row, and the class names.</returns>
    /// <remarks>
    /// A class name is the cell's text without the spaces and tabs around it, compared ordinally (case matters). An
    /// empty cell or a <see cref="NumericCsvOptions.MissingValueMarkers">missing-value marker</see> in the label
    /// column is a <see cref="CsvFormatException"/> whatever <see cref="NumericCsvOptions.MissingValues"/> says, and
    /// with <paramref name="classNames"/> given, so is a name not among them. A label column of numbers is read as
    /// names too (<c>0</c>, <c>1</c>, <c>10</c>, <c>2</c> in that order); for numeric class codes use
    /// <see cref="NumericTable{T}.GetLabels(int)"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelColumn"/> is negative.</exception>
    /// <exception cref="ArgumentException">
    /// An option is out of range (the parameter named is <c>options</c>), or <paramref name="classNames"/> holds
    /// <see langword="null"/> or a name twice.
    /// </exception>
    /// <exception cref="CsvFormatException">
    /// The text is not a table (see <see cref="NumericCsv"/>), the rows are too short to have that column, or a
    /// class name is missing or unknown.
    /// </exception>
    public static LabeledTable<T> ReadLabeled<T>(
        TextReader reader, int labelColumn, NumericCsvOptions? options = null, IReadOnlyList<string>? classNames = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegative(labelColumn);
        options ??= new NumericCsvOptions();
        T constant = CheckLabelArguments<T>(options, false, classNames, out string[]? classes);
        return Labeled(ReadCore(reader, options, constant, null, labelColumn, classes));
    }

    /// <summary>Copies <paramref name="classNames"/>, refusing <see langword="null"/> and repeated names.</summary>
    internal static string[] CheckClassNames(IReadOnlyList<string> classNames, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(classNames, parameterName);
        var names = new string[classNames.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = classNames[i] ?? throw new ArgumentException($"Class name {i} is null.", parameterName);
            if (!seen.Add(names[i]))
            {
                throw new ArgumentException($"The class name '{names[i]}' is given twice.", parameterName);
            }
        }

        return names;
    }

    private static LabeledTable<T> Labeled<T>((NumericTable<T> Table, int[]? Labels, string[]? ClassNames) read)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        new(read.Table, read.Labels!, read.ClassNames!);

    private static T CheckLabelArguments<T>(NumericCsvOptions options, bool byName, IReadOnlyList<string>? classNames, out string[]? classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T constant = CheckOptions<T>(options);
        if (byName && !options.HasHeader)
        {
            throw new ArgumentException("A label column given by name needs a header: set HasHeader.", nameof(options));
        }

        classes = classNames is null ? null : CheckClassNames(classNames, nameof(classNames));
        return constant;
    }

    private static void CheckSeparator(char separator, string parameterName)
    {
        if (separator is '"' || (char.IsControl(separator) && separator != '\t') || char.IsLetterOrDigit(separator) || separator is '.' or '-' or '+' || char.IsSurrogate(separator))
        {
            throw new ArgumentException($"'{CsvLineReader.ForMessage([separator])}' cannot separate numeric cells.", parameterName);
        }
    }

    private static T CheckOptions<T>(NumericCsvOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(options);
        char separator = options.Separator;
        CheckSeparator(separator, nameof(options));

        if (options.SkipLines < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SkipLines, "SkipLines must be 0 or more.");
        }

        if (options.MaxCellLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxCellLength, "MaxCellLength must be 1 or more.");
        }

        if (options.CommentCharacter is char comment
            && (comment == separator || comment is '"' || char.IsControl(comment) || char.IsSurrogate(comment)))
        {
            throw new ArgumentException(
                $"'{CsvLineReader.ForMessage([comment])}' cannot start comments (not the separator, a quote or a control character).", nameof(options));
        }

        if (options.MissingValueMarkers is null)
        {
            throw new ArgumentException("MissingValueMarkers must not be null (an empty list for none).", nameof(options));
        }

        foreach (string marker in options.MissingValueMarkers)
        {
            if (marker is null)
            {
                throw new ArgumentException("MissingValueMarkers must not hold null.", nameof(options));
            }
        }

        if (!Enum.IsDefined(options.MissingValues))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MissingValues, "MissingValues is not a MissingValueHandling.");
        }

        T constant = T.CreateSaturating(options.MissingValueConstant);
        if (options.MissingValues == MissingValueHandling.Constant && !(double.IsFinite(options.MissingValueConstant) && T.IsFinite(constant)))
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.MissingValueConstant, $"MissingValueConstant must be finite as a {typeof(T).Name}.");
        }

        return constant;
    }

    private static (NumericTable<T> Table, int[]? Labels, string[]? ClassNames) ReadCore<T>(
        TextReader reader, NumericCsvOptions options, T constant, string? labelName, int labelIndex, string[]? classNames)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool labeled = labelName is not null || labelIndex >= 0;
        var lines = new CsvLineReader(reader, options.Separator, options.MaxCellLength);
        IReadOnlyList<string> markers = options.MissingValueMarkers;
        bool needHeader = options.HasHeader;
        string[]? names = null;
        int columnCount = -1;
        int pendingBlank = 0;
        var values = new List<T>();
        int[]? firstMissingLine = null;
        bool anyMissing = false;

        var labels = new List<int>();
        Dictionary<string, int> classIndex = new(StringComparer.Ordinal);
        var foundNames = new List<string>();
        if (classNames is not null)
        {
            for (int k = 0; k < classNames.Length; k++)
            {
                classIndex.Add(classNames[k], k);
            }
        }

        while (!lines.AtEnd)
        {
            if (lines.LineNumber < options.SkipLines || (options.CommentCharacter is char comment && lines.Peek() == comment))
            {
                lines.SkipLine();
                continue;
            }

            lines.ReadCells();
            int line = lines.LineNumber;
            if (lines.IsBlank)
            {
                if (pendingBlank == 0)
                {
                    pendingBlank = line;
                }

                continue;
            }

            if (pendingBlank != 0)
            {
                throw new CsvFormatException(
                    $"Line {pendingBlank}, column 1: a blank line in the middle of the file (blank lines are accepted only at its end).",
                    pendingBlank,
                    1,
                    string.Empty);
            }

            if (columnCount < 0)
            {
                columnCount = lines.CellCount;
                if (labelIndex >= columnCount)
                {
                    throw new CsvFormatException(
                        $"Line {line}, column {columnCount + 1}: the label column is column {labelIndex + 1}, but the {(needHeader ? "header" : "first row")} has {columnCount} cells.",
                        line,
                        columnCount + 1,
                        CsvLineReader.Shorten(lines.LineText));
                }
            }

            if (needHeader)
            {
                needHeader = false;
                names = ReadHeader(lines, line);
                if (labelName is not null)
                {
                    labelIndex = Array.IndexOf(names, labelName);
                    if (labelIndex < 0)
                    {
                        throw new CsvFormatException(
                            $"Line {line}, column 1: the header has no column '{CsvLineReader.ForMessage(labelName)}' for the labels.",
                            line,
                            1,
                            CsvLineReader.Shorten(labelName));
                    }
                }

                continue;
            }

            if (lines.CellCount != columnCount)
            {
                int column = Math.Min(lines.CellCount, columnCount) + 1;
                string reference = names is null ? "the first row has" : "the header has";
                throw new CsvFormatException(
                    $"Line {line}, column {column}: the row has {lines.CellCount} cells, but {reference} {columnCount}.",
                    line,
                    column,
                    CsvLineReader.Shorten(lines.LineText));
            }

            int feature = 0;
            for (int c = 0; c < columnCount; c++)
            {
                ReadOnlySpan<char> cell = lines.Cell(c);
                ReadOnlySpan<char> trimmed = CsvLineReader.Trim(cell);
                bool missing = trimmed.IsEmpty || IsMarker(trimmed, markers);
                if (c == labelIndex)
                {
                    if (missing)
                    {
                        throw new CsvFormatException(
                            $"Line {line}, column {c + 1}: the class name is missing ('{CsvLineReader.ForMessage(cell)}'); a label is never imputed.",
                            line,
                            c + 1,
                            CsvLineReader.Shorten(cell));
                    }

                    labels.Add(ClassOf(trimmed, classIndex, foundNames, classNames, line, c + 1));
                    continue;
                }

                if (missing)
                {
                    if (options.MissingValues == MissingValueHandling.Refuse)
                    {
                        string what = trimmed.IsEmpty ? "an empty cell" : "a missing-value marker";
                        throw new CsvFormatException(
                            $"Line {line}, column {c + 1}: '{CsvLineReader.ForMessage(cell)}' is not a finite number ({what} is a missing value, refused unless NumericCsvOptions.MissingValues says how to fill it).",
                            line,
                            c + 1,
                            CsvLineReader.Shorten(cell));
                    }

                    if (options.MissingValues == MissingValueHandling.Constant)
                    {
                        values.Add(constant);
                    }
                    else
                    {
                        firstMissingLine ??= new int[columnCount];
                        if (firstMissingLine[feature] == 0)
                        {
                            firstMissingLine[feature] = line;
                        }

                        anyMissing = true;
                        values.Add(T.NaN);
                    }
                }
                else if (T.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out T value) && T.IsFinite(value))
                {
                    values.Add(value);
                }
                else
                {
                    throw new CsvFormatException(
                        $"Line {line}, column {c + 1}: '{CsvLineReader.ForMessage(cell)}' is not a finite number.",
                        line,
                        c + 1,
                        CsvLineReader.Shorten(cell));
                }

                feature++;
            }
        }

        if (labelName is not null && names is null)
        {
            throw new CsvFormatException(
                $"Line {lines.LineNumber + 1}, column 1: the file has no header, so no column '{CsvLineReader.ForMessage(labelName)}' for the labels.",
                lines.LineNumber + 1,
                1,
                string.Empty);
        }

        int featureCount = Math.Max(columnCount, 0) - (labeled && columnCount > 0 ? 1 : 0);
        T[] array = [.. values];
        if (anyMissing)
        {
            FillMeans(array, featureCount, firstMissingLine!, labelIndex);
        }

        string[]? featureNames = names;
        if (names is not null && labeled)
        {
            var kept = new List<string>(names);
            kept.RemoveAt(labelIndex);
            featureNames = [.. kept];
        }

        var table = new NumericTable<T>(array, featureCount, featureNames);
        if (!labeled)
        {
            return (table, null, null);
        }

        if (classNames is not null)
        {
            return (table, [.. labels], classNames);
        }

        // Sorted ordinally: the same classes get the same indices whatever order the rows come in.
        string[] sorted = [.. foundNames];
        Array.Sort(sorted, StringComparer.Ordinal);
        int[] remap = new int[sorted.Length];
        for (int k = 0; k < sorted.Length; k++)
        {
            remap[classIndex[sorted[k]]] = k;
        }

        int[] result = new int[labels.Count];
        for (int r = 0; r < result.Length; r++)
        {
            result[r] = remap[labels[r]];
        }

        return (table, result, sorted);
    }

    private static string[] ReadHeader(CsvLineReader lines, int line)
    {
        var names = new string[lines.CellCount];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
        {
            names[c] = lines.Cell(c).ToString();
            if (!seen.TryAdd(names[c], c))
            {
                throw new CsvFormatException(
                    $"Line {line}, column {c + 1}: the header names column '{CsvLineReader.ForMessage(names[c])}' twice (columns {seen[names[c]] + 1} and {c + 1}).",
                    line,
                    c + 1,
                    CsvLineReader.Shorten(names[c]));
            }
        }

        return names;
    }

    private static bool IsMarker(ReadOnlySpan<char> trimmed, IReadOnlyList<string> markers)
    {
        for (int i = 0; i < markers.Count; i++)
        {
            if (trimmed.Equals(markers[i], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static int ClassOf(
        ReadOnlySpan<char> name, Dictionary<string, int> classIndex, List<string> foundNames, string[]? classNames, int line, int column)
    {
        string text = name.ToString();
        if (classIndex.TryGetValue(text, out int index))
        {
            return index;
        }

        if (classNames is not null)
        {
            var known = new StringBuilder();
            for (int k = 0; k < classNames.Length && k < 10; k++)
            {
                known.Append(k == 0 ? "'" : ", '").Append(CsvLineReader.ForMessage(classNames[k])).Append('\'');
            }

            if (classNames.Length > 10)
            {
                known.Append(", …");
            }

            throw new CsvFormatException(
                $"Line {line}, column {column}: '{CsvLineReader.ForMessage(text)}' is not one of the {classNames.Length} classes given ({known}).",
                line,
                column,
                CsvLineReader.Shorten(text));
        }

        index = foundNames.Count;
        classIndex.Add(text, index);
        foundNames.Add(text);
        return index;
    }

    private static void FillMeans<T>(T[] values, int featureCount, int[] firstMissingLine, int labelIndex)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = values.Length / featureCount;
        for (int f = 0; f < featureCount; f++)
        {
            if (firstMissingLine[f] == 0)
            {
                continue;
            }

            double sum = 0;
            int count = 0;
            for (int r = 0; r < rows; r++)
            {
                T value = values[(r * featureCount) + f];
                if (!T.IsNaN(value))
                {
                    sum += double.CreateChecked(value);
                    count++;
                }
            }

            int fileColumn = labelIndex >= 0 && f >= labelIndex ? f + 2 : f + 1;
            if (count == 0)
            {
                throw new CsvFormatException(
                    $"Line {firstMissingLine[f]}, column {fileColumn}: the column has no value to average for its missing values (MissingValueHandling.ColumnMean).",
                    firstMissingLine[f],
                    fileColumn,
                    string.Empty);
            }

            double mean = sum / count;
            if (!double.IsFinite(mean))
            {
                // The sum overflowed: add the values divided by their count instead.
                mean = 0;
                for (int r = 0; r < rows; r++)
                {
                    T value = values[(r * featureCount) + f];
                    if (!T.IsNaN(value))
                    {
                        mean += double.CreateChecked(value) / count;
                    }
                }
            }

            T fill = T.CreateSaturating(mean);
            for (int r = 0; r < rows; r++)
            {
                int i = (r * featureCount) + f;
                if (T.IsNaN(values[i]))
                {
                    values[i] = fill;
                }
            }
        }
    }
}
