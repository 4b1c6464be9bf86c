using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using NetGen.TestFixtures;

namespace NetGen.Tests.Persistence;

/// <summary>
/// ModelFile with paths that are not plain files: each case throws the exception its documentation names
/// (Load: IOException; Save: ArgumentException for a directory), and a legal long file name saves.
/// </summary>
public sealed class FileExceptionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-files-" + Guid.NewGuid().ToString("N"));

    public FileExceptionTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_OfADirectory_ThrowsIOException_AndChangesNothing()
    {
        var network = new SmallFloatNet();
        network.InitializeParameters(3);
        float[] before = network.Parameters.ToArray();

        IOException e = Assert.Throws<IOException>(() => ModelFile.Load(network, _directory));

        Assert.Contains("directory", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [WriteOnlyFileFact]
    public void Load_OfAFileThatCannotBeRead_ThrowsIOException()
    {
        var network = new SmallFloatNet();
        IOException e = Assert.Throws<IOException>(() => ModelFile.Load(network, SpecialFiles.WriteOnly!));
        Assert.IsType<UnauthorizedAccessException>(e.InnerException);
    }

    [Fact]
    public void Save_OntoAnExistingDirectory_ThrowsArgumentException_AndLeavesItAlone()
    {
        string path = Path.Combine(_directory, "taken");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "inside.txt"), "kept");

        ArgumentException e = Assert.Throws<ArgumentException>(() => ModelFile.Save(new SmallFloatNet(), path));

        Assert.Equal("path", e.ParamName);
        Assert.Equal("kept", File.ReadAllText(Path.Combine(path, "inside.txt")));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Theory]
    [InlineData(250)]
    [InlineData(255)]
    public void Save_ToALegalLongFileName_Works_AndLeavesNoTemporaryFile(int length)
    {
        // 255 bytes is the longest name Linux file systems (NAME_MAX) and NTFS allow.
        string name = new string('m', length - 4) + ".ngp";
        string path = Path.Combine(_directory, name);
        var network = new SmallDoubleNet();
        network.InitializeParameters(5);

        ModelFile.Save(network, path);
        ModelFile.Save(network, path);

        var loaded = new SmallDoubleNet();
        ModelFile.Load(loaded, path);
        Assert.Equal(network.Parameters.ToArray(), loaded.Parameters.ToArray());
        Assert.Equal([name], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_NamesItsTemporaryFileShortly_InTheTargetsDirectory()
    {
        string path = Path.Combine(_directory, new string('n', 251) + ".ngp");
        string? temporary = null;

        ModelFile.Save(new SmallFloatNet(), path, t => temporary = t);

        Assert.NotNull(temporary);
        Assert.Equal(_directory, Path.GetDirectoryName(temporary));
        Assert.InRange(Path.GetFileName(temporary)!.Length, 1, 32);
    }

    [FifoFact]
    public async Task Load_FromANamedPipe_ReadsIt()
    {
        var saved = new SmallFloatNet();
        saved.InitializeParameters(11);
        var bytes = new MemoryStream();
        ModelFile.Save(saved, bytes);
        string fifo = Path.Combine(_directory, "model.fifo");
        Task writing = SpecialFiles.WriteThroughFifo(fifo, bytes.ToArray());

        var loaded = new SmallFloatNet();
        ModelFile.Load(loaded, fifo);
        await writing;

        Assert.Equal(saved.Parameters.ToArray(), loaded.Parameters.ToArray());
    }
}
