using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;
using NetGen;
using NetGen.TestFixtures;
using NetGen.Tests.Persistence;
using Xunit.Abstractions;
using static NetGen.Tests.Fuzzing.ModelFileLayout;

namespace NetGen.Tests.Fuzzing;

/// <summary>
/// Fuzzing the parameter file reader (ModelFile.Load and LoadWithMetadata, format versions 1 and 2) and the
/// standardiser file reader (Standardizer&lt;T&gt;.Load), from valid files the library writes and the committed
/// fixtures: every truncation, seeded random mutations (bit flips, overwritten integers, ranges deleted, inserted,
/// repeated; half of them with the checksums made valid again, so that the checks behind the checksums see them), and
/// every length, count and kind field set to each boundary value (docs/reliability.md, "Fuzzing the file readers").
/// </summary>
/// <remarks>
/// <para>
/// Each input is loaded into four networks (float 2-2-1, its double twin, float 3-5-2, double 70-40-3), each through
/// a seekable stream (<c>Load</c>) and a forward-only one (<c>LoadWithMetadata</c>), and every eighth input also from a file.
/// The promises held, for each load: it loads or throws <see cref="ModelFileException"/>, nothing else; a refusal
/// leaves the network's parameters bit for bit as they were; a load sets them to exactly the file's bytes and leaves a
/// seekable stream just after the checksum; the two streams give the same answer, and the file the same (or
/// <see cref="ModelFileError.Corrupted"/> when bytes follow the checksum); and each load allocates at most
/// <see cref="Bound"/>.
/// </para>
/// <para>
/// No "deep nesting" here: neither format nests (a parameter file's metadata is a flat list of entries).
/// </para>
/// </remarks>
[Trait("Category", "FileFuzz")]
public sealed class ModelFileFuzzTests : IDisposable
{
    /// <summary>Random mutants per reader in CI; <c>NETGEN_FUZZ_ITERATIONS</c> sets another count.</summary>
    public const int CiMutants = 4_000;

    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    private readonly ITestOutputHelper _output;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-fuzz-" + Guid.NewGuid().ToString("N"));
    private int _fed;

    public ModelFileFuzzTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_directory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>
    /// The most one load of a file of <paramref name="length"/> bytes may allocate: what the reader needs, with room.
    /// It reads the bytes after the header into one buffer, at most the file's length (from a seekable stream it
    /// allocates nothing when fewer bytes are there than declared; from a forward-only one the buffer starts at
    /// 64 KiB, or the declared length if smaller, and doubles as bytes arrive, so at most 64 KiB and twice the
    /// length, in buffers adding up to four times); the parameters and the metadata decoded from them take at most
    /// twice their bytes (text becomes UTF-16; a standardiser's statistics are read, then copied); and a constant for
    /// the streams, the exception, its message and its stack trace. So 8 bytes per byte of the file, 64 KiB and
    /// 32 KiB: the largest load measured is in the test output and in docs/reliability.md.
    /// </summary>
    internal static long Bound(long length) => (8 * length) + (64 * 1024) + (32 * 1024);

    // ---- Parameter files.

    [Fact]
    public void A_parameter_file_cut_at_every_byte_is_refused_as_truncated_and_changes_no_network()
    {
        FuzzSeed? current = null;
        FileFuzzer fuzzer = ModelFuzzer("ModelFile, truncations", (file, labels) =>
        {
            Assert.DoesNotContain(labels, l => l.EndsWith(" loaded", StringComparison.Ordinal));
            string tag = (string)current!.Tag!;
            Assert.Equal(tag + " refused Truncated", labels.Single(l => l.StartsWith(tag + " ", StringComparison.Ordinal)));
        });
        fuzzer.Guarded(HangLimit, () =>
        {
            // Every seed but the 23 KB version 1 file of WideDouble, whose every cut its version 2 file (27 KB) makes too.
            foreach (FuzzSeed seed in ModelSeeds().Where(s => s.Name != "WideDouble v1"))
            {
                current = seed;
                fuzzer.Truncations(seed);
            }
        });

        Finish(fuzzer);
        Assert.Equal(ModelSeeds().Where(s => s.Name != "WideDouble v1").Sum(s => s.Bytes.Length), fuzzer.Inputs);
    }

    [Fact]
    public void Random_mutants_of_parameter_files_load_or_are_refused_as_documented_and_a_refusal_changes_no_network()
    {
        FileFuzzer fuzzer = ModelFuzzer("ModelFile, random mutants", null);
        fuzzer.Guarded(HangLimit, () => fuzzer.Mutants(ModelSeeds(), FileFuzzSettings.Iterations(CiMutants), FieldMutation(ModelFields, FixModelChecksums), 30, FixModelChecksums));

        Finish(fuzzer);

        // The checks behind the checksums were reached: a repaired mutant can be well formed or break the metadata's rules.
        Assert.Contains(fuzzer.Outcomes.Keys, k => k.Contains("refused InvalidMetadata", StringComparison.Ordinal));
        Assert.Contains(fuzzer.Outcomes.Keys, k => k.Contains("refused Corrupted", StringComparison.Ordinal));
        Assert.Contains(fuzzer.Outcomes.Keys, k => k.Contains("loaded", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_length_count_and_kind_field_of_a_parameter_file_at_every_boundary_value_is_loaded_or_refused_within_the_bound()
    {
        FileFuzzer fuzzer = ModelFuzzer("ModelFile, huge declared sizes", null);
        fuzzer.Guarded(HangLimit, () =>
        {
            foreach (FuzzSeed seed in ModelSeeds())
            {
                foreach (Field field in ModelFields(seed.Bytes))
                {
                    foreach (ulong value in Interesting(field.Width))
                    {
                        byte[] changed = With(seed.Bytes, field, value);
                        fuzzer.Feed(FixModelChecksums(changed), $"{seed.Name}: {field.Name} (byte {field.Offset}) set to {value} (0x{value:X}), checksums fixed");
                        fuzzer.Feed(changed, $"{seed.Name}: {field.Name} (byte {field.Offset}) set to {value} (0x{value:X})");
                    }
                }
            }
        });

        Finish(fuzzer);
        Assert.True(fuzzer.Inputs > 1_000, $"{fuzzer.Inputs} inputs");
    }

    // ---- Standardiser files.

    [Fact]
    public void A_standardiser_file_cut_at_every_byte_is_refused_as_truncated()
    {
        FuzzSeed? current = null;
        FileFuzzer fuzzer = StandardizerFuzzer("Standardizer.Load, truncations", labels =>
        {
            string tag = (string)current!.Tag!;
            Assert.Equal(tag + " refused Truncated", labels.Single(l => l.StartsWith(tag + " ", StringComparison.Ordinal)));
            Assert.DoesNotContain(labels, l => l.EndsWith(" loaded", StringComparison.Ordinal));
        });
        fuzzer.Guarded(HangLimit, () =>
        {
            foreach (FuzzSeed seed in StandardizerSeeds())
            {
                current = seed;
                fuzzer.Truncations(seed);
            }
        });

        Finish(fuzzer);
    }

    [Fact]
    public void Random_mutants_of_standardiser_files_load_or_are_refused_as_documented()
    {
        FileFuzzer fuzzer = StandardizerFuzzer("Standardizer.Load, random mutants", null);
        fuzzer.Guarded(HangLimit, () => fuzzer.Mutants(StandardizerSeeds(), FileFuzzSettings.Iterations(CiMutants), FieldMutation(_ => StandardizerFields(), FixStandardizerChecksums), 30, FixStandardizerChecksums));

        Finish(fuzzer);
        Assert.Contains(fuzzer.Outcomes.Keys, k => k.Contains("loaded", StringComparison.Ordinal));
        Assert.Contains(fuzzer.Outcomes.Keys, k => k.Contains("refused InvalidMetadata", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_header_field_of_a_standardiser_file_at_every_boundary_value_is_refused_or_loaded_within_the_bound()
    {
        FileFuzzer fuzzer = StandardizerFuzzer("Standardizer.Load, huge declared sizes", null);
        fuzzer.Guarded(HangLimit, () =>
        {
            foreach (FuzzSeed seed in StandardizerSeeds())
            {
                foreach (Field field in StandardizerFields())
                {
                    foreach (ulong value in Interesting(field.Width))
                    {
                        byte[] changed = With(seed.Bytes, field, value);
                        fuzzer.Feed(FixStandardizerChecksums(changed), $"{seed.Name}: {field.Name} set to {value} (0x{value:X}), checksums fixed");
                        fuzzer.Feed(changed, $"{seed.Name}: {field.Name} set to {value} (0x{value:X})");
                    }
                }
            }
        });

        Finish(fuzzer);
    }

    // ---- Seeds.

    /// <summary>
    /// Valid parameter files: version 1 saved by the library for each network, version 2 with every kind of metadata
    /// (and with none, and with an entry of an unknown skippable kind), and the committed fixtures. The tag names the
    /// network each was saved from.
    /// </summary>
    private static List<FuzzSeed> ModelSeeds()
    {
        var seeds = new List<FuzzSeed>();
        var small = new SmallFloatNet();
        small.InitializeParameters(11);
        var twin = new SmallDoubleNet();
        twin.InitializeParameters(12);
        var wider = new WiderFloatNet();
        wider.InitializeParameters(13);
        var wide = new WideDouble();
        wide.InitializeParameters(14);

        seeds.Add(new("SmallFloatNet v1", Saved(small, null), nameof(SmallFloatNet)));
        seeds.Add(new("SmallDoubleNet v1", Saved(twin, null), nameof(SmallDoubleNet)));
        seeds.Add(new("WiderFloatNet v2, empty metadata", Saved(wider, new ModelMetadata<float>()), nameof(WiderFloatNet)));
        seeds.Add(new(
            "WiderFloatNet v2, all metadata",
            Saved(wider, new ModelMetadata<float>
            {
                InputStandardizer = Standardizer<float>.FromStatistics([1.5f, -0f, 1e-30f], [0.5f, 0f, 3f]),
                ClassNames = ["setosa", "versicolor", ""],
                Properties = new Dictionary<string, string> { ["dataset"] = "iris", ["é"] = "ü ✓", ["empty"] = string.Empty },
            }),
            nameof(WiderFloatNet)));
        seeds.Add(new(
            "SmallDoubleNet v2, standardiser and class names",
            Saved(twin, new ModelMetadata<double>
            {
                InputStandardizer = Standardizer<double>.FromStatistics([Math.PI, -1e300], [0.25, 0]),
                ClassNames = ["no", "yes"],
            }),
            nameof(SmallDoubleNet)));
        seeds.Add(new("WideDouble v1", Saved(wide, null), nameof(WideDouble)));
        seeds.Add(new(
            "WideDouble v2, a 70-column standardiser, 10 class names and a long property",
            Saved(wide, new ModelMetadata<double>
            {
                InputStandardizer = Standardizer<double>.FromStatistics(Enumerable.Range(0, 70).Select(i => i * 0.5).ToArray(), Enumerable.Range(0, 70).Select(i => 1.0 / (i + 1)).ToArray()),
                ClassNames = Enumerable.Range(0, 10).Select(i => "digit " + i).ToArray(),
                Properties = new Dictionary<string, string> { ["hyperparameters"] = new string('x', 3000) },
            }),
            nameof(WideDouble)));
        seeds.Add(new(
            "SmallFloatNet v2, a skippable unknown entry and a property",
            V2Files.Model(small, V2Files.Section(V2Files.Entry(0x8001, V2Files.Utf8("future"), [1, 2, 3]), V2Files.Entry(3, V2Files.Utf8("k"), V2Files.Utf8("v")))),
            nameof(SmallFloatNet)));
        foreach ((string file, string network) in new[] { ("small-double.ngp", nameof(SmallDoubleNet)), ("wider-float-seed7.ngp", nameof(WiderFloatNet)), ("v1-wider-float-eighths.ngp", nameof(WiderFloatNet)) })
        {
            seeds.Add(new("fixture " + file, File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", file)), network));
        }

        return seeds;
    }

    private static List<FuzzSeed> StandardizerSeeds()
    {
        return
        [
            new("float, 3 columns", Saved(Standardizer<float>.FromStatistics([1.5f, -2f, 1e20f], [0.5f, 0f, float.Epsilon])), "float"),
            new("double, 2 columns", Saved(Standardizer<double>.FromStatistics([Math.E, -0.0], [1e-300, 7])), "double"),
            new("float, 1 column", Saved(Standardizer<float>.FromStatistics([0f], [1f])), "float"),
        ];
    }

    private static byte[] Saved<T>(INetwork<T> network, ModelMetadata<T>? metadata)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var stream = new MemoryStream();
        ModelFile.Save(network, stream, metadata);
        return stream.ToArray();
    }

    private static byte[] Saved<T>(Standardizer<T> standardizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var stream = new MemoryStream();
        standardizer.Save(stream);
        return stream.ToArray();
    }

    /// <summary>A mutation that sets one field of the file's layout to a boundary value and makes the checksums valid.</summary>
    private static StructuredMutation FieldMutation(Func<byte[], List<Field>> fields, Func<byte[], byte[]> fix) =>
        (byte[] input, ref SplitMix64 random, List<string> steps) =>
        {
            List<Field> found = input.Length >= 32 ? fields(input).Where(f => f.Offset + f.Width <= input.Length).ToList() : [];
            if (found.Count == 0)
            {
                return ByteMutator.Mutate(input, ref random, steps);
            }

            Field field = random.Pick(found);
            ulong value = random.Pick(Interesting(field.Width).ToList());
            steps.Add($"{field.Name} (byte {field.Offset}) set to 0x{value:X}, checksums fixed");
            return fix(With(input, field, value));
        };

    // ---- The targets.

    /// <summary>The parameter-file target; <paramref name="check"/> adds promises about each input's labels.</summary>
    private FileFuzzer ModelFuzzer(string name, Action<byte[], List<string>>? check)
    {
        FileFuzzer? fuzzer = null;
        var targets = new ITarget[] { new ModelTarget<float>(new SmallFloatNet()), new ModelTarget<double>(new SmallDoubleNet()), new ModelTarget<float>(new WiderFloatNet()), new ModelTarget<double>(new WideDouble()) };
        fuzzer = new FileFuzzer(name, file =>
        {
            string? path = _fed++ % 8 == 0 ? WriteFile(file) : null;
            List<string> labels = targets.Select(t => t.Load(fuzzer!, file, path)).ToList();
            check?.Invoke(file, labels);
            string? loaded = labels.FirstOrDefault(l => l.EndsWith(" loaded", StringComparison.Ordinal));
            return loaded ?? "refused " + string.Join(", ", labels.Select(l => l[(l.LastIndexOf(' ') + 1)..]).Distinct().Order(StringComparer.Ordinal));
        });
        return fuzzer;
    }

    private FileFuzzer StandardizerFuzzer(string name, Action<List<string>>? check)
    {
        FileFuzzer? fuzzer = null;
        var targets = new ITarget[] { new StandardizerTarget<float>(), new StandardizerTarget<double>() };
        fuzzer = new FileFuzzer(name, file =>
        {
            string? path = _fed++ % 8 == 0 ? WriteFile(file) : null;
            List<string> labels = targets.Select(t => t.Load(fuzzer!, file, path)).ToList();
            check?.Invoke(labels);
            return string.Join("; ", labels);
        });
        return fuzzer;
    }

    private string WriteFile(byte[] file)
    {
        string path = Path.Combine(_directory, "input.bin");
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
        /// <summary>Loads the file every way; returns "&lt;name&gt; loaded" or "&lt;name&gt; refused &lt;Reason&gt;".</summary>
        string Load(FileFuzzer fuzzer, byte[] file, string? path);
    }

    /// <summary>One network, its parameters set to a pattern no file holds before each load and compared bit for bit after.</summary>
    private sealed class ModelTarget<T> : ITarget
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly INetwork<T> _network;
        private readonly byte[] _pattern;
        private readonly string _name;

        public ModelTarget(INetwork<T> network)
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
            string seekable = fuzzer.Bounded(file.Length, Bound(file.Length), () => Attempt(file, () =>
            {
                var stream = new MemoryStream(file, writable: false);
                ModelFile.Load(_network, stream);
                Assert.Equal(DeclaredLength(file), stream.Position);
                return null;
            }));
            string forward = fuzzer.Bounded(file.Length, Bound(file.Length), () => Attempt(file, () => ModelFile.LoadWithMetadata(_network, new ForwardOnlyStream(file))));
            Assert.True(forward == seekable, $"{_name}: a forward-only stream gave '{forward}', a seekable one '{seekable}'");
            if (path is not null)
            {
                string fromFile = fuzzer.Bounded(file.Length, Bound(file.Length), () => Attempt(file, () => ModelFile.LoadWithMetadata(_network, path)));
                bool trailing = seekable == "loaded" && file.Length > DeclaredLength(file);
                Assert.True(fromFile == (trailing ? "refused Corrupted" : seekable), $"{_name}: the file gave '{fromFile}', a stream '{seekable}'");
            }

            return _name + " " + seekable;
        }

        /// <summary>One load: "loaded" with the parameters checked, or "refused Reason" with the network checked unchanged.</summary>
        private string Attempt(byte[] file, Func<ModelMetadata<T>?> load)
        {
            try
            {
                ModelMetadata<T>? metadata = load();
                int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8)) == 2 ? 32 : 28;
                byte[] loaded = MemoryMarshal.AsBytes(_network.Parameters).ToArray();
                Assert.True(loaded.AsSpan().SequenceEqual(file.AsSpan(headerLength, loaded.Length)), $"{_name}: the loaded parameters are not the file's bytes");
                if (metadata?.InputStandardizer is { } standardizer)
                {
                    Assert.Equal(_network.InputCount, standardizer.ColumnCount);
                }

                Assert.All(metadata?.Properties.Keys ?? [], key => Assert.NotEmpty(key));
                return "loaded";
            }
            catch (ModelFileException e)
            {
                Assert.True(MemoryMarshal.AsBytes(_network.Parameters).SequenceEqual(_pattern), $"{_name}: refused ({e.Reason}), but the parameters changed");
                return "refused " + e.Reason;
            }
            finally
            {
                MemoryMarshal.Cast<byte, T>(_pattern).CopyTo(_network.Parameters);
            }
        }

        /// <summary>Where the file's header says it ends: header, parameters, metadata, checksum.</summary>
        private long DeclaredLength(byte[] file)
        {
            bool version2 = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8)) == 2;
            long metadata = version2 ? BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(24)) : 0;
            return (version2 ? 32 : 28) + (_network.Parameters.Length * (long)Marshal.SizeOf<T>()) + metadata + 4;
        }
    }

    private sealed class StandardizerTarget<T> : ITarget
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly string _name = typeof(T) == typeof(float) ? "float" : "double";

        public string Load(FileFuzzer fuzzer, byte[] file, string? path)
        {
            string seekable = fuzzer.Bounded(file.Length, Bound(file.Length), () => Attempt(file, () =>
            {
                var stream = new MemoryStream(file, writable: false);
                Standardizer<T> loaded = Standardizer<T>.Load(stream);
                Assert.Equal(20 + (2L * loaded.ColumnCount * Marshal.SizeOf<T>()) + 4, stream.Position);
                return loaded;
            }));
            string forward = fuzzer.Bounded(file.Length, Bound(file.Length), () => Attempt(file, () => Standardizer<T>.Load(new ForwardOnlyStream(file))));
            Assert.True(forward == seekable, $"{_name}: a forward-only stream gave '{forward}', a seekable one '{seekable}'");
            if (path is not null)
            {
                string fromFile = fuzzer.Bounded(file.Length, Bound(file.Length), () => Attempt(file, () => Standardizer<T>.Load(path)));
                Assert.True(fromFile == seekable || (seekable == "loaded" && fromFile == "refused Corrupted"), $"{_name}: the file gave '{fromFile}', a stream '{seekable}'");
            }

            return _name + " " + seekable;
        }

        private string Attempt(byte[] file, Func<Standardizer<T>> load)
        {
            try
            {
                Standardizer<T> loaded = load();
                int columns = loaded.ColumnCount;
                byte[] values = [.. MemoryMarshal.AsBytes(loaded.Means), .. MemoryMarshal.AsBytes(loaded.StandardDeviations)];
                Assert.True(values.AsSpan().SequenceEqual(file.AsSpan(20, values.Length)), $"{_name}: the loaded statistics are not the file's bytes");
                Assert.True(columns >= 1);
                return "loaded";
            }
            catch (ModelFileException e)
            {
                return "refused " + e.Reason;
            }
        }
    }
}
