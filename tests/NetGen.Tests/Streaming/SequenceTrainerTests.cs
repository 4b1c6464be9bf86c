using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Threading;
using NetGen.Tests.Support;
using Xunit;

namespace NetGen.Tests.Streaming;

/// <summary>A double GRU with a linear output, for learning a filter and for steps that overflow.</summary>
[Network<double>(1)]
[Gru(8)]
[Dense(1)]
public partial class SequenceFilterNet;

/// <summary>
/// SequenceTrainer.Fit and Evaluate on generated streaming models. The expected parameters come from reference loops
/// written here: the shuffle order from DeterministicRandom and Fisher–Yates written out again, each window's gradient
/// from the network's own BackwardSequence (or its TrainSequence), and SGD and Adam steps written out from their
/// formulas, never from SequenceTrainer itself.
/// </summary>
public sealed class SequenceTrainerTests
{
    // ---- Exactly what an epoch does.

    [Fact]
    public void Batches_of_one_window_with_plain_SGD_are_TrainSequence_per_window_in_the_seeded_Fisher_Yates_order()
    {
        SequenceDataset<float> data = RandomWindows<float>(9, steps: 6, inputCount: 2, outputCount: 3, seed: 1);
        var trained = new StreamGru();
        SequenceTrainer.Fit(trained, data, new SequenceTrainingOptions<float> { Epochs = 2, BatchSize = 1, Seed = 77, LearningRate = 0.05 });

        var byHand = new StreamGru();
        foreach (int[] order in Orders(9, seed: 77, epochs: 2))
        {
            foreach (int window in order)
            {
                byHand.TrainSequence(data.Inputs(window), data.Targets(window), 0.05f);
            }
        }

        Bits.Equal<float>(byHand.Parameters, trained.Parameters, "parameters");
    }

    [Fact]
    public void A_batch_is_the_mean_of_the_windows_BackwardSequence_gradients_then_an_optimizer_step()
    {
        // 10 windows in batches of 4: batches of 4, 4 and 2 windows of each epoch's shuffled order; Adam written out.
        SequenceDataset<float> data = RandomWindows<float>(10, steps: 7, inputCount: 2, outputCount: 1, seed: 2);
        var trained = new StreamConv();
        SequenceTrainer.Fit(trained, data, new SequenceTrainingOptions<float>
        {
            Epochs = 3,
            BatchSize = 4,
            Seed = 5,
            Optimizer = new AdamOptimizer<float>(StreamConv.ParameterCount, learningRate: 0.01),
        });

        var byHand = new StreamConv();
        var adam = new ReferenceAdam<float>(StreamConv.ParameterCount, 0.01);
        foreach (int[] order in Orders(10, seed: 5, epochs: 3))
        {
            foreach (int[] batch in order.Chunk(4))
            {
                MeanGradient(byHand, data, batch);
                adam.Step(byHand.Parameters, byHand.Gradients);
            }
        }

        Bits.Equal<float>(byHand.Parameters, trained.Parameters, "parameters");
    }

    [Fact]
    public void Plain_SGD_batches_step_p_minus_the_scheduled_rate_times_the_mean_gradient_in_order_without_shuffling()
    {
        // 7 windows in batches of 3 (3, 3, 1) in their own order; the rate of epoch e is 0.1 / e.
        SequenceDataset<double> data = RandomWindows<double>(7, steps: 5, inputCount: 1, outputCount: 1, seed: 3);
        var trained = new SequenceFilterNet();
        SequenceTrainer.Fit(trained, data, new SequenceTrainingOptions<double>
        {
            Epochs = 2,
            BatchSize = 3,
            Shuffle = false,
            LearningRate = 123, // replaced by the schedule
            LearningRateSchedule = epoch => 0.1 / epoch,
        });

        var byHand = new SequenceFilterNet();
        for (int epoch = 1; epoch <= 2; epoch++)
        {
            foreach (int[] batch in Enumerable.Range(0, 7).Chunk(3))
            {
                MeanGradient(byHand, data, batch);
                SgdStep<double>(byHand.Parameters, byHand.Gradients, 0.1 / epoch);
            }
        }

        Bits.Equal<double>(byHand.Parameters, trained.Parameters, "parameters");
    }

    [Fact]
    public void LearningRateSchedule_sets_the_optimizer_s_rate_at_the_start_of_each_epoch()
    {
        SequenceDataset<double> data = RandomWindows<double>(6, steps: 4, inputCount: 1, outputCount: 1, seed: 4);
        var network = new SequenceFilterNet();
        var optimizer = new AdamOptimizer<double>(SequenceFilterNet.ParameterCount, learningRate: 0.5);
        var rates = new List<double>();
        var reported = new List<double>();
        TrainingHistory history = SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<double>
        {
            Epochs = 3,
            BatchSize = 6,
            Seed = 8,
            Optimizer = optimizer,
            LearningRateSchedule = epoch => epoch == 1 ? 0.02 : 0,
            Progress = new Recorder(p =>
            {
                rates.Add(optimizer.LearningRate);
                reported.Add(p.LearningRate);
            }),
        });
        Assert.Equal([0.02, 0.0, 0.0], rates);
        Assert.Equal([0.02, 0.0, 0.0], reported);
        Assert.Equal([0.02, 0.0, 0.0], history.Select(e => e.LearningRate));

        // One batch an epoch: one Adam step at 0.02, then two at a rate of 0, which move nothing.
        var byHand = new SequenceFilterNet();
        MeanGradient(byHand, data, Orders(6, seed: 8, epochs: 1)[0]);
        new ReferenceAdam<double>(SequenceFilterNet.ParameterCount, 0.02).Step(byHand.Parameters, byHand.Gradients);
        Bits.Equal<double>(byHand.Parameters, network.Parameters, "parameters");
    }

    [Fact]
    public void TrainingLoss_is_the_mean_of_the_windows_losses_each_taken_before_its_batch_s_step()
    {
        // With a rate of 0 nothing moves, so every window's loss is its loss at the starting parameters.
        SequenceDataset<float> data = RandomWindows<float>(8, steps: 9, inputCount: 2, outputCount: 3, seed: 5);
        var network = new StreamGru();
        TrainingHistory history = SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<float> { Epochs = 2, BatchSize = 3, LearningRate = 0 });

        var reference = new StreamGru();
        double sum = 0;
        for (int w = 0; w < data.Count; w++)
        {
            sum += reference.BackwardSequence(data.Inputs(w), data.Targets(w));
        }

        // The same numbers summed in another grouping (batch by batch): equal within double rounding.
        Assert.Equal(sum / data.Count, history[0].TrainingLoss, 1e-12);
        Assert.Equal(sum / data.Count, history[1].TrainingLoss, 1e-12);
    }

    // ---- Determinism.

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_same_seed_gives_bit_identical_parameters_and_another_seed_does_not(bool withOptimizer)
    {
        SequenceDataset<float> data = RandomWindows<float>(12, steps: 8, inputCount: 2, outputCount: 3, seed: 6);
        float[] Run(int seed, bool shuffle = true)
        {
            var network = new StreamGru();
            SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<float>
            {
                Epochs = 3,
                BatchSize = 5,
                Seed = seed,
                Shuffle = shuffle,
                LearningRate = 0.1,
                Optimizer = withOptimizer ? new AdamWOptimizer<float>(StreamGru.ParameterCount, 0.01) : null,
            });
            return network.Parameters.ToArray();
        }

        float[] first = Run(42), second = Run(42), other = Run(43);
        Bits.Equal<float>(first, second, "two runs with seed 42");
        Assert.NotEqual(first, other);

        // Without shuffling the seed decides nothing.
        Bits.Equal<float>(Run(1, shuffle: false), Run(2, shuffle: false), "two unshuffled runs");
    }

    // ---- Learning.

    [Fact]
    public void A_GRU_learns_a_first_order_IIR_filter_from_overlapping_windows_of_a_recording()
    {
        // y[t] = 0.5 x[t] + 0.5 y[t-1] on noise x uniform in [-1, 1): var y = (1/3)(0.25)/(1 - 0.25) = 1/9, what
        // predicting 0 scores. A window starts from a zero state, so even the filter itself misses the unknown y
        // before the window by 0.5^(k+1) y at step k: a floor of (1/9)(1/3)/64 = 0.00058 on windows of 64 steps,
        // all of it in the first few steps.
        (double[] x, double[] y) = Filtered(5120, seed: 7);
        var training = SequenceDataset<double>.FromRecording(x.AsSpan(0, 4096), y.AsSpan(0, 4096), 1, 1, windowSteps: 64, hopSteps: 32);
        var validation = SequenceDataset<double>.FromRecording(x.AsSpan(4096), y.AsSpan(4096), 1, 1, windowSteps: 64, hopSteps: 64);
        Assert.Equal((127, 16), (training.Count, validation.Count));

        var network = new SequenceFilterNet();
        double before = SequenceTrainer.Evaluate(network, validation);
        TrainingHistory history = SequenceTrainer.Fit(network, training, new SequenceTrainingOptions<double>
        {
            Epochs = 10,
            BatchSize = 8,
            Seed = 1,
            Optimizer = new AdamOptimizer<double>(SequenceFilterNet.ParameterCount, learningRate: 0.01),
            Validation = validation,
        });

        double after = history[^1].ValidationLoss;
        Assert.True(before > 0.05, $"validation loss {before} before training");
        Assert.True(after < 0.0015, $"validation loss {after} after training (from {before}); the zero-state floor is 0.00058");
        Assert.True(history[^1].ValidationRSquared > 0.98, $"validation R² {history[^1].ValidationRSquared}");
        Assert.True(history[^1].TrainingLoss < history[0].TrainingLoss / 10, $"training loss {history[0].TrainingLoss} in epoch 1, {history[^1].TrainingLoss} in epoch 10");

        // Past the first 8 steps of a window, where the unknown start weighs under 0.4 %, the model is the filter:
        // a mean squared error under 2e-4, against 1/9 for predicting 0.
        double sum = 0;
        int count = 0;
        var outputs = new double[64];
        for (int w = 0; w < validation.Count; w++)
        {
            network.ForwardSequence(validation.Inputs(w), outputs, network.CreateState());
            for (int t = 8; t < 64; t++, count++)
            {
                sum += (outputs[t] - validation.Targets(w)[t]) * (outputs[t] - validation.Targets(w)[t]);
            }
        }

        Assert.True(sum / count < 2e-4, $"mean squared error {sum / count} past step 8");
    }

    // ---- Validation and Evaluate.

    [Fact]
    public void Evaluate_is_the_mean_over_windows_of_each_window_s_BackwardSequence_loss_bit_for_bit()
    {
        SequenceDataset<float> data = RandomWindows<float>(5, steps: 11, inputCount: 2, outputCount: 3, seed: 8);
        var network = new StreamGru();
        network.InitializeParameters(3);

        var reference = new StreamGru();
        reference.InitializeParameters(3);
        double sum = 0;
        for (int w = 0; w < data.Count; w++)
        {
            float windowLoss = reference.BackwardSequence(data.Inputs(w), data.Targets(w));
            sum += windowLoss;

            // One window alone: exactly BackwardSequence's value.
            var alone = new SequenceDataset<float>(data.Inputs(w).ToArray(), data.Targets(w).ToArray(), 11, 2, 3);
            Bits.Equal(windowLoss, SequenceTrainer.Evaluate(network, alone), $"window {w}");
        }

        // The documented mean: summed in double, divided by the windows, rounded to float.
        Bits.Equal((float)(sum / data.Count), SequenceTrainer.Evaluate(network, data), "the mean over windows");
    }

    [Fact]
    public void Evaluate_reads_the_parameters_only_and_gives_the_same_value_every_time()
    {
        SequenceDataset<float> data = RandomWindows<float>(4, steps: 10, inputCount: 2, outputCount: 1, seed: 9);
        var network = new StreamConv();
        float[] parameters = network.Parameters.ToArray();
        network.Gradients.Fill(42f);

        float first = SequenceTrainer.Evaluate(network, data);
        float second = SequenceTrainer.Evaluate(network, data);

        Bits.Equal(first, second, "two evaluations");
        Bits.Equal<float>(parameters, network.Parameters, "parameters");
        Assert.All(network.Gradients.ToArray(), g => Assert.Equal(42f, g));
    }

    [Fact]
    public void Validation_in_the_history_is_Evaluate_and_R2_and_RMSE_over_every_validation_step()
    {
        SequenceDataset<float> training = RandomWindows<float>(6, steps: 8, inputCount: 2, outputCount: 1, seed: 10);
        SequenceDataset<float> validation = RandomWindows<float>(3, steps: 5, inputCount: 2, outputCount: 1, seed: 11);
        var network = new StreamConv();
        TrainingHistory history = SequenceTrainer.Fit(network, training, new SequenceTrainingOptions<float>
        {
            Epochs = 2,
            BatchSize = 4,
            LearningRate = 0.1,
            Validation = validation,
        });

        TrainingEpoch last = history[^1];
        Assert.Equal((double)SequenceTrainer.Evaluate(network, validation), last.ValidationLoss);
        Assert.True(double.IsNaN(last.ValidationAccuracy));

        // Every validation step's output from a zero state at its window's start, and R² and RMSE by their definitions.
        var outputs = new List<double>();
        var targets = new List<double>();
        for (int w = 0; w < validation.Count; w++)
        {
            var output = new float[5];
            network.ForwardSequence(validation.Inputs(w), output, network.CreateState());
            outputs.AddRange(output.Select(v => (double)v));
            targets.AddRange(validation.Targets(w).ToArray().Select(v => (double)v));
        }

        double mean = targets.Average();
        double residual = targets.Zip(outputs, (t, o) => (t - o) * (t - o)).Sum();
        double spread = targets.Sum(t => (t - mean) * (t - mean));
        Assert.Equal(1 - (residual / spread), last.ValidationRSquared, 1e-12);
        Assert.Equal(Math.Sqrt(residual / 15), last.ValidationRootMeanSquaredError, 1e-12);
    }

    [Fact]
    public void A_cross_entropy_network_trains_but_cannot_be_evaluated_from_its_outputs()
    {
        // StreamLstm computes its cross-entropy from the Softmax layer's logits, which ForwardSequence's outputs do
        // not carry, so neither Evaluate nor a validation set is offered; training alone is.
        double[] inputs = Enumerable.Range(0, 4 * 6 * 3).Select(i => Math.Sin(i)).ToArray();
        double[] targets = Enumerable.Range(0, 4 * 6).SelectMany(t => t % 3 == 0 ? new[] { 1.0, 0.0 } : [0.0, 1.0]).ToArray();
        var data = new SequenceDataset<double>(inputs, targets, steps: 6, inputCount: 3, outputCount: 2);
        var network = new StreamLstm();
        double[] parameters = network.Parameters.ToArray();

        NotSupportedException evaluate = Assert.Throws<NotSupportedException>(() => SequenceTrainer.Evaluate(network, data));
        Assert.Contains("CrossEntropy", evaluate.Message);
        Assert.Throws<NotSupportedException>(() => SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<double> { Validation = data }));
        Bits.Equal<double>(parameters, network.Parameters, "parameters after the refused Fit");

        TrainingHistory history = SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<double> { Epochs = 2, BatchSize = 2, LearningRate = 0.1 });
        Assert.True(history.All(e => double.IsFinite(e.TrainingLoss) && double.IsNaN(e.ValidationLoss)));
        Assert.NotEqual(parameters, network.Parameters.ToArray());
    }

    [Fact]
    public void Evaluate_of_no_windows_is_NaN_and_data_of_another_shape_throws()
    {
        var network = new StreamConv();
        Assert.True(float.IsNaN(SequenceTrainer.Evaluate(network, new SequenceDataset<float>([], [], 4, 2, 1))));
        ArgumentException shape = Assert.Throws<ArgumentException>(() =>
            SequenceTrainer.Evaluate(network, new SequenceDataset<float>(new float[6], new float[6], 2, 3, 3)));
        Assert.Equal("data", shape.ParamName);
        Assert.Throws<ArgumentNullException>(() => SequenceTrainer.Evaluate(network, (SequenceDataset<float>)null!));
        Assert.Throws<ArgumentNullException>(() => SequenceTrainer.Evaluate((StreamConv)null!, new SequenceDataset<float>([], [], 4, 2, 1)));
    }

    // ---- Progress and history.

    [Fact]
    public void Progress_is_reported_after_every_batch_on_the_training_thread_and_each_epoch_s_last_report_carries_validation()
    {
        SequenceDataset<float> training = RandomWindows<float>(10, steps: 4, inputCount: 2, outputCount: 1, seed: 12);
        SequenceDataset<float> validation = RandomWindows<float>(3, steps: 6, inputCount: 2, outputCount: 1, seed: 13);
        var reports = new List<(TrainingProgress Progress, int Thread)>();
        TrainingHistory history = SequenceTrainer.Fit(new StreamConv(), training, new SequenceTrainingOptions<float>
        {
            Epochs = 2,
            BatchSize = 4,
            Validation = validation,
            Progress = new Recorder(p => reports.Add((p, Environment.CurrentManagedThreadId))),
        });

        // 10 windows in batches of 4: 3 batches an epoch.
        Assert.Equal(6, reports.Count);
        for (int i = 0; i < reports.Count; i++)
        {
            TrainingProgress p = reports[i].Progress;
            Assert.Equal(Environment.CurrentManagedThreadId, reports[i].Thread);
            Assert.Equal(((i / 3) + 1, 2, (i % 3) + 1, 3), (p.Epoch, p.EpochCount, p.Batch, p.BatchCount));
            Assert.Equal(p.Batch == 3, p.IsEpochEnd);
            Assert.True(double.IsFinite(p.Loss) && p.Loss > 0);
            Assert.True(double.IsNaN(p.ValidationAccuracy));
        }

        Assert.True(double.IsNaN(reports[0].Progress.ValidationLoss) && double.IsNaN(reports[1].Progress.ValidationRSquared));
        Assert.Equal(history[0].ValidationLoss, reports[2].Progress.ValidationLoss);
        Assert.Equal(history[0].ValidationRSquared, reports[2].Progress.ValidationRSquared);
        Assert.Equal(history[0].ValidationLoss, reports[3].Progress.ValidationLoss); // carried into the next epoch
        Assert.Equal(history[1].ValidationRootMeanSquaredError, reports[5].Progress.ValidationRootMeanSquaredError);
        Assert.Equal(history[0].TrainingLoss, reports[2].Progress.Loss);
        Assert.Equal(history[1].Elapsed, reports[5].Progress.Elapsed);
    }

    [Fact]
    public void The_history_has_one_entry_per_epoch_with_NaN_validation_without_a_validation_set()
    {
        TrainingHistory history = SequenceTrainer.Fit(
            new StreamGru(), RandomWindows<float>(5, 3, 2, 3, seed: 14), new SequenceTrainingOptions<float> { Epochs = 3, BatchSize = 2 });

        Assert.Equal([1, 2, 3], history.Select(e => e.Epoch).ToArray());
        Assert.All(history, e =>
        {
            Assert.True(double.IsFinite(e.TrainingLoss));
            Assert.True(double.IsNaN(e.ValidationLoss) && double.IsNaN(e.ValidationAccuracy));
            Assert.True(double.IsNaN(e.ValidationRSquared) && double.IsNaN(e.ValidationRootMeanSquaredError));
            Assert.True(e.Duration <= e.Elapsed);
        });
        Assert.Equal(history[2].Elapsed, history.Elapsed);
    }

    // ---- Cancellation.

    [Fact]
    public void Cancellation_before_the_first_batch_throws_and_changes_nothing()
    {
        var network = new StreamGru();
        float[] parameters = network.Parameters.ToArray();
        network.Gradients.Fill(7f);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            SequenceTrainer.Fit(network, RandomWindows<float>(4, 3, 2, 3, seed: 15), new SequenceTrainingOptions<float>(), cts.Token));
        Bits.Equal<float>(parameters, network.Parameters, "parameters");
        Assert.All(network.Gradients.ToArray(), g => Assert.Equal(7f, g));
    }

    [Fact]
    public void Cancellation_mid_epoch_stops_between_batches()
    {
        // Cancel while batch 2 of 4 is reported (batches of 2 windows, shuffled): exactly two batches ran.
        SequenceDataset<double> data = RandomWindows<double>(8, steps: 6, inputCount: 1, outputCount: 1, seed: 16);
        var network = new SequenceFilterNet();
        using var cts = new CancellationTokenSource();
        int reports = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<double>
        {
            Epochs = 5,
            BatchSize = 2,
            Seed = 3,
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
        var byHand = new SequenceFilterNet();
        foreach (int[] batch in Orders(8, seed: 3, epochs: 1)[0].Chunk(2).Take(2))
        {
            MeanGradient(byHand, data, batch);
            SgdStep<double>(byHand.Parameters, byHand.Gradients, 0.05);
        }

        Bits.Equal<double>(byHand.Parameters, network.Parameters, "parameters after two batches");
    }

    [Fact]
    public void Int_MaxValue_epochs_cost_nothing_up_front_and_stop_when_cancelled()
    {
        // Nothing may be sized by Epochs up front (48 bytes an epoch would be 103 GB here): cancel at the end of
        // epoch 3, and the parameters are those of three whole epochs of batch-of-one SGD.
        SequenceDataset<float> data = RandomWindows<float>(4, steps: 5, inputCount: 2, outputCount: 3, seed: 17);
        var network = new StreamGru();
        using var cts = new CancellationTokenSource();
        var reports = new List<TrainingProgress>();
        Assert.ThrowsAny<OperationCanceledException>(() => SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<float>
        {
            Epochs = int.MaxValue,
            BatchSize = 1,
            Seed = 9,
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
        var byHand = new StreamGru();
        foreach (int window in Orders(4, seed: 9, epochs: 3).SelectMany(order => order))
        {
            byHand.TrainSequence(data.Inputs(window), data.Targets(window), 0.05f);
        }

        Bits.Equal<float>(byHand.Parameters, network.Parameters, "parameters after three epochs");
    }

    // ---- Divergence.

    [Fact]
    public void A_huge_learning_rate_throws_TrainingDivergedException_with_the_parameters_of_the_last_finite_step()
    {
        // A linear output layer and a rate of 1e10: each step multiplies the output's error by about 2e10, so within
        // a few batches the loss or a parameter overflows float. The reference loop applies the documented rule: stop
        // before a step whose loss or gradient is not finite, undo a step that leaves a parameter that is not.
        SequenceDataset<float> data = RandomWindows<float>(6, steps: 5, inputCount: 2, outputCount: 1, seed: 18);
        var network = new StreamConv();
        TrainingDivergedException e = Assert.Throws<TrainingDivergedException>(() =>
            SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<float> { Epochs = 20, BatchSize = 2, Seed = 4, LearningRate = 1e10 }));

        var byHand = new StreamConv();
        (int epoch, int batch, double loss) = (0, 0, 0);
        var before = new float[StreamConv.ParameterCount];
        int[][] orders = Orders(6, seed: 4, epochs: 20);
        for (int ep = 0; ep < 20 && epoch == 0; ep++)
        {
            int b = 0;
            foreach (int[] windows in orders[ep].Chunk(2))
            {
                b++;
                double batchLoss = MeanGradient(byHand, data, windows);
                if (!double.IsFinite(batchLoss) || byHand.Gradients.ToArray().Any(g => !float.IsFinite(g)))
                {
                    (epoch, batch, loss) = (ep + 1, b, batchLoss);
                    break;
                }

                byHand.Parameters.CopyTo(before);
                SgdStep<float>(byHand.Parameters, byHand.Gradients, 1e10);
                if (byHand.Parameters.ToArray().Any(p => !float.IsFinite(p)))
                {
                    before.CopyTo(byHand.Parameters);
                    (epoch, batch, loss) = (ep + 1, b, batchLoss);
                    break;
                }
            }
        }

        Assert.True(epoch > 0, "the reference loop never diverged");
        Assert.True(epoch > 1 || batch > 1, "diverged in the first batch: no finite step to keep");
        Assert.Equal((epoch, batch), (e.Epoch, e.Batch));
        Assert.Equal(loss, e.Loss);
        Assert.All(network.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
        Bits.Equal<float>(byHand.Parameters, network.Parameters, "parameters after the last finite step");
        Assert.NotEqual(new StreamConv().Parameters.ToArray(), network.Parameters.ToArray());
    }

    [Fact]
    public void A_step_that_overflows_a_parameter_is_undone()
    {
        // Targets of 1,000 make the output bias's slope about -2,000; at a rate of 1e308 the step puts it past
        // double.MaxValue. The loss and gradients were finite, so only undoing the step can leave finite parameters.
        var data = new SequenceDataset<double>(new double[4], Enumerable.Repeat(1000.0, 4).ToArray(), steps: 4, inputCount: 1, outputCount: 1);
        var network = new SequenceFilterNet();
        double[] parameters = network.Parameters.ToArray();

        TrainingDivergedException e = Assert.Throws<TrainingDivergedException>(() =>
            SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<double> { LearningRate = 1e308 }));

        Assert.Equal((1, 1), (e.Epoch, e.Batch));
        Assert.True(double.IsFinite(e.Loss) && e.Loss > 9e5, $"loss {e.Loss}");
        Assert.Contains("a gradient or a parameter", e.Message);
        Bits.Equal<double>(parameters, network.Parameters, "parameters");
    }

    [Fact]
    public void A_NaN_target_stops_training_at_its_batch_before_the_optimizer_steps()
    {
        // Window 2 of 6 has a NaN target; batches of 2 in order put it in batch 2.
        SequenceDataset<float> clean = RandomWindows<float>(6, steps: 4, inputCount: 2, outputCount: 1, seed: 19);
        float[] inputs = Enumerable.Range(0, 6).SelectMany(w => clean.Inputs(w).ToArray()).ToArray();
        float[] targets = Enumerable.Range(0, 6).SelectMany(w => clean.Targets(w).ToArray()).ToArray();
        targets[(2 * 4) + 1] = float.NaN;
        var data = new SequenceDataset<float>(inputs, targets, 4, 2, 1);
        var network = new StreamConv();
        var optimizer = new AdamOptimizer<float>(StreamConv.ParameterCount, 0.01);

        TrainingDivergedException e = Assert.Throws<TrainingDivergedException>(() =>
            SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<float> { BatchSize = 2, Shuffle = false, Optimizer = optimizer }));

        Assert.Equal((1, 2), (e.Epoch, e.Batch));
        Assert.True(double.IsNaN(e.Loss));
        Assert.Contains("the batch loss is NaN", e.Message);
        Assert.Equal(1, optimizer.StepCount);
        var byHand = new StreamConv();
        MeanGradient(byHand, data, [0, 1]);
        new ReferenceAdam<float>(StreamConv.ParameterCount, 0.01).Step(byHand.Parameters, byHand.Gradients);
        Bits.Equal<float>(byHand.Parameters, network.Parameters, "parameters after the first batch");
    }

    [Fact]
    public void A_NaN_input_behind_ReLU_shows_in_the_loss_and_stops_training()
    {
        // StreamDenseFirst's first layer is ReLU, which keeps NaN NaN: window 2's loss is NaN, in batch 3 of one window.
        float[] inputs = Enumerable.Range(0, 4 * 5).Select(i => MathF.Sin(i)).ToArray();
        float[] targets = inputs.Select(v => 0.5f * v).ToArray();
        inputs[(2 * 5) + 3] = float.NaN;
        var data = new SequenceDataset<float>(inputs, targets, steps: 5, inputCount: 1, outputCount: 1);
        var network = new StreamDenseFirst();

        TrainingDivergedException e = Assert.Throws<TrainingDivergedException>(() =>
            SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<float> { BatchSize = 1, Shuffle = false, LearningRate = 0.1 }));

        Assert.Equal((1, 3), (e.Epoch, e.Batch));
        Assert.True(double.IsNaN(e.Loss));
        var byHand = new StreamDenseFirst();
        byHand.TrainSequence(data.Inputs(0), data.Targets(0), 0.1f);
        byHand.TrainSequence(data.Inputs(1), data.Targets(1), 0.1f);
        Bits.Equal<float>(byHand.Parameters, network.Parameters, "parameters after two windows");
    }

    // ---- Arguments.

    [Fact]
    public void Bad_arguments_throw_before_anything_is_written()
    {
        var network = new StreamGru();
        float[] parameters = network.Parameters.ToArray();
        network.Gradients.Fill(7f);
        var optimizer = new AdamOptimizer<float>(StreamGru.ParameterCount, 0.01);
        SequenceDataset<float> data = RandomWindows<float>(4, 3, 2, 3, seed: 20);
        SequenceDataset<float> wrongShape = RandomWindows<float>(4, 3, 2, 1, seed: 21);

        Assert.Throws<ArgumentNullException>(() => SequenceTrainer.Fit((StreamGru)null!, data, new SequenceTrainingOptions<float>()));
        Assert.Throws<ArgumentNullException>(() => SequenceTrainer.Fit(network, null!, new SequenceTrainingOptions<float>()));
        Assert.Throws<ArgumentNullException>(() => SequenceTrainer.Fit(network, data, null!));
        Assert.Equal("training", Assert.Throws<ArgumentException>(() => SequenceTrainer.Fit(network, wrongShape, new SequenceTrainingOptions<float>())).ParamName);
        Assert.Equal("training", Assert.Throws<ArgumentException>(() =>
            SequenceTrainer.Fit(network, new SequenceDataset<float>([], [], 3, 2, 3), new SequenceTrainingOptions<float>())).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() =>
            SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<float> { Validation = wrongShape, Optimizer = optimizer })).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>("options", () => SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<float> { Epochs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<float> { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<float> { LearningRate = -0.1 }));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<float> { LearningRate = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>("options", () =>
            SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<float> { LearningRateSchedule = _ => double.PositiveInfinity, Optimizer = optimizer }));
        ArgumentException count = Assert.Throws<ArgumentException>("options", () =>
            SequenceTrainer.Fit(network, data, new SequenceTrainingOptions<float> { Optimizer = new SgdOptimizer<float>(5, 0.1) }));
        Assert.Contains("5 parameters", count.Message);

        Bits.Equal<float>(parameters, network.Parameters, "parameters");
        Assert.All(network.Gradients.ToArray(), g => Assert.Equal(7f, g));
        Assert.Equal(0, optimizer.StepCount);
        Assert.Equal(0.01, optimizer.LearningRate);
    }

    // ---- Allocation.

    [Fact]
    public void Fit_allocates_nothing_per_batch_or_epoch()
    {
        // Besides its fixed buffers a call allocates only the history's entries: ten more epochs (hundreds more
        // batches, ten more validations) cost ten entries, and batches of one window cost what batches of five do.
        SequenceDataset<float> data = RandomWindows<float>(20, steps: 8, inputCount: 2, outputCount: 1, seed: 22);
        SequenceDataset<float> validation = RandomWindows<float>(5, steps: 6, inputCount: 2, outputCount: 1, seed: 23);
        var network = new StreamConv();
        var optimizer = new AdamOptimizer<float>(StreamConv.ParameterCount, 1e-4);
        var progress = new Counter();
        SequenceTrainingOptions<float> Options(int epochs, int batchSize, bool adam) => new()
        {
            Epochs = epochs,
            BatchSize = batchSize,
            LearningRate = 1e-4,
            Optimizer = adam ? optimizer : null,
            Validation = validation,
            Progress = progress,
            LearningRateSchedule = adam ? null : epoch => 1e-4 / epoch,
        };

        foreach (bool adam in new[] { true, false })
        {
            SequenceTrainer.Fit(network, data, Options(2, 5, adam));
            SequenceTrainer.Fit(network, data, Options(2, 1, adam));
            long few = Measure(() => SequenceTrainer.Fit(network, data, Options(2, 5, adam)));
            long many = Measure(() => SequenceTrainer.Fit(network, data, Options(12, 5, adam)));
            long single = Measure(() => SequenceTrainer.Fit(network, data, Options(2, 1, adam)));

            Assert.Equal(10 * Unsafe.SizeOf<TrainingEpoch>(), many - few);
            Assert.Equal(few, single);
        }

        Assert.True(progress.Count > 0);

        // The least of three calls: a one-time allocation of the runtime's own (a method tiering up, a lazily built
        // cache) can land inside any one measurement, and once landed it is not repeated, so the least is what a
        // call itself allocates. (CI saw such a one-off of 840 bytes inside a single measurement.)
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

    [Fact]
    public void Past_the_first_1024_epochs_the_history_grows_by_doubling()
    {
        // Room for min(Epochs, 1024) entries at the start, then twice as many (at most Epochs) when full: 4,096 epochs
        // add arrays of 2,048 and 4,096 entries to the one array of 1,024 epochs, and nothing else.
        var data = new SequenceDataset<double>([0.5], [0.25], steps: 1, inputCount: 1, outputCount: 1);
        var network = new SequenceFilterNet();
        SequenceTrainingOptions<double> full = new() { Epochs = 1024, LearningRate = 1e-6 };
        SequenceTrainingOptions<double> grown = new() { Epochs = 4096, LearningRate = 1e-6 };
        SequenceTrainer.Fit(network, data, full);
        SequenceTrainer.Fit(network, data, grown);

        long before = GC.GetAllocatedBytesForCurrentThread();
        TrainingHistory fullHistory = SequenceTrainer.Fit(network, data, full);
        long middle = GC.GetAllocatedBytesForCurrentThread();
        TrainingHistory grownHistory = SequenceTrainer.Fit(network, data, grown);
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal((1024, 4096, 4096), (fullHistory.Count, grownHistory.Count, grownHistory[^1].Epoch));
        long extra = (after - middle) - (middle - before);
        long entries = (2048 + 4096) * (long)Unsafe.SizeOf<TrainingEpoch>();
        Assert.InRange(extra, entries, entries + 64);
    }

    // ---- Helpers.

    /// <summary>Windows of values uniform in [-1, 1), from DeterministicRandom.</summary>
    private static SequenceDataset<T> RandomWindows<T>(int count, int steps, int inputCount, int outputCount, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new DeterministicRandom(seed);
        T[] inputs = Enumerable.Range(0, count * steps * inputCount).Select(_ => T.CreateChecked(random.NextDouble(-1, 1))).ToArray();
        T[] targets = Enumerable.Range(0, count * steps * outputCount).Select(_ => T.CreateChecked(random.NextDouble(-1, 1))).ToArray();
        return new SequenceDataset<T>(inputs, targets, steps, inputCount, outputCount);
    }

    /// <summary>Noise x uniform in [-1, 1) and y[t] = 0.5 x[t] + 0.5 y[t-1] from y[-1] = 0.</summary>
    private static (double[] X, double[] Y) Filtered(int steps, int seed)
    {
        var random = new DeterministicRandom(seed);
        var x = new double[steps];
        var y = new double[steps];
        double previous = 0;
        for (int t = 0; t < steps; t++)
        {
            x[t] = random.NextDouble(-1, 1);
            y[t] = previous = (0.5 * x[t]) + (0.5 * previous);
        }

        return (x, y);
    }

    /// <summary>
    /// Each epoch's window order as documented: one DeterministicRandom seeded once, each epoch shuffling the last
    /// epoch's order by Fisher–Yates (i from n - 1 down to 1, swap i with NextInt32(i + 1)).
    /// </summary>
    private static int[][] Orders(int count, int seed, int epochs)
    {
        var random = new DeterministicRandom(seed);
        int[] order = Enumerable.Range(0, count).ToArray();
        var orders = new int[epochs][];
        for (int e = 0; e < epochs; e++)
        {
            for (int i = count - 1; i > 0; i--)
            {
                int j = random.NextInt32(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }

            orders[e] = order.ToArray();
        }

        return orders;
    }

    /// <summary>ZeroGradients, the network's own BackwardSequence per window, the gradients times 1/n: the batch's mean gradient; returns the mean loss.</summary>
    private static double MeanGradient<TNet, T>(TNet network, SequenceDataset<T> data, int[] windows)
        where TNet : ISequenceNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.ZeroGradients();
        double sum = 0;
        foreach (int w in windows)
        {
            sum += double.CreateChecked(network.BackwardSequence(data.Inputs(w), data.Targets(w)));
        }

        T inverse = T.One / T.CreateChecked(windows.Length);
        Span<T> g = network.Gradients;
        for (int i = 0; i < g.Length; i++)
        {
            g[i] *= inverse;
        }

        return sum / windows.Length;
    }

    /// <summary>p -= lr g, written out.</summary>
    private static void SgdStep<T>(Span<T> parameters, ReadOnlySpan<T> gradients, double learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T rate = T.CreateChecked(learningRate);
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] -= rate * gradients[i];
        }
    }

    /// <summary>
    /// torch.optim.Adam's rule, written out: m = β1 m + (1 - β1) g, v = β2 v + (1 - β2) g², then
    /// p -= (lr / (1 - β1^t)) m / (√v / √(1 - β2^t) + ε), the scalars in double rounded to T.
    /// </summary>
    private sealed class ReferenceAdam<T>(int count, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T[] _m = new T[count];
        private readonly T[] _v = new T[count];
        private int _t;

        public void Step(Span<T> parameters, ReadOnlySpan<T> gradients)
        {
            _t++;
            T stepSize = T.CreateChecked(learningRate / (1 - Math.Pow(beta1, _t)));
            T correction2 = T.CreateChecked(Math.Sqrt(1 - Math.Pow(beta2, _t)));
            T b1 = T.CreateChecked(beta1), b2 = T.CreateChecked(beta2);
            T c1 = T.CreateChecked(1 - beta1), c2 = T.CreateChecked(1 - beta2), eps = T.CreateChecked(epsilon);
            for (int i = 0; i < parameters.Length; i++)
            {
                T g = gradients[i];
                _m[i] = (b1 * _m[i]) + (c1 * g);
                _v[i] = (b2 * _v[i]) + (c2 * (g * g));
                parameters[i] -= stepSize * (_m[i] / ((T.Sqrt(_v[i]) / correction2) + eps));
            }
        }
    }

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
