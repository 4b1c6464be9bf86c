using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen;

namespace NetGen.Tests.Training;

/// <summary>Trainer.CrossValidate: a fresh network per fold, the folds it chooses, its statistics, and a real data set.</summary>
public class CrossValidateTests
{
    // ---- End to end on optdigits.

    [Fact]
    public void OnOptdigits_FiveStratifiedFolds_ScoreWellAboveChance_AndAreDeterministic()
    {
        Dataset<float> digits = Digits(1500);
        var options = new TrainingOptions<float>
        {
            Epochs = 8,
            BatchSize = 32,
            Seed = 1,
            Optimizer = new AdamOptimizer<float>(DigitsNet.ParameterCount, learningRate: 0.005),
        };

        CrossValidationResult result = Trainer.CrossValidate(() => new DigitsNet(), digits, options, foldCount: 5, seed: 2);

        // Chance is 10%; a broken training loop (no step, a wrong gradient, folds trained on the held-out part
        // only) lands far below these. Each fold validates on 300 digits.
        Assert.Equal(TaskKind.Classification, result.TaskKind);
        Assert.Equal(5, result.Scores.Count);
        Assert.True(result.Mean >= 0.9, $"mean accuracy {result}");
        Assert.All(result.Scores, s => Assert.True(s >= 0.85, $"fold accuracy {s:F4} in {result}"));
        Assert.True(result.StandardDeviation < 0.05, result.ToString());
        Assert.All(result.Histories, h => Assert.True(h[^1].TrainingLoss < h[0].TrainingLoss));
        Assert.Equal(result.Evaluations.Select(e => e.Accuracy), result.Scores);

        // A classifier's folds are stratified: those of StratifiedKFold with the same seed.
        Assert.Equal(
            digits.StratifiedKFold(5, 2).Select(f => f.ValidationIndices.ToArray()),
            result.Folds.Select(f => f.ValidationIndices.ToArray()));
        Assert.All(result.Folds, f => Assert.Equal(300, f.ValidationIndices.Length));

        // Same seeds, same scores, bit for bit; another fold seed, other folds and other scores.
        CrossValidationResult again = Trainer.CrossValidate(() => new DigitsNet(), digits, options, foldCount: 5, seed: 2);
        Assert.Equal(result.Scores, again.Scores);
        CrossValidationResult other = Trainer.CrossValidate(() => new DigitsNet(), digits, options, foldCount: 5, seed: 3);
        Assert.NotEqual(result.Folds[0].ValidationIndices.ToArray(), other.Folds[0].ValidationIndices.ToArray());
        Assert.NotEqual(result.Scores, other.Scores);
    }

    // ---- A regression.

    [Fact]
    public void ARegression_UsesPlainFolds_AndScoresRSquared()
    {
        Dataset<double> line = Line(120, seed: 5);
        var options = new TrainingOptions<double>
        {
            Epochs = 25,
            BatchSize = 8,
            Optimizer = new AdamOptimizer<double>(LineNet.ParameterCount, learningRate: 0.05),
        };

        CrossValidationResult result = Trainer.CrossValidate(() => new LineNet(), line, options, foldCount: 4, seed: 6);

        Assert.Equal(TaskKind.Regression, result.TaskKind);
        Assert.Equal(line.KFold(4, 6).Select(f => f.ValidationIndices.ToArray()), result.Folds.Select(f => f.ValidationIndices.ToArray()));
        Assert.Equal(result.Evaluations.Select(e => e.RSquared), result.Scores);
        Assert.All(result.Scores, s => Assert.True(s > 0.99, $"R^2 {s}"));
        Assert.All(result.Evaluations, e => Assert.True(double.IsNaN(e.Accuracy)));
    }

    // ---- Folds, scores and statistics.

    [Fact]
    public void GivenFolds_TrainEachFreshNetworkOnItsTrainingPart_AndScoreItOnItsValidationPart()
    {
        Dataset<double> line = Line(30, seed: 7);
        IReadOnlyList<Fold> folds = line.KFold(3, seed: 8);
        var created = new List<LineNet>();
        var scored = new List<(LineNet Network, int Count, double FirstTarget)>();
        var options = new TrainingOptions<double> { Epochs = 2, LearningRate = 0.1, Shuffle = false };

        CrossValidationResult result = Trainer.CrossValidate(
            () =>
            {
                var network = new LineNet();
                created.Add(network);
                return network;
            },
            line,
            folds,
            options,
            (network, validation) =>
            {
                scored.Add((network, validation.Count, validation.GetTarget(0)[0]));
                return 10.0 * scored.Count;
            });

        Assert.Equal(3, created.Count);
        Assert.Equal(created, scored.Select(s => s.Network));
        for (int f = 0; f < 3; f++)
        {
            Assert.Equal(folds[f].ValidationIndices.Length, scored[f].Count);
            Assert.Equal(line.GetTarget(folds[f].ValidationIndices[0])[0], scored[f].FirstTarget);

            // The fold's network is exactly what Fit makes of a new network on the fold's training part.
            var byHand = new LineNet();
            Trainer.Fit(byHand, line.Subset(folds[f].TrainingIndices), options);
            Assert.Equal(byHand.Parameters.ToArray(), created[f].Parameters.ToArray());
            Assert.Equal(Trainer.Evaluate(byHand, line.Subset(folds[f].ValidationIndices)), result.Evaluations[f]);
            Assert.Equal(result.Evaluations[f].Loss, result.Histories[f][^1].ValidationLoss);
        }

        // Scores 10, 20, 30: mean 20, population standard deviation sqrt(200 / 3).
        Assert.Equal([10.0, 20, 30], result.Scores);
        Assert.Equal(20, result.Mean);
        Assert.Equal(Math.Sqrt(200.0 / 3), result.StandardDeviation, 1e-12);
        Assert.Equal("20.0000 ± 8.1650 over 3 folds", result.ToString());
    }

    [Fact]
    public void TheOptimizer_IsResetBeforeEachFold()
    {
        // With a reset, every fold starts from the same state, so two identical folds give identical networks.
        Dataset<double> line = Line(20, seed: 9);
        Fold fold = line.KFold(2, seed: 10)[0];
        var networks = new List<LineNet>();
        var options = new TrainingOptions<double>
        {
            Epochs = 3,
            BatchSize = 4,
            Optimizer = new AdamOptimizer<double>(LineNet.ParameterCount, learningRate: 0.05),
        };

        Trainer.CrossValidate(
            () =>
            {
                networks.Add(new LineNet());
                return networks[^1];
            },
            line,
            [fold, fold],
            options);

        Assert.Equal(networks[0].Parameters.ToArray(), networks[1].Parameters.ToArray());
    }

    [Fact]
    public void BadArguments_Throw()
    {
        Dataset<double> line = Line(10, seed: 11);
        var options = new TrainingOptions<double> { Epochs = 1 };
        var shared = new LineNet();
        Assert.Equal("createNetwork", Assert.Throws<ArgumentException>(() => Trainer.CrossValidate(() => shared, line, options, foldCount: 2)).ParamName);
        Assert.Equal("createNetwork", Assert.Throws<ArgumentNullException>(() => Trainer.CrossValidate(() => (LineNet)null!, line, options)).ParamName);
        Assert.Equal("foldCount", Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.CrossValidate(() => new LineNet(), line, options, foldCount: 11)).ParamName);
        Assert.Equal("folds", Assert.Throws<ArgumentException>(() => Trainer.CrossValidate(() => new LineNet(), line, Array.Empty<Fold>(), options)).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() =>
            Trainer.CrossValidate(() => new LineNet(), new Dataset<double>(new double[6], new double[2], 3, 1), options)).ParamName);
        Assert.Throws<ArgumentNullException>(() => Trainer.CrossValidate(() => new LineNet(), line, (TrainingOptions<double>)null!));
    }

    /// <summary>The first <paramref name="count"/> rows of optdigits.tra, pixel counts scaled from 0..16 to 0..1.</summary>
    private static Dataset<float> Digits(int count)
    {
        NumericTable<float> table = NumericCsv.Read<float>(Path.Combine(AppContext.BaseDirectory, "Data", "optdigits.tra"), hasHeader: true);
        float[] inputs = table.SelectColumns(0, 64).Values[..(count * 64)];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] /= 16;
        }

        return new Dataset<float>(inputs, OneHot.Encode<float>(table.GetLabels(64)[..count], 10), 64, 10);
    }

    /// <summary>y = 3 x0 - 2 x1 + 1 for x uniform in [-1, 1)².</summary>
    private static Dataset<double> Line(int count, int seed)
    {
        var random = new Random(seed);
        var inputs = new double[2 * count];
        var targets = new double[count];
        for (int i = 0; i < count; i++)
        {
            inputs[2 * i] = (random.NextDouble() * 2) - 1;
            inputs[(2 * i) + 1] = (random.NextDouble() * 2) - 1;
            targets[i] = (3 * inputs[2 * i]) - (2 * inputs[(2 * i) + 1]) + 1;
        }

        return new Dataset<double>(inputs, targets, 2, 1);
    }
}
