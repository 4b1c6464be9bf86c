using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests.Onnx;

/// <summary>
/// [OnnxNetwork] on graphs built here byte by byte (<see cref="OnnxFile"/>): each pattern the import maps, written the
/// ways exporters write it, compiled and run, with the expected outputs computed in the test from the operators'
/// definitions in the ONNX specification (not from NetGen's code); and the refusals, each one diagnostic.
/// </summary>
public sealed class OnnxImportTests
{
    internal static GeneratorRun Compile(byte[] model, string options = "", string file = "m.onnx") =>
        GeneratorHarness.RunWithFiles($$"""
            using NetGen;

            namespace App;

            /// <summary>A network compiled from m.onnx.</summary>
            [OnnxNetwork("{{file}}"{{options}})]
            public partial class Imported;
            """, OnnxFile.AdditionalFile("m.onnx", model));

    /// <summary>Compiles, checks that nothing at all was reported, and runs Forward on each input.</summary>
    internal static T[][] Run<T>(byte[] model, T[][] inputs, string options = "")
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        GeneratorRun run = Compile(model, options);
        Assert.Null(run.Result.Exception);
        Assert.Empty(run.AllDiagnostics());
        using LoadedAssembly loaded = Emitted.Load(Emitted.Image(run.Output));
        var network = loaded.Create<INetwork<T>>("App.Imported");
        return inputs.Select(input =>
        {
            var output = new T[network.OutputCount];
            network.Forward(input, output);
            return output;
        }).ToArray();
    }

    /// <summary>The one NetGen diagnostic of a refused model, after checking the stand-in members leave no other error.</summary>
    internal static Diagnostic Refused(byte[] model, string options = "")
    {
        GeneratorRun run = Compile(model, options);
        ImmutableArray<Diagnostic> all = run.AllDiagnostics();
        Diagnostic netgen = Assert.Single(all, d => d.Id.StartsWith("NG", StringComparison.Ordinal));
        Assert.Equal(DiagnosticSeverity.Error, netgen.Severity);
        Assert.Empty(all.Where(d => d != netgen && d.Severity == DiagnosticSeverity.Error));
        Assert.Contains("[OnnxNetwork(\"m.onnx\"", netgen.Location.SourceTree!.ToString().Substring(netgen.Location.SourceSpan.Start - 14, 40), StringComparison.Ordinal);
        return netgen;
    }

    private static void Close(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            // float32 sums of a few terms: 1e-5 relative, with a floor of 1e-6 for values near 0.
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * Math.Abs(expected[i]) + 1e-6, $"output {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    private static void Close(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Abs(expected[i]) + 1e-14, $"output {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    // ---- The reference: the operators as the ONNX specification defines them, on one sample, in double.

    /// <summary>Gemm: Y = alpha A op(B) + beta C, for a single row A.</summary>
    private static double[] Gemm(double[] a, double[] b, long rowsB, long colsB, bool transB, double alpha, double[]? c, double beta)
    {
        long k = transB ? colsB : rowsB, n = transB ? rowsB : colsB;
        var y = new double[n];
        for (long j = 0; j < n; j++)
        {
            double sum = 0;
            for (long i = 0; i < k; i++)
            {
                sum += a[i] * (transB ? b[j * colsB + i] : b[i * colsB + j]);
            }

            y[j] = alpha * sum + (c is null ? 0 : beta * c[c.Length == 1 ? 0 : j]);
        }

        return y;
    }

    private static double[] Map(double[] x, Func<double, double> f) => x.Select(f).ToArray();

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static double[] Softmax(double[] z)
    {
        double max = z.Max();
        double[] e = z.Select(v => Math.Exp(v - max)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    private static readonly float[][] Inputs3 = [[0.5f, -1.25f, 2f], [-0.75f, 0.125f, -2.5f], [0f, 0f, 0f], [3f, 1f, -0.5f]];

    private static double[] D(float[] x) => x.Select(v => (double)v).ToArray();

    // ---- Dense layers, as exporters write them.

    [Fact]
    public void Gemm_with_B_either_way_round_and_alpha_and_beta_is_a_Dense_layer()
    {
        // Layer 1: B stored [inputs, units] (transB = 0, as Keras-style exporters write it), alpha 0.5, beta 2. Layer 2:
        // B stored [units, inputs] (transB = 1, torch's nn.Linear), no C. Relu between, Sigmoid after.
        float[] b1 = [0.5f, -1f, 0.25f, 1.5f, 2f, -0.5f, -0.75f, 0.125f, 1f, 0.3f, -0.2f, 0.9f]; // [3, 4]
        float[] c1 = [0.1f, -0.2f, 0.3f, 0.05f];
        float[] b2 = [1f, -0.5f, 0.25f, 2f, -1.5f, 0.75f, 0.5f, -0.25f]; // [2, 4]
        byte[] model = new OnnxFile(13)
            .Input("x", OnnxFile.Float, null, 3)
            .Initializer("B1", [3, 4], b1).Initializer("C1", [4], c1).Initializer("B2", [2, 4], b2, raw: false)
            .Node("Gemm", ["x", "B1", "C1"], ["h"], "gemm1", attributes: [("alpha", 0.5f), ("beta", 2f)])
            .Node("Relu", ["h"], ["r"])
            .Node("Gemm", ["r", "B2"], ["y0"], "gemm2", attributes: [("transB", 1L)])
            .Node("Sigmoid", ["y0"], ["y"])
            .Output("y", OnnxFile.Float, null, 2)
            .ToArray();

        float[][] outputs = Run(model, Inputs3);
        for (int s = 0; s < Inputs3.Length; s++)
        {
            double[] h = Map(Gemm(D(Inputs3[s]), D(b1), 3, 4, false, 0.5, D(c1), 2), z => Math.Max(0, z));
            Close(Map(Gemm(h, D(b2), 2, 4, true, 1, null, 1), Sigmoid), outputs[s]);
        }

        string source = Compile(model).NetworkSources.Single().SourceText.ToString();
        Assert.Contains("Topology = \"float 3 | 4 ReLU | 2 Sigmoid nobias | MeanSquaredError\";", source, StringComparison.Ordinal);
    }

    [Fact]
    public void MatMul_and_an_Add_of_a_constant_either_side_is_a_Dense_layer_in_a_double_network()
    {
        double[] w1 = [0.5, -1, 0.25, 1.5, 2, -0.5]; // [3, 2]
        double[] bias1 = [0.125, -0.375];
        double[] w2 = [1.25, -0.75]; // [2, 1]
        double[] bias2 = [0.5]; // as [1, 1]
        byte[] model = new OnnxFile(17)
            .Input("x", OnnxFile.Double, null, 3)
            .Initializer("W1", [3, 2], w1).Initializer("b1", [2], bias1).Initializer("W2", [2, 1], w2).Initializer("b2", [1, 1], bias2)
            .Node("MatMul", ["x", "W1"], ["m1"])
            .Node("Add", ["b1", "m1"], ["s1"])
            .Node("Tanh", ["s1"], ["t1"])
            .Node("MatMul", ["t1", "W2"], ["m2"])
            .Node("Add", ["m2", "b2"], ["y"])
            .Output("y", OnnxFile.Double, null, 1)
            .ToArray();

        double[][] inputs = Inputs3.Select(D).ToArray();
        double[][] outputs = Run(model, inputs);
        for (int s = 0; s < inputs.Length; s++)
        {
            double[] h = Map(Gemm(inputs[s], w1, 3, 2, false, 1, bias1, 1), Math.Tanh);
            Close(Gemm(h, w2, 2, 1, false, 1, bias2, 1), outputs[s]);
        }
    }

    // ---- Activations: one node, or the element-wise groups exporters write for GELU and SiLU.

    /// <summary>A 3 -> 2 Gemm (torch's layout) whose sums y0 go through <paramref name="activation"/>, written as nodes.</summary>
    private static byte[] OneLayer(int opset, Action<OnnxFile> activation, string output = "y")
    {
        var file = new OnnxFile(opset)
            .Input("x", OnnxFile.Float, null, 3)
            .Initializer("W", [2, 3], Weights23).Initializer("b", [2], new[] { 0.25f, -0.5f })
            .Node("Gemm", ["x", "W", "b"], ["y0"], "fc", attributes: [("transB", 1L)]);
        activation(file);
        return file.Output(output, OnnxFile.Float, null, 2).ToArray();
    }

    private static readonly float[] Weights23 = [0.5f, -1f, 0.25f, 1.5f, 0.75f, -0.5f];

    private static double[] Sums(float[] x) => Gemm(D(x), D(Weights23), 2, 3, true, 1, [0.25, -0.5], 1);

    private static double Erf(double x)
    {
        // Abramowitz and Stegun 7.1.26 is too coarse for 1e-5; the series is exact to double rounding for |x| < 4.
        double sum = 0, term = x;
        for (int n = 0; n < 100; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }

        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    public static TheoryData<string> ActivationForms() =>
    [
        "Relu", "LeakyRelu (no alpha written)", "LeakyRelu (alpha 0.01)", "Sigmoid", "Tanh", "Elu", "Softplus", "Gelu (opset 20)",
        "GELU as torch 1.13 writes it", "GELU in another order", "SiLU as x * Sigmoid(x)", "SiLU as Sigmoid(x) * x", "Softmax (opset 11, axis 1)", "Softmax (opset 13)",
    ];

    [Theory]
    [MemberData(nameof(ActivationForms))]
    public void Each_activation_form_is_the_layers_activation(string form)
    {
        (int opset, Action<OnnxFile> nodes, Func<double[], double[]> reference, string topology) = form switch
        {
            "Relu" => (13, (Action<OnnxFile>)(f => f.Node("Relu", ["y0"], ["y"])), (Func<double[], double[]>)(z => Map(z, v => Math.Max(0, v))), "ReLU"),
            "LeakyRelu (no alpha written)" => (13, f => f.Node("LeakyRelu", ["y0"], ["y"]), z => Map(z, v => v > 0 ? v : 0.01 * v), "LeakyReLU"),
            "LeakyRelu (alpha 0.01)" => (9, f => f.Node("LeakyRelu", ["y0"], ["y"], attributes: ("alpha", 0.01f)), z => Map(z, v => v > 0 ? v : 0.01 * v), "LeakyReLU"),
            "Sigmoid" => (13, f => f.Node("Sigmoid", ["y0"], ["y"]), z => Map(z, Sigmoid), "Sigmoid"),
            "Tanh" => (13, f => f.Node("Tanh", ["y0"], ["y"]), z => Map(z, Math.Tanh), "Tanh"),
            "Elu" => (13, f => f.Node("Elu", ["y0"], ["y"], attributes: ("alpha", 1f)), z => Map(z, v => v > 0 ? v : Math.Exp(v) - 1), "ELU"),
            "Softplus" => (13, f => f.Node("Softplus", ["y0"], ["y"]), z => Map(z, v => Math.Log(1 + Math.Exp(v))), "Softplus"),
            "Gelu (opset 20)" => (20, f => f.Node("Gelu", ["y0"], ["y"]), z => Map(z, Gelu), "GELU"),

            // torch.onnx's symbolic for gelu: Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5), constants as Constant nodes.
            "GELU as torch 1.13 writes it" => (13, f => f
                .Constant("sqrt2", 1.4142135f).Constant("one", 1f).Constant("half", 0.5f)
                .Node("Div", ["y0", "sqrt2"], ["d"]).Node("Erf", ["d"], ["e"]).Node("Add", ["e", "one"], ["p"])
                .Node("Mul", ["y0", "p"], ["m"]).Node("Mul", ["m", "half"], ["y"]), z => Map(z, Gelu), "GELU"),
            "GELU in another order" => (13, f => f
                .Constant("rsqrt2", 0.70710677f).Constant("one", 1f).Constant("half", 0.5f)
                .Node("Mul", ["half", "y0"], ["h"]).Node("Mul", ["y0", "rsqrt2"], ["d"]).Node("Erf", ["d"], ["e"])
                .Node("Add", ["one", "e"], ["p"]).Node("Mul", ["p", "h"], ["y"]), z => Map(z, Gelu), "GELU"),
            "SiLU as x * Sigmoid(x)" => (13, f => f.Node("Sigmoid", ["y0"], ["s"]).Node("Mul", ["y0", "s"], ["y"]), z => Map(z, v => v * Sigmoid(v)), "SiLU"),
            "SiLU as Sigmoid(x) * x" => (17, f => f.Node("Sigmoid", ["y0"], ["s"]).Node("Mul", ["s", "y0"], ["y"]), z => Map(z, v => v * Sigmoid(v)), "SiLU"),
            "Softmax (opset 11, axis 1)" => (11, f => f.Node("Softmax", ["y0"], ["y"], attributes: ("axis", 1L)), Softmax, "Softmax"),
            "Softmax (opset 13)" => (13, f => f.Node("Softmax", ["y0"], ["y"]), Softmax, "Softmax"),
            _ => throw new ArgumentOutOfRangeException(nameof(form)),
        };

        string options = topology == "Softmax" ? ", Loss = LossFunction.CrossEntropy" : string.Empty;
        byte[] model = OneLayer(opset, nodes);
        float[][] outputs = Run(model, Inputs3, options);
        for (int s = 0; s < Inputs3.Length; s++)
        {
            Close(reference(Sums(Inputs3[s])), outputs[s]);
        }

        Assert.Contains($"Topology = \"float 3 | 2 {topology} | {(topology == "Softmax" ? "CrossEntropy" : "MeanSquaredError")}\";", Compile(model, options).NetworkSources.Single().SourceText.ToString(), StringComparison.Ordinal);

        static double Gelu(double z) => 0.5 * z * (1 + Erf(z / Math.Sqrt(2)));
    }

    // ---- Layout no-ops.

    [Fact]
    public void Flatten_Reshape_Dropout_and_Identity_that_keep_each_samples_values_are_passed_over()
    {
        // An image-shaped input [batch, 1, 2, 3] flattened to 6 values in row-major order, reshaped to [-1, 6] and to
        // [0, -1], through an opset-12 Dropout (its ratio and training_mode inputs constant) and an Identity.
        float[] w = [0.5f, -1f, 0.25f, 1.5f, 0.75f, -0.5f, 1f, 2f, -0.25f, 0.125f, -1.5f, 0.3f]; // [2, 6]
        byte[] model = new OnnxFile(13)
            .Input("img", OnnxFile.Float, null, 1, 2, 3)
            .Initializer("W", [2, 6], w)
            .Int64Initializer("shape1", [2], [-1, 6]).Int64Initializer("shape2", [2], [0, -1])
            .Initializer("ratio", [], new[] { 0.5f })
            .Node("Flatten", ["img"], ["f"], attributes: ("axis", 1L))
            .Node("Reshape", ["f", "shape1"], ["r1"])
            .Node("Reshape", ["r1", "shape2"], ["r2"])
            .Node("Constant", [], ["training"], attributes: ("value", OnnxFile.Tensor("training", OnnxFile.Bool, [], [0], raw: true)))
            .Node("Dropout", ["r2", "ratio", "training"], ["dr"])
            .Node("Identity", ["dr"], ["id"])
            .Node("Gemm", ["id", "W"], ["y"], attributes: ("transB", 1L))
            .Output("y", OnnxFile.Float, null, 2)
            .ToArray();

        float[][] inputs = [[1, 2, 3, 4, 5, 6], [-0.5f, 0.25f, 0, 1, -2, 0.75f]];
        float[][] outputs = Run(model, inputs);
        for (int s = 0; s < inputs.Length; s++)
        {
            Close(Gemm(D(inputs[s]), D(w), 2, 6, true, 1, null, 1), outputs[s]);
        }
    }

    [Fact]
    public void An_input_without_a_batch_dimension_is_one_sample()
    {
        float[] w = [0.5f, -1f, 0.25f, 1.5f, 0.75f, -0.5f]; // [3, 2]
        byte[] model = new OnnxFile(13)
            .Input("x", OnnxFile.Float, 3)
            .Initializer("W", [3, 2], w)
            .Node("MatMul", ["x", "W"], ["y"])
            .Output("y", OnnxFile.Float, 2)
            .ToArray();

        float[][] outputs = Run(model, Inputs3);
        for (int s = 0; s < Inputs3.Length; s++)
        {
            Close(Gemm(D(Inputs3[s]), D(w), 3, 2, false, 1, null, 1), outputs[s]);
        }
    }
}
