using System;
using System.Diagnostics;
using System.IO;
using NetGen;
using Spectre.Console;

namespace EffectModel;

/// <summary>The sample's one job: train, measure, write.</summary>
internal static class Run
{
    /// <summary>Steps per training window (42.7 ms at 48 kHz), hop between windows, and windows per batch.</summary>
    private const int WindowSteps = 2048, HopSteps = 1024, BatchSize = 16;

    /// <summary>Adam's learning rate at the start; a cosine takes it down to a twentieth by the last epoch.</summary>
    private const double LearningRate = 0.02;

    /// <summary>The block size the real-time factor is timed with, as an audio callback would call the model.</summary>
    private const int BlockSize = 512;

    public static int Usage(int exitCode)
    {
        Console.WriteLine("""
            EffectModel: a NetGen GRU trained to sound like sox's "overdrive 20 lowpass 3000".

              dotnet run -c Release --project samples/EffectModel [--quick] [--seed N] [--epochs N] [--out DIR]
                  Trains on data/train_*.wav, prints the error-to-signal ratio on the held-out data/test_*.wav,
                  the training time and the real-time factor, and writes to DIR the model's output on the
                  held-out input (heldout_output.wav) beside its input and target, and a plot (heldout.png).
              --quick   a short run (a window every 4096 steps instead of 1024, 6 epochs), for CI.
              --epochs  default 50 (6 with --quick); --seed: the initial parameters and the shuffling, default 1.

            DIR defaults to ./out.
            """);
        return exitCode;
    }

    public static int Train(Options options)
    {
        string data = Path.Combine(AppContext.BaseDirectory, "data");
        float[] trainInput = Audio.Read(Path.Combine(data, "train_input.wav"));
        float[] trainTarget = Audio.Read(Path.Combine(data, "train_target.wav"));
        float[] testInput = Audio.Read(Path.Combine(data, "test_input.wav"));
        float[] testTarget = Audio.Read(Path.Combine(data, "test_target.wav"));
        int epochs = options.Epochs ?? (options.Quick ? 6 : 50);
        int hopSteps = options.Quick ? 4 * HopSteps : HopSteps; // the quick run: a quarter of the windows

        AnsiConsole.MarkupLine($"[bold]NetGen effect model[/]: {EffectNet.Topology}, {EffectNet.ParameterCount:N0} parameters, seed {options.Seed}{(options.Quick ? ", quick run" : "")}");
        AnsiConsole.MarkupLine($"Training on {Seconds(trainInput.Length)} of audio, held out: {Seconds(testInput.Length)} of other sentences, voices, sweep and noise (48 kHz).");

        // Windows of the training recording, each trained from a zero state; the held-out audio in windows for
        // the per-epoch report (loss / mean square of the target = the windows' error-to-signal ratio).
        var training = SequenceDataset<float>.FromRecording(
            trainInput, trainTarget, 1, 1, WindowSteps, hopSteps);
        var validation = SequenceDataset<float>.FromRecording(testInput, testTarget, 1, 1, 8192, 8192);
        double testPower = MeanSquare(testTarget);
        AnsiConsole.MarkupLine($"{training.Count:N0} windows of {WindowSteps} steps every {hopSteps}, {BatchSize} a batch, {epochs} epochs, Adam from {LearningRate}.");

        var model = new EffectNet();
        model.InitializeParameters(options.Seed);
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var fitOptions = new SequenceTrainingOptions<float>
        {
            Epochs = epochs,
            BatchSize = BatchSize,
            Seed = options.Seed,
            Optimizer = new AdamOptimizer<float>(EffectNet.ParameterCount, LearningRate),
            LearningRateSchedule = epoch => LearningRate * (0.05 + (0.95 * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / epochs)))),
            Validation = validation,
        };
        TrainingHistory history = Progress.Fit(model, training, fitOptions, testPower);
        TimeSpan elapsed = clock.Elapsed;
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        long trainedSteps = (long)training.Count * WindowSteps * epochs;
        AnsiConsole.MarkupLine($"Training took {elapsed.TotalSeconds:F1} s ({cpu.TotalSeconds:F1} s of CPU): {trainedSteps / elapsed.TotalSeconds / 1e6:F2} million steps a second.");

        // As it will run: one state over the whole held-out audio, in blocks; timed on this thread (one core).
        var output = new float[testInput.Length];
        double computeSeconds = Stream(model, testInput, output);
        double esr = ErrorToSignal(testTarget, output);
        double rtf = testInput.Length / (double)Audio.SampleRate / computeSeconds;
        float[] trainOutput = new float[trainInput.Length];
        model.ForwardSequence(trainInput, trainOutput, model.CreateState());
        double trainEsr = ErrorToSignal(trainTarget, trainOutput);
        AnsiConsole.MarkupLine($"[bold]Held-out ESR {esr:F4}[/] ({-10 * Math.Log10(esr):F1} dB below the signal), training audio ESR {trainEsr:F4}");
        AnsiConsole.MarkupLine($"[bold]Real-time factor {rtf:F0}x[/] at 48 kHz on one core: {Seconds(testInput.Length)} of audio in {1000 * computeSeconds:F0} ms, blocks of {BlockSize} ({1e9 * computeSeconds / testInput.Length:F0} ns a sample).");

        Directory.CreateDirectory(options.OutputDirectory);
        string outputPath = Path.Combine(options.OutputDirectory, "heldout_output.wav");
        Audio.Write(outputPath, output);
        File.Copy(Path.Combine(data, "test_input.wav"), Path.Combine(options.OutputDirectory, "heldout_input.wav"), overwrite: true);
        File.Copy(Path.Combine(data, "test_target.wav"), Path.Combine(options.OutputDirectory, "heldout_target.wav"), overwrite: true);
        string plotPath = Path.Combine(options.OutputDirectory, "heldout.png");
        SignalPlot.Save(testInput, testTarget, output, plotPath, $"{EffectNet.Topology}, seed {options.Seed}: held-out ESR {esr:F4}");
        AnsiConsole.MarkupLine($"Wrote the model's output on the held-out input to [blue]{outputPath}[/] beside heldout_input.wav and heldout_target.wav, and the plot to [blue]{plotPath}[/].");
        return history.Count == epochs ? 0 : 1;
    }

    /// <summary>
    /// Runs the model over the signal from a zero state, a block at a time, four times (the first untimed, to warm
    /// up); returns the median seconds of the three timed passes, which all write the same output.
    /// </summary>
    private static double Stream(EffectNet model, ReadOnlySpan<float> input, Span<float> output)
    {
        EffectNet.State state = model.CreateState();
        var seconds = new double[3];
        for (int pass = -1; pass < seconds.Length; pass++)
        {
            state.Reset();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < input.Length; i += BlockSize)
            {
                int n = Math.Min(BlockSize, input.Length - i);
                model.ForwardSequence(input.Slice(i, n), output.Slice(i, n), state);
            }

            if (pass >= 0)
            {
                seconds[pass] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        }

        Array.Sort(seconds);
        return seconds[1];
    }

    /// <summary>The error-to-signal ratio: sum((y - yhat)^2) / sum(y^2).</summary>
    private static double ErrorToSignal(ReadOnlySpan<float> target, ReadOnlySpan<float> output)
    {
        double error = 0, signal = 0;
        for (int i = 0; i < target.Length; i++)
        {
            double d = target[i] - output[i];
            error += d * d;
            signal += (double)target[i] * target[i];
        }

        return error / signal;
    }

    private static double MeanSquare(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values)
        {
            sum += (double)v * v;
        }

        return sum / values.Length;
    }

    private static string Seconds(int steps) => $"{steps / (double)Audio.SampleRate:F1} s";
}
