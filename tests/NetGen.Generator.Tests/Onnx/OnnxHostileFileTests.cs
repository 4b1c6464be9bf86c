using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests.Onnx;

/// <summary>
/// Damaged and hostile model files: the generator must never throw, hang or overflow its stack (it runs inside the
/// compiler), and must answer each file with either a network or exactly one NetGen error. The files are fed to one
/// generator driver as edits of its additional file, so each costs only the steps it changes.
/// </summary>
public sealed class OnnxHostileFileTests
{
    private const string Source = """
        using NetGen;

        namespace App;

        /// <summary>A network compiled from m.onnx.</summary>
        [OnnxNetwork("m.onnx")]
        public partial class Imported;
        """;

    /// <summary>A small valid model: 3 -> Gemm(2, bias) -> Relu -> MatMul(1) + Add, float.</summary>
    private static byte[] Valid() => new OnnxFile(13)
        .Input("x", OnnxFile.Float, null, 3)
        .Initializer("W", [2, 3], new[] { 0.5f, -1f, 0.25f, 1.5f, 0.75f, -0.5f }).Initializer("b", [2], new[] { 0.25f, -0.5f })
        .Initializer("W2", [2, 1], new[] { 1.25f, -0.75f }, raw: false).Initializer("b2", [1], new[] { 0.5f })
        .Node("Gemm", ["x", "W", "b"], ["h"], "fc1", attributes: ("transB", 1L))
        .Node("Relu", ["h"], ["r"], "relu")
        .Node("MatMul", ["r", "W2"], ["m"], "fc2")
        .Node("Add", ["m", "b2"], ["y"], "bias2")
        .Output("y", OnnxFile.Float, null, 1)
        .ToArray();

    /// <summary>Feeds files to one driver in turn and checks each answer.</summary>
    private sealed class Feeder
    {
        private readonly Compilation _compilation = TestCompilation.Create(Source);
        private AdditionalTextFile _file;
        private GeneratorDriver _driver;

        public Feeder()
        {
            _file = new AdditionalTextFile("obj/netgen/m.onnx.b64", Convert.ToBase64String(Valid()));
            _driver = CSharpGeneratorDriver.Create(
                [new NetworkGenerator().AsSourceGenerator()],
                additionalTexts: [_file],
                parseOptions: TestCompilation.ParseOptions);
            _driver = _driver.RunGenerators(_compilation);
        }

        public int Networks { get; private set; }

        public Dictionary<string, int> Refusals { get; } = new();

        public TimeSpan Slowest { get; private set; }

        /// <summary>One distinct generated file per topology seen, to compile afterwards.</summary>
        public Dictionary<string, string> SourcesByTopology { get; } = new();

        public void Feed(byte[] bytes, string what) => FeedText(Convert.ToBase64String(bytes), what);

        public void FeedText(string base64, string what)
        {
            var next = new AdditionalTextFile(_file.Path, base64);
            _driver = _driver.ReplaceAdditionalText(_file, next);
            _file = next;
            var clock = Stopwatch.StartNew();
            _driver = _driver.RunGenerators(_compilation);
            TimeSpan elapsed = clock.Elapsed;
            Slowest = elapsed > Slowest ? elapsed : Slowest;

            GeneratorRunResult result = _driver.GetRunResult().Results.Single();
            Assert.True(result.Exception is null, $"{what}: the generator threw {result.Exception}");
            Diagnostic[] errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            Assert.True(errors.Length <= 1, $"{what}: {errors.Length} errors: {string.Join("; ", errors.Select(e => e.ToString()))}");
            Assert.All(errors, e => Assert.StartsWith("NG", e.Id, StringComparison.Ordinal));
            if (errors.Length == 1)
            {
                Refusals[errors[0].Id] = Refusals.GetValueOrDefault(errors[0].Id) + 1;
                return;
            }

            Networks++;
            string generated = Assert.Single(result.GeneratedSources).SourceText.ToString();
            int at = generated.IndexOf("Topology = ", StringComparison.Ordinal);
            Assert.True(at >= 0, $"{what}: no error, and no network generated");
            string topology = generated.Substring(at, generated.IndexOf(';', at) - at);
            SourcesByTopology.TryAdd(topology, generated);
        }

        /// <summary>Every distinct network the damaged files gave compiles with no error.</summary>
        public void CompileEach()
        {
            foreach (string generated in SourcesByTopology.Values)
            {
                Compilation output = _compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(generated, TestCompilation.ParseOptions));
                Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            }
        }
    }

    [Fact]
    public void A_file_cut_short_at_every_byte_is_one_error_each()
    {
        byte[] valid = Valid();
        var feeder = new Feeder();
        for (int length = 0; length < valid.Length; length++)
        {
            feeder.Feed(valid.AsSpan(0, length).ToArray(), $"the first {length} of {valid.Length} bytes");
        }

        // A cut at a message boundary can leave a readable, smaller model (a graph without its last outputs), so not
        // every cut must be refused; but no cut may give a network, since the graph's output comes last.
        Assert.Equal(0, feeder.Networks);
        Assert.Equal(valid.Length, feeder.Refusals.Values.Sum());
    }

    [Fact]
    public void Every_bit_flipped_gives_a_network_or_one_error_and_never_a_crash()
    {
        byte[] valid = Valid();
        var feeder = new Feeder();
        for (int i = 0; i < valid.Length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] flipped = (byte[])valid.Clone();
                flipped[i] ^= (byte)(1 << bit);
                feeder.Feed(flipped, $"bit {bit} of byte {i} flipped");
            }
        }

        // Both kinds of answer happen: a flip in a weight's value or a name's letter leaves a model, one in a tag or a
        // length breaks it.
        Assert.True(feeder.Networks > 0);
        Assert.True(feeder.Refusals.Values.Sum() > 0);
        feeder.CompileEach();
    }

    [Fact]
    public void Nesting_a_hundred_thousand_deep_is_refused_or_passed_over_without_recursion()
    {
        var feeder = new Feeder();

        // (a) 100,000 nested messages in a field of ModelProto that NetGen does not read (its bytes are passed over);
        // (b) the same depth as subgraphs: a node whose attribute g holds a graph whose node holds a subgraph...
        feeder.Feed(Nest(Valid(), field: 99, depth: 100_000, Array.Empty<byte>()), "100,000 nested unknown messages");
        Assert.Equal(1, feeder.Networks);

        // The outermost If is the graph's one node; its subgraph is passed over unread, and the graph, which has no
        // input, is refused for that.
        byte[] nestedGraphs = NestedSubgraphs(100_000);
        feeder.Feed(nestedGraphs, "subgraphs nested 100,000 deep");
        Assert.Equal(new Dictionary<string, int> { ["NG0028"] = 1 }, feeder.Refusals);

        // Each answer is quick: a bound far above the milliseconds they take, there only to catch a hang.
        Assert.True(feeder.Slowest < TimeSpan.FromSeconds(5), $"the slowest took {feeder.Slowest}");
        Assert.True(nestedGraphs.Length > 200_000);
    }

    [Fact]
    public void Sizes_declared_far_beyond_the_file_are_refused_before_anything_is_allocated()
    {
        var feeder = new Feeder();

        // A graph field declaring 2^62 bytes.
        var model = new OnnxFile.Writer();
        model.Tag(7, 2);
        model.RawVarint(1UL << 62);
        feeder.Feed(model.ToArray(), "a 2^62-byte graph");

        // A weight of shape [2^40, 2^40] and of shape [2^30, 4] with 4 bytes of data.
        foreach (long[] dims in new[] { new[] { 1L << 40, 1L << 40 }, new[] { 1L << 30, 4 } })
        {
            byte[] tensor = OnnxFile.Tensor("W", OnnxFile.Float, dims, [1], raw: true);
            feeder.Feed(new OnnxFile(13).Input("x", OnnxFile.Float, null, 3)
                .Node("Constant", [], ["W"], attributes: ("value", tensor))
                .Node("Gemm", ["x", "W"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray(), $"a weight of shape [{dims[0]}, {dims[1]}]");
        }

        // A million dimensions, packed.
        var dimsTensor = new OnnxFile.Writer();
        var packed = new OnnxFile.Writer();
        for (int i = 0; i < 1_000_000; i++)
        {
            packed.RawVarint(1);
        }

        dimsTensor.Bytes(1, packed.ToArray());
        dimsTensor.Varint(2, OnnxFile.Float);
        feeder.Feed(new OnnxFile(13).Input("x", OnnxFile.Float, null, 3)
            .Node("Constant", [], ["W"], attributes: ("value", dimsTensor.ToArray()))
            .Node("Gemm", ["x", "W"], ["y"]).Output("y", OnnxFile.Float, null, 2).ToArray(), "a million dimensions");

        // A base64 text of 48 MB (36 MB of bytes), past the 32 MB read.
        feeder.FeedText(new string('A', 48 * 1024 * 1024), "48 MB of base64");

        Assert.Equal(0, feeder.Networks);
        Assert.Equal(new Dictionary<string, int> { ["NG0026"] = 5 }, feeder.Refusals);
        Assert.True(feeder.Slowest < TimeSpan.FromSeconds(5), $"the slowest took {feeder.Slowest}");
    }

    /// <summary>
    /// <paramref name="inner"/> wrapped <paramref name="depth"/> times in a length-delimited field, appended to
    /// <paramref name="model"/> as a field of ModelProto. Written outside-in from the lengths, so building it is linear.
    /// </summary>
    private static byte[] Nest(byte[] model, int field, int depth, byte[] inner)
    {
        var lengths = new long[depth + 1];
        lengths[depth] = inner.Length;
        for (int level = depth - 1; level >= 0; level--)
        {
            lengths[level] = TagSize(field) + VarintSize((ulong)lengths[level + 1]) + lengths[level + 1];
        }

        var writer = new OnnxFile.Writer();
        writer.Raw(model);
        for (int level = 0; level < depth; level++)
        {
            writer.Tag(field, 2);
            writer.RawVarint((ulong)lengths[level + 1]);
        }

        writer.Raw(inner);
        return writer.ToArray();
    }

    /// <summary>A model whose graph's one node is an If whose attribute g is a graph whose node is an If... <paramref name="depth"/> deep.</summary>
    private static byte[] NestedSubgraphs(int depth)
    {
        // Each level: GraphProto.node (1) { NodeProto.op_type (4) "If", NodeProto.attribute (5) { name (1) "g", g (6) { next level } } }.
        byte[] opType = [0x22, 0x02, (byte)'I', (byte)'f'];
        byte[] name = [0x0A, 0x01, (byte)'g'];
        var contents = new long[depth + 1];
        contents[depth] = 0;
        var attributeLengths = new long[depth];
        var nodeLengths = new long[depth];
        for (int level = depth - 1; level >= 0; level--)
        {
            long graph = contents[level + 1];
            attributeLengths[level] = name.Length + 1 + VarintSize((ulong)graph) + graph;
            nodeLengths[level] = opType.Length + 1 + VarintSize((ulong)attributeLengths[level]) + attributeLengths[level];
            contents[level] = 1 + VarintSize((ulong)nodeLengths[level]) + nodeLengths[level];
        }

        var opset = new OnnxFile.Writer();
        opset.Varint(2, 13); // OperatorSetIdProto.version
        var writer = new OnnxFile.Writer();
        writer.Message(8, opset.ToArray()); // ModelProto.opset_import, then ModelProto.graph: the nested one
        writer.Tag(7, 2);
        writer.RawVarint((ulong)contents[0]);
        for (int level = 0; level < depth; level++)
        {
            writer.Tag(1, 2);
            writer.RawVarint((ulong)nodeLengths[level]);
            writer.Raw(opType);
            writer.Tag(5, 2);
            writer.RawVarint((ulong)attributeLengths[level]);
            writer.Raw(name);
            writer.Tag(6, 2);
            writer.RawVarint((ulong)contents[level + 1]);
        }

        return writer.ToArray();
    }

    private static int TagSize(int field) => VarintSize((ulong)field << 3);

    private static int VarintSize(ulong value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }
}
