using System;
using System.Numerics;

namespace NetGen.Tests.Support;

/// <summary>Seeded test data. System.Random with a seed has a fixed sequence, and is independent of the runtime under test.</summary>
public static class TestData
{
    /// <summary>Fills <paramref name="values"/> uniformly from [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static void Fill<T>(Span<T> values, Random random, double low = -1, double high = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(low + ((high - low) * random.NextDouble()));
        }
    }

    /// <summary>A new array of <paramref name="length"/> values uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static T[] Array<T>(int length, Random random, double low = -1, double high = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[length];
        Fill<T>(values, random, low, high);
        return values;
    }

    /// <summary>
    /// Gives a network random parameters, biases included (a new network's biases are all zero, which would
    /// hide a bias that is added in the wrong place).
    /// </summary>
    public static void RandomizeParameters<T>(INetwork<T> network, Random random, double scale = 0.5)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Fill(network.Parameters, random, -scale, scale);

    /// <summary>A sentinel that reading would poison (NaN) or that is easy to see if written over.</summary>
    public static void FillSentinel<T>(Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = i % 2 == 0 ? T.NaN : T.CreateChecked(1e6 + i);
        }
    }
}
