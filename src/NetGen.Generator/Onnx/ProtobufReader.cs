using System;

namespace NetGen.Generator.Onnx;

/// <summary>
/// A reader of the protobuf wire format over one message's bytes, bounded in every way a hostile file could push it.
/// </summary>
/// <remarks>
/// Why a hand-written reader here, when NetGen.Onnx uses generated protobuf types: a generator runs inside the
/// compiler as a netstandard2.0 assembly, and a package it depends on (Google.Protobuf) would have to ship beside it
/// and load into the compiler's process, where another copy of the same assembly may already be loaded. The ONNX
/// file format needs only the wire format's five parts (varints, 64-bit, length-delimited, 32-bit, and the tag that
/// says which), so this reader is small enough to check by eye. Its bounds: a varint is at most 10 bytes; a length is
/// checked against the bytes left before anything is read or allocated, so no allocation exceeds the file's own size;
/// the message kinds it descends into are fixed by <see cref="OnnxReader"/> (model, graph, node, attribute, tensor,
/// value info, type, shape), never by the file, so no file can make it recurse deeper; and every loop advances by at
/// least one byte, so it ends. Group wire types (3, 4), deprecated and unused by ONNX, are refused.
/// </remarks>
internal struct ProtobufReader
{
    private readonly byte[] _bytes;
    private readonly int _end;
    private int _position;

    public ProtobufReader(byte[] bytes, int start, int end)
    {
        _bytes = bytes;
        _position = start;
        _end = end;
    }

    /// <summary>Where the reader is in the file, for messages.</summary>
    public int Position => _position;

    public bool AtEnd => _position >= _end;

    /// <summary>The next field's number and wire type; false at the end of the message.</summary>
    public bool NextField(out int field, out int wireType)
    {
        field = 0;
        wireType = 0;
        if (_position >= _end)
        {
            return false;
        }

        ulong tag = ReadVarint();
        wireType = (int)(tag & 7);
        ulong number = tag >> 3;
        if (number == 0 || number > int.MaxValue)
        {
            throw Malformed($"field number {number} is not a valid protobuf field number");
        }

        field = (int)number;
        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _end)
            {
                throw Malformed("the message ends inside a number");
            }

            byte b = _bytes[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw Malformed("a number is longer than the 10 bytes a protobuf varint may take");
    }

    public long ReadInt64() => unchecked((long)ReadVarint());

    public uint ReadFixed32()
    {
        Need(4);
        uint value = (uint)(_bytes[_position] | _bytes[_position + 1] << 8 | _bytes[_position + 2] << 16 | _bytes[_position + 3] << 24);
        _position += 4;
        return value;
    }

    public ulong ReadFixed64()
    {
        ulong low = ReadFixed32();
        ulong high = ReadFixed32();
        return low | high << 32;
    }

    public float ReadFloat() => BitConverter.ToSingle(BitConverter.GetBytes(ReadFixed32()), 0);

    public double ReadDouble() => BitConverter.Int64BitsToDouble(unchecked((long)ReadFixed64()));

    /// <summary>A length-delimited field's bounds, checked against the bytes left in this message; the reader moves past it.</summary>
    public (int Start, int End) ReadLengthDelimited()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_end - _position))
        {
            throw Malformed($"a field declares {length} bytes, but its message has {_end - _position} left (is the file truncated?)");
        }

        int start = _position;
        _position += (int)length;
        return (start, _position);
    }

    /// <summary>A reader over a nested message.</summary>
    public ProtobufReader ReadMessage(int wireType)
    {
        ExpectWireType(wireType, 2);
        (int start, int end) = ReadLengthDelimited();
        return new ProtobufReader(_bytes, start, end);
    }

    /// <summary>A string field, at most <paramref name="maxLength"/> bytes of UTF-8.</summary>
    public string ReadString(int wireType, int maxLength)
    {
        ExpectWireType(wireType, 2);
        (int start, int end) = ReadLengthDelimited();
        if (end - start > maxLength)
        {
            throw Malformed($"a name or string of {end - start} bytes is longer than the {maxLength} NetGen reads");
        }

        return System.Text.Encoding.UTF8.GetString(_bytes, start, end - start);
    }

    /// <summary>The raw bytes of a length-delimited field, as bounds into the file (nothing copied).</summary>
    public (int Start, int End) ReadBytes(int wireType)
    {
        ExpectWireType(wireType, 2);
        return ReadLengthDelimited();
    }

    /// <summary>Passes over a field this reader does not need.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                Need(8);
                _position += 8;
                break;
            case 2:
                ReadLengthDelimited();
                break;
            case 5:
                Need(4);
                _position += 4;
                break;
            default:
                throw Malformed($"wire type {wireType} is not one ONNX files use");
        }
    }

    public void ExpectWireType(int actual, int expected)
    {
        if (actual != expected)
        {
            throw Malformed($"a field has wire type {actual} where the ONNX schema has {expected}");
        }
    }

    public byte[] Bytes => _bytes;

    private void Need(int count)
    {
        if (_end - _position < count)
        {
            throw Malformed("the message ends inside a fixed-size number");
        }
    }

    public OnnxFormatException Malformed(string what) => new($"{what} (at byte {_position})");
}

/// <summary>A model file that cannot be read or cannot be compiled, with the message to report (NG0026 to NG0028).</summary>
internal sealed class OnnxFormatException(string message, OnnxProblem problem = OnnxProblem.Unreadable) : Exception(message)
{
    public OnnxProblem Problem { get; } = problem;
}

/// <summary>Which diagnostic a problem with a model file is.</summary>
internal enum OnnxProblem
{
    /// <summary>NG0026: the file is not a whole, well-formed ONNX model within NetGen's limits.</summary>
    Unreadable,

    /// <summary>NG0027: an operator, or an attribute value of one, that NetGen has no layer or activation for.</summary>
    UnsupportedOperator,

    /// <summary>NG0028: the graph does not map to a chain of NetGen layers (structure, shapes, element type).</summary>
    Unmappable,
}
