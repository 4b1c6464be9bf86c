using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using NetGen.Shared;

namespace NetGen;

/// <summary>One entry of a safetensors header: a tensor's name, dtype, shape and byte range in the buffer.</summary>
internal sealed record SafeTensorInfo(string Name, string Dtype, ulong[] Shape, ulong Begin, ulong End) : IStateDictTensor
{
    /// <summary>The shape as PyTorch prints it: <c>[4, 3]</c>.</summary>
    /// <remarks>Shortened as messages quote a name (<see cref="SafeTensorsHeader.Shown(string)"/>): a shape can have a million dimensions.</remarks>
    public string ShapeText => SafeTensorsHeader.Shown(SequentialStateDict.FormatShape(Shape));
}

/// <summary>
/// Parses and checks a safetensors JSON header (https://github.com/huggingface/safetensors, "Format"):
/// <c>{"NAME": {"dtype": "F16", "shape": [1, 16, 256], "data_offsets": [BEGIN, END]}, ..., "__metadata__": {"k": "v"}}</c>.
/// Reads with <see cref="Utf8JsonReader"/> only (no reflection, trimming- and AOT-safe), so that it can refuse what a
/// general JSON object model would quietly accept: duplicate keys, unknown fields, numbers that are not integers.
/// </summary>
/// <remarks>
/// The generator reads the same files at build time with a reader of its own (src/NetGen.Generator/Weights/
/// SafeTensorsReader.cs), and the two are not merged: the generator is a netstandard2.0 analyzer loaded into the
/// compiler, so it cannot reference this net8.0 assembly, and System.Text.Json, part of net8.0, would be a package
/// there, shipped beside the analyzer and at odds with whatever copy the compiler has loaded. What follows the
/// reading is shared:
/// both bind the tensors to the layers with src/Shared/SequentialStateDict.cs and lay out the parameters with
/// src/Shared/DenseLayout.cs, and both are tested on the same files (tests/Shared/SafeTensorsFixtures.cs).
/// </remarks>
internal sealed class SafeTensorsHeader
{
    /// <summary>The largest header accepted, in bytes: the reference implementation's limit (MAX_HEADER_SIZE).</summary>
    public const ulong MaxLength = 100_000_000;

    /// <summary>The most characters of a name (or other text of the file) that a message quotes.</summary>
    internal const int MaxShownLength = 100;

    private const string MetadataKey = "__metadata__";

    private SafeTensorsHeader(List<SafeTensorInfo> tensors, ulong bufferLength)
    {
        Tensors = tensors;
        BufferLength = bufferLength;
    }

    /// <summary>The tensors, in the order of the header.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The length of the byte buffer the tensors tile exactly: the end of the last one.</summary>
    public ulong BufferLength { get; }

    /// <summary>The size of one element of a safetensors dtype, in bits; 0 for a name that is not a safetensors dtype.</summary>
    public static int BitSize(string dtype) => dtype switch
    {
        "F4" => 4,
        "F6_E2M3" or "F6_E3M2" => 6,
        "BOOL" or "U8" or "I8" or "F8_E5M2" or "F8_E4M3" or "F8_E8M0" => 8,
        "I16" or "U16" or "F16" or "BF16" => 16,
        "I32" or "U32" or "F32" => 32,
        "I64" or "U64" or "F64" or "C64" => 64,
        _ => 0,
    };

    /// <summary>Parses and checks <paramref name="header"/>: the N bytes after the 8-byte length.</summary>
    /// <exception cref="SafeTensorsException">The header is malformed, names an unknown dtype, or its offsets do not tile a buffer.</exception>
    public static SafeTensorsHeader Parse(ReadOnlySpan<byte> header)
    {
        if (!Utf8.IsValid(header))
        {
            throw Malformed("The header is not valid UTF-8.");
        }

        if (header.IsEmpty || header[0] != (byte)'{')
        {
            throw Malformed("The header must be a JSON object starting with '{' at its first byte.");
        }

        List<SafeTensorInfo> tensors;
        try
        {
            tensors = ReadObject(header);
        }
        catch (JsonException e)
        {
            throw Malformed($"The header is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // A string whose escapes do not make valid UTF-16 (a lone surrogate such as \uD800).
            throw Malformed($"The header holds a string that is not valid text: {e.Message}");
        }

        return new SafeTensorsHeader(tensors, CheckOffsets(tensors));
    }

    private static List<SafeTensorInfo> ReadObject(ReadOnlySpan<byte> header)
    {
        // Depth 3 is the deepest valid header (object > tensor object > shape array); one more gives a clean error.
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 4 });
        Next(ref reader);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var tensors = new List<SafeTensorInfo>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            string name = reader.GetString()!;
            if (!keys.Add(name))
            {
                throw Malformed($"The header has the key \"{Shown(name)}\" twice.", name == MetadataKey ? null : name);
            }

            Next(ref reader);
            if (name == MetadataKey)
            {
                ReadMetadata(ref reader);
            }
            else
            {
                tensors.Add(ReadTensor(ref reader, name));
            }
        }

        // Only whitespace (the writer's space padding) may follow; Utf8JsonReader throws on anything else.
        if (reader.Read())
        {
            throw Malformed("The header continues after its JSON object.");
        }

        return tensors;
    }

    private static void ReadMetadata(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Malformed($"\"{MetadataKey}\" must be an object of strings, not {Describe(reader.TokenType)}.");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            string key = reader.GetString()!;
            if (!keys.Add(key))
            {
                throw Malformed($"\"{MetadataKey}\" has the key \"{Shown(key)}\" twice.");
            }

            Next(ref reader);
            if (reader.TokenType != JsonTokenType.String)
            {
                throw Malformed($"The value of \"{Shown(key)}\" in \"{MetadataKey}\" must be a string, not {Describe(reader.TokenType)}.");
            }
        }
    }

    private static SafeTensorInfo ReadTensor(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Malformed($"The entry of tensor \"{Shown(name)}\" must be an object with dtype, shape and data_offsets, not {Describe(reader.TokenType)}.", name);
        }

        string? dtype = null;
        ulong[]? shape = null;
        ulong[]? offsets = null;
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            string field = reader.GetString()!;
            Next(ref reader);
            switch (field)
            {
                case "dtype" when dtype is null:
                    dtype = reader.TokenType == JsonTokenType.String
                        ? reader.GetString()!
                        : throw Malformed($"The dtype of tensor \"{Shown(name)}\" must be a string, not {Describe(reader.TokenType)}.", name);
                    break;
                case "shape" when shape is null:
                    shape = ReadIntegers(ref reader, name, "shape");
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ReadIntegers(ref reader, name, "data_offsets");
                    if (offsets.Length != 2)
                    {
                        throw Malformed($"The data_offsets of tensor \"{Shown(name)}\" must be two integers [begin, end], not {offsets.Length}.", name);
                    }

                    break;
                case "dtype" or "shape" or "data_offsets":
                    throw Malformed($"The entry of tensor \"{Shown(name)}\" has the field \"{Shown(field)}\" twice.", name);
                default:
                    throw Malformed($"The entry of tensor \"{Shown(name)}\" has the unknown field \"{Shown(field)}\"; only dtype, shape and data_offsets are allowed.", name);
            }
        }

        string missing = dtype is null ? "dtype" : shape is null ? "shape" : offsets is null ? "data_offsets" : string.Empty;
        if (missing.Length > 0)
        {
            throw Malformed($"The entry of tensor \"{Shown(name)}\" has no {missing}.", name);
        }

        return new SafeTensorInfo(name, dtype!, shape!, offsets![0], offsets[1]);
    }

    private static ulong[] ReadIntegers(ref Utf8JsonReader reader, string name, string field)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Malformed($"The {field} of tensor \"{Shown(name)}\" must be a list of non-negative integers, not {Describe(reader.TokenType)}.", name);
        }

        var values = new List<ulong>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return values.ToArray();
            }

            // TryGetUInt64 refuses a sign, a fraction, an exponent and anything past 2^64 - 1.
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt64(out ulong value))
            {
                string text = reader.TokenType == JsonTokenType.Number ? Shown(reader.ValueSpan) : Describe(reader.TokenType);
                throw Malformed($"The {field} of tensor \"{Shown(name)}\" must be a list of non-negative integers, but holds {text}.", name);
            }

            values.Add(value);
        }
    }

    /// <summary>
    /// Checks that the tensors tile the buffer exactly, as the format requires ("the byte buffer needs to be entirely
    /// indexed, and cannot contain holes"): in offset order each begins where the one before ended, the first at 0,
    /// and each holds exactly shape × dtype size bytes.
    /// </summary>
    /// <returns>The length of the buffer.</returns>
    private static ulong CheckOffsets(List<SafeTensorInfo> tensors)
    {
        foreach (SafeTensorInfo tensor in tensors)
        {
            if (BitSize(tensor.Dtype) == 0)
            {
                throw new SafeTensorsException(
                    SafeTensorsError.UnsupportedDtype,
                    $"Tensor \"{Shown(tensor.Name)}\" has the dtype \"{Shown(tensor.Dtype)}\", which is not a safetensors dtype.",
                    tensor.Name);
            }
        }

        var ordered = new List<SafeTensorInfo>(tensors);
        ordered.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        ulong position = 0;
        foreach (SafeTensorInfo tensor in ordered)
        {
            if (tensor.End < tensor.Begin)
            {
                throw InvalidOffsets($"Tensor \"{Shown(tensor.Name)}\" has data_offsets [{tensor.Begin}, {tensor.End}]: it ends before it begins.", tensor.Name);
            }

            ulong bytes = ByteLength(tensor);
            if (tensor.End - tensor.Begin != bytes)
            {
                throw InvalidOffsets(
                    $"Tensor \"{Shown(tensor.Name)}\" has data_offsets [{tensor.Begin}, {tensor.End}] ({tensor.End - tensor.Begin} bytes), but {tensor.Dtype} of shape {tensor.ShapeText} needs {bytes} bytes.",
                    tensor.Name);
            }

            if (tensor.Begin < position)
            {
                throw InvalidOffsets($"Tensor \"{Shown(tensor.Name)}\" has data_offsets [{tensor.Begin}, {tensor.End}], which overlap the tensor before it (ending at {position}).", tensor.Name);
            }

            if (tensor.Begin > position)
            {
                throw InvalidOffsets($"Tensor \"{Shown(tensor.Name)}\" begins at {tensor.Begin}, leaving the buffer's bytes {position} to {tensor.Begin} unused: the buffer may have no holes.", tensor.Name);
            }

            position = tensor.End;
        }

        return position;
    }

    private static ulong ByteLength(SafeTensorInfo tensor)
    {
        try
        {
            ulong bits = checked((ulong)BitSize(tensor.Dtype));
            foreach (ulong dimension in tensor.Shape)
            {
                bits = checked(bits * dimension);
            }

            return bits % 8 == 0
                ? bits / 8
                : throw InvalidOffsets($"Tensor \"{Shown(tensor.Name)}\" ({tensor.Dtype} of shape {tensor.ShapeText}) does not fill a whole number of bytes.", tensor.Name);
        }
        catch (OverflowException)
        {
            throw Malformed($"Tensor \"{Shown(tensor.Name)}\" has the shape {tensor.ShapeText}, whose size overflows.", tensor.Name);
        }
    }

    /// <summary>
    /// A name or other text of the file as a message quotes it: whole up to <see cref="MaxShownLength"/> characters,
    /// else its first ones and "…", so that a name of millions of characters is not copied into the message (the
    /// exception's TensorName still holds it whole).
    /// </summary>
    internal static string Shown(string text)
    {
        if (text.Length <= MaxShownLength)
        {
            return text;
        }

        // Not between the two halves of a surrogate pair.
        int length = char.IsHighSurrogate(text[MaxShownLength - 1]) ? MaxShownLength - 1 : MaxShownLength;
        return string.Concat(text.AsSpan(0, length), "…");
    }

    /// <summary>
    /// The UTF-8 text of a JSON token, shortened as <see cref="Shown(string)"/> shortens, decoding only what is shown:
    /// at most the first 104 bytes (a character takes up to 4), fewer if the token is shorter (a number of 101 to 103
    /// digits once sliced past its end here, an ArgumentOutOfRangeException).
    /// </summary>
    private static string Shown(ReadOnlySpan<byte> utf8) =>
        utf8.Length <= MaxShownLength ? Encoding.UTF8.GetString(utf8) : Shown(Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, MaxShownLength + 4)]));

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw Malformed("The header ends before its JSON object is complete.");
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static SafeTensorsException Malformed(string message, string? tensorName = null) =>
        new(SafeTensorsError.MalformedHeader, message, tensorName);

    private static SafeTensorsException InvalidOffsets(string message, string tensorName) =>
        new(SafeTensorsError.InvalidOffsets, message, tensorName);
}
