using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using NetGen;

namespace NetGen.Tests.Training;

/// <summary>Trainer.Fit and Trainer.Evaluate on generated networks.</summary>
public class TrainerTests
{
    // ---- Learning at all.

    [Fact]
    public void Fit_LearnsToSeparateTwoBlobs()
    {
        Dataset<float> training = Blobs(200, seed: 1);
        Dataset<float> validation = Blobs(100, seed: 2);
        var network = new BlobNet();
        EvaluationResult before = Trainer.Evaluate(network, validation);

        TrainingHistory history = Trainer.Fit(network, training, new TrainingOptions<float>
        {
            Epochs = 15,
            BatchSize = 16,
            Seed = 3,
            Optimizer = new AdamOptimizer<float>(BlobNet.ParameterCount, learningRate: 0.05),
            Validation = validation,
        });

        Assert.Equal(15, history.Count);
        Assert.True(history[^1].TrainingLoss < history[0].TrainingLoss / 2, $"loss went from {history[0].TrainingLoss} to {history[^1].TrainingLoss}");
        Assert.True(history[^1].ValidationAccuracy >= 0.95, $"validation accuracy {history[^1].ValidationAccuracy}");
        EvaluationResult after = Trainer.Evaluate(network, validation);
        Assert.Equal(history[^1].ValidationAccuracy, after.Accuracy);
        Assert.Equal(history[^1].ValidationLoss, after.Loss);
        Assert.True(after.Loss < before.Loss);
    }

    // ---- Exactly what a batch does.

    [Fact]
    public void Fit_WithOptimizer_IsZeroGradientsBackwardPerSampleMeanThenStep()
    {
        // No shuffling, 10 samples in batches of 4: batches of 4, 4 and 2 samples, in order, for two epochs.
        Dataset<double> data = Regression(10, seed: 5);
        var trained = new RegressionNet();
        Trainer.Fit(trained, data, new TrainingOptions<double>
        {
            Epochs = 2,
            BatchSize = 4,
            Shuffle = false,
            Optimizer = new SgdOptimizer<double>(RegressionNet.ParameterCount, 0.05, momentum: 0.9),
        });

        var byHand = new RegressionNet();
        var optimizer = new SgdOptimizer<double>(RegressionNet.ParameterCount, 0.05, momentum: 0.9);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            foreach ((int first, int count) in new[] { (0, 4), (4, 4), (8, 2) })
            {
                byHand.ZeroGradients();
                for (int s = first; s < first + count; s++)
                {
                    byHand.Backward(data.GetInput(s), data.GetTarget(s));
                }

                Span<double> g = byHand.Gradients;
                for (int i = 0; i < g.Length; i++)
                {
                    g[i] *= 1.0 / count;
                }

                optimizer.Step(byHand.Parameters, g);
            }
        }

        AssertBitIdentical(byHand.Parameters, trained.Parameters);
    }

    [Fact]
    public void Fit_ShufflesEachEpochWithFisherYatesFromTheSeed()
    {
        // The documented shuffle, written out again: one DeterministicRandom per Fit, seeded with Seed; each epoch
        // shuffles the previous order with i from n - 1 down to 1 swapping i and NextInt32(i + 1).
        Dataset<double> data = Regression(7, seed: 6);
        var trained = new RegressionNet();
        Trainer.Fit(trained, data, new TrainingOptions<double>
        {
            Epochs = 3,
            BatchSize = 3,
            Seed = 1234,
            Optimizer = new SgdOptimizer<double>(RegressionNet.ParameterCount, 0.05),
        });

        var byHand = new RegressionNet();
        var optimizer = new SgdOptimizer<double>(RegressionNet.ParameterCount, 0.05);
        var random = new DeterministicRandom(1234);
        int[] order = [0, 1, 2, 3, 4, 5, 6];
        for (int epoch = 0; epoch < 3; epoch++)
        {
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = random.NextInt32(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }

            for (int first = 0; first < order.Length; first += 3)
            {
                int count = Math.Min(3, order.Length - first);
                byHand.ZeroGradients();
                for (int s = first; s < first + count; s++)
                {
                    byHand.Backward(data.GetInput(order[s]), data.GetTarget(order[s]));
                }

                Span<double> g = byHand.Gradients;
                for (int i = 0; i < g.Length; i++)
                {
                    g[i] *= 1.0 / count;
                }

                optimizer.Step(byHand.Parameters, g);
            }
        }

        AssertBitIdentical(byHand.Parameters, trained.Parameters);
    }

    [Fact]
    public void Fit_WithoutOptimizer_UsesTrainBatchWithTheLearningRate()
    {
        Dataset<double> data = Regression(9, seed: 7);
        var trained = new RegressionNet();
        Trainer.Fit(trained, data, new TrainingOptions<double> { Epochs = 2, BatchSize = 4, Shuffle = false, LearningRate = 0.03 });

        var byHand = new RegressionNet();
        double[] inputs = data.Inputs.ToArray(), targets = data.Targets.ToArray();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            foreach ((int first, int count) in new[] { (0, 4), (4, 4), (8, 1) })
            {
                byHand.TrainBatch(inputs.AsSpan(first * 3, count * 3), targets.AsSpan(first * 2, count * 2), 0.03);
            }
        }

        AssertBitIdentical(byHand.Parameters, trained.Parameters);
    }

    [Fact]
    public void Fit_PlainSgdOptimizerAgreesWithTheTrainBatchPath()
    {
        Dataset<double> data = Regression(20, seed: 8);
        var viaOptimizer = new RegressionNet();
        var viaTrainBatch = new RegressionNet();
        Trainer.Fit(viaOptimizer, data, new TrainingOptions<double>
        {
            Epochs = 3,
            BatchSize = 6,
            Seed = 9,
            Optimizer = new SgdOptimizer<double>(RegressionNet.ParameterCount, 0.02),
        });
        Trainer.Fit(viaTrainBatch, data, new TrainingOptions<double> { Epochs = 3, BatchSize = 6, Seed = 9, LearningRate = 0.02 });

        for (int i = 0; i < RegressionNet.ParameterCount; i++)
        {
            Assert.Equal(viaTrainBatch.Parameters[i], viaOptimizer.Parameters[i], 1e-12);
        }
    }

    // ---- Determinism.

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Fit_SameSeed_GivesBitIdenticalParameters_AnotherSeedDoesNot(bool withOptimizer)
    {
        Dataset<float> data = Blobs(64, seed: 10);
        float[] Run(int seed)
        {
            var network = new BlobNet();
            Trainer.Fit(network, data, new TrainingOptions<float>
            {
                Epochs = 4,
                BatchSize = 5,
                Seed = seed,
                LearningRate = 0.1,
                Optimizer = withOptimizer ? new AdamWOptimizer<float>(BlobNet.ParameterCount, 0.01) : null,
            });
            return network.Parameters.ToArray();
        }

        float[] first = Run(42), second = Run(42), other = Run(43);
        AssertBitIdentical(first, second);
        Assert.NotEqual(first, other);
    }

    // ---- Progress and history.

    [Fact]
    public void Progress_IsReportedAfterEveryBatch_AndTheEpochsLastReportCarriesValidation()
    {
        var reports = new List<TrainingProgress>();
        Dataset<float> training = Blobs(10, seed: 11);
        TrainingHistory history = Trainer.Fit(new BlobNet(), training, new TrainingOptions<float>
        {
            Epochs = 2,
            BatchSize = 4,
            Validation = Blobs(6, seed: 12),
            Progress = new Recorder(reports.Add),
        });

        // 10 samples in batches of 4: 3 batches per epoch.
        Assert.Equal(6, reports.Count);
        for (int i = 0; i < reports.Count; i++)
        {
            TrainingProgress p = reports[i];
            Assert.Equal((i / 3) + 1, p.Epoch);
            Assert.Equal((i % 3) + 1, p.Batch);
            Assert.Equal(2, p.EpochCount);
            Assert.Equal(3, p.BatchCount);
            Assert.Equal(p.Batch == 3, p.IsEpochEnd);
            Assert.True(double.IsFinite(p.Loss) && p.Loss > 0);
            Assert.True(i == 0 || p.Elapsed >= reports[i - 1].Elapsed);
        }

        Assert.True(double.IsNaN(reports[0].ValidationAccuracy) && double.IsNaN(reports[1].ValidationLoss));
        Assert.Equal(history[0].ValidationAccuracy, reports[2].ValidationAccuracy);
        Assert.Equal(history[0].ValidationLoss, reports[2].ValidationLoss);
        Assert.Equal(history[0].ValidationLoss, reports[3].ValidationLoss); // carried into the next epoch
        Assert.Equal(history[1].ValidationLoss, reports[5].ValidationLoss);
        Assert.Equal(history[0].TrainingLoss, reports[2].Loss);
        Assert.Equal(history[1].Elapsed, reports[5].Elapsed);
    }

    [Fact]
    public void History_HasOneEntryPerEpoch_WithNaNValidationWithoutAValidationSet()
    {
        TrainingHistory history = Trainer.Fit(new RegressionNet(), Regression(12, seed: 13), new TrainingOptions<double> { Epochs = 3, BatchSize = 5 });

        Assert.Equal(3, history.Count);
        for (int e = 0; e < 3; e++)
        {
            Assert.Equal(e + 1, history[e].Epoch);
            Assert.True(double.IsNaN(history[e].ValidationLoss));
            Assert.True(double.IsNaN(history[e].ValidationAccuracy));
            Assert.True(double.IsFinite(history[e].TrainingLoss));
            Assert.True(history[e].Duration <= history[e].Elapsed);
        }

        Assert.Equal(history[2].Elapsed, history.Elapsed);
        Assert.Equal([1, 2, 3], System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(history, h => h.Epoch)));
    }

    [Fact]
    public void TrainingLoss_IsTheSampleWeightedMeanOfTheBatchLosses()
    {
        // With a learning rate of 0 nothing moves, so the epoch's training loss is the plain mean loss of the data.
        Dataset<double> data = Regression(7, seed: 14);
        var network = new RegressionNet();
        TrainingHistory history = Trainer.Fit(network, data, new TrainingOptions<double> { Epochs = 1, BatchSize = 3, LearningRate = 0 });

        double sum = 0;
        for (int i = 0; i < data.Count; i++)
        {
            sum += network.Loss(data.GetInput(i), data.GetTarget(i));
        }

        Assert.Equal(sum / data.Count, history[0].TrainingLoss, 1e-12);
    }

    [Fact]
    public void LearningRateSchedule_SetsEachEpochsRate()
    {
        Dataset<double> data = Regression(8, seed: 15);
        var scheduled = new RegressionNet();
        var optimizer = new AdamOptimizer<double>(RegressionNet.ParameterCount, learningRate: 0.5);
        var seen = new List<double>();
        Trainer.Fit(scheduled, data, new TrainingOptions<double>
        {
            Epochs = 3,
            BatchSize = 8,
            Optimizer = optimizer,
            LearningRateSchedule = epoch => epoch == 1 ? 0.01 : 0,
            Progress = new Recorder(_ => seen.Add(optimizer.LearningRate)),
        });
        Assert.Equal([0.01, 0.0, 0.0], seen);

        // The same first epoch without the schedule, and nothing after it: epochs 2 and 3 had a rate of 0.
        var once = new RegressionNet();
        Trainer.Fit(once, data, new TrainingOptions<double>
        {
            Epochs = 1,
            BatchSize = 8,
            Optimizer = new AdamOptimizer<double>(RegressionNet.ParameterCount, learningRate: 0.01),
        });
        AssertBitIdentical(once.Parameters, scheduled.Parameters);
    }

    // ---- Cancellation.

    [Fact]
    public void Cancellation_BeforeTheFirstBatch_ThrowsAndChangesNothing()
    {
        var network = new RegressionNet();
        double[] before = network.Parameters.ToArray();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            Trainer.Fit(network, Regression(8, seed: 16), new TrainingOptions<double>(), cts.Token));
        AssertBitIdentical(before, network.Parameters);
    }

    [Fact]
    public void Cancellation_MidEpoch_StopsBetweenBatches()
    {
        // Cancel while reporting batch 2 of 4 (batches of 3, no shuffling): exactly the first two batches ran.
        Dataset<double> data = Regression(12, seed: 17);
        var network = new RegressionNet();
        using var cts = new CancellationTokenSource();
        int reports = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Fit(network, data, new TrainingOptions<double>
        {
            Epochs = 5,
            BatchSize = 3,
            Shuffle = false,
            LearningRate = 0.05,
            Progress = new Recorder(p =>
            {
                reports++;
                if (p.Batch == 2)
                {
                    cts.Cancel();
                }
            }),
        }, cts.Token));

        Assert.Equal(2, reports);
        var firstSixSamples = new RegressionNet();
        Trainer.Fit(firstSixSamples, new Dataset<double>(data.Inputs[..18], data.Targets[..12], 3, 2), new TrainingOptions<double>
        {
            Epochs = 1,
            BatchSize = 3,
            Shuffle = false,
            LearningRate = 0.05,
        });
        AssertBitIdentical(firstSixSamples.Parameters, network.Parameters);
    }

    [Fact]
    public void Cancellation_AtTheEndOfAnEpoch_LeavesTheParametersOfThatEpoch()
    {
        Dataset<float> data = Blobs(20, seed: 18);
        var network = new BlobNet();
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Fit(network, data, new TrainingOptions<float>
        {
            Epochs = 4,
            BatchSize = 6,
            Seed = 5,
            Progress = new Recorder(p =>
            {
                if (p.IsEpochEnd)
                {
                    cts.Cancel();
                }
            }),
        }, cts.Token));

        var oneEpoch = new BlobNet();
        Trainer.Fit(oneEpoch, data, new TrainingOptions<float> { Epochs = 1, BatchSize = 6, Seed = 5 });
        AssertBitIdentical(oneEpoch.Parameters, network.Parameters);
    }

    // ---- Divergence.

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void NaNInTheData_ThrowsNamingEpochAndBatch_AndKeepsTheLastFiniteParameters(bool withOptimizer)
    {
        // Sample 4 of 8 has a NaN target; batches of 2 without shuffling put it in batch 3 of epoch 1.
        Dataset<double> clean = Regression(8, seed: 19);
        double[] inputs = clean.Inputs.ToArray();
        double[] targets = clean.Targets.ToArray();
        targets[4 * 2] = double.NaN;
        var data = new Dataset<double>(inputs, targets, 3, 2);
        TrainingOptions<double> Options(int epochs) => new()
        {
            Epochs = epochs,
            BatchSize = 2,
            Shuffle = false,
            LearningRate = 0.05,
            Optimizer = withOptimizer ? new AdamOptimizer<double>(RegressionNet.ParameterCount, 0.01) : null,
        };

        var network = new RegressionNet();
        TrainingDivergedException e = Assert.Throws<TrainingDivergedException>(() => Trainer.Fit(network, data, Options(2)));
        Assert.Equal(1, e.Epoch);
        Assert.Equal(3, e.Batch);
        Assert.True(double.IsNaN(e.Loss));
        Assert.Contains("epoch 1, batch 3", e.Message);

        var firstTwoBatches = new RegressionNet();
        Trainer.Fit(firstTwoBatches, new Dataset<double>(inputs.AsMemory(0, 12), targets.AsMemory(0, 8), 3, 2), Options(1));
        AssertBitIdentical(firstTwoBatches.Parameters, network.Parameters);
    }

    [Fact]
    public void NaNInAnInputBehindReLU_MakesTheBatchLossNaN_AndTrainingStops()
    {
        // ReLU keeps a NaN pre-activation NaN (as torch.relu does), so the batch loss is NaN: the optimizer path must
        // refuse to step, and the TrainBatch path must undo its step, both saying that the loss is NaN.
        Dataset<double> clean = Regression(4, seed: 24);
        double[] inputs = clean.Inputs.ToArray();
        inputs[2 * 3] = double.NaN;
        var data = new Dataset<double>(inputs, clean.Targets, 3, 2);
        foreach (IOptimizer<double>? optimizer in new IOptimizer<double>?[] { null, new SgdOptimizer<double>(RegressionNet.ParameterCount, 0.1) })
        {
            var network = new RegressionNet();
            TrainingDivergedException e = Assert.Throws<TrainingDivergedException>(() =>
                Trainer.Fit(network, data, new TrainingOptions<double> { BatchSize = 2, Shuffle = false, Optimizer = optimizer }));
            Assert.Equal((1, 2), (e.Epoch, e.Batch));
            Assert.True(double.IsNaN(e.Loss), $"loss {e.Loss}");
            Assert.Contains("the batch loss is NaN", e.Message);
            foreach (double p in network.Parameters)
            {
                Assert.True(double.IsFinite(p));
            }
        }
    }

    [Fact]
    public void ExplodingLearningRate_ThrowsAndLeavesFiniteParameters()
    {
        var network = new RegressionNet();
        Dataset<double> data = Regression(16, seed: 20, scale: 1000);
        TrainingDivergedException e = Assert.Throws<TrainingDivergedException>(() =>
            Trainer.Fit(network, data, new TrainingOptions<double> { Epochs = 50, BatchSize = 4, LearningRate = 1e3 }));

        Assert.True(e.Epoch >= 1 && e.Batch is >= 1 and <= 4);
        foreach (double p in network.Parameters)
        {
            Assert.True(double.IsFinite(p));
        }
    }

    [Fact]
    public void Fit_WithIntMaxValueEpochs_StartsTraining_AndStopsWhenCancelled()
    {
        // Nothing may be sized by Epochs up front (48 bytes an epoch would be 103 GB here): cancel at the end of
        // epoch 3 of int.MaxValue, and the parameters are those of three whole epochs.
        Dataset<double> data = Regression(12, seed: 23);
        var network = new RegressionNet();
        using var cts = new CancellationTokenSource();
        var reports = new List<TrainingProgress>();
        Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Fit(network, data, new TrainingOptions<double>
        {
            Epochs = int.MaxValue,
            BatchSize = 3,
            LearningRate = 0.05,
            Progress = new Recorder(p =>
            {
                reports.Add(p);
                if (p.Epoch == 3 && p.IsEpochEnd)
                {
                    cts.Cancel();
                }
            }),
        }, cts.Token));

        Assert.Equal(12, reports.Count);
        Assert.All(reports, p => Assert.Equal(int.MaxValue, p.EpochCount));
        var threeEpochs = new RegressionNet();
        TrainingHistory history = Trainer.Fit(threeEpochs, data, new TrainingOptions<double> { Epochs = 3, BatchSize = 3, LearningRate = 0.05 });
        Assert.Equal(3, history.Count);
        AssertBitIdentical(threeEpochs.Parameters, network.Parameters);
    }

    // ---- Allocation.

    [Fact]
    public void Fit_PastTheFirst1024Epochs_GrowsTheHistoryByDoubling()
    {
        // The history's rule: room for min(Epochs, 1024) entries at the start, then twice as many (at most Epochs)
        // whenever it is full. 4,096 epochs add arrays of 2,048 and 4,096 entries to the 1,024 epochs' one array:
        // 6,144 entries of 48 bytes, plus two array headers, and nothing else per epoch or batch.
        Dataset<double> data = Regression(2, seed: 24);
        var network = new RegressionNet();
        TrainingOptions<double> full = new() { Epochs = 1024, BatchSize = 1, LearningRate = 1e-6 };
        TrainingOptions<double> grown = new() { Epochs = 4096, BatchSize = 1, LearningRate = 1e-6 };
        Trainer.Fit(network, data, full);
        Trainer.Fit(network, data, grown);

        long before = GC.GetAllocatedBytesForCurrentThread();
        TrainingHistory fullHistory = Trainer.Fit(network, data, full);
        long middle = GC.GetAllocatedBytesForCurrentThread();
        TrainingHistory grownHistory = Trainer.Fit(network, data, grown);
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(1024, fullHistory.Count);
        Assert.Equal(4096, grownHistory.Count);
        Assert.Equal(4096, grownHistory[^1].Epoch);
        long extra = (after - middle) - (middle - before);
        long entries = (2048 + 4096) * (long)Unsafe.SizeOf<TrainingEpoch>();
        Assert.InRange(extra, entries, entries + 64);
    }

    [Fact]
    public void Fit_AllocatesNothingPerBatchOrEpoch()
    {
        // 40 samples in batches of 4 (10 batches per epoch), with an optimizer, validation and progress. Ten extra
        // epochs (100 extra batches, 10 extra validations) may cost only the ten extra entries of the history (up to
        // 1,024 epochs the history is one array of Epochs entries; past that it grows, as the next test holds).
        Dataset<double> data = Regression(40, seed: 21);
        Dataset<double> validation = Regression(10, seed: 22);
        var network = new RegressionNet();
        var optimizer = new AdamOptimizer<double>(RegressionNet.ParameterCount, 1e-3);
        var progress = new Counter();
        TrainingOptions<double> few = new() { Epochs = 2, BatchSize = 4, Optimizer = optimizer, Validation = validation, Progress = progress };
        TrainingOptions<double> many = new() { Epochs = 12, BatchSize = 4, Optimizer = optimizer, Validation = validation, Progress = progress };
        TrainingOptions<double> plain = new() { Epochs = 2, BatchSize = 4, Validation = validation, Progress = progress };
        TrainingOptions<double> plainMany = new() { Epochs = 12, BatchSize = 4, Validation = validation, Progress = progress };
        Trainer.Fit(network, data, few);
        Trainer.Fit(network, data, plain);

        long bytesFew = Measure(() => Trainer.Fit(network, data, few));
        long bytesMany = Measure(() => Trainer.Fit(network, data, many));
        long bytesPlain = Measure(() => Trainer.Fit(network, data, plain));
        long bytesPlainMany = Measure(() => Trainer.Fit(network, data, plainMany));

        Assert.True(progress.Count > 0);
        Assert.Equal(10 * Unsafe.SizeOf<TrainingEpoch>(), bytesMany - bytesFew);
        Assert.Equal(10 * Unsafe.SizeOf<TrainingEpoch>(), bytesPlainMany - bytesPlain);

        static long Measure(Action action)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }

    // ---- Evaluation.

    [Fact]
    public void Evaluate_MeanLossAndArgmaxAccuracy_ByHand()
    {
        // Weights [[1, 0], [0, 1]]: the output is the input. Mean squared error over 2 outputs.
        var network = new PairNet();
        network.Parameters.Clear();
        network.Parameters[0] = 1;
        network.Parameters[3] = 1;
        var data = new Dataset<double>(
            new double[] { 0.9, 0.1, /**/ 0.2, 0.7, /**/ 0.6, 0.3, /**/ 1.0, 1.0 },
            new double[] { 1, 0, /**/ 1, 0, /**/ 0, 1, /**/ 0, 1 },
            2,
            2);

        EvaluationResult result = Trainer.Evaluate(network, data);

        // Losses: ((0.1)^2 + 0.1^2)/2 = 0.01; (0.8^2 + 0.7^2)/2 = 0.565; (0.6^2 + 0.7^2)/2 = 0.425; (1 + 0)/2 = 0.5.
        Assert.Equal((0.01 + 0.565 + 0.425 + 0.5) / 4, result.Loss, 1e-15);

        // Correct: sample 1 only (sample 4 ties at index 0, target is 1).
        Assert.Equal(0.25, result.Accuracy);
        Assert.Equal(4, result.Count);
    }

    [Fact]
    public void IsCorrect_OneOutputComparesSidesOfOneHalf_SeveralCompareArgmax()
    {
        Assert.True(Trainer.IsCorrect<double>([0.7], [1.0]));
        Assert.True(Trainer.IsCorrect<double>([0.2], [0.0]));
        Assert.False(Trainer.IsCorrect<double>([0.4], [1.0]));
        Assert.True(Trainer.IsCorrect<double>([0.5], [1.0]));
        Assert.True(Trainer.IsCorrect<float>([0.1f, 0.7f, 0.2f], [0f, 1f, 0f]));
        Assert.False(Trainer.IsCorrect<float>([0.5f, 0.4f, 0.1f], [0f, 1f, 0f]));
    }

    // ---- Arguments.

    [Fact]
    public void BadArguments_Throw()
    {
        var network = new RegressionNet();
        Dataset<double> data = Regression(4, seed: 23);
        Assert.Throws<ArgumentNullException>(() => Trainer.Fit(network, null!, new TrainingOptions<double>()));
        Assert.Throws<ArgumentNullException>(() => Trainer.Fit(network, data, null!));
        Assert.Equal("training", Assert.Throws<ArgumentException>(() =>
            Trainer.Fit(network, new Dataset<double>(new double[4], new double[2], 2, 1), new TrainingOptions<double>())).ParamName);
        Assert.Equal("training", Assert.Throws<ArgumentException>(() =>
            Trainer.Fit(network, new Dataset<double>(Array.Empty<double>(), Array.Empty<double>(), 3, 2), new TrainingOptions<double>())).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(network, data, new TrainingOptions<double> { Epochs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(network, data, new TrainingOptions<double> { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(network, data, new TrainingOptions<double> { LearningRate = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(network, data, new TrainingOptions<double> { LearningRateSchedule = _ => double.NaN }));
        ArgumentException optimizer = Assert.Throws<ArgumentException>(() =>
            Trainer.Fit(network, data, new TrainingOptions<double> { Optimizer = new SgdOptimizer<double>(5, 0.1) }));
        Assert.Contains("5", optimizer.Message);
        Assert.Throws<ArgumentException>(() =>
            Trainer.Fit(network, data, new TrainingOptions<double> { Validation = new Dataset<double>(new double[2], new double[2], 2, 2) }));
    }

    // ---- Helpers.

    /// <summary>Two noisy blobs, class 0 around (-1, -1) and class 1 around (1, 1), with one-hot targets.</summary>
    internal static Dataset<float> Blobs(int count, int seed)
    {
        var random = new Random(seed);
        var inputs = new float[count * 2];
        var targets = new float[count * 2];
        for (int i = 0; i < count; i++)
        {
            int label = i % 2;
            float centre = label == 0 ? -1f : 1f;
            inputs[2 * i] = centre + (float)((random.NextDouble() - 0.5) * 1.6);
            inputs[(2 * i) + 1] = centre + (float)((random.NextDouble() - 0.5) * 1.6);
            targets[(2 * i) + label] = 1f;
        }

        return new Dataset<float>(inputs, targets, 2, 2);
    }

    /// <summary>Random inputs in [-1, 1) x scale and targets from a fixed linear map, for RegressionNet.</summary>
    internal static Dataset<double> Regression(int count, int seed, double scale = 1)
    {
        var random = new Random(seed);
        var inputs = new double[count * 3];
        var targets = new double[count * 2];
        for (int i = 0; i < count; i++)
        {
            double a = ((random.NextDouble() * 2) - 1) * scale, b = ((random.NextDouble() * 2) - 1) * scale, c = ((random.NextDouble() * 2) - 1) * scale;
            inputs[3 * i] = a;
            inputs[(3 * i) + 1] = b;
            inputs[(3 * i) + 2] = c;
            targets[2 * i] = a - (2 * b) + 0.5;
            targets[(2 * i) + 1] = (0.5 * c) + b;
        }

        return new Dataset<double>(inputs, targets, 3, 2);
    }

    private static void AssertBitIdentical<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual)
        where T : unmanaged
    {
        Assert.Equal(expected.Length, actual.Length);
        ReadOnlySpan<byte> e = System.Runtime.InteropServices.MemoryMarshal.AsBytes(expected);
        ReadOnlySpan<byte> a = System.Runtime.InteropServices.MemoryMarshal.AsBytes(actual);
        Assert.True(e.SequenceEqual(a), "The parameters differ.");
    }

    private static void AssertBitIdentical<T>(T[] expected, Span<T> actual)
        where T : unmanaged => AssertBitIdentical<T>(expected.AsSpan(), actual);

    private static void AssertBitIdentical<T>(Span<T> expected, Span<T> actual)
        where T : unmanaged => AssertBitIdentical<T>((ReadOnlySpan<T>)expected, actual);

    private static void AssertBitIdentical<T>(T[] expected, T[] actual)
        where T : unmanaged => AssertBitIdentical<T>(expected.AsSpan(), actual.AsSpan());

    private sealed class Recorder(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }

    private sealed class Counter : IProgress<TrainingProgress>
    {
        public int Count { get; private set; }

        public void Report(TrainingProgress value) => Count++;
    }
}
