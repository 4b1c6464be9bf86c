using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Generator.Tests.Harness;
using NetGen.TestFixtures;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>
/// Fuzzing the generator's ONNX reader and mapping (src/NetGen.Generator/Onnx: ProtobufReader, OnnxReader,
/// OnnxImporter), which read <c>[OnnxNetwork("...")]</c> model files at build time, from the committed fixtures
/// (Fixtures/Onnx: torch exports and the ONNX project's own test models) and two models built here: every truncation;
/// seeded random mutants, half of them edits of the protobuf tree written back with every length recomputed
/// (<see cref="ProtobufMutator"/>), half byte mutations; messages nested 100,000 deep in every kind the reader descends
/// into and as subgraphs; and sizes declared far past the file (lengths and varints of 10 bytes, dimensions whose
/// product overflows 64 bits, 2^31 elements, 10,001 nodes). See docs/reliability.md, "Fuzzing the file readers".
/// </summary>
/// <remarks>
/// Every input is read and mapped directly (<see cref="GeneratorReaders.ImportOnnx"/>), where it must give a model or
/// throw what the import step catches (OnnxFormatException, reported as NG0026 to NG0028), allocating at most
/// <see cref="Bound"/>. Then a share goes through the whole generator (<see cref="GeneratorFileFeeder"/>) as the model
/// of two networks (one with Loss = CrossEntropy, for models ending in Softmax): every input the mapping accepted,
/// every deep and huge one, and one in <see cref="EndToEndEvery"/> of the rest. There each network gets its code or
/// exactly one NetGen error, never an exception; a refusal is the diagnostic its problem names on both networks; and
/// each distinct generated file compiles without a diagnostic.
/// </remarks>
[Trait("Category", "FileFuzz")]
public sealed class OnnxReaderFuzzTests(ITestOutputHelper output)
{
    /// <summary>Random mutants in CI; <c>NETGEN_FUZZ_ITERATIONS</c> sets another count.</summary>
    public const int CiMutants = 4_000;

    /// <summary>One in this many inputs the reader refused also goes through the whole generator.</summary>
    public const int EndToEndEvery = 16;

    private const int MaxAcceptedEndToEnd = 1_000;

    private const int MaxCompiled = 30;

    private const string Program = """
        using NetGen;

        namespace App;

        [OnnxNetwork("m.onnx")]
        public partial class Imported;

        [OnnxNetwork("m.onnx", Loss = LossFunction.CrossEntropy)]
        public partial class ImportedSoftmax;
        """;

    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most one read and mapping of a file of <paramref name="length"/> bytes may allocate. Every length is checked
    /// against the bytes left before anything is allocated for it, so each part of the file costs a bounded multiple of
    /// its bytes: a packed varint of 1 byte becomes a 64-bit integer in a List (8 bytes, and up to 8 more while it
    /// grows), then an array (8) and a double (8): 32 bytes a byte; a float of 4 bytes becomes a double, then a weight,
    /// a parameter in a List and an array (about 40 bytes, 10 a byte); a node, the most: one of 25 bytes (an operator,
    /// an input and an output name) costs about 1.4 KB, its object, lists and dictionary, the name made up for it, its
    /// entries in the sets of producers, consumers, live and visited values (a chain of 10,000 Identity nodes measures
    /// 57 bytes a byte). So 96 bytes a byte of the file, and 1 MiB for the rest, the exception and its message: the
    /// largest read measured is in the test output and in docs/reliability.md.
    /// </summary>
    internal static long Bound(long length) => (96 * length) + (1024 * 1024);

    [Fact]
    public void A_model_cut_at_every_byte_gives_one_error_never_an_exception()
    {
        (FileFuzzer fuzzer, GeneratorFileFeeder feeder) = Campaign("ONNX, truncations", endToEndAll: false);
        fuzzer.Guarded(HangLimit, () =>
        {
            foreach (FuzzSeed seed in Seeds())
            {
                fuzzer.Truncations(seed);
            }
        });

        Finish(fuzzer, feeder);
    }

    [Fact]
    public void Random_mutants_give_a_network_or_one_NetGen_error_and_never_an_exception()
    {
        (FileFuzzer fuzzer, GeneratorFileFeeder feeder) = Campaign("ONNX, random mutants", endToEndAll: false);
        fuzzer.Guarded(HangLimit, () => fuzzer.Mutants(Seeds(), FileFuzzSettings.Iterations(CiMutants), ProtobufMutator.Mutate, 60));

        Finish(fuzzer, feeder);
        Assert.Contains(fuzzer.Outcomes.Keys, k => k.Contains("Imported: code", StringComparison.Ordinal));
        foreach (string problem in new[] { "Unreadable", "UnsupportedOperator", "Unmappable" })
        {
            Assert.Contains(fuzzer.Outcomes.Keys, k => k.Contains(problem, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Messages_nested_a_hundred_thousand_deep_give_a_network_or_one_error_without_recursion()
    {
        (FileFuzzer fuzzer, GeneratorFileFeeder feeder) = Campaign("ONNX, deep nesting", endToEndAll: true);
        fuzzer.Guarded(HangLimit, () =>
        {
            foreach ((string name, byte[] file) in DeepNesting())
            {
                fuzzer.Feed(file, name);
            }
        });

        Finish(fuzzer, feeder);
    }

    [Fact]
    public void Sizes_declared_past_the_file_give_a_network_or_one_error_within_the_bound()
    {
        (FileFuzzer fuzzer, GeneratorFileFeeder feeder) = Campaign("ONNX, huge declared sizes", endToEndAll: true);
        fuzzer.Guarded(HangLimit, () =>
        {
            foreach ((string name, byte[] file) in HugeSizes())
            {
                fuzzer.Feed(file, name);
            }
        });

        Finish(fuzzer, feeder);
    }

    [Fact]
    public void Graphs_rewired_into_loops_and_cycles_give_a_network_or_one_error_and_never_hang()
    {
        (FileFuzzer fuzzer, GeneratorFileFeeder feeder) = Campaign("ONNX, rewired graphs", endToEndAll: true);
        fuzzer.Guarded(HangLimit, () =>
        {
            foreach (FuzzSeed seed in Seeds())
            {
                foreach ((string name, byte[] file) in Rewirings(seed.Bytes))
                {
                    fuzzer.Feed(file, $"{seed.Name}: {name}");
                }
            }
        });

        Finish(fuzzer, feeder);
        Assert.Equal(4 * Seeds().Sum(seed => ProtobufMutator.Parse(seed.Bytes)!.Fields.First(f => f.Number == 7).Message!.Fields.Count(f => f.Number == 1)), fuzzer.Inputs);
    }

    // ---- Seeds.

    private static readonly string[] FixtureFiles =
    [
        "single_o13_20x1_b1.onnx", "matmul_add_o13_5x7x3_dyn.onnx", "flatten_o13_5x6x2_dyn.onnx", "reshape_o13_4x5x3_dyn.onnx",
        "gelu_o13_1x1x1_dyn.onnx", "silu_o13_3x4x2_bias10_b1.onnx", "softmax_o13_16x3x2_dyn.onnx", "sigmoid_o17_2x1x3_f64_dyn.onnx",
        "identity_dropout_o13_7x9x3_dyn.onnx", "refuse_residual_o13.onnx", "refuse_hardswish_o13.onnx",
        "OnnxTestData/test_Linear/model.onnx", "OnnxTestData/test_gemm_all_attributes/frozen.onnx", "OnnxTestData/test_gemm_default_scalar_bias/frozen.onnx",

        // Streaming models (Fixtures/OnnxStreaming): an LSTM, two GRU layers whose zero states torch computes from the
        // input's shape (Shape, Gather, Concat, Expand, Slice), and a GRU with a list of activation names.
        "../OnnxStreaming/lstm4_linear3_o9.onnx", "../OnnxStreaming/gru4x2_linear3_tanh_o13.onnx", "../OnnxStreaming/refuse_gru_relu_activations_o13.onnx",
    ];

    private static List<FuzzSeed> Seeds()
    {
        var seeds = FixtureFiles.Select(f => new FuzzSeed(f, File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Onnx", f)))).ToList();
        seeds.Add(new("built: Gemm, Relu, MatMul, Add", GemmReluMatMulAdd()));
        seeds.Add(new("built: a transposed constant weight", TransposedWeight()));
        return seeds;
    }

    /// <summary>3 -> Gemm(2, bias) -> Relu -> MatMul(1) + Add, float (OnnxHostileFileTests' model).</summary>
    private static byte[] GemmReluMatMulAdd() => new OnnxFile(13)
        .Input("x", OnnxFile.Float, null, 3)
        .Initializer("W", [2, 3], new[] { 0.5f, -1f, 0.25f, 1.5f, 0.75f, -0.5f }).Initializer("b", [2], new[] { 0.25f, -0.5f })
        .Initializer("W2", [2, 1], new[] { 1.25f, -0.75f }, raw: false).Initializer("b2", [1], new[] { 0.5f })
        .Node("Gemm", ["x", "W", "b"], ["h"], "fc1", attributes: ("transB", 1L))
        .Node("Relu", ["h"], ["r"], "relu")
        .Node("MatMul", ["r", "W2"], ["m"], "fc2")
        .Node("Add", ["m", "b2"], ["y"], "bias2")
        .Output("y", OnnxFile.Float, null, 1)
        .ToArray();

    /// <summary>4 -> Gemm with a weight that a Transpose node computes from a constant [4, 2], then a scalar Constant bias.</summary>
    private static byte[] TransposedWeight() => new OnnxFile(13)
        .Input("x", OnnxFile.Float, null, 4)
        .Initializer("Wt", [4, 2], new[] { 0.5f, -1f, 0.25f, 1.5f, 0.75f, -0.5f, 2f, 0.125f })
        .Constant("c", 0.5f)
        .Node("Transpose", ["Wt"], ["W"], "t", attributes: ("perm", new long[] { 1, 0 }))
        .Node("Gemm", ["x", "W", "c"], ["y"], "fc", attributes: ("transB", 1L))
        .Output("y", OnnxFile.Float, null, 2)
        .ToArray();

    // ---- Deep nesting.

    /// <summary>
    /// Messages nested 10, 100 and 100,000 deep as an unknown field of each message the reader reads (model, graph,
    /// node, attribute, tensor, value info), as a type of sequences of sequences, and as subgraphs of subgraphs.
    /// </summary>
    private static IEnumerable<(string Name, byte[] File)> DeepNesting()
    {
        byte[] valid = GemmReluMatMulAdd();
        foreach (int depth in new[] { 10, 100, 100_000 })
        {
            byte[] nested = ProtobufMutator.Nest(99, depth, []);
            yield return ($"{depth} messages nested in an unknown field of the model", [.. valid, .. Field(99, nested)]);
            foreach ((string kind, int[] path) in new[]
            {
                ("graph", new[] { 7 }), ("first node", new[] { 7, 1 }), ("first node's attribute", new[] { 7, 1, 5 }),
                ("first initializer", new[] { 7, 5 }), ("first input", new[] { 7, 11 }), ("first input's type", new[] { 7, 11, 2 }),
                ("first input's shape", new[] { 7, 11, 2, 1, 2 }), ("first input's dimension", new[] { 7, 11, 2, 1, 2, 1 }),
            })
            {
                yield return ($"{depth} messages nested in an unknown field of the {kind}", Edited(valid, path, m => m.Fields.Add(new PbField { Number = 99, Wire = 2, Bytes = nested })));
            }

            // TypeProto.sequence_type (4) { Sequence.elem_type (1) { TypeProto.sequence_type ... } } as the input's type.
            yield return ($"the input's type a sequence of sequences {depth} deep", Edited(valid, [7, 11], m =>
            {
                m.Fields.RemoveAll(f => f.Number == 2);
                m.Fields.Add(new PbField { Number = 2, Wire = 2, Bytes = Alternating([4, 1], depth) });
            }));

            // The nested message in a field the reader reads as a message of another kind: graph in graph in graph...
            yield return ($"the graph nested {depth} times in its own field", Edited(valid, [], m =>
            {
                PbField graph = m.Fields.Single(f => f.Number == 7);
                graph.Bytes = ProtobufMutator.Nest(7, depth, ProtobufMutator.Serialize(graph.Message!));
                graph.Message = null;
            }));
            yield return ($"subgraphs nested {depth} deep", NestedSubgraphs(depth));
        }
    }

    /// <summary>The file with the message at <paramref name="path"/> (field numbers, the first of each) changed.</summary>
    private static byte[] Edited(byte[] file, int[] path, Action<PbMessage> edit)
    {
        PbMessage root = ProtobufMutator.Parse(file) ?? throw new InvalidOperationException("the seed does not parse");
        PbMessage message = root;
        foreach (int field in path)
        {
            message = message.Fields.First(f => f.Number == field && f.Message is not null).Message!;
        }

        edit(message);
        return ProtobufMutator.Serialize(root);
    }

    private static byte[] Field(int number, byte[] payload) =>
        ProtobufMutator.Serialize(new PbMessage { Fields = { new PbField { Number = number, Wire = 2, Bytes = payload } } });

    /// <summary>Messages nested <paramref name="depth"/> deep whose field numbers cycle through <paramref name="fields"/>, written outside-in.</summary>
    private static byte[] Alternating(int[] fields, int depth)
    {
        var lengths = new long[depth + 1];
        for (int level = depth - 1; level >= 0; level--)
        {
            lengths[level] = 1 + VarintSize((ulong)lengths[level + 1]) + lengths[level + 1];
        }

        var writer = new OnnxFile.Writer();
        for (int level = 0; level < depth; level++)
        {
            writer.Tag(fields[level % fields.Length], 2);
            writer.RawVarint((ulong)lengths[level + 1]);
        }

        return writer.ToArray();
    }

    /// <summary>A model whose graph's one node is an If whose attribute g is a graph whose node is an If... (OnnxHostileFileTests' file).</summary>
    private static byte[] NestedSubgraphs(int depth)
    {
        byte[] opType = [0x22, 0x02, (byte)'I', (byte)'f'];
        byte[] name = [0x0A, 0x01, (byte)'g'];
        var contents = new long[depth + 1];
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
        opset.Varint(2, 13);
        var writer = new OnnxFile.Writer();
        writer.Message(8, opset.ToArray());
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

    // ---- Rewiring.

    /// <summary>
    /// The graph's values renamed so that it loops: for each node, its first output named as its first input (the old
    /// name kept as a second output, so that what follows still has its input), its first output renamed as its input
    /// or as the graph's input, and its first input renamed as the graph's output. ONNX assigns each value once, in
    /// order; these break that in every way one name can.
    /// </summary>
    private static IEnumerable<(string Name, byte[] File)> Rewirings(byte[] model)
    {
        PbMessage root = ProtobufMutator.Parse(model) ?? throw new InvalidOperationException("the seed does not parse");
        PbMessage graph = root.Fields.First(f => f.Number == 7).Message!;
        byte[]? graphInput = Name(graph.Fields.FirstOrDefault(f => f.Number == 11)?.Message);
        byte[]? graphOutput = Name(graph.Fields.FirstOrDefault(f => f.Number == 12)?.Message);
        int nodes = graph.Fields.Count(f => f.Number == 1 && f.Message is not null);
        for (int k = 0; k < nodes; k++)
        {
            int node = k;
            yield return ($"node {k}'s first output named as its first input, the old name its second", Rewired(root, node, n =>
            {
                int output = n.Fields.FindIndex(f => f.Number == 2);
                PbField? input = n.Fields.FirstOrDefault(f => f.Number == 1);
                if (output >= 0 && input is not null)
                {
                    n.Fields.Insert(output, new PbField { Number = 2, Wire = 2, Bytes = input.Bytes });
                }
            }));
            yield return ($"node {k}'s first output renamed as its first input", Rewired(root, node, n => Rename(n, 2, n.Fields.FirstOrDefault(f => f.Number == 1)?.Bytes)));
            yield return ($"node {k}'s first output renamed as the graph's input", Rewired(root, node, n => Rename(n, 2, graphInput)));
            yield return ($"node {k}'s first input renamed as the graph's output", Rewired(root, node, n => Rename(n, 1, graphOutput)));
        }
    }

    private static byte[] Rewired(PbMessage root, int node, Action<PbMessage> edit)
    {
        PbMessage copy = root.Clone();
        PbMessage graph = copy.Fields.First(f => f.Number == 7).Message!;
        edit(graph.Fields.Where(f => f.Number == 1 && f.Message is not null).ElementAt(node).Message!);
        return ProtobufMutator.Serialize(copy);
    }

    private static void Rename(PbMessage node, int field, byte[]? name)
    {
        PbField? target = node.Fields.FirstOrDefault(f => f.Number == field);
        if (target is not null && name is not null)
        {
            target.Bytes = name;
        }
    }

    /// <summary>A ValueInfoProto's name (field 1).</summary>
    private static byte[]? Name(PbMessage? valueInfo) => valueInfo?.Fields.FirstOrDefault(f => f.Number == 1)?.Bytes;

    // ---- Huge declared sizes.

    /// <summary>
    /// Lengths and varints past the file (2^31, 2^32, 2^62, 2^64 - 1, varints of 10 and 11 bytes), field numbers and
    /// wire types out of range, tensor dimensions whose product overflows 64 bits (to 0, to a negative number) or
    /// passes 2^31, element types and opsets of 2^31 and 2^63, and counts past the limits (10,001 nodes, a million
    /// dimensions, 100,000 initializers, names of 4,097 bytes).
    /// </summary>
    private static IEnumerable<(string Name, byte[] File)> HugeSizes()
    {
        byte[] valid = GemmReluMatMulAdd();
        foreach (ulong length in new ulong[] { 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 1UL << 62, 0x8000_0000_0000_0000, ulong.MaxValue })
        {
            var model = new OnnxFile.Writer();
            model.Tag(7, 2);
            model.RawVarint(length);
            model.Raw(valid);
            yield return ($"a graph declaring {length} bytes", model.ToArray());
        }

        yield return ("a length of 11 varint bytes", [0x3A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, .. valid]);
        yield return ("a tag of 10 varint bytes", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, .. valid]);
        foreach (ulong number in new ulong[] { 0, 536_870_911, 536_870_912, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 1UL << 60 })
        {
            var model = new OnnxFile.Writer();
            model.RawVarint(number << 3);
            model.RawVarint(1);
            model.Raw(valid);
            yield return ($"a field numbered {number}", model.ToArray());
        }

        foreach (int wire in new[] { 3, 4, 6, 7 })
        {
            yield return ($"a field of wire type {wire}", [.. valid, (byte)((99 << 3 | wire) & 0x7F | 0x80), 0x06, 0x00]);
        }

        // Tensor dimensions: as the Gemm's B (3 inputs, transB), as a MatMul's B, a transposed constant, a bias.
        long[][] dims =
        [
            [2, 1L << 62], [4, 1L << 62], [1L << 62, 4], [1L << 32, 1L << 32], [3, 1L << 61], [2, 3, 1L << 62], [1L << 31], [0x7FFF_FFFF, 3],
            [0, long.MaxValue], [long.MaxValue, 0], [-1, 3], [long.MinValue, 2], [2, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [2, -3],
        ];
        foreach (long[] shape in dims)
        {
            string text = "[" + string.Join(", ", shape) + "]";
            foreach (int count in new[] { 0, 6 })
            {
                float[] values = Enumerable.Repeat(0.5f, count).ToArray();
                yield return ($"Gemm (transB) weight of shape {text}, {count} values", new OnnxFile(13).Input("x", OnnxFile.Float, null, 3)
                    .Initializer("W", shape, values).Initializer("b", [2], new[] { 0.25f, -0.5f })
                    .Node("Gemm", ["x", "W", "b"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray());
                yield return ($"Gemm weight of shape {text}, {count} values, a scalar bias", new OnnxFile(13).Input("x", OnnxFile.Float, null, 4)
                    .Initializer("W", shape, values).Constant("c", 0.5f)
                    .Node("Gemm", ["x", "W", "c"], ["y"]).Output("y", OnnxFile.Float, null, 2).ToArray());
                yield return ($"MatMul weight of shape {text}, {count} values, then an Add", new OnnxFile(13).Input("x", OnnxFile.Float, null, 4)
                    .Initializer("W", shape, values).Initializer("b", [1], new[] { 0.25f })
                    .Node("MatMul", ["x", "W"], ["m"]).Node("Add", ["m", "b"], ["y"]).Output("y", OnnxFile.Float, null, 2).ToArray());
                yield return ($"a transposed constant of shape {text}, {count} values", new OnnxFile(13).Input("x", OnnxFile.Float, null, 4)
                    .Initializer("Wt", shape, values)
                    .Node("Transpose", ["Wt"], ["W"]).Node("Gemm", ["x", "W"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray());
                yield return ($"a bias of shape {text}, {count} values", new OnnxFile(13).Input("x", OnnxFile.Float, null, 3)
                    .Initializer("W", [2, 3], Enumerable.Repeat(0.5f, 6).ToArray()).Initializer("b", shape, values)
                    .Node("Gemm", ["x", "W", "b"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray());
            }
        }

        // The input's shape: dimensions whose product overflows, flattened into a layer.
        long?[][] inputs = [[null, 1L << 32, 1L << 32], [null, 1L << 62, 4], [null, 3, 1L << 62], [null, 0x7FFF_FFFF, 2], [null, long.MaxValue], [null, long.MinValue], [1L << 32, 1L << 32]];
        foreach (long?[] shape in inputs)
        {
            string text = "[" + string.Join(", ", shape.Select(d => d?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "batch")) + "]";
            foreach (long[] weight in new long[][] { [2, 0], [2, 1], [2, 4] })
            {
                yield return ($"an input of shape {text}, flattened, into a weight [{weight[0]}, {weight[1]}]", new OnnxFile(13).Input("x", OnnxFile.Float, shape)
                    .Initializer("W", weight, Enumerable.Repeat(0.5f, (int)(weight[0] * weight[1])).ToArray())
                    .Node("Flatten", ["x"], ["f"]).Node("Gemm", ["f", "W"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray());
                yield return ($"an input of shape {text}, flattened, into a weight [{weight[0]}, {weight[1]}] and a scalar bias", new OnnxFile(13).Input("x", OnnxFile.Float, shape)
                    .Initializer("W", weight, Enumerable.Repeat(0.5f, (int)(weight[0] * weight[1])).ToArray()).Constant("c", 0.5f)
                    .Node("Flatten", ["x"], ["f"]).Node("Gemm", ["f", "W", "c"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray());
            }

            yield return ($"an input of shape {text}, reshaped", new OnnxFile(13).Input("x", OnnxFile.Float, shape)
                .Int64Initializer("s", [2], [-1, 4]).Initializer("W", [2, 4], Enumerable.Repeat(0.5f, 8).ToArray())
                .Node("Reshape", ["x", "s"], ["f"]).Node("Gemm", ["f", "W"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray());
        }

        // Element types, opsets, raw data lengths.
        foreach (ulong type in new ulong[] { 0x7FFF_FFFF, 0x8000_0000, 0x1_0000_0001, ulong.MaxValue })
        {
            yield return ($"a weight of element type {type}", Edited(valid, [7, 5], m => m.Fields.Single(f => f.Number == 2).Value = type));
            yield return ($"an input of element type {type}", Edited(valid, [7, 11, 2, 1], m => m.Fields.Single(f => f.Number == 1).Value = type));
        }

        foreach (ulong opset in new ulong[] { 0, 0x7FFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue })
        {
            yield return ($"opset {opset}", Edited(valid, [], m => m.Fields.Single(f => f.Number == 8).Message!.Fields.Single(f => f.Number == 2).Value = opset));
        }

        foreach (ulong length in new ulong[] { 0x8000_0000, 0xFFFF_FFFF, 1UL << 62 })
        {
            var tensor = new OnnxFile.Writer();
            tensor.Varint(1, 2);
            tensor.Varint(1, 3);
            tensor.Varint(2, OnnxFile.Float);
            tensor.String(8, "W");
            tensor.Tag(9, 2);
            tensor.RawVarint(length);
            tensor.Raw(new byte[24]);
            yield return ($"raw_data declaring {length} bytes", new OnnxFile(13).Input("x", OnnxFile.Float, null, 3)
                .Node("Constant", [], ["W"], attributes: ("value", tensor.ToArray()))
                .Node("Gemm", ["x", "W"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray());
        }

        // Counts: nodes at and past the limit, a chain of 10,000 Identity nodes, a million packed dimensions, 100,000
        // initializers, names at and past 4,096 bytes, a million packed ints in an attribute.
        foreach (int nodes in new[] { 10_000, 10_001 })
        {
            var file = new OnnxFile(13).Input("x", OnnxFile.Float, null, 3).Initializer("W", [2, 3], Enumerable.Repeat(0.5f, 6).ToArray());
            file.Node("Gemm", ["x", "W"], ["v0"], attributes: ("transB", 1L));
            for (int i = 1; i < nodes; i++)
            {
                file.Node("Identity", [$"v{i - 1}"], [$"v{i}"]);
            }

            yield return ($"{nodes} nodes", file.Output($"v{nodes - 1}", OnnxFile.Float, null, 2).ToArray());
        }

        var packed = new OnnxFile.Writer();
        for (int i = 0; i < 1_000_000; i++)
        {
            packed.RawVarint(1);
        }

        var million = new OnnxFile.Writer();
        million.Bytes(1, packed.ToArray());
        million.Varint(2, OnnxFile.Float);
        yield return ("a tensor of a million dimensions", new OnnxFile(13).Input("x", OnnxFile.Float, null, 3)
            .Node("Constant", [], ["W"], attributes: ("value", million.ToArray()))
            .Node("Gemm", ["x", "W"], ["y"]).Output("y", OnnxFile.Float, null, 2).ToArray());
        yield return ("an attribute of a million ints", new OnnxFile(13).Input("x", OnnxFile.Float, null, 3).Initializer("W", [2, 3], Enumerable.Repeat(0.5f, 6).ToArray())
            .Node("Gemm", ["x", "W"], ["y"], attributes: [("transB", 1L), ("junk", Enumerable.Repeat(7L, 1_000_000).ToArray())]).Output("y", OnnxFile.Float, null, 2).ToArray());

        var many = new OnnxFile(13).Input("x", OnnxFile.Float, null, 3).Initializer("W", [2, 3], Enumerable.Repeat(0.5f, 6).ToArray());
        for (int i = 0; i < 100_000; i++)
        {
            many.Initializer("unused" + i, [1], new[] { 1f });
        }

        yield return ("100,000 initializers", many.Node("Gemm", ["x", "W"], ["y"], attributes: ("transB", 1L)).Output("y", OnnxFile.Float, null, 2).ToArray());
        foreach (int length in new[] { 4096, 4097, 1_000_000 })
        {
            string name = new('n', length);
            yield return ($"a value named with {length} bytes", new OnnxFile(13).Input("x", OnnxFile.Float, null, 3).Initializer("W", [2, 3], Enumerable.Repeat(0.5f, 6).ToArray())
                .Node("Gemm", ["x", "W"], [name], attributes: ("transB", 1L)).Node("Relu", [name], ["y"]).Output("y", OnnxFile.Float, null, 2).ToArray());
        }
    }

    // ---- The target.

    /// <summary>
    /// Each input read and mapped directly (bounded), then through the generator when <paramref name="endToEndAll"/>,
    /// when the mapping accepted it, or one in <see cref="EndToEndEvery"/> otherwise. The label is the direct outcome,
    /// then the generator's for each network.
    /// </summary>
    private static (FileFuzzer Fuzzer, GeneratorFileFeeder Feeder) Campaign(string name, bool endToEndAll)
    {
        var feeder = new GeneratorFileFeeder(Program, "m.onnx", GemmReluMatMulAdd(), MaxCompiled);
        FileFuzzer? fuzzer = null;
        int refused = 0, accepted = 0;
        fuzzer = new FileFuzzer(name, file =>
        {
            string direct = fuzzer!.Bounded(file.Length, Bound(file.Length), () =>
            {
                try
                {
                    return $"imported ({GeneratorReaders.ParameterCount(GeneratorReaders.ImportOnnx(file))} parameters)";
                }
                catch (Exception e) when (e.GetType() == GeneratorReaders.OnnxFormatException)
                {
                    return "refused " + GeneratorReaders.OnnxProblem(e);
                }
            });
            bool wasRefused = direct.StartsWith("refused", StringComparison.Ordinal);
            bool endToEnd = endToEndAll || (wasRefused ? refused++ % EndToEndEvery == 0 : accepted++ < MaxAcceptedEndToEnd);
            string label = wasRefused ? direct : "imported";
            if (endToEnd)
            {
                string generated = feeder.Feed(file);
                if (wasRefused)
                {
                    string id = direct switch
                    {
                        "refused UnsupportedOperator" => "NG0027",
                        "refused Unmappable" => "NG0028",
                        _ => "NG0026",
                    };
                    Assert.Equal($"Imported: {id}; ImportedSoftmax: {id}", generated);
                }

                label += " | " + generated;
            }

            return label;
        });
        return (fuzzer, feeder);
    }

    private void Finish(FileFuzzer fuzzer, GeneratorFileFeeder feeder)
    {
        output.WriteLine(fuzzer.Summary());
        fuzzer.AssertNoFailures();
        output.WriteLine($"  compiled {feeder.CompileEach()} distinct generated files: no diagnostic in any");
    }

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
