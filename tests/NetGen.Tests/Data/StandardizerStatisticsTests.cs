using System;

namespace NetGen.Tests.Data;

/// <summary>Standardizer.FromStatistics: a saved standardiser transforms exactly as the fitted one did.</summary>
public sealed class StandardizerStatisticsTests
{
    private static readonly double[] Rows = [1, 10, 5, 3, 20, 5, 8, 60, 5];

    [Fact]
    public void FromStatistics_TransformsBitForBitLikeTheFittedStandardizer()
    {
        Standardizer<double> fitted = Standardizer<double>.Fit(Rows, 3);
        Standardizer<double> restored = Standardizer<double>.FromStatistics(fitted.Means, fitted.StandardDeviations);

        double[] expected = new double[Rows.Length], actual = new double[Rows.Length];
        fitted.Transform(Rows, expected);
        restored.Transform(Rows, actual);
        Assert.Equal(expected, actual);

        // The constant third column is centred, not divided by zero, after the round trip too.
        Assert.Equal(0, actual[2]);
        Assert.Equal(fitted.StandardDeviations.ToArray(), restored.StandardDeviations.ToArray());
    }

    [Fact]
    public void FromStatistics_RejectsStatisticsNoFitCouldGive()
    {
        Assert.Equal("means", Assert.Throws<ArgumentException>(() => Standardizer<double>.FromStatistics([], [])).ParamName);
        Assert.Equal("standardDeviations", Assert.Throws<ArgumentException>(() => Standardizer<double>.FromStatistics([1, 2], [1])).ParamName);
        Assert.Equal("means", Assert.Throws<ArgumentException>(() => Standardizer<double>.FromStatistics([double.NaN], [1])).ParamName);
        Assert.Equal("standardDeviations", Assert.Throws<ArgumentException>(() => Standardizer<double>.FromStatistics([0], [-1])).ParamName);
        Assert.Equal("standardDeviations", Assert.Throws<ArgumentException>(() => Standardizer<double>.FromStatistics([0], [double.PositiveInfinity])).ParamName);
    }
}
