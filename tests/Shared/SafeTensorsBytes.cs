using System;
using System.Buffers.Binary;
using System.Linq;
using System.Text;

namespace NetGen.TestFixtures;

/// <summary>
/// Builds safetensors files byte by byte from the published format, independently of NetGen's writer:
/// 8 bytes little-endian unsigned header length N, N bytes of JSON header, then the byte buffer. Linked into the
/// runtime's interop tests and the generator's tests (tests/Shared), so that both readers meet the same files.
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

    /// <summary>Little-endian IEEE 754 binary16 values; each must be exact in binary16.</summary>
    public static byte[] F16(params float[] values) => Bits16(values.Select(v =>
    {
        Half half = (Half)v;
        return (float)half == v ? BitConverter.HalfToUInt16Bits(half) : throw new ArgumentException($"{v} is not exact in F16.", nameof(values));
    }).ToArray());

    /// <summary>Little-endian bfloat16 values (the upper half of a float32); each must be exact in bfloat16.</summary>
    public static byte[] BF16(params float[] values) => Bits16(values.Select(v =>
    {
        uint bits = BitConverter.SingleToUInt32Bits(v);
        return (bits & 0xFFFF) == 0 ? (ushort)(bits >> 16) : throw new ArgumentException($"{v} is not exact in BF16.", nameof(values));
    }).ToArray());

    /// <summary>The values in the dtype named: F32, F64, F16 or BF16.</summary>
    public static byte[] Typed(string dtype, params float[] values) => dtype switch
    {
        "F32" => F32(values),
        "F64" => F64(Array.ConvertAll(values, v => (double)v)),
        "F16" => F16(values),
        "BF16" => BF16(values),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "F32, F64, F16 or BF16"),
    };

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
