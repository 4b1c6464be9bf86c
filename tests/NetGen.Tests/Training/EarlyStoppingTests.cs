using System;
using System.Linq;
using NetGen;
using NetGen.Tests.Support;
using static NetGen.Tests.Training.ControlTestSupport;

namespace NetGen.Tests.Training;

/// <summary>TrainingOptions.EarlyStopping: when it stops, what it restores, what the history says, what it refuses.</summary>
public class EarlyStoppingTests
{
    [Fact]
    public void TheConstructedCase_HasOneMinimumOfTheValidationLoss()
    {
        // The premise of the tests below: without early stopping, the validation loss falls to one epoch and then rises.
        (Dataset<double> training, Dataset<double> validation) = OverfittingLine();
        TrainingHistory plain = Trainer.Fit(ZeroLine(), training, LineOptions(60, validation));
        double[] losses = plain.Select(e => e.ValidationLoss).ToArray();
        int best = Array.IndexOf(losses, losses.Min()) + 1;

        Assert.InRange(best, 5, 50);
        for (int e = 1; e < losses.Length; e++)
        {
            Assert.True(e < best ? losses[e] < losses[e - 1] : losses[e] > losses[e - 1], $"epoch {e + 1}: {losses[e]} after {losses[e - 1]}");
        }

        Assert.Equal(TrainingStopReason.Completed, plain.StopReason);
        Assert.False(plain.StoppedEarly);
        Assert.Equal(0, plain.BestEpoch);
        Assert.False(plain.RestoredBestEpoch);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void StopsPatienceEpochsAfterTheBest_AndRestoresExactlyTheBestEpochsParameters(int patience)
    {
        (Dataset<double> training, Dataset<double> validation) = OverfittingLine();
        double[] losses = Trainer.Fit(ZeroLine(), training, LineOptions(60, validation)).Select(e => e.ValidationLoss).ToArray();
        int best = Array.IndexOf(losses, losses.Min()) + 1;

        LineNet network = ZeroLine();
        TrainingHistory history = Trainer.Fit(network, training, new TrainingOptions<double>
        {
            Epochs = 60,
            BatchSize = 8,
            Shuffle = false,
            LearningRate = 0.05,
            Validation = validation,
            EarlyStopping = new EarlyStopping { Patience = patience },
        });

        Assert.Equal(best + patience, history.Count);
        Assert.Equal(best, history.BestEpoch);
        Assert.Equal(TrainingStopReason.EarlyStopping, history.StopReason);
        Assert.True(history.StoppedEarly);
        Assert.True(history.RestoredBestEpoch);
        Assert.Equal(losses.Take(best + patience), history.Select(e => e.ValidationLoss));

        // Bit for bit the parameters of a run of exactly the best epoch's number of epochs.
        LineNet exactly = ZeroLine();
        Trainer.Fit(exactly, training, LineOptions(best, validation));
        Bits.Equal<double>(exactly.Parameters, network.Parameters, "restored parameters");
        Assert.Equal(losses[best - 1], Trainer.Evaluate(network, validation).Loss);
    }

    [Fact]
    public void WithoutRestore_KeepsTheLastEpochsParameters()
    {
        (Dataset<double> training, Dataset<double> validation) = OverfittingLine();
        LineNet stopped = ZeroLine();
        TrainingHistory early = Trainer.Fit(stopped, training, new TrainingOptions<double>
        {
            Epochs = 60,
            BatchSize = 8,
            Shuffle = false,
            LearningRate = 0.05,
            Validation = validation,
            EarlyStopping = new EarlyStopping { Patience = 2, RestoreBestParameters = false },
        });

        Assert.False(early.RestoredBestEpoch);
        Assert.Equal(early.BestEpoch + 2, early.Count);
        LineNet last = ZeroLine();
        Trainer.Fit(last, training, LineOptions(early.Count, validation));
        Bits.Equal<double>(last.Parameters, stopped.Parameters, "last epoch's parameters");
    }

    [Fact]
    public void MinDelta_CountsOnlyImprovementsLargerThanIt()
    {
        (Dataset<double> training, Dataset<double> validation) = OverfittingLine();
        double[] losses = Trainer.Fit(ZeroLine(), training, LineOptions(60, validation)).Select(e => e.ValidationLoss).ToArray();

        // A MinDelta between the smaller and the larger of the epoch-to-epoch falls, so that it changes the outcome.
        double[] falls = losses.Zip(losses.Skip(1), (a, b) => a - b).Where(d => d > 0).ToArray();
        double minDelta = (falls.Min() + falls.Max()) / 2;
        (int stop, int best) = ExpectedEarlyStop(losses, patience: 2, minDelta, higherIsBetter: false);
        (int stopWithout, _) = ExpectedEarlyStop(losses, patience: 2, 0, higherIsBetter: false);
        Assert.NotEqual(stopWithout, stop);

        LineNet network = ZeroLine();
        TrainingHistory history = Trainer.Fit(network, training, new TrainingOptions<double>
        {
            Epochs = 60,
            BatchSize = 8,
            Shuffle = false,
            LearningRate = 0.05,
            Validation = validation,
            EarlyStopping = new EarlyStopping { Patience = 2, MinDelta = minDelta },
        });

        Assert.Equal(stop, history.Count);
        Assert.Equal(best, history.BestEpoch);
        LineNet exactly = ZeroLine();
        Trainer.Fit(exactly, training, LineOptions(best, validation));
        Bits.Equal<double>(exactly.Parameters, network.Parameters, "restored parameters");
    }

    [Fact]
    public void OnAccuracy_HigherIsBetter()
    {
        // A classifier whose accuracy reaches its top and stays: it stops Patience epochs after the first epoch at the top.
        Dataset<float> training = TrainerTests.Blobs(60, seed: 31);
        Dataset<float> validation = TrainerTests.Blobs(40, seed: 32);
        TrainingOptions<float> Options(int epochs, EarlyStopping? stopping) => new()
        {
            Epochs = epochs,
            BatchSize = 10,
            Seed = 4,
            LearningRate = 0.2,
            Validation = validation,
            EarlyStopping = stopping,
        };

        double[] accuracies = Trainer.Fit(new BlobNet(), training, Options(40, null)).Select(e => e.ValidationAccuracy).ToArray();
        (int stop, int best) = ExpectedEarlyStop(accuracies, patience: 3, 0, higherIsBetter: true);
        Assert.True(stop < 40, "the accuracy should stop improving within 40 epochs");

        var network = new BlobNet();
        TrainingHistory history = Trainer.Fit(network, training, Options(40, new EarlyStopping { Patience = 3, Metric = ValidationMetric.Accuracy }));

        Assert.Equal(stop, history.Count);
        Assert.Equal(best, history.BestEpoch);
        Assert.Equal(accuracies.Max(), history[best - 1].ValidationAccuracy);
        var exactly = new BlobNet();
        Trainer.Fit(exactly, training, Options(best, null));
        Bits.Equal<float>(exactly.Parameters, network.Parameters, "restored parameters");
    }

    [Fact]
    public void WhenNoEpochIsWorse_RunsEveryEpoch_AndStillRestoresTheBest()
    {
        (Dataset<double> training, Dataset<double> validation) = OverfittingLine();
        double[] losses = Trainer.Fit(ZeroLine(), training, LineOptions(60, validation)).Select(e => e.ValidationLoss).ToArray();
        int best = Array.IndexOf(losses, losses.Min()) + 1;

        // Patience longer than the rest of the run: all epochs run, and the best one's parameters come back.
        LineNet network = ZeroLine();
        TrainingHistory history = Trainer.Fit(network, training, LineOptions(best + 3, validation, new EarlyStopping { Patience = 10 }));
        Assert.Equal(best + 3, history.Count);
        Assert.Equal(TrainingStopReason.Completed, history.StopReason);
        Assert.Equal(best, history.BestEpoch);
        Assert.True(history.RestoredBestEpoch);
        LineNet exactly = ZeroLine();
        Trainer.Fit(exactly, training, LineOptions(best, validation));
        Bits.Equal<double>(exactly.Parameters, network.Parameters, "restored parameters");
    }

    [Fact]
    public void Progress_CarriesTheBestEpochSoFar()
    {
        (Dataset<double> training, Dataset<double> validation) = OverfittingLine();
        var bests = new System.Collections.Generic.List<int>();
        TrainingHistory history = Trainer.Fit(ZeroLine(), training, LineOptions(60, validation, new EarlyStopping { Patience = 2 }, onEpoch: (p, _) => bests.Add(p.BestEpoch)));

        int best = history.BestEpoch;
        Assert.Equal(Enumerable.Range(1, best).Concat([best, best]), bests);
    }

    [Fact]
    public void Refusals_NameOptions_AndChangeNothing()
    {
        (Dataset<double> training, Dataset<double> validation) = OverfittingLine();
        var network = new LineNet();
        double[] before = network.Parameters.ToArray();
        var optimizer = new AdamOptimizer<double>(LineNet.ParameterCount, 0.01);

        void Refused<TException>(Dataset<double>? validation, EarlyStopping stopping, TaskKind taskKind = TaskKind.Auto)
            where TException : ArgumentException
        {
            TException e = Assert.Throws<TException>(() => Trainer.Fit(network, training, LineOptions(5, validation, stopping, optimizer: optimizer, taskKind: taskKind)));
            Assert.Equal("options", e.ParamName);
            Bits.Equal<double>(before, network.Parameters, "parameters after a refusal");
            Assert.Equal(0.01, optimizer.LearningRate);
        }

        Refused<ArgumentException>(null, new EarlyStopping());
        Refused<ArgumentOutOfRangeException>(validation, new EarlyStopping { Patience = 0 });
        Refused<ArgumentOutOfRangeException>(validation, new EarlyStopping { MinDelta = -1 });
        Refused<ArgumentOutOfRangeException>(validation, new EarlyStopping { MinDelta = double.NaN });
        Refused<ArgumentOutOfRangeException>(validation, new EarlyStopping { Metric = (ValidationMetric)9 });
        Refused<ArgumentException>(validation, new EarlyStopping { Metric = ValidationMetric.Accuracy });
        Refused<ArgumentException>(validation, new EarlyStopping { Metric = ValidationMetric.RSquared }, TaskKind.Classification);

        // The measures a regression reports are accepted.
        Trainer.Fit(new LineNet(), training, LineOptions(5, validation, new EarlyStopping { Metric = ValidationMetric.RootMeanSquaredError }));
        Trainer.Fit(new LineNet(), training, LineOptions(5, validation, new EarlyStopping { Metric = ValidationMetric.RSquared }));
    }
}
