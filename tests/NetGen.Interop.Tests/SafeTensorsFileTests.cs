using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using NetGen;
using NetGen.TestFixtures;
using static NetGen.TestFixtures.SafeTensorsBytes;

namespace NetGen.Interop.Tests;

/// <summary>
/// SafeTensors.Load and Save with paths that are not plain files: each case throws the exception docs/interop.md and
/// the XML docs name, and a named pipe, which has no length, is read as a stream.
/// </summary>
public sealed class SafeTensorsFileTests : IDisposable
{
    private const string All =
        "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3],\"data_offsets\":[0,48]},"
        + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[48,64]},"
        + "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[64,96]},"
        + "\"2.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[96,104]}";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-st-files-" + Guid.NewGuid().ToString("N"));

    public SafeTensorsFileTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    // ---- Paths.

    [Fact]
    public void Load_OfADirectory_ThrowsIOException()
    {
        var network = new TwoLayerNet();
        float[] before = network.Parameters.ToArray();

        IOException e = Assert.Throws<IOException>(() => SafeTensors.Load(network, _directory));

        Assert.Contains("directory", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [WriteOnlyFileFact]
    public void Load_OfAFileThatCannotBeRead_ThrowsIOException()
    {
        IOException e = Assert.Throws<IOException>(() => SafeTensors.Load(new TwoLayerNet(), SpecialFiles.WriteOnly!));
        Assert.IsType<UnauthorizedAccessException>(e.InnerException);
    }

    [Fact]
    public void Save_OntoAnExistingDirectory_ThrowsArgumentException()
    {
        string path = Path.Combine(_directory, "taken.safetensors");
        Directory.CreateDirectory(path);

        Assert.Equal("path", Assert.Throws<ArgumentException>(() => SafeTensors.Save(new TwoLayerNet(), path)).ParamName);

        Assert.True(Directory.Exists(path));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Save_ToA255CharacterFileName_Works()
    {
        string name = new string('s', 255 - ".safetensors".Length) + ".safetensors";
        string path = Path.Combine(_directory, name);
        var network = new TwoLayerNet();
        network.InitializeParameters(4);

        SafeTensors.Save(network, path);

        var loaded = new TwoLayerNet();
        SafeTensors.Load(loaded, path);
        Assert.Equal(network.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal([name], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [FifoFact]
    public async Task Load_FromANamedPipe_ReadsItWithoutAskingItsLength()
    {
        float[] parameters = Counting(1, 26);
        string fifo = Path.Combine(_directory, "weights.fifo");
        Task writing = SpecialFiles.WriteThroughFifo(fifo, File("{" + All + "}", F32(parameters)));

        var network = new TwoLayerNet();
        SafeTensors.Load(network, fifo);
        await writing;

        Assert.Equal(parameters, network.Parameters.ToArray());
    }

    [FifoFact]
    public async Task Load_FromANamedPipe_StillRefusesBytesAfterTheLastTensor()
    {
        string fifo = Path.Combine(_directory, "long.fifo");
        Task writing = SpecialFiles.WriteThroughFifo(fifo, File("{" + All + "}", F32(Counting(1, 27))));

        SafeTensorsException e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(new TwoLayerNet(), fifo));
        await writing;

        Assert.Equal(SafeTensorsError.InvalidOffsets, e.Reason);
    }
}
