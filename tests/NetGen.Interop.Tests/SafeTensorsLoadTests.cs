using System;
using System.IO;
using System.Linq;
using NetGen;
using static NetGen.TestFixtures.SafeTensorsBytes;

namespace NetGen.Interop.Tests;

/// <summary>SafeTensors.Load on valid files built byte by byte from the format: matching, order, dtypes.</summary>
public sealed class SafeTensorsLoadTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-safetensors-" + Guid.NewGuid().ToString("N"));

    public SafeTensorsLoadTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_SequentialStateDict_FillsEachLayerWeightsThenBiases()
    {
        // nn.Sequential(Linear(3, 4), ReLU(), Linear(4, 2)): 0.weight [4,3], 0.bias [4], 2.weight [2,4], 2.bias [2].
        // The buffer holds them in yet another order than the header lists them: offsets, not order, locate data.
        string json = "{"
            + Entry("2.weight", "F32", "[2,4]", 56, 88) + ","
            + Entry("0.bias", "F32", "[4]", 88, 104) + ","
            + Entry("2.bias", "F32", "[2]", 0, 8) + ","
            + Entry("0.weight", "F32", "[4,3]", 8, 56) + "}";
        float[] w0 = Counting(1, 12), b0 = Counting(50, 4), w2 = Counting(200, 8), b2 = [100f, 101f];
        byte[] file = File(json, F32(b2), F32(w0), F32(w2), F32(b0));

        var network = new TwoLayerNet();
        SafeTensors.Load(network, new MemoryStream(file));

        Assert.Equal([.. w0, .. b0, .. w2, .. b2], network.Parameters.ToArray());
    }

    [Fact]
    public void Load_WeightsReachTheRightUnitAndInput()
    {
        // Linear(2, 3) with weight[j][i] = 10 j + i and bias[j] = 100 j: Forward must give sum_i w[j][i] x_i + b_j.
        string json = "{" + Entry("0.weight", "F32", "[3,2]", 0, 24) + "," + Entry("0.bias", "F32", "[3]", 24, 36) + "}";
        byte[] file = File(json, F32(0, 1, 10, 11, 20, 21), F32(0, 100, 200));

        var network = new TinyNet();
        SafeTensors.Load(network, new MemoryStream(file));
        float[] output = new float[3];
        network.Forward([1f, 2f], output);

        // unit 0: 0*1 + 1*2 + 0 = 2; unit 1: 10 + 22 + 100 = 132; unit 2: 20 + 42 + 200 = 262.
        Assert.Equal([2f, 132f, 262f], output);
    }

    [Fact]
    public void Load_OrdersModulesByTheirNumber_NotAsText()
    {
        // Three modules of one shape: as text "10" < "2" < "4", as numbers 2 < 4 < 10.
        string json = "{"
            + Entry("10.weight", "F32", "[2,2]", 0, 16) + ","
            + Entry("2.weight", "F32", "[2,2]", 16, 32) + ","
            + Entry("4.weight", "F32", "[2,2]", 32, 48) + "}";
        byte[] file = File(json, F32(100, 101, 102, 103), F32(20, 21, 22, 23), F32(40, 41, 42, 43));

        var network = new SquareNet();
        SafeTensors.Load(network, new MemoryStream(file));

        Assert.Equal([20f, 21, 22, 23, 40, 41, 42, 43, 100, 101, 102, 103], network.Parameters.ToArray());
    }

    [Fact]
    public void Load_LayerWithoutBias_TakesOnlyItsWeight()
    {
        // Linear(3, 4, bias=False), Tanh(), Linear(4, 2).
        string json = "{"
            + Entry("0.weight", "F32", "[4,3]", 0, 48) + ","
            + Entry("2.weight", "F32", "[2,4]", 48, 80) + ","
            + Entry("2.bias", "F32", "[2]", 80, 88) + "}";
        byte[] file = File(json, F32(Counting(1, 12)), F32(Counting(20, 8)), F32(-1, -2));

        var network = new MixedBiasNet();
        SafeTensors.Load(network, new MemoryStream(file));

        Assert.Equal([.. Counting(1, 12), .. Counting(20, 8), -1f, -2f], network.Parameters.ToArray());
    }

    [Fact]
    public void Load_F16_ConvertsExactly_FromHandComputedBits()
    {
        // IEEE 754 binary16: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits.
        ushort[] bits =
        [
            0x3C00, // 0 01111 0000000000 = 1
            0xC000, // 1 10000 0000000000 = -2
            0x3555, // 0 01101 0101010101 = 2^-2 * (1 + 341/1024) = 1365/4096 = 0.333251953125
            0x0001, // 0 00000 0000000001 = 2^-14 * 1/1024 = 2^-24 (smallest subnormal)
            0x7BFF, // 0 11110 1111111111 = 2^15 * (1 + 1023/1024) = 65504 (largest finite)
            0x8000, // 1 00000 0000000000 = -0
            0x0400, // 0 00001 0000000000 = 2^-14 (smallest normal)
            0x7C00, // 0 11111 0000000000 = +infinity
            0x3800, // 0 01110 0000000000 = 0.5
        ];
        double[] expected = [1, -2, 0.333251953125, 5.9604644775390625E-08, 65504, -0.0, 6.103515625E-05, double.PositiveInfinity, 0.5];
        byte[] file = TinyFile("F16", Bits16(bits));

        AssertLoadsBits(file, expected);
    }

    [Fact]
    public void Load_BF16_ConvertsExactly_FromHandComputedBits()
    {
        // bfloat16: the upper 16 bits of a binary32, 1 sign bit, 8 exponent bits (bias 127), 7 fraction bits.
        ushort[] bits =
        [
            0x3F80, // 0 01111111 0000000 = 1
            0xC040, // 1 10000000 1000000 = -2 * 1.5 = -3
            0x3EAB, // 0 01111101 0101011 = 2^-2 * (1 + 43/128) = 0.333984375
            0x4049, // 0 10000000 1001001 = 2 * (1 + 73/128) = 3.140625
            0x0001, // 0 00000000 0000001 = 2^-126 * 1/128 = 2^-133 (smallest subnormal)
            0x7F7F, // 0 11111110 1111111 = 2^127 * 255/128 = 255 * 2^120 (largest finite)
            0x8000, // -0
            0xFF80, // 1 11111111 0000000 = -infinity
            0x3C23, // 0 01111000 0100011 = 2^-7 * 163/128 = 163/16384 = 0.00994873046875
        ];
        double[] expected = [1, -3, 0.333984375, 3.140625, Math.ScaleB(1.0, -133), Math.ScaleB(255.0, 120), -0.0, double.NegativeInfinity, 0.00994873046875];
        byte[] file = TinyFile("BF16", Bits16(bits));

        AssertLoadsBits(file, expected);
    }

    [Fact]
    public void Load_F64_IntoFloat_RoundsToNearest()
    {
        // binary64 -> binary32, round to nearest even: 1 + 2^-25 is a quarter of a float ulp above 1 (down to 1);
        // 1 + 3 * 2^-25 is three quarters (up to 1 + 2^-23, bits 0x3F800001); 0.1 -> 0x3DCCCCCD; 1e300 overflows to
        // +infinity; 2^-149 is the smallest float subnormal (bits 0x00000001).
        double[] values = [1 + Math.ScaleB(1, -25), 1 + (3 * Math.ScaleB(1, -25)), 0.1, 1e300, -2.5, Math.ScaleB(1, -149), 0, 7, -0.0];
        uint[] expectedBits = [0x3F800000, 0x3F800001, 0x3DCCCCCD, 0x7F800000, 0xC0200000, 0x00000001, 0, 0x40E00000, 0x80000000];
        var network = new TinyNet();

        SafeTensors.Load(network, new MemoryStream(TinyFile("F64", F64(values))));

        Assert.Equal(expectedBits, network.Parameters.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray());
    }

    [Fact]
    public void Load_F32_IntoDouble_IsExact()
    {
        float[] values = [0.1f, -3.25f, float.Epsilon, float.MaxValue, 1e-20f, 5, 6, 7, -0f];
        var network = new TinyDoubleNet();

        SafeTensors.Load(network, new MemoryStream(TinyFile("F32", F32(values))));

        Assert.Equal(values.Select(v => BitConverter.DoubleToUInt64Bits(v)).ToArray(), network.Parameters.ToArray().Select(BitConverter.DoubleToUInt64Bits).ToArray());
    }

    [Fact]
    public void Load_MixedDtypesInOneFile()
    {
        // Weight in F16 (1, -2, 0.5, 2, 0.25, -1), bias in BF16 (1, -3, 0.5).
        string json = "{" + Entry("0.weight", "F16", "[3,2]", 0, 12) + "," + Entry("0.bias", "BF16", "[3]", 12, 18) + "}";
        byte[] file = File(json, Bits16(0x3C00, 0xC000, 0x3800, 0x4000, 0x3400, 0xBC00), Bits16(0x3F80, 0xC040, 0x3F00));
        var network = new TinyNet();

        SafeTensors.Load(network, new MemoryStream(file));

        Assert.Equal([1f, -2f, 0.5f, 2f, 0.25f, -1f, 1f, -3f, 0.5f], network.Parameters.ToArray());
    }

    [Fact]
    public void Load_AcceptsMetadataWhitespaceEscapesAndPadding()
    {
        // Pretty-printed JSON as Python's json.dumps(indent=2) writes it, __metadata__ first, "\u0030" escaping "0",
        // and the header padded with spaces to a multiple of 8 bytes, as the reference writer pads it.
        string json = "{\n  \"__metadata__\": {\"format\": \"pt\", \"note\": \"caf\\u00e9 \\\"quoted\\\"\"},\n"
            + "  \"\\u0030.weight\": {\"dtype\": \"F32\", \"shape\": [3, 2], \"data_offsets\": [0, 24]},\r\n"
            + "\t\"0.bias\": {\"shape\": [3], \"data_offsets\": [24, 36], \"dtype\": \"F32\"}\n}";
        json += new string(' ', (8 - (json.Length % 8)) % 8);
        Assert.Equal(0, json.Length % 8);
        byte[] file = File(json, F32(1, 2, 3, 4, 5, 6), F32(7, 8, 9));
        var network = new TinyNet();

        SafeTensors.Load(network, new MemoryStream(file));

        Assert.Equal(Counting(1, 9), network.Parameters.ToArray());
    }

    [Fact]
    public void Load_AcceptsNullMetadata()
    {
        string json = "{\"__metadata__\":null," + Entry("0.weight", "F32", "[3,2]", 0, 24) + "," + Entry("0.bias", "F32", "[3]", 24, 36) + "}";
        var network = new TinyNet();

        SafeTensors.Load(network, new MemoryStream(File(json, F32(Counting(1, 9)))));

        Assert.Equal(Counting(1, 9), network.Parameters.ToArray());
    }

    [Fact]
    public void Load_FromAStreamThatCannotSeek_AndHandsOutFewBytesAtATime()
    {
        var network = new TwoLayerNet();

        SafeTensors.Load(network, new TrickleStream(TwoLayerFile(), chunk: 3));

        Assert.Equal(Counting(1, 26), network.Parameters.ToArray());
    }

    [Fact]
    public void Load_FromTheStreamsPosition()
    {
        byte[] file = TwoLayerFile();
        var stream = new MemoryStream([0xDE, 0xAD, .. file]) { Position = 2 };
        var network = new TwoLayerNet();

        SafeTensors.Load(network, stream);

        Assert.Equal(Counting(1, 26), network.Parameters.ToArray());
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void Load_FromAPath()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        System.IO.File.WriteAllBytes(path, TwoLayerFile());
        var network = new TwoLayerNet();

        SafeTensors.Load(network, path);

        Assert.Equal(Counting(1, 26), network.Parameters.ToArray());
    }

    [Fact]
    public void Load_MissingPath_ThrowsFileNotFound_AndLeavesTheNetwork()
    {
        var network = new TwoLayerNet();
        float[] before = network.Parameters.ToArray();

        Assert.Throws<FileNotFoundException>(() => SafeTensors.Load(network, Path.Combine(_directory, "absent.safetensors")));
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void Load_Arguments()
    {
        var network = new TwoLayerNet();

        Assert.Throws<ArgumentNullException>(() => SafeTensors.Load<float>(null!, new MemoryStream()));
        Assert.Throws<ArgumentNullException>(() => SafeTensors.Load(network, (Stream)null!));
        Assert.Throws<ArgumentException>(() => SafeTensors.Load(network, string.Empty));
        Assert.Throws<ArgumentException>(() => SafeTensors.Load(network, new WriteOnlyStream()));
    }

    /// <summary>The valid file for <see cref="TwoLayerNet"/>, parameters 1 to 26 in layout order.</summary>
    internal static byte[] TwoLayerFile()
    {
        string json = "{"
            + Entry("0.weight", "F32", "[4,3]", 0, 48) + ","
            + Entry("0.bias", "F32", "[4]", 48, 64) + ","
            + Entry("2.weight", "F32", "[2,4]", 64, 96) + ","
            + Entry("2.bias", "F32", "[2]", 96, 104) + "}";
        return File(json, F32(Counting(1, 26)));
    }

    /// <summary>A file for <see cref="TinyNet"/> with both tensors in <paramref name="dtype"/>; <paramref name="data"/> holds 9 values.</summary>
    private static byte[] TinyFile(string dtype, byte[] data)
    {
        int size = data.Length / 9;
        string json = "{" + Entry("0.weight", dtype, "[3,2]", 0, 6 * size) + "," + Entry("0.bias", dtype, "[3]", 6 * size, 9 * size) + "}";
        return File(json, data);
    }

    /// <summary>Loads into a float and a double network and compares bit patterns (so -0 and infinities count).</summary>
    private static void AssertLoadsBits(byte[] file, double[] expected)
    {
        var single = new TinyNet();
        SafeTensors.Load(single, new MemoryStream(file));
        Assert.Equal(expected.Select(v => BitConverter.SingleToUInt32Bits((float)v)).ToArray(), single.Parameters.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray());

        var dual = new TinyDoubleNet();
        SafeTensors.Load(dual, new MemoryStream(file));
        Assert.Equal(expected.Select(BitConverter.DoubleToUInt64Bits).ToArray(), dual.Parameters.ToArray().Select(BitConverter.DoubleToUInt64Bits).ToArray());
    }

    private sealed class WriteOnlyStream : MemoryStream
    {
        public override bool CanRead => false;
    }
}
