using System;
using System.Globalization;
using NetGen;
using Spectre.Console;

namespace EffectModel;

/// <summary>
/// Runs <see cref="SequenceTrainer.Fit{TNet, T}"/> with a live progress bar per epoch in a terminal, or one plain line
/// per epoch when the output goes to a file or a pipe.
/// </summary>
internal static class Progress
{
    public static TrainingHistory Fit(EffectNet model, SequenceDataset<float> training, SequenceTrainingOptions<float> options, double validationPower)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            return SequenceTrainer.Fit(model, training, With(options, new Lines(validationPower)));
        }

        TrainingHistory history = null!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context => history = SequenceTrainer.Fit(model, training, With(options, new Bars(context, validationPower))));
        return history;
    }

    private static SequenceTrainingOptions<float> With(SequenceTrainingOptions<float> options, IProgress<TrainingProgress> progress) => new()
    {
        Epochs = options.Epochs,
        BatchSize = options.BatchSize,
        Shuffle = options.Shuffle,
        Seed = options.Seed,
        Optimizer = options.Optimizer,
        LearningRate = options.LearningRate,
        LearningRateSchedule = options.LearningRateSchedule,
        Validation = options.Validation,
        Progress = progress,
    };

    // The windows' mean squared error over the held-out target's mean square: the error-to-signal ratio of the
    // held-out windows, each from a zero state (a little above the stream's, which has no window starts).
    private static string Describe(TrainingProgress value, double validationPower) => string.Create(CultureInfo.InvariantCulture,
        $"Epoch {value.Epoch,2}/{value.EpochCount}  loss {value.Loss:G3}  held-out window ESR {value.ValidationLoss / validationPower:F4}");

    /// <summary>One live bar per epoch, filled batch by batch, then labelled with its results.</summary>
    private sealed class Bars(ProgressContext context, double validationPower) : IProgress<TrainingProgress>
    {
        private ProgressTask? _bar;

        public void Report(TrainingProgress value)
        {
            if (value.Batch == 1 || _bar is null)
            {
                _bar = context.AddTask($"Epoch {value.Epoch,2}/{value.EpochCount}", maxValue: value.BatchCount);
            }

            _bar.Value = value.Batch;
            if (value.IsEpochEnd)
            {
                _bar.Description = Describe(value, validationPower);
                _bar.StopTask(); // so that its elapsed time is the epoch's own
            }
        }
    }

    /// <summary>One plain line per epoch, for logs.</summary>
    private sealed class Lines(double validationPower) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.IsEpochEnd)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Describe(value, validationPower)}  {value.Elapsed.TotalSeconds,6:F1} s"));
            }
        }
    }
}
