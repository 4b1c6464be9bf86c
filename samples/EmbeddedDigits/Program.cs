using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen;

// Predicts handwritten digits with weights that were compiled into this program: no model file is read.
// With no argument, scores the whole optdigits test file; with a row of 64 block counts, predicts that row.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var network = new EmbeddedDigitsNet();
float[] probabilities = new float[EmbeddedDigitsNet.OutputCount];

if (args.Length == 1)
{
    float[] row = args[0].Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    if (row.Length is not (64 or 65))
    {
        Console.Error.WriteLine($"error: a row has 64 block counts (and optionally the label), but this one has {row.Length} values.");
        return 1;
    }

    network.Forward(row.AsSpan(0, 64), probabilities);
    Console.WriteLine($"digit {OneHot.Decode<float>(probabilities)} ({100 * probabilities.Max():F1}%)");
    return 0;
}

string path = Path.Combine(AppContext.BaseDirectory, "data", "optdigits.tes");
NumericTable<float> test = NumericCsv.Read<float>(path, hasHeader: true);
int[] labels = test.GetLabels(64);
int correct = 0;
for (int i = 0; i < test.RowCount; i++)
{
    network.Forward(test.GetRow(i)[..64], probabilities);
    correct += OneHot.Decode<float>(probabilities) == labels[i] ? 1 : 0;
}

Console.WriteLine($"{EmbeddedDigitsNet.EmbeddedParameters.Length:N0} parameters compiled in from digits.safetensors");
Console.WriteLine($"test accuracy {100.0 * correct / test.RowCount:F2}% ({correct} of {test.RowCount})");
return 0;

/// <summary>The Digits sample's network, its weights embedded at build time; it takes raw block counts (0 to 16).</summary>
[Network(64, Loss = NetGen.LossFunction.CrossEntropy, Weights = "digits.safetensors")]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public sealed partial class EmbeddedDigitsNet;
