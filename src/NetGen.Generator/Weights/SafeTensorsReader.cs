using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using NetGen.Shared;

namespace NetGen.Generator.Weights;

/// <summary>One tensor of a safetensors file: its name, dtype, shape and values (converted to double).</summary>
internal sealed class Tensor : IStateDictTensor
{
    public Tensor(string name, string dtype, ulong[] shape, double[] values)
    {
        Name = name;
        Dtype = dtype;
        Shape = shape;
        Values = values;
    }

    public string Name { get; }

    public string Dtype { get; }

    public ulong[] Shape { get; }

    public double[] Values { get; }
}

/// <summary>
/// Reads a safetensors file (8-byte little-endian header length N, N bytes of UTF-8 JSON
/// {name: {dtype, shape, data_offsets}}, then the data) for the generator, which runs on netstandard2.0 without
/// System.Text.Json: a small JSON reader that accepts exactly what the header may hold, and refuses the rest with
/// a message (<see cref="SafeTensorsFormatException"/>).
/// </summary>
/// <remarks>
/// The runtime has its own reader (src/NetGen.Runtime/Interop/SafeTensorsHeader.cs, on System.Text.Json's
/// Utf8JsonReader) and this one is not replaced by it: a generator runs inside the compiler as a netstandard2.0
/// assembly, so it cannot reference NetGen.Runtime (net8.0), and System.Text.Json would be a package to ship beside
/// the analyzer, at odds with whatever copy the compiler has loaded. What follows the reading is shared: both bind
/// the tensors to the layers with src/Shared/SequentialStateDict.cs and lay out the parameters with
/// src/Shared/DenseLayout.cs, and both are tested on the same files (tests/Shared/SafeTensorsFixtures.cs).
/// </remarks>
internal static class SafeTensorsReader
{
    public static List<Tensor> Read(byte[] file)
    {
        if (file.Length < 8)
        {
            throw new SafeTensorsFormatException($"the file has {file.Length} bytes, fewer than the 8 of the header length");
        }

        ulong headerLength = BitConverter.ToUInt64(file, 0);
        if (!BitConverter.IsLittleEndian)
        {
            throw new SafeTensorsFormatException("reading safetensors on a big-endian machine is not supported");
        }

        if (headerLength == 0 || headerLength > (ulong)(file.Length - 8))
        {
            throw new SafeTensorsFormatException($"the header length {headerLength} does not fit in the file's {file.Length} bytes");
        }

        string header;
        try
        {
            header = new UTF8Encoding(false, true).GetString(file, 8, (int)headerLength);
        }
        catch (DecoderFallbackException)
        {
            throw new SafeTensorsFormatException("the header is not UTF-8");
        }

        int dataStart = 8 + (int)headerLength;
        long dataLength = file.Length - dataStart;
        var parser = new Json(header);
        var tensors = new List<Tensor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ranges = new List<(long Begin, long End, string Name)>();
        parser.Expect('{');
        if (!parser.TryConsume('}'))
        {
            do
            {
                string name = parser.String();
                if (!seen.Add(name))
                {
                    throw new SafeTensorsFormatException($"the header names '{name}' twice");
                }

                parser.Expect(':');
                if (name == "__metadata__")
                {
                    parser.SkipValue(depth: 1);
                    continue;
                }

                (string dtype, long[] shape, long begin, long end) = ReadEntry(parser, name);
                if (begin < 0 || end < begin || end > dataLength)
                {
                    throw new SafeTensorsFormatException($"tensor '{name}' has data_offsets [{begin}, {end}] outside the {dataLength} bytes of data");
                }

                int size = DtypeSize(dtype, name);
                long count = 1;
                foreach (long dimension in shape)
                {
                    count = checked(count * dimension);
                }

                if (checked(count * size) != end - begin)
                {
                    throw new SafeTensorsFormatException($"tensor '{name}' of shape [{string.Join(", ", shape)}] and dtype {dtype} needs {count * size} bytes, but its data_offsets span {end - begin}");
                }

                ranges.Add((begin, end, name));
                tensors.Add(new Tensor(name, dtype, Array.ConvertAll(shape, d => (ulong)d), Convert(file, dataStart + (int)begin, (int)count, dtype)));
            }
            while (parser.TryConsume(','));

            parser.Expect('}');
        }

        parser.End();
        ranges.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        long expected = 0;
        foreach ((long begin, long end, string name) in ranges)
        {
            if (begin != expected)
            {
                throw new SafeTensorsFormatException($"tensor '{name}' starts at byte {begin} of the data, but the previous one ends at {expected}: tensors must follow one another without holes or overlaps");
            }

            expected = end;
        }

        if (expected != dataLength)
        {
            throw new SafeTensorsFormatException($"the tensors cover {expected} bytes of data, but the file holds {dataLength}");
        }

        return tensors;
    }

    private static (string Dtype, long[] Shape, long Begin, long End) ReadEntry(Json parser, string name)
    {
        string? dtype = null;
        long[]? shape = null, offsets = null;
        parser.Expect('{');
        do
        {
            string key = parser.String();
            parser.Expect(':');
            switch (key)
            {
                case "dtype":
                    dtype = parser.String();
                    break;
                case "shape":
                    shape = parser.Integers();
                    break;
                case "data_offsets":
                    offsets = parser.Integers();
                    break;
                default:
                    throw new SafeTensorsFormatException($"tensor '{name}' has an unknown field '{key}'");
            }
        }
        while (parser.TryConsume(','));

        parser.Expect('}');
        if (dtype is null || shape is null || offsets is null || offsets.Length != 2)
        {
            throw new SafeTensorsFormatException($"tensor '{name}' needs dtype, shape and data_offsets [begin, end]");
        }

        foreach (long dimension in shape)
        {
            if (dimension < 0)
            {
                throw new SafeTensorsFormatException($"tensor '{name}' has a negative dimension");
            }
        }

        return (dtype, shape, offsets[0], offsets[1]);
    }

    private static int DtypeSize(string dtype, string name) => dtype switch
    {
        "F64" => 8,
        "F32" => 4,
        "F16" or "BF16" => 2,
        _ => throw new SafeTensorsFormatException($"tensor '{name}' has dtype {dtype}; NetGen reads F64, F32, F16 and BF16"),
    };

    private static double[] Convert(byte[] file, int start, int count, string dtype)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = dtype switch
            {
                "F64" => BitConverter.ToDouble(file, start + (8 * i)),
                "F32" => BitConverter.ToSingle(file, start + (4 * i)),
                "BF16" => BitConverter.ToSingle(BitConverter.GetBytes(BitConverter.ToUInt16(file, start + (2 * i)) << 16), 0),
                _ => HalfToDouble(BitConverter.ToUInt16(file, start + (2 * i))),
            };
        }

        return values;
    }

    /// <summary>IEEE 754 binary16 to double: sign, 5 exponent bits (bias 15), 10 fraction bits.</summary>
    private static double HalfToDouble(ushort bits)
    {
        int sign = (bits & 0x8000) != 0 ? -1 : 1;
        int exponent = (bits >> 10) & 0x1F;
        int fraction = bits & 0x3FF;
        if (exponent == 0)
        {
            return sign * fraction * Math.Pow(2, -24);
        }

        if (exponent == 0x1F)
        {
            return fraction == 0 ? sign * double.PositiveInfinity : double.NaN;
        }

        return sign * (1 + (fraction / 1024.0)) * Math.Pow(2, exponent - 15);
    }

    /// <summary>Just enough JSON for a safetensors header: objects, strings, integer arrays, and values to skip.</summary>
    private sealed class Json(string text)
    {
        /// <summary>
        /// The deepest nesting of objects and lists a header may have, the header object itself counting as 1: a
        /// valid header needs 3 (header, tensor entry, shape), and __metadata__, which NetGen skips, is a flat object
        /// of strings in every file PyTorch or the safetensors library writes, so 64 leaves ample room.
        /// </summary>
        public const int MaxDepth = 64;

        private int _position;

        public void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw new SafeTensorsFormatException($"the header is not valid JSON: expected '{c}' at character {_position}");
            }
        }

        public bool TryConsume(char c)
        {
            SkipWhitespace();
            if (_position < text.Length && text[_position] == c)
            {
                _position++;
                return true;
            }

            return false;
        }

        public void End()
        {
            SkipWhitespace();
            if (_position != text.Length)
            {
                throw new SafeTensorsFormatException($"the header continues after its closing brace, at character {_position}");
            }
        }

        public string String()
        {
            Expect('"');
            var builder = new StringBuilder();
            while (_position < text.Length)
            {
                char c = text[_position++];
                if (c == '"')
                {
                    return builder.ToString();
                }

                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }

                if (_position >= text.Length)
                {
                    break;
                }

                char escaped = text[_position++];
                switch (escaped)
                {
                    case 'u' when _position + 4 <= text.Length
                        && int.TryParse(text.Substring(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code):
                        builder.Append((char)code);
                        _position += 4;
                        break;
                    case '"' or '\\' or '/':
                        builder.Append(escaped);
                        break;
                    case 'n':
                        builder.Append('\n');
                        break;
                    case 't':
                        builder.Append('\t');
                        break;
                    case 'r':
                        builder.Append('\r');
                        break;
                    case 'b':
                        builder.Append('\b');
                        break;
                    case 'f':
                        builder.Append('\f');
                        break;
                    default:
                        throw new SafeTensorsFormatException($"the header has a bad escape at character {_position}");
                }
            }

            throw new SafeTensorsFormatException("the header ends inside a string");
        }

        public long[] Integers()
        {
            var values = new List<long>();
            Expect('[');
            if (TryConsume(']'))
            {
                return values.ToArray();
            }

            do
            {
                SkipWhitespace();
                int start = _position;
                while (_position < text.Length && (char.IsDigit(text[_position]) || text[_position] == '-'))
                {
                    _position++;
                }

                if (!long.TryParse(text.Substring(start, _position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                {
                    throw new SafeTensorsFormatException($"the header has a bad integer at character {start}");
                }

                values.Add(value);
            }
            while (TryConsume(','));

            Expect(']');
            return values.ToArray();
        }

        /// <summary>
        /// Skips one JSON value of any kind (the __metadata__ NetGen does not use) that sits inside
        /// <paramref name="depth"/> objects and lists, the header object counting as one. Iterative, with a stack of its
        /// own: a header nested 100,000 deep once overflowed the compiler's stack here. Past <see cref="MaxDepth"/> it
        /// refuses the file.
        /// </summary>
        public void SkipValue(int depth)
        {
            var open = new Stack<char>();
            while (true)
            {
                SkipWhitespace();
                if (_position >= text.Length)
                {
                    throw new SafeTensorsFormatException("the header ends where a value should be");
                }

                char c = text[_position];
                if (c is '{' or '[')
                {
                    if (depth + open.Count + 1 > MaxDepth)
                    {
                        throw new SafeTensorsFormatException($"the header has JSON values nested more than {MaxDepth} levels deep (at character {_position}), the most NetGen reads");
                    }

                    char close = c == '{' ? '}' : ']';
                    _position++;
                    if (!TryConsume(close))
                    {
                        open.Push(close);
                        if (close == '}')
                        {
                            String();
                            Expect(':');
                        }

                        continue;
                    }
                }
                else if (c == '"')
                {
                    String();
                }
                else
                {
                    int start = _position;
                    while (_position < text.Length && text[_position] is not (',' or '}' or ']') && !char.IsWhiteSpace(text[_position]))
                    {
                        _position++;
                    }

                    if (start == _position)
                    {
                        throw new SafeTensorsFormatException($"the header is not valid JSON at character {start}");
                    }
                }

                // A value is complete: close what it completes, up to the next element of a container still open.
                while (open.Count > 0)
                {
                    if (TryConsume(','))
                    {
                        if (open.Peek() == '}')
                        {
                            String();
                            Expect(':');
                        }

                        break;
                    }

                    Expect(open.Pop());
                }

                if (open.Count == 0)
                {
                    return;
                }
            }
        }

        private void SkipWhitespace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }
    }
}

/// <summary>A safetensors file the generator cannot read, with the reason.</summary>
internal sealed class SafeTensorsFormatException(string message) : Exception(message);
