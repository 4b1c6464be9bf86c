using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using NetGen;
using static NetGen.TestFixtures.SafeTensorsBytes;

namespace NetGen.Interop.Tests;

/// <summary>SafeTensors.Save: the exact bytes the format and docs/interop.md prescribe, and round trips.</summary>
public sealed class SafeTensorsSaveTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-safetensors-save-" + Guid.NewGuid().ToString("N"));

    public SafeTensorsSaveTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Save_Float_WritesTheDocumentedBytes()
    {
        var network = new TwoLayerNet();
        float[] values = Enumerable.Range(0, 26).Select(i => (i - 13) * 0.375f).ToArray();
        values.CopyTo(network.Parameters);

        // Written out by hand: __metadata__ first, then nn.Sequential's names in layer order, offsets contiguous,
        // the JSON padded with spaces to a multiple of 8 bytes, then the parameters as little-endian F32.
        string json = "{\"__metadata__\":{\"format\":\"pt\",\"netgen.topology\":\"float 3 | 4 ReLU | 2 Identity | MeanSquaredError\"},"
            + "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]},"
            + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[48,64]},"
            + "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[64,96]},"
            + "\"2.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[96,104]}}";
        byte[] expected = File(Padded(json), F32(values));

        Assert.Equal(expected, SaveToBytes(network));
    }

    [Fact]
    public void Save_LayersWithoutBiases_WriteNoBiasTensors()
    {
        var network = new SeedShapeNet();
        float[] values = [2, 1, 1, 2, 1, 1];
        values.CopyTo(network.Parameters);

        string json = "{\"__metadata__\":{\"format\":\"pt\",\"netgen.topology\":\"float 2 | 2 ReLU nobias | 1 Identity nobias | MeanSquaredError\"},"
            + "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
            + "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[16,24]}}";

        Assert.Equal(File(Padded(json), F32(values)), SaveToBytes(network));
    }

    [Fact]
    public void Save_Double_WritesF64_ReadBackByTheFormatAlone()
    {
        var network = new TwoLayerDoubleNet();
        double[] values = Enumerable.Range(0, 26).Select(i => Math.Sqrt(i + 1) * (i % 2 == 0 ? 1 : -1)).ToArray();
        values.CopyTo(network.Parameters);

        byte[] file = SaveToBytes(network);

        // Read it the way any safetensors reader does, without NetGen.
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0UL, n % 8);
        byte[] header = file.AsSpan(8, (int)n).ToArray();
        using JsonDocument document = JsonDocument.Parse(Encoding.UTF8.GetString(header).TrimEnd(' '));
        JsonElement root = document.RootElement;
        Assert.Equal(["__metadata__", "0.weight", "0.bias", "2.weight", "2.bias"], root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("double 3 | 4 ReLU | 2 Identity | MeanSquaredError", root.GetProperty("__metadata__").GetProperty("netgen.topology").GetString());
        (string Name, int[] Shape, int Begin, int End)[] expected = [("0.weight", [4, 3], 0, 96), ("0.bias", [4], 96, 128), ("2.weight", [2, 4], 128, 192), ("2.bias", [2], 192, 208)];
        foreach ((string name, int[] shape, int begin, int end) in expected)
        {
            JsonElement entry = root.GetProperty(name);
            Assert.Equal("F64", entry.GetProperty("dtype").GetString());
            Assert.Equal(shape, entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray());
            Assert.Equal([begin, end], entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        }

        ReadOnlySpan<byte> buffer = file.AsSpan(8 + (int)n);
        Assert.Equal(208, buffer.Length);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(BitConverter.DoubleToUInt64Bits(values[i]), BinaryPrimitives.ReadUInt64LittleEndian(buffer[(i * 8)..]));
        }
    }

    [Fact]
    public void Save_PadsTheHeaderWithSpacesToEightBytes_ForEveryNetwork()
    {
        foreach (byte[] file in new[] { SaveToBytes(new TwoLayerNet()), SaveToBytes(new SeedShapeNet()), SaveToBytes(new MixedBiasNet()), SaveToBytes(new WideNet()), SaveToBytes(new DoubleNet()) })
        {
            ulong n = BinaryPrimitives.ReadUInt64LittleEndian(file);
            Assert.Equal(0UL, n % 8);
            string header = Encoding.UTF8.GetString(file, 8, (int)n);
            string json = header.TrimEnd(' ');
            Assert.EndsWith("}", json, StringComparison.Ordinal);
            Assert.True(header.Length - json.Length < 8);

            // The tensors tile the rest of the file exactly, in the order the header lists them.
            using JsonDocument document = JsonDocument.Parse(json);
            long position = 0;
            foreach (JsonProperty tensor in document.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__"))
            {
                long[] offsets = tensor.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                Assert.Equal(position, offsets[0]);
                position = offsets[1];
            }

            Assert.Equal(file.Length - 8 - (long)n, position);
        }
    }

    [Fact]
    public void Save_NamesModulesAsNnSequentialDoes()
    {
        // Layers 0, 1, 2, ... are modules 0, 2, 4, ... of nn.Sequential(Linear, act, Linear, act, ...).
        byte[] file = SaveToBytes(new DeepMixedNet());
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(file);
        using JsonDocument document = JsonDocument.Parse(Encoding.UTF8.GetString(file, 8, (int)n));

        string[] names = document.RootElement.EnumerateObject().Select(p => p.Name).Where(name => name != "__metadata__").ToArray();

        // DeepMixedNet: the third layer (module 4) has no bias.
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "6.weight", "6.bias", "8.weight", "8.bias"], names);
        Assert.Equal("0.weight", SafeTensors.WeightName(0));
        Assert.Equal("6.weight", SafeTensors.WeightName(3));
        Assert.Equal("2.bias", SafeTensors.BiasName(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SafeTensors.WeightName(-1));
    }

    [Fact]
    public void RoundTrip_Float()
    {
        var source = new WideNet();
        source.InitializeParameters(seed: 11);
        RandomizeBiases(source, seed: 12);
        var target = new WideNet();
        target.InitializeParameters(seed: 99);

        SafeTensors.Load(target, new MemoryStream(SaveToBytes(source)));

        Assert.Equal(source.Parameters.ToArray().Select(BitConverter.SingleToUInt32Bits), target.Parameters.ToArray().Select(BitConverter.SingleToUInt32Bits));
        float[] input = Enumerable.Range(0, 10).Select(i => (i * 0.3f) - 1.2f).ToArray();
        float[] a = new float[5], b = new float[5];
        source.Forward(input, a);
        target.Forward(input, b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void RoundTrip_Double()
    {
        var source = new TwoLayerDoubleNet();
        source.InitializeParameters(seed: 3);
        RandomizeBiases(source, seed: 4);
        var target = new TwoLayerDoubleNet();
        target.InitializeParameters(seed: 5);

        SafeTensors.Load(target, new MemoryStream(SaveToBytes(source)));

        Assert.Equal(source.Parameters.ToArray().Select(BitConverter.DoubleToUInt64Bits), target.Parameters.ToArray().Select(BitConverter.DoubleToUInt64Bits));
    }

    [Fact]
    public void RoundTrip_MixedBiases_AndNonFiniteValues()
    {
        var source = new MixedBiasNet();
        for (int i = 0; i < source.Parameters.Length; i++)
        {
            source.Parameters[i] = (i % 5) switch { 0 => float.NaN, 1 => float.NegativeInfinity, 2 => -0f, 3 => float.Epsilon, _ => i };
        }

        var target = new MixedBiasNet();
        SafeTensors.Load(target, new MemoryStream(SaveToBytes(source)));

        Assert.Equal(source.Parameters.ToArray().Select(BitConverter.SingleToUInt32Bits), target.Parameters.ToArray().Select(BitConverter.SingleToUInt32Bits));
    }

    [Fact]
    public void Save_ToAPath_ThenLoad_LeavesNoTemporaryFile()
    {
        string path = Path.Combine(_directory, "model.safetensors");
        System.IO.File.WriteAllText(path, "old contents");
        var source = new TwoLayerNet();
        source.InitializeParameters(seed: 21);
        var target = new TwoLayerNet();

        SafeTensors.Save(source, path);
        SafeTensors.Load(target, path);

        Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());
        Assert.Equal(["model.safetensors"], Directory.GetFiles(_directory).Select(f => Path.GetFileName(f)).ToArray());
        Assert.Equal(SaveToBytes(source), System.IO.File.ReadAllBytes(path));
    }

    [Fact]
    public void Save_Arguments()
    {
        var network = new TwoLayerNet();

        Assert.Throws<ArgumentNullException>(() => SafeTensors.Save<float>(null!, new MemoryStream()));
        Assert.Throws<ArgumentNullException>(() => SafeTensors.Save(network, (Stream)null!));
        Assert.Throws<ArgumentException>(() => SafeTensors.Save(network, new MemoryStream([], writable: false)));
        Assert.Throws<ArgumentException>(() => SafeTensors.Save(network, string.Empty));
        Assert.Throws<ArgumentException>(() => SafeTensors.Save(network, _directory + Path.DirectorySeparatorChar));
        Assert.Throws<ArgumentException>(() => SafeTensors.Save(new HandWrittenNetwork("float 2 | 3 Identity | MeanSquaredError", 2, 3, 8), new MemoryStream()));
    }

    private static byte[] SaveToBytes<T>(INetwork<T> network)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var stream = new MemoryStream();
        SafeTensors.Save(network, stream);
        return stream.ToArray();
    }

    private static string Padded(string json) => json + new string(' ', (8 - (Encoding.UTF8.GetByteCount(json) % 8)) % 8);

    private static void RandomizeBiases<T>(INetwork<T> network, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        foreach (LayerTopology layer in NetworkTopology.Of(network).Layers.Where(l => l.HasBias))
        {
            for (int i = 0; i < layer.Units; i++)
            {
                network.Parameters[layer.BiasOffset + i] = T.CreateTruncating(random.NextDouble() - 0.5);
            }
        }
    }
}
