using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;

namespace NetGen.Interop.Tests;

/// <summary>
/// Builds safetensors files byte by byte from the published format, independently of NetGen's writer:
/// 8 bytes little-endian unsigned header length N, N bytes of JSON header, then the byte buffer.
/// </summary>
internal static class SafeTensorsBytes
{
    /// <summary>A file whose header is <paramref name="json"/> in UTF-8 (no padding added) and whose buffer is the tensors' bytes, concatenated.</summary>
    public static byte[] File(string json, params byte[][] buffer) => File(Encoding.UTF8.GetBytes(json), buffer.SelectMany(b => b).ToArray());

    /// <summary>A file from raw header bytes and a raw buffer.</summary>
    public static byte[] File(byte[] header, byte[] buffer) => WithLength((ulong)header.Length, header, buffer);

    /// <summary>A file whose length field says <paramref name="length"/>, whatever follows.</summary>
    public static byte[] WithLength(ulong length, byte[] header, byte[] buffer)
    {
        var file = new byte[8 + header.Length + buffer.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, length);
        header.CopyTo(file, 8);
        buffer.CopyTo(file, 8 + header.Length);
        return file;
    }

    /// <summary>Little-endian IEEE 754 binary32 values.</summary>
    public static byte[] F32(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    /// <summary>Little-endian IEEE 754 binary64 values.</summary>
    public static byte[] F64(params double[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return bytes;
    }

    /// <summary>Little-endian 16-bit patterns, for F16 and BF16 values given as bits.</summary>
    public static byte[] Bits16(params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        }

        return bytes;
    }

    /// <summary>The values 1, 2, 3, ... as floats: easy to trace to the position they came from.</summary>
    public static float[] Counting(int start, int count) => Enumerable.Range(start, count).Select(i => (float)i).ToArray();

    /// <summary>The header entry of one tensor, as JSON text.</summary>
    public static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";
}

/// <summary>A read-only stream that cannot seek and hands out at most a few bytes per read, like a network stream.</summary>
internal sealed class TrickleStream(byte[] data, int chunk = 7) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = Math.Min(Math.Min(buffer.Length, chunk), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
