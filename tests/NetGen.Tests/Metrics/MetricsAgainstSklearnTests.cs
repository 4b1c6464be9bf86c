using System;
using System.Linq;
using System.Numerics;
using System.Text.Json;
using NetGen;
using static NetGen.Tests.Metrics.MetricsFixtures;

namespace NetGen.Tests.Metrics;

/// <summary>
/// Every measure of NetGen.Metrics and ConfusionMatrix on the random and edge cases of Fixtures/metrics.json, held
/// to scikit-learn's answers: counts exactly, the rest within 1e-12 relative. A case marked float is run in float
/// (its values are exact there) and in double.
/// </summary>
public sealed class MetricsAgainstSklearnTests
{
    public static TheoryData<string> RegressionCases() => Names("regression");

    public static TheoryData<string> ClassificationCases() => Names("classification");

    public static TheoryData<string> LogLossCases() => Names("log_loss");

    public static TheoryData<string> RocAucCases() => Names("roc_auc");

    [Fact]
    public void The_fixtures_come_from_scikit_learn()
    {
        Assert.Matches(@"^\d+\.\d+", SklearnVersion);
        Assert.All(new[] { RegressionCases(), ClassificationCases(), LogLossCases(), RocAucCases() }, cases => Assert.True(cases.Count >= 10));
    }

    // ---- Regression.

    [Theory]
    [MemberData(nameof(RegressionCases))]
    public void Regression_measures_match_scikit_learn(string name)
    {
        JsonElement c = Case("regression", name);
        Regression<double>(c);
        if (c.GetProperty("float").GetBoolean())
        {
            Regression<float>(c);
        }
    }

    private static void Regression<T>(JsonElement c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] targets = Cast<T>(c.Doubles("targets")), predictions = Cast<T>(c.Doubles("predictions"));
        int outputs = c.GetProperty("outputs").GetInt32();
        string type = typeof(T).Name;
        Close(c.Number("mse"), NetGen.Metrics.MeanSquaredError<T>(targets, predictions), $"{type} MSE");
        Close(c.Number("rmse"), NetGen.Metrics.RootMeanSquaredError<T>(targets, predictions, outputs), $"{type} RMSE");
        Close(c.Number("mae"), NetGen.Metrics.MeanAbsoluteError<T>(targets, predictions), $"{type} MAE");
        Close(c.Number("r2"), NetGen.Metrics.RSquared<T>(targets, predictions, outputs), $"{type} R^2");
    }

    // ---- Classification from class indices, and from one-hot rows.

    [Theory]
    [MemberData(nameof(ClassificationCases))]
    public void Classification_measures_match_scikit_learn(string name)
    {
        JsonElement c = Case("classification", name);
        int[] actual = c.Ints("actual"), predicted = c.Ints("predicted");
        int k = c.GetProperty("classes").GetInt32();

        Close(c.Number("accuracy"), NetGen.Metrics.Accuracy(actual, predicted), "accuracy");
        Close(c.Number("balanced_accuracy"), NetGen.Metrics.BalancedAccuracy(actual, predicted, k), "balanced accuracy");
        double[] precision = c.Doubles("precision"), recall = c.Doubles("recall"), f1 = c.Doubles("f1");
        foreach (int i in Classes(k))
        {
            Close(precision[i], NetGen.Metrics.Precision(actual, predicted, k, i), $"precision of class {i}");
            Close(recall[i], NetGen.Metrics.Recall(actual, predicted, k, i), $"recall of class {i}");
            Close(f1[i], NetGen.Metrics.F1(actual, predicted, k, i), $"F1 of class {i}");
        }

        foreach ((MetricAverage average, string key) in Averages)
        {
            JsonElement e = c.GetProperty(key);
            Close(e.Number("precision"), NetGen.Metrics.Precision(actual, predicted, k, average), $"{key} precision");
            Close(e.Number("recall"), NetGen.Metrics.Recall(actual, predicted, k, average), $"{key} recall");
            Close(e.Number("f1"), NetGen.Metrics.F1(actual, predicted, k, average), $"{key} F1");
        }

        // The same counts through a ConfusionMatrix, from class indices and from one-hot rows.
        ConfusionMatrix fromClasses = new(actual, predicted, k);
        ConfusionMatrix fromRows = ConfusionMatrix.FromOutputs<double>(OneHot.Encode<double>(actual, k), OneHot.Encode<double>(predicted, k), k);
        Close(c.Number("accuracy"), NetGen.Metrics.Accuracy<double>(OneHot.Encode<double>(actual, k), OneHot.Encode<double>(predicted, k), k), "accuracy of rows");
        foreach (ConfusionMatrix matrix in new[] { fromClasses, fromRows })
        {
            Matrix(c, matrix);
        }
    }

    private static readonly (MetricAverage Average, string Key)[] Averages =
        [(MetricAverage.Macro, "macro"), (MetricAverage.Micro, "micro"), (MetricAverage.Weighted, "weighted")];

    private static void Matrix(JsonElement c, ConfusionMatrix matrix)
    {
        int[][] expected = c.IntRows("confusion");
        int k = expected.Length;
        Assert.Equal(k, matrix.ClassCount);
        Assert.Equal(c.Ints("actual").Length, matrix.Count);
        foreach (int a in Classes(k))
        {
            foreach (int p in Classes(k))
            {
                Assert.Equal(expected[a][p], matrix[a, p]);
            }

            Assert.Equal(expected[a].Sum(), matrix.ActualCount(a));
            Assert.Equal(expected.Sum(row => row[a]), matrix.PredictedCount(a));
            Close(c.Doubles("precision")[a], matrix.Precision(a), $"matrix precision of class {a}");
            Close(c.Doubles("recall")[a], matrix.Recall(a), $"matrix recall of class {a}");
            Close(c.Doubles("f1")[a], matrix.F1(a), $"matrix F1 of class {a}");
        }

        Close(c.Number("accuracy"), matrix.Accuracy, "matrix accuracy");
        Close(c.Number("balanced_accuracy"), matrix.BalancedAccuracy, "matrix balanced accuracy");
        foreach ((MetricAverage average, string key) in Averages)
        {
            JsonElement e = c.GetProperty(key);
            Close(e.Number("precision"), matrix.Precision(average), $"matrix {key} precision");
            Close(e.Number("recall"), matrix.Recall(average), $"matrix {key} recall");
            Close(e.Number("f1"), matrix.F1(average), $"matrix {key} F1");
        }
    }

    // ---- Probabilities: log loss, and the accuracy and ROC AUC of the same outputs.

    [Theory]
    [MemberData(nameof(LogLossCases))]
    public void Log_loss_and_the_outputs_accuracy_and_auc_match_scikit_learn(string name)
    {
        JsonElement c = Case("log_loss", name);
        if (c.GetProperty("float").GetBoolean())
        {
            // The clipping bound is float's epsilon, so float is the only type this case's answer is for.
            Probabilities<float>(c);
        }
        else
        {
            Probabilities<double>(c);
        }
    }

    private static void Probabilities<T>(JsonElement c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] actual = c.Ints("actual");
        T[] probabilities = Cast<T>(c.Doubles("probabilities"));
        int outputs = c.GetProperty("outputs").GetInt32();
        T[] targets = outputs == 1 ? Cast<T>(actual.Select(a => (double)a).ToArray()) : OneHot.Encode<T>(actual, outputs);

        Close(c.Number("log_loss"), NetGen.Metrics.LogLoss<T>(actual, probabilities), "log loss of classes");
        Close(c.Number("log_loss"), NetGen.Metrics.LogLoss<T>(targets, probabilities, outputs), "log loss of targets");
        Close(c.Number("accuracy"), NetGen.Metrics.Accuracy<T>(targets, probabilities, outputs), "accuracy of outputs");
        Close(c.Number("accuracy"), NetGen.Metrics.Accuracy(actual, NetGen.Metrics.ClassesOf<T>(probabilities, outputs)), "accuracy of ClassesOf");
        if (c.TryGetProperty("roc_auc", out _))
        {
            Close(c.Number("roc_auc"), NetGen.Metrics.RocAuc<T>(targets, probabilities, outputs), "ROC AUC of outputs");
        }
    }

    // ---- ROC AUC from classes and scores.

    [Theory]
    [MemberData(nameof(RocAucCases))]
    public void Roc_auc_matches_scikit_learn(string name)
    {
        JsonElement c = Case("roc_auc", name);
        RocAuc<double>(c);
        if (c.GetProperty("float").GetBoolean())
        {
            RocAuc<float>(c);
        }
    }

    private static void RocAuc<T>(JsonElement c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int[] actual = c.Ints("actual");
        T[] scores = Cast<T>(c.Doubles("scores"));
        double expected = c.Number("roc_auc");
        Close(expected, NetGen.Metrics.RocAuc<T>(actual, scores), "ROC AUC, allocating");

        // A scratch span longer than needed, full of garbage: only its first n values are used, and overwritten.
        T[] scratch = Enumerable.Repeat(T.NaN, actual.Length + 3).ToArray();
        Close(expected, NetGen.Metrics.RocAuc<T>(actual, scores, scratch), "ROC AUC, with scratch");
        Assert.All(scratch[..actual.Length], v => Assert.False(T.IsNaN(v)));
        Assert.All(scratch[actual.Length..], v => Assert.True(T.IsNaN(v)));
    }

    private static T[] Cast<T>(double[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = T.CreateChecked(values[i]);

            // A float case's values were rounded to float32 by the script: converting them must be exact.
            Assert.Equal(values[i], double.CreateChecked(result[i]));
        }

        return result;
    }
}
