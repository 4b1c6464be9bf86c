using System;
using System.IO;
using NetGen;

namespace NetGen.Tests.Data;

/// <summary>
/// NumericCsvOptions: leading lines skipped, comment lines, blank lines, missing values, and line numbers that count
/// physical lines of the file from 1, header, skipped and comment lines included.
/// </summary>
public sealed class NumericCsvOptionsTests
{
    private static NumericTable<double> Read(string text, NumericCsvOptions options) => NumericCsv.Read<double>(new StringReader(text), options);

    private static CsvFormatException Refused(string text, NumericCsvOptions? options = null) =>
        Assert.Throws<CsvFormatException>(() => Read(text, options ?? new NumericCsvOptions()));

    [Fact]
    public void ErrorOnTheFirstLineOfAHeaderlessFile_IsLine1()
    {
        CsvFormatException e = Refused("x,2\n3,4\n");

        Assert.Equal((1, 1, "x"), (e.LineNumber, e.ColumnNumber, e.Text));
        Assert.StartsWith("Line 1, column 1:", e.Message);
    }

    [Fact]
    public void LineNumbers_CountSkippedAndCommentLines_AndEveryKindOfLineBreak()
    {
        // Line 1 skipped, 2 a comment, 3 the header, 4 a row (CRLF), 5 a comment (CR), 6 a row, 7 the bad one.
        const string text = "150,4,a,b\n# note\r\nx,y\n1,2\r\n# more\r3,4\n5,z\n";

        CsvFormatException e = Refused(text, new NumericCsvOptions { SkipLines = 1, CommentCharacter = '#', HasHeader = true });

        Assert.Equal((7, 2, "z"), (e.LineNumber, e.ColumnNumber, e.Text));
    }

    [Fact]
    public void SkipLines_SkipsWhateverTheLinesHold_EvenAnOpenQuoteOrNul()
    {
        NumericTable<double> table = Read("\"open\n\0\u0001,,,\n1,2\n", new NumericCsvOptions { SkipLines = 2 });

        Assert.Equal([1.0, 2], table.Values);
        Assert.Equal(2, table.ColumnCount);
    }

    [Fact]
    public void SkipLines_MoreThanTheFileHas_GivesAnEmptyTable()
    {
        NumericTable<double> table = Read("1,2\n3,4\n", new NumericCsvOptions { SkipLines = 5 });

        Assert.Equal((0, 0), (table.RowCount, table.ColumnCount));
    }

    [Fact]
    public void CommentLines_AreSkippedAnywhere_ButOnlyWhenTheCharacterComesFirst()
    {
        NumericTable<double> table = Read("#a\nx,y\n#b\n1,2\n#c,\"\n3,4\n#d\n", new NumericCsvOptions { HasHeader = true, CommentCharacter = '#' });
        Assert.Equal(["x", "y"], table.ColumnNames);
        Assert.Equal([1.0, 2, 3, 4], table.Values);

        // After a space it is part of a cell, which is then no number.
        CsvFormatException e = Refused("1,2\n #3,4\n", new NumericCsvOptions { CommentCharacter = '#' });
        Assert.Equal((2, 1, " #3"), (e.LineNumber, e.ColumnNumber, e.Text));

        // Without the option a comment line is a row like any other.
        Assert.Equal(1, Refused("#a\n1\n").LineNumber);
    }

    [Theory]
    [InlineData("1,2\n3,4\n\n")]
    [InlineData("1,2\n3,4\n\n\n\n")]
    [InlineData("1,2\r\n3,4\r\n\r\n  \r\n\t\r\n")]
    [InlineData("1,2\n3,4")]
    [InlineData("1,2\n3,4\n \n#end\n\n")]
    public void TrailingBlankLines_AreAccepted(string text)
    {
        NumericTable<double> table = Read(text, new NumericCsvOptions { CommentCharacter = '#' });

        Assert.Equal([1.0, 2, 3, 4], table.Values);
    }

    [Theory]
    [InlineData("1,2\n\n3,4\n", 2)]
    [InlineData("1,2\n  \n\n3,4\n", 2)]
    [InlineData("\n1,2\n", 1)]
    [InlineData("1,2\n#c\n\n#d\n3,4\n", 3)]
    public void BlankLinesFollowedByARow_AreRefusedAtTheFirstBlankLine(string text, int line)
    {
        CsvFormatException e = Refused(text, new NumericCsvOptions { CommentCharacter = '#' });

        Assert.Equal((line, 1), (e.LineNumber, e.ColumnNumber));
        Assert.Contains("blank line", e.Message);
    }

    [Fact]
    public void ABlankLineBeforeTheHeader_IsRefused()
    {
        Assert.Equal(1, Refused("\nx,y\n1,2\n", new NumericCsvOptions { HasHeader = true }).LineNumber);
    }

    [Fact]
    public void OnlyBlankLines_GiveAnEmptyTable()
    {
        Assert.Equal((0, 0), (Read("\n\n  \n", new NumericCsvOptions()).RowCount, Read("\n", new NumericCsvOptions()).ColumnCount));
    }

    [Fact]
    public void WithATabSeparator_ALineOfATab_IsTwoEmptyCells_NotBlank()
    {
        CsvFormatException e = Refused("1\t2\n\t\n", new NumericCsvOptions { Separator = '\t' });

        Assert.Equal((2, 1, string.Empty), (e.LineNumber, e.ColumnNumber, e.Text));
        Assert.Contains("missing value", e.Message);
    }

    [Theory]
    [InlineData("1,,3", 2, "")]
    [InlineData("1, ,3", 2, " ")]
    [InlineData("1,\"\",3", 2, "")]
    [InlineData("NA,2,3", 1, "NA")]
    [InlineData("1,n/a,3", 2, "n/a")]
    [InlineData("1,2, nan ", 3, " nan ")]
    public void MissingValues_AreRefusedByDefault_AtTheirCell(string line, int column, string text)
    {
        CsvFormatException e = Refused("0,0,0\n" + line + "\n");

        Assert.Equal((2, column, text), (e.LineNumber, e.ColumnNumber, e.Text));
        Assert.Contains("missing value", e.Message);
    }

    [Fact]
    public void ColumnMean_AveragesThePresentValuesOfEachColumn()
    {
        // Column 1: (1 + 4) / 2; column 2: (2 + 5 + 8) / 3 untouched; column 3: 6 alone.
        NumericTable<double> table = Read("1,2,NA\n,5,6\n4,8,\n", new NumericCsvOptions { MissingValues = MissingValueHandling.ColumnMean });

        Assert.Equal([1.0, 2, 6, 2.5, 5, 6, 4, 8, 6], table.Values);
    }

    [Fact]
    public void ColumnMean_OfAColumnWithNoValue_IsRefusedAtItsFirstMissingCell()
    {
        CsvFormatException e = Refused("1,NA\n2,\n", new NumericCsvOptions { MissingValues = MissingValueHandling.ColumnMean });

        Assert.Equal((1, 2), (e.LineNumber, e.ColumnNumber));
    }

    [Fact]
    public void ColumnMean_OfHugeValues_DoesNotOverflow()
    {
        NumericTable<double> table = Read("1e308\n1.5e308\nNA\n", new NumericCsvOptions { MissingValues = MissingValueHandling.ColumnMean });

        Assert.Equal(1.25e308, table[2, 0], 1e294);
    }

    [Fact]
    public void Markers_CanBeChanged_ToASentinelNumber_OrToNone()
    {
        var sentinel = new NumericCsvOptions { MissingValueMarkers = ["-999"], MissingValues = MissingValueHandling.Constant, MissingValueConstant = 0.5 };
        Assert.Equal([1.0, 0.5, 0.5], Read("1\n-999\n\"\"\n", sentinel).Values);

        // NA is no longer a marker, so it is a cell that is not a number.
        CsvFormatException e = Refused("1\nNA\n", sentinel);
        Assert.Equal((2, "NA"), (e.LineNumber, e.Text));
        Assert.DoesNotContain("missing value", e.Message);

        // With no markers only empty cells are missing.
        var none = new NumericCsvOptions { MissingValueMarkers = [], MissingValues = MissingValueHandling.Constant };
        Assert.Equal([0.0, 2], Read(",2\n", none).Values);
        Assert.Equal("NaN", Refused("NaN,2\n", none).Text);
    }

    [Fact]
    public void NonFiniteNumbers_AreRefused_EvenWhenImputing_UnlessTheyAreMarkers()
    {
        var impute = new NumericCsvOptions { MissingValues = MissingValueHandling.Constant, MissingValueConstant = 7 };
        Assert.Equal([1.0, 7], Read("1\nNaN\n", impute).Values);
        Assert.Equal((2, "Infinity"), (Refused("1\nInfinity\n", impute).LineNumber, Refused("1\nInfinity\n", impute).Text));
        Assert.Equal("1e999", Refused("1\n1e999\n", impute).Text);
        Assert.Contains("not a finite number", Refused("1\nNaN\n", new NumericCsvOptions { MissingValueMarkers = [] }).Message);
    }

    [Fact]
    public void BadOptions_AreArgumentExceptionsNamingOptions()
    {
        var reader = new StringReader("1\n");
        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() => Read("1", new NumericCsvOptions { SkipLines = -1 })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() => Read("1", new NumericCsvOptions { MaxCellLength = 0 })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => Read("1", new NumericCsvOptions { CommentCharacter = ',' })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => Read("1", new NumericCsvOptions { CommentCharacter = '"' })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => Read("1", new NumericCsvOptions { Separator = '\0' })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => Read("1", new NumericCsvOptions { Separator = '\n' })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => Read("1", new NumericCsvOptions { MissingValueMarkers = null! })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => Read("1", new NumericCsvOptions { MissingValueMarkers = [null!] })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() => Read("1", new NumericCsvOptions { MissingValues = (MissingValueHandling)3 })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Read("1", new NumericCsvOptions { MissingValues = MissingValueHandling.Constant, MissingValueConstant = double.NaN })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() =>
            NumericCsv.Read<float>(reader, new NumericCsvOptions { MissingValues = MissingValueHandling.Constant, MissingValueConstant = 1e300 })).ParamName);
        Assert.Throws<ArgumentNullException>(() => NumericCsv.Read<double>(reader, (NumericCsvOptions)null!));
        Assert.Throws<ArgumentNullException>(() => NumericCsv.Read<double>((TextReader)null!, new NumericCsvOptions()));
        Assert.Throws<ArgumentNullException>(() => NumericCsv.Read<double>((string)null!, new NumericCsvOptions()));
    }

    [Fact]
    public void TabSeparatedAndSpaceSeparated_Work()
    {
        Assert.Equal([1.0, 2, 3, 4], Read("1\t2\n3\t 4\n", new NumericCsvOptions { Separator = '\t' }).Values);
        Assert.Equal([1.0, 2, 3, 4], Read("1 2\n3 4\n", new NumericCsvOptions { Separator = ' ' }).Values);
    }

    [Fact]
    public void ATabInsideACell_IsWhiteSpaceAroundANumber()
    {
        Assert.Equal([1.0, 2], Read("\t1\t,2\n", new NumericCsvOptions()).Values);
    }

    [Fact]
    public void AByteOrderMark_AtTheStart_IsSkipped_ButNotElsewhere()
    {
        Assert.Equal(["x", "y"], Read("\uFEFFx,y\n1,2\n", new NumericCsvOptions { HasHeader = true }).ColumnNames);
        Assert.Equal((2, 1), (Refused("1,2\n\uFEFF3,4\n").LineNumber, Refused("1,2\n\uFEFF3,4\n").ColumnNumber));
    }
}
