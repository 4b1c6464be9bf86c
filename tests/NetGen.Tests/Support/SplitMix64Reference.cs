using System.Numerics;

namespace NetGen.Tests.Support;

/// <summary>
/// SplitMix64 written again from the published reference algorithm (Vigna's splitmix64.c) in arbitrary-precision
/// arithmetic: every step is reduced modulo 2^64 explicitly, so no C# overflow rule or unsigned trick is shared with
/// the runtime's implementation under test.
/// </summary>
public sealed class SplitMix64Reference(long seed)
{
    private static readonly BigInteger Modulus = BigInteger.One << 64;
    private static readonly BigInteger Gamma = BigInteger.Parse("09E3779B97F4A7C15", System.Globalization.NumberStyles.HexNumber);
    private static readonly BigInteger Mix1 = BigInteger.Parse("0BF58476D1CE4E5B9", System.Globalization.NumberStyles.HexNumber);
    private static readonly BigInteger Mix2 = BigInteger.Parse("094D049BB133111EB", System.Globalization.NumberStyles.HexNumber);

    // Two's complement: a negative seed is seed + 2^64.
    private BigInteger _state = ((new BigInteger(seed) % Modulus) + Modulus) % Modulus;

    public BigInteger Next()
    {
        _state = (_state + Gamma) % Modulus;
        BigInteger z = _state;
        z = ((z ^ (z >> 30)) * Mix1) % Modulus;
        z = ((z ^ (z >> 27)) * Mix2) % Modulus;
        return z ^ (z >> 31);
    }

    /// <summary>How many draws <see cref="NextInt32"/> has rejected.</summary>
    public int Rejections { get; private set; }

    public ulong NextUInt64() => (ulong)Next();

    /// <summary>The top 53 bits as a fraction of 2^53: exact, since every such value is a double.</summary>
    public double NextDouble() => (double)(Next() >> 11) / 9007199254740992.0;

    /// <summary>
    /// Lemire's nearly divisionless method, from the paper's definition: m = (x >> 32) * range; accept when
    /// m mod 2^32 &gt;= 2^32 mod range; the result is m / 2^32.
    /// </summary>
    public int NextInt32(int maxExclusive)
    {
        BigInteger range = maxExclusive;
        BigInteger two32 = BigInteger.One << 32;
        BigInteger threshold = two32 % range;
        while (true)
        {
            BigInteger m = (Next() >> 32) * range;
            if (m % two32 >= threshold)
            {
                return (int)(m / two32);
            }

            Rejections++;
        }
    }
}
