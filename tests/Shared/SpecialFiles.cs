using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Xunit;

namespace NetGen.TestFixtures;

/// <summary>
/// Files that are not plain readable files, for the tests of what loading and saving throw: a named pipe (FIFO),
/// whose length cannot be asked for, and a file that cannot be opened for reading even by root.
/// </summary>
internal static class SpecialFiles
{
    /// <summary>
    /// A file that opening for reading refuses with EACCES whoever asks: the kernel's write-only PCI rescan switch.
    /// (A file made unreadable with chmod does not do, because root may read it anyway.) Null where there is none.
    /// Opening it for reading does nothing; only a write would rescan.
    /// </summary>
    public static string? WriteOnly { get; } = OperatingSystem.IsLinux() && File.Exists("/sys/bus/pci/rescan") ? "/sys/bus/pci/rescan" : null;

    /// <summary>Whether named pipes can be made here (mkfifo).</summary>
    public static bool HasFifos => !OperatingSystem.IsWindows();

    /// <summary>Makes a named pipe at <paramref name="path"/>, and starts writing <paramref name="bytes"/> into it (the write waits for a reader).</summary>
    public static Task WriteThroughFifo(string path, byte[] bytes)
    {
        if (MakeFifo(path, Convert.ToUInt32("600", 8)) != 0)
        {
            throw new IOException($"mkfifo '{path}' failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        return Task.Run(() =>
        {
            using var writer = new FileStream(path, FileMode.Open, FileAccess.Write);
            writer.Write(bytes);
        });
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}

/// <summary>A fact that needs <see cref="SpecialFiles.WriteOnly"/>, skipped (saying why) on a machine without it.</summary>
internal sealed class WriteOnlyFileFactAttribute : FactAttribute
{
    public WriteOnlyFileFactAttribute()
    {
        if (SpecialFiles.WriteOnly is null)
        {
            Skip = "This machine has no file that even root cannot open for reading (/sys/bus/pci/rescan on Linux).";
        }
    }
}

/// <summary>A fact that needs named pipes, skipped on Windows.</summary>
internal sealed class FifoFactAttribute : FactAttribute
{
    public FifoFactAttribute()
    {
        if (!SpecialFiles.HasFifos)
        {
            Skip = "Named pipes made with mkfifo need a Unix.";
        }
    }
}
