using System;
using System.IO;
using NetGen;

namespace NetGen.Tests.Data;

/// <summary>NumericCsv: reading numbers with and without a header, and errors that say where.</summary>
public sealed class NumericCsvTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-csv-" + Guid.NewGuid().ToString("N"));

    public NumericCsvTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Read_WithHeader_FromATextReader()
    {
        NumericTable<double> table = NumericCsv.Read<double>(new StringReader("x,y,label\n1.5,-2,0\n3e2,0.25,1\n"), hasHeader: true);

        Assert.Equal(2, table.RowCount);
        Assert.Equal(3, table.ColumnCount);
        Assert.Equal(["x", "y", "label"], table.ColumnNames);
        Assert.Equal([1.5, -2, 0, 300, 0.25, 1], table.Values);
        Assert.Equal(0.25, table[1, 1]);
    }

    [Fact]
    public void Read_WithoutHeader_FromAPath_Float()
    {
        string path = Path.Combine(_directory, "data.csv");
        File.WriteAllText(path, "0,1,2,3\r\n4,5,6,7\r\n");

        NumericTable<float> table = NumericCsv.Read<float>(path);

        Assert.Equal(2, table.RowCount);
        Assert.Equal(4, table.ColumnCount);
        Assert.Empty(table.ColumnNames);
        Assert.Equal([0f, 1, 2, 3, 4, 5, 6, 7], table.Values);
    }

    [Fact]
    public void Read_AcceptsQuotesSpacesExponentsAndOtherSeparators()
    {
        NumericTable<double> table = NumericCsv.Read<double>(new StringReader("\"1.5\"; 2 ;-1E-3\n4;5;+6\n"), separator: ';');

        Assert.Equal([1.5, 2, -0.001, 4, 5, 6], table.Values);
    }

    [Fact]
    public void Read_EmptyInput_GivesAnEmptyTable_AndAHeaderAloneGivesColumnsWithoutRows()
    {
        NumericTable<double> empty = NumericCsv.Read<double>(new StringReader(string.Empty));
        Assert.Equal((0, 0), (empty.RowCount, empty.ColumnCount));

        NumericTable<double> headerOnly = NumericCsv.Read<double>(new StringReader("a,b,c\n"), hasHeader: true);
        Assert.Equal((0, 3), (headerOnly.RowCount, headerOnly.ColumnCount));
        Assert.Equal(["a", "b", "c"], headerOnly.ColumnNames);
    }

    [Fact]
    public void BadCell_ReportsLineColumnAndText()
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => NumericCsv.Read<double>(new StringReader("1,2,3\n4,five,6\n")));

        Assert.Equal(2, e.LineNumber);
        Assert.Equal(2, e.ColumnNumber);
        Assert.Equal("five", e.Text);
        Assert.Contains("Line 2, column 2", e.Message);
        Assert.Contains("'five'", e.Message);
        Assert.IsAssignableFrom<FormatException>(e);
    }

    [Fact]
    public void BadCell_LineNumbersCountTheHeaderAndCrLf()
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() =>
            NumericCsv.Read<float>(new StringReader("a,b\r\n1,2\r\n3,4\r\n5,1.2.3\r\n"), hasHeader: true));

        Assert.Equal((4, 2, "1.2.3"), (e.LineNumber, e.ColumnNumber, e.Text));
    }

    [Theory]
    [InlineData("1,,3", 2, "")]
    [InlineData("NaN,2,3", 1, "NaN")]
    [InlineData("1,2,Infinity", 3, "Infinity")]
    [InlineData("1,2,1e999", 3, "1e999")]
    [InlineData("1,2,0x10", 3, "0x10")]
    public void EmptyOrNonFiniteOrForeignCells_AreRejected(string line, int column, string text)
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => NumericCsv.Read<double>(new StringReader("0,0,0\n" + line + "\n")));

        Assert.Equal((2, column, text), (e.LineNumber, e.ColumnNumber, e.Text));
        Assert.Contains("not a finite number", e.Message);
    }

    [Fact]
    public void RaggedRow_WithTooFewCells_ReportsTheFirstMissingColumn()
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => NumericCsv.Read<double>(new StringReader("1,2,3\n4,5,6\n7,8\n")));

        Assert.Equal((3, 3, "7,8"), (e.LineNumber, e.ColumnNumber, e.Text));
        Assert.Contains("Line 3, column 3", e.Message);
        Assert.Contains("the row has 2 cells, but the first row has 3", e.Message);
    }

    [Fact]
    public void RaggedRow_WithTooManyCells_AgainstTheHeader_ReportsTheFirstExtraColumn()
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() =>
            NumericCsv.Read<double>(new StringReader("a,b\n1,2\n3,4,5\n"), hasHeader: true));

        Assert.Equal((3, 3, "3,4,5"), (e.LineNumber, e.ColumnNumber, e.Text));
        Assert.Contains("the header has 2", e.Message);
    }

    [Fact]
    public void BlankLineInTheMiddle_IsARaggedRowAtItsLine()
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => NumericCsv.Read<double>(new StringReader("1,2\n\n3,4\n")));

        Assert.Equal(2, e.LineNumber);
    }

    [Fact]
    public void BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => NumericCsv.Read<double>((TextReader)null!));
        Assert.Throws<ArgumentNullException>(() => NumericCsv.Read<double>((string)null!));
        Assert.Equal("separator", Assert.Throws<ArgumentException>(() => NumericCsv.Read<double>(new StringReader("1"), separator: '.')).ParamName);
        Assert.Throws<FileNotFoundException>(() => NumericCsv.Read<double>(Path.Combine(_directory, "missing.csv")));
    }
}
