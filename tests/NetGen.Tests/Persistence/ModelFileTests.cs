using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using NetGen;

namespace NetGen.Tests.Persistence;

/// <summary>ModelFile: the documented layout, round trips, every refusal, and the atomic save.</summary>
public sealed class ModelFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-modelfile-" + Guid.NewGuid().ToString("N"));

    public ModelFileTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // ---- The layout of docs/format.md, built by hand.

    [Fact]
    public void Save_WritesTheDocumentedLayout()
    {
        var network = new SmallFloatNet();
        float[] values = [1.5f, -2f, 0.25f, 3f, -0.5f, 8f];
        values.CopyTo(network.Parameters);

        byte[] expected = new byte[32 + (6 * 4)];
        byte[] magic = [0x89, 0x4E, 0x47, 0x50, 0x0D, 0x0A, 0x1A, 0x0A];
        magic.CopyTo(expected, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(expected.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(expected.AsSpan(10), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(12), 6);
        BinaryPrimitives.WriteUInt64LittleEndian(expected.AsSpan(16), Fnv1a64("float 2 | 2 ReLU nobias | 1 Identity nobias | MeanSquaredError"));
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(24), Crc32.Compute(expected.AsSpan(0, 24)));
        for (int i = 0; i < 6; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(expected.AsSpan(28 + (4 * i)), values[i]);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(52), Crc32.Compute(expected.AsSpan(0, 52)));

        Assert.Equal("float 2 | 2 ReLU nobias | 1 Identity nobias | MeanSquaredError", SmallFloatNet.Topology);
        Assert.Equal(expected, SaveToBytes(network));
    }

    // ---- Round trips.

    [Fact]
    public void RoundTrip_Float_ThroughAStream_IsBitExact()
    {
        var source = new WiderFloatNet();
        source.InitializeParameters(7);
        source.Parameters[0] = -0.0f;
        source.Parameters[1] = float.Epsilon;
        source.Parameters[2] = float.MaxValue;
        var target = new WiderFloatNet();
        target.InitializeParameters(8);

        ModelFile.Load(target, new MemoryStream(SaveToBytes(source)));

        Assert.Equal(Bytes<float>(source.Parameters), Bytes<float>(target.Parameters));
    }

    [Fact]
    public void RoundTrip_Double_ThroughAPath_IsBitExact()
    {
        var source = new SmallDoubleNet();
        double[] values = [Math.PI, -0.0, double.Epsilon, -1e300, 1.0 / 3, 42];
        values.CopyTo(source.Parameters);
        string path = Path.Combine(_directory, "model.ngp");

        ModelFile.Save(source, path);
        var target = new SmallDoubleNet();
        ModelFile.Load(target, path);

        Assert.Equal(Bytes<double>(source.Parameters), Bytes<double>(target.Parameters));
        Assert.Equal(32 + (6 * 8), new FileInfo(path).Length);
    }

    [Fact]
    public void Stream_LoadStopsAfterTheChecksum_SoFilesCanFollowEachOther()
    {
        var first = new SmallFloatNet();
        first.InitializeParameters(1);
        var second = new SmallDoubleNet();
        second.InitializeParameters(2);
        var stream = new MemoryStream();
        ModelFile.Save(first, stream);
        ModelFile.Save(second, stream);
        stream.Position = 0;

        var a = new SmallFloatNet();
        var b = new SmallDoubleNet();
        ModelFile.Load(a, stream);
        Assert.Equal(56, stream.Position);
        ModelFile.Load(b, stream);

        Assert.Equal(Bytes<float>(first.Parameters), Bytes<float>(a.Parameters));
        Assert.Equal(Bytes<double>(second.Parameters), Bytes<double>(b.Parameters));
    }

    // ---- Refusals. Each leaves the network's parameters bit for bit as they were.

    [Fact]
    public void Truncated_AtEveryByte_IsRefusedAsTruncated()
    {
        var source = new SmallDoubleNet();
        source.InitializeParameters(3);
        byte[] file = SaveToBytes(source);
        var network = new SmallDoubleNet();
        byte[] before = Bytes<double>(network.Parameters);

        for (int length = 0; length < file.Length; length++)
        {
            ModelFileException e = Assert.Throws<ModelFileException>(() => ModelFile.Load(network, new MemoryStream(file, 0, length)));
            Assert.True(e.Reason == ModelFileError.Truncated, $"length {length}: {e.Reason}: {e.Message}");
            Assert.Contains("truncated", e.Message);
            Assert.Equal(before, Bytes<double>(network.Parameters));
        }
    }

    [Fact]
    public void Truncated_File_IsRefusedAsTruncated()
    {
        var source = new SmallFloatNet();
        string path = Path.Combine(_directory, "short.ngp");
        ModelFile.Save(source, path);
        byte[] file = File.ReadAllBytes(path);
        var network = new SmallFloatNet();
        network.InitializeParameters(99);
        byte[] before = Bytes<float>(network.Parameters);

        foreach (int length in new[] { 0, 5, 27, 28, 40, file.Length - 1 })
        {
            File.WriteAllBytes(path, file[..length]);
            Assert.Equal(ModelFileError.Truncated, Assert.Throws<ModelFileException>(() => ModelFile.Load(network, path)).Reason);
            Assert.Equal(before, Bytes<float>(network.Parameters));
        }
    }

    [Fact]
    public void EveryBitFlip_IsRefused_ByTheRightCheck()
    {
        var source = new SmallFloatNet();
        source.InitializeParameters(4);
        byte[] file = SaveToBytes(source);
        var network = new SmallFloatNet();
        byte[] before = Bytes<float>(network.Parameters);

        for (int bit = 0; bit < file.Length * 8; bit++)
        {
            byte[] flipped = (byte[])file.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            ModelFileException e = Assert.Throws<ModelFileException>(() => ModelFile.Load(network, new MemoryStream(flipped)));

            // Bytes 0-7 are the magic and 8-9 the version; everything after is covered by a checksum.
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
    public void AnotherTopology_IsRefused_NamingBoth()
    {
        var source = new SmallFloatNet();
        byte[] file = SaveToBytes(source);

        var tanh = new TanhFloatNet(); // same parameter count, another activation
        byte[] before = Bytes<float>(tanh.Parameters);
        ModelFileException e = Assert.Throws<ModelFileException>(() => ModelFile.Load(tanh, new MemoryStream(file)));
        Assert.Equal(ModelFileError.TopologyMismatch, e.Reason);
        Assert.Contains(TanhFloatNet.Topology, e.Message);
        Assert.Contains("another topology", e.Message);
        Assert.Equal(before, Bytes<float>(tanh.Parameters));

        var wider = new WiderFloatNet();
        before = Bytes<float>(wider.Parameters);
        Assert.Equal(ModelFileError.TopologyMismatch, Assert.Throws<ModelFileException>(() => ModelFile.Load(wider, new MemoryStream(file))).Reason);
        Assert.Equal(before, Bytes<float>(wider.Parameters));
    }

    [Fact]
    public void AnotherElementType_IsRefused_BothWays()
    {
        var doubleNet = new SmallDoubleNet();
        var floatNet = new SmallFloatNet();
        byte[] doubleBefore = Bytes<double>(doubleNet.Parameters);
        byte[] floatBefore = Bytes<float>(floatNet.Parameters);

        ModelFileException e = Assert.Throws<ModelFileException>(() => ModelFile.Load(floatNet, new MemoryStream(SaveToBytes(new SmallDoubleNet()))));
        Assert.Equal(ModelFileError.WrongElementType, e.Reason);
        Assert.Contains("double", e.Message);
        Assert.Contains("float", e.Message);

        e = Assert.Throws<ModelFileException>(() => ModelFile.Load(doubleNet, new MemoryStream(SaveToBytes(new SmallFloatNet()))));
        Assert.Equal(ModelFileError.WrongElementType, e.Reason);

        Assert.Equal(doubleBefore, Bytes<double>(doubleNet.Parameters));
        Assert.Equal(floatBefore, Bytes<float>(floatNet.Parameters));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(65535)]
    public void AnotherVersion_WithValidChecksums_IsRefusedAsUnsupported(int version)
    {
        byte[] file = SaveToBytes(new SmallFloatNet());
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)version);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24), Crc32.Compute(file.AsSpan(0, 24)));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32.Compute(file.AsSpan(0, file.Length - 4)));
        var network = new SmallFloatNet();
        byte[] before = Bytes<float>(network.Parameters);

        ModelFileException e = Assert.Throws<ModelFileException>(() => ModelFile.Load(network, new MemoryStream(file)));
        Assert.Equal(ModelFileError.UnsupportedVersion, e.Reason);
        Assert.Contains($"version {version}", e.Message);
        Assert.Equal(before, Bytes<float>(network.Parameters));
    }

    [Fact]
    public void SomethingElse_IsRefusedAsNotAModelFile()
    {
        var network = new SmallFloatNet();
        byte[] before = Bytes<float>(network.Parameters);
        byte[] text = Encoding.UTF8.GetBytes("1,2,3,4,5,6\n7,8,9,10,11,12\n13,14,15,16,17,18\n");

        ModelFileException e = Assert.Throws<ModelFileException>(() => ModelFile.Load(network, new MemoryStream(text)));
        Assert.Equal(ModelFileError.NotAModelFile, e.Reason);
        Assert.IsAssignableFrom<IOException>(e);
        Assert.Equal(before, Bytes<float>(network.Parameters));
    }

    [Fact]
    public void File_WithBytesAfterTheChecksum_IsRefusedAsCorrupted()
    {
        string path = Path.Combine(_directory, "long.ngp");
        ModelFile.Save(new SmallFloatNet(), path);
        File.AppendAllText(path, "x");
        var network = new SmallFloatNet();
        network.InitializeParameters(5);
        byte[] before = Bytes<float>(network.Parameters);

        Assert.Equal(ModelFileError.Corrupted, Assert.Throws<ModelFileException>(() => ModelFile.Load(network, path)).Reason);
        Assert.Equal(before, Bytes<float>(network.Parameters));
    }

    // ---- Atomic save.

    [Fact]
    public void Save_ReplacesAnExistingFile_AndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_directory, "model.ngp");
        File.WriteAllText(path, "old contents");
        var network = new SmallFloatNet();

        ModelFile.Save(network, path);

        Assert.Equal(SaveToBytes(network), File.ReadAllBytes(path));
        Assert.Equal(["model.ngp"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_WritesTheCompleteFileBesideTheTarget_BeforeReplacingIt()
    {
        string path = Path.Combine(_directory, "model.ngp");
        File.WriteAllText(path, "old contents");
        var network = new SmallDoubleNet();
        string? seen = null;

        ModelFile.Save(network, path, temporary =>
        {
            seen = temporary;
            Assert.Equal(_directory, Path.GetDirectoryName(temporary));
            Assert.EndsWith(".tmp", temporary);
            Assert.Equal(SaveToBytes(network), File.ReadAllBytes(temporary));
            Assert.Equal("old contents", File.ReadAllText(path));
        });

        Assert.NotNull(seen);
        Assert.False(File.Exists(seen));
        Assert.Equal(SaveToBytes(network), File.ReadAllBytes(path));
    }

    [Fact]
    public void Save_FailingBeforeTheRename_LeavesTheOldFileAndNoTemporaryFile()
    {
        string path = Path.Combine(_directory, "model.ngp");
        ModelFile.Save(new SmallFloatNet(), path);
        byte[] old = File.ReadAllBytes(path);
        var changed = new SmallFloatNet();
        changed.InitializeParameters(77);

        Assert.Throws<IOException>(() => ModelFile.Save(changed, path, _ => throw new IOException("disk full (simulated)")));

        Assert.Equal(old, File.ReadAllBytes(path));
        Assert.Equal(["model.ngp"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_OntoADirectory_FailsAndLeavesNoTemporaryFile()
    {
        string path = Path.Combine(_directory, "taken");
        Directory.CreateDirectory(path);

        Assert.Equal("path", Assert.Throws<ArgumentException>(() => ModelFile.Save(new SmallFloatNet(), path)).ParamName);

        Assert.True(Directory.Exists(path));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Save_IntoAMissingDirectory_Throws()
    {
        string path = Path.Combine(_directory, "missing", "model.ngp");
        Assert.Throws<DirectoryNotFoundException>(() => ModelFile.Save(new SmallFloatNet(), path));
        Assert.False(Directory.Exists(Path.Combine(_directory, "missing")));
    }

    [Fact]
    public void BadArguments_Throw()
    {
        var network = new SmallFloatNet();
        Assert.Throws<ArgumentNullException>(() => ModelFile.Save<float>(null!, new MemoryStream()));
        Assert.Throws<ArgumentNullException>(() => ModelFile.Save(network, (Stream)null!));
        Assert.Throws<ArgumentException>(() => ModelFile.Save(network, string.Empty));
        Assert.Equal("stream", Assert.Throws<ArgumentException>(() => ModelFile.Save(network, new MemoryStream([], writable: false))).ParamName);
        Assert.Throws<ArgumentNullException>(() => ModelFile.Load(network, (string)null!));
        Assert.Throws<FileNotFoundException>(() => ModelFile.Load(network, Path.Combine(_directory, "nothing.ngp")));
    }

    // ---- Helpers.

    private static byte[] SaveToBytes<T>(INetwork<T> network)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var stream = new MemoryStream();
        ModelFile.Save(network, stream);
        return stream.ToArray();
    }

    private static byte[] Bytes<T>(Span<T> values)
        where T : unmanaged => MemoryMarshal.AsBytes(values).ToArray();

    /// <summary>FNV-1a 64 written again from its definition, to build the expected header.</summary>
    private static ulong Fnv1a64(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
