using System;
using System.Buffers.Binary;
using System.IO;
using System.Numerics;
using System.Text;

namespace NetGen;

/// <summary>
/// Saves and loads a network's parameters, and optionally its <see cref="ModelMetadata{T}"/> (input standardiser,
/// class names, properties), in NetGen's small binary format (docs/format.md): magic bytes, format version, element
/// type, a fingerprint of the topology, the parameter count, a header checksum, the parameters in little-endian order,
/// in version 2 the metadata section, and a CRC-32 over everything before it.
/// </summary>
/// <remarks>
/// <para>
/// Saving without metadata writes format version 1, byte for byte what earlier versions of NetGen wrote and read;
/// saving with metadata (even empty) writes version 2, which versions of NetGen before it refuse as
/// <see cref="ModelFileError.UnsupportedVersion"/>. Loading reads both.
/// </para>
/// <para>
/// Loading reads and verifies the whole file into a buffer before it writes a single parameter, so a file that is
/// refused (see <see cref="ModelFileError"/>) leaves the network exactly as it was. Saving to a path is atomic: the
/// file is written beside the target under a temporary name, flushed to disk, then renamed over the target.
/// </para>
/// </remarks>
public static class ModelFile
{
    /// <summary>
    /// The newest format version this library writes and reads: 2, parameters and metadata. It reads version 1 too,
    /// and writes it when there is no metadata to save.
    /// </summary>
    public const int FormatVersion = 2;

    /// <summary>
    /// The longest metadata section a version 2 file may hold, in bytes (16 MiB): saving more throws
    /// <see cref="ArgumentException"/>, and a file declaring more is refused before anything is allocated for it.
    /// </summary>
    public const int MaxMetadataLength = 16 * 1024 * 1024;

    /// <summary>The length of the version 1 header, header checksum included: the offset of the first parameter.</summary>
    internal const int HeaderLength = 28;

    /// <summary>The length of the version 2 header: version 1's with the metadata length before the header checksum.</summary>
    internal const int HeaderLength2 = 32;

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

    /// <summary>Writes <paramref name="network"/>'s parameters to <paramref name="stream"/>, from its current position, as a version 1 file. The stream is not closed.</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be written.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither <c>float</c> nor <c>double</c>.</exception>
    public static void Save<T>(INetwork<T> network, Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Save(network, stream, metadata: null);
    }

    /// <summary>
    /// Writes <paramref name="network"/>'s parameters and <paramref name="metadata"/> to <paramref name="stream"/>, from
    /// its current position: a version 2 file, or version 1 if <paramref name="metadata"/> is <see langword="null"/>.
    /// The stream is not closed.
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="stream"/> cannot be written; or the metadata cannot be saved: the standardiser's column count is
    /// not the network's input count, a class name or property value is <see langword="null"/>, a key is empty or over
    /// 256 bytes of UTF-8, a string holds a lone surrogate, or the whole is over <see cref="MaxMetadataLength"/> bytes.
    /// Nothing is written.
    /// </exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither <c>float</c> nor <c>double</c>.</exception>
    public static void Save<T>(INetwork<T> network, Stream stream, ModelMetadata<T>? metadata)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream cannot be written.", nameof(stream));
        }

        stream.Write(Encode(network, metadata));
    }

    /// <summary>
    /// Writes <paramref name="network"/>'s parameters to the file at <paramref name="path"/> as a version 1 file,
    /// atomically: either the file ends up complete, or (after an exception) whatever was there before is left
    /// untouched, with no temporary file behind.
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
        Save(network, path, metadata: null, beforeReplace: null);
    }

    /// <summary>
    /// Writes <paramref name="network"/>'s parameters and <paramref name="metadata"/> to the file at
    /// <paramref name="path"/>, atomically as <see cref="Save{T}(INetwork{T}, string)"/> does: a version 2 file, or
    /// version 1 if <paramref name="metadata"/> is <see langword="null"/>.
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="path"/> is empty or names a directory; or the metadata cannot be saved (see
    /// <see cref="Save{T}(INetwork{T}, Stream, ModelMetadata{T}?)"/>). Nothing is written.
    /// </exception>
    /// <exception cref="IOException">The file cannot be written or replaced.</exception>
    /// <exception cref="UnauthorizedAccessException">Access to the file or directory is denied.</exception>
    public static void Save<T>(INetwork<T> network, string path, ModelMetadata<T>? metadata)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Save(network, path, metadata, beforeReplace: null);
    }

    /// <summary>The atomic save, with a hook that runs after the temporary file is complete and before the rename (for tests).</summary>
    internal static void Save<T>(INetwork<T> network, string path, Action<string>? beforeReplace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Save(network, path, metadata: null, beforeReplace);
    }

    /// <summary>The atomic save with metadata and the test hook.</summary>
    internal static void Save<T>(INetwork<T> network, string path, ModelMetadata<T>? metadata, Action<string>? beforeReplace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, Encode(network, metadata), beforeReplace);
    }

    /// <summary>
    /// Reads parameters from <paramref name="stream"/>, from its current position, into <paramref name="network"/>.
    /// A version 2 file's metadata is checked and discarded. The stream is left just after the file's checksum and is
    /// not closed.
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read.</exception>
    /// <exception cref="ModelFileException">
    /// The data is not a parameter file, is of an unsupported version, truncated, corrupted, of another element type
    /// or of another topology, or its metadata is malformed (see <see cref="ModelFileException.Reason"/>); the
    /// network's parameters are unchanged.
    /// </exception>
    public static void Load<T>(INetwork<T> network, Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LoadWithMetadata(network, stream);
    }

    /// <summary>
    /// Reads the parameter file at <paramref name="path"/> into <paramref name="network"/>. A version 2 file's
    /// metadata is checked and discarded.
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ModelFileException">
    /// The file is not a parameter file, is of an unsupported version, truncated, corrupted (including bytes after its
    /// checksum), of another element type or of another topology, or its metadata is malformed (see
    /// <see cref="ModelFileException.Reason"/>); the network's parameters are unchanged.
    /// </exception>
    /// <exception cref="IOException">
    /// The file does not exist (<see cref="FileNotFoundException"/>), is a directory, or cannot be read (access denied
    /// included: the <see cref="UnauthorizedAccessException"/> is the inner exception).
    /// </exception>
    public static void Load<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LoadWithMetadata(network, path);
    }

    /// <summary>
    /// Reads parameters and metadata from <paramref name="stream"/>, from its current position: the parameters into
    /// <paramref name="network"/>, the metadata into the result (empty for a version 1 file). The stream is left just
    /// after the file's checksum and is not closed.
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <returns>The file's metadata: its parts <see langword="null"/> or empty where the file has none.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read.</exception>
    /// <exception cref="ModelFileException">
    /// As <see cref="Load{T}(INetwork{T}, Stream)"/>; the network's parameters are unchanged.
    /// </exception>
    public static ModelMetadata<T> LoadWithMetadata<T>(INetwork<T> network, Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(stream));
        }

        (T[] parameters, ModelMetadata<T> metadata) = Decode(network, stream);
        parameters.CopyTo(network.Parameters);
        return metadata;
    }

    /// <summary>
    /// Reads the parameter file at <paramref name="path"/>: the parameters into <paramref name="network"/>, the
    /// metadata into the result (empty for a version 1 file).
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <returns>The file's metadata: its parts <see langword="null"/> or empty where the file has none.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ModelFileException">
    /// As <see cref="Load{T}(INetwork{T}, string)"/>; the network's parameters are unchanged.
    /// </exception>
    /// <exception cref="IOException">
    /// The file does not exist (<see cref="FileNotFoundException"/>), is a directory, or cannot be read.
    /// </exception>
    public static ModelMetadata<T> LoadWithMetadata<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        T[] parameters;
        ModelMetadata<T> metadata;
        using (FileStream file = ReadableFile.Open(path))
        {
            (parameters, metadata) = Decode(network, file);
            if (file.ReadByte() >= 0)
            {
                throw new ModelFileException(ModelFileError.Corrupted, $"'{path}' continues after the checksum that should end it.");
            }
        }

        parameters.CopyTo(network.Parameters);
        return metadata;
    }

    private static byte[] Encode<T>(INetwork<T> network, ModelMetadata<T>? metadata)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ushort elementType = FileCodec.ElementTypeCode<T>();
        byte[] section = metadata is null ? [] : MetadataSection.Encode(network, metadata);
        int headerLength = metadata is null ? HeaderLength : HeaderLength2;
        ReadOnlySpan<T> parameters = network.Parameters;
        int size = FileCodec.SizeOf<T>();
        var bytes = new byte[checked(headerLength + (parameters.Length * size) + section.Length + 4)];
        Span<byte> span = bytes;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], metadata is null ? (ushort)1 : (ushort)2);
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], elementType);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)parameters.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(span[16..], TopologyFingerprint(network.Topology));
        if (metadata is not null)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)section.Length);
        }

        int headerChecksum = headerLength - 4;
        BinaryPrimitives.WriteUInt32LittleEndian(span[headerChecksum..], Crc32.Compute(span[..headerChecksum]));
        FileCodec.WriteValues(span[headerLength..], parameters);
        section.CopyTo(span[(headerLength + (parameters.Length * size))..]);

        int end = bytes.Length - 4;
        BinaryPrimitives.WriteUInt32LittleEndian(span[end..], Crc32.Compute(span[..end]));
        return bytes;
    }

    private static (T[] Parameters, ModelMetadata<T> Metadata) Decode<T>(INetwork<T> network, Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ushort expectedType = FileCodec.ElementTypeCode<T>();
        Span<byte> header = stackalloc byte[HeaderLength2];
        int read = stream.ReadAtLeast(header[..HeaderLength], HeaderLength, throwOnEndOfStream: false);
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
        if (version is not (1 or 2))
        {
            throw new ModelFileException(ModelFileError.UnsupportedVersion, $"The parameter file has format version {version}; this library reads versions 1 and 2.");
        }

        int headerLength = version == 1 ? HeaderLength : HeaderLength2;
        if (version == 2)
        {
            read += stream.ReadAtLeast(header[HeaderLength..], HeaderLength2 - HeaderLength, throwOnEndOfStream: false);
            if (read < HeaderLength2)
            {
                throw new ModelFileException(ModelFileError.Truncated, $"The parameter file is truncated: it ends after {read} of the {HeaderLength2} bytes of a version 2 header.");
            }
        }

        header = header[..headerLength];
        int checksumAt = headerLength - 4;
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[checksumAt..]) != Crc32.Compute(header[..checksumAt]))
        {
            throw new ModelFileException(ModelFileError.Corrupted, "The parameter file is corrupted: its header checksum does not match.");
        }

        ushort elementType = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        if (elementType != expectedType)
        {
            throw new ModelFileException(
                ModelFileError.WrongElementType,
                $"The parameter file holds {FileCodec.ElementTypeName(elementType)} parameters, but the network's are {FileCodec.ElementTypeName(expectedType)}.");
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

        uint metadataLength = version == 1 ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
        if (metadataLength > MaxMetadataLength)
        {
            throw MetadataSection.Invalid($"its header declares a metadata section of {metadataLength} bytes, over the limit of {MaxMetadataLength} (ModelFile.MaxMetadataLength)");
        }

        int size = FileCodec.SizeOf<T>();
        int parameterBytes = checked(expectedCount * size);
        int restLength = checked(parameterBytes + (int)metadataLength + 4);
        (byte[] rest, read) = FileCodec.ReadUpTo(stream, restLength);
        if (read < restLength)
        {
            string contents = version == 1 ? $"its {expectedCount} parameters and checksum" : $"its {expectedCount} parameters, {metadataLength} bytes of metadata and checksum";
            throw new ModelFileException(
                ModelFileError.Truncated,
                $"The parameter file is truncated: it ends {read} bytes after the header, but {contents} need {restLength}.");
        }

        uint crc = Crc32.Compute(header, rest.AsSpan(0, restLength - 4));
        if (BinaryPrimitives.ReadUInt32LittleEndian(rest.AsSpan(restLength - 4)) != crc)
        {
            throw new ModelFileException(ModelFileError.Corrupted, "The parameter file is corrupted: its checksum does not match its contents.");
        }

        ModelMetadata<T> metadata = version == 1
            ? ModelMetadata<T>.None
            : MetadataSection.Decode(network, rest.AsSpan(parameterBytes, (int)metadataLength));
        var parameters = new T[expectedCount];
        FileCodec.ReadValues(rest, parameters.AsSpan());
        return (parameters, metadata);
    }
}
