using System;
using System.Buffers.Binary;
using System.IO;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace NetGen;

/// <summary>
/// Saves and loads a network's parameters in NetGen's small binary format (docs/format.md): magic bytes, format
/// version, element type, a fingerprint of the topology, the parameter count, a header checksum, the parameters in
/// little-endian order, and a CRC-32 over everything before it.
/// </summary>
/// <remarks>
/// Loading reads and verifies the whole file into a buffer before it writes a single parameter, so a file that is
/// refused (see <see cref="ModelFileError"/>) leaves the network exactly as it was. Saving to a path is atomic: the
/// file is written beside the target under a temporary name, flushed to disk, then renamed over the target.
/// </remarks>
public static class ModelFile
{
    /// <summary>The format version this library writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The length of the header, header checksum included: the offset of the first parameter.</summary>
    internal const int HeaderLength = 28;

    private const int HeaderChecksumOffset = 24;
    private const ushort Float32Code = 1;
    private const ushort Float64Code = 2;

    /// <summary>The first eight bytes of every parameter file: 0x89 'N' 'G' 'P' CR LF 0x1A LF, as PNG does.</summary>
    internal static ReadOnlySpan<byte> Magic => [0x89, (byte)'N', (byte)'G', (byte)'P', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// The topology fingerprint stored in a file: FNV-1a 64 of the UTF-8 bytes of <paramref name="topology"/>
    /// (offset basis 0xCBF29CE484222325, prime 0x100000001B3).
    /// </summary>
    /// <param name="topology">A network's <see cref="INetwork{T}.Topology"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="topology"/> is <see langword="null"/>.</exception>
    public static ulong TopologyFingerprint(string topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(topology))
        {
            hash ^= b;
            hash *= 0x100000001B3UL;
        }

        return hash;
    }

    /// <summary>Writes <paramref name="network"/>'s parameters to <paramref name="stream"/>, from its current position. The stream is not closed.</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be written.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither <c>float</c> nor <c>double</c>.</exception>
    public static void Save<T>(INetwork<T> network, Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream cannot be written.", nameof(stream));
        }

        stream.Write(Encode(network));
    }

    /// <summary>
    /// Writes <paramref name="network"/>'s parameters to the file at <paramref name="path"/>, atomically: either the
    /// file ends up complete, or (after an exception) whatever was there before is left untouched, with no temporary
    /// file behind.
    /// </summary>
    /// <remarks>
    /// The data goes to a new temporary file in the same directory, is flushed to disk, and the temporary file is then
    /// moved over <paramref name="path"/> in one rename. Only if the process dies between the two can a temporary file
    /// (named <c>.netgen-&lt;random&gt;.tmp</c>, short whatever the target's name) be left behind; the target is never
    /// half written.
    /// </remarks>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory (an existing one included).</exception>
    /// <exception cref="IOException">The file cannot be written or replaced.</exception>
    /// <exception cref="UnauthorizedAccessException">Access to the file or directory is denied.</exception>
    public static void Save<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Save(network, path, beforeReplace: null);
    }

    /// <summary>The atomic save, with a hook that runs after the temporary file is complete and before the rename (for tests).</summary>
    internal static void Save<T>(INetwork<T> network, string path, Action<string>? beforeReplace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, Encode(network), beforeReplace);
    }

    /// <summary>
    /// Reads parameters from <paramref name="stream"/>, from its current position, into <paramref name="network"/>.
    /// The stream is left just after the file's checksum and is not closed.
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read.</exception>
    /// <exception cref="ModelFileException">
    /// The data is not a parameter file, is of an unsupported version, truncated, corrupted, of another element type
    /// or of another topology (see <see cref="ModelFileException.Reason"/>); the network's parameters are unchanged.
    /// </exception>
    public static void Load<T>(INetwork<T> network, Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(stream));
        }

        T[] parameters = Decode(network, stream);
        parameters.CopyTo(network.Parameters);
    }

    /// <summary>Reads the parameter file at <paramref name="path"/> into <paramref name="network"/>.</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ModelFileException">
    /// The file is not a parameter file, is of an unsupported version, truncated, corrupted (including bytes after its
    /// checksum), of another element type or of another topology (see <see cref="ModelFileException.Reason"/>); the
    /// network's parameters are unchanged.
    /// </exception>
    /// <exception cref="IOException">
    /// The file does not exist (<see cref="FileNotFoundException"/>), is a directory, or cannot be read (access denied
    /// included: the <see cref="UnauthorizedAccessException"/> is the inner exception).
    /// </exception>
    public static void Load<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        T[] parameters;
        using (FileStream file = ReadableFile.Open(path))
        {
            parameters = Decode(network, file);
            if (file.ReadByte() >= 0)
            {
                throw new ModelFileException(ModelFileError.Corrupted, $"'{path}' continues after the checksum that should end it.");
            }
        }

        parameters.CopyTo(network.Parameters);
    }

    private static byte[] Encode<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ushort elementType = ElementTypeCode<T>();
        ReadOnlySpan<T> parameters = network.Parameters;
        int size = Unsafe.SizeOf<T>();
        var bytes = new byte[checked(HeaderLength + (parameters.Length * size) + 4)];
        Span<byte> span = bytes;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], elementType);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)parameters.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(span[16..], TopologyFingerprint(network.Topology));
        BinaryPrimitives.WriteUInt32LittleEndian(span[HeaderChecksumOffset..], Crc32.Compute(span[..HeaderChecksumOffset]));

        Span<byte> data = span.Slice(HeaderLength, parameters.Length * size);
        for (int i = 0; i < parameters.Length; i++)
        {
            if (typeof(T) == typeof(float))
            {
                BinaryPrimitives.WriteSingleLittleEndian(data[(i * 4)..], float.CreateTruncating(parameters[i]));
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(data[(i * 8)..], double.CreateTruncating(parameters[i]));
            }
        }

        int end = bytes.Length - 4;
        BinaryPrimitives.WriteUInt32LittleEndian(span[end..], Crc32.Compute(span[..end]));
        return bytes;
    }

    private static T[] Decode<T>(INetwork<T> network, Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ushort expectedType = ElementTypeCode<T>();
        Span<byte> header = stackalloc byte[HeaderLength];
        int read = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        int magicRead = Math.Min(read, Magic.Length);
        if (!header[..magicRead].SequenceEqual(Magic[..magicRead]))
        {
            throw new ModelFileException(ModelFileError.NotAModelFile, "This is not a NetGen parameter file: it does not start with the NetGen magic bytes.");
        }

        if (read < HeaderLength)
        {
            throw new ModelFileException(ModelFileError.Truncated, $"The parameter file is truncated: it ends after {read} of the {HeaderLength} header bytes.");
        }

        int version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (version != FormatVersion)
        {
            throw new ModelFileException(ModelFileError.UnsupportedVersion, $"The parameter file has format version {version}; this library reads version {FormatVersion}.");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(header[HeaderChecksumOffset..]) != Crc32.Compute(header[..HeaderChecksumOffset]))
        {
            throw new ModelFileException(ModelFileError.Corrupted, "The parameter file is corrupted: its header checksum does not match.");
        }

        ushort elementType = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        if (elementType != expectedType)
        {
            throw new ModelFileException(
                ModelFileError.WrongElementType,
                $"The parameter file holds {ElementTypeName(elementType)} parameters, but the network's are {ElementTypeName(expectedType)}.");
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        ulong fingerprint = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        ulong expectedFingerprint = TopologyFingerprint(network.Topology);
        int expectedCount = network.Parameters.Length;
        if (fingerprint != expectedFingerprint || count != (uint)expectedCount)
        {
            throw new ModelFileException(
                ModelFileError.TopologyMismatch,
                $"The parameter file was saved from another topology (fingerprint {fingerprint:X16}, {count} parameters), not this network's \"{network.Topology}\" (fingerprint {expectedFingerprint:X16}, {expectedCount} parameters).");
        }

        int size = Unsafe.SizeOf<T>();
        var rest = new byte[checked((expectedCount * size) + 4)];
        read = stream.ReadAtLeast(rest, rest.Length, throwOnEndOfStream: false);
        if (read < rest.Length)
        {
            throw new ModelFileException(
                ModelFileError.Truncated,
                $"The parameter file is truncated: it ends {read} bytes after the header, but its {expectedCount} parameters and checksum need {rest.Length}.");
        }

        uint crc = Crc32.Compute(header, rest.AsSpan(0, rest.Length - 4));
        if (BinaryPrimitives.ReadUInt32LittleEndian(rest.AsSpan(rest.Length - 4)) != crc)
        {
            throw new ModelFileException(ModelFileError.Corrupted, "The parameter file is corrupted: its checksum does not match its contents.");
        }

        var parameters = new T[expectedCount];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = typeof(T) == typeof(float)
                ? T.CreateTruncating(BinaryPrimitives.ReadSingleLittleEndian(rest.AsSpan(i * 4)))
                : T.CreateTruncating(BinaryPrimitives.ReadDoubleLittleEndian(rest.AsSpan(i * 8)));
        }

        return parameters;
    }

    private static ushort ElementTypeCode<T>()
    {
        if (typeof(T) == typeof(float))
        {
            return Float32Code;
        }

        if (typeof(T) == typeof(double))
        {
            return Float64Code;
        }

        throw new NotSupportedException($"Parameter files hold float or double parameters, not {typeof(T).Name}.");
    }

    private static string ElementTypeName(ushort code) => code switch
    {
        Float32Code => "float (32-bit)",
        Float64Code => "double (64-bit)",
        _ => $"an unknown element type (code {code})",
    };
}
