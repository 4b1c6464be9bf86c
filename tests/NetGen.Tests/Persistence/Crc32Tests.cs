using System;
using System.Collections.Generic;
using System.Text;
using NetGen;

namespace NetGen.Tests.Persistence;

/// <summary>The CRC-32 and the topology fingerprint against their published check values.</summary>
public class Crc32Tests
{
    [Fact]
    public void Crc32_CheckValue() => Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void Crc32_OfNothingIsZero() => Assert.Equal(0u, Crc32.Compute([]));

    [Fact]
    public void Crc32_OfTwoSpansEqualsOneGo()
    {
        byte[] all = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");

        // The well-known CRC-32 of this sentence (zlib.crc32 gives the same).
        Assert.Equal(0x414FA339u, Crc32.Compute(all));
        Assert.Equal(0x414FA339u, Crc32.Compute(all.AsSpan(0, 10), all.AsSpan(10)));
        Assert.Equal(0x414FA339u, Crc32.Compute([], all));
        Assert.Equal(0x414FA339u, Crc32.Compute(all, []));
    }

    [Fact]
    public void Crc32_EqualsTheTableDrivenCodeItReplaced()
    {
        // System.IO.Hashing takes vectorised paths for longer inputs and a scalar one for the tail: every length
        // from 0 to 1,100 and a few long ones, split at every kind of place, must give what NetGen computed before.
        var random = new DeterministicRandom(2024);
        var data = new byte[70_001];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)random.NextUInt64();
        }

        var lengths = new List<int>();
        for (int n = 0; n <= 1_100; n++)
        {
            lengths.Add(n);
        }

        lengths.AddRange([4_095, 4_096, 4_097, 65_536, 70_001]);
        foreach (int length in lengths)
        {
            ReadOnlySpan<byte> span = data.AsSpan(0, length);
            uint expected = TableCrc32(span);
            Assert.True(expected == Crc32.Compute(span), $"length {length}");
            int split = length == 0 ? 0 : random.NextInt32(length + 1);
            Assert.True(expected == Crc32.Compute(span[..split], span[split..]), $"length {length} split at {split}");
        }
    }

    /// <summary>The CRC-32 NetGen computed by hand until it used System.IO.Hashing: one table lookup per byte.</summary>
    private static uint TableCrc32(ReadOnlySpan<byte> data)
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        uint state = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            state = table[(state ^ b) & 0xFF] ^ (state >> 8);
        }

        return ~state;
    }

    [Theory]
    [InlineData("", 0xCBF29CE484222325UL)]
    [InlineData("a", 0xAF63DC4C8601EC8CUL)]
    [InlineData("foobar", 0x85944171F73967E8UL)]
    public void TopologyFingerprint_IsFnv1a64(string text, ulong expected) => Assert.Equal(expected, ModelFile.TopologyFingerprint(text));
}
