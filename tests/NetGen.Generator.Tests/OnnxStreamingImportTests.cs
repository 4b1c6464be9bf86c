using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Tests.Harness;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// [OnnxNetwork("model.onnx")] on streaming models: the fixtures in Fixtures/OnnxStreaming, which
/// make_streaming_fixtures.py exports with torch.onnx.export from seeded torch modules with nn.GRU and nn.LSTM layers
/// and causal convolutions (nn.Conv1d after a Pad of zeros before the first step)
/// (one and two layers, with and without bias, Linear layers before and after, float and double, opsets 9, 13 and 17,
/// fixed and dynamic axes), and a few it builds with onnx.helper for what torch never writes; manifest.json says for
/// each what NetGen must do. A compiled case must be a streaming model whose Topology is the one the script spelled from
/// the torch modules (so the layers found are the ones declared, in order), and whose ForwardSequence from a new state
/// gives torch's outputs for the manifest's sequence; one step at a time it must give the same bits. A refused case
/// gets exactly one NetGen error of the manifest's id on the attribute, whose message contains the manifest's word.
/// </summary>
/// <remarks>
/// The tolerances are those of <see cref="OnnxImportFixtureTests"/> (float: |a - b| &lt;= 1e-5 |b| + 1e-6; double:
/// 1e-9 |b| + 1e-12), which the recurrent cases keep over their 30 steps: a GRU's and an LSTM's gates are sigmoids and
/// tanhs whose slopes are at most 1 and 1/4, so a rounding in one step is not amplified in the next. torch's GRU and LSTM
/// gate orders differ from ONNX's, and a mistake in reordering them moves the outputs by a fair part of their size.
/// </remarks>
public sealed class OnnxStreamingImportTests(ITestOutputHelper output)
{
    private static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "OnnxStreaming");

    private static readonly Lazy<List<StreamingCase>> Cases = new(() =>
    {
        string path = Path.Combine(Directory, "manifest.json");
        Assert.True(File.Exists(path), $"{path} is not there: Fixtures/OnnxStreaming is copied beside the tests by the project file");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        return [.. document.RootElement.GetProperty("cases").EnumerateArray().Select(StreamingCase.Read)];
    });

    public static TheoryData<string> CaseNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (StreamingCase c in Cases.Value)
            {
                data.Add(c.Name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OnnxStreamingImport_fixture(string name)
    {
        StreamingCase c = Cases.Value.Single(k => k.Name == name);
        (string source, TextSpan attribute) = Markup.Parse($$"""
            /// <summary>The streaming ONNX fixture {{c.Name}}.</summary>
            [[|NetGen.OnnxNetwork("{{c.File}}")|]]
            public partial class Case;
            """);
        GeneratorRun run = GeneratorHarness.RunWithFiles(source, ("obj/netgen/" + c.File + ".b64", Convert.ToBase64String(File.ReadAllBytes(Path.Combine(Directory, c.File)))));
        Assert.Null(run.Result.Exception);

        if (c.Expect is { } refusal)
        {
            Assert.True(run.Diagnostics.Length == 1, $"{c.Name} ({c.Note}): expected one {refusal.Id}; NetGen reported {run.Diagnostics.Length}:\n{string.Join("\n", run.Diagnostics)}");
            Diagnostic diagnostic = run.Diagnostics[0];
            string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
            output.WriteLine($"{c.Name}: {diagnostic.Id}: {message}");
            Assert.True(diagnostic.Id == refusal.Id, $"{c.Name} ({c.Note}): expected {refusal.Id}, NetGen reported {diagnostic}");
            Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
            Assert.True(
                message.Replace(c.File, "<file>", StringComparison.Ordinal).Contains(refusal.Contains, StringComparison.OrdinalIgnoreCase),
                $"{c.Name}: the message does not contain '{refusal.Contains}' besides the file's name: {message}");
            Assert.True(attribute.Contains(diagnostic.Location.SourceSpan) && !diagnostic.Location.SourceSpan.IsEmpty, $"{c.Name}: reported at {diagnostic.Location}, not on the attribute");
            Diagnostic[] errors = run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            Assert.True(errors.Length == 0, $"{c.Name}: the stand-in members do not compile:\n{string.Join("\n", errors.Take(10))}");
            return;
        }

        Diagnostic[] all = [.. run.AllDiagnostics()];
        Assert.True(all.Length == 0, $"{c.Name}: expected no diagnostics, got:\n{string.Join("\n", all.Take(10))}");
        using LoadedAssembly assembly = Emitted.Load(Emitted.Image(run.Output));
        if (c.Element == "double")
        {
            Check(c, assembly.Create<ISequenceNetwork<double>>("Case"), v => v, v => v, 1e-9, 1e-12);
        }
        else
        {
            Check(c, assembly.Create<ISequenceNetwork<float>>("Case"), v => (float)v, v => v, 1e-5, 1e-6);
        }
    }

    [Fact]
    public void The_fixtures_cover_both_cells_every_opset_both_types_and_each_refusal()
    {
        // What the theory is taken to test: GRU and LSTM at each opset torch writes differently, causal convolutions, without bias, in two
        // layers, after a Linear, in double, and a refusal of each kind; and every .onnx file beside the manifest is a case.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (StreamingCase c in Cases.Value)
        {
            if (c.Expect is { } refusal)
            {
                seen.Add("refused " + refusal.Contains);
                continue;
            }

            Assert.Equal(c.Steps * c.Inputs, c.X.Length);
            Assert.Equal(c.Steps * c.Outputs, c.Y.Length);
            Assert.True(c.X.Concat(c.Y).All(v => double.IsFinite(v) && (c.Element == "double" || (double)(float)v == v)), $"{c.Name}: a value is not finite or not an exact float");
            foreach (string layer in c.Layers)
            {
                string kind = layer.Split(' ')[1];
                seen.Add($"{kind} opset {c.Opset}");
                seen.Add($"{kind} {c.Element}");
                if (layer.EndsWith(" nobias", StringComparison.Ordinal))
                {
                    seen.Add($"{kind} nobias");
                }
            }

            if (c.Layers.Count(l => l.Contains("GRU", StringComparison.Ordinal) || l.Contains("LSTM", StringComparison.Ordinal)) > 1)
            {
                seen.Add("two recurrent layers");
            }

            if (!c.Layers[0].Contains("GRU", StringComparison.Ordinal) && !c.Layers[0].Contains("LSTM", StringComparison.Ordinal))
            {
                seen.Add("a Dense layer first");
            }
        }

        string[] required =
        [
            .. new[] { "GRU", "LSTM" }.SelectMany(k => new[] { $"{k} opset 9", $"{k} opset 13", $"{k} opset 17", $"{k} double", $"{k} nobias" }),
            "two recurrent layers", "a Dense layer first",
            "CONV1D opset 9", "CONV1D opset 10", "CONV1D nobias",
            "refused causal", "refused pads",
            "refused bidirectional", "refused linear_before_reset", "refused initial", "refused Transpose", "refused peephole", "refused Squeeze",
        ];
        string[] absent = required.Where(r => !seen.Contains(r)).ToArray();
        Assert.True(absent.Length == 0, "not covered: " + string.Join(", ", absent));

        string[] files = System.IO.Directory.GetFiles(RepositoryPaths.Combine("tests/NetGen.Generator.Tests/Fixtures/OnnxStreaming"), "*.onnx").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(Cases.Value.Select(c => c.File).Order(StringComparer.Ordinal), files);
    }

    /// <summary>The Topology, then ForwardSequence against torch, then one Forward a step against ForwardSequence's bits.</summary>
    private void Check<T>(StreamingCase c, ISequenceNetwork<T> network, Func<double, T> from, Func<T, double> to, double relative, double absolute)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        string expected = $"{c.Element} {c.Inputs} | {string.Join(" | ", c.Layers)} | MeanSquaredError";
        Assert.Equal(expected, network.Topology);
        T[] x = c.X.Select(from).ToArray();
        var y = new T[c.Y.Length];
        network.ForwardSequence(x, y, network.CreateState());

        var failures = new List<string>();
        double worst = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double a = to(y[i]), b = c.Y[i], allowed = (relative * Math.Abs(b)) + absolute;
            double ratio = Math.Abs(a - b) / allowed;
            worst = double.IsNaN(ratio) ? double.PositiveInfinity : Math.Max(worst, ratio);
            if (!(ratio <= 1))
            {
                failures.Add($"step {i / c.Outputs}, output {i % c.Outputs}: NetGen {a:R}, torch {b:R} (difference {Math.Abs(a - b):G3}, allowed {allowed:G3})");
            }
        }

        output.WriteLine($"{c.Name}: {c.Steps} steps, worst difference {worst:F3} of the allowance");
        Assert.True(failures.Count == 0, $"{c.Name} ({c.Note}): {failures.Count} of {y.Length} outputs differ from torch's:\n{string.Join("\n", failures.Take(10))}");

        ISequenceState state = network.CreateState();
        var step = new T[c.Outputs];
        for (int t = 0; t < c.Steps; t++)
        {
            network.Forward(x.AsSpan(t * c.Inputs, c.Inputs), step, state);
            Assert.True(step.AsSpan().SequenceEqual(y.AsSpan(t * c.Outputs, c.Outputs)), $"{c.Name}: step {t} one at a time differs from ForwardSequence");
        }
    }

    private readonly record struct Refusal(string Id, string Contains);

    private sealed record StreamingCase(
        string Name, string File, string Element, int Opset, Refusal? Expect, string? Note, string[] Layers, int Inputs, int Outputs, int Steps, double[] X, double[] Y)
    {
        public static StreamingCase Read(JsonElement e)
        {
            Refusal? expect = e.GetProperty("expect").ValueKind == JsonValueKind.Null
                ? null
                : new Refusal(e.GetProperty("expect").GetProperty("id").GetString()!, e.GetProperty("expect").GetProperty("contains").GetString()!);
            bool compiled = expect is null;
            return new StreamingCase(
                e.GetProperty("name").GetString()!,
                e.GetProperty("file").GetString()!,
                e.GetProperty("element").GetString()!,
                e.GetProperty("opset").GetInt32(),
                expect,
                e.TryGetProperty("note", out JsonElement note) && note.ValueKind == JsonValueKind.String ? note.GetString() : null,
                compiled ? [.. e.GetProperty("layers").EnumerateArray().Select(l => l.GetString()!)] : [],
                compiled ? e.GetProperty("inputs").GetInt32() : 0,
                compiled ? e.GetProperty("outputs").GetInt32() : 0,
                compiled ? e.GetProperty("steps").GetInt32() : 0,
                compiled ? [.. e.GetProperty("x").EnumerateArray().Select(v => v.GetDouble())] : [],
                compiled ? [.. e.GetProperty("y").EnumerateArray().Select(v => v.GetDouble())] : []);
        }
    }
}
