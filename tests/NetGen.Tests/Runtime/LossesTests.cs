using System;
using NetGen.Tests.Support;

namespace NetGen.Tests.Runtime;

/// <summary>
/// The losses (PyTorch's definitions) against their formulas and against finite differences: Losses.MeanSquaredError and its
/// slope; cross-entropy and binary cross-entropy from logits, whose slopes with respect to the logits are p - t and
/// (s(z) - t) / K.
/// </summary>
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

    [Fact]
    public void Cross_entropy_from_logits_matches_minus_sum_t_ln_softmax()
    {
        var random = new Random(29);
        for (int trial = 0; trial < 200; trial++)
        {
            int k = 1 + random.Next(8);
            double[] z = TestData.Array<double>(k, random, -6, 6);
            double[] t = Probabilities(k, random);
            double sum = 0;
            foreach (double v in z)
            {
                sum += Math.Exp(v);
            }

            double expected = 0;
            for (int i = 0; i < k; i++)
            {
                expected -= t[i] * Math.Log(Math.Exp(z[i]) / sum);
            }

            double loss = Losses.CrossEntropyFromLogits<double>(z, t);
            Assert.True(Math.Abs(loss - expected) <= 1e-14 * Math.Max(1, expected), $"K={k}: {loss:R}, expected {expected:R}");

            float lossF = Losses.CrossEntropyFromLogits<float>(Array.ConvertAll(z, v => (float)v), Array.ConvertAll(t, v => (float)v));
            Assert.True(Math.Abs(lossF - expected) <= 1e-5 * Math.Max(1, expected), $"float K={k}: {lossF:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void Cross_entropy_slope_at_the_logits_is_softmax_minus_target()
    {
        // L(z) is smooth; central differences with h = 1e-5 have truncation below 1e-10 and rounding about
        // 1e-16 * 10 / 1e-5 = 1e-10: 1e-8 is sharp against any wrong slope.
        const double H = 1e-5;
        var random = new Random(31);
        for (int trial = 0; trial < 100; trial++)
        {
            int k = 2 + random.Next(6);
            double[] z = TestData.Array<double>(k, random, -4, 4);
            double[] t = Probabilities(k, random);
            var p = new double[k];
            Activations.Softmax<double>(z, p);
            for (int i = 0; i < k; i++)
            {
                double keep = z[i];
                z[i] = keep + H;
                double plus = Losses.CrossEntropyFromLogits<double>(z, t);
                z[i] = keep - H;
                double minus = Losses.CrossEntropyFromLogits<double>(z, t);
                z[i] = keep;
                double numeric = (plus - minus) / (2 * H);
                Assert.True(Math.Abs(numeric - (p[i] - t[i])) <= 1e-8, $"K={k}, logit {i}: p - t = {p[i] - t[i]:R}, central difference {numeric:R}");
            }
        }
    }

    [Fact]
    public void Cross_entropy_is_exact_and_finite_for_logits_of_1000()
    {
        Assert.Equal(2000.0, Losses.CrossEntropyFromLogits<double>([1000, -1000, 0], [0, 1, 0]));
        Assert.Equal(0.0, Losses.CrossEntropyFromLogits<double>([1000, -1000, 0], [1, 0, 0]));
        Assert.Equal(2000f, Losses.CrossEntropyFromLogits<float>([1000f, -1000f, 0f], [0f, 1f, 0f]));
        Assert.Equal(1000f, Losses.CrossEntropyFromLogits<float>([1000f, -1000f, 0f], [0f, 0f, 1f]));

        // Equal huge logits: ln 3 for any one-hot target.
        Assert.Equal(Math.Log(3), Losses.CrossEntropyFromLogits<double>([1000, 1000, 1000], [0, 0, 1]), 1e-12);
    }

    [Fact]
    public void Binary_cross_entropy_matches_its_definition_and_its_slope_is_sigmoid_minus_target_over_K()
    {
        const double H = 1e-5;
        var random = new Random(37);
        for (int trial = 0; trial < 200; trial++)
        {
            int k = 1 + random.Next(6);
            double[] z = TestData.Array<double>(k, random, -8, 8);
            double[] t = TestData.Array<double>(k, random, 0, 1);
            double expected = 0;
            for (int i = 0; i < k; i++)
            {
                double s = 1 / (1 + Math.Exp(-z[i]));
                expected -= (t[i] * Math.Log(s)) + ((1 - t[i]) * Math.Log(1 - s));
            }

            expected /= k;
            double loss = Losses.BinaryCrossEntropyFromLogits<double>(z, t);
            Assert.True(Math.Abs(loss - expected) <= 1e-12 * Math.Max(1, expected), $"K={k}: {loss:R}, expected {expected:R}");

            for (int i = 0; i < k; i++)
            {
                double keep = z[i];
                z[i] = keep + H;
                double plus = Losses.BinaryCrossEntropyFromLogits<double>(z, t);
                z[i] = keep - H;
                double minus = Losses.BinaryCrossEntropyFromLogits<double>(z, t);
                z[i] = keep;
                double slope = ((1 / (1 + Math.Exp(-keep))) - t[i]) / k;
                Assert.True(Math.Abs(((plus - minus) / (2 * H)) - slope) <= 1e-8, $"K={k}, logit {i}: slope {slope:R}");
            }
        }
    }

    [Theory]
    [InlineData(1000.0, 0.25, 750.0)]
    [InlineData(-1000.0, 0.25, 250.0)]
    [InlineData(1000.0, 1.0, 0.0)]
    [InlineData(-1000.0, 0.0, 0.0)]
    public void Binary_cross_entropy_is_exact_for_logits_of_1000(double z, double t, double expected)
    {
        Assert.Equal(expected, Losses.BinaryCrossEntropyFromLogit(z, t));
        Assert.Equal((float)expected, Losses.BinaryCrossEntropyFromLogit((float)z, (float)t));
    }

    [Theory]
    [InlineData(40.0)]
    [InlineData(30.0)]
    [InlineData(60.0)]
    public void Binary_cross_entropy_keeps_tiny_losses_accurate(double z)
    {
        // A confident right answer: L = ln(1 + e^-z), about e^-z, far below the rounding of 1 + e^-z. Computing ln of
        // the rounded 1 + x would give 0 (or an error of 100%); the helper must keep it to the last digits.
        double expected = Math.Exp(-z) - (Math.Exp(-2 * z) / 2);
        Assert.True(Math.Abs(Losses.BinaryCrossEntropyFromLogit(z, 1.0) - expected) <= 1e-15 * expected);
        Assert.True(Math.Abs(Losses.BinaryCrossEntropyFromLogit(-z, 0.0) - expected) <= 1e-15 * expected);
        float zf = (float)z;
        float expectedF = MathF.Exp(-zf);
        Assert.True(Math.Abs(Losses.BinaryCrossEntropyFromLogit(zf, 1f) - expectedF) <= 1e-6 * expectedF);
    }

    [Fact]
    public void Cross_entropies_check_their_spans()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => Losses.CrossEntropyFromLogits<double>(new double[3], new double[2]));
        Assert.Contains("3", e.Message);
        Assert.Contains("2", e.Message);
        Assert.Throws<ArgumentException>(() => Losses.CrossEntropyFromLogits<double>(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty));
        Assert.Throws<ArgumentException>(() => Losses.BinaryCrossEntropyFromLogits<double>(new double[2], new double[3]));
        Assert.Throws<ArgumentException>(() => Losses.BinaryCrossEntropyFromLogits<double>(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty));
    }

    /// <summary>Random probabilities summing to 1 (up to rounding).</summary>
    private static double[] Probabilities(int k, Random random)
    {
        double[] t = TestData.Array<double>(k, random, 0, 1);
        double sum = 0;
        foreach (double v in t)
        {
            sum += v;
        }

        for (int i = 0; i < k; i++)
        {
            t[i] /= sum;
        }

        return t;
    }
}
