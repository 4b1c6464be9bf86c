using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests;

/// <summary>
/// One test (at least) per diagnostic of DiagnosticDescriptors, each naming the exact source text the diagnostic
/// must cover (inside [| |]), and checking that the bad declaration generates nothing and that NetGen's diagnostic
/// is the only error the user sees (never a confusing C# error in generated code).
/// </summary>
public sealed partial class DiagnosticTests
{
    [Fact]
    public void NG0001_a_class_that_is_not_partial()
    {
        Diagnostic diagnostic = AssertReports("NG0001", """
            using NetGen;

            [Network(2)]
            [Dense(1)]
            internal class [|Whole|];
            """);

        Assert.Contains("'Whole'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void NG0002_a_network_without_layers_is_reported_on_the_Network_attribute()
    {
        AssertReports("NG0002", """
            using NetGen;

            [[|Network(2)|]]
            internal partial class Empty;
            """);
    }

    [Theory]
    [InlineData("[|0|]")]
    [InlineData("[|-3|]")]
    [InlineData("[|inputs: 0|]")]
    public void NG0003_fewer_than_one_input_is_reported_on_the_argument(string argument)
    {
        AssertReports("NG0003", $$"""
            using NetGen;

            [Network<double>({{argument}})]
            [Dense(1)]
            internal partial class NoInputs;
            """);
    }

    [Fact]
    public void NG0004_a_layer_without_units_is_reported_on_its_units_argument()
    {
        Diagnostic diagnostic = AssertReports("NG0004", """
            using NetGen;

            [Network(2)]
            [Dense(3, Activation.ReLU)]
            [Dense([|0|], Activation.Tanh)]
            internal partial class NoUnits;
            """);

        Assert.Contains("layer 2", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gru", "")]
    [InlineData("Lstm", "")]
    [InlineData("Conv1D", ", 3")]
    public void NG0004_a_streaming_layer_without_units_is_reported_naming_its_kind(string kind, string more)
    {
        Diagnostic diagnostic = AssertReports("NG0004", $$"""
            using NetGen;

            [Network(1)]
            [{{kind}}([|0|]{{more}})]
            [Dense(1)]
            internal partial class NoUnits;
            """);

        Assert.Contains($"A [{kind}] layer", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Code = CodeShape.Unrolled", "[Gru(4)]\n[Dense(1)]", "straight-line")]
    [InlineData("CheckFinite = true", "[Lstm(4)]\n[Dense(1)]", "CheckFinite")]
    [InlineData("Loss = LossFunction.CrossEntropy", "[Dense(3)]\n[Gru(4)]", "Activation.Softmax")]
    [InlineData("Loss = LossFunction.BinaryCrossEntropy", "[Lstm(4)]", "Activation.Sigmoid")]
    public void NG0022_what_a_streaming_model_cannot_have_is_reported_on_its_argument(string argument, string layers, string says)
    {
        Diagnostic diagnostic = AssertReports("NG0022", $$"""
            using NetGen;

            [Network(2, [|{{argument}}|])]
            {{layers}}
            internal partial class Streaming;
            """);

        Assert.Contains(says, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Conv1D(4, [|0|])]", "kernel size")]
    [InlineData("[Conv1D(4, [|-2|], Activation.Tanh)]", "kernel size")]
    [InlineData("[Conv1D(4, 3, [|Dilation = 0|])]", "dilation")]
    public void NG0023_a_convolution_size_below_one_is_reported_on_its_argument(string layer, string says)
    {
        Diagnostic diagnostic = AssertReports("NG0023", $$"""
            using NetGen;

            [Network(2)]
            {{layer}}
            [Dense(1)]
            internal partial class BadKernel;
            """);

        Assert.Contains(says, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Network(1, [|0|], 28)]", "[Conv2D(4, 3)]", "height")]
    [InlineData("[Network<double>([|-1|], 28, 28)]", "[Conv2D(4, 3)]", "channels")]
    [InlineData("[Network(1, 28, 28)]", "[Conv2D(4, [|0|])]", "kernel size")]
    [InlineData("[Network(1, 28, 28)]", "[Conv2D(4, 3, [|Stride = 0|])]", "stride")]
    [InlineData("[Network(1, 28, 28)]", "[Conv2D(4, 3, Activation.ReLU, [|Padding = -1|])]", "padding")]
    [InlineData("[Network(1, 28, 28)]", "[MaxPool2D([|0|])]", "size")]
    public void NG0030_an_image_size_out_of_range_is_reported_on_its_argument(string network, string layer, string says)
    {
        Diagnostic diagnostic = AssertReports("NG0030", $$"""
            using NetGen;

            {{network}}
            {{layer}}
            [Dense(1)]
            internal partial class BadImage;
            """);

        Assert.Contains(says, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Network(1, 4, 4)]", "[Conv2D(2, [|5|])]", "at most 4")]
    [InlineData("[Network(2, 4, 9)]", "[Conv2D(2, [|7|], Padding = 1)]", "at most 6")]
    [InlineData("[Network(1, 5, 3)]", "[MaxPool2D([|4|])]", "at most 3")]
    public void NG0031_a_window_larger_than_its_input_is_reported_on_its_size(string network, string layer, string says)
    {
        Diagnostic diagnostic = AssertReports("NG0031", $$"""
            using NetGen;

            {{network}}
            {{layer}}
            [Dense(1)]
            internal partial class BigWindow;
            """);

        Assert.Contains(says, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void NG0031_a_window_is_checked_against_the_shape_the_layers_before_make()
    {
        // 6 x 6, a 3x3 kernel: 4 x 4; pooled by 2: 2 x 2, where a second 3x3 kernel does not fit.
        Diagnostic diagnostic = AssertReports("NG0031", """
            using NetGen;

            [Network(1, 6, 6)]
            [Conv2D(4, 3)]
            [MaxPool2D(2)]
            [Conv2D(8, [|3|])]
            [Dense(1)]
            internal partial class Shrinking;
            """);

        Assert.Contains("4 channels of 2x2", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Network(784)]", "[[|Conv2D(8, 3)|]]\n[Dense(10)]", "one number of inputs")]
    [InlineData("[Network(1, 28, 28)]", "[Dense(64)]\n[[|MaxPool2D(2)|]]\n[Dense(10)]", "after a [Dense] layer")]
    [InlineData("[Network(1, 8, 8)]", "[[|Conv2D(2, 3)|]]\n[Gru(3)]\n[Dense(1)]", "streaming model")]
    [InlineData("[Network(1, 8, 8)]", "[Conv2D(2, 3)]\n[[|MaxPool2D(2)|]]", "last layer")]
    public void NG0032_an_image_layer_out_of_place_is_reported_on_it(string network, string layers, string says)
    {
        Diagnostic diagnostic = AssertReports("NG0032", $$"""
            using NetGen;

            {{network}}
            {{layers.Replace("\\n", "\n", StringComparison.Ordinal)}}
            internal partial class Misplaced;
            """);

        Assert.Contains(says, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[[|Network(1, 2000, 2000)|]]", "[Conv2D(1, 1)]", "4000000 values")]
    [InlineData("[[|Network<double>(65536, 65536, 65536)|]]", "[Conv2D(1, 1)]", "NetGen generates at most")]
    [InlineData("[[|Network(1, 100, 100)|]]", "[Conv2D(8, 1)]", "layer 1, a [Conv2D], puts out 8x100x100 = 80000 values")]
    [InlineData("[[|Network(8, 8, 8)|]]", "[Conv2D(2147483647, 2147483647, Padding = 2147483647)]", "values")]
    public void NG0011_an_image_or_a_2D_layer_past_the_limits_is_refused_without_overflow(string network, string layer, string says)
    {
        Diagnostic diagnostic = AssertReports("NG0011", $$"""
            using NetGen;

            {{network}}
            {{layer}}
            [Dense(1)]
            internal partial class Huge;
            """);

        Assert.Contains(says, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void NG0004_and_NG0008_apply_to_Conv2D_as_to_the_other_layers()
    {
        AssertReports("NG0004", """
            using NetGen;

            [Network(1, 8, 8)]
            [Conv2D([|0|], 3)]
            [Dense(1)]
            internal partial class NoMaps;
            """);
        AssertReports("NG0008", """
            using NetGen;

            [Network(1, 8, 8)]
            [Conv2D(3, 2, [|Activation.Softmax|])]
            [Dense(1)]
            internal partial class SoftMaps;
            """);
    }

    [Fact]
    public void NG0008_Softmax_on_a_convolution_is_reported_on_its_activation()
    {
        AssertReports("NG0008", """
            using NetGen;

            [Network(2)]
            [Conv1D(3, 2, [|Activation.Softmax|])]
            [Dense(1)]
            internal partial class SoftConv;
            """);
    }

    [Theory]
    [InlineData(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp10, "10.0")]
    [InlineData(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3, "7.3")]
    public void NG0024_below_CSharp_11_the_network_is_refused_on_its_attribute(Microsoft.CodeAnalysis.CSharp.LanguageVersion version, string shown)
    {
        (string source, TextSpan span) = Markup.Parse("""
            using NetGen;

            [[|Network(2)|]]
            [Dense(1)]
            internal partial class TooOld { }
            """);
        GeneratorRun run = Reliability.GeneratedCodeCompilesTests.Run(source, version);

        Assert.Null(run.Result.Exception);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("NG0024", diagnostic.Id);
        Assert.Contains($"C# {shown}", diagnostic.GetMessage(), StringComparison.Ordinal);
        AssertLocation(diagnostic, "Source0.cs", source, span);
        Assert.Empty(run.Sources);
    }

    // NG0025 to NG0029, [OnnxNetwork]'s: each once here, at its place; every case of each is in Onnx/OnnxRefusalTests.

    /// <summary>A one-layer model: x [batch, 2] -> Gemm (1 unit, torch's layout) -> y, whose operator after the Gemm is <paramref name="activation"/>.</summary>
    private static byte[] OnnxModel(string? activation) =>
        activation is null
            ? new Harness.OnnxFile(13).Input("x", Harness.OnnxFile.Float, null, 2).Initializer("W", [1, 2], new[] { 0.5f, -1f })
                .Node("Gemm", ["x", "W"], ["y"], attributes: ("transB", 1L)).Output("y", Harness.OnnxFile.Float, null, 1).ToArray()
            : new Harness.OnnxFile(13).Input("x", Harness.OnnxFile.Float, null, 2).Initializer("W", [1, 2], new[] { 0.5f, -1f })
                .Node("Gemm", ["x", "W"], ["h"], attributes: ("transB", 1L)).Node(activation, ["h"], ["y"], "act")
                .Output("y", Harness.OnnxFile.Float, null, 1).ToArray();

    private static Diagnostic OnnxDiagnostic(string marked, params (string Path, string Text)[] files)
    {
        (string source, TextSpan span) = Markup.Parse(marked);
        GeneratorRun run = GeneratorHarness.RunWithFiles(source, files);
        Assert.Null(run.Result.Exception);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        AssertLocation(diagnostic, "Source0.cs", source, span);
        Assert.Empty(run.AllDiagnostics().Where(d => d != diagnostic && d.Severity == DiagnosticSeverity.Error));
        return diagnostic;
    }

    [Fact]
    public void NG0025_a_model_not_among_the_additional_files_is_reported_on_the_path()
    {
        Diagnostic diagnostic = OnnxDiagnostic("""
            using NetGen;

            /// <summary>Imported.</summary>
            [OnnxNetwork([|"absent.onnx"|])]
            internal partial class Imported;
            """);
        Assert.Equal("NG0025", diagnostic.Id);
        Assert.Equal("The ONNX model 'absent.onnx' of 'Imported' is not among the compilation's additional files; add <AdditionalFiles Include=\"absent.onnx\" /> to the project", diagnostic.GetMessage());
    }

    [Fact]
    public void NG0026_a_truncated_model_is_reported_on_the_path()
    {
        byte[] model = OnnxModel(null);
        Diagnostic diagnostic = OnnxDiagnostic("""
            using NetGen;

            /// <summary>Imported.</summary>
            [OnnxNetwork([|"m.onnx"|])]
            internal partial class Imported;
            """, Harness.OnnxFile.AdditionalFile("m.onnx", model[..(model.Length / 2)]));
        Assert.Equal("NG0026", diagnostic.Id);
        Assert.Contains("is the file truncated?", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void NG0027_an_operator_without_a_layer_is_reported_on_the_path_naming_node_and_opset()
    {
        Diagnostic diagnostic = OnnxDiagnostic("""
            using NetGen;

            /// <summary>Imported.</summary>
            [OnnxNetwork([|"m.onnx"|])]
            internal partial class Imported;
            """, Harness.OnnxFile.AdditionalFile("m.onnx", OnnxModel("Selu")));
        Assert.Equal("NG0027", diagnostic.Id);
        Assert.Equal("The ONNX model 'm.onnx' of 'Imported' cannot be compiled: node 'act' is the operator Selu (opset 13), which NetGen has no layer or activation for", diagnostic.GetMessage());
    }

    [Fact]
    public void NG0028_a_graph_that_is_no_chain_of_layers_is_reported_on_the_path()
    {
        byte[] model = new Harness.OnnxFile(13).Input("x", Harness.OnnxFile.Float, null, 2).Node("Relu", ["x"], ["y"], "first")
            .Output("y", Harness.OnnxFile.Float, null, 2).ToArray();
        Diagnostic diagnostic = OnnxDiagnostic("""
            using NetGen;

            /// <summary>Imported.</summary>
            [OnnxNetwork([|"m.onnx"|])]
            internal partial class Imported;
            """, Harness.OnnxFile.AdditionalFile("m.onnx", model));
        Assert.Equal("NG0028", diagnostic.Id);
        Assert.Equal("The ONNX model 'm.onnx' of 'Imported' does not map to NetGen layers: node 'first' (Relu) applies an activation to the input itself; NetGen applies an activation to a layer's sums, so it needs a Gemm or MatMul before it", diagnostic.GetMessage());
    }

    [Fact]
    public void NG0029_a_layer_beside_OnnxNetwork_is_reported_on_the_layer()
    {
        Diagnostic diagnostic = OnnxDiagnostic("""
            using NetGen;

            /// <summary>Imported.</summary>
            [OnnxNetwork("m.onnx")]
            [[|Gru(4)|]]
            internal partial class Imported;
            """, Harness.OnnxFile.AdditionalFile("m.onnx", OnnxModel(null)));
        Assert.Equal("NG0029", diagnostic.Id);
        Assert.StartsWith("'Imported' takes its layers from the ONNX model 'm.onnx', so it cannot also declare [Gru] layers", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void NG0005_a_Dense_on_another_partial_declaration_is_reported_where_it_is()
    {
        AssertReports(
            "NG0005",
            """
            using NetGen;

            [Network(2)]
            [Dense(3)]
            internal partial class Split;
            """,
            """
            using NetGen;

            [[|Dense(1)|]]
            internal partial class Split;
            """);
    }

    [Theory]
    [InlineData("int")]
    [InlineData("decimal")]
    [InlineData("System.Half")]
    public void NG0006_an_element_type_other_than_float_or_double_is_reported_on_the_type_argument(string type)
    {
        Diagnostic diagnostic = AssertReports("NG0006", $$"""
            using NetGen;

            [Network<[|{{type}}|]>(2)]
            [Dense(1)]
            internal partial class WrongType;
            """);

        Assert.Contains(type.Replace("System.", string.Empty, StringComparison.Ordinal), diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public int [|Parameters|] => 0;")]
    [InlineData("public void [|Forward|](System.ReadOnlySpan<float> a, System.Span<float> b) { }")]
    [InlineData("private int [|__parameters|];")]
    [InlineData("public class [|Topology|] { }")]
    [InlineData("public float [|Predict|](float a, float b) => a + b;")]
    public void NG0007_a_member_with_a_generated_name_is_reported_on_the_member(string member)
    {
        AssertReports("NG0007", $$"""
            using NetGen;

            [Network(2)]
            [Dense(1)]
            internal partial class Taken
            {
                {{member}}
            }
            """);
    }

    [Theory]
    [InlineData("public int [|CreateState|]() => 0;")]
    [InlineData("public class [|State|] { }")]
    [InlineData("public void [|ForwardSequence|](int a, int b, int c) { }")]
    [InlineData("private float[] [|__record|] = [];")]
    public void NG0007_a_member_with_a_streaming_model_s_generated_name_is_reported_on_the_member(string member)
    {
        AssertReports("NG0007", $$"""
            using NetGen;

            [Network(1)]
            [Gru(2)]
            [Dense(1)]
            internal partial class Taken
            {
                {{member}}
            }
            """);
    }

    [Theory]
    [InlineData("[Network(2)]", "[Dense(2, [|Activation.Softmax|])]\n[Dense(1)]")]
    [InlineData("[Network(2, Loss = LossFunction.MeanSquaredError)]", "[Dense(3, [|Activation.Softmax|])]")]
    [InlineData("[Network(2, [|Loss = LossFunction.CrossEntropy|])]", "[Dense(3, Activation.Sigmoid)]")]
    [InlineData("[Network(2, [|Loss = LossFunction.BinaryCrossEntropy|])]", "[Dense(1, Activation.Tanh)]")]
    public void NG0008_activation_and_loss_that_do_not_go_together(string network, string layers)
    {
        AssertReports("NG0008", $"""
            using NetGen;

            {network}
            {layers}
            internal partial class Mismatched;
            """);
    }

    /// <summary>
    /// NG0016 is the one diagnostic that comes with generated code: without the members, every use of the network
    /// would fail further away. The compiler's own CS0119 then follows in the final compilation. 'Loss' is the old
    /// name of the enum of losses (now LossFunction), so this is what code written for it meets.
    /// </summary>
    [Theory]
    [InlineData("[Network<double>(4, Loss = [|Loss.CrossEntropy|])]", "[Dense(3, Activation.Softmax)]")]
    [InlineData("[Network(2, Loss = [|Loss.BinaryCrossEntropy|])]", "[Dense(1, Activation.Sigmoid)]")]
    [InlineData("[Network(2, Loss = [|Loss.MeanSquaredError|])]", "[Dense(1)]")]
    public void NG0016_Loss_written_without_NetGen_names_the_generated_method(string network, string layers)
    {
        (string source, TextSpan span) = Markup.Parse($"""
            using NetGen;

            {network}
            {layers}
            internal partial class Shadowed;
            """);
        GeneratorRun run = GeneratorHarness.Run(source);

        Assert.Null(run.Result.Exception);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("NG0016", diagnostic.Id);
        AssertLocation(diagnostic, "Source0.cs", source, span);
        Assert.Single(run.Sources);
        Assert.Contains(run.Output.GetDiagnostics(), d => d.Id == "CS0119");

        // Written as the diagnostic says (LossFunction for Loss), it compiles cleanly.
        string written = source[span.Start..span.End];
        Assert.Contains($"write 'LossFunction{written["Loss".Length..]}'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        string fixedSource = source.Replace(written, "LossFunction" + written["Loss".Length..]);
        GeneratorRun fixedRun = GeneratorHarness.Run(fixedSource);
        Assert.Empty(fixedRun.Diagnostics);
        Assert.Empty(fixedRun.Output.GetDiagnostics());
    }

    [Theory]
    [InlineData("internal static partial class [|Static|];")]
    [InlineData("internal partial class [|Generic|]<T>;")]
    [InlineData("file partial class [|FileLocal|];")]
    [InlineData("internal partial class [|Forward|];")]
    public void NG0010_a_declaration_NetGen_cannot_generate(string declaration)
    {
        AssertReports("NG0010", $"""
            using NetGen;

            [Network(2)]
            [Dense(1)]
            {declaration}
            """);
    }

    /// <summary>
    /// A polyfill of a .NET type the generated code calls (kept from netstandard days) would win over the runtime's and
    /// break the generated code with CS0117: NG0010 names it instead, and nothing is generated; without it, all compiles.
    /// </summary>
    [Theory]
    [InlineData("System.Runtime.CompilerServices", "Unsafe", "static class")]
    [InlineData("System.Runtime.InteropServices", "MemoryMarshal", "static class")]
    [InlineData("System.Runtime.CompilerServices", "MethodImplOptions", "enum")]
    public void NG0010_a_polyfill_of_a_runtime_type_the_generated_code_calls_is_named(string ns, string name, string kind)
    {
        string network = """
            using NetGen;

            /// <summary>A network.</summary>
            [Network(2)]
            [Dense(1)]
            public partial class [|Polyfilled|];
            """;
        (string source, TextSpan span) = Markup.Parse(network);
        string polyfill = $"namespace {ns}\n{{\n    internal {kind} {name} {{ }}\n}}\n";
        GeneratorRun run = GeneratorHarness.Run(TestCompilation.Create([("Source0.cs", source), ("Polyfill.cs", polyfill)]));

        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("NG0010", diagnostic.Id);
        Assert.Contains($"declares its own {ns}.{name}", diagnostic.GetMessage(), StringComparison.Ordinal);
        AssertLocation(diagnostic, "Source0.cs", source, span);
        Assert.Empty(run.NetworkSources);

        GeneratorRun without = GeneratorHarness.Run(source);
        Assert.Empty(without.AllDiagnostics());
    }

    [Fact]
    public void NG0010_a_network_nested_in_a_type_that_is_not_partial_names_that_type()
    {
        Diagnostic diagnostic = AssertReports("NG0010", """
            using NetGen;

            internal class Outer
            {
                [Network(2)]
                [Dense(1)]
                internal partial class [|Inner|];
            }
            """);

        Assert.Contains("'Outer'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Inner is generic only through Outer&lt;T&gt;, so Roslyn's IsGenericType is true for it and NetworkParser reports
    /// "generic classes are not supported; declare a non-generic class", about a class that has no type parameter;
    /// its own branch for a generic containing type is never reached.
    /// </summary>
    [Fact]
    public void NG0010_a_network_nested_in_a_generic_type_names_that_type()
    {
        Diagnostic diagnostic = AssertReports("NG0010", """
            using NetGen;

            internal partial class Outer<T>
            {
                [Network(2)]
                [Dense(1)]
                internal partial class [|Inner|];
            }
            """);

        Assert.Contains("'Outer'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Network(2, [|Code = CodeShape.Unrolled|])]", "[Dense(2000)]")]
    [InlineData("[[|Network(2)|]]", "[Dense(20000)]")]
    [InlineData("[[|Network(1048577)|]]", "[Dense(1)]")]
    public void NG0011_a_network_too_large_to_generate(string network, string layers)
    {
        AssertReports("NG0011", $"""
            using NetGen;

            {network}
            {layers}
            internal partial class Huge;
            """);
    }

    [Fact]
    public void NG0011_more_than_26_layers()
    {
        string layers = string.Join("\n", Enumerable.Repeat("[Dense(1)]", 27));
        AssertReports("NG0011", $"""
            using NetGen;

            [[|Network(1)|]]
            {layers}
            internal partial class Deep;
            """);
    }

    [Fact]
    public void NG0012_both_Network_and_Network_of_T_is_reported_once_on_the_class_name()
    {
        AssertReports("NG0012", """
            using NetGen;

            [Network(2)]
            [Network<double>(2)]
            [Dense(1)]
            internal partial class [|Twice|];
            """);
    }

    [Theory]
    [InlineData("[Network(2)]", "[Dense(1, [|(Activation)42|])]")]
    [InlineData("[Network(2)]", "[Dense(1, [|activation: (Activation)(-1)|])]")]
    [InlineData("[Network(2, [|Loss = (LossFunction)9|])]", "[Dense(1)]")]
    [InlineData("[Network(2, [|Code = (CodeShape)7|])]", "[Dense(1)]")]
    public void NG0013_an_undefined_enum_value_is_reported_on_the_argument(string network, string layers)
    {
        AssertReports("NG0013", $"""
            using NetGen;

            {network}
            {layers}
            internal partial class Undefined;
            """);
    }

    [Fact]
    public void NG0014_Dense_without_Network_is_a_warning_once_on_the_first_Dense()
    {
        AssertReports(
            "NG0014",
            """
            using NetGen;

            [[|Dense(2)|]]
            [Dense(3)]
            internal partial class Orphan;
            """,
            """
            using NetGen;

            [Dense(4)]
            internal partial class Orphan;
            """);
    }

    [Fact]
    public void NG0015_an_inherited_member_with_a_generated_name_is_reported_on_the_class_name()
    {
        Diagnostic diagnostic = AssertReports("NG0015", """
            using NetGen;

            internal class Base
            {
                public void ZeroGradients()
                {
                }
            }

            [Network(2)]
            [Dense(1)]
            internal partial class [|Derived|] : Base;
            """);

        Assert.Contains("'Base'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Network(32, [|MaxUnrolledLayerWeights = -1|])]", "-1")]
    [InlineData("[Network(32, [|MaxUnrolledLayerWeights = 769|])]", "769")]
    [InlineData("[Network<double>(32, Code = CodeShape.Loops, [|MaxUnrolledLayerWeights = int.MaxValue|])]", "2147483647")]
    [InlineData("[Network(32, [|MaxUnrolledLayerWeights = int.MinValue|], Code = CodeShape.Unrolled)]", "-2147483648")]
    public void NG0020_a_MaxUnrolledLayerWeights_that_could_never_be_honoured_is_reported_on_the_argument(string network, string value)
    {
        Diagnostic diagnostic = AssertReports("NG0020", $"""
            using NetGen;

            {network}
            [Dense(16)]
            internal partial class Threshold;
            """);

        string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"'Threshold' is {value}", message, StringComparison.Ordinal);
        Assert.Contains("from 0 to 768", message, StringComparison.Ordinal);
        Assert.Contains("use 0 for the planner's measured default of 128", message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A warning, from NetGen's analyzer (so that #pragma applies, as for NG0014), and the network is generated exactly
    /// as without the threshold, which only CodeShape.Auto reads.
    /// </summary>
    [Theory]
    [InlineData("Unrolled")]
    [InlineData("Loops")]
    public void NG0021_MaxUnrolledLayerWeights_beside_Unrolled_or_Loops_is_a_warning_on_the_argument(string code)
    {
        string Declaration(string threshold) => $"""
            using NetGen;

            [Network(16, Code = CodeShape.{code}{threshold})]
            [Dense(16, Activation.ReLU)]
            [Dense(1)]
            internal partial class Forced;
            """;
        (string source, TextSpan span) = Markup.Parse(Declaration(", [|MaxUnrolledLayerWeights = 64|]"));
        GeneratorRun run = GeneratorHarness.Run(source);

        Assert.Null(run.Result.Exception);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("NG0021", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        AssertLocation(diagnostic, "Source0.cs", source, span);
        Assert.Contains($"Code = CodeShape.{code}", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Empty(run.Output.GetDiagnostics());

        GeneratorRun without = GeneratorHarness.Run(Declaration(string.Empty));
        Assert.Empty(without.AllDiagnostics());
        Assert.Equal(without.Source("Forced.g.cs"), run.Source("Forced.g.cs"));
    }

    [Theory]
    [InlineData("Code = CodeShape.Loops, MaxUnrolledLayerWeights = 0")]
    [InlineData("Code = CodeShape.Auto, MaxUnrolledLayerWeights = 64")]
    [InlineData("MaxUnrolledLayerWeights = 768")]
    public void NG0021_is_not_reported_for_the_default_written_out_nor_under_Auto(string arguments)
    {
        GeneratorRun run = GeneratorHarness.Run($"""
            using NetGen;

            [Network(16, {arguments})]
            [Dense(16, Activation.ReLU)]
            [Dense(1)]
            internal partial class Quiet;
            """);

        Assert.Empty(run.AllDiagnostics());
        Assert.Single(run.Sources);
    }

    /// <summary>Adding a descriptor without a test here fails this test.</summary>
    [Fact]
    public void Every_descriptor_has_a_test_and_a_help_link_to_its_section()
    {
        Dictionary<string, DiagnosticDescriptor> descriptors = Descriptors();
        IEnumerable<string> tested = typeof(DiagnosticTests).GetMethods()
            .Select(m => TestedId().Match(m.Name))
            .Where(m => m.Success)
            .Select(m => m.Value)
            .Distinct();

        Assert.Equal(31, descriptors.Count);
        Assert.Equal(descriptors.Keys.Order(), tested.Order());
        Assert.All(descriptors.Values, d =>
        {
            Assert.Equal("https://github.com/netgen-dev/NetGen/blob/main/docs/diagnostics.md#" + d.Id.ToLowerInvariant(), d.HelpLinkUri);
            Assert.Equal(d.Id is "NG0014" or "NG0021" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error, d.DefaultSeverity);
        });
    }

    /// <summary>
    /// A help link ends in #ng0001; GitHub makes that anchor only from a heading that reads exactly "NG0001" (a
    /// heading "NG0001: Title" becomes #ng0001-title) or from an explicit id="ng0001".
    /// </summary>
    [Fact]
    public void Every_help_link_lands_on_a_section_of_docs_diagnostics_md()
    {
        string path = RepositoryPaths.Combine("docs/diagnostics.md");
        Assert.True(File.Exists(path), $"{path} does not exist");
        string[] lines = File.ReadAllLines(path);

        Assert.All(Descriptors().Keys, id => Assert.Contains(lines, line =>
            Regex.IsMatch(line, $"^#+ {id}\\s*$") || line.Contains($"id=\"{id.ToLowerInvariant()}\"", StringComparison.Ordinal)));
    }

    /// <summary>
    /// A declaration NetGen refuses for its values still gets stand-in members (bodies that throw), so the program's
    /// uses of the network compile: the user sees the NetGen error, not also a CS1061 or CS0117 at every use of
    /// Forward, Topology, Parameters, InputCount or Predict elsewhere. The build still fails, on the NetGen error.
    /// </summary>
    [Theory]
    [InlineData("NG0003", "[Network(0)]", "[Dense(1)]")]
    [InlineData("NG0004", "[Network(2)]", "[Dense(0)]")]
    [InlineData("NG0008", "[Network(2, Loss = LossFunction.CrossEntropy)]", "[Dense(3, Activation.Sigmoid)]")]
    [InlineData("NG0011", "[Network(2)]", "[Dense(20000)]\n[Dense(1)]")]
    [InlineData("NG0013", "[Network(2)]", "[Dense(1, (Activation)42)]")]
    [InlineData("NG0020", "[Network(2, MaxUnrolledLayerWeights = -1)]", "[Dense(1)]")]
    public void A_refused_network_used_elsewhere_shows_only_its_NetGen_error(string id, string network, string layers)
    {
        GeneratorRun run = GeneratorHarness.Run($$"""
            using System;
            using NetGen;

            {{network}}
            {{layers}}
            internal partial class Refused;

            internal static class Uses
            {
                public static float Use()
                {
                    var net = new Refused();
                    INetwork<float> shared = net;
                    Span<float> output = stackalloc float[Refused.OutputCount];
                    net.Forward(new float[Refused.InputCount], output);
                    net.TrainStep(new float[Refused.InputCount], output, 0.1f);
                    _ = net.Parameters.Length + Refused.ParameterCount + Refused.Topology.Length + shared.InputCount;
                    return net.Predict(1f, 2f);
                }
            }
            """);

        Assert.Null(run.Result.Exception);
        Assert.Contains(run.Diagnostics, d => d.Id == id && d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(run.NetworkSources);
        GeneratedSourceResult stub = Assert.Single(run.Sources);
        Assert.Contains(GeneratorRun.StubMarker, stub.SourceText.ToString(), StringComparison.Ordinal);

        // Predict(1f, 2f) binds only where the stub can know there is one output and two inputs; elsewhere its own
        // CS1501 or CS1061 is the one compiler error allowed, and it is at the call, not at every use.
        Diagnostic[] compiler = run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.All(compiler, d => Assert.Contains("Predict", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan), StringComparison.Ordinal));
    }

    /// <summary>
    /// The number of arguments each message takes. The parser and the analyzers pass them by position, so rewording
    /// a message must keep their number and order; a message that drops or adds one fails here first.
    /// </summary>
    private static readonly Dictionary<string, int> MessageArguments = new()
    {
        ["NG0001"] = 1,
        ["NG0002"] = 1,
        ["NG0003"] = 2,
        ["NG0004"] = 4,
        ["NG0005"] = 1,
        ["NG0006"] = 1,
        ["NG0007"] = 2,
        ["NG0008"] = 1,
        ["NG0010"] = 2,
        ["NG0011"] = 2,
        ["NG0012"] = 1,
        ["NG0013"] = 3,
        ["NG0014"] = 1,
        ["NG0015"] = 3,
        ["NG0016"] = 3,
        ["NG0017"] = 3,
        ["NG0018"] = 3,
        ["NG0019"] = 3,
        ["NG0020"] = 4,
        ["NG0021"] = 2,
        ["NG0022"] = 2,
        ["NG0023"] = 4,
        ["NG0024"] = 1,
        ["NG0025"] = 3,
        ["NG0026"] = 3,
        ["NG0027"] = 3,
        ["NG0028"] = 3,
        ["NG0029"] = 3,
        ["NG0030"] = 5,
        ["NG0031"] = 6,
        ["NG0032"] = 3,
    };

    /// <summary>
    /// A message a user can act on says something of its own around its arguments (no bare "{0}"), and the IDE's
    /// description of the diagnostic is a sentence or more.
    /// </summary>
    [Fact]
    public void Every_descriptor_has_a_description_and_a_message_that_is_more_than_its_arguments()
    {
        Dictionary<string, DiagnosticDescriptor> descriptors = Descriptors();
        Assert.Equal(MessageArguments.Keys.Order(), descriptors.Keys.Order());
        Assert.All(descriptors.Values, d =>
        {
            string description = d.Description.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(string.IsNullOrWhiteSpace(description), $"{d.Id} has no description");
            Assert.EndsWith(".", description, StringComparison.Ordinal);

            string format = d.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string words = Placeholder().Replace(format, string.Empty);
            Assert.True(words.Count(char.IsLetter) >= 20, $"{d.Id}: the message format '{format}' is little more than its arguments");
            IEnumerable<int> used = Placeholder().Matches(format)
                .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
                .Distinct()
                .Order();
            Assert.Equal(Enumerable.Range(0, MessageArguments[d.Id]), used);
        });
    }

    /// <summary>The table at the top of docs/diagnostics.md and the section headings carry each descriptor's severity and title.</summary>
    [Fact]
    public void Docs_diagnostics_md_gives_each_descriptor_its_title_and_severity()
    {
        string[] lines = File.ReadAllLines(RepositoryPaths.Combine("docs/diagnostics.md"));
        Assert.All(Descriptors().Values, d =>
        {
            string title = d.Title.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string severity = d.DefaultSeverity.ToString().ToLowerInvariant();
            string row = $"| [{d.Id}](#{d.Id.ToLowerInvariant()}) | {severity} | {title} |";
            Assert.Contains(lines, line => line.StartsWith(row, StringComparison.Ordinal));
            Assert.Contains($"## {d.Id}: {title}", lines);
        });
    }

    /// <summary>Every descriptor, read from the generator's internal DiagnosticDescriptors class.</summary>
    internal static Dictionary<string, DiagnosticDescriptor> Descriptors()
    {
        Type type = typeof(NetworkGenerator).Assembly.GetType("NetGen.Generator.Diagnostics.DiagnosticDescriptors", throwOnError: true)!;
        return type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToDictionary(d => d.Id);
    }

    /// <summary>
    /// Runs the generator over the files (Source0.cs, Source1.cs, ...), exactly one of which marks a span, and checks
    /// that the generator reported exactly one diagnostic, with the id, the severity of its descriptor, and exactly
    /// that span; that nothing was generated; and that the compiler reports no error of its own.
    /// </summary>
    private static Diagnostic AssertReports(string id, params string[] markedFiles)
    {
        int marked = Array.FindIndex(markedFiles, Markup.HasSpan);
        Assert.True(marked >= 0, "no file marks the expected span");
        (string source, TextSpan span) = Markup.Parse(markedFiles[marked]);
        GeneratorRun run = GeneratorHarness.Run(markedFiles.Select(Markup.Strip).ToArray());

        Assert.Null(run.Result.Exception);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(Descriptors()[id].DefaultSeverity, diagnostic.Severity);
        AssertLocation(diagnostic, $"Source{marked}.cs", source, span);
        Assert.Empty(run.NetworkSources);
        Assert.DoesNotContain(run.Output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        return diagnostic;
    }

    private static void AssertLocation(Diagnostic diagnostic, string path, string source, TextSpan span)
    {
        FileLinePositionSpan lines = diagnostic.Location.GetLineSpan();
        Assert.Equal(path, lines.Path);

        // The text first: a wrong span then reads as "expected '0', got 'Network(0)'".
        TextSpan actual = diagnostic.Location.SourceSpan;
        Assert.True(actual.End <= source.Length, $"span {actual} is outside the file");
        Assert.Equal(source[span.Start..span.End], source[actual.Start..actual.End]);
        Assert.Equal(span, actual);
        Assert.Equal(SourceText.From(source).Lines.GetLinePositionSpan(span), lines.Span);
    }


    [GeneratedRegex("^NG[0-9]{4}")]
    private static partial Regex TestedId();

    /// <summary>A composite-format placeholder: {0}, {1,5}, {2:N0}.</summary>
    [GeneratedRegex(@"\{([0-9]+)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();
}
