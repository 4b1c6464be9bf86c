using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Numerics;

namespace NetGen;

/// <summary>
/// The metadata section of a version 2 parameter file (docs/format.md): an entry count, then entries of a kind, a name
/// and a payload. Decoding checks every length against the bytes left before it reads, so nothing is allocated from a
/// declared length, and refuses anything the format does not allow with <see cref="ModelFileException"/>.
/// </summary>
internal static class MetadataSection
{
    /// <summary>The input standardiser: no name; a column count, the means, the deviations.</summary>
    public const ushort StandardizerKind = 1;

    /// <summary>The class names: no name; a count, then each name as a length and UTF-8 bytes.</summary>
    public const ushort ClassNamesKind = 2;

    /// <summary>A user property: the key as the name, the value's UTF-8 bytes as the payload.</summary>
    public const ushort PropertyKind = 3;

    /// <summary>Kinds with this bit set may be skipped by a reader that does not know them; others may not.</summary>
    public const ushort SkippableBit = 0x8000;

    /// <summary>The longest entry name (a property's key), in UTF-8 bytes.</summary>
    public const int MaxNameLength = 256;

    private const int EntryHeader = 8; // kind 2, name length 2, payload length 4

    public static byte[] Encode<T>(INetwork<T> network, ModelMetadata<T> metadata)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var entries = new List<(ushort Kind, byte[] Name, byte[] Payload)>();

        if (metadata.InputStandardizer is { } standardizer)
        {
            if (standardizer.ColumnCount != network.InputCount)
            {
                throw new ArgumentException(
                    $"The input standardiser has {standardizer.ColumnCount} columns, but the network has {network.InputCount} inputs.", nameof(metadata));
            }

            int size = FileCodec.SizeOf<T>();
            long length = 4 + (2L * standardizer.ColumnCount * size);
            CheckLength(length);
            var payload = new byte[length];
            BinaryPrimitives.WriteUInt32LittleEndian(payload, (uint)standardizer.ColumnCount);
            FileCodec.WriteValues(payload.AsSpan(4), standardizer.Means);
            FileCodec.WriteValues(payload.AsSpan(4 + (standardizer.ColumnCount * size)), standardizer.StandardDeviations);
            entries.Add((StandardizerKind, [], payload));
        }

        if (metadata.ClassNames is { } classNames)
        {
            var names = new byte[classNames.Count][];
            long length = 4;
            for (int i = 0; i < names.Length; i++)
            {
                string name = classNames[i] ?? throw new ArgumentException($"Class name {i} is null.", nameof(metadata));
                names[i] = FileCodec.EncodeUtf8(name, $"Class name {i}", nameof(metadata));
                length += 4 + names[i].Length;
                CheckLength(length);
            }

            var payload = new byte[length];
            BinaryPrimitives.WriteUInt32LittleEndian(payload, (uint)names.Length);
            int at = 4;
            foreach (byte[] name in names)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(at), (uint)name.Length);
                name.CopyTo(payload, at + 4);
                at += 4 + name.Length;
            }

            entries.Add((ClassNamesKind, [], payload));
        }

        if (metadata.Properties is { Count: > 0 } properties)
        {
            var keys = new List<string>(properties.Count);
            foreach (KeyValuePair<string, string> pair in properties)
            {
                keys.Add(pair.Key);
            }

            keys.Sort(StringComparer.Ordinal);
            foreach (string key in keys)
            {
                if (key is null || key.Length == 0)
                {
                    throw new ArgumentException("A property key is empty.", nameof(metadata));
                }

                byte[] name = FileCodec.EncodeUtf8(key, $"The property key \"{Quote(key)}\"", nameof(metadata));
                if (name.Length > MaxNameLength)
                {
                    throw new ArgumentException(
                        $"The property key \"{Quote(key)}\" is {name.Length} bytes of UTF-8; a key may have at most {MaxNameLength}.", nameof(metadata));
                }

                string value = properties[key] ?? throw new ArgumentException($"The value of property \"{Quote(key)}\" is null.", nameof(metadata));
                entries.Add((PropertyKind, name, FileCodec.EncodeUtf8(value, $"The value of property \"{Quote(key)}\"", nameof(metadata))));
            }
        }

        long total = 4;
        foreach ((_, byte[] entryName, byte[] entryPayload) in entries)
        {
            total += EntryHeader + entryName.Length + entryPayload.Length;
            CheckLength(total);
        }

        var section = new byte[total];
        BinaryPrimitives.WriteUInt32LittleEndian(section, (uint)entries.Count);
        int offset = 4;
        foreach ((ushort kind, byte[] name, byte[] payload) in entries)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(section.AsSpan(offset), kind);
            BinaryPrimitives.WriteUInt16LittleEndian(section.AsSpan(offset + 2), (ushort)name.Length);
            name.CopyTo(section, offset + 4);
            BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(offset + 4 + name.Length), (uint)payload.Length);
            payload.CopyTo(section, offset + EntryHeader + name.Length);
            offset += EntryHeader + name.Length + payload.Length;
        }

        return section;
    }

    public static ModelMetadata<T> Decode<T>(INetwork<T> network, ReadOnlySpan<byte> section)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (section.Length < 4)
        {
            throw Invalid($"its metadata section is {section.Length} bytes long, too short for the 4-byte entry count");
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(section);
        if (count > (uint)((section.Length - 4) / EntryHeader))
        {
            throw Invalid($"its metadata section declares {count} entries, but its {section.Length} bytes hold at most {(section.Length - 4) / EntryHeader}");
        }

        Standardizer<T>? standardizer = null;
        List<string>? classNames = null;
        Dictionary<string, string>? properties = null;
        int at = 4;
        for (uint entry = 0; entry < count; entry++)
        {
            ReadOnlySpan<byte> rest = section[at..];
            if (rest.Length < EntryHeader)
            {
                throw Invalid($"metadata entry {entry} starts {rest.Length} bytes before the end of the section, too few for its 8-byte header");
            }

            ushort kind = BinaryPrimitives.ReadUInt16LittleEndian(rest);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(rest[2..]);
            if (nameLength > MaxNameLength)
            {
                throw Invalid($"metadata entry {entry} has a name of {nameLength} bytes; the limit is {MaxNameLength}");
            }

            if (rest.Length - 4 < nameLength + 4)
            {
                throw Invalid($"metadata entry {entry} declares a name of {nameLength} bytes, past the end of the section");
            }

            ReadOnlySpan<byte> name = rest.Slice(4, nameLength);
            uint payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(rest[(4 + nameLength)..]);
            int left = rest.Length - EntryHeader - nameLength;
            if (payloadLength > (uint)left)
            {
                throw Invalid($"metadata entry {entry} declares a payload of {payloadLength} bytes, but only {left} are left in the section");
            }

            ReadOnlySpan<byte> payload = rest.Slice(EntryHeader + nameLength, (int)payloadLength);
            at += EntryHeader + nameLength + (int)payloadLength;
            switch (kind)
            {
                case StandardizerKind:
                    RequireNoName(entry, kind, name);
                    if (standardizer is not null)
                    {
                        throw Invalid("its metadata holds two input standardisers");
                    }

                    standardizer = DecodeStandardizer(network, entry, payload);
                    break;
                case ClassNamesKind:
                    RequireNoName(entry, kind, name);
                    if (classNames is not null)
                    {
                        throw Invalid("its metadata holds two lists of class names");
                    }

                    classNames = DecodeClassNames(entry, payload);
                    break;
                case PropertyKind:
                    string key = FileCodec.DecodeUtf8(name) ?? throw Invalid($"the key of metadata entry {entry} is not valid UTF-8");
                    if (key.Length == 0)
                    {
                        throw Invalid($"metadata entry {entry} is a property with an empty key");
                    }

                    string value = FileCodec.DecodeUtf8(payload) ?? throw Invalid($"the value of property \"{Quote(key)}\" is not valid UTF-8");
                    properties ??= new Dictionary<string, string>(StringComparer.Ordinal);
                    if (!properties.TryAdd(key, value))
                    {
                        throw Invalid($"its metadata holds the property \"{Quote(key)}\" twice");
                    }

                    break;
                default:
                    if ((kind & SkippableBit) == 0)
                    {
                        throw new ModelFileException(
                            ModelFileError.UnsupportedVersion,
                            $"The parameter file holds a metadata entry of kind 0x{kind:X4}, which this library does not know and may not skip (a kind below 0x8000 must be understood).");
                    }

                    break;
            }
        }

        if (at != section.Length)
        {
            throw Invalid($"its metadata section has {section.Length - at} bytes after its last entry");
        }

        return ModelMetadata<T>.Loaded(standardizer, classNames, properties);
    }

    /// <summary>A standardiser's statistics as the standardiser file and the metadata entry both hold them, checked.</summary>
    public static Standardizer<T> Statistics<T>(ReadOnlySpan<byte> values, int columns, string where)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int size = FileCodec.SizeOf<T>();
        var means = new T[columns];
        var deviations = new T[columns];
        FileCodec.ReadValues(values, means.AsSpan());
        FileCodec.ReadValues(values[(columns * size)..], deviations.AsSpan());
        for (int c = 0; c < columns; c++)
        {
            if (!T.IsFinite(means[c]))
            {
                throw Invalid($"{where}: the mean of column {c} is {means[c]}, not a finite number");
            }

            if (!T.IsFinite(deviations[c]) || deviations[c] < T.Zero)
            {
                throw Invalid($"{where}: the standard deviation of column {c} is {deviations[c]}; it must be finite and not negative");
            }
        }

        return Standardizer<T>.FromStatistics(means, deviations);
    }

    /// <summary>A <see cref="ModelFileError.InvalidMetadata"/> refusal: "The file's checksums match, but " + <paramref name="what"/>.</summary>
    public static ModelFileException Invalid(string what) =>
        new(ModelFileError.InvalidMetadata, $"The file's checksums match, but {what}.");

    /// <summary>At most 100 characters of <paramref name="text"/>, for a message.</summary>
    public static string Quote(string text) => text.Length <= 100 ? text : string.Concat(text.AsSpan(0, 100), "…");

    private static Standardizer<T> DecodeStandardizer<T>(INetwork<T> network, uint entry, ReadOnlySpan<byte> payload)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (payload.Length < 4)
        {
            throw Invalid($"the input standardiser (entry {entry}) is {payload.Length} bytes, too short for its column count");
        }

        uint columns = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        long expected = 4 + (2L * columns * FileCodec.SizeOf<T>());
        if (payload.Length != expected)
        {
            throw Invalid($"the input standardiser (entry {entry}) declares {columns} columns, which take {expected} bytes, but its payload is {payload.Length}");
        }

        if (columns != (uint)network.InputCount)
        {
            throw Invalid($"the input standardiser has {columns} columns, but the network has {network.InputCount} inputs");
        }

        return Statistics<T>(payload[4..], (int)columns, "the input standardiser");
    }

    private static List<string> DecodeClassNames(uint entry, ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 4)
        {
            throw Invalid($"the class names (entry {entry}) are {payload.Length} bytes, too short for their count");
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        if (count > (uint)((payload.Length - 4) / 4))
        {
            throw Invalid($"the class names declare {count} names, but their {payload.Length} bytes hold at most {(payload.Length - 4) / 4}");
        }

        var names = new List<string>((int)count);
        int at = 4;
        for (uint i = 0; i < count; i++)
        {
            if (payload.Length - at < 4)
            {
                throw Invalid($"class name {i} starts past the end of the class names");
            }

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(payload[at..]);
            int left = payload.Length - at - 4;
            if (length > (uint)left)
            {
                throw Invalid($"class name {i} declares {length} bytes, but only {left} are left in the class names");
            }

            names.Add(FileCodec.DecodeUtf8(payload.Slice(at + 4, (int)length)) ?? throw Invalid($"class name {i} is not valid UTF-8"));
            at += 4 + (int)length;
        }

        if (at != payload.Length)
        {
            throw Invalid($"the class names have {payload.Length - at} bytes after the last name");
        }

        return names;
    }

    private static void RequireNoName(uint entry, ushort kind, ReadOnlySpan<byte> name)
    {
        if (name.Length != 0)
        {
            throw Invalid($"metadata entry {entry} (kind {kind}) has a name of {name.Length} bytes; entries of this kind have none");
        }
    }

    private static void CheckLength(long length)
    {
        if (length > ModelFile.MaxMetadataLength)
        {
            throw new ArgumentException(
                $"The metadata takes more than {ModelFile.MaxMetadataLength} bytes (ModelFile.MaxMetadataLength), the limit of the format.", "metadata");
        }
    }
}
