using System;
using NetGen.Tests.Support;

namespace NetGen.Tests.Runtime;

/// <summary>Losses.MeanSquaredError and its slope against DESIGN §2's formula and against finite differences.</summary>
public sealed class LossesTests
{
    [Fact]
    public void Mean_squared_error_of_the_seed_examples()
    {
        Assert.Equal(36.0, Losses.MeanSquaredError<double>([9.0], [3.0]));
        Assert.Equal((1.0 + 4.0) / 2, Losses.MeanSquaredError<double>([1.0, -1.0], [0.0, 1.0]));
        Assert.Equal(0f, Losses.MeanSquaredError<float>([2f, 3f], [2f, 3f]));
    }

    [Fact]
    public void Mean_squared_error_and_its_slope_match_the_formula()
    {
        var random = new Random(17);
        for (int trial = 0; trial < 200; trial++)
        {
            int k = 1 + random.Next(12);
            double[] y = TestData.Array<double>(k, random, -3, 3);
            double[] t = TestData.Array<double>(k, random, -3, 3);
            double sum = 0;
            for (int i = 0; i < k; i++)
            {
                sum += (y[i] - t[i]) * (y[i] - t[i]);
            }

            double expected = sum / k;
            double loss = Losses.MeanSquaredError<double>(y, t);
            Assert.True(Math.Abs(loss - expected) <= 1e-15 * Math.Max(1, expected), $"K={k}: {loss:R}, expected {expected:R}");

            var slope = new double[k];
            Losses.MeanSquaredErrorSlope<double>(y, t, slope);
            for (int i = 0; i < k; i++)
            {
                double expectedSlope = 2 * (y[i] - t[i]) / k;
                Assert.True(Math.Abs(slope[i] - expectedSlope) <= 1e-15 * Math.Max(1, Math.Abs(expectedSlope)), $"K={k}, slope[{i}] = {slope[i]:R}, expected {expectedSlope:R}");
            }

            float[] yf = Array.ConvertAll(y, v => (float)v);
            float[] tf = Array.ConvertAll(t, v => (float)v);
            double expectedF = 0;
            for (int i = 0; i < k; i++)
            {
                expectedF += ((double)yf[i] - tf[i]) * ((double)yf[i] - tf[i]);
            }

            expectedF /= k;
            float lossF = Losses.MeanSquaredError<float>(yf, tf);
            Assert.True(Math.Abs(lossF - expectedF) <= 2e-6 * Math.Max(1, expectedF), $"float K={k}: {lossF:R}, expected {expectedF:R}");
        }
    }

    [Fact]
    public void The_slope_matches_central_differences_of_the_loss()
    {
        // The loss is quadratic in each output, so a central difference has no truncation error: only rounding,
        // about eps * L / h = 1e-16 * 10 / 1e-4 = 1e-11. 1e-9 is sharp: a slope missing the factor 2 or the 1/K is
        // off by at least half its size.
        const double H = 1e-4;
        var random = new Random(23);
        for (int trial = 0; trial < 100; trial++)
        {
            int k = 1 + random.Next(8);
            double[] y = TestData.Array<double>(k, random, -2, 2);
            double[] t = TestData.Array<double>(k, random, -2, 2);
            var slope = new double[k];
            Losses.MeanSquaredErrorSlope<double>(y, t, slope);
            for (int i = 0; i < k; i++)
            {
                double keep = y[i];
                y[i] = keep + H;
                double plus = Losses.MeanSquaredError<double>(y, t);
                y[i] = keep - H;
                double minus = Losses.MeanSquaredError<double>(y, t);
                y[i] = keep;
                double numeric = (plus - minus) / (2 * H);
                Assert.True(Math.Abs(numeric - slope[i]) <= 1e-9, $"K={k}, output {i}: slope {slope[i]:R}, central difference {numeric:R}");
            }
        }
    }

    [Fact]
    public void Wrong_lengths_throw_naming_both_lengths()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => Losses.MeanSquaredError<double>(new double[3], new double[4]));
        Assert.Contains("3", e.Message);
        Assert.Contains("4", e.Message);
        Assert.Throws<ArgumentException>(() => Losses.MeanSquaredError<double>(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty));

        double[] slope = [7, 7];
        e = Assert.Throws<ArgumentException>(() => Losses.MeanSquaredErrorSlope<double>(new double[3], new double[3], slope));
        Assert.Contains("3", e.Message);
        Assert.Contains("2", e.Message);
        Assert.Equal([7.0, 7.0], slope);
        Assert.Throws<ArgumentException>(() => Losses.MeanSquaredErrorSlope<double>(new double[2], new double[3], slope));
        Assert.Equal([7.0, 7.0], slope);
    }
}
