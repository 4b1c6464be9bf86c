using System;
using System.IO;
using NetGen;

namespace NetGen.Tests.Training;

/// <summary>The network of docs/training.md's examples, declared as the page declares it.</summary>
[Network(4, Loss = NetGen.LossFunction.CrossEntropy)]
[Dense(16, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class Species;

/// <summary>
/// docs/training.md's examples, pasted as written (each in its own method, with the page's training and validation
/// data; the history kept and asserts added after some), so that they compile; and run, on three blobs of 4
/// measurements. Change them together.
/// </summary>
[Collection("Writes files in the working directory")]
public class TrainingDocExamplesTests
{
    private readonly Dataset<float> _training;
    private readonly Dataset<float> _validation;

    public TrainingDocExamplesTests()
    {
        // 150 samples of 3 classes around different centres.
        var random = new Random(3);
        var inputs = new float[150 * 4];
        var labels = new int[150];
        for (int i = 0; i < 150; i++)
        {
            labels[i] = i % 3;
            for (int k = 0; k < 4; k++)
            {
                inputs[(4 * i) + k] = (float)((labels[i] == k % 3 ? 2.0 : 0.0) + ((random.NextDouble() - 0.5) * 1.5));
            }
        }

        Dataset<float> data = new(inputs, OneHot.Encode<float>(labels, classCount: 3), inputCount: 4, outputCount: 3);
        (_training, _validation) = data.StratifiedSplit(0.2, seed: 1);
    }

    [Fact]
    public void Fit()
    {
        (Dataset<float> training, Dataset<float> validation) = (_training, _validation);
        var net = new Species();
        TrainingHistory history = Trainer.Fit(net, training, new TrainingOptions<float>
        {
            Epochs = 50,
            BatchSize = 16,
            Seed = 1,
            Optimizer = new AdamOptimizer<float>(Species.ParameterCount, learningRate: 1e-2),
            Validation = validation,
        });
        Console.WriteLine($"epoch {history.Count}: validation accuracy {history[^1].ValidationAccuracy:P1}");

        Assert.True(history[^1].ValidationAccuracy > 0.9, $"accuracy {history[^1].ValidationAccuracy}");
    }

    [Fact]
    public void EarlyStopping()
    {
        (Dataset<float> training, Dataset<float> validation) = (_training, _validation);
        TrainingHistory history = Trainer.Fit(new Species(), training, new TrainingOptions<float>
        {
            Epochs = 500,
            Optimizer = new AdamOptimizer<float>(Species.ParameterCount, learningRate: 1e-2),
            Validation = validation,
            EarlyStopping = new EarlyStopping { Patience = 10, MinDelta = 1e-4 },   // on the validation loss
        });
        Console.WriteLine($"best epoch {history.BestEpoch} of {history.Count} ({history.StopReason})");

        Assert.Equal(TrainingStopReason.EarlyStopping, history.StopReason);
        Assert.Equal(history.BestEpoch + 10, history.Count);
    }

    [Fact]
    public void Checkpoints()
    {
        (Dataset<float> training, Dataset<float> validation) = (_training, _validation);
        try
        {
            Trainer.Fit(new Species(), training, new TrainingOptions<float>
            {
                Epochs = 200,
                Validation = validation,
                Checkpoint = new Checkpoint { Path = "species.netgen" },                   // at each new best validation loss
            });

            Trainer.Fit(new Species(), training, new TrainingOptions<float>
            {
                Epochs = 200,
                Checkpoint = new Checkpoint { Path = "species-{epoch}.netgen", EveryEpochs = 50 },   // 50, 100, 150, 200
            });

            Assert.True(File.Exists("species.netgen"));
            foreach (int epoch in new[] { 50, 100, 150, 200 })
            {
                Assert.True(File.Exists($"species-{epoch}.netgen"));
            }

            Assert.False(File.Exists("species-49.netgen"));
        }
        finally
        {
            foreach (string file in Directory.GetFiles(".", "species*.netgen"))
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public void ClassWeights()
    {
        (Dataset<float> training, Dataset<float> validation) = (_training, _validation);
        // 3 classes, the third rare: its samples weigh 5 times as much.
        Trainer.Fit(new Species(), training, new TrainingOptions<float>
        {
            Epochs = 50,
            Optimizer = new AdamOptimizer<float>(Species.ParameterCount, learningRate: 1e-2),
            ClassWeights = [1.0, 1.0, 5.0],
        });
    }

    [Fact]
    public void Schedule()
    {
        (Dataset<float> training, Dataset<float> validation) = (_training, _validation);
        Trainer.Fit(new Species(), training, new TrainingOptions<float>
        {
            Epochs = 50,
            Optimizer = new AdamOptimizer<float>(Species.ParameterCount),
            // 5 epochs from 1e-4 up to 1e-3, then a cosine down to 0 over the other 45.
            LearningRateSchedule = LearningRateSchedules.WarmUp(5, 0.1, LearningRateSchedules.Cosine(1e-3, period: 45)),
        });
    }

    [Fact]
    public void Plateau()
    {
        (Dataset<float> training, Dataset<float> validation) = (_training, _validation);
        Trainer.Fit(new Species(), training, new TrainingOptions<float>
        {
            Epochs = 200,
            Optimizer = new SgdOptimizer<float>(Species.ParameterCount, learningRate: 0.1, momentum: 0.9),
            Validation = validation,
            ReduceLearningRateOnPlateau = new ReduceLearningRateOnPlateau { Factor = 0.5, Patience = 5 },
        });
    }

    [Fact]
    public void Callbacks()
    {
        (Dataset<float> training, Dataset<float> validation) = (_training, _validation);
        var net = new Species();
        TrainingHistory history = Trainer.Fit(net, training, new TrainingOptions<float>
        {
            Epochs = 1000,
            Validation = validation,
            OnEpoch = (p, control) =>
            {
                Console.WriteLine($"epoch {p.Epoch}: loss {p.Loss:F4}, validation accuracy {p.ValidationAccuracy:P1}");
                if (p.ValidationAccuracy >= 0.99)
                {
                    control.Stop();    // training ends after this epoch; the history says StopReason = Requested
                }
            },
        });

        Assert.Equal(TrainingStopReason.Requested, history.StopReason);
        Assert.True(history[^1].ValidationAccuracy >= 0.99);
    }
}
