using System;
using System.IO;
using System.Linq;
using NetGen;

namespace NetGen.Tests.Data;

/// <summary>NumericTable, Standardizer, OneHot and Dataset (including the seeded split).</summary>
public class DataHelperTests
{
    // ---- NumericTable.

    [Fact]
    public void Table_SelectsColumnsAndReadsLabels()
    {
        var table = new NumericTable<float>([1, 2, 3, 0, /**/ 4, 5, 6, 2, /**/ 7, 8, 9, 1], 4, ["a", "b", "c", "digit"]);

        NumericTable<float> features = table.SelectColumns(0, 3);
        Assert.Equal([1f, 2, 3, 4, 5, 6, 7, 8, 9], features.Values);
        Assert.Equal(["a", "b", "c"], features.ColumnNames);
        Assert.Equal([0, 2, 1], table.GetLabels(3));
        Assert.Equal([2f, 5, 8], table.GetColumn(1));
        Assert.Equal([4f, 5, 6, 2], table.GetRow(1).ToArray());
    }

    [Theory]
    [InlineData(1.5f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void Table_LabelsMustBeWholeAndNonNegative(float bad)
    {
        var table = new NumericTable<float>([0, 1, 2, bad], 1);
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => table.GetLabels(0));
        Assert.Contains("Row 4, column 1", e.Message);
    }

    [Fact]
    public void Table_LabelOfTwoToThe31_ThrowsInvalidDataException_InFloatAndDouble()
    {
        // 2^31 = 2,147,483,648 is one more than int.MaxValue, and exactly a float and a double.
        var floats = new NumericTable<float>([0f, 2147483648f], 1);
        var doubles = new NumericTable<double>([0, 2147483648.0], 1);

        Assert.Contains("Row 2", Assert.Throws<InvalidDataException>(() => floats.GetLabels(0)).Message, StringComparison.Ordinal);
        Assert.Contains("Row 2", Assert.Throws<InvalidDataException>(() => doubles.GetLabels(0)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => new NumericTable<float>([3e38f], 1).GetLabels(0));

        // The largest float below 2^31 is 2^31 - 128, a label; int.MaxValue itself is one in double.
        Assert.Equal([2147483520], new NumericTable<float>([2147483520f], 1).GetLabels(0));
        Assert.Equal([int.MaxValue], new NumericTable<double>([int.MaxValue], 1).GetLabels(0));
    }

    [Fact]
    public void Table_RejectsBadShapes()
    {
        Assert.Throws<ArgumentException>(() => new NumericTable<double>(new double[5], 2));
        Assert.Throws<ArgumentException>(() => new NumericTable<double>(new double[4], 2, ["only one"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NumericTable<double>(new double[4], 2).SelectColumns(1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NumericTable<double>(new double[4], 2)[2, 0]);
    }

    // ---- Standardizer. Training columns: [1, 2, 3, 4] (mean 2.5, population variance (2.25 + 0.25 + 0.25 + 2.25)/4 =
    // 1.25), [10, 20, 30, 40] (mean 25, variance 125) and the constant [7, 7, 7, 7] (std 0).

    private static readonly double[] TrainingRows = [1, 10, 7, /**/ 2, 20, 7, /**/ 3, 30, 7, /**/ 4, 40, 7];

    [Fact]
    public void Standardizer_LearnsMeanAndPopulationStandardDeviation()
    {
        Standardizer<double> s = Standardizer<double>.Fit(TrainingRows, 3);

        Assert.Equal(3, s.ColumnCount);
        Assert.Equal([2.5, 25, 7], s.Means.ToArray());
        Assert.Equal(Math.Sqrt(1.25), s.StandardDeviations[0], 1e-15);
        Assert.Equal(Math.Sqrt(125), s.StandardDeviations[1], 1e-13);
        Assert.Equal(0, s.StandardDeviations[2]);
    }

    [Fact]
    public void Standardizer_AppliesTrainingStatisticsToOtherData_AndCentresConstantColumns()
    {
        Standardizer<double> s = Standardizer<double>.Fit(TrainingRows, 3);
        double[] test = [5, 0, 9];
        double[] result = new double[3];

        s.Transform(test, result);

        Assert.Equal((5 - 2.5) / Math.Sqrt(1.25), result[0], 1e-15);
        Assert.Equal((0 - 25) / Math.Sqrt(125), result[1], 1e-15);
        Assert.Equal(2, result[2]); // std 0: only centred, never divided by 0
    }

    [Fact]
    public void Standardizer_GivesTrainingColumnsMeanZeroAndStandardDeviationOne()
    {
        var random = new Random(3);
        float[] rows = Enumerable.Range(0, 300).Select(i => (float)((random.NextDouble() * 10 * ((i % 3) + 1)) + (i % 3 * 100))).ToArray();
        Standardizer<float> s = Standardizer<float>.Fit(rows, 3);
        s.TransformInPlace(rows);

        for (int c = 0; c < 3; c++)
        {
            double[] column = Enumerable.Range(0, 100).Select(r => (double)rows[(r * 3) + c]).ToArray();
            double mean = column.Average();
            Assert.Equal(0, mean, 1e-5);
            Assert.Equal(1, Math.Sqrt(column.Select(x => (x - mean) * (x - mean)).Average()), 1e-5);
        }
    }

    [Fact]
    public void Standardizer_TransformsTablesAndDatasets()
    {
        var table = new NumericTable<double>(TrainingRows, 3, ["p", "q", "r"]);
        Standardizer<double> s = Standardizer<double>.Fit(table);

        NumericTable<double> scaled = s.Transform(table);
        Assert.Equal(["p", "q", "r"], scaled.ColumnNames);
        Assert.Equal(0, scaled[0, 2]);
        Assert.Equal(TrainingRows, table.Values.ToArray()); // the source is not changed

        var dataset = new Dataset<double>(TrainingRows, new double[] { 1, 2, 3, 4 }, 3, 1);
        Dataset<double> scaledData = s.Transform(dataset);
        Assert.Equal(scaled.Values, scaledData.Inputs.ToArray());
        Assert.Equal([1.0, 2, 3, 4], scaledData.Targets.ToArray());
    }

    [Fact]
    public void Standardizer_RejectsBadInput()
    {
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => Standardizer<double>.Fit([], 2)).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => Standardizer<double>.Fit([1, 2, 3], 2)).ParamName);
        Assert.Throws<ArgumentException>(() => Standardizer<double>.Fit([1, double.NaN], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Standardizer<double>.Fit([1, 2], 0));
        Standardizer<double> s = Standardizer<double>.Fit(TrainingRows, 3);
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => s.Transform(new double[4], new double[4])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => s.Transform(new double[3], new double[6])).ParamName);
        Assert.Equal("table", Assert.Throws<ArgumentException>(() => s.Transform(new NumericTable<double>(new double[4], 2))).ParamName);
    }

    // ---- OneHot.

    [Fact]
    public void OneHot_EncodesLabelsAsRows()
    {
        Assert.Equal([0.0, 0, 1, /**/ 1, 0, 0, /**/ 0, 1, 0], OneHot.Encode<double>([2, 0, 1], 3));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void OneHot_OutOfRangeLabel_ThrowsNamingItsIndex_AndWritesNothing(int bad)
    {
        float[] destination = [9, 9, 9, 9, 9, 9];
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode<float>([1, bad], 3, destination));

        Assert.Equal("labels", e.ParamName);
        Assert.Contains($"Label 1 is {bad}", e.Message);
        Assert.All(destination, v => Assert.Equal(9f, v));
    }

    [Fact]
    public void OneHot_DecodesTheIndexOfTheLargestValue()
    {
        Assert.Equal(2, OneHot.Decode<float>([0.1f, 0.2f, 0.7f]));
        Assert.Equal(0, OneHot.Decode<double>([0.5, 0.5, 0.1])); // first of a tie
        Assert.Equal(1, OneHot.Decode<double>([double.NaN, 0.3, 0.2])); // NaN never wins
        Assert.Equal(3, OneHot.Decode<double>(OneHot.Encode<double>([3], 5)));
        Assert.Throws<ArgumentException>(() => OneHot.Decode<double>([]));
    }

    // ---- Dataset and the split.

    [Fact]
    public void Dataset_RejectsMismatchedShapes()
    {
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => new Dataset<double>(new double[5], new double[2], 2, 1)).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => new Dataset<double>(new double[4], new double[3], 2, 1)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset<double>(new double[4], new double[4], 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset<double>(new double[4], new double[2], 2, 1).GetInput(2));
    }

    [Fact]
    public void Split_IsAPartition_InTheOriginalOrder_WithTheRoundedValidationShare()
    {
        Dataset<double> data = Numbered(10);

        (Dataset<double> training, Dataset<double> validation) = data.Split(0.25, seed: 1);

        // round(10 * 0.25) = round(2.5) = 3 (halves round up).
        Assert.Equal(3, validation.Count);
        Assert.Equal(7, training.Count);
        double[] t = Ids(training), v = Ids(validation);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (double)i), t.Concat(v).Order());
        Assert.Equal(t.Order(), t);
        Assert.Equal(v.Order(), v);

        // Targets travel with their inputs: the target is 100 + the sample's number.
        for (int i = 0; i < training.Count; i++)
        {
            Assert.Equal(training.GetInput(i)[0] + 100, training.GetTarget(i)[0]);
        }
    }

    [Fact]
    public void Split_TakesTheFirstSamplesOfTheSeededFisherYatesPermutation()
    {
        // The documented algorithm, written out: shuffle 0..n-1 with DeterministicRandom(seed), i from n - 1 down to
        // 1 swapping i and NextInt32(i + 1); the first k of the result go to validation.
        int[] order = Enumerable.Range(0, 20).ToArray();
        var random = new DeterministicRandom(17);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt32(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        (_, Dataset<double> validation) = Numbered(20).Split(0.2, seed: 17);

        Assert.Equal(order.Take(4).Order().Select(i => (double)i), Ids(validation));
    }

    [Fact]
    public void Split_SameSeedSameSplit_OtherSeedOtherSplit()
    {
        Dataset<double> data = Numbered(30);
        Assert.Equal(Ids(data.Split(0.3, 5).Validation), Ids(data.Split(0.3, 5).Validation));
        Assert.NotEqual(Ids(data.Split(0.3, 5).Validation), Ids(data.Split(0.3, 6).Validation));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.2)]
    [InlineData(double.NaN)]
    public void Split_FractionMustBeStrictlyBetweenZeroAndOne(double fraction)
    {
        Assert.Equal("validationFraction", Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(10).Split(fraction, 1)).ParamName);
    }

    [Fact]
    public void Split_ThatWouldLeaveAPartEmpty_Throws()
    {
        Assert.Equal("validationFraction", Assert.Throws<ArgumentException>(() => Numbered(3).Split(0.1, 1)).ParamName);
        Assert.Equal("validationFraction", Assert.Throws<ArgumentException>(() => Numbered(3).Split(0.9, 1)).ParamName);
    }

    /// <summary>Samples numbered 0..n-1 (input [i, -i], target [100 + i]).</summary>
    private static Dataset<double> Numbered(int count) => new(
        Enumerable.Range(0, count).SelectMany(i => new double[] { i, -i }).ToArray(),
        Enumerable.Range(0, count).Select(i => 100.0 + i).ToArray(),
        2,
        1);

    private static double[] Ids(Dataset<double> data) => Enumerable.Range(0, data.Count).Select(i => data.GetInput(i)[0]).ToArray();
}
