using System;
using NetGen;

namespace NetGen.Tests.Metrics;

/// <summary>
/// What the scikit-learn fixtures do not cover: the confusion matrix's text, the class rule for network outputs,
/// NaN and empty inputs, argument checks, and that the span-taking members allocate nothing.
/// </summary>
public sealed class MetricsTests
{
    // ---- ConfusionMatrix.ToString.

    [Fact]
    public void ConfusionMatrix_ToString_AlignsColumnsUnderTheLabels()
    {
        // Actual 0 0 1 1 1 2, predicted 0 1 1 1 2 2: rows [1 1 0], [0 2 1], [0 0 1].
        var matrix = new ConfusionMatrix([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 2, 2], 3, ["setosa", "versicolor", "virginica"]);

        Assert.Equal(
            "actual \\ predicted  setosa  versicolor  virginica\n" +
            "setosa                   1           1          0\n" +
            "versicolor               0           2          1\n" +
            "virginica                0           0          1",
            matrix.ToString());
    }

    [Fact]
    public void ConfusionMatrix_ToString_NumbersTheClassesWithoutLabels_AndWidensAColumnForItsLargestCount()
    {
        int[] actual = new int[1234], predicted = new int[1234];
        actual[0] = 1;
        var matrix = new ConfusionMatrix(actual, predicted, 2);

        Assert.Equal(["0", "1"], matrix.Labels);
        Assert.Equal(
            "actual \\ predicted     0  1\n" +
            "0                   1233  0\n" +
            "1                      1  0",
            matrix.ToString());
    }

    [Fact]
    public void ConfusionMatrix_LongLabelsWidenTheFirstColumn()
    {
        var matrix = new ConfusionMatrix([0, 1], [1, 1], 2, ["a", "a rather long class name"]);
        Assert.Equal(
            "actual \\ predicted        a  a rather long class name\n" +
            "a                         0                         1\n" +
            "a rather long class name  0                         1",
            matrix.ToString());
    }

    [Fact]
    public void ConfusionMatrix_FromOneOutput_CountsTwoClassesSplitAtOneHalf()
    {
        // Targets 0, 1, 1, 0; outputs 0.2 (0), 0.5 (1), 0.4 (0), 0.9 (1).
        var matrix = ConfusionMatrix.FromOutputs<float>([0f, 1f, 1f, 0f], [0.2f, 0.5f, 0.4f, 0.9f], 1);

        Assert.Equal(2, matrix.ClassCount);
        Assert.Equal((1, 1, 1, 1), (matrix[0, 0], matrix[0, 1], matrix[1, 0], matrix[1, 1]));
        Assert.Equal(0.5, matrix.Accuracy);
    }

    [Fact]
    public void ConfusionMatrix_RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix([0], [0], 0));
        Assert.Equal("predicted", Assert.Throws<ArgumentException>(() => new ConfusionMatrix([0, 1], [0], 2)).ParamName);
        Assert.Equal("actual", Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix([0, 2], [0, 1], 2)).ParamName);
        Assert.Equal("predicted", Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix([0, 1], [-1, 1], 2)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => new ConfusionMatrix([0], [0], 2, ["only one"])).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => new ConfusionMatrix([0], [0], 2, ["a", null!])).ParamName);
        var matrix = new ConfusionMatrix([0], [0], 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix[2, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Precision(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.F1((MetricAverage)7));
    }

    [Fact]
    public void ConfusionMatrix_WithoutSamples_MeasuresNaN()
    {
        var matrix = new ConfusionMatrix([], [], 3);
        Assert.Equal(0, matrix.Count);
        Assert.True(double.IsNaN(matrix.Accuracy));
        Assert.True(double.IsNaN(matrix.BalancedAccuracy));
        Assert.True(double.IsNaN(matrix.Precision(0)));
        Assert.True(double.IsNaN(matrix.F1(MetricAverage.Macro)));
    }

    // ---- The class of an output or target.

    [Fact]
    public void ClassOf_OneValueSplitsAtOneHalf_SeveralTakeTheFirstLargest()
    {
        Assert.Equal(1, NetGen.Metrics.ClassOf<double>([0.5]));
        Assert.Equal(0, NetGen.Metrics.ClassOf<double>([0.49999999999999994]));
        Assert.Equal(0, NetGen.Metrics.ClassOf<double>([double.NaN]));
        Assert.Equal(1, NetGen.Metrics.ClassOf<float>([0.1f, 0.7f, 0.7f]));
        Assert.Equal(2, NetGen.Metrics.ClassOf<float>([float.NaN, 0f, 1f]));
        Assert.Throws<ArgumentException>(() => NetGen.Metrics.ClassOf<float>([]));
        Assert.Equal([2, 0, 1], NetGen.Metrics.ClassesOf<double>([0, 0, 1, /**/ 5, 1, 1, /**/ 0, 2, 1], 3));
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => NetGen.Metrics.ClassesOf<double>([0, 1, 2, 3], 3)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => NetGen.Metrics.ClassesOf<double>([0, 1, 2], 3, new int[2])).ParamName);
    }

    [Fact]
    public void ClassOf_AgreesWithTrainerIsCorrect()
    {
        double[][] rows = [[0.7], [0.2], [0.5], [0.4], [0.1, 0.7, 0.2], [0.5, 0.4, 0.1], [0.3, 0.3, 0.1]];
        double[][] targets = [[1.0], [0.0], [1.0], [1.0], [0, 1, 0], [0, 1, 0], [1, 0, 0]];
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(
                Trainer.IsCorrect<double>(rows[i], targets[i]),
                NetGen.Metrics.ClassOf<double>(rows[i]) == NetGen.Metrics.ClassOf<double>(targets[i]));
        }
    }

    // ---- Empty and NaN inputs.

    [Fact]
    public void WithoutSamples_EveryMeasureIsNaN()
    {
        Assert.True(double.IsNaN(NetGen.Metrics.MeanSquaredError<double>([], [])));
        Assert.True(double.IsNaN(NetGen.Metrics.RootMeanSquaredError<double>([], [])));
        Assert.True(double.IsNaN(NetGen.Metrics.MeanAbsoluteError<float>([], [])));
        Assert.True(double.IsNaN(NetGen.Metrics.RSquared<double>([], [], 2)));
        Assert.True(double.IsNaN(NetGen.Metrics.Accuracy([], [])));
        Assert.True(double.IsNaN(NetGen.Metrics.Accuracy<double>([], [], 3)));
        Assert.True(double.IsNaN(NetGen.Metrics.BalancedAccuracy([], [], 3)));
        Assert.True(double.IsNaN(NetGen.Metrics.Precision([], [], 3, 1)));
        Assert.True(double.IsNaN(NetGen.Metrics.Recall([], [], 3, MetricAverage.Micro)));
        Assert.True(double.IsNaN(NetGen.Metrics.LogLoss<double>([], [], 3)));
        Assert.True(double.IsNaN(NetGen.Metrics.LogLoss<double>(ReadOnlySpan<int>.Empty, [])));
    }

    [Fact]
    public void NaN_PropagatesThroughTheRegressionMeasuresAndTheLogLoss()
    {
        Assert.True(double.IsNaN(NetGen.Metrics.MeanSquaredError<double>([1, 2], [1, double.NaN])));
        Assert.True(double.IsNaN(NetGen.Metrics.MeanAbsoluteError<double>([1, 2], [double.NaN, 2])));
        Assert.True(double.IsNaN(NetGen.Metrics.RootMeanSquaredError<float>([1, 2], [1, float.NaN])));
        Assert.True(double.IsNaN(NetGen.Metrics.RSquared<double>([1, 2, 3], [1, double.NaN, 3])));

        // A constant target would otherwise score 0 for any imperfect prediction: NaN is not one.
        Assert.True(double.IsNaN(NetGen.Metrics.RSquared<double>([2, 2, 2], [2, double.NaN, 2])));
        Assert.True(double.IsNaN(NetGen.Metrics.LogLoss<double>([0, 1], [0.5, 0.5, double.NaN, 0.5])));
    }

    [Fact]
    public void RSquared_OfAConstantTargetIsZeroForAnyError_EvenWhereTheMeanIsNotExact()
    {
        // 0.1 summed ten times is not exactly 1: the mean's rounding must not make the spread a tiny non-zero.
        double[] targets = new double[10];
        Array.Fill(targets, 0.1);
        double[] predictions = (double[])targets.Clone();
        Assert.Equal(1.0, NetGen.Metrics.RSquared<double>(targets, predictions));
        predictions[3] = 0.2;
        Assert.Equal(0.0, NetGen.Metrics.RSquared<double>(targets, predictions));
    }

    [Fact]
    public void LogLoss_CertainAndWrongCostsMinusTheLogOfEpsilon()
    {
        // Clamped to [eps, 1 - eps], then renormalised: p(actual) = eps / (eps + 1 - eps) = eps.
        Assert.Equal(52 * Math.Log(2), NetGen.Metrics.LogLoss<double>([1], [0.0]), 1e-12);
        Assert.Equal(23 * Math.Log(2), NetGen.Metrics.LogLoss<float>([0], [0f, 1f]), 1e-12);
        Assert.Equal(23 * Math.Log(2), NetGen.Metrics.LogLoss<float>([1f, 0f], [0f, 1f], 2), 1e-12);
    }

    // ---- Argument checks.

    [Fact]
    public void BadArguments_Throw()
    {
        Assert.Equal("predictions", Assert.Throws<ArgumentException>(() => NetGen.Metrics.MeanSquaredError<double>([1, 2], [1])).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => NetGen.Metrics.RSquared<double>([1, 2, 3], [1, 2, 3], 2)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => NetGen.Metrics.RootMeanSquaredError<double>([1], [1], 0));
        Assert.Equal("predicted", Assert.Throws<ArgumentException>(() => NetGen.Metrics.Accuracy([1, 2], [1])).ParamName);
        Assert.Equal("actual", Assert.Throws<ArgumentOutOfRangeException>(() => NetGen.Metrics.BalancedAccuracy([0, 3], [0, 1], 3)).ParamName);
        Assert.Equal("classIndex", Assert.Throws<ArgumentOutOfRangeException>(() => NetGen.Metrics.Recall([0, 1], [0, 1], 2, 2)).ParamName);
        Assert.Equal("average", Assert.Throws<ArgumentOutOfRangeException>(() => NetGen.Metrics.F1([0, 1], [0, 1], 2, (MetricAverage)3)).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => NetGen.Metrics.Accuracy<double>([0, 1], [0, 1, 0, 1], 2)).ParamName);
        Assert.Equal("probabilities", Assert.Throws<ArgumentException>(() => NetGen.Metrics.LogLoss<double>([0, 1], [0.5, 0.5, 0.5])).ParamName);
        Assert.Equal("probabilities", Assert.Throws<ArgumentException>(() => NetGen.Metrics.LogLoss<double>([0, 1], [])).ParamName);
        Assert.Equal("actual", Assert.Throws<ArgumentOutOfRangeException>(() => NetGen.Metrics.LogLoss<double>([0, 2], [0.5, 0.5])).ParamName);
        Assert.Equal("actual", Assert.Throws<ArgumentOutOfRangeException>(() => NetGen.Metrics.LogLoss<double>([0, 2], [0.5, 0.5, 0.5, 0.5])).ParamName);
    }

    [Fact]
    public void RocAuc_RefusesWhatHasNoArea()
    {
        Assert.Equal("actual", Assert.Throws<ArgumentException>(() => NetGen.Metrics.RocAuc<double>([1, 1, 1], [0.1, 0.2, 0.3])).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => NetGen.Metrics.RocAuc<double>([0.0, 0.0], [0.1, 0.2], 1)).ParamName);
        Assert.Equal("actual", Assert.Throws<ArgumentOutOfRangeException>(() => NetGen.Metrics.RocAuc<double>([0, 2], [0.1, 0.2])).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => NetGen.Metrics.RocAuc<double>([0, 1], [0.1, double.NaN])).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => NetGen.Metrics.RocAuc<double>([0, 1], [0.1])).ParamName);
        Assert.Equal("scratch", Assert.Throws<ArgumentException>(() => NetGen.Metrics.RocAuc<double>([0, 1, 1], [0.1, 0.2, 0.3], new double[2])).ParamName);
        Assert.Equal("outputCount", Assert.Throws<ArgumentOutOfRangeException>(() => NetGen.Metrics.RocAuc<double>([1, 0, 0], [0.2, 0.3, 0.5], 3)).ParamName);
    }

    [Fact]
    public void RocAuc_OrdersInfiniteScoresToo()
    {
        // Positives at +inf and 0, negatives at -inf and 0: pairs (+inf, -inf) 1, (+inf, 0) 1, (0, -inf) 1, (0, 0) 1/2.
        Assert.Equal(3.5 / 4, NetGen.Metrics.RocAuc<double>([1, 0, 1, 0], [double.PositiveInfinity, double.NegativeInfinity, 0, 0]));
    }

    // ---- Allocation.

    [Fact]
    public void SpanMembers_AllocateNothing()
    {
        double[] targets = [0.1, 0.9, 0.4, 0.6, 0.3, 0.2], predictions = [0.2, 0.7, 0.4, 0.5, 0.1, 0.3];
        int[] actual = [0, 1, 2, 1, 0, 2], predicted = [0, 2, 2, 1, 1, 2], binary = [0, 1, 0, 1, 1, 0];
        double[] probabilities = [0.7, 0.2, 0.1, /**/ 0.1, 0.8, 0.1, /**/ 0.3, 0.3, 0.4, /**/ 0.2, 0.5, 0.3, /**/ 0.4, 0.4, 0.2, /**/ 0.1, 0.1, 0.8];
        double[] oneHot = OneHot.Encode<double>(actual, 3);
        double[] scratch = new double[6];
        int[] classes = new int[6];

        double Run()
        {
            double sum = NetGen.Metrics.MeanSquaredError<double>(targets, predictions)
                + NetGen.Metrics.RootMeanSquaredError<double>(targets, predictions, 2)
                + NetGen.Metrics.MeanAbsoluteError<double>(targets, predictions)
                + NetGen.Metrics.RSquared<double>(targets, predictions, 3)
                + NetGen.Metrics.Accuracy(actual, predicted)
                + NetGen.Metrics.Accuracy<double>(oneHot, probabilities, 3)
                + NetGen.Metrics.BalancedAccuracy(actual, predicted, 3)
                + NetGen.Metrics.Precision(actual, predicted, 3, 1)
                + NetGen.Metrics.Recall(actual, predicted, 3, MetricAverage.Macro)
                + NetGen.Metrics.F1(actual, predicted, 3, MetricAverage.Weighted)
                + NetGen.Metrics.LogLoss<double>(actual, probabilities)
                + NetGen.Metrics.LogLoss<double>(oneHot, probabilities, 3)
                + NetGen.Metrics.RocAuc<double>(binary, targets, scratch);
            NetGen.Metrics.ClassesOf<double>(probabilities, 3, classes);
            return sum + classes[0];
        }

        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        double total = 0;
        for (int i = 0; i < 100; i++)
        {
            total += Run();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(double.IsFinite(total));
        Assert.Equal(0, allocated);
    }
}
