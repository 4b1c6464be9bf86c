using System;
using System.Linq;

namespace NetGen.Tests.Data;

/// <summary>
/// Standardizer.Fit where rounding matters: a column whose values are all equal has that value as its mean and a
/// standard deviation of exactly 0 (so it becomes 0, and a new value is only centred), while a column that varies,
/// however little, is still divided by its deviation.
/// </summary>
public sealed class StandardizerRoundingTests
{
    [Theory]
    [InlineData(0.1, 3)]
    [InlineData(0.1, 10)]
    [InlineData(0.1, 1000)]
    [InlineData(0.7, 49)]
    [InlineData(-1e300, 7)]
    [InlineData(3.3e-300, 11)]
    public void A_constant_double_column_has_its_value_as_mean_and_deviation_zero(double value, int rows)
    {
        // Two columns: the constant one, and one that varies (0, 1, 2, ...), so the table is not constant as a whole.
        double[] table = new double[2 * rows];
        for (int r = 0; r < rows; r++)
        {
            table[2 * r] = value;
            table[(2 * r) + 1] = r;
        }

        Standardizer<double> s = Standardizer<double>.Fit(table, 2);

        Assert.Equal(value, s.Means[0]);
        Assert.Equal(0, s.StandardDeviations[0]);
        double[] result = new double[table.Length];
        s.Transform(table, result);
        for (int r = 0; r < rows; r++)
        {
            Assert.Equal(0, result[2 * r]);
        }

        // A new value is centred, not divided by a deviation of a few units in the last place.
        double[] unseen = [value * 2, 0];
        s.Transform(unseen, unseen);
        Assert.Equal((value * 2) - value, unseen[0]);
    }

    [Theory]
    [InlineData(0.1f, 3)]
    [InlineData(0.1f, 1000)]
    [InlineData(0.7f, 49)]
    [InlineData(-3.4e38f, 7)]
    public void A_constant_float_column_has_its_value_as_mean_and_deviation_zero(float value, int rows)
    {
        float[] table = Enumerable.Repeat(value, rows).ToArray();

        Standardizer<float> s = Standardizer<float>.Fit(table, 1);

        Assert.Equal(value, s.Means[0]);
        Assert.Equal(0f, s.StandardDeviations[0]);
        float[] result = new float[rows];
        s.Transform(table, result);
        Assert.All(result, v => Assert.Equal(0f, v));
        float[] unseen = [0.5f];
        s.Transform(unseen, unseen);
        Assert.Equal(0.5f - value, unseen[0]);
    }

    [Fact]
    public void A_nearly_constant_double_column_that_varies_is_still_standardised()
    {
        // 0.1 + k 1e-12 for k = -1, 0, 1, repeated: population mean 0.1, deviation 1e-12 sqrt(2/3), so the values
        // become k / sqrt(2/3) (about -1.22, 0 and 1.22), to the few digits the 1e-12 steps keep after rounding.
        double[] table = new double[300];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = 0.1 + (((i % 3) - 1) * 1e-12);
        }

        Standardizer<double> s = Standardizer<double>.Fit(table, 1);

        Assert.Equal(1e-12 * Math.Sqrt(2.0 / 3), s.StandardDeviations[0], 1e-15);
        double[] result = new double[table.Length];
        s.Transform(table, result);
        for (int i = 0; i < table.Length; i++)
        {
            Assert.Equal(((i % 3) - 1) / Math.Sqrt(2.0 / 3), result[i], 1e-3);
        }
    }

    [Fact]
    public void A_nearly_constant_float_column_that_varies_is_still_standardised()
    {
        // 1 + k 1e-5 for k = -1, 0, 1 in float: deviation about 1e-5 sqrt(2/3), values about k / sqrt(2/3).
        float[] table = new float[300];
        for (int i = 0; i < table.Length; i++)
        {
            table[i] = 1f + (((i % 3) - 1) * 1e-5f);
        }

        Standardizer<float> s = Standardizer<float>.Fit(table, 1);

        Assert.Equal(1e-5 * Math.Sqrt(2.0 / 3), s.StandardDeviations[0], 1e-7);
        float[] result = new float[table.Length];
        s.Transform(table, result);
        for (int i = 0; i < table.Length; i++)
        {
            Assert.Equal(((i % 3) - 1) / Math.Sqrt(2.0 / 3), result[i], 2e-2);
        }
    }

    [Fact]
    public void Two_values_one_unit_in_the_last_place_apart_are_a_varying_column()
    {
        double a = 0.1, b = Math.BitIncrement(0.1);
        Standardizer<double> s = Standardizer<double>.Fit([a, b, a, b], 1);

        Assert.True(s.StandardDeviations[0] > 0);
        double[] result = [a, b];
        s.Transform(result, result);
        Assert.True(result[0] < result[1]);
    }
}
