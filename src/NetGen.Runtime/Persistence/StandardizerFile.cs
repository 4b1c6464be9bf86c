using System;
using System.Buffers.Binary;
using System.IO;
using System.Numerics;

namespace NetGen;

/// <summary>
/// The standardiser file (docs/format.md): magic, version, element type, column count, header checksum, the means,
/// the deviations, and a CRC-32 over everything before it. Built as the parameter file is, with the same checks.
/// </summary>
internal static class StandardizerFile
{
    /// <summary>The format version written and read.</summary>
    public const int FormatVersion = 1;

    /// <summary>The most columns a standardiser file may hold (2^20); a file declaring more is refused before allocating.</summary>
    public const int MaxColumnCount = 1 << 20;

    /// <summary>The length of the header, header checksum included.</summary>
    public const int HeaderLength = 20;

    /// <summary>0x89 'N' 'G' 'S' CR LF 0x1A LF: the parameter file's magic with S (standardiser) for P.</summary>
    public static ReadOnlySpan<byte> Magic => [0x89, (byte)'N', (byte)'G', (byte)'S', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Encode<T>(Standardizer<T> standardizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ushort elementType = FileCodec.ElementTypeCode<T>();
        int columns = standardizer.ColumnCount;
        if (columns > MaxColumnCount)
        {
            throw new InvalidOperationException($"The standardiser has {columns} columns; a standardiser file holds at most {MaxColumnCount}.");
        }

        int size = FileCodec.SizeOf<T>();
        var bytes = new byte[HeaderLength + (2 * columns * size) + 4];
        Span<byte> span = bytes;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], elementType);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)columns);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], Crc32.Compute(span[..16]));
        FileCodec.WriteValues(span[HeaderLength..], standardizer.Means);
        FileCodec.WriteValues(span[(HeaderLength + (columns * size))..], standardizer.StandardDeviations);
        int end = bytes.Length - 4;
        BinaryPrimitives.WriteUInt32LittleEndian(span[end..], Crc32.Compute(span[..end]));
        return bytes;
    }

    public static Standardizer<T> Decode<T>(Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ushort expectedType = FileCodec.ElementTypeCode<T>();
        Span<byte> header = stackalloc byte[HeaderLength];
        int read = stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false);
        int magicRead = Math.Min(read, Magic.Length);
        if (!header[..magicRead].SequenceEqual(Magic[..magicRead]))
        {
            throw new ModelFileException(ModelFileError.NotAModelFile, "This is not a NetGen standardiser file: it does not start with the standardiser file's magic bytes.");
        }

        if (read < HeaderLength)
        {
            throw new ModelFileException(ModelFileError.Truncated, $"The standardiser file is truncated: it ends after {read} of the {HeaderLength} header bytes.");
        }

        int version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (version != FormatVersion)
        {
            throw new ModelFileException(ModelFileError.UnsupportedVersion, $"The standardiser file has format version {version}; this library reads version {FormatVersion}.");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(header[16..]) != Crc32.Compute(header[..16]))
        {
            throw new ModelFileException(ModelFileError.Corrupted, "The standardiser file is corrupted: its header checksum does not match.");
        }

        ushort elementType = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        if (elementType != expectedType)
        {
            throw new ModelFileException(
                ModelFileError.WrongElementType,
                $"The standardiser file holds {FileCodec.ElementTypeName(elementType)} statistics, but the standardiser's are {FileCodec.ElementTypeName(expectedType)}.");
        }

        uint columns = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (columns == 0 || columns > MaxColumnCount)
        {
            throw MetadataSection.Invalid($"the standardiser file declares {columns} columns; it must hold 1 to {MaxColumnCount}");
        }

        int size = FileCodec.SizeOf<T>();
        int restLength = (2 * (int)columns * size) + 4;
        (byte[] rest, read) = FileCodec.ReadUpTo(stream, restLength);
        if (read < restLength)
        {
            throw new ModelFileException(
                ModelFileError.Truncated,
                $"The standardiser file is truncated: it ends {read} bytes after the header, but its {columns} means, {columns} deviations and checksum need {restLength}.");
        }

        uint crc = Crc32.Compute(header, rest.AsSpan(0, restLength - 4));
        if (BinaryPrimitives.ReadUInt32LittleEndian(rest.AsSpan(restLength - 4)) != crc)
        {
            throw new ModelFileException(ModelFileError.Corrupted, "The standardiser file is corrupted: its checksum does not match its contents.");
        }

        return MetadataSection.Statistics<T>(rest, (int)columns, "the standardiser file");
    }
}
