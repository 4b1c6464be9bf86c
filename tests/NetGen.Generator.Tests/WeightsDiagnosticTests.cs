using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Tests.Harness;
using NetGen.TestFixtures;

namespace NetGen.Generator.Tests;

/// <summary>
/// Compile-time weights: [Network(Weights = "w.safetensors")] with the file's base64 copy (what build/NetGen.targets
/// adds) among the additional files. The files are built byte by byte from the safetensors specification (8-byte
/// little-endian header length, the JSON header, then the data) by tests/Shared, whose fixtures SafeTensors.Load is
/// tested on too.
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

    private static readonly float[] Weight0 = SafeTensorsFixtures.Weight0;
    private static readonly float[] Bias0 = SafeTensorsFixtures.Bias0;
    private static readonly float[] Weight2 = SafeTensorsFixtures.Weight2;

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
        Diagnostic diagnostic = AssertWeightsReport("NG0018", ("w.safetensors.b64", Encode(SafeTensorsBytes.File(Encoding.UTF8.GetBytes(header), new byte[24]))));
        Assert.Contains(expected, diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SafeTensorsFixtures.Names), MemberType = typeof(SafeTensorsFixtures))]
    public void NG0019_the_shared_safetensors_fixtures_fit_or_are_refused_as_at_run_time(string name)
    {
        // The files SafeTensors.Load is tested on too (tests/Shared): the same ones fit, the same ones do not, in the
        // same words (the generator counting layers from 1, as its other diagnostics do).
        BindingFixture fixture = SafeTensorsFixtures.Get(name);
        if (fixture.Parameters is { } expected)
        {
            GeneratorRun run = GeneratorHarness.RunWithFiles(Markup.Strip(WeightsNetwork), ("w.safetensors.b64", Encode(fixture.File)));
            Assert.Empty(run.AllDiagnostics());
            using LoadedAssembly assembly = Emitted.Load(Emitted.Image(run.Output));
            Assert.Equal(expected, assembly.Create<INetwork<float>>("Embedded").Parameters.ToArray());
            return;
        }

        Diagnostic diagnostic = AssertWeightsReport(fixture.BuildTimeId!, ("w.safetensors.b64", Encode(fixture.File)));
        if (fixture.ExpectedClause(firstLayer: 1) is { } clause)
        {
            // The runtime's clause word for word, between the message's own opening and its advice.
            Assert.Contains(": " + clause + ";", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NG0018_a_header_nested_100000_deep_is_refused_quickly_naming_the_limit()
    {
        // 100,000 nested lists in __metadata__ once overflowed the compiler's stack: the reader skipped values by
        // recursion. Now it skips them with a stack of its own and refuses more than 64 levels.
        BindingFixture fixture = SafeTensorsFixtures.Get("__metadata__ of 100,000 nested lists");
        Assert.InRange(fixture.File.Length, 200_000, 201_000);
        var watch = Stopwatch.StartNew();

        Diagnostic diagnostic = AssertWeightsReport("NG0018", ("w.safetensors.b64", Encode(fixture.File)));

        Assert.Contains("nested more than 64 levels deep", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{watch.Elapsed.TotalMilliseconds} ms");
    }

    [Theory]
    [InlineData("{\"format\":\"pt\"}")]
    [InlineData("{\"a\":{\"b\":[1, \"x]\", {\"c\":null}], \"d\":true}, \"e\":-1.5e3, \"f\":[]}")]
    [InlineData("[[], {}, [[\"}\"]]]")]
    [InlineData("null")]
    public void Metadata_of_any_JSON_is_skipped(string metadata)
    {
        byte[] file = SafeTensorsBytes.File(
            "{\"__metadata__\": " + metadata + " ,"
                + SafeTensorsBytes.Entry("0.weight", "F32", "[2,3]", 0, 24) + "," + SafeTensorsBytes.Entry("0.bias", "F32", "[2]", 24, 32) + ","
                + SafeTensorsBytes.Entry("2.weight", "F32", "[1,2]", 32, 40) + "}",
            SafeTensorsBytes.F32(SafeTensorsFixtures.Weight0),
            SafeTensorsBytes.F32(SafeTensorsFixtures.Bias0),
            SafeTensorsBytes.F32(SafeTensorsFixtures.Weight2));
        Assert.Empty(GeneratorHarness.RunWithFiles(Markup.Strip(WeightsNetwork), ("w.safetensors.b64", Encode(file))).Diagnostics);
    }

    [Theory]
    [InlineData("[1, 2")]
    [InlineData("{\"a\" 1}")]
    [InlineData("[1 2]")]
    [InlineData("{\"a\":[}")]
    public void NG0018_metadata_that_is_not_JSON(string metadata)
    {
        byte[] file = SafeTensorsBytes.File(
            "{\"__metadata__\":" + metadata + "," + SafeTensorsBytes.Entry("0.weight", "F32", "[2,3]", 0, 24) + "}",
            new byte[24]);
        AssertWeightsReport("NG0018", ("w.safetensors.b64", Encode(file)));
    }

    [Theory]
    [InlineData(64, null)]
    [InlineData(65, "nested more than 64 levels deep")]
    public void Metadata_nested_up_to_64_levels_is_skipped(int depth, string? refusal)
    {
        // Depth counts the header object itself: {"__metadata__": [[...]]} with depth - 1 lists.
        string metadata = new string('[', depth - 1) + new string(']', depth - 1);
        byte[] file = SafeTensorsBytes.File(
            "{\"__metadata__\":" + metadata + ","
                + SafeTensorsBytes.Entry("0.weight", "F32", "[2,3]", 0, 24) + "," + SafeTensorsBytes.Entry("0.bias", "F32", "[2]", 24, 32) + ","
                + SafeTensorsBytes.Entry("2.weight", "F32", "[1,2]", 32, 40) + "}",
            SafeTensorsBytes.F32(SafeTensorsFixtures.Weight0),
            SafeTensorsBytes.F32(SafeTensorsFixtures.Bias0),
            SafeTensorsBytes.F32(SafeTensorsFixtures.Weight2));
        if (refusal is null)
        {
            Assert.Empty(GeneratorHarness.RunWithFiles(Markup.Strip(WeightsNetwork), ("w.safetensors.b64", Encode(file))).Diagnostics);
        }
        else
        {
            Assert.Contains(refusal, AssertWeightsReport("NG0018", ("w.safetensors.b64", Encode(file))).GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
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

    private static byte[] ValidFile(string dtype = "F32") => SafeTensorsFixtures.Get($"fits ({dtype})").File;
}
