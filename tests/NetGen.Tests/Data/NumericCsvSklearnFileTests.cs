using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen;

namespace NetGen.Tests.Data;

/// <summary>
/// NumericCsv on scikit-learn's own iris.csv, wine_data.csv and breast_cancer.csv (copied unchanged into
/// Fixtures/data), which start with a metadata line, and on files derived from iris with the species as names and
/// with missing cells. Every expected value is in Fixtures/data/expected.json, written by make_data_fixtures.py from
/// scikit-learn's loaders (numpy), not by NetGen.
/// </summary>
public sealed class NumericCsvSklearnFileTests
{
    private static readonly Lazy<JsonElement> Expected = new(() =>
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(FixturePath("expected.json")));
        return document.RootElement.Clone();
    });

    [Theory]
    [InlineData("iris")]
    [InlineData("wine")]
    [InlineData("breast_cancer")]
    public void SklearnFile_WithItsMetadataLineSkipped_ReadsAsSklearnLoadsIt(string name)
    {
        JsonElement expected = Expected.Value.GetProperty(name);
        int features = expected.GetProperty("features").GetInt32();
        string path = FixturePath(expected.GetProperty("file").GetString()!);

        NumericTable<double> table = NumericCsv.Read<double>(path, new NumericCsvOptions { SkipLines = 1 });

        Assert.Equal(expected.GetProperty("rows").GetInt32(), table.RowCount);
        Assert.Equal(features + 1, table.ColumnCount);
        Assert.Equal(Doubles(expected, "first"), table.GetRow(0)[..features].ToArray());
        Assert.Equal(Doubles(expected, "last"), table.GetRow(table.RowCount - 1)[..features].ToArray());
        double[] means = Doubles(expected, "means");
        for (int c = 0; c < features; c++)
        {
            Assert.Equal(means[c], table.GetColumn(c).Average(), 1e-9 * Math.Max(1, Math.Abs(means[c])));
        }

        int[] labels = table.GetLabels(features);
        Assert.Equal(expected.GetProperty("target_first").GetInt32(), labels[0]);
        Assert.Equal(expected.GetProperty("target_last").GetInt32(), labels[^1]);
        int[] counts = expected.GetProperty("target_counts").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(counts, Enumerable.Range(0, counts.Length).Select(k => labels.Count(l => l == k)).ToArray());
    }

    [Fact]
    public void SklearnIris_WithoutSkippingTheMetadataLine_FailsAtLine1Column3()
    {
        // The metadata line "150,4,setosa,versicolor,virginica" has 5 cells, as the rows do, but "setosa" is no number;
        // it is line 1 of a file without a header.
        CsvFormatException e = Assert.Throws<CsvFormatException>(() => NumericCsv.Read<double>(FixturePath("iris.csv")));

        Assert.Equal((1, 3, "setosa"), (e.LineNumber, e.ColumnNumber, e.Text));
    }

    [Fact]
    public void SklearnIris_InFloat_MatchesTheFileRoundedToFloat()
    {
        JsonElement expected = Expected.Value.GetProperty("iris");
        NumericTable<float> table = NumericCsv.Read<float>(FixturePath("iris.csv"), new NumericCsvOptions { SkipLines = 1 });

        Assert.Equal(Doubles(expected, "first").Select(v => (float)v).ToArray(), table.GetRow(0)[..4].ToArray());
        Assert.Equal(Doubles(expected, "last").Select(v => (float)v).ToArray(), table.GetRow(149)[..4].ToArray());
    }

    [Fact]
    public void SpeciesByName_AreSortedOrdinally_NotInOrderOfAppearance()
    {
        JsonElement expected = Expected.Value.GetProperty("iris_species");

        LabeledTable<double> read = NumericCsv.ReadLabeled<double>(FixturePath("iris_species.csv"), "species");

        Assert.Equal(Strings(expected, "class_names"), read.ClassNames);
        Assert.NotEqual(Strings(expected, "first_appearance"), read.ClassNames);
        Assert.Equal(Ints(expected, "labels"), read.Labels.ToArray());
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], read.Features.ColumnNames);
        Assert.Equal((150, 4), (read.Features.RowCount, read.Features.ColumnCount));
        Assert.Equal(Doubles(expected, "first_row"), read.Features.GetRow(0).ToArray());

        // The same classes as scikit-learn's target_names, in the same order.
        Assert.Equal(Strings(Expected.Value.GetProperty("iris"), "target_names"), read.ClassNames);
    }

    [Fact]
    public void SpeciesOfATestFile_ReadWithTheTrainingFilesClasses()
    {
        LabeledTable<float> training = NumericCsv.ReadLabeled<float>(FixturePath("iris_species.csv"), "species");
        JsonElement expected = Expected.Value.GetProperty("iris_species_test");

        // Column 4 (0-based) by index, with the header read: the same mapping however the column is named.
        LabeledTable<float> test = NumericCsv.ReadLabeled<float>(
            FixturePath("iris_species_test.csv"), 4, new NumericCsvOptions { HasHeader = true }, training.ClassNames);

        Assert.Equal(training.ClassNames, test.ClassNames);
        Assert.Equal(expected.GetProperty("rows").GetInt32(), test.RowCount);
        Assert.Equal(Ints(expected, "labels"), test.Labels.ToArray());

        Dataset<float> dataset = test.ToDataset();
        Assert.Equal((4, 3, test.RowCount), (dataset.InputCount, dataset.OutputCount, dataset.Count));
        for (int i = 0; i < dataset.Count; i++)
        {
            Assert.Equal(test.Labels[i], OneHot.Decode(dataset.GetTarget(i)));
            Assert.Equal(1f, dataset.GetTarget(i).ToArray().Sum());
        }
    }

    [Fact]
    public void MissingCells_AreRefusedByDefault_AtTheFirstOne()
    {
        JsonElement expected = Expected.Value.GetProperty("iris_missing");

        CsvFormatException e = Assert.Throws<CsvFormatException>(() =>
            NumericCsv.Read<double>(FixturePath("iris_missing.csv"), hasHeader: true));

        Assert.Equal(expected.GetProperty("first_hole_line").GetInt32(), e.LineNumber);
        Assert.Equal(expected.GetProperty("first_hole_column").GetInt32(), e.ColumnNumber);
        Assert.Equal(expected.GetProperty("first_hole_text").GetString(), e.Text);
        Assert.Contains("missing value", e.Message);
    }

    [Fact]
    public void MissingCells_ImputedWithColumnMeans_GetNumpysNanMean_AndNothingElseChanges()
    {
        JsonElement expected = Expected.Value.GetProperty("iris_missing");
        double[] means = Doubles(expected, "means");
        var holes = expected.GetProperty("holes").EnumerateArray()
            .Select(h => (Row: h[0].GetInt32(), Column: h[1].GetInt32())).ToHashSet();
        NumericTable<double> complete = NumericCsv.Read<double>(FixturePath("iris.csv"), new NumericCsvOptions { SkipLines = 1 });

        NumericTable<double> table = NumericCsv.Read<double>(
            FixturePath("iris_missing.csv"), new NumericCsvOptions { HasHeader = true, MissingValues = MissingValueHandling.ColumnMean });

        Assert.Equal((150, 5), (table.RowCount, table.ColumnCount));
        for (int r = 0; r < 150; r++)
        {
            for (int c = 0; c < 5; c++)
            {
                if (holes.Contains((r, c)))
                {
                    Assert.Equal(means[c], table[r, c], 1e-12);
                }
                else
                {
                    Assert.Equal(complete[r, c], table[r, c]);
                }
            }
        }
    }

    [Fact]
    public void MissingCells_ImputedWithAConstant()
    {
        JsonElement expected = Expected.Value.GetProperty("iris_missing");
        NumericTable<float> table = NumericCsv.Read<float>(
            FixturePath("iris_missing.csv"),
            new NumericCsvOptions { HasHeader = true, MissingValues = MissingValueHandling.Constant, MissingValueConstant = -1 });

        foreach (JsonElement hole in expected.GetProperty("holes").EnumerateArray())
        {
            Assert.Equal(-1f, table[hole[0].GetInt32(), hole[1].GetInt32()]);
        }

        Assert.Equal(expected.GetProperty("holes").GetArrayLength(), table.Values.Count(v => v == -1f));
    }

    internal static string FixturePath(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "data", file);

    private static double[] Doubles(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static int[] Ints(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(v => v.GetInt32()).ToArray();

    private static string[] Strings(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(v => v.GetString()!).ToArray();
}
