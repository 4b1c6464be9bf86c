using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using NetGen;
using NetGen.TestFixtures;

namespace NetGen.Tests.Fuzzing;

/// <summary>
/// The length, count and kind fields of a parameter file or a standardiser file, found by walking docs/format.md's
/// layout (as far as the file's own lengths allow), and the checksums made valid again after a mutation, so that the
/// checks behind them see the mutated contents.
/// </summary>
internal static class ModelFileLayout
{
    /// <summary>One field: where it is, its width in bytes, and what it is.</summary>
    internal readonly record struct Field(int Offset, int Width, string Name);

    private const int HeaderLength1 = 28;
    private const int HeaderLength2 = 32;
    private const int StandardizerHeaderLength = 20;

    /// <summary>The fields of a parameter file: the header's, then each metadata entry's and those inside its payload.</summary>
    public static List<Field> ModelFields(byte[] file)
    {
        var fields = new List<Field>
        {
            new(8, 2, "format version"),
            new(10, 2, "element type"),
            new(12, 4, "parameter count"),
            new(16, 8, "topology fingerprint"),
        };
        if (file.Length < HeaderLength2 || BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8)) != 2)
        {
            return fields;
        }

        fields.Add(new(24, 4, "metadata length"));
        int size = ElementSize(file);
        long section = HeaderLength2 + ((long)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12)) * size);
        long end = file.Length - 4;
        if (section + 4 > end)
        {
            return fields;
        }

        int at = (int)section;
        fields.Add(new(at, 4, "metadata entry count"));
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at));
        at += 4;
        for (uint entry = 0; entry < count && at + 8 <= end; entry++)
        {
            ushort kind = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at));
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(at + 2));
            fields.Add(new(at, 2, $"kind of entry {entry}"));
            fields.Add(new(at + 2, 2, $"name length of entry {entry}"));
            if (at + 4 + nameLength + 4 > end)
            {
                break;
            }

            int payloadAt = at + 8 + nameLength;
            fields.Add(new(payloadAt - 4, 4, $"payload length of entry {entry}"));
            uint payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(payloadAt - 4));
            if (payloadAt + payloadLength > end)
            {
                break;
            }

            if (kind is 1 or 2 && payloadLength >= 4)
            {
                fields.Add(new(payloadAt, 4, kind == 1 ? "standardiser column count" : "class name count"));
            }

            if (kind == 2)
            {
                uint names = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(payloadAt));
                int name = payloadAt + 4;
                for (uint i = 0; i < names && name + 4 <= payloadAt + payloadLength; i++)
                {
                    fields.Add(new(name, 4, $"length of class name {i}"));
                    name += 4 + (int)Math.Min(int.MaxValue / 2, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(name)));
                }
            }

            at = payloadAt + (int)payloadLength;
        }

        return fields;
    }

    /// <summary>The fields of a standardiser file's header.</summary>
    public static List<Field> StandardizerFields() =>
    [
        new(8, 2, "format version"),
        new(10, 2, "element type"),
        new(12, 4, "column count"),
    ];

    /// <summary>
    /// Makes a parameter file's checksums valid: the header's, and the file's where its header says the file ends (or
    /// over all but its last 4 bytes, if that is past the end). A file too short for its header is returned as it is.
    /// </summary>
    public static byte[] FixModelChecksums(byte[] file)
    {
        if (file.Length < HeaderLength1)
        {
            return file;
        }

        byte[] fixedFile = (byte[])file.Clone();
        int version = BinaryPrimitives.ReadUInt16LittleEndian(fixedFile.AsSpan(8));
        int headerLength = version == 2 ? HeaderLength2 : HeaderLength1;
        if (fixedFile.Length < headerLength)
        {
            return fixedFile;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(fixedFile.AsSpan(headerLength - 4), Crc32.Compute(fixedFile.AsSpan(0, headerLength - 4)));
        long metadata = version == 2 ? BinaryPrimitives.ReadUInt32LittleEndian(fixedFile.AsSpan(24)) : 0;
        long declaredEnd = headerLength + ((long)BinaryPrimitives.ReadUInt32LittleEndian(fixedFile.AsSpan(12)) * ElementSize(fixedFile)) + metadata + 4;
        FixTrailingChecksum(fixedFile, headerLength, declaredEnd);
        return fixedFile;
    }

    /// <summary>The same for a standardiser file.</summary>
    public static byte[] FixStandardizerChecksums(byte[] file)
    {
        if (file.Length < StandardizerHeaderLength)
        {
            return file;
        }

        byte[] fixedFile = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(fixedFile.AsSpan(16), Crc32.Compute(fixedFile.AsSpan(0, 16)));
        long declaredEnd = StandardizerHeaderLength + (2L * BinaryPrimitives.ReadUInt32LittleEndian(fixedFile.AsSpan(12)) * ElementSize(fixedFile)) + 4;
        FixTrailingChecksum(fixedFile, StandardizerHeaderLength, declaredEnd);
        return fixedFile;
    }

    /// <summary>Writes <paramref name="value"/>'s low <paramref name="field"/>.Width bytes little-endian at the field.</summary>
    public static byte[] With(byte[] file, Field field, ulong value)
    {
        byte[] copy = (byte[])file.Clone();
        for (int i = 0; i < field.Width; i++)
        {
            copy[field.Offset + i] = (byte)(value >> (8 * i));
        }

        return copy;
    }

    /// <summary>Values on the boundaries of a field of this width: its extremes, its sign bit, and the documented limits that fit.</summary>
    public static IEnumerable<ulong> Interesting(int width)
    {
        ulong max = width == 8 ? ulong.MaxValue : (1UL << (8 * width)) - 1;
        var values = new SortedSet<ulong>();
        foreach (ulong value in ByteMutator.InterestingIntegers)
        {
            if (value <= max)
            {
                values.Add(value);
            }
        }

        // Beside the limits: metadata kinds (skippable bit), name lengths (256), metadata length (16 MiB).
        foreach (ulong value in new ulong[] { 3, 4, 256, 257, 0x8001, (ulong)ModelFile.MaxMetadataLength - 1, max - 1 })
        {
            if (value <= max)
            {
                values.Add(value);
            }
        }

        return values;
    }

    private static int ElementSize(byte[] file) => BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(10)) == 2 ? 8 : 4;

    private static void FixTrailingChecksum(byte[] file, int headerLength, long declaredEnd)
    {
        long end = declaredEnd <= file.Length ? declaredEnd : file.Length;
        if (end - 4 >= headerLength)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan((int)end - 4), Crc32.Compute(file.AsSpan(0, (int)end - 4)));
        }
    }
}
