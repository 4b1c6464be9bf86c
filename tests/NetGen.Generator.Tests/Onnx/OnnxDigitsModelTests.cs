using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests.Onnx;

/// <summary>
/// samples/OnnxDigits/digits.onnx, a model trained and exported by PyTorch 1.13's torch.onnx.export (train_digits.py):
/// Gemm, the five nodes of torch's Erf form of GELU with Constant nodes, Gemm and Softmax. Compiled here in memory,
/// its probabilities for the test file's first rows are PyTorch's own (expected.json), within 1e-5.
/// </summary>
public sealed class OnnxDigitsModelTests
{
    [Fact]
    public void The_PyTorch_model_gives_PyTorchs_probabilities()
    {
        byte[] model = File.ReadAllBytes(RepositoryPaths.Combine("samples/OnnxDigits/digits.onnx"));
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("samples/OnnxDigits/expected.json")));
        double[][] probabilities = expected.RootElement.GetProperty("first_rows_probabilities").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        float[][] rows = File.ReadLines(RepositoryPaths.Combine("samples/Digits/data/optdigits.tes")).Skip(1).Take(probabilities.Length)
            .Select(line => line.Split(',').Take(64).Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray())
            .ToArray();

        float[][] outputs = OnnxImportTests.Run(model, rows, ", Loss = LossFunction.CrossEntropy");

        Assert.Equal(5, outputs.Length);
        for (int r = 0; r < rows.Length; r++)
        {
            for (int k = 0; k < 10; k++)
            {
                Assert.True(Math.Abs(probabilities[r][k] - outputs[r][k]) <= 1e-5 * probabilities[r][k] + 1e-7, $"row {r}, class {k}: PyTorch {probabilities[r][k]:R}, NetGen {outputs[r][k]:R}");
            }
        }
    }
}
