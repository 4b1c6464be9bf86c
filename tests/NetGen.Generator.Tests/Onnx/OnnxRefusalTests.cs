using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests.Onnx;

/// <summary>
/// What [OnnxNetwork] refuses: each case one error at the attribute, whose message names what is wrong (the operator,
/// its node and the opset, or why the graph is no chain of layers), and stand-in members so that no other error follows.
/// </summary>
public sealed class OnnxRefusalTests
{
    private static readonly float[] W23 = [0.5f, -1f, 0.25f, 1.5f, 0.75f, -0.5f];

    /// <summary>x [batch, 3] -> Gemm (torch's layout, 2 units) -> what <paramref name="after"/> adds -> output <paramref name="output"/>.</summary>
    private static byte[] Model(int opset, Action<OnnxFile> after, string output = "y", int elementType = OnnxFile.Float)
    {
        var file = new OnnxFile(opset)
            .Input("x", elementType, null, 3)
            .Initializer("W", [2, 3], W23)
            .Node("Gemm", ["x", "W"], ["y0"], "fc", attributes: ("transB", 1L));
        after(file);
        return file.Output(output, elementType, null, 2).ToArray();
    }

    public static TheoryData<string, string, string[]> Cases() => new()
    {
        // An operator NetGen has no layer or activation for, or an attribute value its activation does not have.
        { "HardSigmoid", "NG0027", ["HardSigmoid", "'hs'", "opset 13"] },
        { "Conv", "NG0027", ["Conv", "opset 13"] },
        { "LeakyRelu alpha 0.2", "NG0027", ["LeakyRelu with alpha 0.2", "slope 0.01"] },
        { "Elu alpha 0.5", "NG0027", ["Elu with alpha 0.5"] },
        { "Gelu tanh", "NG0027", ["approximate = 'tanh'", "opset 20"] },
        { "GELU's tanh approximation as nodes", "NG0027", ["none of NetGen's activations", "opset 13"] },
        { "Softmax over axis 0", "NG0027", ["Softmax over axis 0"] },
        { "Gemm transA", "NG0027", ["transA = 1"] },
        { "another domain", "NG0027", ["com.example"] },
        { "opset 5", "NG0027", ["opset 5", "opsets 6 to 21"] },
        { "opset 22", "NG0027", ["opset 22"] },

        // Graphs that are no chain of layers.
        { "residual", "NG0028", ["branch", "residual"] },
        { "activation first", "NG0028", ["input itself"] },
        { "two activations", "NG0028", ["follows another activation"] },
        { "computed weights", "NG0028", ["computed, not a constant"] },
        { "int64 input", "NG0028", ["int64"] },
        { "float16 weights", "NG0028", ["float16"] },
        { "symbolic feature size", "NG0028", ["symbolic", "fixed size"] },
        { "rank-3 input", "NG0028", ["flatten it first"] },
        { "output from a constant", "NG0028", ["does not depend on its input"] },
        { "NaN weight", "NG0028", ["NaN", "finite"] },
        { "double weight too large for float", "NG0028", ["1E+300", "finite float"] },
        { "per-sample C", "NG0028", ["not one bias per unit"] },

        // Files that are not whole models.
        { "external data", "NG0026", ["external file"] },
        { "no graph", "NG0026", ["no graph"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_unsupported_model_is_one_error_that_says_what(string name, string id, string[] fragments)
    {
        byte[] model = name switch
        {
            "HardSigmoid" => Model(13, f => f.Node("HardSigmoid", ["y0"], ["y"], "hs")),
            "Conv" => Model(13, f => f.Node("Conv", ["y0", "W"], ["y"])),
            "LeakyRelu alpha 0.2" => Model(13, f => f.Node("LeakyRelu", ["y0"], ["y"], attributes: ("alpha", 0.2f))),
            "Elu alpha 0.5" => Model(13, f => f.Node("Elu", ["y0"], ["y"], attributes: ("alpha", 0.5f))),
            "Gelu tanh" => Model(20, f => f.Node("Gelu", ["y0"], ["y"], attributes: ("approximate", "tanh"))),

            // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))): within 1e-3 of GELU, and not GELU.
            "GELU's tanh approximation as nodes" => Model(13, f => f
                .Constant("c", 0.044715f).Constant("k", 0.7978846f).Constant("one", 1f).Constant("half", 0.5f).Constant("three", 3f)
                .Node("Pow", ["y0", "three"], ["cube"]).Node("Mul", ["cube", "c"], ["cc"]).Node("Add", ["y0", "cc"], ["inner"])
                .Node("Mul", ["inner", "k"], ["scaled"]).Node("Tanh", ["scaled"], ["t"]).Node("Add", ["t", "one"], ["p"])
                .Node("Mul", ["y0", "p"], ["m"]).Node("Mul", ["m", "half"], ["y"])),
            "Softmax over axis 0" => Model(13, f => f.Node("Softmax", ["y0"], ["y"], attributes: ("axis", 0L))),
            "Gemm transA" => new OnnxFile(13).Input("x", OnnxFile.Float, 3, 1).Initializer("W", [2, 3], W23)
                .Node("Gemm", ["x", "W"], ["y"], attributes: [("transA", 1L), ("transB", 1L)]).Output("y", OnnxFile.Float, 1, 2).ToArray(),
            "another domain" => Model(13, f => f.Opset("com.example", 1).Node("Swish", ["y0"], ["y"], domain: "com.example")),
            "opset 5" => Model(5, f => f.Node("Relu", ["y0"], ["y"])),
            "opset 22" => Model(22, f => f.Node("Relu", ["y0"], ["y"])),
            "residual" => new OnnxFile(13).Input("x", OnnxFile.Float, null, 3).Initializer("W", [3, 3], W23.Concat(W23.Take(3)).ToArray())
                .Node("Gemm", ["x", "W"], ["h"], attributes: ("transB", 1L)).Node("Add", ["x", "h"], ["y"]).Output("y", OnnxFile.Float, null, 3).ToArray(),
            "activation first" => new OnnxFile(13).Input("x", OnnxFile.Float, null, 3).Initializer("W", [2, 3], W23)
                .Node("Relu", ["x"], ["r"]).Node("Gemm", ["r", "W"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray(),
            "two activations" => Model(13, f => f.Node("Relu", ["y0"], ["r"]).Node("Sigmoid", ["r"], ["y"])),
            "computed weights" => new OnnxFile(13).Input("x", OnnxFile.Float, null, 3).Initializer("W", [2, 3], W23)
                .Node("Relu", ["W"], ["rw"]).Node("Gemm", ["x", "rw"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray(),
            "int64 input" => Model(13, f => f.Node("Relu", ["y0"], ["y"]), elementType: OnnxFile.Int64),
            "float16 weights" => new OnnxFile(13).Input("x", OnnxFile.Float, null, 3)
                .Node("Constant", [], ["W"], attributes: ("value", OnnxFile.Tensor("W", OnnxFile.Float16, [2, 3], [1, 2, 3, 4, 5, 6], raw: false)))
                .Node("Gemm", ["x", "W"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray(),
            "symbolic feature size" => new OnnxFile(13).Input("x", OnnxFile.Float, null, null).Initializer("W", [2, 3], W23)
                .Node("Gemm", ["x", "W"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray(),
            "rank-3 input" => new OnnxFile(13).Input("x", OnnxFile.Float, null, 1, 3).Initializer("W", [3, 2], new[] { 1f, 2, 3, 4, 5, 6 })
                .Node("MatMul", ["x", "W"], ["y"]).Output("y", OnnxFile.Float, null, 1, 2).ToArray(),
            "output from a constant" => new OnnxFile(13).Input("x", OnnxFile.Float, null, 3).Initializer("W", [2, 3], W23)
                .Node("Relu", ["W"], ["y"]).Output("y", OnnxFile.Float, 2, 3).ToArray(),
            "NaN weight" => new OnnxFile(13).Input("x", OnnxFile.Float, null, 3).Initializer("W", [2, 3], new[] { 1f, float.NaN, 0, 0, 0, 0 })
                .Node("Gemm", ["x", "W"], ["y"], "fc", attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray(),
            "double weight too large for float" => new OnnxFile(13).Input("x", OnnxFile.Float, null, 3).Initializer("W", [2, 3], new[] { 1e300, 0, 0, 0, 0, 0 })
                .Node("Gemm", ["x", "W"], ["y"], "fc", attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray(),
            "per-sample C" => new OnnxFile(13).Input("x", OnnxFile.Float, 4, 3).Initializer("W", [2, 3], W23).Initializer("C", [4, 2], new float[8])
                .Node("Gemm", ["x", "W", "C"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, 4, 2).ToArray(),
            "external data" => ExternalData(),
            "no graph" => NoGraph(),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        Diagnostic diagnostic = OnnxImportTests.Refused(model);
        Assert.Equal(id, diagnostic.Id);
        string message = diagnostic.GetMessage();
        Assert.StartsWith(id == "NG0026" ? "The ONNX model 'm.onnx' of 'Imported' cannot be read: " : "The ONNX model 'm.onnx' of 'Imported' ", message, StringComparison.Ordinal);
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, message, StringComparison.Ordinal);
        }
    }

    /// <summary>A weight whose data_location (field 14) is EXTERNAL: its bytes are in another file.</summary>
    private static byte[] ExternalData()
    {
        var tensor = new OnnxFile.Writer();
        tensor.Varint(1, 2);
        tensor.Varint(1, 3);
        tensor.Varint(2, OnnxFile.Float);
        tensor.String(8, "W");
        tensor.Varint(14, 1);
        byte[] file = new OnnxFile(13).Input("x", OnnxFile.Float, null, 3)
            .Node("Constant", [], ["W"], attributes: ("value", tensor.ToArray()))
            .Node("Gemm", ["x", "W"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray();
        return file;
    }

    /// <summary>A ModelProto with an opset import and no graph.</summary>
    private static byte[] NoGraph()
    {
        var opset = new OnnxFile.Writer();
        opset.Varint(2, 13);
        var model = new OnnxFile.Writer();
        model.Varint(1, 8);
        model.Message(8, opset.ToArray());
        return model.ToArray();
    }

    [Fact]
    public void A_Softmax_model_needs_cross_entropy_as_a_declared_one_does()
    {
        byte[] model = Model(13, f => f.Node("Softmax", ["y0"], ["y"]));
        Diagnostic diagnostic = OnnxImportTests.Refused(model);
        Assert.Equal("NG0008", diagnostic.Id);
        Assert.Contains("LossFunction.CrossEntropy", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", "m.onnx", "is not among the compilation's additional files")]
    [InlineData("wrong extension", "m.onnxx", "(NetGen compiles .onnx files)")]
    [InlineData("not base64", "m.onnx", "not base64")]
    public void A_model_file_that_is_not_there_or_not_encoded_is_one_error(string name, string path, string fragment)
    {
        (string Path, string Text)[] files = name switch
        {
            "missing" => [],
            "wrong extension" => [("obj/netgen/m.onnxx.b64", "AAAA")],
            _ => [("obj/netgen/m.onnx.b64", "not base64 at all!")],
        };
        GeneratorRun run = GeneratorHarness.RunWithFiles($$"""
            using NetGen;

            namespace App;

            /// <summary>A network compiled from a model file.</summary>
            [OnnxNetwork("{{path}}")]
            public partial class Imported;
            """, files);
        Diagnostic diagnostic = Assert.Single(run.AllDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal(name == "not base64" ? "NG0026" : "NG0025", diagnostic.Id);
        Assert.Contains(fragment, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Equal($"\"{path}\"", diagnostic.Location.SourceTree!.ToString().Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }

    [Fact]
    public void Two_model_files_of_the_same_name_are_one_error()
    {
        byte[] model = Model(13, f => f.Node("Relu", ["y0"], ["y"]));
        GeneratorRun run = GeneratorHarness.RunWithFiles("""
            using NetGen;

            namespace App;

            /// <summary>A network compiled from a model file.</summary>
            [OnnxNetwork("models/m.onnx")]
            public partial class Imported;
            """, OnnxFile.AdditionalFile("m.onnx", model), ("other/netgen/M.onnx.b64", Convert.ToBase64String(model)));
        Diagnostic diagnostic = Assert.Single(run.AllDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal("NG0025", diagnostic.Id);
        Assert.Contains("it matches 2 files named m.onnx", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Layers_declared_beside_the_model_are_one_error_at_the_first_layer()
    {
        byte[] model = Model(13, f => f.Node("Relu", ["y0"], ["y"]));
        GeneratorRun run = GeneratorHarness.RunWithFiles("""
            using NetGen;

            namespace App;

            /// <summary>A network compiled from a model file, with a layer it cannot have.</summary>
            [OnnxNetwork("m.onnx")]
            [Dense(4)]
            [Dense(2)]
            public partial class Imported;
            """, OnnxFile.AdditionalFile("m.onnx", model));
        Diagnostic diagnostic = Assert.Single(run.AllDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal("NG0029", diagnostic.Id);
        Assert.Equal("'Imported' takes its layers from the ONNX model 'm.onnx', so it cannot also declare [Dense] layers; remove the layer attributes, or use [Network] with Weights = \"....safetensors\" to declare the layers yourself", diagnostic.GetMessage());
        // The parse step reports with a location of plain values (no syntax tree): the span is into the declaration's file.
        string text = run.Output.SyntaxTrees.First().ToString();
        Assert.Equal("Dense(4)", text.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
    }

    [Fact]
    public void A_class_with_both_OnnxNetwork_and_Network_is_one_error()
    {
        byte[] model = Model(13, f => f.Node("Relu", ["y0"], ["y"]));
        GeneratorRun run = GeneratorHarness.RunWithFiles("""
            using NetGen;

            namespace App;

            /// <summary>Two network attributes.</summary>
            [OnnxNetwork("m.onnx")]
            [Network<double>(3)]
            [Dense(2)]
            public partial class Imported;
            """, OnnxFile.AdditionalFile("m.onnx", model));
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("NG0012", diagnostic.Id);
    }
}
