using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen;
using Spectre.Console;

namespace Digits;

/// <summary>The sample's two commands.</summary>
internal static class Commands
{
    // Class k is the digit k; saved with the model so that a reader of the file needs no other source for them.
    private static readonly string[] DigitNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    public static int Usage(int exitCode)
    {
        Console.WriteLine("""
            Digits: a NetGen network trained on optdigits (UCI handwritten digits).

              dotnet run -c Release --project samples/Digits [train] [--seed N] [--epochs N] [--out DIR]
                  Trains, prints test accuracy and speed, writes DIR/digits.netgen (the model with its
                  input scaling and class names) and DIR/digits-training.png (the plot).
              dotnet run -c Release --project samples/Digits predict "v1,...,v64[,label]" [--out DIR]
                  Predicts the digit of one row of 64 block counts (0 to 16), as in the optdigits files,
                  with the model saved in DIR.

            DIR defaults to ./out.
            """);
        return exitCode;
    }

    public static int Train(Options options)
    {
        AnsiConsole.MarkupLine($"[bold]NetGen digits[/]: {DigitsNet.Topology}, {DigitsNet.ParameterCount:N0} parameters, seed {options.Seed}");

        // optdigits.tra for training (a tenth held out to watch progress), optdigits.tes, by other writers, for the test.
        Dataset<float> all = ToDataset(DigitsData.Read("optdigits.tra"));
        Dataset<float> test = ToDataset(DigitsData.Read("optdigits.tes"));
        (Dataset<float> fit, Dataset<float> validation) = all.Split(0.1, options.Seed);
        Dataset<float> training = DigitsData.WithShifts(fit);

        // Scale each input by the training data's own mean and spread, and keep the scaling with the model.
        Standardizer<float> scaling = Standardizer<float>.Fit(training.Inputs.Span, DigitsData.Pixels);
        training = scaling.Transform(training);
        validation = scaling.Transform(validation);
        test = scaling.Transform(test);
        AnsiConsole.MarkupLine($"{fit.Count:N0} training images, shifted one block each way to {training.Count:N0}; {validation.Count:N0} held out; {test.Count:N0} test images.");

        var network = new DigitsNet();
        network.InitializeParameters(options.Seed);
        const double learningRate = 3e-3;
        int epochs = options.Epochs;
        TrainingHistory history = null!;
        TrainingOptions<float> Training(IProgress<TrainingProgress> progress) => new()
        {
            Epochs = epochs,
            BatchSize = 32,
            Seed = options.Seed,
            Optimizer = new AdamWOptimizer<float>(DigitsNet.ParameterCount, learningRate, weightDecay: 0.05),
            LearningRateSchedule = epoch => learningRate * 0.5 * (1 + Math.Cos(Math.PI * epoch / epochs)),
            Validation = validation,
            Progress = progress,
        };

        var clock = Stopwatch.StartNew();
        if (Console.IsOutputRedirected)
        {
            // A log file or a pipe: one plain line per epoch, no bars redrawn.
            history = Trainer.Fit(network, training, Training(new EpochLines()));
        }
        else
        {
            // One bar per epoch, the whole row within the terminal's width (and 80 columns at the narrowest):
            // description (at most EpochBars.DescriptionWidth) + bar + "100%" + "00:00:00", a space between columns.
            int barWidth = Math.Clamp(AnsiConsole.Profile.Width - 1 - EpochBars.DescriptionWidth - 1 - 4 - 1 - 8 - 1, 10, 40);
            AnsiConsole.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = barWidth }, new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context => history = Trainer.Fit(network, training, Training(new EpochBars(context))));
        }

        TimeSpan elapsed = clock.Elapsed;

        EvaluationResult result = Trainer.Evaluate(network, test);
        double samplesPerSecond = (double)training.Count * epochs / elapsed.TotalSeconds;
        AnsiConsole.MarkupLine($"[bold]Test accuracy {100 * result.Accuracy:F2}%[/] ({(int)Math.Round(result.Accuracy * test.Count)} of {test.Count}), test loss {result.Loss:F4}");
        AnsiConsole.MarkupLine($"Training took {elapsed.TotalSeconds:F2} s: {epochs} epochs of {training.Count:N0} samples, {samplesPerSecond:N0} samples per second.");

        Directory.CreateDirectory(options.OutputDirectory);
        // One file holds all that predicting needs: the parameters, the input scaling and the class names.
        ModelFile.Save(network, options.ModelPath, new ModelMetadata<float> { InputStandardizer = scaling, ClassNames = DigitNames });
        SaveFoldedSafeTensors(network, scaling, options.SafeTensorsPath);
        TrainingPlot.Save(history, options.PlotPath, $"64-128-10 softmax network, seed {options.Seed}: test accuracy {100 * result.Accuracy:F2}%");
        AnsiConsole.MarkupLine($"Saved the model with its input scaling and class names to [blue]{options.ModelPath}[/], the plot to [blue]{options.PlotPath}[/],");
        AnsiConsole.MarkupLine($"and for PyTorch or compile-time embedding, the model with the scaling folded into its first layer to [blue]{options.SafeTensorsPath}[/].");
        return 0;
    }

    public static int Predict(string row, Options options)
    {
        float[] values = row.Split(',', StringSplitOptions.TrimEntries)
            .Select((text, i) => float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v)
                ? v
                : throw new FormatException($"Value {i + 1} of the row, '{text}', is not a number."))
            .ToArray();
        if (values.Length is not (DigitsData.Pixels or DigitsData.Pixels + 1))
        {
            throw new ArgumentException($"A row has {DigitsData.Pixels} block counts (and optionally the label), but this one has {values.Length} values.");
        }

        var network = new DigitsNet();
        ModelMetadata<float> metadata = ModelFile.LoadWithMetadata(network, options.ModelPath);
        Standardizer<float> scaling = metadata.InputStandardizer
            ?? throw new InvalidDataException($"{options.ModelPath} holds no input scaling: train again to write one that does.");

        Span<float> input = stackalloc float[DigitsNet.InputCount];
        scaling.Transform(values.AsSpan(0, DigitsData.Pixels), input);
        float[] probabilities = new float[DigitsNet.OutputCount];
        network.Forward(input, probabilities);

        IReadOnlyList<string> names = metadata.ClassNames ?? DigitNames;
        int digit = OneHot.Decode<float>(probabilities);
        string top = string.Join(", ", Enumerable.Range(0, DigitsNet.OutputCount)
            .OrderByDescending(k => probabilities[k]).Take(3).Select(k => $"{names[k]}: {100 * probabilities[k]:F1}%"));
        Console.WriteLine($"digit {names[digit]} ({top})");
        if (values.Length == DigitsData.Pixels + 1)
        {
            Console.WriteLine(values[^1] == digit ? $"the label says {values[^1]}: right" : $"the label says {values[^1]}: wrong");
        }

        return 0;
    }

    /// <summary>
    /// Saves the network with the input scaling folded into its first layer, so that it takes raw block counts:
    /// w'[j,i] = w[j,i] / s_i and b'[j] = b[j] - sum_i w[j,i] m_i / s_i, since w . ((x - m) / s) + b = w' . x + b'.
    /// samples/EmbeddedDigits compiles such a file into the program.
    /// </summary>
    private static void SaveFoldedSafeTensors(DigitsNet network, Standardizer<float> scaling, string path)
    {
        var folded = new DigitsNet();
        network.Parameters.CopyTo(folded.Parameters);
        Span<float> p = folded.Parameters;
        const int Inputs = DigitsData.Pixels, Hidden = 128, BiasOffset = Inputs * Hidden;
        for (int j = 0; j < Hidden; j++)
        {
            double shift = 0;
            for (int i = 0; i < Inputs; i++)
            {
                // A constant column (deviation 0) is only centred, as the Standardizer does.
                float s = scaling.StandardDeviations[i] == 0 ? 1 : scaling.StandardDeviations[i];
                float w = p[(j * Inputs) + i];
                shift += (double)w * scaling.Means[i] / s;
                p[(j * Inputs) + i] = w / s;
            }

            p[BiasOffset + j] = (float)(p[BiasOffset + j] - shift);
        }

        SafeTensors.Save(folded, path);
    }

    private static Dataset<float> ToDataset((float[] Images, int[] Labels) data) =>
        new(data.Images, OneHot.Encode<float>(data.Labels, DigitsData.Classes), DigitsData.Pixels, DigitsData.Classes);

    /// <summary>Without a terminal: one line per epoch when it ends, with its results and its time.</summary>
    private sealed class EpochLines : IProgress<TrainingProgress>
    {
        private TimeSpan _previous;

        public void Report(TrainingProgress value)
        {
            if (value.IsEpochEnd)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Epoch {value.Epoch,2}/{value.EpochCount}  loss {value.Loss:F4}  held-out loss {value.ValidationLoss:F4}  accuracy {100 * value.ValidationAccuracy:F2}%  {(value.Elapsed - _previous).TotalSeconds:F2} s"));
                _previous = value.Elapsed;
            }
        }
    }

    /// <summary>One live progress bar per epoch, filled batch by batch, then labelled with its results.</summary>
    private sealed class EpochBars(ProgressContext context) : IProgress<TrainingProgress>
    {
        /// <summary>The longest description: "Epoch 12/12 loss 0.0176 held-out 0.0363 99.21%".</summary>
        public const int DescriptionWidth = 47;

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
                _bar.Description = string.Create(CultureInfo.InvariantCulture,
                    $"Epoch {value.Epoch,2}/{value.EpochCount} loss {value.Loss:F4} held-out {value.ValidationLoss:F4} {100 * value.ValidationAccuracy:F2}%");
                _bar.StopTask(); // so that its elapsed time is the epoch's own
            }
        }
    }
}
