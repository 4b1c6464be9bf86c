using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests;

/// <summary>
/// Compile-time weights: [Network(Weights = "w.safetensors")] with the file's base64 copy (what build/NetGen.targets
/// adds) among the additional files. The files are built byte by byte here from the safetensors specification:
/// 8-byte little-endian header length, the JSON header, then the data.
/// </summary>
public sealed partial class DiagnosticTests
{
    private const string WeightsNetwork = """
        using NetGen;

        /// <summary>3 inputs -> 2 (Tanh) -> 1, biases on the first layer only.</summary>
        [Network(3, [|Weights = "model/w.safetensors"|])]
        [Dense(2, Activation.Tanh)]
        [Dense(1, Bias = false)]
        public partial class Embedded;
        """;

    private static readonly float[] Weight0 = [1.5f, -2, 0.25f, 3, 0.5f, -0.125f];
    private static readonly float[] Bias0 = [0.75f, -1];
    private static readonly float[] Weight2 = [2.5f, -0.5f];

    [Fact]
    public void Embedded_weights_are_the_files_in_parameter_order_and_compile_cleanly()
    {
        GeneratorRun run = GeneratorHarness.RunWithFiles(Markup.Strip(WeightsNetwork), ("obj/netgen/w.safetensors.b64", Encode(ValidFile())));

        Assert.Empty(run.AllDiagnostics());
        string source = run.Source("Embedded.g.cs");
        Assert.Contains("1.5f, -2f, 0.25f, 3f, 0.5f, -0.125f, 0.75f, -1f,", source, StringComparison.Ordinal);
        Assert.Contains("2.5f, -0.5f,", source, StringComparison.Ordinal);

        using LoadedAssembly assembly = Emitted.Load(Emitted.Image(run.Output));
        INetwork<float> net = assembly.Create<INetwork<float>>("Embedded");
        Assert.Equal([.. Weight0, .. Bias0, .. Weight2], net.Parameters.ToArray());
    }

    [Theory]
    [InlineData("F64")]
    [InlineData("F16")]
    [InlineData("BF16")]
    public void Other_dtypes_are_converted(string dtype)
    {
        // Values exact in every dtype: small multiples of powers of two.
        GeneratorRun run = GeneratorHarness.RunWithFiles(Markup.Strip(WeightsNetwork), ("w.safetensors.b64", Encode(ValidFile(dtype))));

        Assert.Empty(run.AllDiagnostics());
        using LoadedAssembly assembly = Emitted.Load(Emitted.Image(run.Output));
        Assert.Equal([.. Weight0, .. Bias0, .. Weight2], assembly.Create<INetwork<float>>("Embedded").Parameters.ToArray());
    }

    [Fact]
    public void NG0017_a_weights_file_that_is_not_an_additional_file()
    {
        Diagnostic diagnostic = AssertWeightsReport("NG0017", ("other.safetensors.b64", Encode(ValidFile())));
        Assert.Contains("<AdditionalFiles Include=\"model/w.safetensors\" />", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("AAAA")]
    public void NG0018_a_weights_file_that_cannot_be_read(string text)
    {
        AssertWeightsReport("NG0018", ("w.safetensors.b64", text));
    }

    [Theory]
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}", "not valid JSON")]
    [InlineData("{\"0.weight\":{\"dtype\":\"I8\",\"shape\":[2,3],\"data_offsets\":[0,6]}}", "dtype I8")]
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,4000]}}", "outside")]
    public void NG0018_names_what_is_wrong_with_the_header(string header, string expected)
    {
        Diagnostic diagnostic = AssertWeightsReport("NG0018", ("w.safetensors.b64", Encode(SafeTensorsFile(header, new byte[24]))));
        Assert.Contains(expected, diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong shape", "tensor '2.weight' has shape [2, 1], but the layer needs [1, 2]")]
    [InlineData("missing bias", "tensor '0.bias' is missing")]
    [InlineData("extra bias", "tensor '2.bias' is a bias, but layer 2 is declared with Bias = false")]
    [InlineData("one layer short", "the file holds 1 layers with parameters")]
    public void NG0019_a_weights_file_that_does_not_fit_the_layers(string name, string expected)
    {
        var tensors = new List<(string Name, int[] Shape, float[] Values)>
        {
            ("0.weight", [2, 3], Weight0), ("0.bias", [2], Bias0), ("2.weight", [1, 2], Weight2),
        };
        switch (name)
        {
            case "wrong shape":
                tensors[2] = ("2.weight", [2, 1], Weight2);
                break;
            case "missing bias":
                tensors.RemoveAt(1);
                break;
            case "extra bias":
                tensors.Add(("2.bias", [1], [1]));
                break;
            default:
                tensors.RemoveAt(2);
                break;
        }

        Diagnostic diagnostic = AssertWeightsReport("NG0019", ("w.safetensors.b64", Encode(F32File(tensors))));
        Assert.Contains(expected, diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private static Diagnostic AssertWeightsReport(string id, (string Path, string Text) file)
    {
        (string source, TextSpan span) = Markup.Parse(WeightsNetwork);
        GeneratorRun run = GeneratorHarness.RunWithFiles(source, file);

        Assert.Null(run.Result.Exception);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        AssertLocation(diagnostic, "Source0.cs", source, span);
        Assert.Empty(run.NetworkSources);
        return diagnostic;
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes);

    private static byte[] ValidFile(string dtype = "F32") => dtype switch
    {
        "F32" => F32File([("0.weight", [2, 3], Weight0), ("0.bias", [2], Bias0), ("2.weight", [1, 2], Weight2)]),
        _ => TypedFile(dtype, [("0.weight", [2, 3], Weight0), ("0.bias", [2], Bias0), ("2.weight", [1, 2], Weight2)]),
    };

    private static byte[] F32File(List<(string Name, int[] Shape, float[] Values)> tensors) => TypedFile("F32", tensors);

    private static byte[] TypedFile(string dtype, List<(string Name, int[] Shape, float[] Values)> tensors)
    {
        var data = new List<byte>();
        var entries = new List<string>();
        foreach ((string name, int[] shape, float[] values) in tensors)
        {
            int begin = data.Count;
            foreach (float v in values)
            {
                data.AddRange(dtype switch
                {
                    "F64" => BitConverter.GetBytes((double)v),
                    "F16" => BitConverter.GetBytes(BitConverter.HalfToUInt16Bits((Half)v)),
                    "BF16" => BitConverter.GetBytes((ushort)(BitConverter.SingleToUInt32Bits(v) >> 16)),
                    _ => BitConverter.GetBytes(v),
                });
            }

            entries.Add($"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{data.Count}]}}");
        }

        return SafeTensorsFile("{\"__metadata__\":{\"format\":\"pt\"}," + string.Join(",", entries) + "}", [.. data]);
    }

    private static byte[] SafeTensorsFile(string header, byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        return [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. data];
    }
}
