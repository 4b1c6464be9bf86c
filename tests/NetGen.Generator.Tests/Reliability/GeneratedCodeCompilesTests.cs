using System;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests.Reliability;

/// <summary>
/// Legal C# that once made the generated code fail to compile with no NetGen diagnostic (a red team's findings):
/// each declaration here must either compile, generated code and all, with no warning or error, or be refused with a
/// NetGen diagnostic that says why.
/// </summary>
public sealed class GeneratedCodeCompilesTests
{
    /// <summary>An F64 safetensors file of one tensor, from the published format.</summary>
    private static byte[] F64(string name, int[] shape, double[] values)
    {
        var data = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(i * 8), values[i]);
        }

        byte[] header = Encoding.UTF8.GetBytes($"{{\"{name}\":{{\"dtype\":\"F64\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[0,{data.Length}]}}}}");
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    internal static GeneratorRun Run(string source, LanguageVersion version = LanguageVersion.CSharp12, params (string Path, string Text)[] files)
    {
        CSharpParseOptions options = TestCompilation.ParseOptions.WithLanguageVersion(version);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            additionalTexts: files.Select(f => (AdditionalText)new AdditionalTextFile(f.Path, f.Text)),
            parseOptions: options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        CSharpCompilation compilation = CSharpCompilation.Create(
            "NetGenUser",
            [CSharpSyntaxTree.ParseText(source, options, "Source0.cs", Encoding.UTF8)],
            TestCompilation.References,
            TestCompilation.Options.WithWarningLevel(9999)); // every warning wave, as a new SDK project reports them
        return GeneratorHarness.Run(compilation, driver);
    }

    /// <summary>The program compiles, generated code included, with no warning or error at all, and one network was generated.</summary>
    private static void AssertCompilesCleanly(GeneratorRun run)
    {
        Assert.Null(run.Result.Exception);
        ImmutableArray<Diagnostic> all = run.AllDiagnostics();
        Assert.True(all.IsEmpty, string.Join("\n", all));
        Assert.Single(run.NetworkSources);
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(-1e300)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void A_double_weight_beyond_float_in_a_float_network_compiles_as_the_runtime_would_convert_it(double weight)
    {
        GeneratorRun run = Run("""
            using NetGen;

            [Network(1, Weights = "w.safetensors")]
            [Dense(1, Bias = false)]
            internal partial class Huge;
            """, LanguageVersion.CSharp12, SafeTensorsFile.AdditionalFile("w.safetensors", F64("0.weight", [1, 1], [weight])));

        AssertCompilesCleanly(run);
        string expected = double.IsNaN(weight) ? "float.NaN" : weight > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity";
        Assert.Contains(expected + ",", run.NetworkSources[0].SourceText.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("w\u2028.safetensors")]
    [InlineData("w\n.safetensors")]
    [InlineData("w\r\n<b>&.safetensors")]
    public void A_weights_file_name_with_a_line_break_or_markup_stays_inside_its_comments(string name)
    {
        string escaped = name.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\u2028", "\\u2028", StringComparison.Ordinal);
        GeneratorRun run = Run($$"""
            using NetGen;

            [Network(1, Weights = "{{escaped}}")]
            [Dense(1, Bias = false)]
            internal partial class OddName;
            """, LanguageVersion.CSharp12, SafeTensorsFile.AdditionalFile(name, F64("0.weight", [1, 1], [0.5])));

        AssertCompilesCleanly(run);
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp11, "[Network(3, Weights = \"w.safetensors\")]\n[Dense(1, Bias = false)]")]
    [InlineData(LanguageVersion.CSharp11, "[Network(2)]\n[Dense(3, Activation.ReLU)]\n[Dense(1)]")]
    [InlineData(LanguageVersion.CSharp11, "[Network(64, Code = CodeShape.Loops)]\n[Dense(32, Activation.ReLU)]\n[Dense(10)]")]
    [InlineData(LanguageVersion.CSharp11, "[Network(1)]\n[Gru(3)]\n[Conv1D(2, 3, Dilation = 2)]\n[Dense(1)]")]
    public void The_generated_code_compiles_under_CSharp_11(LanguageVersion version, string attributes)
    {
        GeneratorRun run = Run($$"""
            using NetGen;

            {{attributes}}
            internal partial class Older { }
            """, version, SafeTensorsFile.AdditionalFile("w.safetensors", F64("0.weight", [1, 3], [0.5, -1, 2])));

        AssertCompilesCleanly(run);
    }

    [Theory]
    [InlineData("[Dense(1)]")]
    [InlineData("[Gru(2)]\n[Dense(1)]")]
    public void A_lower_case_class_name_whose_warning_the_user_suppressed_gets_no_warning_from_generated_code(string layers)
    {
        GeneratorRun run = Run($$"""
            using NetGen;

            #pragma warning disable CS8981 // a lower-case type name, on purpose
            [Network(2)]
            {{layers}}
            internal partial class seednet;
            #pragma warning restore CS8981
            """);

        AssertCompilesCleanly(run);
    }

    [Theory]
    [InlineData("[Dense(1)]")]
    [InlineData("[Gru(2)]\n[Dense(1)]")]
    public void A_method_named_nameof_in_the_class_does_not_capture_the_generated_code_s_nameof(string layers)
    {
        GeneratorRun run = Run($$"""
            using NetGen;

            [Network(2)]
            {{layers}}
            internal partial class Named
            {
                public static int nameof(object value) => 0;
            }
            """);

        AssertCompilesCleanly(run);
    }

    [Theory]
    [InlineData("Guard")]
    [InlineData("Kernels")]
    [InlineData("Activations")]
    [InlineData("Initializers")]
    public void A_network_that_would_hide_one_of_NetGen_s_own_types_is_refused_with_NG0010(string name)
    {
        GeneratorRun run = Run($$"""
            namespace NetGen;

            [Network(2)]
            [Dense(1)]
            internal partial class {{name}};
            """);

        Assert.Null(run.Result.Exception);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("NG0010", diagnostic.Id);
        Assert.Contains($"NetGen.{name}", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(run.Sources);
    }
}
