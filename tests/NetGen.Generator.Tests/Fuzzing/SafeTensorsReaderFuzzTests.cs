using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Tests.Harness;
using NetGen.TestFixtures;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>
/// Fuzzing the generator's safetensors reader (src/NetGen.Generator/Weights/SafeTensorsReader.cs), which reads
/// <c>[Network(Weights = "...")]</c> files at build time, on the inputs the runtime's reader is fuzzed with
/// (tests/Shared/SafeTensorsFuzzing.cs): every truncation of the shared fixtures, seeded random mutants (half edits of
/// the JSON header's tokens, half byte mutations), headers nested 100,000 deep and at the 64-level limit, and sizes
/// declared far past the file. See docs/reliability.md, "Fuzzing the file readers".
/// </summary>
/// <remarks>
/// <para>
/// Every input is read by the reader directly (<see cref="GeneratorReaders.ReadSafeTensors"/>), where it must give
/// tensors or throw what the weights step catches and reports as NG0018 (SafeTensorsFormatException or
/// OverflowException), allocating at most <see cref="Bound"/>. Then a share of the inputs goes through the whole
/// generator (<see cref="GeneratorFileFeeder"/>) as the weights of three networks (float and double 3-2-1, float
/// 3-4-2): every input the reader accepted (they go on to binding and emitting), every deep and huge one, and one in
/// <see cref="EndToEndEvery"/> of the rest. There each network gets its code or exactly one NetGen error, never an
/// exception; an input the reader refused gets NG0018 on every network; and each distinct generated file compiles
/// without a diagnostic.
/// </para>
/// </remarks>
[Trait("Category", "FileFuzz")]
public sealed class SafeTensorsReaderFuzzTests(ITestOutputHelper output)
{
    /// <summary>Random mutants in CI; <c>NETGEN_FUZZ_ITERATIONS</c> sets another count.</summary>
    public const int CiMutants = 4_000;

    /// <summary>One in this many inputs the reader refused also goes through the whole generator.</summary>
    public const int EndToEndEvery = 16;

    /// <summary>At most this many accepted inputs of one campaign go through the whole generator (all of them in CI).</summary>
    private const int MaxAcceptedEndToEnd = 1_000;

    private const int MaxCompiled = 30;

    private const string Program = """
        using NetGen;

        namespace App;

        [Network(3, Weights = "w.safetensors")]
        [Dense(2, Activation.Tanh)]
        [Dense(1, Bias = false)]
        public partial class Embedded;

        [Network<double>(3, Weights = "w.safetensors")]
        [Dense(2, Activation.Tanh)]
        [Dense(1, Bias = false)]
        public partial class EmbeddedDouble;

        [Network(3, Weights = "w.safetensors")]
        [Dense(4, Activation.ReLU)]
        [Dense(2)]
        public partial class TwoLayer;
        """;

    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most one read of a file of <paramref name="length"/> bytes may allocate. The reader decodes the header
    /// into one string (2 bytes a byte) and builds each name in a StringBuilder (as much again, and more while it
    /// grows). Each number of a shape or offset list costs most: a dimension takes at least 2 bytes of JSON ("1,"), and
    /// the reader cuts it out as a string (32 bytes for one digit) before parsing it into a List of 64-bit integers
    /// (8, and up to 8 more while the list grows), then copies the list to an array and that to a ulong array (16):
    /// 64 bytes for 2, so 32 bytes a byte. Each tensor's values become doubles (4 bytes a byte for F16 and BF16), and
    /// skipping __metadata__ keeps a stack of one char a level. So 48 bytes a byte of the file, and 64 KiB for the
    /// exception and its message: the largest read measured is in the test output and in docs/reliability.md.
    /// </summary>
    internal static long Bound(long length) => (48 * length) + (64 * 1024);

    [Fact]
    public void A_file_cut_at_every_byte_is_refused_with_NG0018()
    {
        (FileFuzzer fuzzer, GeneratorFileFeeder feeder) = Campaign("SafeTensorsReader, truncations", endToEndAll: false, label => Assert.StartsWith("refused", label, StringComparison.Ordinal));
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
        (FileFuzzer fuzzer, GeneratorFileFeeder feeder) = Campaign("SafeTensorsReader, random mutants", endToEndAll: false, null);
        fuzzer.Guarded(HangLimit, () => fuzzer.Mutants(Seeds(), FileFuzzSettings.Iterations(CiMutants), SafeTensorsFuzzing.Mutate, 50));

        Finish(fuzzer, feeder);
        Assert.Contains(fuzzer.Outcomes.Keys, k => k.Contains("Embedded: code", StringComparison.Ordinal));
        Assert.Contains(fuzzer.Outcomes.Keys, k => k.Contains("NG0019", StringComparison.Ordinal));
        Assert.Contains(fuzzer.Outcomes.Keys, k => k.StartsWith("refused", StringComparison.Ordinal));
    }

    [Fact]
    public void Headers_nested_a_hundred_thousand_deep_give_NG0018_without_recursion()
    {
        (FileFuzzer fuzzer, GeneratorFileFeeder feeder) = Campaign("SafeTensorsReader, deep nesting", endToEndAll: true, null);
        fuzzer.Guarded(HangLimit, () =>
        {
            foreach ((string name, byte[] file) in SafeTensorsFuzzing.DeepNesting())
            {
                fuzzer.Feed(file, name);
            }
        });

        Finish(fuzzer, feeder);
    }

    [Fact]
    public void Sizes_declared_past_the_file_give_NG0018_within_the_bound()
    {
        (FileFuzzer fuzzer, GeneratorFileFeeder feeder) = Campaign("SafeTensorsReader, huge declared sizes", endToEndAll: true, null);
        fuzzer.Guarded(HangLimit, () =>
        {
            foreach ((string name, byte[] file) in SafeTensorsFuzzing.HugeSizes())
            {
                fuzzer.Feed(file, name);
            }
        });

        Finish(fuzzer, feeder);
    }

    /// <summary>The fixtures both readers share (every dtype), and a valid file for the third network.</summary>
    private static List<FuzzSeed> Seeds()
    {
        var seeds = new List<FuzzSeed>();
        foreach (string name in new[] { "fits (F32)", "fits (F64)", "fits (F16)", "fits (BF16)", "fits (modules 9 and 10, listed 10 first)" })
        {
            seeds.Add(new("fixture " + name, SafeTensorsFixtures.Get(name).File));
        }

        seeds.Add(new(
            "3-4-2 in F32",
            SafeTensorsFile.F32(("0.weight", [4, 3], SafeTensorsBytes.Counting(1, 12)), ("0.bias", [4], SafeTensorsBytes.Counting(-2, 4)), ("2.weight", [2, 4], SafeTensorsBytes.Counting(3, 8)), ("2.bias", [2], [0.5f, -0.25f]))));
        return seeds;
    }

    /// <summary>
    /// The reader target: each input read directly (bounded), then through the generator when <paramref name="endToEndAll"/>,
    /// when the reader accepted it, or one in <see cref="EndToEndEvery"/> otherwise. The label is the reader's outcome,
    /// then the generator's for each network.
    /// </summary>
    private static (FileFuzzer Fuzzer, GeneratorFileFeeder Feeder) Campaign(string name, bool endToEndAll, Action<string>? check)
    {
        var feeder = new GeneratorFileFeeder(Program, "w.safetensors", SafeTensorsFixtures.Get("fits (F32)").File, MaxCompiled);
        FileFuzzer? fuzzer = null;
        int refused = 0, accepted = 0;
        fuzzer = new FileFuzzer(name, file =>
        {
            string read = fuzzer!.Bounded(file.Length, Bound(file.Length), () =>
            {
                try
                {
                    return $"read {GeneratorReaders.ReadSafeTensors(file).Count} tensors";
                }
                catch (Exception e) when (e.GetType() == GeneratorReaders.SafeTensorsFormatException || e is OverflowException)
                {
                    return "refused (" + e.GetType().Name + ")";
                }
            });
            bool wasRefused = read.StartsWith("refused", StringComparison.Ordinal);
            bool endToEnd = endToEndAll || (wasRefused ? refused++ % EndToEndEvery == 0 : accepted++ < MaxAcceptedEndToEnd);
            string label = read;
            if (endToEnd)
            {
                string generated = feeder.Feed(file);
                if (wasRefused)
                {
                    Assert.Equal("Embedded: NG0018; EmbeddedDouble: NG0018; TwoLayer: NG0018", generated);
                }

                label += " | " + generated;
            }

            check?.Invoke(label);
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
}
