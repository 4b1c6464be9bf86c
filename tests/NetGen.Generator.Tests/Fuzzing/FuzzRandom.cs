using System.Collections.Generic;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed by this file alone, so a case seed printed today replays the
/// same mutant on any .NET version (System.Random promises no such thing across versions).
/// </summary>
internal struct FuzzRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The seed of case <paramref name="index"/> of a campaign: a hash of both, so neighbouring cases differ.</summary>
    public static ulong CaseSeed(ulong masterSeed, int index)
    {
        var mixer = new FuzzRandom(masterSeed ^ (0xD1B54A32D192ED03UL * (ulong)(index + 1)));
        return mixer.NextULong();
    }

    public ulong NextULong()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, <paramref name="count"/>).</summary>
    public int Next(int count) => count <= 1 ? 0 : (int)(NextULong() % (ulong)count);

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public int Next(int min, int max) => min + Next(max - min);

    /// <summary>True with probability <paramref name="percent"/>/100.</summary>
    public bool Chance(int percent) => Next(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}
