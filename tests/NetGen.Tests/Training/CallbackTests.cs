using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using NetGen;
using NetGen.Tests.Support;
using static NetGen.Tests.Training.ControlTestSupport;

namespace NetGen.Tests.Training;

/// <summary>OnBatch and OnEpoch: order, thread, stopping; Progress&lt;T&gt; posting; and the controls' allocation and determinism.</summary>
public class CallbackTests
{
    [Fact]
    public void OnBatchAndOnEpoch_RunInOrder_OnTheTrainingThread_BesideProgress()
    {
        // 10 samples in batches of 4: 3 batches an epoch, 2 epochs.
        var log = new List<string>();
        var threads = new HashSet<int>();
        int caller = Environment.CurrentManagedThreadId;
        var epochLosses = new List<double>();
        TrainingHistory history = Trainer.Fit(new BlobNet(), TrainerTests.Blobs(10, seed: 61), new TrainingOptions<float>
        {
            Epochs = 2,
            BatchSize = 4,
            Validation = TrainerTests.Blobs(6, seed: 62),
            Progress = new Recorder(p => log.Add($"progress {p.Epoch}.{p.Batch}")),
            OnBatch = (p, _) =>
            {
                threads.Add(Environment.CurrentManagedThreadId);
                log.Add($"batch {p.Epoch}.{p.Batch}");
            },
            OnEpoch = (p, _) =>
            {
                threads.Add(Environment.CurrentManagedThreadId);
                log.Add($"epoch {p.Epoch} {p.IsEpochEnd}");
                epochLosses.Add(p.ValidationLoss);
            },
        });

        Assert.Equal(
            [
                "progress 1.1", "batch 1.1", "progress 1.2", "batch 1.2", "progress 1.3", "batch 1.3", "epoch 1 True",
                "progress 2.1", "batch 2.1", "progress 2.2", "batch 2.2", "progress 2.3", "batch 2.3", "epoch 2 True",
            ],
            log);
        Assert.Equal([caller], threads);
        Assert.Equal(history.Select(e => e.ValidationLoss), epochLosses);
    }

    [Fact]
    public void StopInOnEpoch_EndsAfterThatEpoch_WhichTheHistoryHolds()
    {
        Dataset<float> data = TrainerTests.Blobs(20, seed: 63);
        var network = new BlobNet();
        TrainingHistory history = Trainer.Fit(network, data, new TrainingOptions<float>
        {
            Epochs = 10,
            BatchSize = 6,
            Seed = 5,
            OnEpoch = (p, control) =>
            {
                if (p.Epoch == 3)
                {
                    control.Stop();
                    Assert.True(control.IsStopRequested);
                }
            },
        });

        Assert.Equal(3, history.Count);
        Assert.Equal(TrainingStopReason.Requested, history.StopReason);
        Assert.True(history.StoppedEarly);
        Assert.Equal(3, history[^1].Epoch);
        var threeEpochs = new BlobNet();
        Trainer.Fit(threeEpochs, data, new TrainingOptions<float> { Epochs = 3, BatchSize = 6, Seed = 5 });
        Bits.Equal<float>(threeEpochs.Parameters, network.Parameters, "parameters");
    }

    [Fact]
    public void StopInOnBatch_MidEpoch_EndsAfterThatBatch_WithoutThePartialEpochInTheHistory()
    {
        // No shuffling, 12 samples in batches of 3: stopping at batch 2 of epoch 2 leaves one whole epoch and then
        // the first six samples once more.
        Dataset<double> data = TrainerTests.Regression(12, seed: 64);
        var network = new RegressionNet();
        int calls = 0;
        TrainingHistory history = Trainer.Fit(network, data, new TrainingOptions<double>
        {
            Epochs = 5,
            BatchSize = 3,
            Shuffle = false,
            LearningRate = 0.05,
            OnBatch = (p, control) =>
            {
                calls++;
                if (p.Epoch == 2 && p.Batch == 2)
                {
                    control.Stop();
                }
            },
        });

        Assert.Equal(6, calls);
        Assert.Equal(TrainingStopReason.Requested, history.StopReason);
        Assert.Throws<IndexOutOfRangeException>(() => history[1]);
        Assert.Single(history);

        var byHand = new RegressionNet();
        TrainingOptions<double> once = new() { Epochs = 1, BatchSize = 3, Shuffle = false, LearningRate = 0.05 };
        Trainer.Fit(byHand, data, once);
        Trainer.Fit(byHand, new Dataset<double>(data.Inputs[..18], data.Targets[..12], 3, 2), once);
        Bits.Equal<double>(byHand.Parameters, network.Parameters, "parameters");
    }

    [Fact]
    public void StopWithEarlyStopping_StillRestoresTheBestEpoch()
    {
        (Dataset<double> training, Dataset<double> validation) = OverfittingLine();
        double[] losses = Trainer.Fit(ZeroLine(), training, LineOptions(60, validation)).Select(e => e.ValidationLoss).ToArray();
        int best = Array.IndexOf(losses, losses.Min()) + 1;

        // Stop two epochs after the best, before patience (10) runs out.
        LineNet network = ZeroLine();
        TrainingHistory history = Trainer.Fit(network, training, LineOptions(60, validation, new EarlyStopping { Patience = 10 }, onEpoch: (p, c) =>
        {
            if (p.Epoch == best + 2)
            {
                c.Stop();
            }
        }));

        Assert.Equal(best + 2, history.Count);
        Assert.Equal(TrainingStopReason.Requested, history.StopReason);
        Assert.Equal(best, history.BestEpoch);
        Assert.True(history.RestoredBestEpoch);
        LineNet exactly = ZeroLine();
        Trainer.Fit(exactly, training, LineOptions(best, validation));
        Bits.Equal<double>(exactly.Parameters, network.Parameters, "restored parameters");
    }

    [Fact]
    public void ProgressOfT_PostsToTheSynchronizationContext_InsteadOfReportingSynchronously()
    {
        // What docs/training.md says of System.Progress<T>: it captures the SynchronizationContext current when it is
        // made and posts every report to it (with none, to the thread pool), so that nothing has run by the time
        // Fit returns here; OnBatch ran synchronously every time.
        var context = new RecordingContext();
        SynchronizationContext? previous = SynchronizationContext.Current;
        int handled = 0, onBatch = 0;
        try
        {
            SynchronizationContext.SetSynchronizationContext(context);
            var progress = new Progress<TrainingProgress>(_ => handled++);
            Trainer.Fit(new BlobNet(), TrainerTests.Blobs(10, seed: 65), new TrainingOptions<float>
            {
                Epochs = 2,
                BatchSize = 4,
                Progress = progress,
                OnBatch = (_, _) => onBatch++,
            });
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        Assert.Equal(6, onBatch);
        Assert.Equal(0, handled);
        Assert.Equal(6, context.Posted.Count);
        foreach ((SendOrPostCallback callback, object? state) in context.Posted)
        {
            callback(state);
        }

        Assert.Equal(6, handled);
    }

    [Fact]
    public void EveryControl_AllocatesNothingPerBatchOrEpoch_AndTheSameSeedGivesTheSameBits()
    {
        // 40 samples in batches of 4 with an optimizer, validation, progress, early stopping (never running out of
        // patience), reduce-on-plateau, class weights and both callbacks: ten extra epochs may cost only the ten extra
        // history entries.
        Dataset<float> data = TrainerTests.Blobs(40, seed: 66);
        Dataset<float> validation = TrainerTests.Blobs(10, seed: 67);
        var optimizer = new AdamOptimizer<float>(BlobNet.ParameterCount, 1e-3);
        int calls = 0;
        Action<TrainingProgress, TrainingControl> onBatch = (_, _) => calls++;
        Action<TrainingProgress, TrainingControl> onEpoch = (_, _) => calls++;
        TrainingOptions<float> Options(int epochs) => new()
        {
            Epochs = epochs,
            BatchSize = 4,
            Seed = 8,
            Optimizer = optimizer,
            Validation = validation,
            Progress = new Recorder(_ => { }),
            EarlyStopping = new EarlyStopping { Patience = 1000 },
            ReduceLearningRateOnPlateau = new ReduceLearningRateOnPlateau { Patience = 1 },
            ClassWeights = [1.0, 3.0],
            OnBatch = onBatch,
            OnEpoch = onEpoch,
        };

        TrainingOptions<float> few = Options(2), many = Options(12);
        var network = new BlobNet();
        Trainer.Fit(network, data, few);
        Trainer.Fit(network, data, many);

        long bytesFew = Measure(() => Trainer.Fit(network, data, few));
        long bytesMany = Measure(() => Trainer.Fit(network, data, many));
        Assert.True(calls > 0);
        Assert.Equal(10 * Unsafe.SizeOf<TrainingEpoch>(), bytesMany - bytesFew);

        float[] Run()
        {
            var fresh = new BlobNet();
            Trainer.Fit(fresh, data, new TrainingOptions<float>
            {
                Epochs = 8,
                BatchSize = 4,
                Seed = 8,
                Optimizer = new AdamOptimizer<float>(BlobNet.ParameterCount, 1e-2),
                Validation = validation,
                EarlyStopping = new EarlyStopping { Patience = 2 },
                ReduceLearningRateOnPlateau = new ReduceLearningRateOnPlateau { Patience = 0 },
                ClassWeights = [1.0, 3.0],
            });
            return fresh.Parameters.ToArray();
        }

        Bits.Equal<float>(Run(), Run(), "two runs");

        // The least of three measurements: the runtime may allocate on the thread now and then while it swaps in
        // optimised code.
        static long Measure(Action action)
        {
            long least = long.MaxValue;
            for (int i = 0; i < 3; i++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                action();
                least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            return least;
        }
    }

    private sealed class RecordingContext : SynchronizationContext
    {
        public List<(SendOrPostCallback Callback, object? State)> Posted { get; } = [];

        public override void Post(SendOrPostCallback d, object? state) => Posted.Add((d, state));
    }
}
