using System;
using System.IO;
using System.Linq;
using System.Text;
using NetGen;
using static NetGen.TestFixtures.SafeTensorsBytes;

namespace NetGen.Interop.Tests;

/// <summary>
/// SafeTensors.Load on files that must be refused, built byte by byte: each gives a SafeTensorsException with its
/// reason (and tensor), from a seekable and from a non-seekable stream, and leaves the network exactly as it was.
/// The network is TwoLayerNet: nn.Sequential(Linear(3, 4), ReLU(), Linear(4, 2)).
/// </summary>
public class SafeTensorsRefusalTests
{
    // The four valid entries of TwoLayerNet's file, and its 104-byte buffer.
    private const string W0 = "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]}";
    private const string B0 = "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[48,64]}";
    private const string W2 = "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[64,96]}";
    private const string B2 = "\"2.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[96,104]}";
    private const string All = W0 + "," + B0 + "," + W2 + "," + B2;

    [Fact]
    public void TheBaselineFileLoads()
    {
        // The refusals below change one thing in this file; the file itself is valid.
        var network = new TwoLayerNet();
        SafeTensors.Load(network, new MemoryStream(File("{" + All + "}", F32(Counting(1, 26)))));
        Assert.Equal(Counting(1, 26), network.Parameters.ToArray());
    }

    // ---- The JSON header: syntax, types, duplicates, fields.

    [Theory]
    [InlineData("[]", null)] // not an object
    [InlineData("\"abc\"", null)] // not an object
    [InlineData(" {" + All + "}", null)] // must start with '{' at its first byte
    [InlineData("{\"0.weight\":}", null)]
    [InlineData("{" + All + ",}", null)] // trailing comma
    [InlineData("{/* comment */" + All + "}", null)]
    [InlineData("{\"0.weight\":{", null)] // JSON cut short
    [InlineData("{" + All + "} x", null)] // something after the object
    [InlineData("{" + All + "}{}", null)] // two objects
    [InlineData("{" + All + "}\u0000\u0000", null)] // padding that is not whitespace
    [InlineData("{" + W0 + "," + W0 + "," + B0 + "," + W2 + "," + B2 + "}", "0.weight")] // duplicate tensor
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")]
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"shape\":[4,3],\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")]
    [InlineData("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}," + All + "}", null)] // duplicate metadata key
    [InlineData("{\"__metadata__\":{},\"__metadata__\":{}," + All + "}", null)]
    [InlineData("{\"__metadata__\":{\"format\":1}," + All + "}", null)] // metadata values are strings
    [InlineData("{\"__metadata__\":{\"format\":null}," + All + "}", null)]
    [InlineData("{\"__metadata__\":[\"pt\"]," + All + "}", null)]
    [InlineData("{\"__metadata__\":\"pt\"," + All + "}", null)]
    [InlineData("{\"__metadata__\":{\"a\":{\"b\":{\"c\":[[[]]]}}}," + All + "}", null)] // nesting
    [InlineData("{\"0.weight\":\"F32\"," + B0 + "," + W2 + "," + B2 + "}", "0.weight")] // entry not an object
    [InlineData("{\"0.weight\":[\"F32\",[4,3],[0,48]]," + B0 + "," + W2 + "," + B2 + "}", "0.weight")]
    [InlineData("{\"0.weight\":{\"dtype\":32,\"shape\":[4,3],\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")]
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":{\"0\":4},\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")]
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":\"[4,3]\",\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")]
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[-4,-3],\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")] // negative
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4.0,3],\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")] // not an integer
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4.5,3],\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")]
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4e0,3],\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")]
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,null],\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")]
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,true],\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")]
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,16],\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")] // size overflows 64 bits
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[18446744073709551616,3],\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")] // 2^64
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48,96]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")] // three offsets
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")]
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[-48,0]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")]
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[\"0\",\"48\"]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")]
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48.0]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")]
    [InlineData("{\"0.weight\":{\"shape\":[4,3],\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")] // no dtype
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")] // no shape
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")] // no data_offsets
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")] // unknown field
    [InlineData("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48],\"extra\":1}," + B0 + "," + W2 + "," + B2 + "}", "0.weight")]
    [InlineData("{\"\\ud800.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2 + "}", null)] // lone surrogate
    public void MalformedHeader(string json, string? tensorName) =>
        AssertRefused(File(json, F32(Counting(1, 26))), SafeTensorsError.MalformedHeader, tensorName);

    // ---- data_offsets that do not tile the buffer.

    [Theory]
    [InlineData(W0 + ",\"0.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[40,56]},\"2.weight\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[56,88]},\"2.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[88,96]}", 96, "0.bias")] // overlap
    [InlineData(W0 + "," + B0 + ",\"2.weight\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[0,32]},\"2.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[64,72]}", 72, "0.weight")] // two at 0
    [InlineData(W0 + ",\"0.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[52,68]},\"2.weight\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[68,100]},\"2.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[100,108]}", 108, "0.bias")] // hole
    [InlineData("\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[8,56]},\"0.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[56,72]},\"2.weight\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[72,104]},\"2.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[104,112]}", 112, "0.weight")] // hole at the start
    [InlineData("\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,44]}," + B0 + "," + W2 + "," + B2, 104, "0.weight")] // 44 bytes for 12 floats
    [InlineData("\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,52]}," + B0 + "," + W2 + "," + B2, 104, "0.weight")]
    [InlineData("\"0.weight\":{\"dtype\":\"F16\",\"shape\":[4,3],\"data_offsets\":[0,48]}," + B0 + "," + W2 + "," + B2, 104, "0.weight")] // F16 needs 24
    [InlineData("\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[48,0]}," + B0 + "," + W2 + "," + B2, 104, "0.weight")] // end before begin
    public void InvalidOffsets(string entries, int bufferBytes, string tensorName) =>
        AssertRefused(File("{" + entries + "}", new byte[bufferBytes]), SafeTensorsError.InvalidOffsets, tensorName);

    [Fact]
    public void InvalidOffsets_BytesAfterTheLastTensor() =>
        AssertRefused(File("{" + All + "}", F32(Counting(1, 27))), SafeTensorsError.InvalidOffsets, null);

    // ---- Files that end too soon.

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void Truncated_InsideTheLengthField(int length) =>
        AssertRefused(new byte[length], SafeTensorsError.Truncated, null);

    [Fact]
    public void Truncated_HeaderLongerThanTheFile()
    {
        byte[] header = Encoding.UTF8.GetBytes("{" + All + "}");
        AssertRefused(WithLength((ulong)header.Length + 200, header, F32(Counting(1, 26))), SafeTensorsError.Truncated, null);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(64)]
    [InlineData(0)]
    public void Truncated_OffsetsPastTheEndOfTheData(int bufferBytes) =>
        AssertRefused(File("{" + All + "}", new byte[bufferBytes]), SafeTensorsError.Truncated, "2.bias");

    // ---- The length field.

    [Theory]
    [InlineData(0UL)]
    [InlineData(100_000_001UL)]
    [InlineData(0x8000_0000_0000_0000UL)]
    [InlineData(ulong.MaxValue)]
    public void MalformedHeader_LengthZeroOrOverTheLimit_AllocatesNothingForIt(ulong length)
    {
        byte[] file = WithLength(length, Encoding.UTF8.GetBytes("{" + All + "}"), F32(Counting(1, 26)));
        long allocated = AllocatedWhileRefusing(file, SafeTensorsError.MalformedHeader);
        Assert.True(allocated < 1 << 20, $"{allocated} bytes allocated");
    }

    [Fact]
    public void Truncated_HugeLengthUnderTheLimit_AllocatesOnlyWhatTheDataHolds()
    {
        // 99,999,999 bytes announced, 100 present: a seekable stream is refused before reading; a stream that cannot
        // seek is read only as far as its data goes, in small chunks.
        byte[] file = WithLength(99_999_999, Encoding.UTF8.GetBytes("{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3]," + new string(' ', 40)), []);
        long allocated = AllocatedWhileRefusing(file, SafeTensorsError.Truncated);
        Assert.True(allocated < 1 << 20, $"{allocated} bytes allocated");
    }

    [Fact]
    public void ShapeMismatch_HugeTensorFarPastTheEnd_IsRefusedBeforeReadingAnyData()
    {
        // One tensor claiming 4 TB: consistent offsets, but nothing is read or allocated for it.
        byte[] file = File("{" + Entry("0.weight", "F32", "[1000000000,1000]", 0, 4_000_000_000_000) + "}", F32(1, 2, 3));
        long allocated = AllocatedWhileRefusing(file, SafeTensorsError.ShapeMismatch);
        Assert.True(allocated < 1 << 20, $"{allocated} bytes allocated");
    }

    // ---- Bytes that are not UTF-8.

    [Theory]
    [InlineData(new byte[] { 0xFF })] // never valid in UTF-8
    [InlineData(new byte[] { 0xC0, 0xAF })] // overlong encoding of '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a UTF-16 surrogate encoded as UTF-8
    [InlineData(new byte[] { 0xE2, 0x82 })] // a three-byte sequence cut short
    public void MalformedHeader_NotUtf8(byte[] bad)
    {
        // The bad bytes sit inside the __metadata__ value, where only the UTF-8 check can catch them.
        byte[] header = [.. Encoding.UTF8.GetBytes("{\"__metadata__\":{\"x\":\""), .. bad, .. Encoding.UTF8.GetBytes("\"}," + All + "}")];
        AssertRefused(File(header, F32(Counting(1, 26))), SafeTensorsError.MalformedHeader, null);
    }

    [Fact]
    public void MalformedHeader_ByteOrderMark()
    {
        byte[] header = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{" + All + "}")];
        AssertRefused(File(header, F32(Counting(1, 26))), SafeTensorsError.MalformedHeader, null);
    }

    // ---- Valid files that do not fit the network.

    [Theory]
    [InlineData(W0 + "," + B0 + "," + W2, 96, "2.bias")]
    [InlineData(W0 + "," + B0, 64, null)] // one layer of two
    [InlineData("", 0, null)] // no tensors at all
    public void MissingTensor(string entries, int bufferBytes, string? tensorName) =>
        AssertRefused(File("{" + entries + "}", new byte[bufferBytes]), SafeTensorsError.MissingTensor, tensorName);

    [Fact]
    public void MissingTensor_WeightOfAModuleThatHasItsBias()
    {
        string json = "{" + Entry("2.bias", "F32", "[2]", 0, 8) + "," + Entry("0.bias", "F32", "[4]", 8, 24) + "," + Entry("2.weight", "F32", "[2,4]", 24, 56) + "}";
        AssertRefused(File(json, new byte[56]), SafeTensorsError.MissingTensor, "0.weight");
    }

    [Theory]
    [InlineData("4.weight", "[2,2]", 16)] // a third Linear
    [InlineData("4.bias", "[2]", 8)] // a third module, bias only
    [InlineData("0.running_mean", "[4]", 16)] // not a Linear parameter
    [InlineData("1.weight_orig", "[4]", 16)]
    [InlineData("weight", "[4]", 16)]
    [InlineData("fc1.weight", "[4,3]", 48)]
    [InlineData("model.0.weight", "[4,3]", 48)]
    [InlineData("00.weight", "[4,3]", 48)] // PyTorch never writes a leading zero
    [InlineData("-1.weight", "[4,3]", 48)]
    [InlineData("1.Weight", "[4,3]", 48)]
    [InlineData("1.", "[4]", 16)]
    [InlineData("99999999999.weight", "[4]", 16)]
    public void UnexpectedTensor(string name, string shape, int bytes)
    {
        string json = "{" + All + "," + Entry(name, "F32", shape, 104, 104 + bytes) + "}";
        AssertRefused(File(json, new byte[104 + bytes]), SafeTensorsError.UnexpectedTensor, name);
    }

    [Fact]
    public void UnexpectedTensor_BiasForALayerWithoutBiases()
    {
        // MixedBiasNet's first layer has no biases; a file with 0.bias is refused, not silently half-used.
        string json = "{"
            + Entry("0.weight", "F32", "[4,3]", 0, 48) + ","
            + Entry("0.bias", "F32", "[4]", 48, 64) + ","
            + Entry("2.weight", "F32", "[2,4]", 64, 96) + ","
            + Entry("2.bias", "F32", "[2]", 96, 104) + "}";
        AssertRefused(new MixedBiasNet(), File(json, new byte[104]), SafeTensorsError.UnexpectedTensor, "0.bias");
    }

    [Theory]
    [InlineData("0.weight", "[3,4]")] // transposed
    [InlineData("0.weight", "[12]")]
    [InlineData("0.weight", "[1,4,3]")]
    [InlineData("0.bias", "[4,1]")]
    [InlineData("0.bias", "[1,4]")]
    [InlineData("2.weight", "[4,2]")]
    [InlineData("2.bias", "[1,2]")]
    public void ShapeMismatch(string name, string shape)
    {
        // The entry keeps its data_offsets (so the buffer is still tiled) and gets another shape of the same size.
        string json = "{" + string.Join(",", new[] { W0, B0, W2, B2 }.Select(e => e.StartsWith($"\"{name}\"", StringComparison.Ordinal) ? WithShape(e, shape) : e)) + "}";
        AssertRefused(File(json, F32(Counting(1, 26))), SafeTensorsError.ShapeMismatch, name);
    }

    [Theory]
    [InlineData("I32")]
    [InlineData("U32")]
    [InlineData("C64", 96)]
    [InlineData("I64", 96)]
    [InlineData("U8", 12)]
    [InlineData("BOOL", 12)]
    [InlineData("F8_E4M3", 12)]
    [InlineData("I16", 24)]
    [InlineData("F7")] // not a safetensors dtype
    [InlineData("f32")]
    [InlineData("float32")]
    [InlineData("")]
    public void UnsupportedDtype(string dtype, int weightBytes = 48)
    {
        string json = "{" + Entry("0.weight", dtype, "[4,3]", 0, weightBytes) + ","
            + Entry("0.bias", "F32", "[4]", weightBytes, weightBytes + 16) + ","
            + Entry("2.weight", "F32", "[2,4]", weightBytes + 16, weightBytes + 48) + ","
            + Entry("2.bias", "F32", "[2]", weightBytes + 48, weightBytes + 56) + "}";
        AssertRefused(File(json, new byte[weightBytes + 56]), SafeTensorsError.UnsupportedDtype, "0.weight");
    }

    [Fact]
    public void Refusals_FromAPath_LeaveTheNetworkToo()
    {
        string path = Path.Combine(Path.GetTempPath(), "netgen-refused-" + Guid.NewGuid().ToString("N") + ".safetensors");
        try
        {
            System.IO.File.WriteAllBytes(path, File("{" + All + "}", F32(Counting(1, 25))));
            var network = new TwoLayerNet();
            float[] before = network.Parameters.ToArray();

            SafeTensorsException e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, path));

            Assert.Equal(SafeTensorsError.Truncated, e.Reason);
            Assert.Equal(before, network.Parameters.ToArray());
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void Messages_NameWhatWasFoundAndWhatWasExpected()
    {
        string json = "{" + All.Replace("\"shape\":[4,3]", "\"shape\":[3,4]", StringComparison.Ordinal) + "}";
        SafeTensorsException e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(new TwoLayerNet(), new MemoryStream(File(json, new byte[104]))));

        Assert.Contains("\"0.weight\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 4]", e.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 3]", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(e);
    }

    private static string WithShape(string entry, string shape)
    {
        int start = entry.IndexOf("\"shape\":", StringComparison.Ordinal) + "\"shape\":".Length;
        int end = entry.IndexOf(",\"data_offsets\"", StringComparison.Ordinal);
        return entry[..start] + shape + entry[end..];
    }

    private static void AssertRefused(byte[] file, SafeTensorsError reason, string? tensorName) =>
        AssertRefused(new TwoLayerNet(), file, reason, tensorName);

    /// <summary>Refused from a seekable stream and from a trickling one, with the reason and tensor, and nothing changed.</summary>
    private static void AssertRefused<TNet>(TNet network, byte[] file, SafeTensorsError reason, string? tensorName)
        where TNet : INetwork<float>
    {
        network.InitializeParameters(seed: 7);
        float[] before = network.Parameters.ToArray();
        foreach (Stream stream in new Stream[] { new MemoryStream(file), new TrickleStream(file) })
        {
            SafeTensorsException e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, stream));
            Assert.True(reason == e.Reason, $"Expected {reason}, got {e.Reason} from {stream.GetType().Name}: {e.Message}");
            Assert.Equal(tensorName, e.TensorName);
            Assert.False(string.IsNullOrWhiteSpace(e.Message));
            Assert.Equal(before, network.Parameters.ToArray());
        }
    }

    /// <summary>The bytes allocated on this thread while each stream kind refuses the file (the most of the two).</summary>
    private static long AllocatedWhileRefusing(byte[] file, SafeTensorsError reason)
    {
        var network = new TwoLayerNet();
        float[] before = network.Parameters.ToArray();
        long most = 0;
        foreach (Func<Stream> open in new Func<Stream>[] { () => new MemoryStream(file), () => new TrickleStream(file, chunk: 4096) })
        {
            Stream stream = open();
            long start = GC.GetAllocatedBytesForCurrentThread();
            SafeTensorsError? got = null;
            try
            {
                SafeTensors.Load(network, stream);
            }
            catch (SafeTensorsException e)
            {
                got = e.Reason;
            }

            most = Math.Max(most, GC.GetAllocatedBytesForCurrentThread() - start);
            Assert.Equal(reason, got);
        }

        Assert.Equal(before, network.Parameters.ToArray());
        return most;
    }
}
