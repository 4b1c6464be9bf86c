using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using NetGen;

namespace NetGen.Tests.Persistence;

/// <summary>
/// Version 2 parameter files and standardiser files built byte by byte from docs/format.md, never through the writer,
/// so that the tests compare the writer and the reader with the documented layout.
/// </summary>
internal static class V2Files
{
    public static readonly byte[] ModelMagic = [0x89, 0x4E, 0x47, 0x50, 0x0D, 0x0A, 0x1A, 0x0A];
    public static readonly byte[] StandardizerMagic = [0x89, 0x4E, 0x47, 0x53, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// A version 2 file: header (32 bytes, header checksum over 0-27), parameters, metadata section, checksum over all
    /// before it. <paramref name="declaredMetadataLength"/> overrides the metadata length field (a hostile header) and
    /// the checksums are still made valid, so only the size checks can refuse it.
    /// </summary>
    public static byte[] Model(ushort elementType, uint count, ulong fingerprint, byte[] parameters, byte[] section, uint? declaredMetadataLength = null)
    {
        var file = new byte[32 + parameters.Length + section.Length + 4];
        ModelMagic.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(10), elementType);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), count);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(16), fingerprint);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(24), declaredMetadataLength ?? (uint)section.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(28), Crc32.Compute(file.AsSpan(0, 28)));
        parameters.CopyTo(file, 32);
        section.CopyTo(file, 32 + parameters.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32.Compute(file.AsSpan(0, file.Length - 4)));
        return file;
    }

    /// <summary>A version 2 file for <paramref name="network"/>'s element type, fingerprint and parameters, with <paramref name="section"/>.</summary>
    public static byte[] Model<T>(INetwork<T> network, byte[] section, uint? declaredMetadataLength = null)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        ushort type = typeof(T) == typeof(float) ? (ushort)1 : (ushort)2;
        byte[] parameters = MemoryMarshal.AsBytes(network.Parameters).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("These tests build little-endian files from the machine's own bytes.");
        }

        return Model(type, (uint)network.Parameters.Length, Fnv1a64(network.Topology), parameters, section, declaredMetadataLength);
    }

    /// <summary>A metadata section: the entry count, then the entries as given.</summary>
    public static byte[] Section(params byte[][] entries) => Section((uint)entries.Length, entries);

    /// <summary>A metadata section declaring <paramref name="count"/> entries, whatever follows.</summary>
    public static byte[] Section(uint count, params byte[][] entries)
    {
        var section = new byte[4 + entries.Sum(e => e.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(section, count);
        int at = 4;
        foreach (byte[] entry in entries)
        {
            entry.CopyTo(section, at);
            at += entry.Length;
        }

        return section;
    }

    /// <summary>One entry: kind (u16), name length (u16), name, payload length (u32), payload.</summary>
    public static byte[] Entry(ushort kind, byte[] name, byte[] payload, uint? declaredPayloadLength = null, ushort? declaredNameLength = null)
    {
        var entry = new byte[8 + name.Length + payload.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(entry, kind);
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(2), declaredNameLength ?? (ushort)name.Length);
        name.CopyTo(entry, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(4 + name.Length), declaredPayloadLength ?? (uint)payload.Length);
        payload.CopyTo(entry, 8 + name.Length);
        return entry;
    }

    /// <summary>A standardiser payload of float32 values: column count, means, deviations.</summary>
    public static byte[] FloatStandardizer(float[] means, float[] deviations, uint? declaredColumns = null)
    {
        var payload = new byte[4 + (4 * (means.Length + deviations.Length))];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, declaredColumns ?? (uint)means.Length);
        for (int i = 0; i < means.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(4 + (4 * i)), means[i]);
        }

        for (int i = 0; i < deviations.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(payload.AsSpan(4 + (4 * (means.Length + i))), deviations[i]);
        }

        return payload;
    }

    /// <summary>A class-names payload: the count, then each name as a u32 length and its bytes.</summary>
    public static byte[] ClassNames(uint? declaredCount, params byte[][] names)
    {
        var payload = new byte[4 + names.Sum(n => 4 + n.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, declaredCount ?? (uint)names.Length);
        int at = 4;
        foreach (byte[] name in names)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(at), (uint)name.Length);
            name.CopyTo(payload, at + 4);
            at += 4 + name.Length;
        }

        return payload;
    }

    /// <summary>A standardiser file: 20-byte header (checksum over 0-15), means, deviations, checksum over all before it.</summary>
    public static byte[] Standardizer(ushort elementType, uint columns, byte[] values, ushort version = 1)
    {
        var file = new byte[20 + values.Length + 4];
        StandardizerMagic.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), version);
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(10), elementType);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), columns);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(16), Crc32.Compute(file.AsSpan(0, 16)));
        values.CopyTo(file, 20);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32.Compute(file.AsSpan(0, file.Length - 4)));
        return file;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Bytes<T>(Span<T> values)
        where T : unmanaged => MemoryMarshal.AsBytes(values).ToArray();

    public static byte[] Bytes<T>(ReadOnlySpan<T> values)
        where T : unmanaged => MemoryMarshal.AsBytes(values).ToArray();

    /// <summary>FNV-1a 64 written again from its definition.</summary>
    public static ulong Fnv1a64(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>The bytes <paramref name="action"/> allocates on this thread, after one run to warm it up.</summary>
    public static long Allocated(Action action)
    {
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}

/// <summary>A stream that can only be read forward, as a pipe is: no length, no seeking.</summary>
internal sealed class ForwardOnlyStream(byte[] bytes) : Stream
{
    private readonly MemoryStream _inner = new(bytes, writable: false);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7));

    public override int Read(Span<byte> buffer) => _inner.Read(buffer[..Math.Min(buffer.Length, 7)]);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
