using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;
using NetGen;
using NetGen.TestFixtures;
using Xunit.Abstractions;

namespace NetGen.Interop.Tests.Fuzzing;

/// <summary>
/// Fuzzing the runtime's safetensors reader (SafeTensors.Load), from valid files: the fixtures both readers share
/// (tests/Shared/SafeTensorsFixtures.cs, in F32, F64, F16 and BF16), NetGen's own writer's output, and the state_dicts
/// PyTorch wrote for the streaming models (Fixtures/Streaming). Every truncation; seeded random mutants, half of them
/// edits of the JSON header's tokens with the header length fixed (numbers and strings replaced by boundary values,
/// tokens deleted, doubled, swapped, values wrapped up to 100,000 deep, entries repeated or removed, the buffer cut or
/// extended) and half byte mutations; the fixed lists of deep nesting and huge declared sizes
/// (tests/Shared/SafeTensorsFuzzing.cs). See docs/reliability.md, "Fuzzing the file readers".
/// </summary>
/// <remarks>
/// Each input is loaded into nine networks (Dense, GRU, LSTM and Conv1D models, float and double; a truncation only
/// into its file's network), each from a seekable stream and from one that cannot seek and hands out 7 bytes a read,
/// and every eighth input also from a file.
/// The promises held, for each load: it loads or throws <see cref="SafeTensorsException"/>, nothing else; a refusal
/// leaves the parameters bit for bit as they were; the streams and the file give the same answer, and the same
/// parameters when they load; and each load allocates at most <see cref="Bound"/>.
/// </remarks>
[Trait("Category", "FileFuzz")]
public sealed class SafeTensorsFuzzTests : IDisposable
{
    /// <summary>Random mutants in CI; <c>NETGEN_FUZZ_ITERATIONS</c> sets another count.</summary>
    public const int CiMutants = 4_000;

    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    private readonly ITestOutputHelper _output;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-fuzz-" + Guid.NewGuid().ToString("N"));
    private int _fed;

    public SafeTensorsFuzzTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_directory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>
    /// The most one load of a file of <paramref name="length"/> bytes may allocate. The reader holds the header once
    /// (from a stream that cannot seek, in chunks that double from 64 KiB: at most twice its length, in buffers adding
    /// up to four times), decodes it to UTF-16 strings (names, dtypes: twice their bytes), keeps each shape as 64-bit
    /// integers (a dimension takes at least 2 bytes of JSON, "1,", and 8 in the array, with as much again while the
    /// list grows: 8 bytes per byte), and reads the buffer only once the header has matched the network, so it is the
    /// network's size. A message quotes at most 100 characters of the file, but shapes are formatted whole before
    /// they are cut (3 characters per dimension: 6 bytes per 2 of JSON, more while the builder grows). So 32 bytes per
    /// byte of the file and 256 KiB for the network, the exception and its message: the largest load measured is in
    /// the test output and in docs/reliability.md.
    /// </summary>
    internal static long Bound(long length) => (32 * length) + (256 * 1024);

    /// <summary>Each cut is loaded into the network of its file, where the header fits, so that cuts in the buffer are reached too.</summary>
    [Fact]
    public void A_file_cut_at_every_byte_is_refused_as_truncated_and_changes_no_network()
    {
        FuzzSeed? current = null;
        ITarget[] targets = Targets();
        FileFuzzer? fuzzer = null;
        fuzzer = new FileFuzzer("SafeTensors.Load, truncations", file =>
        {
            ITarget own = targets.Single(t => t.Name == (string)current!.Tag!);
            string label = own.Load(fuzzer!, file, _fed++ % 8 == 0 ? WriteFile(file) : null);
            Assert.Equal(own.Name + " refused Truncated", label);
            return label;
        });
        fuzzer.Guarded(HangLimit, () =>
        {
            foreach (FuzzSeed seed in Seeds())
            {
                current = seed;
                fuzzer.Truncations(seed);
            }
        });

        Finish(fuzzer);
        Assert.Equal(Seeds().Sum(s => s.Bytes.Length), fuzzer.Inputs);
    }

    [Fact]
    public void Random_mutants_load_or_are_refused_as_documented_and_a_refusal_changes_no_network()
    {
        FileFuzzer fuzzer = Fuzzer("SafeTensors.Load, random mutants");
        fuzzer.Guarded(HangLimit, () => fuzzer.Mutants(Seeds(), FileFuzzSettings.Iterations(CiMutants), SafeTensorsFuzzing.Mutate, 50));

        Finish(fuzzer);
        Assert.Contains(fuzzer.Outcomes.Keys, k => k.EndsWith(" loaded", StringComparison.Ordinal));
        foreach (string reason in new[] { "MalformedHeader", "Truncated", "InvalidOffsets", "ShapeMismatch" })
        {
            Assert.Contains(fuzzer.Outcomes.Keys, k => k.Contains(reason, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Headers_nested_a_hundred_thousand_deep_are_refused_without_recursion()
    {
        FileFuzzer fuzzer = Fuzzer("SafeTensors.Load, deep nesting");
        fuzzer.Guarded(HangLimit, () =>
        {
            foreach ((string name, byte[] file) in SafeTensorsFuzzing.DeepNesting())
            {
                fuzzer.Feed(file, name);
            }
        });

        Finish(fuzzer);

        // The runtime reads JSON at most 4 deep (header, entry, shape, one more for a clean error): nothing nested loads.
        Assert.DoesNotContain(fuzzer.Outcomes.Keys, k => k.EndsWith(" loaded", StringComparison.Ordinal));
    }

    [Fact]
    public void Sizes_declared_past_the_file_are_refused_within_the_bound()
    {
        FileFuzzer fuzzer = Fuzzer("SafeTensors.Load, huge declared sizes");
        fuzzer.Guarded(HangLimit, () =>
        {
            foreach ((string name, byte[] file) in SafeTensorsFuzzing.HugeSizes())
            {
                fuzzer.Feed(file, name);
            }
        });

        Finish(fuzzer);
    }

    // ---- Seeds and targets.

    private static List<FuzzSeed> Seeds()
    {
        var seeds = new List<FuzzSeed>();
        foreach (string name in new[] { "fits (F32)", "fits (F64)", "fits (F16)", "fits (BF16)", "fits (modules 9 and 10, listed 10 first)" })
        {
            seeds.Add(new("fixture " + name, SafeTensorsFixtures.Get(name).File, nameof(FixtureNet)));
        }

        var twoLayer = new TwoLayerNet();
        twoLayer.InitializeParameters(21);
        var twoLayerDouble = new TwoLayerDoubleNet();
        twoLayerDouble.InitializeParameters(22);
        var mixed = new MixedBiasNet();
        mixed.InitializeParameters(23);
        seeds.Add(new("SafeTensors.Save of TwoLayerNet", Saved(twoLayer), nameof(TwoLayerNet)));
        seeds.Add(new("SafeTensors.Save of TwoLayerDoubleNet", Saved(twoLayerDouble), nameof(TwoLayerDoubleNet)));
        seeds.Add(new("SafeTensors.Save of MixedBiasNet", Saved(mixed), nameof(MixedBiasNet)));
        foreach ((string file, string network) in new[]
        {
            ("gru_fc", nameof(TorchGruFcNet)), ("module_list", nameof(TorchModuleListNet)), ("lstm_double", nameof(TorchLstmDoubleNet)),
            ("conv_lstm", nameof(TorchConvLstmNet)), ("two_layer_gru", nameof(TorchTwoLayerGruNet)),
        })
        {
            seeds.Add(new("PyTorch " + file, File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Streaming", file + ".safetensors")), network));
        }

        return seeds;
    }

    private static byte[] Saved<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var stream = new MemoryStream();
        SafeTensors.Save(network, stream);
        return stream.ToArray();
    }

    private static ITarget[] Targets() =>
    [
        new Target<float>(new FixtureNet()), new Target<float>(new TwoLayerNet()), new Target<double>(new TwoLayerDoubleNet()),
        new Target<float>(new MixedBiasNet()), new Target<float>(new TorchGruFcNet()), new Target<float>(new TorchModuleListNet()),
        new Target<double>(new TorchLstmDoubleNet()), new Target<float>(new TorchConvLstmNet()), new Target<float>(new TorchTwoLayerGruNet()),
    ];

    /// <summary>The target that loads each input into every network of <see cref="Targets"/>.</summary>
    private FileFuzzer Fuzzer(string name)
    {
        FileFuzzer? fuzzer = null;
        ITarget[] targets = Targets();
        fuzzer = new FileFuzzer(name, file =>
        {
            string? path = _fed++ % 8 == 0 ? WriteFile(file) : null;
            List<string> labels = targets.Select(t => t.Load(fuzzer!, file, path)).ToList();
            string? loaded = labels.FirstOrDefault(l => l.EndsWith(" loaded", StringComparison.Ordinal));
            return loaded ?? "refused " + string.Join(", ", labels.Select(l => l[(l.LastIndexOf(' ') + 1)..]).Distinct().Order(StringComparer.Ordinal));
        });
        return fuzzer;
    }

    private string WriteFile(byte[] file)
    {
        string path = Path.Combine(_directory, "input.safetensors");
        File.WriteAllBytes(path, file);
        return path;
    }

    private void Finish(FileFuzzer fuzzer)
    {
        _output.WriteLine(fuzzer.Summary());
        fuzzer.AssertNoFailures();
    }

    private interface ITarget
    {
        string Name { get; }

        /// <summary>Loads the file every way; returns "&lt;network&gt; loaded" or "&lt;network&gt; refused &lt;Reason&gt;".</summary>
        string Load(FileFuzzer fuzzer, byte[] file, string? path);
    }

    /// <summary>One network, its parameters set to a pattern before each load and compared bit for bit after a refusal.</summary>
    private sealed class Target<T> : ITarget
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly INetwork<T> _network;
        private readonly byte[] _pattern;
        private readonly string _name;
        private byte[]? _loaded;

        public string Name => _name;

        public Target(INetwork<T> network)
        {
            _network = network;
            _name = network.GetType().Name;
            Span<T> parameters = network.Parameters;
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] = T.CreateChecked(-1000.125 - i);
            }

            _pattern = MemoryMarshal.AsBytes(parameters).ToArray();
        }

        public string Load(FileFuzzer fuzzer, byte[] file, string? path)
        {
            string seekable = fuzzer.Bounded(file.Length, Bound(file.Length), () => Attempt(() => SafeTensors.Load(_network, new MemoryStream(file, writable: false))));
            byte[]? first = _loaded;
            string trickle = fuzzer.Bounded(file.Length, Bound(file.Length), () => Attempt(() => SafeTensors.Load(_network, new TrickleStream(file))));
            Assert.True(trickle == seekable, $"{_name}: a stream that cannot seek gave '{trickle}', a seekable one '{seekable}'");
            Assert.True(first is null || first.AsSpan().SequenceEqual(_loaded), $"{_name}: the two streams loaded different parameters");
            if (path is not null)
            {
                string fromFile = fuzzer.Bounded(file.Length, Bound(file.Length), () => Attempt(() => SafeTensors.Load(_network, path)));
                Assert.True(fromFile == seekable, $"{_name}: the file gave '{fromFile}', a stream '{seekable}'");
            }

            return _name + " " + seekable;
        }

        private string Attempt(Action load)
        {
            _loaded = null;
            try
            {
                load();
                _loaded = MemoryMarshal.AsBytes(_network.Parameters).ToArray();
                return "loaded";
            }
            catch (SafeTensorsException e)
            {
                Assert.True(MemoryMarshal.AsBytes(_network.Parameters).SequenceEqual(_pattern), $"{_name}: refused ({e.Reason}), but the parameters changed");
                return "refused " + e.Reason;
            }
            finally
            {
                MemoryMarshal.Cast<byte, T>(_pattern).CopyTo(_network.Parameters);
            }
        }
    }
}
