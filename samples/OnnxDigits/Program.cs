using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen;

// Predicts handwritten digits with a network trained in PyTorch and compiled from its ONNX export when this program
// was built: no model file and no ONNX runtime are read or loaded. With no argument, scores the optdigits test file;
// with a row of 64 block counts, predicts that row.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var network = new DigitsMlp();
float[] probabilities = new float[DigitsMlp.OutputCount];

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

Console.WriteLine($"compiled from digits.onnx: {DigitsMlp.Topology}, {DigitsMlp.EmbeddedParameters.Length:N0} parameters");
Console.WriteLine($"test accuracy {100.0 * correct / test.RowCount:F2}% ({correct} of {test.RowCount})");
return 0;

/// <summary>
/// The PyTorch model of train_digits.py, 64 -> 128 (GELU) -> 10 (Softmax), its layers and weights read from the ONNX
/// file at build time. Softmax outputs take the cross-entropy loss, as they would if declared with [Dense] layers.
/// </summary>
[OnnxNetwork("digits.onnx", Loss = LossFunction.CrossEntropy)]
public sealed partial class DigitsMlp;
