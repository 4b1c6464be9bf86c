using System;
using System.IO;
using System.Linq;
using NetGen;
using NetGen.Onnx;

namespace NetGen.Interop.Tests;

/// <summary>
/// OnnxExporter.Export(network, path) saves atomically, as ModelFile.Save and SafeTensors.Save do: a new file
/// beside the target, flushed, then renamed over it, so the old file is never written in place and survives any
/// failure before the rename.
/// </summary>
public sealed class OnnxExportFileTests : IDisposable
{
    private static readonly byte[] OldModel = [0x08, 0x07, 0x12, 0x03, (byte)'o', (byte)'l', (byte)'d'];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-onnx-files-" + Guid.NewGuid().ToString("N"));

    public OnnxExportFileTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Export_ReplacesTheOldFileByARename_NeverWritingIntoIt()
    {
        // A handle opened on the old file before the export still reads the old bytes after it: the export made a
        // new file and renamed it over the path. Writing in place (File.WriteAllBytes) would truncate and rewrite
        // the very file the handle reads, which is how a full disk left 4,096 bytes that were neither model.
        string path = Path.Combine(_directory, "model.onnx");
        File.WriteAllBytes(path, OldModel);
        var network = new ReluNet();
        network.InitializeParameters(3);

        using var old = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        OnnxExporter.Export(network, path);

        byte[] seen = new byte[OldModel.Length + 1];
        int read = old.ReadAtLeast(seen, seen.Length, throwOnEndOfStream: false);
        Assert.Equal(OldModel, seen[..read]);
        Assert.Equal(OnnxExporter.Export(network), File.ReadAllBytes(path));
        Assert.Equal(["model.onnx"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Export_FailingBeforeTheRename_LeavesTheOldFileAndNoTemporaryFile()
    {
        string path = Path.Combine(_directory, "model.onnx");
        File.WriteAllBytes(path, OldModel);
        var network = new ReluNet();
        string? temporary = null;

        IOException e = Assert.Throws<IOException>(() => OnnxExporter.Export(network, path, t =>
        {
            temporary = t;
            Assert.Equal(OnnxExporter.Export(network), File.ReadAllBytes(t));
            throw new IOException("No space left on device (simulated)");
        }));

        Assert.Contains("simulated", e.Message, StringComparison.Ordinal);
        Assert.Equal(_directory, Path.GetDirectoryName(temporary));
        Assert.Equal(OldModel, File.ReadAllBytes(path));
        Assert.Equal(["model.onnx"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Export_OntoAnExistingDirectory_ThrowsArgumentException()
    {
        string path = Path.Combine(_directory, "taken.onnx");
        Directory.CreateDirectory(path);

        Assert.Equal("path", Assert.Throws<ArgumentException>(() => OnnxExporter.Export(new ReluNet(), path)).ParamName);
        Assert.True(Directory.Exists(path));
    }

    [Fact]
    public void Export_ToA255CharacterFileName_Works()
    {
        string name = new string('o', 250) + ".onnx";
        string path = Path.Combine(_directory, name);
        var network = new ReluNet();

        OnnxExporter.Export(network, path);

        Assert.Equal(OnnxExporter.Export(network), File.ReadAllBytes(path));
        Assert.Equal([name], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }
}
