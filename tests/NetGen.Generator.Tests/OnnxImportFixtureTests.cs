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
/// [OnnxNetwork("model.onnx")] on real ONNX files: the fixtures in Fixtures/Onnx (make_fixtures.py beside them exports
/// seeded torch nn.Sequential MLPs with torch.onnx.export and copies the ONNX project's own backend test cases from
/// libonnx-testdata), and manifest.json, which says for each file what NetGen must do: compile it, and then give the
/// outputs torch (or ONNX's reference) gave for five inputs, or refuse it with one diagnostic of a given id whose
/// message contains a given word. The tests need no Python and no protobuf reader of their own: the expected values
/// are numbers in the manifest, computed by torch, not by anything NetGen shares.
/// </summary>
/// <remarks>
/// <para><b>Float.</b> A float case's expected outputs are torch's float32 results for inputs that are exact floats,
/// with the weights the file holds, so NetGen's float network computes the same function and differs by rounding
/// only: its own orders of summation, and its own exp / erf / tanh. An output a is compared with torch's b as
/// <c>|a - b| &lt;= 1e-5 |b| + 1e-6</c>. The relative part is some 170 float ulps (u = 2^-24 = 6e-8); the absolute
/// part is there for outputs near 0: such a value is a sum of terms of size about 1 (inputs ~ N(0, 1), weights of
/// nn.Linear's size 1/sqrt(fan-in)) that cancel, and the rounding of that sum, up to a few times n u for n &lt;= 32
/// terms, is absolute, not relative to the small result. The script measures torch in float32 against the same network
/// in float64 and prints the worst |f - d| over this allowance: 0.05, so the rule leaves some 20 times what float
/// rounding was seen to do, and a real mistake (a weight transposed, a bias dropped, the wrong activation or slope)
/// moves outputs by a fair part of their size, 1e-2 at the least.</para>
/// <para><b>Double.</b> torch's float64 results, compared as <c>|a - b| &lt;= 1e-9 |b| + 1e-12</c>: double rounding
/// is u = 1.1e-16 a term, so 1e-9 is 10^7 ulps, and the floor is again for outputs that cancel to near 0 (terms of size
/// 1 round by about 1e-15 each).</para>
/// <para><b>Refused.</b> Exactly one NetGen diagnostic, of the manifest's id, an error, on the [OnnxNetwork] attribute
/// (its span within the attribute's), whose message contains the manifest's word (compared ignoring case: the word
/// is an operator's or a type's name, which messages may spell as ONNX does or in lower case); and the output
/// compilation has no error, because NetGen emits stand-in members for a class it refused. Where the rules the
/// fixtures were written from do not settle an expectation (ok or which id, or the word), the manifest says so in
/// the case's "guess", which a failure message shows.</para>
/// </remarks>
public sealed class OnnxImportFixtureTests(ITestOutputHelper output)
{
    private const double FloatRelative = 1e-5;
    private const double FloatAbsolute = 1e-6;
    private const double DoubleRelative = 1e-9;
    private const double DoubleAbsolute = 1e-12;

    /// <summary>Where the build copies the fixtures (the .onnx files and manifest.json) beside the test assembly.</summary>
    private static string OutputDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Onnx");

    /// <summary>The fixtures in the source tree, where make_fixtures.py writes them.</summary>
    private static string SourceDirectory => RepositoryPaths.Combine("tests/NetGen.Generator.Tests/Fixtures/Onnx");

    private static readonly Lazy<Manifest> Loaded = new(() => Manifest.Read(Path.Combine(OutputDirectory, "manifest.json")));

    public static TheoryData<string> CaseNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (OnnxCase c in Loaded.Value.Cases)
            {
                data.Add(c.Name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OnnxImport_fixture(string name)
    {
        OnnxCase c = Loaded.Value.Get(name);
        (string source, TextSpan attribute) = Markup.Parse(Declaration(c));
        GeneratorRun run = GeneratorHarness.RunWithFiles(source, AdditionalFile(c.File));
        Assert.Null(run.Result.Exception);
        string context = c.Guess is null ? c.Describe() : $"{c.Describe()}\n(an expectation the rules do not settle: {c.Guess})";

        if (c.Expect is null)
        {
            AssertNoDiagnostics(run.AllDiagnostics(), context);
            using LoadedAssembly assembly = Emitted.Load(Emitted.Image(run.Output));
            if (c.Element == "double")
            {
                Compare(c, assembly.Create<INetwork<double>>("Case"), v => v, v => v, DoubleRelative, DoubleAbsolute);
            }
            else
            {
                Compare(c, assembly.Create<INetwork<float>>("Case"), v => (float)v, v => v, FloatRelative, FloatAbsolute);
            }

            return;
        }

        Assert.True(run.Diagnostics.Length == 1, $"{context}\nexpected one {c.Expect.Value.Id}; NetGen reported {run.Diagnostics.Length}:\n{string.Join("\n", run.Diagnostics)}");
        Diagnostic diagnostic = run.Diagnostics[0];
        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        Assert.True(diagnostic.Id == c.Expect.Value.Id, $"{context}\nexpected {c.Expect.Value.Id}, NetGen reported {diagnostic}");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        // The word must be in what the message says, not in the file's name it quotes (test_ELU/model.onnx holds "Elu").
        Assert.True(
            message.Replace(c.File, "<file>", StringComparison.Ordinal).Contains(c.Expect.Value.Contains, StringComparison.OrdinalIgnoreCase),
            $"{context}\nthe message does not contain '{c.Expect.Value.Contains}' besides the file's name: {message}");
        Assert.True(diagnostic.Location.IsInSource && diagnostic.Location.SourceTree!.FilePath == "Source0.cs", $"{context}\nreported at {diagnostic.Location}");
        Assert.True(
            attribute.Contains(diagnostic.Location.SourceSpan) && !diagnostic.Location.SourceSpan.IsEmpty,
            $"{context}\nreported at {diagnostic.Location.SourceSpan} ('{source[diagnostic.Location.SourceSpan.Start..diagnostic.Location.SourceSpan.End]}'), not on the attribute {attribute}");

        // The stand-in members NetGen writes for a refused class compile: the one error is NetGen's.
        Diagnostic[] errors = run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, $"{context}\nthe output compilation has errors:\n{string.Join("\n", errors.Take(10))}");
        output.WriteLine($"{c.Name}: {diagnostic.Id}: {message}");
    }

    [Fact]
    public void Every_fixture_file_is_in_the_manifest_and_every_listed_file_exists()
    {
        // Nothing make_fixtures.py writes or copies lies unused: each file is a case's model or part of a case's
        // provenance (the libonnx-testdata .pb tensors the manifest's numbers were converted from).
        Manifest manifest = Manifest.Read(Path.Combine(SourceDirectory, "manifest.json"));
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (OnnxCase c in manifest.Cases)
        {
            Assert.True(listed.Add(c.File), $"{c.File} is listed twice as a model");
            foreach (string p in c.Provenance)
            {
                listed.Add(p);
            }
        }

        string[] own = ["make_fixtures.py", "manifest.json", "README.md"];
        string[] files = Directory.GetFiles(SourceDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(SourceDirectory, f).Replace('\\', '/'))
            .Where(f => !own.Contains(f) && !f.Contains("__pycache__", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray();
        string[] unlisted = files.Where(f => !listed.Contains(f)).ToArray();
        string[] missing = listed.Where(f => !File.Exists(Path.Combine(SourceDirectory, f))).ToArray();
        Assert.True(unlisted.Length == 0, "files the manifest does not list: " + string.Join(", ", unlisted));
        Assert.True(missing.Length == 0, "files the manifest lists that are not there: " + string.Join(", ", missing));

        // And the build copies every model beside the tests, where the theory reads it.
        string[] notCopied = manifest.Cases.Where(c => !File.Exists(Path.Combine(OutputDirectory, c.File))).Select(c => c.File).ToArray();
        Assert.True(notCopied.Length == 0, "not copied to the output directory: " + string.Join(", ", notCopied));
        output.WriteLine($"{files.Length} files, {manifest.Cases.Count} cases");
    }

    [Fact]
    public void The_manifest_covers_every_activation_opset_and_element_type()
    {
        // What the fixtures hold must be what the theory is taken to test: every activation NetGen maps at each opset
        // torch writes differently (9, 13, 17), with and without bias, in float and double; and refusals of each kind.
        Manifest manifest = Loaded.Value;
        Assert.Equal(manifest.Cases.Count, manifest.Cases.Select(c => c.Name).Distinct().Count());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (OnnxCase c in manifest.Cases)
        {
            if (c.Expect is { } refused)
            {
                Assert.Matches("^NG002[5-9]$", refused.Id);
                Assert.False(string.IsNullOrWhiteSpace(refused.Contains));
                seen.Add("refused " + refused.Id);
                continue;
            }

            Assert.True(c.Inputs.Length == manifest.Samples || c.Source != "torch", $"{c.Name}: {c.Inputs.Length} samples");
            Assert.Equal(c.Inputs.Length, c.Outputs.Length);
            Assert.True(c.Inputs.Length > 0, $"{c.Name}: no samples");
            Assert.True(c.Inputs.All(x => x.Length == c.Inputs[0].Length) && c.Outputs.All(y => y.Length == c.Outputs[0].Length), $"{c.Name}: ragged samples");
            foreach (double v in c.Inputs.Concat(c.Outputs).SelectMany(x => x))
            {
                Assert.True(double.IsFinite(v) && (c.Element == "double" || (double)(float)v == v), $"{c.Name}: {v:R} is not an exact float");
            }

            if (c.Layers is { } layers)
            {
                Assert.Equal(layers.Inputs, c.Inputs[0].Length);
                Assert.Equal(layers.Dense[^1].Units, c.Outputs[0].Length);
                Assert.Equal(layers.Dense[^1].Activation == "Softmax", c.Loss == "CrossEntropy");
                foreach (DenseLayer d in layers.Dense)
                {
                    seen.Add($"{d.Activation} {c.Element} opset {c.Opset}");
                    seen.Add($"{d.Activation} {c.Element}");
                    seen.Add(d.Bias ? "bias" : "no bias");
                }
            }
        }

        string[] activations = ["Identity", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax", "ELU", "GELU", "SiLU", "Softplus"];
        string[] required =
        [
            .. activations.SelectMany(a => new[] { 9, 13, 17 }.Select(o => $"{a} float opset {o}")),
            .. activations.Select(a => $"{a} double"),
            "bias", "no bias", "refused NG0027", "refused NG0028",
        ];
        string[] absent = required.Where(r => !seen.Contains(r)).ToArray();
        Assert.True(absent.Length == 0, "not covered: " + string.Join(", ", absent));
        output.WriteLine($"{manifest.Cases.Count} cases: {manifest.Cases.Count(c => c.Expect is null)} ok, {manifest.Cases.Count(c => c.Expect is not null)} refused");
    }

    /// <summary>The float fixtures whose manifest entry holds the weights too (make_fixtures.py's COMPARED).</summary>
    public static TheoryData<string> ComparedNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (OnnxCase c in Loaded.Value.Cases.Where(c => c.Layers?.Weights is not null))
            {
                data.Add(c.Name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ComparedNames))]
    public void An_imported_model_generates_the_code_of_its_attribute_declaration(string name)
    {
        // The contract: [OnnxNetwork] writes exactly what the equivalent attribute declaration would. Here that is
        // [Network(inputs, Weights = ...)] with one [Dense] per layer, and the same weights (torch's, as float) given
        // through a .safetensors file, in the same class: the two runs generate the same files, line for line, but for
        // the two doc comments that name the file the parameters were read from (on the class's parameters and on the
        // member that resets them: "The N parameters read from case.safetensors at build time..."), which name the
        // .onnx file instead. That is all that was found to differ when the import landed, and all that may.
        OnnxCase c = Loaded.Value.Get(name);
        LayerList layers = c.Layers!;
        Assert.Equal("float", c.Element);

        GeneratorRun imported = GeneratorHarness.RunWithFiles(Markup.Strip(Declaration(c)), AdditionalFile(c.File));
        GeneratorRun declared = GeneratorHarness.RunWithFiles(
            AttributeDeclaration(c),
            SafeTensorsFile.AdditionalFile("case.safetensors", SafeTensorsFile.F32([.. layers.Weights!.Select(t => (t.Name, t.Shape, t.Values.Select(v => (float)v).ToArray()))])));
        Assert.Empty(declared.AllDiagnostics());

        // First the fixture itself: the attribute-declared network, which owes nothing to the import, gives torch's
        // outputs within the theory's tolerance (so the manifest's weights, layers and numbers are right).
        using (LoadedAssembly assembly = Emitted.Load(Emitted.Image(declared.Output)))
        {
            Compare(c, assembly.Create<INetwork<float>>("Case"), v => (float)v, v => v, FloatRelative, FloatAbsolute);
        }

        AssertNoDiagnostics(imported.AllDiagnostics(), c.Describe());

        string[] importedFiles = imported.Sources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal).ToArray();
        string[] declaredFiles = declared.Sources.Select(s => s.HintName).OrderBy(h => h, StringComparer.Ordinal).ToArray();
        Assert.Equal(declaredFiles, importedFiles);
        foreach (string hint in declaredFiles)
        {
            string[] a = Lines(imported.Source(hint)), b = Lines(declared.Source(hint));
            int namingTheFile = b.Count(line => line.Contains(" read from case.safetensors at build time", StringComparison.Ordinal));
            Assert.Equal(2, namingTheFile);

            // With the file's name in those lines made the same, nothing differs.
            string[] renamed = [.. b.Select(line => line.Replace(" read from case.safetensors at build time", $" read from {c.File} at build time", StringComparison.Ordinal))];
            List<string> differences = Differences(a, renamed);
            Assert.True(differences.Count == 0, $"{c.Name}: {hint} differs from the attribute declaration's in {differences.Count} places besides the file's name:\n{string.Join("\n", differences.Take(20))}");
            Assert.Equal(namingTheFile, Differences(a, b).Count);
            output.WriteLine($"{c.Name}: {hint}: {a.Length} lines, the same but for the {namingTheFile} doc comments naming the file");
        }
    }

    [Fact]
    public void NG0025_a_model_that_is_not_an_additional_file()
    {
        (string source, TextSpan attribute) = Markup.Parse("""
            /// <summary>A model the project does not list.</summary>
            [[|NetGen.OnnxNetwork("missing.onnx")|]]
            public partial class Case;
            """);
        Diagnostic diagnostic = AssertOneError(GeneratorHarness.RunWithFiles(source, AdditionalFile("deep_o9_1x1x1x1_b1.onnx")), "NG0025", source, attribute);
        Assert.Contains("missing.onnx", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("half")]
    [InlineData("not base64")]
    [InlineData("empty")]
    public void NG0026_a_model_that_cannot_be_read(string how)
    {
        // A file cut in half (a truncated download), text that is not the build targets' base64, and an empty file.
        byte[] bytes = File.ReadAllBytes(Path.Combine(OutputDirectory, "deep_o9_1x1x1x1_b1.onnx"));
        string text = how switch
        {
            "half" => Convert.ToBase64String(bytes, 0, bytes.Length / 2),
            "not base64" => "this is not base64!",
            _ => string.Empty,
        };
        (string source, TextSpan attribute) = Markup.Parse("""
            /// <summary>A model that cannot be read.</summary>
            [[|NetGen.OnnxNetwork("broken.onnx")|]]
            public partial class Case;
            """);
        AssertOneError(GeneratorHarness.RunWithFiles(source, ("obj/netgen/broken.onnx.b64", text)), "NG0026", source, attribute);
    }

    private static Diagnostic AssertOneError(GeneratorRun run, string id, string source, TextSpan attribute)
    {
        Assert.Null(run.Result.Exception);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.True(attribute.Contains(diagnostic.Location.SourceSpan), $"reported at {diagnostic.Location.SourceSpan} ('{source[diagnostic.Location.SourceSpan.Start..diagnostic.Location.SourceSpan.End]}'), not on the attribute {attribute}");
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return diagnostic;
    }

    /// <summary>The user's declaration of the case, with the span of its attribute marked.</summary>
    private static string Declaration(OnnxCase c) =>
        $$"""
        /// <summary>The ONNX fixture {{c.Name}}.</summary>
        [[|NetGen.OnnxNetwork("{{c.File}}"{{(c.Loss is null ? string.Empty : ", Loss = NetGen.LossFunction." + c.Loss)}})|]]
        public partial class Case;
        """;

    /// <summary>The same network declared with attributes, its weights from case.safetensors.</summary>
    private static string AttributeDeclaration(OnnxCase c)
    {
        LayerList layers = c.Layers!;
        string loss = c.Loss is null ? string.Empty : ", Loss = NetGen.LossFunction." + c.Loss;
        IEnumerable<string> dense = layers.Dense.Select(d =>
            $"[NetGen.Dense({d.Units}{(d.Activation == "Identity" ? string.Empty : ", NetGen.Activation." + d.Activation)}{(d.Bias ? string.Empty : ", Bias = false")})]");
        return $"""
            /// <summary>The ONNX fixture {c.Name}.</summary>
            [NetGen.Network({layers.Inputs}, Weights = "case.safetensors"{loss})]
            {string.Join("\n", dense)}
            public partial class Case;
            """;
    }

    /// <summary>The additional file the generator sees for a model: its base64 copy, as build/NetGen.targets writes it (obj/netgen/name.b64).</summary>
    private static (string Path, string Text) AdditionalFile(string file) =>
        ("obj/netgen/" + Path.GetFileName(file) + ".b64", Convert.ToBase64String(File.ReadAllBytes(Path.Combine(OutputDirectory, file))));

    private static void AssertNoDiagnostics(IEnumerable<Diagnostic> diagnostics, string context)
    {
        Diagnostic[] all = diagnostics.ToArray();
        Assert.True(all.Length == 0, $"{context}\nexpected no diagnostics, got {all.Length}:\n{string.Join("\n", all.Take(10).Select(d => d.ToString()))}");
    }

    /// <summary>Forward on each sample, every output within |a - b| &lt;= relative |b| + absolute of torch's b (see the remarks).</summary>
    private void Compare<T>(OnnxCase c, INetwork<T> network, Func<double, T> from, Func<T, double> to, double relative, double absolute)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Assert.True(network.InputCount == c.Inputs[0].Length && network.OutputCount == c.Outputs[0].Length,
            $"{c.Describe()}: {network.InputCount} inputs and {network.OutputCount} outputs; the model has {c.Inputs[0].Length} and {c.Outputs[0].Length}");
        var failures = new List<string>();
        double worst = 0;
        for (int s = 0; s < c.Inputs.Length; s++)
        {
            T[] x = c.Inputs[s].Select(from).ToArray();
            var y = new T[c.Outputs[s].Length];
            network.Forward(x, y);
            for (int k = 0; k < y.Length; k++)
            {
                double a = to(y[k]), b = c.Outputs[s][k], allowed = (relative * Math.Abs(b)) + absolute;
                double ratio = Math.Abs(a - b) / allowed;
                worst = double.IsNaN(ratio) ? double.PositiveInfinity : Math.Max(worst, ratio);
                if (!(ratio <= 1))
                {
                    failures.Add($"sample {s}, output {k}: NetGen {a:R}, expected {b:R} (difference {Math.Abs(a - b):G3}, allowed {allowed:G3})");
                }
            }
        }

        output.WriteLine($"{c.Name}: {c.Inputs.Length} samples, worst |a - b| over its allowance {worst:G3}");
        Assert.True(failures.Count == 0, $"{c.Describe()}\n{failures.Count} outputs out of tolerance:\n{string.Join("\n", failures.Take(10))}");
    }

    private static string[] Lines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    /// <summary>The lines where two texts of the same number of lines differ, or their difference in length.</summary>
    private static List<string> Differences(string[] imported, string[] declared)
    {
        var differences = new List<string>();
        for (int i = 0; i < Math.Min(imported.Length, declared.Length); i++)
        {
            if (!string.Equals(imported[i], declared[i], StringComparison.Ordinal))
            {
                differences.Add($"line {i + 1}:\n  imported: {imported[i]}\n  declared: {declared[i]}");
            }
        }

        if (imported.Length != declared.Length)
        {
            differences.Add($"{imported.Length} lines imported, {declared.Length} declared");
        }

        return differences;
    }

    /// <summary>manifest.json: its cases, and the number of samples a torch case has.</summary>
    private sealed class Manifest(List<OnnxCase> cases, int samples)
    {
        public List<OnnxCase> Cases { get; } = cases;

        public int Samples { get; } = samples;

        public OnnxCase Get(string name) => Cases.Single(c => c.Name == name);

        public static Manifest Read(string path)
        {
            Assert.True(File.Exists(path), $"{path} is not there: Fixtures/Onnx/*.onnx and manifest.json are copied beside the tests by the project file");
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = document.RootElement;
            return new Manifest([.. root.GetProperty("cases").EnumerateArray().Select(OnnxCase.Read)], root.GetProperty("samples").GetInt32());
        }
    }

    /// <summary>The diagnostic a refused case must get, and a word its message must contain.</summary>
    private readonly record struct Refusal(string Id, string Contains);

    private sealed record DenseLayer(int Units, string Activation, bool Bias);

    private sealed record Tensor(string Name, int[] Shape, double[] Values);

    private sealed record LayerList(int Inputs, DenseLayer[] Dense, Tensor[]? Weights);

    /// <summary>One case of the manifest; Expect is null for a model NetGen must compile.</summary>
    private sealed record OnnxCase(
        string Name,
        string File,
        string Element,
        string? Loss,
        Refusal? Expect,
        string Source,
        string? Note,
        string? Guess,
        string[] Provenance,
        double[][] Inputs,
        double[][] Outputs,
        LayerList? Layers)
    {
        /// <summary>The opset in a torch case's name (..._o13_...), or 0.</summary>
        public int Opset
        {
            get
            {
                string? part = Name.Split('_').FirstOrDefault(p => p.Length > 1 && p[0] == 'o' && p[1..].All(char.IsAsciiDigit));
                return part is null ? 0 : int.Parse(part[1..], CultureInfo.InvariantCulture);
            }
        }

        public string Describe() => $"{Name} ({File}, {Element}, {Source}){(Note is null ? string.Empty : ": " + Note)}";

        public static OnnxCase Read(JsonElement e)
        {
            JsonElement expect = e.GetProperty("expect");
            Refusal? refusal = expect.ValueKind == JsonValueKind.String
                ? (expect.GetString() == "ok" ? null : throw new InvalidDataException($"expect {expect}"))
                : new Refusal(expect.GetProperty("id").GetString()!, expect.GetProperty("contains").GetString()!);
            LayerList? layers = null;
            if (e.TryGetProperty("layers", out JsonElement l))
            {
                layers = new LayerList(
                    l.GetProperty("inputs").GetInt32(),
                    [.. l.GetProperty("dense").EnumerateArray().Select(d => new DenseLayer(d.GetProperty("units").GetInt32(), d.GetProperty("activation").GetString()!, d.GetProperty("bias").GetBoolean()))],
                    l.TryGetProperty("weights", out JsonElement w)
                        ? [.. w.EnumerateArray().Select(t => new Tensor(t.GetProperty("name").GetString()!, [.. t.GetProperty("shape").EnumerateArray().Select(n => n.GetInt32())], Numbers(t.GetProperty("values"))))]
                        : null);
            }

            return new OnnxCase(
                e.GetProperty("name").GetString()!,
                e.GetProperty("file").GetString()!,
                e.GetProperty("element").GetString()!,
                e.GetProperty("loss").ValueKind == JsonValueKind.Null ? null : e.GetProperty("loss").GetString(),
                refusal,
                e.GetProperty("source").GetString()!,
                Text(e, "note"),
                Text(e, "guess"),
                e.TryGetProperty("provenance", out JsonElement p) ? [.. p.EnumerateArray().Select(f => f.GetString()!)] : [],
                Rows(e, "inputs"),
                Rows(e, "outputs"),
                layers);
        }

        private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) ? v.GetString() : null;

        private static double[][] Rows(JsonElement e, string name) =>
            e.TryGetProperty(name, out JsonElement rows) ? [.. rows.EnumerateArray().Select(Numbers)] : [];

        private static double[] Numbers(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];
    }
}
