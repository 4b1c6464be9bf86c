using System;
using System.Globalization;
using System.IO;
using System.Linq;
using EffectModel;
using Spectre.Console;

// Emulates a real audio effect from recordings: trains a generated GRU on clean audio and what sox's
// "overdrive 20 lowpass 3000" made of it, then measures it on other audio, writes its output and a plot.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (Console.IsOutputRedirected)
{
    // Spectre.Console assumes 80 columns without a terminal; a log reads better unwrapped.
    AnsiConsole.Profile.Width = 200;
}

if (args.Any(a => a is "-h" or "--help" or "help"))
{
    return Run.Usage(0);
}

try
{
    return Run.Train(Options.Parse(args));
}
catch (Exception e) when (e is ArgumentException or IOException or FormatException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

/// <summary>Command-line options.</summary>
internal sealed record Options(int Seed, int? Epochs, bool Quick, string OutputDirectory)
{
    public static Options Parse(string[] args)
    {
        int seed = 1;
        int? epochs = null;
        bool quick = false;
        string output = Path.Combine(Directory.GetCurrentDirectory(), "out");
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                quick = true;
                continue;
            }

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

        if (epochs is < 1)
        {
            throw new ArgumentException("--epochs must be 1 or more.");
        }

        return new Options(seed, epochs, quick, output);
    }
}
