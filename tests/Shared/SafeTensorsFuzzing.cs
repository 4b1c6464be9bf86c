using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.TestFixtures;

/// <summary>
/// Mutations of a safetensors file that know its layout (8-byte header length, JSON header, buffer), and the fixed
/// lists of hostile files both readers are fuzzed with: headers nested 100,000 deep and at each reader's depth limit,
/// and sizes declared far past anything the file holds. Linked into the runtime's interop tests and the generator's
/// tests (tests/Shared), so both readers meet the same inputs.
/// </summary>
internal static class SafeTensorsFuzzing
{
    /// <summary>The nesting of the deep cases: 100,000 levels, as <see cref="SafeTensorsFixtures.DeepNesting"/>.</summary>
    public const int Deep = 100_000;

    private static readonly string[] Numbers =
    [
        "0", "1", "2", "3", "4", "6", "8", "12", "24", "-1", "-0", "01", "1.0", "1e2", "0x10", "+1",
        "2147483647", "2147483648", "4294967295", "4294967296", "9223372036854775807", "9223372036854775808",
        "18446744073709551615", "18446744073709551616", "-9223372036854775808", "-9223372036854775809",
    ];

    /// <summary>Lengths of digit strings: around 64-bit integers' 20 digits, and around the 100 characters a message quotes.</summary>
    private static readonly int[] DigitLengths = [19, 20, 21, 99, 100, 101, 102, 103, 104, 105, 200, 1000];

    private static readonly string[] Strings =
    [
        string.Empty, "F32", "F64", "F16", "BF16", "I8", "U8", "I64", "F4", "F6_E2M3", "F8_E4M3", "BOOL", "C64", "f32", "F32 ",
        "__metadata__", "dtype", "shape", "data_offsets", "format", "pt", "netgen.topology",
        "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "1.weight", "00.weight", "-0.weight", "0.weight_ih_l0",
        "gru.weight_ih_l0", "fc.bias", "99999999999.weight", "2147483647.weight", "2147483648.weight", "0.Weight", "0..weight",
        "\\uD800", "\\uDC00\\uD800", "\\u0000", "\\ud83d\\ude00", "\\\"", "\\\\", "\\n", "\\x", "\\u12", "é", "\u0001",
    ];

    private static readonly string[] Insertions = ["{", "}", "[", "]", ",", ":", "\"", "null", "true", "0", "-1", "\"x\"", " ", "{}", "[]", "\"a\":1"];

    private static readonly int[] WrapDepths = [1, 2, 3, 4, 5, 63, 64, 65, 100, 1000, Deep];

    /// <summary>A structured mutation for <see cref="FileFuzzer.Mutants"/>: one edit of the JSON header's tokens or of the buffer, the length fixed.</summary>
    public static byte[] Mutate(byte[] file, ref SplitMix64 random, List<string> steps)
    {
        if (!TrySplit(file, out string header, out byte[] buffer))
        {
            return ByteMutator.Mutate(file, ref random, steps);
        }

        List<string> tokens = Tokenize(header);
        int roll = random.Next(100);
        ulong? declared = null;
        if (roll < 20)
        {
            if (!TryPick(tokens, IsNumber, ref random, out int at))
            {
                return ByteMutator.Mutate(file, ref random, steps);
            }

            string number = random.Chance(70) ? random.Pick(Numbers) : Digits(ref random);
            steps.Add($"number {Show(tokens[at])} (token {at}) replaced by {Show(number)}");
            tokens[at] = number;
        }
        else if (roll < 35)
        {
            if (!TryPick(tokens, IsString, ref random, out int at))
            {
                return ByteMutator.Mutate(file, ref random, steps);
            }

            string text = random.Chance(40) && TryPick(tokens, IsString, ref random, out int other)
                ? tokens[other][1..^1]
                : random.Chance(85) ? random.Pick(Strings) : new string('n', random.Pick([99, 100, 101, 4096, 70_000]));
            steps.Add($"string {Show(tokens[at])} (token {at}) replaced by {Show("\"" + text + "\"")}");
            tokens[at] = "\"" + text + "\"";
        }
        else if (roll < 43)
        {
            int at = random.Next(tokens.Count);
            steps.Add($"token {at} {Show(tokens[at])} deleted");
            tokens.RemoveAt(at);
        }
        else if (roll < 49)
        {
            int at = random.Next(tokens.Count);
            steps.Add($"token {at} {Show(tokens[at])} doubled");
            tokens.Insert(at, tokens[at]);
        }
        else if (roll < 54)
        {
            int a = random.Next(tokens.Count), b = random.Next(tokens.Count);
            steps.Add($"tokens {a} {Show(tokens[a])} and {b} {Show(tokens[b])} swapped");
            (tokens[a], tokens[b]) = (tokens[b], tokens[a]);
        }
        else if (roll < 60)
        {
            int at = random.Next(tokens.Count + 1);
            string inserted = random.Pick(Insertions);
            steps.Add($"{Show(inserted)} inserted at token {at}");
            tokens.Insert(at, inserted);
        }
        else if (roll < 70)
        {
            if (!TryPick(tokens, (t, i) => StartsValue(t, i), ref random, out int at))
            {
                return ByteMutator.Mutate(file, ref random, steps);
            }

            int end = ValueEnd(tokens, at);
            int depth = random.Pick(WrapDepths);
            bool objects = random.Chance(40);
            steps.Add($"the value at token {at} {Show(tokens[at])} wrapped in {depth} {(objects ? "objects" : "lists")}");
            tokens.Insert(end + 1, Repeat(objects ? "}" : "]", depth));
            tokens.Insert(at, Repeat(objects ? "{\"a\":" : "[", depth));
        }
        else if (roll < 78)
        {
            List<(int Key, int End)> entries = Entries(tokens);
            if (entries.Count == 0)
            {
                return ByteMutator.Mutate(file, ref random, steps);
            }

            (int key, int end) = random.Pick(entries);
            if (random.Chance(60))
            {
                steps.Add($"entry {Show(tokens[key])} repeated");
                tokens.InsertRange(end + 1, [",", .. tokens.GetRange(key, end - key + 1)]);
            }
            else
            {
                steps.Add($"entry {Show(tokens[key])} removed");
                int from = key > 0 && tokens[key - 1] == "," ? key - 1 : key;
                int to = from == key && end + 1 < tokens.Count && tokens[end + 1] == "," ? end + 1 : end;
                tokens.RemoveRange(from, to - from + 1);
            }
        }
        else if (roll < 90)
        {
            if (buffer.Length == 0)
            {
                buffer = [0];
                steps.Add("a byte added to the empty buffer");
            }
            else
            {
                int kind = random.Next(3);
                int at = random.Next(buffer.Length);
                buffer = (byte[])buffer.Clone();
                if (kind == 0)
                {
                    int bit = random.Next(8);
                    buffer[at] ^= (byte)(1 << bit);
                    steps.Add($"bit {bit} of buffer byte {at} flipped");
                }
                else if (kind == 1)
                {
                    steps.Add($"buffer cut to {at} bytes");
                    buffer = buffer.AsSpan(0, at).ToArray();
                }
                else
                {
                    int more = random.Pick([1, 2, 4, 8, 24]);
                    steps.Add($"{more} bytes added to the buffer");
                    buffer = [.. buffer, .. new byte[more]];
                }
            }
        }
        else if (roll < 95)
        {
            declared = random.Pick(ByteMutator.InterestingIntegers);
            steps.Add($"header length set to {declared}");
        }
        else
        {
            string padding = random.Pick([" ", "        ", "\t", "\n", "\0", "\u00A0"]);
            steps.Add($"{Show(padding)} appended to the header");
            tokens.Add(padding);
        }

        byte[] json = Encoding.UTF8.GetBytes(string.Concat(tokens));
        return SafeTensorsBytes.WithLength(declared ?? (ulong)json.Length, json, buffer);
    }

    /// <summary>
    /// Files of <see cref="SafeTensorsFixtures.Topology"/> nested deep: __metadata__, a tensor entry, a shape, the
    /// offsets and the whole header, each 100,000 levels of lists, objects and both, closed and unclosed, and at
    /// the depths around each reader's limit (the runtime's 4, the generator's 64).
    /// </summary>
    public static IEnumerable<(string Name, byte[] File)> DeepNesting()
    {
        foreach (int depth in new[] { 2, 3, 4, 5, 63, 64, 65, Deep })
        {
            yield return ($"__metadata__ of {depth} nested lists", Fixture(metadata: Repeat("[", depth) + Repeat("]", depth)));
            yield return ($"__metadata__ of {depth} nested objects", Fixture(metadata: Repeat("{\"a\":", depth) + "\"v\"" + Repeat("}", depth)));
            yield return ($"__metadata__ of {depth} lists and objects", Fixture(metadata: Repeat("[{\"a\":", depth) + "1" + Repeat("}]", depth)));
            yield return ($"a __metadata__ string inside {depth} objects", Fixture(metadata: "{\"format\":" + Repeat("{\"a\":", depth) + "\"pt\"" + Repeat("}", depth) + "}"));
            yield return ($"the shape of 0.weight inside {depth} lists", Fixture(shape: Repeat("[", depth) + "2,3" + Repeat("]", depth)));
            yield return ($"the data_offsets of 0.weight inside {depth} lists", Fixture(offsets: Repeat("[", depth) + "0,24" + Repeat("]", depth)));
            yield return ($"the entry of 0.weight inside {depth} lists", Fixture(entry: Repeat("[", depth) + Entry("F32", "[2,3]", "[0,24]") + Repeat("]", depth)));
            yield return ($"the header inside {depth} lists", WithHeader(Repeat("[", depth) + Header(null, null, null, null) + Repeat("]", depth)));
            yield return ($"a tensor named after {depth} nested objects", WithHeader(Header(null, null, null, null)[..^1] + ",\"x\":" + Repeat("{\"a\":", depth) + "0" + Repeat("}", depth) + "}"));
        }

        yield return ($"__metadata__ of {Deep} unclosed lists", Fixture(metadata: Repeat("[", Deep)));
        yield return ($"__metadata__ of {Deep} unclosed objects", Fixture(metadata: Repeat("{\"a\":", Deep)));
        yield return ($"a header of {Deep} opening braces", WithHeader(Repeat("{", Deep)));
        yield return ($"a header of {Deep} opening brackets", WithHeader("{\"__metadata__\":" + Repeat("[", Deep) + "}"));
        yield return ($"__metadata__ of {Deep} lists closed by braces", Fixture(metadata: Repeat("[", Deep) + Repeat("}", Deep)));
    }

    /// <summary>
    /// Files of <see cref="SafeTensorsFixtures.Topology"/> declaring sizes far past the file: header lengths up to
    /// 2^64 - 1, offsets past 2^63 and 2^64, shapes whose products overflow 64 bits (in elements and in bits), element
    /// counts of 2^31, a shape of 100,000 dimensions, 30,000 tensors, 100,000 metadata entries, the 100,000,000-byte
    /// header limit, and more.
    /// </summary>
    public static IEnumerable<(string Name, byte[] File)> HugeSizes()
    {
        byte[] valid = Fixture();
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        byte[] header = valid.AsSpan(8, headerLength).ToArray();
        byte[] buffer = valid.AsSpan(8 + headerLength).ToArray();
        foreach (ulong length in new ulong[]
        {
            0, 1, (ulong)headerLength - 1, (ulong)headerLength + 1, (ulong)(valid.Length - 8), (ulong)(valid.Length - 7), 0x7FFF_FFFF, 0x8000_0000,
            0xFFFF_FFFF, 0x1_0000_0000, 0x1_0000_0000 + (ulong)headerLength, 99_999_999, 100_000_000, 100_000_001,
            0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF,
        })
        {
            yield return ($"a header length of {length}", SafeTensorsBytes.WithLength(length, header, buffer));
        }

        string[] offsets =
        [
            "[0,18446744073709551615]", "[18446744073709551615,0]", "[18446744073709551615,18446744073709551615]",
            "[9223372036854775808,9223372036854775832]", "[0,4294967296]", "[4294967296,4294967320]", "[0,18446744073709551616]",
            "[0,24,48]", "[0]", "[]", "[24,0]", "[-1,23]", "[0,23]", "[0,25]", "[1,25]",
        ];
        foreach (string offset in offsets)
        {
            yield return ($"0.weight's data_offsets {offset}", Fixture(offsets: offset));
        }

        (string Shape, string Offsets)[] shapes =
        [
            ("[4294967296,4294967296]", "[0,24]"), ("[9223372036854775808,2]", "[0,24]"), ("[18446744073709551615]", "[0,24]"),
            ("[4611686018427387904]", "[0,24]"), ("[2305843009213693952]", "[0,0]"), ("[2147483648]", "[0,8589934592]"),
            ("[2147483647]", "[0,8589934588]"), ("[1073741824,2]", "[0,8589934592]"), ("[2,3,2147483648]", "[0,51539607552]"),
            ("[4294967296,0]", "[0,0]"), ("[0,18446744073709551615]", "[0,0]"), ("[2147483648,2147483648,2147483648]", "[0,24]"),
            ("[" + string.Join(",", Enumerable.Repeat("1", Deep)) + "]", "[0,4]"), ("[" + string.Join(",", Enumerable.Repeat("2", 64)) + "]", "[0,24]"),
            ("[18446744073709551616]", "[0,24]"), ("[-2,3]", "[0,24]"), ("[2.0,3]", "[0,24]"), ("[2e0,3]", "[0,24]"),
        ];
        foreach ((string shape, string offset) in shapes)
        {
            yield return ($"0.weight of shape {Show(shape)}, data_offsets {offset}", Fixture(shape: shape, offsets: offset));
        }

        // Counts: 30,000 more tensors (each load of them takes about 0.1 s); 100,000 metadata entries; names and
        // numbers of a million characters.
        var many = new StringBuilder(Header(null, null, null, null)[..^1]);
        for (int i = 0; i < 30_000; i++)
        {
            many.Append(CultureInfo.InvariantCulture, $",\"{1000 + i}.weight\":{{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[24,24]}}");
        }

        yield return ("30,000 more tensors, empty", WithHeader(many.Append('}').ToString()));
        yield return ($"__metadata__ of {Deep} entries", Fixture(metadata: "{" + string.Join(",", Enumerable.Range(0, Deep).Select(i => $"\"k{i}\":\"v\"")) + "}"));
        yield return ("a tensor name of 1,000,000 characters", WithHeader(Header(null, null, null, null)[..^1] + ",\"" + new string('w', 1_000_000) + "\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[40,40]}}"));
        yield return ("a dtype of 1,000,000 characters", Fixture(dtype: new string('F', 1_000_000)));
        yield return ("a number of 1,000,000 digits", Fixture(shape: "[" + new string('9', 1_000_000) + "]"));
    }

    /// <summary>The fixture's valid F32 file, with one part of 0.weight's entry, or the metadata, replaced.</summary>
    public static byte[] Fixture(string? metadata = null, string? dtype = null, string? shape = null, string? offsets = null, string? entry = null) =>
        WithHeader(Header(metadata, dtype, shape, offsets, entry));

    private static string Header(string? metadata, string? dtype, string? shape, string? offsets, string? entry = null) =>
        "{\"__metadata__\":" + (metadata ?? "{\"format\":\"pt\"}")
        + ",\"0.weight\":" + (entry ?? Entry(dtype ?? "F32", shape ?? "[2,3]", offsets ?? "[0,24]"))
        + ",\"0.bias\":" + Entry("F32", "[2]", "[24,32]")
        + ",\"2.weight\":" + Entry("F32", "[1,2]", "[32,40]") + "}";

    private static string Entry(string dtype, string shape, string offsets) =>
        $"{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":{offsets}}}";

    private static byte[] WithHeader(string header) =>
        SafeTensorsBytes.File(header, SafeTensorsBytes.F32([.. SafeTensorsFixtures.Weight0, .. SafeTensorsFixtures.Bias0, .. SafeTensorsFixtures.Weight2]));

    private static bool TrySplit(byte[] file, out string header, out byte[] buffer)
    {
        header = string.Empty;
        buffer = [];
        if (file.Length < 9)
        {
            return false;
        }

        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (length == 0 || length > (ulong)(file.Length - 8))
        {
            return false;
        }

        try
        {
            header = new UTF8Encoding(false, true).GetString(file, 8, (int)length);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        buffer = file.AsSpan(8 + (int)length).ToArray();
        return true;
    }

    /// <summary>JSON tokens, loosely: strings (with their quotes), numbers, words, runs of whitespace, single characters.</summary>
    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            int start = i;
            char c = text[i];
            if (c == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    i += text[i] == '\\' ? 2 : 1;
                }

                i = Math.Min(text.Length, i + 1);
            }
            else if (char.IsWhiteSpace(c))
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }
            }
            else if (c == '-' || char.IsAsciiDigit(c))
            {
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] is '-' or '+' or '.' or 'e' or 'E'))
                {
                    i++;
                }
            }
            else if (char.IsAsciiLetter(c))
            {
                while (i < text.Length && char.IsAsciiLetter(text[i]))
                {
                    i++;
                }
            }
            else
            {
                i++;
            }

            tokens.Add(text[start..i]);
        }

        return tokens;
    }

    private static bool IsNumber(string token, int index) => token.Length > 0 && (token[0] == '-' || char.IsAsciiDigit(token[0]));

    private static bool IsString(string token, int index) => token.Length >= 2 && token[0] == '"' && token[^1] == '"';

    private static bool StartsValue(string token, int index) => token is "{" or "[" || IsString(token, index) || IsNumber(token, index) || token is "null" or "true" or "false";

    private static bool TryPick(List<string> tokens, Func<string, int, bool> where, ref SplitMix64 random, out int index)
    {
        var found = new List<int>();
        for (int i = 0; i < tokens.Count; i++)
        {
            if (where(tokens[i], i))
            {
                found.Add(i);
            }
        }

        index = found.Count == 0 ? -1 : random.Pick(found);
        return found.Count > 0;
    }

    /// <summary>The last token of the value starting at <paramref name="start"/>: its matching bracket, or itself.</summary>
    private static int ValueEnd(List<string> tokens, int start)
    {
        if (tokens[start] is not ("{" or "["))
        {
            return start;
        }

        int depth = 0;
        for (int i = start; i < tokens.Count; i++)
        {
            depth += tokens[i] is "{" or "[" ? 1 : tokens[i] is "}" or "]" ? -1 : 0;
            if (depth == 0)
            {
                return i;
            }
        }

        return tokens.Count - 1;
    }

    /// <summary>The top-level entries: each key's token and the last token of its value.</summary>
    private static List<(int Key, int End)> Entries(List<string> tokens)
    {
        var entries = new List<(int, int)>();
        int depth = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            if (depth == 1 && IsString(token, i))
            {
                int colon = i + 1;
                while (colon < tokens.Count && string.IsNullOrWhiteSpace(tokens[colon]))
                {
                    colon++;
                }

                int value = colon + 1;
                while (value < tokens.Count && string.IsNullOrWhiteSpace(tokens[value]))
                {
                    value++;
                }

                if (colon < tokens.Count && tokens[colon] == ":" && value < tokens.Count)
                {
                    int end = ValueEnd(tokens, value);
                    entries.Add((i, end));
                    i = end;
                    continue;
                }
            }

            depth += token is "{" or "[" ? 1 : token is "}" or "]" ? -1 : 0;
        }

        return entries;
    }

    private static string Digits(ref SplitMix64 random)
    {
        int length = random.Pick(DigitLengths);
        var digits = new StringBuilder(length + 1);
        if (random.Chance(20))
        {
            digits.Append('-');
        }

        digits.Append((char)('1' + random.Next(9)));
        for (int i = 1; i < length; i++)
        {
            digits.Append((char)('0' + random.Next(10)));
        }

        return digits.ToString();
    }

    private static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    private static string Show(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), $"… ({text.Length} characters)");
}
