using System;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>
/// What fuzzing the ONNX reader found (OnnxReaderFuzzTests' huge declared sizes), each kept as the smallest model that
/// shows it, run through the whole generator: each must be one NetGen error on the declaration, never an exception.
/// </summary>
public sealed class OnnxFuzzFindingsTests
{
    private const string Source = """
        using NetGen;

        namespace App;

        [OnnxNetwork("m.onnx")]
        public partial class Imported;
        """;

    /// <summary>
    /// A tensor's dimensions were multiplied without a check for passing 2^63: [4, 2^62] wrapped to 0 values, so a
    /// tensor with no data was read as a weight of 2^62 units, and the Gemm's scalar bias was then allocated for them:
    /// an OverflowException out of the generator (CS8785), every network of the project lost.
    /// </summary>
    [Fact]
    public void A_weight_whose_dimensions_multiply_past_2_to_the_64_is_NG0026_not_a_generator_crash()
    {
        byte[] model = new OnnxFile(13).Input("x", OnnxFile.Float, null, 4)
            .Initializer("W", [4, 1L << 62], Array.Empty<float>()).Constant("c", 0.5f)
            .Node("Gemm", ["x", "W", "c"], ["y"]).Output("y", OnnxFile.Float, null, 2).ToArray();

        Diagnostic error = OneError(model);

        Assert.Equal("NG0026", error.Id);
        Assert.Contains("the tensor 'W' declares more than 2147483647 values", error.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>The same wrapped tensor as a constant that a Transpose node turns: its loop ran past the empty values (IndexOutOfRangeException, CS8785).</summary>
    [Fact]
    public void A_transposed_constant_whose_dimensions_multiply_past_2_to_the_64_is_NG0026_not_a_generator_crash()
    {
        byte[] model = new OnnxFile(13).Input("x", OnnxFile.Float, null, 4)
            .Initializer("Wt", [4, 1L << 62], Array.Empty<float>())
            .Node("Transpose", ["Wt"], ["W"]).Node("Gemm", ["x", "W"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray();

        Diagnostic error = OneError(model);

        Assert.Equal("NG0026", error.Id);
        Assert.Contains("the tensor 'Wt' declares more than 2147483647 values", error.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>
    /// The input's dimensions were multiplied the same way: [batch, 2^32, 2^32] is 2^64 values a sample, which wrapped
    /// to 0, so the model was imported as a network of 0 inputs and got NG0003, whose message tells an [OnnxNetwork]
    /// to pass its inputs to [Network], and with Loss = CrossEntropy NG0008 too: two errors, neither the model's.
    /// </summary>
    [Theory]
    [InlineData(1L << 32, 1L << 32)]
    [InlineData(1L << 62, 4)]
    [InlineData(3, 1L << 62)]
    public void An_input_whose_dimensions_multiply_past_2_to_the_63_is_one_NG0028_not_a_network_of_0_inputs(long rows, long columns)
    {
        byte[] model = new OnnxFile(13).Input("x", OnnxFile.Float, null, rows, columns)
            .Initializer("W", [2, 0], Array.Empty<float>())
            .Node("Flatten", ["x"], ["f"]).Node("Gemm", ["f", "W"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray();

        Diagnostic error = OneError(model);

        Assert.Equal("NG0028", error.Id);
        Assert.Contains($"its input 'x' has [{rows}, {columns}], more than 2147483647, values a sample", error.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>
    /// A node that passes its input over (Identity, Dropout, Flatten) and names its first output as that input left
    /// the mapping where it was, and it looped for ever: a build that never ends. Found by the rewired graphs of
    /// OnnxReaderFuzzTests (flatten_o13_5x6x2_dyn.onnx, its Flatten's output named as its input).
    /// </summary>
    [Theory]
    [InlineData("Identity")]
    [InlineData("Dropout")]
    [InlineData("Flatten")]
    public void A_node_whose_first_output_is_named_as_its_input_is_NG0026_not_a_build_that_never_ends(string op)
    {
        byte[] model = new OnnxFile(13).Input("x", OnnxFile.Float, null, 3)
            .Node(op, ["x"], ["x", "y"])
            .Output("y", OnnxFile.Float, null, 3).ToArray();

        Diagnostic error = OneError(model);

        Assert.Equal("NG0026", error.Id);
        Assert.Contains("the value 'x' is computed from itself: the graph has a cycle", error.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>The generator's one error for <paramref name="model"/>, run on a thread of its own so that a hang fails the test after 30 s.</summary>
    private static Diagnostic OneError(byte[] model)
    {
        GeneratorRun? run = null;
        var worker = new Thread(() => run = GeneratorHarness.RunWithFiles(Source, OnnxFile.AdditionalFile("m.onnx", model))) { IsBackground = true };
        worker.Start();
        Assert.True(worker.Join(TimeSpan.FromSeconds(30)), "the generator has run for 30 s on the model: a hang");
        Assert.NotNull(run);

        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.DriverDiagnostics, d => d.Id == "CS8785");
        return Assert.Single(run.Result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }
}
