using System;

namespace NetGen;

/// <summary>
/// The CRC-32 of parameter files: CRC-32 as in zlib, PNG and Ethernet (ISO-HDLC; reflected polynomial 0xEDB88320,
/// initial value and final XOR 0xFFFFFFFF; the check value of the ASCII bytes "123456789" is 0xCBF43926), computed by
/// <see cref="System.IO.Hashing.Crc32"/>, which is that algorithm, vectorised where the processor allows.
/// </summary>
/// <remarks>
/// docs/format.md fixes the algorithm, so a file written by any version of NetGen keeps its checksum; the tests
/// check that this gives the same values as the table-driven code NetGen used before (Crc32Tests) and that files
/// saved by that code still load (ModelFileCompatibilityTests).
/// </remarks>
internal static class Crc32
{
    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => System.IO.Hashing.Crc32.HashToUInt32(data);

    /// <summary>The CRC-32 of <paramref name="first"/> followed by <paramref name="second"/>, as if they were one span.</summary>
    public static uint Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var crc = new System.IO.Hashing.Crc32();
        crc.Append(first);
        crc.Append(second);
        return crc.GetCurrentHashAsUInt32();
    }
}
