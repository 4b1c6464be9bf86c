using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using NetGen;

namespace NetGen.Tests.Data;

/// <summary>
/// Hostile text for NumericCsv: every malformed input is a CsvFormatException with its line and column, never a
/// FormatException, OverflowException, IndexOutOfRangeException or anything else; and 2,000 seeded random mutations
/// of a valid file give either a table or a CsvFormatException whose line is a line of the text.
/// </summary>
public sealed class NumericCsvHostileInputTests
{
    public static TheoryData<string, int, int> Malformed() => new()
    {
        // Text, line, column.
        { "1\0", 1, 1 },
        { "1,2\n3,4\0\n", 2, 2 },
        { "1,\u00012\n", 1, 2 },
        { "1,2\u001F\n", 1, 2 },
        { "1,2\u007F\n", 1, 2 },
        { "1,2\u0085\n", 1, 2 },
        { "1,2\n3,\v4\n", 2, 2 },
        { "1,2\n3,4\f\n", 2, 2 },
        { "\"1\0\",2\n", 1, 1 },
        { "1,\"2\n3,4\n", 1, 2 },
        { "1,\"2", 1, 2 },
        { "1,\"2\"x\n", 1, 2 },
        { "1,\"2\" \n", 1, 2 },
        { "1,2\"\n", 1, 2 },
        { "1, \"2\"\n", 1, 2 },
        { "1,2\n3,4,5\n", 2, 3 },
        { "1,2,3\n4\n", 2, 2 },
        { "1,2\n3,4\n,\n", 3, 1 },
        { "1,2\n\n3,4\n", 2, 1 },
        { "1,2\n3,\uD800\n", 2, 2 },
        { "1,2\n3,\uDC00\uD800\n", 2, 2 },
        { "1,2\n3,٣\n", 2, 2 },
        { "1,2\n3,1_000\n", 2, 2 },
        { "1,2\n3,1,5\n", 2, 3 },
        { "1,2\n3,(4)\n", 2, 2 },
        { "1,2\n3,4e\n", 2, 2 },
        { "1,2\n3,0x1F\n", 2, 2 },
        { "1,2\n3,1e400\n", 2, 2 },
        { "1,2\n3,-1e400\n", 2, 2 },
        { "1,2\n3,Infinity\n", 2, 2 },
        { "1,2\n3,∞\n", 2, 2 },
        { "1,2\n3,NaN\n", 2, 2 },
        { "1,2\n3,NA\n", 2, 2 },
        { "1,2\n3,\n", 2, 2 },
        { "1,2\n3,\u00A0\n", 2, 2 },
        { "1,2\n3,99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999\n", 2, 2 },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedText_IsACsvFormatException_AtItsLineAndColumn(string text, int line, int column)
    {
        Exception? e = Record.Exception(() => NumericCsv.Read<double>(new StringReader(text)));

        CsvFormatException csv = Assert.IsType<CsvFormatException>(e);
        Assert.Equal((line, column), (csv.LineNumber, csv.ColumnNumber));
        Assert.StartsWith($"Line {line}, column {column}:", csv.Message);
        Assert.DoesNotContain('\0', csv.Message);

        // The same in float, where the range is smaller, and with a header line in front: one line further down.
        Assert.IsType<CsvFormatException>(Record.Exception(() => NumericCsv.Read<float>(new StringReader(text))));
        CsvFormatException withHeader = Assert.IsType<CsvFormatException>(
            Record.Exception(() => NumericCsv.Read<double>(new StringReader(HeaderFor(text) + "\n" + text), hasHeader: true)));
        Assert.Equal((line + 1, column), (withHeader.LineNumber, withHeader.ColumnNumber));
    }

    [Fact]
    public void NulAfterANumber_IsNotTheNumber()
    {
        // .NET's parser takes "1\0" for 1; the reader refuses the NUL before parsing.
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => NumericCsv.Read<double>(new StringReader("1\0\n")));

        Assert.Equal("1\0", e.Text);
        Assert.Contains("U+0000", e.Message);
    }

    [Theory]
    [InlineData("a,b,a", 3, "a")]
    [InlineData("x,,", 3, "")]
    [InlineData("\"a\",a", 2, "a")]
    public void ARepeatedHeaderName_IsRefusedAtItsSecondColumn(string header, int column, string name)
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() =>
            NumericCsv.Read<double>(new StringReader("# c\n" + header + "\n1,2,3\n"), new NumericCsvOptions { HasHeader = true, CommentCharacter = '#' }));

        Assert.Equal((2, column, name), (e.LineNumber, e.ColumnNumber, e.Text));
        Assert.Contains("twice", e.Message);
    }

    [Fact]
    public void HeaderNamesThatDifferOnlyInCaseOrSpaces_AreDifferentColumns()
    {
        NumericTable<double> table = NumericCsv.Read<double>(new StringReader("a,A,a \n1,2,3\n"), hasHeader: true);

        Assert.Equal(["a", "A", "a "], table.ColumnNames);
    }

    [Fact]
    public void ACellOverTheDefaultLimit_IsRefused_AndOneAtTheLimitIsRead()
    {
        int limit = NumericCsvOptions.DefaultMaxCellLength;
        Assert.Equal(1 << 20, limit);

        // A number of exactly the limit: 1 followed by zeros and a decimal point, then zeros.
        string atLimit = "1." + new string('0', limit - 2);
        Assert.Equal([1.0, 2], NumericCsv.Read<double>(new StringReader(atLimit + ",2\n")).Values);

        CsvFormatException e = Assert.Throws<CsvFormatException>(() =>
            NumericCsv.Read<double>(new StringReader("1,2\n3," + atLimit + "0\n")));
        Assert.Equal((2, 2), (e.LineNumber, e.ColumnNumber));
        Assert.Equal(101, e.Text.Length);
        Assert.EndsWith("…", e.Text);
        Assert.Contains($"longer than {limit} characters", e.Message);
        Assert.True(e.Message.Length < 300);
    }

    [Fact]
    public void ACellOf17MillionCharacters_IsRefused_AsCsvFormatException()
    {
        // What Sep refused with its own exception type: a cell longer than its 16 M character buffer.
        var text = new StringBuilder(17_000_010).Append("x\n\"").Append('7', 17_000_000).Append("\"\n").ToString();

        CsvFormatException e = Assert.Throws<CsvFormatException>(() => NumericCsv.Read<double>(new StringReader(text), hasHeader: true));

        Assert.Equal((2, 1), (e.LineNumber, e.ColumnNumber));
    }

    [Fact]
    public void ASmallerLimit_RefusesALongLabelToo()
    {
        var options = new NumericCsvOptions { MaxCellLength = 5 };
        Assert.Equal(["abcde"], NumericCsv.ReadLabeled<double>(new StringReader("1,abcde\n"), 1, options).ClassNames);

        CsvFormatException e = Assert.Throws<CsvFormatException>(() => NumericCsv.ReadLabeled<double>(new StringReader("1,abcde\n2,abcdef\n"), 1, options));
        Assert.Equal((2, 2, "abcdef"), (e.LineNumber, e.ColumnNumber, e.Text));
    }

    [Fact]
    public void ALongRaggedRow_GivesTheFirst100CharactersOfItsText()
    {
        string row = string.Join(",", Enumerable.Range(0, 100));
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => NumericCsv.Read<double>(new StringReader("1\n" + row + "\n")));

        Assert.Equal((2, 2), (e.LineNumber, e.ColumnNumber));
        Assert.Equal(row[..100] + "…", e.Text);
    }

    [Fact]
    public void TwoThousandRandomMutationsOfAValidFile_GiveATableOrACsvFormatException()
    {
        const string valid =
            "# iris, four rows\n" +
            "sepal_length,sepal_width,\"petal length\",petal_width,species\n" +
            "5.1,3.5,1.4,0.2,setosa\r\n" +
            "7.0,3.2,4.7,1.4,\"versi,color\"\n" +
            "6.3,3.3,6.0,2.5,virginica\n" +
            "4.9,-3e0,+1.4,0.2, setosa \n" +
            "\n";
        const string alphabet = "\0\u0001\t\n\r \",#.-+eE0123456789aNAnN/\u00A0\uFEFF\uD800\uDC00\u0085\u2028∞٣";
        var options = new[]
        {
            new NumericCsvOptions { HasHeader = true, CommentCharacter = '#' },
            new NumericCsvOptions { HasHeader = true, CommentCharacter = '#', MissingValues = MissingValueHandling.ColumnMean },
            new NumericCsvOptions { SkipLines = 2, MissingValues = MissingValueHandling.Constant, MaxCellLength = 8 },
            new NumericCsvOptions { HasHeader = true, SkipLines = 1 },
        };

        var random = new Random(20240611);
        int tables = 0, refusals = 0;
        for (int i = 0; i < 2000; i++)
        {
            var text = new StringBuilder(valid);
            int edits = random.Next(1, 4);
            for (int k = 0; k < edits; k++)
            {
                int at = random.Next(text.Length + 1);
                switch (random.Next(5))
                {
                    case 0:
                        text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    case 1 when at < text.Length:
                        text.Remove(at, 1);
                        break;
                    case 2 when at < text.Length:
                        text[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                    case 3:
                        int start = random.Next(text.Length);
                        int length = random.Next(Math.Min(40, text.Length - start) + 1);
                        text.Insert(at, text.ToString(start, length));
                        break;
                    default:
                        text.Length = Math.Min(text.Length, at);
                        break;
                }
            }

            string mutated = text.ToString();
            int lineCount = CountLines(mutated);
            NumericCsvOptions option = options[i % options.Length];
            var attempts = new List<Func<object>>
            {
                () => NumericCsv.Read<double>(new StringReader(mutated), option),
                () => NumericCsv.Read<float>(new StringReader(mutated), option),
                () => NumericCsv.ReadLabeled<double>(new StringReader(mutated), 4, option),
            };
            if (option.HasHeader)
            {
                attempts.Add(() => NumericCsv.ReadLabeled<float>(new StringReader(mutated), "species", option));
                attempts.Add(() => NumericCsv.ReadLabeled<double>(new StringReader(mutated), "species", option, ["setosa", "versi,color", "virginica"]));
            }

            foreach (Func<object> attempt in attempts)
            {
                Exception? e = Record.Exception(attempt);
                if (e is null)
                {
                    tables++;
                    continue;
                }

                if (e is not CsvFormatException csv)
                {
                    Assert.Fail($"Mutation {i} gave {e.GetType().FullName}: {e.Message}\nText: {Escape(mutated)}");
                    return;
                }

                refusals++;
                Assert.InRange(csv.LineNumber, 1, lineCount + 1);
                Assert.InRange(csv.ColumnNumber, 1, int.MaxValue);
                Assert.StartsWith($"Line {csv.LineNumber}, column {csv.ColumnNumber}:", csv.Message);
                Assert.NotNull(csv.Text);
            }
        }

        // Both outcomes happen: the mutations are neither all harmless nor all fatal.
        Assert.True(tables > 500, $"{tables} tables");
        Assert.True(refusals > 500, $"{refusals} refusals");
    }

    // A header of the same number of columns as the first line of text.
    private static string HeaderFor(string text)
    {
        int cells = 1;
        bool quoted = false;
        foreach (char c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                cells++;
            }
            else if (c is '\n' or '\r')
            {
                break;
            }
        }

        return string.Join(",", Enumerable.Range(0, cells).Select(c => "c" + c));
    }

    // Physical lines as a text editor counts them: \r\n, \n and \r each end one.
    private static int CountLines(string text)
    {
        int lines = 1;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                lines++;
            }
        }

        return lines;
    }

    private static string Escape(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
