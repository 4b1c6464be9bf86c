using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using NetGen;
using static NetGen.Tests.Persistence.V2Files;

namespace NetGen.Tests.Persistence;

/// <summary>Standardizer&lt;T&gt;.Save and Load: the documented layout, bit-exact round trips, and every refusal.</summary>
public sealed class StandardizerFileTests : IDisposable
{
    private const long OneMegabyte = 1 << 20;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-standardizer-" + Guid.NewGuid().ToString("N"));

    public StandardizerFileTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Save_WritesTheDocumentedLayout()
    {
        Standardizer<double> standardizer = Standardizer<double>.FromStatistics([Math.PI, -0.0], [0.25, 0]);

        var expected = new byte[20 + 32 + 4];
        StandardizerMagic.CopyTo(expected, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(expected.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(expected.AsSpan(10), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(12), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(16), Crc32.Compute(expected.AsSpan(0, 16)));
        BinaryPrimitives.WriteDoubleLittleEndian(expected.AsSpan(20), Math.PI);
        BinaryPrimitives.WriteDoubleLittleEndian(expected.AsSpan(28), -0.0);
        BinaryPrimitives.WriteDoubleLittleEndian(expected.AsSpan(36), 0.25);
        BinaryPrimitives.WriteDoubleLittleEndian(expected.AsSpan(44), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(52), Crc32.Compute(expected.AsSpan(0, 52)));

        var stream = new MemoryStream();
        standardizer.Save(stream);
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public void RoundTrip_Float_ThroughAPath_TransformsBitForBit()
    {
        float[] rows = Rows<float>(i => MathF.Cos(i * 1.3f) * 1e3f + (i % 3 == 0 ? 0 : 1e-3f), 7);
        for (int r = 0; r < rows.Length / 7; r++)
        {
            rows[(r * 7) + 4] = 0.1f; // a constant column, deviation exactly 0
        }

        Standardizer<float> fitted = Standardizer<float>.Fit(rows, 7);
        string path = Path.Combine(_directory, "scaler.ngs");
        fitted.Save(path);
        Standardizer<float> loaded = Standardizer<float>.Load(path);

        AssertSameTransform(fitted, loaded, rows);
        Assert.Equal(0f, loaded.StandardDeviations[4]);
        Assert.Equal(["scaler.ngs"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void RoundTrip_Double_ThroughAStream_TransformsBitForBit_AndStopsAfterItsChecksum()
    {
        double[] rows = Rows<double>(i => Math.Sin(i * 0.37) * Math.Exp(i % 5), 5);
        Standardizer<double> fitted = Standardizer<double>.Fit(rows, 5);
        var stream = new MemoryStream();
        fitted.Save(stream);
        long length = stream.Length;
        stream.WriteByte(42);
        stream.Position = 0;

        Standardizer<double> loaded = Standardizer<double>.Load(stream);

        Assert.Equal(length, stream.Position);
        Assert.Equal(20 + (2 * 5 * 8) + 4, length);
        AssertSameTransform(fitted, loaded, rows);
        AssertSameTransform(fitted, Standardizer<double>.Load(new ForwardOnlyStream(stream.ToArray())), rows);
    }

    [Fact]
    public void Truncated_AtEveryByte_IsRefusedAsTruncated()
    {
        var stream = new MemoryStream();
        Standardizer<float>.FromStatistics([1f, 2f, 3f], [0.5f, 0f, 2f]).Save(stream);
        byte[] file = stream.ToArray();

        for (int length = 0; length < file.Length; length++)
        {
            Assert.Equal(ModelFileError.Truncated, Assert.Throws<ModelFileException>(() => Standardizer<float>.Load(new MemoryStream(file, 0, length))).Reason);
            Assert.Equal(ModelFileError.Truncated, Assert.Throws<ModelFileException>(() => Standardizer<float>.Load(new ForwardOnlyStream(file[..length]))).Reason);
        }

        string path = Path.Combine(_directory, "short.ngs");
        File.WriteAllBytes(path, file[..^1]);
        Assert.Equal(ModelFileError.Truncated, Assert.Throws<ModelFileException>(() => Standardizer<float>.Load(path)).Reason);
        File.WriteAllBytes(path, [.. file, 0]);
        Assert.Equal(ModelFileError.Corrupted, Assert.Throws<ModelFileException>(() => Standardizer<float>.Load(path)).Reason);
    }

    [Fact]
    public void EveryBitFlip_IsRefused_ByTheRightCheck()
    {
        var stream = new MemoryStream();
        Standardizer<float>.FromStatistics([1f, -2f], [0.5f, 3f]).Save(stream);
        byte[] file = stream.ToArray();

        for (int bit = 0; bit < file.Length * 8; bit++)
        {
            byte[] flipped = (byte[])file.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            ModelFileException e = Assert.Throws<ModelFileException>(() => Standardizer<float>.Load(new MemoryStream(flipped)));
            ModelFileError expected = (bit / 8) switch
            {
                < 8 => ModelFileError.NotAModelFile,
                < 10 => ModelFileError.UnsupportedVersion,
                _ => ModelFileError.Corrupted,
            };
            Assert.True(e.Reason == expected, $"bit {bit} (byte {bit / 8}): {e.Reason}: {e.Message}");
        }
    }

    [Theory]
    [InlineData(0u, ModelFileError.InvalidMetadata)]
    [InlineData((1u << 20) + 1, ModelFileError.InvalidMetadata)]
    [InlineData(0x8000_0000u, ModelFileError.InvalidMetadata)]
    [InlineData(0xFFFF_FFFFu, ModelFileError.InvalidMetadata)]
    [InlineData(1u << 20, ModelFileError.Truncated)] // at the limit: 16 MiB declared, 8 bytes there
    [InlineData(3u, ModelFileError.Truncated)]
    public void A_hostile_column_count_is_refused_before_allocating(uint columns, ModelFileError reason)
    {
        byte[] file = Standardizer(2, columns, new byte[8]);

        foreach (Func<Stream> stream in new Func<Stream>[] { () => new MemoryStream(file), () => new ForwardOnlyStream(file) })
        {
            void Load() => Assert.Equal(reason, Assert.Throws<ModelFileException>(() => Standardizer<double>.Load(stream())).Reason);
            Assert.InRange(Allocated(Load), 0, OneMegabyte);
        }
    }

    [Fact]
    public void Statistics_that_FromStatistics_refuses_are_refused_as_invalid()
    {
        foreach (double[] values in new[] { new[] { double.NaN, 1.0 }, new[] { double.NegativeInfinity, 1.0 }, new[] { 0.0, -1.0 }, new[] { 0.0, double.PositiveInfinity } })
        {
            byte[] bytes = new byte[16];
            BinaryPrimitives.WriteDoubleLittleEndian(bytes, values[0]);
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8), values[1]);
            ModelFileException e = Assert.Throws<ModelFileException>(() => Standardizer<double>.Load(new MemoryStream(Standardizer(2, 1, bytes))));
            Assert.Equal(ModelFileError.InvalidMetadata, e.Reason);
        }
    }

    [Fact]
    public void OtherFiles_AreRefused()
    {
        var floats = new MemoryStream();
        Standardizer<float>.FromStatistics([1f], [1f]).Save(floats);
        Assert.Equal(ModelFileError.WrongElementType, Assert.Throws<ModelFileException>(() => Standardizer<double>.Load(new MemoryStream(floats.ToArray()))).Reason);

        var model = new MemoryStream();
        ModelFile.Save(new SmallFloatNet(), model);
        Assert.Equal(ModelFileError.NotAModelFile, Assert.Throws<ModelFileException>(() => Standardizer<float>.Load(new MemoryStream(model.ToArray()))).Reason);
        Assert.Equal(ModelFileError.NotAModelFile, Assert.Throws<ModelFileException>(() => ModelFile.Load(new SmallFloatNet(), new MemoryStream(floats.ToArray()))).Reason);

        Assert.Equal(ModelFileError.UnsupportedVersion, Assert.Throws<ModelFileException>(() => Standardizer<float>.Load(new MemoryStream(Standardizer(1, 1, new byte[8], version: 2)))).Reason);
    }

    [Fact]
    public void BadArguments_Throw()
    {
        Standardizer<float> standardizer = Standardizer<float>.FromStatistics([1f], [1f]);
        Assert.Throws<ArgumentNullException>(() => standardizer.Save((Stream)null!));
        Assert.Throws<ArgumentNullException>(() => standardizer.Save((string)null!));
        Assert.Throws<ArgumentException>(() => standardizer.Save(string.Empty));
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => standardizer.Save(_directory)).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentException>(() => standardizer.Save(new MemoryStream([], writable: false))).ParamName);
        Assert.Throws<ArgumentNullException>(() => Standardizer<float>.Load((Stream)null!));
        Assert.Throws<ArgumentNullException>(() => Standardizer<float>.Load((string)null!));
        Assert.Throws<FileNotFoundException>(() => Standardizer<float>.Load(Path.Combine(_directory, "nothing.ngs")));
        Assert.Throws<IOException>(() => Standardizer<float>.Load(_directory));
    }

    private static T[] Rows<T>(Func<int, T> value, int columns)
    {
        var rows = new T[columns * 50];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = value(i);
        }

        return rows;
    }

    private static void AssertSameTransform<T>(Standardizer<T> expected, Standardizer<T> actual, T[] rows)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Assert.Equal(Bytes(expected.Means), Bytes(actual.Means));
        Assert.Equal(Bytes(expected.StandardDeviations), Bytes(actual.StandardDeviations));
        var a = new T[rows.Length];
        var b = new T[rows.Length];
        expected.Transform(rows, a);
        actual.Transform(rows, b);
        Assert.Equal(Bytes<T>(a), Bytes<T>(b));
    }
}
