using System;
using System.Buffers.Binary;
using System.IO;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace NetGen;

/// <summary>What the parameter file and the standardiser file share: element types, values, UTF-8 and bounded reads.</summary>
internal static class FileCodec
{
    public const ushort Float32Code = 1;
    public const ushort Float64Code = 2;

    /// <summary>The first chunk a read of unknown length allocates; it then doubles as the bytes arrive.</summary>
    private const int FirstChunk = 64 * 1024;

    /// <summary>UTF-8 that throws on a lone surrogate (writing) or an invalid byte sequence (reading), never replacing either.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ushort ElementTypeCode<T>()
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

    public static string ElementTypeName(ushort code) => code switch
    {
        Float32Code => "float (32-bit)",
        Float64Code => "double (64-bit)",
        _ => $"an unknown element type (code {code})",
    };

    /// <summary>Writes <paramref name="values"/> little-endian, bit for bit, into the start of <paramref name="destination"/>.</summary>
    public static void WriteValues<T>(Span<byte> destination, ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (typeof(T) == typeof(float))
            {
                BinaryPrimitives.WriteSingleLittleEndian(destination[(i * 4)..], float.CreateTruncating(values[i]));
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(destination[(i * 8)..], double.CreateTruncating(values[i]));
            }
        }
    }

    /// <summary>Reads <paramref name="destination"/>.Length little-endian values from the start of <paramref name="source"/>.</summary>
    public static void ReadValues<T>(ReadOnlySpan<byte> source, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = typeof(T) == typeof(float)
                ? T.CreateTruncating(BinaryPrimitives.ReadSingleLittleEndian(source[(i * 4)..]))
                : T.CreateTruncating(BinaryPrimitives.ReadDoubleLittleEndian(source[(i * 8)..]));
        }
    }

    /// <summary>The bytes of a value's size: 4 for float, 8 for double.</summary>
    public static int SizeOf<T>()
        where T : unmanaged => Unsafe.SizeOf<T>();

    /// <summary>
    /// Reads up to <paramref name="length"/> bytes and says how many arrived, allocating no more than the bytes that are
    /// there (about twice as much at worst) rather than what <paramref name="length"/> declares: a seekable stream
    /// with fewer bytes left is answered from its length without reading or allocating; another is read in chunks
    /// that double from 64 KiB, so a pipe that ends early costs what it sent.
    /// </summary>
    /// <returns>The buffer (at least <c>read</c> long; exactly <paramref name="length"/> long when all arrived) and the count read.</returns>
    public static (byte[] Buffer, int Read) ReadUpTo(Stream stream, int length)
    {
        if (stream.CanSeek)
        {
            long left = Math.Max(0, stream.Length - stream.Position);
            if (left < length)
            {
                return ([], (int)left);
            }

            var whole = new byte[length];
            int got = stream.ReadAtLeast(whole, length, throwOnEndOfStream: false);
            return (whole, got);
        }

        var buffer = new byte[Math.Min(length, FirstChunk)];
        int read = 0;
        while (true)
        {
            read += stream.ReadAtLeast(buffer.AsSpan(read), buffer.Length - read, throwOnEndOfStream: false);
            if (read < buffer.Length || buffer.Length == length)
            {
                return (buffer, read);
            }

            Array.Resize(ref buffer, (int)Math.Min(length, 2L * buffer.Length));
        }
    }

    /// <summary>Encodes <paramref name="text"/> as UTF-8, refusing a lone surrogate with <see cref="ArgumentException"/>.</summary>
    public static byte[] EncodeUtf8(string text, string what, string parameterName)
    {
        try
        {
            return StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"{what} holds a lone surrogate (U+{(int)e.CharUnknown:X4}), which UTF-8 cannot represent.", parameterName, e);
        }
    }

    /// <summary>Decodes UTF-8, or returns <see langword="null"/> if the bytes are not valid UTF-8.</summary>
    public static string? DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
