using System;
using System.IO;

namespace NetGen;

/// <summary>Opens a file for the Load methods, which document <see cref="IOException"/> for a file that cannot be read.</summary>
internal static class ReadableFile
{
    /// <summary>
    /// Opens <paramref name="path"/> for reading. A directory, or a file this process may not read, throws
    /// <see cref="IOException"/> (whose inner exception is the <see cref="UnauthorizedAccessException"/> that
    /// <see cref="FileStream"/> throws for both) rather than an exception the Load methods do not document.
    /// </summary>
    /// <exception cref="IOException">The file does not exist, is a directory, or cannot be read.</exception>
    public static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (UnauthorizedAccessException e)
        {
            string reason = Directory.Exists(path) ? "is a directory, not a file" : "cannot be read: access to it is denied";
            throw new IOException($"'{path}' {reason}.", e);
        }
    }
}
