using System;

namespace NetGen;

/// <summary>The Fisher–Yates shuffle over <see cref="DeterministicRandom"/> that splitting and training share.</summary>
internal static class Shuffling
{
    /// <summary>
    /// Shuffles <paramref name="values"/> in place (Durstenfeld's Fisher–Yates: for i from n - 1 down to 1, swap
    /// element i with a uniform j in [0, i]). Allocates nothing.
    /// </summary>
    public static void Shuffle(Span<int> values, ref DeterministicRandom random)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = random.NextInt32(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>A permutation of 0 .. <paramref name="count"/> - 1, fixed by <paramref name="seed"/>.</summary>
    public static int[] Permutation(int count, int seed)
    {
        int[] order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        var random = new DeterministicRandom(seed);
        Shuffle(order, ref random);
        return order;
    }
}
