using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NetGen;
using NetGen.Onnx;

namespace NetGen.Interop.Tests;

/// <summary>
/// OnnxExporter.Export(network, path) saves atomically, as ModelFile.Save and SafeTensors.Save do: a new file
/// beside the target, flushed, then renamed over it, so the old file is never written in place and survives any
/// failure before the rename. Each way of failing throws one of the documented exceptions (ArgumentNullException,
/// ArgumentException, IOException, UnauthorizedAccessException) and leaves what was there as it was, with no
/// temporary file behind.
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
    public void Export_OntoAnExistingDirectory_ThrowsArgumentException_AndLeavesItsContent()
    {
        string path = Path.Combine(_directory, "taken.onnx");
        Directory.CreateDirectory(path);
        File.WriteAllBytes(Path.Combine(path, "inside.onnx"), OldModel);

        Assert.Equal("path", Assert.Throws<ArgumentException>(() => OnnxExporter.Export(new ReluNet(), path)).ParamName);

        Assert.True(Directory.Exists(path));
        Assert.Equal(["inside.onnx"], Directory.GetFiles(path).Select(Path.GetFileName));
        Assert.Equal(OldModel, File.ReadAllBytes(Path.Combine(path, "inside.onnx")));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Export_ToAPathEndingInASeparator_ThrowsArgumentException_AndCreatesNothing()
    {
        string path = Path.Combine(_directory, "model") + Path.DirectorySeparatorChar;

        Assert.Equal("path", Assert.Throws<ArgumentException>(() => OnnxExporter.Export(new ReluNet(), path)).ParamName);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void Export_WithANullOrEmptyArgument_ThrowsTheDocumentedArgumentExceptions()
    {
        Assert.Equal("network", Assert.Throws<ArgumentNullException>(() => OnnxExporter.Export<float>(null!, Path.Combine(_directory, "m.onnx"))).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => OnnxExporter.Export(new ReluNet(), (string)null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => OnnxExporter.Export(new ReluNet(), string.Empty)).ParamName);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void Export_IntoAReadOnlyDirectory_ThrowsUnauthorizedAccessException_AndLeavesTheOldFile()
    {
        string directory = Path.Combine(_directory, "read-only");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "model.onnx");
        File.WriteAllBytes(path, OldModel);

        SetReadOnly(directory, readOnly: true);
        try
        {
            Assert.Throws<UnauthorizedAccessException>(() => OnnxExporter.Export(new ReluNet(), path));
        }
        finally
        {
            SetReadOnly(directory, readOnly: false);
        }

        Assert.Equal(OldModel, File.ReadAllBytes(path));
        Assert.Equal(["model.onnx"], Directory.GetFiles(directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Export_IntoAMissingDirectory_ThrowsIOException_AndCreatesNothing()
    {
        string path = Path.Combine(_directory, "missing", "model.onnx");

        Assert.ThrowsAny<IOException>(() => OnnxExporter.Export(new ReluNet(), path));
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void Export_BelowAFile_ThrowsIOException_AndLeavesTheFile()
    {
        // "model.onnx/inner.onnx": the directory part is a file, which no export may replace or write into.
        string file = Path.Combine(_directory, "model.onnx");
        File.WriteAllBytes(file, OldModel);

        Assert.ThrowsAny<IOException>(() => OnnxExporter.Export(new ReluNet(), Path.Combine(file, "inner.onnx")));

        Assert.Equal(OldModel, File.ReadAllBytes(file));
        Assert.Equal(["model.onnx"], Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Export_ToAFileNameTooLongForTheFileSystem_ThrowsIOException_AndCreatesNothing()
    {
        // 256 characters, one more than ext4 and the other common file systems allow in one name.
        string path = Path.Combine(_directory, new string('o', 251) + ".onnx");

        Assert.ThrowsAny<IOException>(() => OnnxExporter.Export(new ReluNet(), path));
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void Export_WhenTheRenameItselfFails_ThrowsADocumentedException_AndLeavesNoTemporaryFile()
    {
        // Between the temporary file and the rename, the target becomes a directory with a file in it: the rename
        // cannot replace it, and the temporary file must go.
        string path = Path.Combine(_directory, "model.onnx");
        File.WriteAllBytes(path, OldModel);

        Exception e = Record.Exception(() => OnnxExporter.Export(new ReluNet(), path, _ =>
        {
            File.Delete(path);
            Directory.CreateDirectory(path);
            File.WriteAllBytes(Path.Combine(path, "inside.onnx"), OldModel);
        }));

        Assert.True(e is IOException or UnauthorizedAccessException, $"Undocumented exception: {e}");
        Assert.Equal(OldModel, File.ReadAllBytes(Path.Combine(path, "inside.onnx")));
        Assert.Empty(Directory.GetFiles(_directory));
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

    /// <summary>
    /// Makes <paramref name="directory"/> refuse new entries and renames: mode 0555, or, for root (which permission
    /// bits do not stop), the immutable attribute (chattr +i), which stops root too.
    /// </summary>
    private static void SetReadOnly(string directory, bool readOnly)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The read-only directory of this test is made with Unix file modes or chattr.");
        }

        if (!Environment.IsPrivilegedProcess)
        {
            File.SetUnixFileMode(directory, readOnly
                ? UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            return;
        }

        using Process chattr = Process.Start(new ProcessStartInfo("chattr", [readOnly ? "+i" : "-i", directory]) { RedirectStandardError = true })!;
        string error = chattr.StandardError.ReadToEnd();
        chattr.WaitForExit();
        Assert.True(chattr.ExitCode == 0, $"chattr {(readOnly ? "+i" : "-i")} failed ({chattr.ExitCode}): {error} The test needs a read-only directory, which root gets only from the immutable attribute.");
    }
}
