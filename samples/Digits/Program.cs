using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Digits;
using NetGen;
using Spectre.Console;

// The main job: train a generated 64 -> 128 -> 10 softmax network on optdigits, report test accuracy and speed,
// save the model and a plot; or, with "predict", use the saved model on one row.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (Console.IsOutputRedirected)
{
    // Spectre.Console assumes 80 columns without a terminal; a log reads better unwrapped.
    AnsiConsole.Profile.Width = 200;
}

try
{
    return args.FirstOrDefault() switch
    {
        null => Commands.Train(Options.Parse([])),
        "train" => Commands.Train(Options.Parse(args[1..])),
        string option when option.StartsWith("--", StringComparison.Ordinal) && option != "--help" => Commands.Train(Options.Parse(args)),
        "predict" when args.Length >= 2 => Commands.Predict(args[1], Options.Parse(args.Skip(2).ToArray())),
        "-h" or "--help" or "help" => Commands.Usage(0),
        _ => Commands.Usage(2),
    };
}
catch (Exception e) when (e is ArgumentException or IOException or FormatException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

/// <summary>Command-line options shared by both commands.</summary>
internal sealed record Options(int Seed, int Epochs, string OutputDirectory)
{
    public string ModelPath => Path.Combine(OutputDirectory, "digits.netgen");


    public string PlotPath => Path.Combine(OutputDirectory, "digits-training.png");

    public string SafeTensorsPath => Path.Combine(OutputDirectory, "digits.safetensors");

    public static Options Parse(string[] args)
    {
        int seed = 1, epochs = 12;
        string output = Path.Combine(Directory.GetCurrentDirectory(), "out");
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--seed":
                    seed = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--epochs":
                    epochs = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "--out":
                    output = Path.GetFullPath(value);
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}; see --help.");
            }

            i++;
        }

        return new Options(seed, epochs, output);
    }
}
