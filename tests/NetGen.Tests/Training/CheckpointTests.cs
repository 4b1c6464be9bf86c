using System;
using System.IO;
using System.Linq;
using NetGen;
using NetGen.Tests.Support;
using static NetGen.Tests.Training.ControlTestSupport;

namespace NetGen.Tests.Training;

/// <summary>TrainingOptions.Checkpoint: which epochs are written, that each file loads back to that epoch's parameters, refusals.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netgen-checkpoints-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void EveryEpochs_WritesAfterEveryNthEpoch_AndEachFileHoldsThatEpochsParameters()
    {
        Dataset<double> data = TrainerTests.Regression(20, seed: 41);
        TrainingOptions<double> Options(int epochs, Checkpoint? checkpoint) => new()
        {
            Epochs = epochs,
            BatchSize = 6,
            Seed = 2,
            Optimizer = new AdamOptimizer<double>(RegressionNet.ParameterCount, 0.01),
            Checkpoint = checkpoint,
        };

        string path = Path.Combine(_directory, "model-{epoch}.netgen");
        Trainer.Fit(new RegressionNet(), data, Options(7, new Checkpoint { Path = path, EveryEpochs = 3 }));

        Assert.Equal(["model-3.netgen", "model-6.netgen"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order());
        foreach (int epoch in new[] { 3, 6 })
        {
            var loaded = new RegressionNet();
            ModelFile.Load(loaded, Path.Combine(_directory, $"model-{epoch}.netgen"));
            var exactly = new RegressionNet();
            Trainer.Fit(exactly, data, Options(epoch, null));
            Bits.Equal<double>(exactly.Parameters, loaded.Parameters, $"checkpoint of epoch {epoch}");
        }
    }

    [Fact]
    public void AtImprovements_WritesExactlyTheImprovingEpochs()
    {
        // The constructed case: the validation loss falls until the best epoch and rises after it.
        (Dataset<double> training, Dataset<double> validation) = OverfittingLine();
        double[] losses = Trainer.Fit(ZeroLine(), training, LineOptions(30, validation)).Select(e => e.ValidationLoss).ToArray();
        int best = Array.IndexOf(losses, losses.Min()) + 1;

        Trainer.Fit(ZeroLine(), training, LineOptions(30, validation, checkpoint: new Checkpoint { Path = Path.Combine(_directory, "{epoch}.netgen") }));

        Assert.Equal(
            Enumerable.Range(1, best).Select(e => $"{e}.netgen"),
            Directory.GetFiles(_directory).Select(Path.GetFileName).OrderBy(n => int.Parse(n!.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void OneFile_EndsHoldingTheBestEpoch_TheParametersEarlyStoppingRestores()
    {
        (Dataset<double> training, Dataset<double> validation) = OverfittingLine();
        string path = Path.Combine(_directory, "best.netgen");
        LineNet network = ZeroLine();
        TrainingHistory history = Trainer.Fit(network, training, LineOptions(60, validation, new EarlyStopping { Patience = 4 }, new Checkpoint { Path = path }));

        LineNet loaded = ZeroLine();
        ModelFile.Load(loaded, path);
        LineNet exactly = ZeroLine();
        Trainer.Fit(exactly, training, LineOptions(history.BestEpoch, validation));
        Bits.Equal<double>(exactly.Parameters, loaded.Parameters, "checkpoint");
        Bits.Equal<double>(network.Parameters, loaded.Parameters, "restored parameters");

        // Written through ModelFile's atomic save: the file and nothing else (no temporary file) is in the directory.
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Fact]
    public void AtImprovementsOfAccuracy_WritesWhenTheAccuracyRises()
    {
        Dataset<float> training = TrainerTests.Blobs(60, seed: 31);
        Dataset<float> validation = TrainerTests.Blobs(40, seed: 32);
        TrainingOptions<float> Options(Checkpoint? checkpoint) => new()
        {
            Epochs = 12,
            BatchSize = 10,
            Seed = 4,
            LearningRate = 0.2,
            Validation = validation,
            Checkpoint = checkpoint,
        };

        double[] accuracies = Trainer.Fit(new BlobNet(), training, Options(null)).Select(e => e.ValidationAccuracy).ToArray();
        Trainer.Fit(new BlobNet(), training, Options(new Checkpoint { Path = Path.Combine(_directory, "{epoch}"), Metric = ValidationMetric.Accuracy }));

        double best = double.NegativeInfinity;
        var expected = new System.Collections.Generic.List<string>();
        for (int e = 1; e <= accuracies.Length; e++)
        {
            if (accuracies[e - 1] > best)
            {
                best = accuracies[e - 1];
                expected.Add(e.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        Assert.Equal(expected, Directory.GetFiles(_directory).Select(Path.GetFileName).OrderBy(n => int.Parse(n!, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Refusals_NameOptions_WriteNothing_AndChangeNothing()
    {
        (Dataset<double> training, Dataset<double> validation) = OverfittingLine();
        var network = new LineNet();
        double[] before = network.Parameters.ToArray();

        void Refused<TException>(Dataset<double>? validationSet, Checkpoint checkpoint)
            where TException : ArgumentException
        {
            TException e = Assert.Throws<TException>(() => Trainer.Fit(network, training, LineOptions(3, validationSet, checkpoint: checkpoint)));
            Assert.Equal("options", e.ParamName);
            Bits.Equal<double>(before, network.Parameters, "parameters after a refusal");
        }

        string file = Path.Combine(_directory, "model.netgen");
        Refused<ArgumentException>(null, new Checkpoint { Path = file });
        Refused<ArgumentOutOfRangeException>(validation, new Checkpoint { Path = file, EveryEpochs = -1 });
        Refused<ArgumentException>(validation, new Checkpoint { Path = "" });
        Refused<ArgumentException>(validation, new Checkpoint { Path = null! });
        Refused<ArgumentException>(validation, new Checkpoint { Path = _directory });
        Refused<ArgumentException>(validation, new Checkpoint { Path = _directory + Path.DirectorySeparatorChar });
        Refused<ArgumentException>(validation, new Checkpoint { Path = Path.Combine(_directory, "missing", "model.netgen") });
        Refused<ArgumentException>(validation, new Checkpoint { Path = file, Metric = ValidationMetric.Accuracy });
        Assert.Empty(Directory.GetFileSystemEntries(_directory));

        // Every n epochs needs no validation set.
        Trainer.Fit(new LineNet(), training, LineOptions(2, null, checkpoint: new Checkpoint { Path = file, EveryEpochs = 2 }));
        Assert.True(File.Exists(file));
    }

    [Fact]
    public void CrossValidate_WritesEachFoldsCheckpointToItsOwnFile_AndRefusesAPathWithoutFold()
    {
        Dataset<double> data = TrainerTests.Regression(30, seed: 43);
        TrainingOptions<double> Options(Checkpoint? checkpoint) => new()
        {
            Epochs = 4,
            BatchSize = 5,
            Seed = 3,
            Optimizer = new AdamOptimizer<double>(RegressionNet.ParameterCount, 0.01),
            Checkpoint = checkpoint,
        };

        // Without {fold} every fold would write one file, leaving the last fold's: refused before any training.
        int made = 0;
        ArgumentException refused = Assert.Throws<ArgumentException>(() => Trainer.CrossValidate(
            () => { made++; return new RegressionNet(); }, data, Options(new Checkpoint { Path = Path.Combine(_directory, "cv.netgen"), EveryEpochs = 4 }), foldCount: 3, seed: 1));
        Assert.Equal("options", refused.ParamName);
        Assert.Contains("{fold}", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));

        // With it, fold k's file holds fold k's network after its last epoch.
        var networks = new System.Collections.Generic.List<RegressionNet>();
        CrossValidationResult result = Trainer.CrossValidate(
            () => { var n = new RegressionNet(); networks.Add(n); return n; },
            data,
            Options(new Checkpoint { Path = Path.Combine(_directory, "cv-{fold}-{epoch}.netgen"), EveryEpochs = 4 }),
            foldCount: 3,
            seed: 1);

        Assert.Equal(["cv-1-4.netgen", "cv-2-4.netgen", "cv-3-4.netgen"], Directory.GetFiles(_directory).Select(Path.GetFileName).Order());
        Assert.Equal(3, result.Folds.Count);
        for (int fold = 0; fold < 3; fold++)
        {
            var loaded = new RegressionNet();
            ModelFile.Load(loaded, Path.Combine(_directory, $"cv-{fold + 1}-4.netgen"));
            Bits.Equal<double>(networks[fold].Parameters, loaded.Parameters, $"fold {fold + 1}");
        }

        // The folds' networks differ, so the files could not all hold the same one by accident.
        Assert.False(networks[0].Parameters.SequenceEqual(networks[1].Parameters));
    }
}
