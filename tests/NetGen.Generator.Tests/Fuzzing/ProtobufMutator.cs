using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetGen.TestFixtures;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>One field of a protobuf message as the wire format has it: number, wire type, and its value.</summary>
internal sealed class PbField
{
    public int Number { get; set; }

    public int Wire { get; set; }

    /// <summary>A varint's value, or a fixed32's or fixed64's bits.</summary>
    public ulong Value { get; set; }

    /// <summary>A length-delimited field's bytes, when they are not read as a message.</summary>
    public byte[]? Bytes { get; set; }

    /// <summary>A length-delimited field's contents, when they parse as a message that writes back to the same bytes.</summary>
    public PbMessage? Message { get; set; }

    public PbField Clone() => new() { Number = Number, Wire = Wire, Value = Value, Bytes = Bytes, Message = Message?.Clone() };
}

/// <summary>A protobuf message: its fields in order.</summary>
internal sealed class PbMessage
{
    public List<PbField> Fields { get; } = new();

    public PbMessage Clone()
    {
        var copy = new PbMessage();
        copy.Fields.AddRange(Fields.Select(f => f.Clone()));
        return copy;
    }
}

/// <summary>
/// Mutations of a protobuf file (an ONNX model) that know the wire format but not the schema: the file is read as a
/// tree of fields (a length-delimited field is a message if its bytes parse as one and write back identically, else
/// bytes), one field is changed, and the tree is written back with every length recomputed, so that the mutant gets
/// past the length checks to the reader and the mapping behind them. The changes: a number set to a boundary value (a
/// dimension of 2^62, an element type of 2^31 ...), a string replaced by another of the file (a node's output named
/// as its input) or by an operator or attribute name, a field deleted, doubled, moved, copied elsewhere in the tree,
/// renumbered or given another wire type, a float set to NaN or infinity, a message wrapped in itself up to 100,000
/// deep, raw data cut or grown.
/// </summary>
internal static class ProtobufMutator
{
    private const int MaxParseDepth = 12;

    private static readonly ulong[] Numbers =
    [
        0, 1, 2, 3, 4, 6, 7, 9, 10, 11, 13, 16, 17, 21, 22, 127, 128, 255, 4096, 4097, 10_000, 10_001,
        0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 1UL << 62, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue,
    ];

    private static readonly string[] Names =
    [
        "", "x", "y", "Gemm", "MatMul", "Add", "Mul", "Sub", "Div", "Relu", "Sigmoid", "Tanh", "Softmax", "LeakyRelu", "Elu", "Gelu",
        "Identity", "Dropout", "Constant", "Transpose", "Flatten", "Reshape", "Erf", "Pow", "If", "Loop", "ai.onnx", "com.microsoft",
        "transA", "transB", "alpha", "beta", "value", "value_float", "value_ints", "perm", "axis", "approximate", "tanh",
    ];

    private static readonly uint[] FloatBits = [0x7FC0_0000, 0x7F80_0000, 0xFF80_0000, 0x7F7F_FFFF, 0x0000_0001, 0x3F80_0000, 0x3C23_D70A, 0x3E4C_CCCD, 0x0000_0000, 0x8000_0000];

    private static readonly int[] NestDepths = [1, 2, 3, 16, 100, 1000, 100_000];

    /// <summary>A structured mutation for <see cref="FileFuzzer.Mutants"/>; a file that does not parse gets a byte mutation.</summary>
    public static byte[] Mutate(byte[] file, ref SplitMix64 random, List<string> steps)
    {
        PbMessage? root = Parse(file);
        if (root is null || root.Fields.Count == 0)
        {
            return ByteMutator.Mutate(file, ref random, steps);
        }

        var messages = new List<(PbMessage Message, string Path)>();
        Collect(root, "model", messages);
        (PbMessage target, string path) = random.Pick(messages);
        if (target.Fields.Count == 0)
        {
            target.Fields.Add(random.Pick(AllFields(root)).Clone());
            steps.Add($"a field copied into the empty {path}");
            return Serialize(root);
        }

        int at = random.Next(target.Fields.Count);
        PbField field = target.Fields[at];
        string where = $"{path}.{field.Number}[{at}]";
        int roll = random.Next(100);
        if (roll < 22 && TryPickField(target, f => f.Wire == 0, ref random, out PbField? varint))
        {
            ulong value = random.Chance(80) ? random.Pick(Numbers) : unchecked(varint.Value + (ulong)random.Next(-2, 3));
            steps.Add($"varint {path}.{varint.Number} = {varint.Value} set to {value}");
            varint.Value = value;
        }
        else if (roll < 38 && TryPickField(target, f => f.Wire == 2 && f.Message is null, ref random, out PbField? text))
        {
            List<byte[]> pool = AllFields(root).Where(f => f.Bytes is { Length: > 0 and <= 64 } b && IsText(b)).Select(f => f.Bytes!).ToList();
            byte[] replacement = random.Chance(50) && pool.Count > 0
                ? random.Pick(pool)
                : random.Chance(90) ? Encoding.UTF8.GetBytes(random.Pick(Names)) : new byte[random.Pick([4096, 4097, 70_000])];
            steps.Add($"bytes {path}.{text.Number} \"{Show(text.Bytes!)}\" set to \"{Show(replacement)}\"");
            text.Bytes = replacement;
        }
        else if (roll < 48)
        {
            steps.Add($"{where} deleted");
            target.Fields.RemoveAt(at);
        }
        else if (roll < 58)
        {
            steps.Add($"{where} doubled");
            target.Fields.Insert(at, field.Clone());
        }
        else if (roll < 64)
        {
            int other = random.Next(target.Fields.Count);
            steps.Add($"{where} swapped with field {other}");
            (target.Fields[at], target.Fields[other]) = (target.Fields[other], target.Fields[at]);
        }
        else if (roll < 72)
        {
            PbField copy = random.Pick(AllFields(root)).Clone();
            steps.Add($"field {copy.Number} (wire {copy.Wire}) copied into {path} at {at}");
            target.Fields.Insert(at, copy);
        }
        else if (roll < 78)
        {
            int number = random.Chance(80) ? random.Next(1, 21) : random.Pick([0, 536_870_911, 536_870_912]);
            steps.Add($"{where} renumbered {number}");
            field.Number = number;
        }
        else if (roll < 82)
        {
            int wire = random.Pick([0, 1, 2, 3, 4, 5, 6, 7]);
            steps.Add($"{where} (wire {field.Wire}) given wire type {wire}");
            if (field.Wire == 2 && wire != 2)
            {
                field.Message = null;
                field.Bytes = null;
            }
            else if (field.Wire != 2 && wire == 2)
            {
                field.Bytes = [];
            }

            field.Wire = wire;
        }
        else if (roll < 87 && TryPickField(target, f => f.Wire == 5, ref random, out PbField? fixed32))
        {
            uint bits = random.Pick(FloatBits);
            steps.Add($"fixed32 {path}.{fixed32.Number} set to 0x{bits:X8}");
            fixed32.Value = bits;
        }
        else if (roll < 94 && TryPickField(target, f => f.Wire == 2, ref random, out PbField? nested))
        {
            int depth = random.Pick(NestDepths);
            int number = random.Chance(60) ? nested.Number : random.Next(1, 21);
            byte[] inner = nested.Message is { } m ? Serialize(m) : nested.Bytes ?? [];
            steps.Add($"{path}.{nested.Number} wrapped {depth} times in field {number}");
            nested.Message = null;
            nested.Bytes = Nest(number, depth, inner);
        }
        else if (TryPickField(target, f => f.Wire == 2 && f.Message is null && f.Bytes is { Length: > 0 }, ref random, out PbField? raw))
        {
            byte[] bytes = (byte[])raw.Bytes!.Clone();
            int kind = random.Next(3);
            if (kind == 0)
            {
                int bit = random.Next(8 * bytes.Length);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                steps.Add($"bit {bit} of bytes {path}.{raw.Number} flipped");
            }
            else
            {
                int change = random.Pick([-8, -4, -1, 1, 4, 8]);
                steps.Add($"bytes {path}.{raw.Number} ({bytes.Length}) resized by {change}");
                Array.Resize(ref bytes, Math.Max(0, bytes.Length + change));
            }

            raw.Bytes = bytes;
        }
        else
        {
            steps.Add($"{where} deleted");
            target.Fields.RemoveAt(at);
        }

        return Serialize(root);
    }

    /// <summary>The file as a tree, or null if it is not a message that writes back to exactly its bytes.</summary>
    public static PbMessage? Parse(byte[] file)
    {
        PbMessage? root = Parse(file, 0, file.Length, 0);
        return root is not null && Serialize(root).AsSpan().SequenceEqual(file) ? root : null;
    }

    public static byte[] Serialize(PbMessage message)
    {
        var bytes = new List<byte>();
        Write(message, bytes);
        return bytes.ToArray();
    }

    /// <summary><paramref name="inner"/> inside <paramref name="depth"/> length-delimited fields numbered <paramref name="field"/>, written outside-in from the lengths.</summary>
    public static byte[] Nest(int field, int depth, byte[] inner)
    {
        var lengths = new long[depth + 1];
        lengths[depth] = inner.Length;
        int tag = VarintSize(((ulong)field << 3) | 2);
        for (int level = depth - 1; level >= 0; level--)
        {
            lengths[level] = tag + VarintSize((ulong)lengths[level + 1]) + lengths[level + 1];
        }

        var bytes = new List<byte>((int)lengths[0]);
        for (int level = 0; level < depth; level++)
        {
            WriteVarint(bytes, ((ulong)field << 3) | 2);
            WriteVarint(bytes, (ulong)lengths[level + 1]);
        }

        bytes.AddRange(inner);
        return bytes.ToArray();
    }

    private static PbMessage? Parse(byte[] data, int start, int end, int depth)
    {
        var message = new PbMessage();
        int at = start;
        while (at < end)
        {
            if (!TryReadVarint(data, ref at, end, out ulong tag) || (tag >> 3) == 0 || (tag >> 3) > 536_870_911)
            {
                return null;
            }

            var field = new PbField { Number = (int)(tag >> 3), Wire = (int)(tag & 7) };
            switch (field.Wire)
            {
                case 0:
                    if (!TryReadVarint(data, ref at, end, out ulong value))
                    {
                        return null;
                    }

                    field.Value = value;
                    break;
                case 1 or 5:
                    int size = field.Wire == 1 ? 8 : 4;
                    if (end - at < size)
                    {
                        return null;
                    }

                    for (int i = 0; i < size; i++)
                    {
                        field.Value |= (ulong)data[at + i] << (8 * i);
                    }

                    at += size;
                    break;
                case 2:
                    if (!TryReadVarint(data, ref at, end, out ulong length) || length > (ulong)(end - at))
                    {
                        return null;
                    }

                    int payloadEnd = at + (int)length;
                    PbMessage? inner = depth < MaxParseDepth && length > 0 ? Parse(data, at, payloadEnd, depth + 1) : null;
                    if (inner is not null && Serialize(inner).AsSpan().SequenceEqual(data.AsSpan(at, (int)length)))
                    {
                        field.Message = inner;
                    }
                    else
                    {
                        field.Bytes = data.AsSpan(at, (int)length).ToArray();
                    }

                    at = payloadEnd;
                    break;
                default:
                    return null;
            }

            message.Fields.Add(field);
        }

        return message;
    }

    private static void Write(PbMessage message, List<byte> bytes)
    {
        foreach (PbField field in message.Fields)
        {
            WriteVarint(bytes, ((ulong)(uint)field.Number << 3) | (uint)(field.Wire & 7));
            switch (field.Wire)
            {
                case 0:
                    WriteVarint(bytes, field.Value);
                    break;
                case 1 or 5:
                    for (int i = 0; i < (field.Wire == 1 ? 8 : 4); i++)
                    {
                        bytes.Add((byte)(field.Value >> (8 * i)));
                    }

                    break;
                case 2:
                    byte[] payload = field.Message is { } m ? Serialize(m) : field.Bytes ?? [];
                    WriteVarint(bytes, (ulong)payload.Length);
                    bytes.AddRange(payload);
                    break;
                default:
                    // Groups (3, 4) and the undefined 6 and 7: the tag alone, as a damaged file would have it.
                    break;
            }
        }
    }

    private static void Collect(PbMessage message, string path, List<(PbMessage, string)> into)
    {
        into.Add((message, path));
        foreach (PbField field in message.Fields)
        {
            if (field.Message is { } inner)
            {
                Collect(inner, path + "." + field.Number, into);
            }
        }
    }

    private static List<PbField> AllFields(PbMessage root)
    {
        var fields = new List<PbField>();
        var pending = new Stack<PbMessage>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            foreach (PbField field in pending.Pop().Fields)
            {
                fields.Add(field);
                if (field.Message is { } inner)
                {
                    pending.Push(inner);
                }
            }
        }

        return fields;
    }

    private static bool TryPickField(PbMessage message, Func<PbField, bool> where, ref SplitMix64 random, out PbField field)
    {
        List<PbField> found = message.Fields.Where(where).ToList();
        field = found.Count > 0 ? random.Pick(found) : null!;
        return found.Count > 0;
    }

    private static bool TryReadVarint(byte[] data, ref int at, int end, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64 && at < end; shift += 7)
        {
            byte b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static void WriteVarint(List<byte> bytes, ulong value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
    }

    private static int VarintSize(ulong value)
    {
        int size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static bool IsText(byte[] bytes) => bytes.All(b => b is >= 0x20 and < 0x7F);

    private static string Show(byte[] bytes) => bytes.Length <= 24 && IsText(bytes) ? Encoding.ASCII.GetString(bytes) : $"{bytes.Length} bytes";
}
