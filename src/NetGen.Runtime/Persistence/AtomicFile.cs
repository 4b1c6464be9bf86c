using System;
using System.IO;

namespace NetGen;

/// <summary>
/// Writes a file so that a crash never leaves it half written: the bytes go to a temporary file beside the target,
/// which is flushed to disk and then renamed over the target. On failure the temporary file is removed and the old
/// target, if any, is untouched.
/// </summary>
/// <remarks>
/// The temporary file is named <c>.netgen-&lt;11 random letters and digits&gt;.tmp</c> (23 characters) in the target's
/// directory, whatever the target's name, so that any name the file system allows for the target (up to 255
/// characters) can be saved: a name built from the target's, as it once was, is too long for the longest legal names.
/// The same source is compiled into NetGen.Onnx, so that every save to a path in NetGen is this one.
/// </remarks>
internal static class AtomicFile
{
    /// <param name="path">The file to write.</param>
    /// <param name="bytes">Its whole content.</param>
    /// <param name="beforeReplace">Runs after the temporary file is complete and before the rename (for tests).</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory (an existing one included).</exception>
    public static void Write(string path, ReadOnlySpan<byte> bytes, Action<string>? beforeReplace = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string fileName = Path.GetFileName(fullPath);
        if (fileName.Length == 0 || Directory.Exists(fullPath))
        {
            throw new ArgumentException($"'{path}' names a directory, not a file.", nameof(path));
        }

        string directory = Path.GetDirectoryName(fullPath)!;
        string temporary = Path.Combine(directory, $".netgen-{Path.GetRandomFileName().Replace(".", string.Empty, StringComparison.Ordinal)}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }

            beforeReplace?.Invoke(temporary);
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original error is the one to report.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
