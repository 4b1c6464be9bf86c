using System;
using System.IO;
using NetGen;
using static NetGen.Tests.Persistence.V2Files;

namespace NetGen.Tests.Persistence;

/// <summary>
/// Version 2 files built by hand with valid checksums, so that only the format's own checks can refuse them: huge
/// declared lengths and counts (refused before anything is allocated for them), lengths past the section, bad UTF-8,
/// duplicates, unknown kinds, statistics that do not fit. Each gives ModelFileException and leaves the network as it was.
/// </summary>
public class ModelFileHostileMetadataTests
{
    private const long OneMegabyte = 1 << 20;

    private static readonly byte[] StandardizerPayload = FloatStandardizer([1f, 2f], [3f, 4f]);

    [Theory]
    [InlineData(0x8000_0000u)] // 2 GiB
    [InlineData(0xFFFF_FFFFu)]
    [InlineData((uint)ModelFile.MaxMetadataLength + 1)]
    public void A_metadata_length_over_the_limit_is_refused_before_allocating(uint declared)
    {
        var network = new SmallFloatNet();
        byte[] file = Model(network, Section(), declared);

        foreach (Func<Stream> stream in new Func<Stream>[] { () => new MemoryStream(file), () => new ForwardOnlyStream(file) })
        {
            ModelFileException e = Refused(network, stream, ModelFileError.InvalidMetadata);
            Assert.Contains($"{declared}", e.Message);
            Assert.InRange(Allocated(() => Refused(network, stream, ModelFileError.InvalidMetadata)), 0, OneMegabyte);
        }
    }

    [Fact]
    public void A_metadata_length_at_the_limit_in_a_tiny_file_is_truncation_found_without_allocating_it()
    {
        var network = new SmallFloatNet();
        byte[] file = Model(network, Section(), ModelFile.MaxMetadataLength);

        // Seekable: answered from the stream's length. A pipe: read in chunks, so it costs what it sent.
        foreach (Func<Stream> stream in new Func<Stream>[] { () => new MemoryStream(file), () => new ForwardOnlyStream(file) })
        {
            Refused(network, stream, ModelFileError.Truncated);
            Assert.InRange(Allocated(() => Refused(network, stream, ModelFileError.Truncated)), 0, OneMegabyte);
        }
    }

    public static TheoryData<string, byte[]> MalformedSections => new()
    {
        { "too short for its count", [1, 0] },
        { "2^32 - 1 entries", Section(0xFFFF_FFFFu) },
        { "2^31 entries in 20 bytes", Section(0x8000_0000u, new byte[16]) },
        { "more entries than present", Section(2, Entry(3, Utf8("k"), Utf8("v"))) },
        { "a payload of 2^32 - 1 bytes", Section(Entry(3, Utf8("k"), Utf8("v"), declaredPayloadLength: 0xFFFF_FFFFu)) },
        { "a payload past the end", Section(Entry(3, Utf8("k"), Utf8("v"), declaredPayloadLength: 2)) },
        { "a name of 65535 bytes", Section(Entry(3, Utf8("k"), Utf8("v"), declaredNameLength: 0xFFFF)) },
        { "a name of 257 bytes", Section(Entry(3, new byte[257], [])) },
        { "a name past the end", Section(Entry(3, Utf8("k"), [], declaredNameLength: 200)) },
        { "bytes after the last entry", [.. Section(Entry(3, Utf8("k"), Utf8("v"))), 0] },
        { "a key that is not UTF-8", Section(Entry(3, [0xC3, 0x28], Utf8("v"))) },
        { "a value that is not UTF-8", Section(Entry(3, Utf8("k"), [0xED, 0xA0, 0x80])) }, // an encoded surrogate
        { "an empty key", Section(Entry(3, [], Utf8("v"))) },
        { "a key twice", Section(Entry(3, Utf8("k"), Utf8("v")), Entry(3, Utf8("k"), Utf8("w"))) },
        { "a named standardiser", Section(Entry(1, Utf8("n"), StandardizerPayload)) },
        { "two standardisers", Section(Entry(1, [], StandardizerPayload), Entry(1, [], StandardizerPayload)) },
        { "a standardiser of 3 columns for 2 inputs", Section(Entry(1, [], FloatStandardizer([1f, 2f, 3f], [1f, 1f, 1f]))) },
        { "a standardiser of 0 columns", Section(Entry(1, [], FloatStandardizer([], []))) },
        { "a standardiser declaring 2^31 columns", Section(Entry(1, [], FloatStandardizer([1f, 2f], [3f, 4f], declaredColumns: 0x8000_0000u))) },
        { "a standardiser declaring 2^32 - 1 columns", Section(Entry(1, [], FloatStandardizer([1f, 2f], [3f, 4f], declaredColumns: 0xFFFF_FFFFu))) },
        { "a standardiser without its count", Section(Entry(1, [], [2, 0])) },
        { "a NaN mean", Section(Entry(1, [], FloatStandardizer([float.NaN, 2f], [3f, 4f]))) },
        { "an infinite deviation", Section(Entry(1, [], FloatStandardizer([1f, 2f], [3f, float.PositiveInfinity]))) },
        { "a negative deviation", Section(Entry(1, [], FloatStandardizer([1f, 2f], [-3f, 4f]))) },
        { "named class names", Section(Entry(2, Utf8("n"), ClassNames(null, Utf8("a")))) },
        { "two lists of class names", Section(Entry(2, [], ClassNames(null, Utf8("a"))), Entry(2, [], ClassNames(null, Utf8("b")))) },
        { "2^31 class names", Section(Entry(2, [], ClassNames(0x8000_0000u, Utf8("a")))) },
        { "more class names than present", Section(Entry(2, [], ClassNames(3, Utf8("a"), Utf8("b")))) },
        { "a class name of 2^32 - 1 bytes", Section(Entry(2, [], [1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, (byte)'a'])) },
        { "bytes after the last class name", Section(Entry(2, [], [.. ClassNames(null, Utf8("a")), 0])) },
        { "a class name that is not UTF-8", Section(Entry(2, [], ClassNames(null, [0xFF]))) },
        { "class names without their count", Section(Entry(2, [], [1])) },
    };

    [Theory]
    [MemberData(nameof(MalformedSections))]
    public void A_malformed_section_with_valid_checksums_is_refused_as_invalid_metadata(string what, byte[] section)
    {
        var network = new SmallFloatNet();
        network.InitializeParameters(4);
        byte[] file = Model(network, section);
        var target = new SmallFloatNet();
        target.InitializeParameters(5);

        foreach (Func<Stream> stream in new Func<Stream>[] { () => new MemoryStream(file), () => new ForwardOnlyStream(file) })
        {
            ModelFileException e = Refused(target, stream, ModelFileError.InvalidMetadata);
            Assert.StartsWith("The file's checksums match, but", e.Message);
            Assert.InRange(Allocated(() => Refused(target, stream, ModelFileError.InvalidMetadata)), 0, OneMegabyte);
            _ = what;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(0x7FFF)]
    public void An_unknown_kind_below_0x8000_is_refused_as_unsupported(ushort kind)
    {
        var network = new SmallFloatNet();
        byte[] file = Model(network, Section(Entry(kind, Utf8("future"), [1, 2, 3])));

        ModelFileException e = Refused(network, () => new MemoryStream(file), ModelFileError.UnsupportedVersion);
        Assert.Contains($"0x{kind:X4}", e.Message);
    }

    [Theory]
    [InlineData(0x8000)]
    [InlineData(0x8001)]
    [InlineData(0xFFFF)]
    public void An_unknown_kind_from_0x8000_is_skipped(ushort kind)
    {
        var source = new SmallFloatNet();
        source.InitializeParameters(8);
        byte[] file = Model(source, Section(
            Entry(kind, Utf8("future"), [1, 2, 3]),
            Entry(2, [], ClassNames(null, Utf8("yes"), Utf8("no"))),
            Entry(kind, [], [])));
        var target = new SmallFloatNet();

        ModelMetadata<float> metadata = ModelFile.LoadWithMetadata(target, new MemoryStream(file));

        Assert.Equal(Bytes<float>(source.Parameters), Bytes<float>(target.Parameters));
        Assert.Equal(["yes", "no"], metadata.ClassNames);
        Assert.Null(metadata.InputStandardizer);
        Assert.Empty(metadata.Properties);
    }

    [Fact]
    public void Entries_in_any_order_load()
    {
        var network = new SmallFloatNet();
        byte[] file = Model(network, Section(
            Entry(3, Utf8("z"), Utf8("last key first")),
            Entry(2, [], ClassNames(null, Utf8(""), Utf8("two"))),
            Entry(3, Utf8("a"), []),
            Entry(1, [], StandardizerPayload)));

        ModelMetadata<float> metadata = ModelFile.LoadWithMetadata(new SmallFloatNet(), new MemoryStream(file));

        Assert.Equal([1f, 2f], metadata.InputStandardizer!.Means.ToArray());
        Assert.Equal([3f, 4f], metadata.InputStandardizer.StandardDeviations.ToArray());
        Assert.Equal([string.Empty, "two"], metadata.ClassNames);
        Assert.Equal("last key first", metadata.Properties["z"]);
        Assert.Equal(string.Empty, metadata.Properties["a"]);
    }

    [Fact]
    public void A_huge_parameter_count_is_a_topology_mismatch_before_allocating()
    {
        var network = new SmallFloatNet();
        byte[] file = Model(1, 0xFFFF_FFFFu, Fnv1a64(SmallFloatNet.Topology), new byte[24], Section());

        Refused(network, () => new MemoryStream(file), ModelFileError.TopologyMismatch);
        Assert.InRange(Allocated(() => Refused(network, () => new MemoryStream(file), ModelFileError.TopologyMismatch)), 0, OneMegabyte);
    }

    private static ModelFileException Refused(SmallFloatNet network, Func<Stream> stream, ModelFileError reason)
    {
        byte[] before = Bytes<float>(network.Parameters);
        ModelFileException e = Assert.Throws<ModelFileException>(() => ModelFile.LoadWithMetadata(network, stream()));
        Assert.True(e.Reason == reason, $"{e.Reason}: {e.Message}");
        Assert.Equal(before, Bytes<float>(network.Parameters));
        return e;
    }
}
