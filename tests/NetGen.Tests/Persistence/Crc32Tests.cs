using System;
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
    public void Crc32_AppendEqualsOneGo()
    {
        byte[] all = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");

        // The well-known CRC-32 of this sentence (zlib.crc32 gives the same).
        Assert.Equal(0x414FA339u, Crc32.Compute(all));
        Assert.Equal(0x414FA339u, Crc32.Append(Crc32.Compute(all.AsSpan(0, 10)), all.AsSpan(10)));
    }

    [Theory]
    [InlineData("", 0xCBF29CE484222325UL)]
    [InlineData("a", 0xAF63DC4C8601EC8CUL)]
    [InlineData("foobar", 0x85944171F73967E8UL)]
    public void TopologyFingerprint_IsFnv1a64(string text, ulong expected) => Assert.Equal(expected, ModelFile.TopologyFingerprint(text));
}
