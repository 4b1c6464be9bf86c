using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen;
using static NetGen.Tests.Persistence.V2Files;

namespace NetGen.Tests.Persistence;

/// <summary>ModelFile format version 2: the documented layout, round trips with metadata, and what v1 and v2 share.</summary>
public sealed class ModelFileMetadataTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-metadata-" + Guid.NewGuid().ToString("N"));

    public ModelFileMetadataTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>SmallFloatNet (2 inputs) with known parameters, a standardiser, two class names and two properties.</summary>
    internal static (SmallFloatNet Network, ModelMetadata<float> Metadata) Sample()
    {
        var network = new SmallFloatNet();
        float[] values = [1.5f, -2f, 0.25f, 3f, -0.5f, 8f];
        values.CopyTo(network.Parameters);
        var metadata = new ModelMetadata<float>
        {
            InputStandardizer = Standardizer<float>.FromStatistics([1.5f, -2f], [0.5f, 0f]),
            ClassNames = ["cat", "chien"],
            Properties = new Dictionary<string, string> { ["b"] = "2", ["a"] = "é" },
        };
        return (network, metadata);
    }

    [Fact]
    public void Save_WithMetadata_WritesTheDocumentedVersion2Layout()
    {
        (SmallFloatNet network, ModelMetadata<float> metadata) = Sample();

        // docs/format.md, written out: a 32-byte header, 6 float parameters at 32, the 81-byte section at 56, the CRC at 137.
        var expected = new byte[141];
        ModelMagic.CopyTo(expected, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(expected.AsSpan(8), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(expected.AsSpan(10), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(12), 6);
        BinaryPrimitives.WriteUInt64LittleEndian(expected.AsSpan(16), Fnv1a64("float 2 | 2 ReLU nobias | 1 Identity nobias | MeanSquaredError"));
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(24), 81);
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(28), Crc32.Compute(expected.AsSpan(0, 28)));
        float[] parameters = [1.5f, -2f, 0.25f, 3f, -0.5f, 8f];
        for (int i = 0; i < 6; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(expected.AsSpan(32 + (4 * i)), parameters[i]);
        }

        Span<byte> m = expected.AsSpan(56, 81);
        BinaryPrimitives.WriteUInt32LittleEndian(m, 4); // entries
        // Entry 0 at 4: the input standardiser (kind 1, no name, 20 bytes: 2 columns, means 1.5 -2, deviations 0.5 0).
        BinaryPrimitives.WriteUInt16LittleEndian(m[4..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(m[6..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(m[8..], 20);
        BinaryPrimitives.WriteUInt32LittleEndian(m[12..], 2);
        BinaryPrimitives.WriteSingleLittleEndian(m[16..], 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(m[20..], -2f);
        BinaryPrimitives.WriteSingleLittleEndian(m[24..], 0.5f);
        BinaryPrimitives.WriteSingleLittleEndian(m[28..], 0f);
        // Entry 1 at 32: the class names (kind 2, no name, 20 bytes: 2 names, "cat", "chien").
        BinaryPrimitives.WriteUInt16LittleEndian(m[32..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(m[34..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(m[36..], 20);
        BinaryPrimitives.WriteUInt32LittleEndian(m[40..], 2);
        BinaryPrimitives.WriteUInt32LittleEndian(m[44..], 3);
        "cat"u8.CopyTo(m[48..]);
        BinaryPrimitives.WriteUInt32LittleEndian(m[51..], 5);
        "chien"u8.CopyTo(m[55..]);
        // Entries 2 and 3 at 60 and 71: the properties in ordinal key order, "a" = "é" (C3 A9), "b" = "2".
        BinaryPrimitives.WriteUInt16LittleEndian(m[60..], 3);
        BinaryPrimitives.WriteUInt16LittleEndian(m[62..], 1);
        m[64] = (byte)'a';
        BinaryPrimitives.WriteUInt32LittleEndian(m[65..], 2);
        m[69] = 0xC3;
        m[70] = 0xA9;
        BinaryPrimitives.WriteUInt16LittleEndian(m[71..], 3);
        BinaryPrimitives.WriteUInt16LittleEndian(m[73..], 1);
        m[75] = (byte)'b';
        BinaryPrimitives.WriteUInt32LittleEndian(m[76..], 1);
        m[80] = (byte)'2';
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(137), Crc32.Compute(expected.AsSpan(0, 137)));

        Assert.Equal(expected, SaveToBytes(network, metadata));
    }

    [Fact]
    public void Save_WithoutMetadata_WritesVersion1_AndWithEmptyMetadata_Version2()
    {
        var network = new SmallFloatNet();
        network.InitializeParameters(2);

        byte[] none = SaveToBytes(network, null);
        byte[] empty = SaveToBytes(network, new ModelMetadata<float>());

        var v1 = new MemoryStream();
        ModelFile.Save(network, v1);
        Assert.Equal(v1.ToArray(), none);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(none.AsSpan(8)));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(empty.AsSpan(8)));
        Assert.Equal(32 + 24 + 4 + 4, empty.Length); // header, parameters, a section of one zero count, checksum
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(empty.AsSpan(24)));
    }

    [Fact]
    public void RoundTrip_Float_ThroughAPath_GivesParametersAndMetadataBack()
    {
        // The classifier of Networks.cs: 4 inputs, 3 Softmax outputs.
        var source = new CrossEntropyFloat();
        source.InitializeParameters(5);
        source.Parameters[0] = -0f;
        source.Parameters[1] = float.Epsilon;
        var rows = new float[40];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = MathF.Sin(i * 0.7f) * (i % 4 + 1);
        }

        Standardizer<float> standardizer = Standardizer<float>.Fit(rows, 4);
        string path = Path.Combine(_directory, "classifier.netgen");
        ModelFile.Save(source, path, new ModelMetadata<float>
        {
            InputStandardizer = standardizer,
            ClassNames = ["setosa", "versicolor", "virginica"],
            Properties = new Dictionary<string, string> { ["dataset"] = "iris", ["notes"] = "日本語\n\0 and a NUL" },
        });

        var target = new CrossEntropyFloat();
        target.InitializeParameters(6);
        ModelMetadata<float> loaded = ModelFile.LoadWithMetadata(target, path);

        Assert.Equal(Bytes<float>(source.Parameters), Bytes<float>(target.Parameters));
        Assert.NotNull(loaded.InputStandardizer);
        Assert.Equal(Bytes(standardizer.Means), Bytes(loaded.InputStandardizer.Means));
        Assert.Equal(Bytes(standardizer.StandardDeviations), Bytes(loaded.InputStandardizer.StandardDeviations));
        Assert.Equal(["setosa", "versicolor", "virginica"], loaded.ClassNames);
        Assert.Equal(2, loaded.Properties.Count);
        Assert.Equal("iris", loaded.Properties["dataset"]);
        Assert.Equal("日本語\n\0 and a NUL", loaded.Properties["notes"]);

        // The loaded standardiser feeds the network exactly as the saved one did.
        var a = new float[rows.Length];
        var b = new float[rows.Length];
        standardizer.Transform(rows, a);
        loaded.InputStandardizer.Transform(rows, b);
        Assert.Equal(Bytes<float>(a), Bytes<float>(b));
    }

    [Fact]
    public void RoundTrip_Double_ThroughAStream_GivesParametersAndMetadataBack()
    {
        var source = new MixedDouble(); // 4 inputs
        source.InitializeParameters(9);
        source.Parameters[3] = double.Epsilon;
        Standardizer<double> standardizer = Standardizer<double>.FromStatistics([Math.PI, -0.0, 1e300, 7], [0.1, 0, double.Epsilon, 1e-300]);
        var stream = new MemoryStream();
        ModelFile.Save(source, stream, new ModelMetadata<double> { InputStandardizer = standardizer, ClassNames = [] });
        ModelFile.Save(source, stream); // a version 1 file after it
        stream.Position = 0;

        var target = new MixedDouble();
        ModelMetadata<double> loaded = ModelFile.LoadWithMetadata(target, stream);
        long end = stream.Position;
        ModelMetadata<double> second = ModelFile.LoadWithMetadata(new MixedDouble(), stream);

        Assert.Equal(Bytes<double>(source.Parameters), Bytes<double>(target.Parameters));
        Assert.Equal(Bytes(standardizer.Means), Bytes(loaded.InputStandardizer!.Means));
        Assert.Equal(Bytes(standardizer.StandardDeviations), Bytes(loaded.InputStandardizer.StandardDeviations));
        Assert.NotNull(loaded.ClassNames);
        Assert.Empty(loaded.ClassNames);
        Assert.Empty(loaded.Properties);
        Assert.Equal(32 + (MixedDouble.ParameterCount * 8) + 4 + (8 + 4 + (8 * 8)) + (8 + 4) + 4, end);
        Assert.Null(second.InputStandardizer);
        Assert.Null(second.ClassNames);
        Assert.Empty(second.Properties);
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void Version1Fixture_LoadsWithEmptyMetadata()
    {
        var network = new WiderFloatNet();
        ModelMetadata<float> metadata = ModelFile.LoadWithMetadata(network, Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", "v1-wider-float-eighths.ngp"));

        Assert.Equal(Bytes<float>(ModelFileVersion1FixtureTests.Expected()), Bytes<float>(network.Parameters));
        Assert.Null(metadata.InputStandardizer);
        Assert.Null(metadata.ClassNames);
        Assert.Empty(metadata.Properties);
    }

    [Fact]
    public void Load_OfAVersion2File_ReadsTheParameters_AndChecksTheMetadata()
    {
        (SmallFloatNet network, ModelMetadata<float> metadata) = Sample();
        string path = Path.Combine(_directory, "v2.netgen");
        ModelFile.Save(network, path, metadata);

        var target = new SmallFloatNet();
        ModelFile.Load(target, path);
        Assert.Equal(Bytes<float>(network.Parameters), Bytes<float>(target.Parameters));

        // Metadata that breaks the format is refused by the plain Load too, though it would have discarded it.
        byte[] bad = Model(network, Section(Entry(3, Utf8("k"), [0xFF])));
        var untouched = new SmallFloatNet();
        byte[] before = Bytes<float>(untouched.Parameters);
        Assert.Equal(ModelFileError.InvalidMetadata, Assert.Throws<ModelFileException>(() => ModelFile.Load(untouched, new MemoryStream(bad))).Reason);
        Assert.Equal(before, Bytes<float>(untouched.Parameters));
    }

    [Fact]
    public void Version2_FromAnotherTopologyOrElementType_IsRefused_AndChangesNothing()
    {
        (SmallFloatNet network, ModelMetadata<float> metadata) = Sample();
        byte[] file = SaveToBytes(network, metadata);

        var tanh = new TanhFloatNet(); // same parameter count and inputs, another activation
        byte[] before = Bytes<float>(tanh.Parameters);
        ModelFileException e = Assert.Throws<ModelFileException>(() => ModelFile.LoadWithMetadata(tanh, new MemoryStream(file)));
        Assert.Equal(ModelFileError.TopologyMismatch, e.Reason);
        Assert.Contains(TanhFloatNet.Topology, e.Message);
        Assert.Equal(before, Bytes<float>(tanh.Parameters));

        var wider = new WiderFloatNet();
        before = Bytes<float>(wider.Parameters);
        Assert.Equal(ModelFileError.TopologyMismatch, Assert.Throws<ModelFileException>(() => ModelFile.LoadWithMetadata(wider, new MemoryStream(file))).Reason);
        Assert.Equal(before, Bytes<float>(wider.Parameters));

        var doubles = new SmallDoubleNet();
        byte[] doublesBefore = Bytes<double>(doubles.Parameters);
        Assert.Equal(ModelFileError.WrongElementType, Assert.Throws<ModelFileException>(() => ModelFile.LoadWithMetadata(doubles, new MemoryStream(file))).Reason);
        Assert.Equal(doublesBefore, Bytes<double>(doubles.Parameters));
    }

    [Fact]
    public void Truncated_AtEveryByte_IsRefusedAsTruncated_AndChangesNothing()
    {
        (SmallFloatNet source, ModelMetadata<float> metadata) = Sample();
        byte[] file = SaveToBytes(source, metadata);
        var network = new SmallFloatNet();
        network.InitializeParameters(12);
        byte[] before = Bytes<float>(network.Parameters);

        for (int length = 0; length < file.Length; length++)
        {
            foreach (Stream stream in new Stream[] { new MemoryStream(file, 0, length), new ForwardOnlyStream(file[..length]) })
            {
                ModelFileException e = Assert.Throws<ModelFileException>(() => ModelFile.LoadWithMetadata(network, stream));
                Assert.True(e.Reason == ModelFileError.Truncated, $"length {length}, {stream.GetType().Name}: {e.Reason}: {e.Message}");
                Assert.Equal(before, Bytes<float>(network.Parameters));
            }
        }

        string path = Path.Combine(_directory, "short.netgen");
        foreach (int length in new[] { 0, 27, 28, 31, 32, 56, 60, file.Length - 5, file.Length - 1 })
        {
            File.WriteAllBytes(path, file[..length]);
            Assert.Equal(ModelFileError.Truncated, Assert.Throws<ModelFileException>(() => ModelFile.LoadWithMetadata(network, path)).Reason);
            Assert.Equal(before, Bytes<float>(network.Parameters));
        }
    }

    [Fact]
    public void EveryBitFlip_OfAVersion2File_IsRefused_ByTheRightCheck()
    {
        (SmallFloatNet source, ModelMetadata<float> metadata) = Sample();
        byte[] file = SaveToBytes(source, metadata);
        var network = new SmallFloatNet();
        byte[] before = Bytes<float>(network.Parameters);

        for (int bit = 0; bit < file.Length * 8; bit++)
        {
            byte[] flipped = (byte[])file.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            ModelFileException e = Assert.Throws<ModelFileException>(() => ModelFile.LoadWithMetadata(network, new MemoryStream(flipped)));

            // 0-7 magic, 8-9 version (2 never becomes 1 in one bit); 10-31 the header checksum's, the rest the file's.
            ModelFileError expected = (bit / 8) switch
            {
                < 8 => ModelFileError.NotAModelFile,
                < 10 => ModelFileError.UnsupportedVersion,
                _ => ModelFileError.Corrupted,
            };
            Assert.True(e.Reason == expected, $"bit {bit} (byte {bit / 8}): {e.Reason}: {e.Message}");
            Assert.Equal(before, Bytes<float>(network.Parameters));
        }
    }

    [Fact]
    public void File_WithBytesAfterTheChecksum_IsRefusedAsCorrupted()
    {
        (SmallFloatNet source, ModelMetadata<float> metadata) = Sample();
        string path = Path.Combine(_directory, "long.netgen");
        ModelFile.Save(source, path, metadata);
        File.AppendAllText(path, "x");
        var network = new SmallFloatNet();
        byte[] before = Bytes<float>(network.Parameters);

        Assert.Equal(ModelFileError.Corrupted, Assert.Throws<ModelFileException>(() => ModelFile.LoadWithMetadata(network, path)).Reason);
        Assert.Equal(before, Bytes<float>(network.Parameters));
    }

    [Fact]
    public void Save_WithMetadata_IsAtomic()
    {
        (SmallFloatNet network, ModelMetadata<float> metadata) = Sample();
        string path = Path.Combine(_directory, "model.netgen");
        ModelFile.Save(network, path);
        byte[] old = File.ReadAllBytes(path);

        Assert.Throws<IOException>(() => ModelFile.Save(network, path, metadata, _ => throw new IOException("disk full (simulated)")));
        Assert.Equal(old, File.ReadAllBytes(path));
        Assert.Equal(["model.netgen"], Directory.GetFiles(_directory).Select(Path.GetFileName));

        ModelFile.Save(network, path, metadata);
        Assert.Equal(SaveToBytes(network, metadata), File.ReadAllBytes(path));
        Assert.Equal(["model.netgen"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_OfMetadataTheFormatCannotHold_ThrowsArgumentException_AndWritesNothing()
    {
        var network = new SmallFloatNet(); // 2 inputs
        string path = Path.Combine(_directory, "refused.netgen");
        ModelMetadata<float>[] refused =
        [
            new() { InputStandardizer = Standardizer<float>.FromStatistics([0f, 0f, 0f], [1f, 1f, 1f]) },
            new() { ClassNames = ["a", null!] },
            new() { ClassNames = ["\uD800"] },
            new() { Properties = new Dictionary<string, string> { [string.Empty] = "x" } },
            new() { Properties = new Dictionary<string, string> { ["k"] = null! } },
            new() { Properties = new Dictionary<string, string> { ["k\uDC00"] = "x" } },
            new() { Properties = new Dictionary<string, string> { ["k"] = "\uDBFF" } },
            new() { Properties = new Dictionary<string, string> { [new string('é', 129)] = "258 bytes" } },
            new() { Properties = new Dictionary<string, string> { ["big"] = new string('x', ModelFile.MaxMetadataLength) } },
        ];

        foreach (ModelMetadata<float> metadata in refused)
        {
            Assert.Equal("metadata", Assert.Throws<ArgumentException>(() => ModelFile.Save(network, path, metadata)).ParamName);
            Assert.Equal("metadata", Assert.Throws<ArgumentException>(() => ModelFile.Save(network, new MemoryStream(), metadata)).ParamName);
        }

        Assert.Empty(Directory.GetFiles(_directory));

        // A key of exactly 256 bytes is the longest allowed.
        var longest = new ModelMetadata<float> { Properties = new Dictionary<string, string> { [new string('é', 128)] = "256 bytes" } };
        Assert.Equal("256 bytes", ModelFile.LoadWithMetadata(network, new MemoryStream(SaveToBytes(network, longest))).Properties[new string('é', 128)]);
    }

    [Fact]
    public void BadArguments_Throw()
    {
        var network = new SmallFloatNet();
        Assert.Throws<ArgumentNullException>(() => ModelFile.Save<float>(null!, new MemoryStream(), new ModelMetadata<float>()));
        Assert.Throws<ArgumentNullException>(() => ModelFile.Save(network, (Stream)null!, new ModelMetadata<float>()));
        Assert.Throws<ArgumentException>(() => ModelFile.Save(network, string.Empty, new ModelMetadata<float>()));
        Assert.Throws<ArgumentNullException>(() => ModelFile.LoadWithMetadata(network, (string)null!));
        Assert.Throws<ArgumentNullException>(() => ModelFile.LoadWithMetadata(network, (Stream)null!));
        Assert.Throws<ArgumentNullException>(() => ModelFile.LoadWithMetadata<float>(null!, new MemoryStream()));
        Assert.Throws<FileNotFoundException>(() => ModelFile.LoadWithMetadata(network, Path.Combine(_directory, "nothing.netgen")));
        Assert.Equal("stream", Assert.Throws<ArgumentException>(() => ModelFile.LoadWithMetadata(network, new ForwardOnlyWriteStream())).ParamName);
    }

    private static byte[] SaveToBytes<T>(INetwork<T> network, ModelMetadata<T>? metadata)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var stream = new MemoryStream();
        ModelFile.Save(network, stream, metadata);
        return stream.ToArray();
    }

    private sealed class ForwardOnlyWriteStream : MemoryStream
    {
        public override bool CanRead => false;
    }
}
