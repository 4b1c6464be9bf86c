using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace NetGen;

/// <summary>
/// Splits CSV text into physical lines and a line into cells, for <see cref="NumericCsv"/>. One row is one line: a
/// quoted cell must close on its line. A cell is quoted when its first character is a quote; inside, two quotes
/// stand for one; after the closing quote comes the separator or the end of the line. A quote in an unquoted cell,
/// a control character other than tab in any cell, and a cell longer than the limit are
/// <see cref="CsvFormatException"/>s at the line and 1-based cell. Line breaks are <c>\n</c>, <c>\r\n</c> and
/// <c>\r</c>; a byte order mark at the very start is skipped.
/// </summary>
internal sealed class CsvLineReader
{
    private const int QuotedLength = 100;

    private readonly TextReader _reader;
    private readonly char _separator;
    private readonly int _maxCellLength;
    private readonly char[] _buffer = new char[4096];
    private readonly StringBuilder _line = new();
    private readonly List<(int Start, int Length, bool Quoted)> _cells = [];
    private char[] _cellText = new char[256];
    private int _cellTextLength;
    private int _position;
    private int _count;
    private bool _started;

    public CsvLineReader(TextReader reader, char separator, int maxCellLength)
    {
        _reader = reader;
        _separator = separator;
        _maxCellLength = maxCellLength;
    }

    /// <summary>The 1-based number of the line the last <see cref="ReadCells"/> or <see cref="SkipLine"/> read.</summary>
    public int LineNumber { get; private set; }

    /// <summary>The number of cells of the line <see cref="ReadCells"/> read.</summary>
    public int CellCount => _cells.Count;

    /// <summary>The text of the line <see cref="ReadCells"/> read, as in the file (without its line break).</summary>
    public string LineText => _line.ToString();

    /// <summary>Whether there is nothing more to read.</summary>
    public bool AtEnd => Peek() < 0;

    /// <summary>Whether the line <see cref="ReadCells"/> read is blank: nothing, or only spaces and tabs that do not separate cells.</summary>
    public bool IsBlank => _cells.Count == 1 && !_cells[0].Quoted && Trim(Cell(0)).IsEmpty;

    /// <summary>The next character, without reading it, or -1 at the end.</summary>
    public int Peek()
    {
        if (_position == _count && !Fill())
        {
            return -1;
        }

        return _buffer[_position];
    }

    /// <summary>Cell <paramref name="index"/> (0-based) of the line <see cref="ReadCells"/> read, unquoted.</summary>
    public ReadOnlySpan<char> Cell(int index)
    {
        (int start, int length, _) = _cells[index];
        return _cellText.AsSpan(start, length);
    }

    /// <summary>Whether cell <paramref name="index"/> (0-based) was quoted.</summary>
    public bool IsQuoted(int index) => _cells[index].Quoted;

    /// <summary>Reads the next line to its end without looking at it. Not at the end.</summary>
    public void SkipLine()
    {
        LineNumber++;
        while (true)
        {
            int c = Read();
            if (c < 0 || c == '\n')
            {
                return;
            }

            if (c == '\r')
            {
                if (Peek() == '\n')
                {
                    Read();
                }

                return;
            }
        }
    }

    /// <summary>Reads the next line's cells. Not at the end.</summary>
    /// <exception cref="CsvFormatException">The line breaks the rules above.</exception>
    public void ReadCells()
    {
        LineNumber++;
        _line.Clear();
        _cells.Clear();
        _cellTextLength = 0;
        while (true)
        {
            int start = _cellTextLength;
            int column = _cells.Count + 1;
            bool quoted = Peek() == '"';
            int c;
            if (quoted)
            {
                _line.Append((char)Read());
                while (true)
                {
                    c = Read();
                    if (c < 0 || c == '\r' || c == '\n')
                    {
                        string what = c < 0 ? "the file ends" : "the line ends";
                        throw Error(column, start, $"{what} inside a quoted cell (a quoted cell must close on its own line)");
                    }

                    _line.Append((char)c);
                    if (c == '"')
                    {
                        if (Peek() != '"')
                        {
                            break;
                        }

                        _line.Append((char)Read());
                    }
                    else
                    {
                        CheckCharacter((char)c, column, start);
                    }

                    Append((char)c, column, start);
                }

                c = Peek();
                if (c >= 0 && c != '\r' && c != '\n' && c != _separator)
                {
                    _line.Append((char)c);
                    throw Error(column, start, $"'{ForMessage([(char)c])}' follows the closing quote (only the separator or the end of the line may)");
                }
            }
            else
            {
                while (true)
                {
                    c = Peek();
                    if (c < 0 || c == '\r' || c == '\n' || c == _separator)
                    {
                        break;
                    }

                    Read();
                    _line.Append((char)c);
                    if (c == '"')
                    {
                        Append('"', column, start);
                        throw Error(column, start, "a quote inside an unquoted cell (quote the whole cell, and double the quotes in it)");
                    }

                    CheckCharacter((char)c, column, start);
                    Append((char)c, column, start);
                }
            }

            _cells.Add((start, _cellTextLength - start, quoted));
            c = Read();
            if (c == _separator)
            {
                _line.Append((char)c);
                continue;
            }

            if (c == '\r' && Peek() == '\n')
            {
                Read();
            }

            return;
        }
    }

    /// <summary><paramref name="text"/> without the spaces and tabs around it.</summary>
    public static ReadOnlySpan<char> Trim(ReadOnlySpan<char> text) => text.Trim(" \t");

    /// <summary>Text for a message: <see cref="Shorten"/>, with control characters written as <c>U+0000</c>.</summary>
    public static string ForMessage(ReadOnlySpan<char> text)
    {
        string shortened = Shorten(text);
        if (!shortened.AsSpan().ContainsAnyInRange('\0', '\x1F') && !shortened.AsSpan().ContainsAnyInRange('\x7F', '\x9F'))
        {
            return shortened;
        }

        var builder = new StringBuilder(shortened.Length + 16);
        foreach (char c in shortened)
        {
            builder.Append(char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString());
        }

        return builder.ToString();
    }

    /// <summary>A cell's text for an exception: whole up to 100 characters, else its first 100 and <c>…</c>.</summary>
    public static string Shorten(ReadOnlySpan<char> text) =>
        text.Length <= QuotedLength ? text.ToString() : string.Concat(text[..QuotedLength], "…");

    private void CheckCharacter(char c, int column, int start)
    {
        if (char.IsControl(c) && c != '\t')
        {
            Append(c, column, start);
            throw Error(column, start, $"the cell holds the control character U+{(int)c:X4} (only tab is allowed)");
        }
    }

    private void Append(char c, int column, int start)
    {
        if (_cellTextLength - start >= _maxCellLength)
        {
            // The text ends with the character that is one too many, unless the cell is shortened to its first 100.
            string cell = string.Concat(_cellText.AsSpan(start, Math.Min(_cellTextLength - start, QuotedLength)), [c]);
            throw new CsvFormatException(
                $"Line {LineNumber}, column {column}: the cell is longer than {_maxCellLength} characters (NumericCsvOptions.MaxCellLength): '{ForMessage(cell)}'.",
                LineNumber,
                column,
                Shorten(cell));
        }

        if (_cellTextLength == _cellText.Length)
        {
            if (_cellText.Length == Array.MaxLength)
            {
                throw Error(column, start, "the line's cells hold more characters than one array can");
            }

            Array.Resize(ref _cellText, (int)Math.Min(Array.MaxLength, 2L * _cellText.Length));
        }

        _cellText[_cellTextLength++] = c;
    }

    private CsvFormatException Error(int column, int start, string reason)
    {
        ReadOnlySpan<char> cell = _cellText.AsSpan(start, _cellTextLength - start);
        return new CsvFormatException(
            $"Line {LineNumber}, column {column}: {reason}: '{ForMessage(cell)}'.", LineNumber, column, Shorten(cell));
    }

    private int Read()
    {
        int c = Peek();
        if (c >= 0)
        {
            _position++;
        }

        return c;
    }

    private bool Fill()
    {
        _count = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        if (!_started && _count > 0)
        {
            _started = true;
            if (_buffer[0] == '\uFEFF')
            {
                _position = 1;
                if (_count == 1)
                {
                    return Fill();
                }
            }
        }

        return _count > 0;
    }
}
