using System;
using System.Numerics;
using NetGen;

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
    /// Targets fit for the network's loss: for cross-entropy, probabilities summing to exactly 1 (one-hot, or a dyadic
    /// mixture such as 0.25 / 0.75, exact in float and double, since the fused slope p - t assumes the sum is 1); for
    /// binary cross-entropy, values in [0, 1); for mean squared error, values in [-1, 1).
    /// </summary>
    public static void FillTargets<T>(NetworkCase network, Span<T> targets, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (network.Loss)
        {
            case LossFunction.CrossEntropy:
                targets.Clear();
                int first = random.Next(targets.Length), second = random.Next(targets.Length);
                double share = random.Next(5) * 0.25;
                targets[first] += T.CreateChecked(1 - share);
                targets[second] += T.CreateChecked(share);
                break;
            case LossFunction.BinaryCrossEntropy:
                Fill(targets, random, 0, 1);
                break;
            default:
                Fill(targets, random, -1, 1);
                break;
        }
    }

    /// <summary>A new array of targets for <paramref name="samples"/> samples; see <see cref="FillTargets{T}"/>.</summary>
    public static T[] Targets<T>(NetworkCase network, Random random, int samples = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var targets = new T[samples * network.Outputs];
        for (int s = 0; s < samples; s++)
        {
            FillTargets<T>(network, targets.AsSpan(s * network.Outputs, network.Outputs), random);
        }

        return targets;
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
