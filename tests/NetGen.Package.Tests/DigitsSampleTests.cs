using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace NetGen.Package.Tests;

/// <summary>
/// The README's main job, end to end: samples/Digits trains on optdigits, reaches the accuracy the README states,
/// writes the model, its input scaling and the plot, and the predict command uses the saved model. In the package
/// collection so that it never builds at the same time as the package fixture or the NativeAOT publish.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed partial class DigitsSampleTests
{
    [Fact]
    public void TrainsToTheStatedAccuracy_SavesTheModelAndThePlot_AndPredictsWithTheSavedModel()
    {
        string output = DotNet.NewTemporaryDirectory("digits");
        (int train, string log) = DotNet.Cli(
            DotNet.RepositoryRoot, $"run -c Release --project samples/Digits/Digits.csproj -- train --out \"{output}\"", 600);
        Assert.True(train == 0, log);

        // The README states 98.05% for the default seed; the issue's floor is 97.5%.
        Match accuracy = TestAccuracy().Match(log);
        Assert.True(accuracy.Success, log);
        double percent = double.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(percent >= 97.5, $"test accuracy {percent}%");
        Assert.Contains("samples per second", log);

        // Redirected, as here, it prints one plain line per epoch with that epoch's figures, and no redrawn bars.
        Assert.Equal(12, EpochLine().Matches(log).Count);
        Assert.DoesNotContain('\r', log);
        Assert.DoesNotContain('\u001b', log);

        Assert.True(new FileInfo(Path.Combine(output, "digits.netgen")).Length > 0);
        // The input scaling travels inside the model file (predict below reads it from there), not beside it.
        Assert.False(File.Exists(Path.Combine(output, "digits.standardizer.csv")));
        byte[] png = File.ReadAllBytes(Path.Combine(output, "digits-training.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4));

        // A row of the test file: 64 block counts, then its label (0).
        string row = File.ReadLines(Path.Combine(DotNet.RepositoryRoot, "samples/Digits/data/optdigits.tes")).Skip(1).First();
        Assert.EndsWith(",0", row);
        (int predict, string prediction) = DotNet.Cli(
            DotNet.RepositoryRoot, $"run -c Release --no-build --project samples/Digits/Digits.csproj -- predict \"{row}\" --out \"{output}\"", 300);
        Assert.True(predict == 0, prediction);
        Assert.Contains("digit 0 (", prediction);
        Assert.Contains("the label says 0: right", prediction);

        // A row of the wrong length is refused with a message, not a stack trace.
        (int bad, string refusal) = DotNet.Cli(
            DotNet.RepositoryRoot, $"run -c Release --no-build --project samples/Digits/Digits.csproj -- predict \"1,2,3\" --out \"{output}\"", 300);
        Assert.Equal(1, bad);
        Assert.Contains("this one has 3 values", refusal);
    }

    /// <summary>
    /// samples/EmbeddedDigits: the Digits network's weights (seed 1, scaling folded into the first layer) compiled
    /// into the program from digits.safetensors; it reads no model file and scores what the Digits sample scored.
    /// </summary>
    [Fact]
    public void EmbeddedDigits_scores_the_test_file_with_weights_compiled_in()
    {
        (int exitCode, string log) = DotNet.Cli(DotNet.RepositoryRoot, "run -c Release --project samples/EmbeddedDigits/EmbeddedDigits.csproj", 600);
        Assert.True(exitCode == 0, log);
        Assert.Contains("9,610 parameters compiled in from digits.safetensors", log);
        Assert.Contains("test accuracy 98.16% (1764 of 1797)", log);
    }

    /// <summary>
    /// samples/OnnxDigits: a PyTorch-trained classifier compiled from its ONNX export at build time. It must score on
    /// the test file exactly what PyTorch scored with the same model (train_digits.py wrote torch's count into
    /// expected.json), and say what it understood of the file.
    /// </summary>
    [Fact]
    public void OnnxDigits_scores_the_test_file_as_PyTorch_did()
    {
        using var expected = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(DotNet.RepositoryRoot, "samples/OnnxDigits/expected.json")));
        int correct = expected.RootElement.GetProperty("test_correct").GetInt32();
        int rows = expected.RootElement.GetProperty("test_rows").GetInt32();

        (int exitCode, string log) = DotNet.Cli(DotNet.RepositoryRoot, "run -c Release --project samples/OnnxDigits/OnnxDigits.csproj", 600);
        Assert.True(exitCode == 0, log);
        Assert.Contains("compiled from digits.onnx: float 64 | 128 GELU | 10 Softmax | CrossEntropy, 9,610 parameters", log);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"test accuracy {100.0 * correct / rows:F2}% ({correct} of {rows})"), log);
    }

    [GeneratedRegex(@"Test accuracy ([0-9.]+)%")]
    private static partial Regex TestAccuracy();

    [GeneratedRegex(@"^Epoch +\d+/12  loss [0-9.]+  held-out loss [0-9.]+  accuracy [0-9.]+%  [0-9.]+ s$", RegexOptions.Multiline)]
    private static partial Regex EpochLine();
}
