using System;
using System.IO;
using NetGen;

namespace NetGen.Tests.Data;

/// <summary>
/// NumericCsv.ReadLabeled: a column of class names, by name or index, mapped to class indices sorted ordinally, or
/// with a given mapping where an unknown name is refused at its line and column.
/// </summary>
public sealed class NumericCsvLabelTests
{
    private const string Animals = "weight,kind,legs\n4.5,dog,4\n0.3,bird,2\n5,cat,4\n0.2,bird,2\n";

    [Fact]
    public void ByName_ClassesAreSortedOrdinally_AndTheOtherColumnsKeepTheirOrder()
    {
        LabeledTable<double> read = NumericCsv.ReadLabeled<double>(new StringReader(Animals), "kind");

        Assert.Equal(["bird", "cat", "dog"], read.ClassNames);
        Assert.Equal(3, read.ClassCount);
        Assert.Equal([2, 0, 1, 0], read.Labels.ToArray());
        Assert.Equal(["weight", "legs"], read.Features.ColumnNames);
        Assert.Equal([4.5, 4, 0.3, 2, 5, 4, 0.2, 2], read.Features.Values);
        Assert.Equal(4, read.RowCount);
    }

    [Fact]
    public void ByIndex_WithoutAHeader()
    {
        LabeledTable<float> read = NumericCsv.ReadLabeled<float>(new StringReader("b,1\na,2\nB,3\n"), 0);

        // Ordinal: upper case before lower case.
        Assert.Equal(["B", "a", "b"], read.ClassNames);
        Assert.Equal([2, 1, 0], read.Labels.ToArray());
        Assert.Empty(read.Features.ColumnNames);
        Assert.Equal([1f, 2, 3], read.Features.Values);
    }

    [Fact]
    public void ClassNames_AreTrimmedAndUnquoted_AndMayHoldTheSeparatorWhenQuoted()
    {
        LabeledTable<double> read = NumericCsv.ReadLabeled<double>(new StringReader("1, x \n2,\"x\"\n3,\"a,\"\"b\"\"\"\n"), 1);

        Assert.Equal(["a,\"b\"", "x"], read.ClassNames);
        Assert.Equal([1, 1, 0], read.Labels.ToArray());
    }

    [Fact]
    public void NumericLabels_AreReadAsNames_SortedAsText()
    {
        LabeledTable<double> read = NumericCsv.ReadLabeled<double>(new StringReader("1,2\n1,10\n1,0\n"), 1);

        Assert.Equal(["0", "10", "2"], read.ClassNames);
        Assert.Equal([2, 1, 0], read.Labels.ToArray());
    }

    [Fact]
    public void AGivenMapping_IsUsedAsItIs_EvenForClassesTheFileLacks()
    {
        LabeledTable<double> read = NumericCsv.ReadLabeled<double>(new StringReader(Animals), "kind", classNames: ["dog", "cat", "bird", "fish"]);

        Assert.Equal(["dog", "cat", "bird", "fish"], read.ClassNames);
        Assert.Equal([0, 2, 1, 2], read.Labels.ToArray());
        Assert.Equal(4, read.ToDataset().OutputCount);
    }

    [Fact]
    public void AGivenMapping_RefusesAnUnknownName_AtItsLineAndColumn()
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() =>
            NumericCsv.ReadLabeled<double>(new StringReader(Animals + "9,cow,4\n"), "kind", classNames: ["bird", "cat", "dog"]));

        Assert.Equal((6, 2, "cow"), (e.LineNumber, e.ColumnNumber, e.Text));
        Assert.Contains("'cow' is not one of the 3 classes given ('bird', 'cat', 'dog')", e.Message);
    }

    [Theory]
    [InlineData("1,\n")]
    [InlineData("1, \n")]
    [InlineData("1,NA\n")]
    [InlineData("1,\"\"\n")]
    public void AMissingClassName_IsRefused_EvenWhenImputing(string row)
    {
        var options = new NumericCsvOptions { MissingValues = MissingValueHandling.Constant };

        CsvFormatException e = Assert.Throws<CsvFormatException>(() => NumericCsv.ReadLabeled<double>(new StringReader("2,a\n" + row), 1, options));

        Assert.Equal((2, 2), (e.LineNumber, e.ColumnNumber));
        Assert.Contains("class name is missing", e.Message);
    }

    [Fact]
    public void MissingFeatures_AreImputed_ButNotCountingTheLabelColumn()
    {
        var options = new NumericCsvOptions { HasHeader = true, MissingValues = MissingValueHandling.ColumnMean };

        LabeledTable<double> read = NumericCsv.ReadLabeled<double>(new StringReader("k,x,y\na,1,\nb,,4\na,3,8\n"), "k", options);

        Assert.Equal([1.0, 6, 2, 4, 3, 8], read.Features.Values);
    }

    [Fact]
    public void ColumnMeanRefusal_NamesTheFileColumn_PastTheLabelColumn()
    {
        var options = new NumericCsvOptions { MissingValues = MissingValueHandling.ColumnMean };

        CsvFormatException e = Assert.Throws<CsvFormatException>(() => NumericCsv.ReadLabeled<double>(new StringReader("1,a,\n2,b,NA\n"), 1, options));

        Assert.Equal((1, 3), (e.LineNumber, e.ColumnNumber));
    }

    [Fact]
    public void AnUnknownColumnName_IsRefusedAtTheHeader()
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() =>
            NumericCsv.ReadLabeled<double>(new StringReader("# c\n" + Animals), "species", new NumericCsvOptions { HasHeader = true, CommentCharacter = '#' }));

        Assert.Equal((2, "species"), (e.LineNumber, e.Text));
    }

    [Fact]
    public void AnIndexBeyondTheRow_IsRefusedAtTheFirstRow()
    {
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => NumericCsv.ReadLabeled<double>(new StringReader("1,2\n3,4\n"), 2));

        Assert.Equal((1, 3), (e.LineNumber, e.ColumnNumber));
    }

    [Fact]
    public void ByName_InAFileWithNothing_IsRefused_AndByIndex_IsEmpty()
    {
        Assert.Throws<CsvFormatException>(() => NumericCsv.ReadLabeled<double>(new StringReader("\n"), "kind"));

        LabeledTable<double> empty = NumericCsv.ReadLabeled<double>(new StringReader(string.Empty), 0);
        Assert.Equal((0, 0, 0), (empty.RowCount, empty.ClassCount, empty.Features.ColumnCount));

        LabeledTable<double> headerOnly = NumericCsv.ReadLabeled<double>(new StringReader("x,kind\n"), "kind");
        Assert.Equal(["x"], headerOnly.Features.ColumnNames);
        Assert.Equal(0, headerOnly.RowCount);
    }

    [Fact]
    public void BadArguments_Throw()
    {
        var reader = new StringReader(Animals);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => NumericCsv.ReadLabeled<double>(reader, "kind", new NumericCsvOptions())).ParamName);
        Assert.Equal("classNames", Assert.Throws<ArgumentException>(() => NumericCsv.ReadLabeled<double>(reader, "kind", classNames: ["a", "a"])).ParamName);
        Assert.Equal("classNames", Assert.Throws<ArgumentException>(() => NumericCsv.ReadLabeled<double>(reader, "kind", classNames: [null!])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => NumericCsv.ReadLabeled<double>(reader, -1));
        Assert.Throws<ArgumentNullException>(() => NumericCsv.ReadLabeled<double>(reader, (string)null!));
        Assert.Throws<ArgumentNullException>(() => NumericCsv.ReadLabeled<double>((TextReader)null!, 0));
        Assert.Throws<ArgumentNullException>(() => NumericCsv.ReadLabeled<double>((string)null!, 0));
        Assert.Throws<FileNotFoundException>(() => NumericCsv.ReadLabeled<double>(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".csv"), "kind"));
    }

    [Fact]
    public void LabeledTable_ChecksWhatItIsGiven()
    {
        var features = new NumericTable<double>([1, 2], 1);
        Assert.Throws<ArgumentException>(() => new LabeledTable<double>(features, [0], ["a"]));
        Assert.Throws<ArgumentException>(() => new LabeledTable<double>(features, [0, 1], ["a"]));
        Assert.Throws<ArgumentException>(() => new LabeledTable<double>(features, [0, 0], ["a", "a"]));
        string[] names = ["a", "b"];
        var table = new LabeledTable<double>(features, [0, 1], names);
        names[0] = "changed";
        Assert.Equal(["a", "b"], table.ClassNames);
    }
}
