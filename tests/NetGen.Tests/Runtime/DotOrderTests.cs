using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace NetGen.Tests.Runtime;

/// <summary>
/// Kernels.Dot's documented order, which is what makes a trained network the same bits on every machine: element i
/// goes to partial sum i mod 32 (float) or 16 (double), each starting at +0 and taking its elements in order, and the
/// partial sums are added in halves (sum j plus sum j + half) down to one. Each width's code (512, 256 and 128-bit
/// vectors and none) is run here directly, in software where this machine lacks the vectors, and must give that
/// definition's bits for every length, including signed zeros, infinities and values whose sum depends on the order.
/// </summary>
public sealed class DotOrderTests
{
    private delegate T Path<T>(ref T x, ref T y, int n);

    [Fact]
    public void Every_width_gives_the_bits_of_the_documented_order_in_float() =>
        EveryWidth<float>(32, seed: 1);

    [Fact]
    public void Every_width_gives_the_bits_of_the_documented_order_in_double() =>
        EveryWidth<double>(16, seed: 2);

    [Fact]
    public void The_order_is_not_left_to_right_so_the_test_above_can_tell_orders_apart()
    {
        // Values of mixed magnitude: a left-to-right sum rounds differently, so a kernel that summed in another
        // order would fail the comparison above.
        int differing = 0;
        var random = new Random(3);
        for (int n = 33; n < 200; n++)
        {
            float[] x = Values<float>(random, n), y = Values<float>(random, n);
            float sequential = 0;
            for (int i = 0; i < n; i++)
            {
                sequential += x[i] * y[i];
            }

            differing += Bits(Definition(x, y, 32)) != Bits(sequential) ? 1 : 0;
        }

        Assert.True(differing > 50, $"only {differing} of 167 sums depend on the order");
    }

    [Fact]
    public void Products_of_negative_zero_sum_to_positive_zero_on_every_width()
    {
        // 0 * -1 is -0; partial sums start at +0, and +0 + -0 is +0, so every path must give +0, not -0.
        for (int n = 1; n < 70; n++)
        {
            double[] x = new double[n], y = new double[n];
            Array.Fill(y, -1.0);
            foreach (Path<double> path in Paths<double>())
            {
                Assert.Equal(0L, BitConverter.DoubleToInt64Bits(Run(path, x, y)));
            }
        }
    }

    [Fact]
    public void DotRows_four_rows_at_a_time_gives_the_bits_of_one_Dot_per_row()
    {
        var random = new Random(4);
        foreach (int n in new[] { 1, 15, 16, 17, 31, 32, 33, 47, 48, 64, 100, 784 })
        {
            float[] w = Values<float>(random, n), rows = Values<float>(random, 4 * n);
            float[] sums = new float[4];
            Kernels.DotFourRows512(ref w[0], ref rows[0], n, sums);
            for (int r = 0; r < 4; r++)
            {
                Assert.Equal(Bits(Definition(w, rows.AsSpan(r * n, n).ToArray(), 32)), Bits(sums[r]));
            }
        }
    }

    private static void EveryWidth<T>(int partialSums, int seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Assert.Equal(partialSums, Kernels.PartialSums<T>());
        var random = new Random(seed);
        int compared = 0;
        for (int n = 0; n <= 300; n++)
        {
            T[] x = Values<T>(random, n), y = Values<T>(random, n);
            long expected = Bits(Definition(x, y, partialSums));
            foreach (Path<T> path in Paths<T>())
            {
                Assert.True(expected == Bits(Run(path, x, y)), $"{path.Method.Name}, n = {n}");
                compared++;
            }

            // And the public kernel, on this machine's widest vectors.
            Assert.Equal(expected, Bits(Kernels.Dot<T>(x, y)));
        }

        Assert.Equal(4 * 301, compared);
    }

    private static Path<T>[] Paths<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        [Kernels.Dot512, Kernels.Dot256, Kernels.Dot128, Kernels.DotScalar];

    private static T Run<T>(Path<T> path, T[] x, T[] y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        path(ref MemoryMarshal.GetArrayDataReference(x), ref MemoryMarshal.GetArrayDataReference(y), x.Length);

    /// <summary>The documented order, written out from its definition.</summary>
    private static T Definition<T>(T[] x, T[] y, int partialSums)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var sums = new T[partialSums];
        Array.Fill(sums, T.Zero);
        for (int i = 0; i < x.Length; i++)
        {
            sums[i % partialSums] = sums[i % partialSums] + (x[i] * y[i]);
        }

        for (int half = partialSums / 2; half >= 1; half /= 2)
        {
            for (int j = 0; j < half; j++)
            {
                sums[j] = sums[j] + sums[j + half];
            }
        }

        return sums[0];
    }

    /// <summary>Mixed magnitudes (so the order shows in the last bits), with zeros of both signs and the odd infinity.</summary>
    private static T[] Values<T>(Random random, int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var values = new T[n];
        for (int i = 0; i < n; i++)
        {
            int kind = random.Next(40);
            values[i] = kind switch
            {
                0 => T.Zero,
                1 => T.NegativeZero,
                _ => T.CreateTruncating((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-20, 21))),
            };
        }

        // One length in seven holds an infinity, so the paths must agree on where it goes (and on NaN when 0 meets it).
        if (n > 0 && random.Next(7) == 0)
        {
            values[random.Next(n)] = T.PositiveInfinity;
        }

        return values;
    }

    private static long Bits<T>(T value)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? BitConverter.SingleToInt32Bits((float)(object)value) : BitConverter.DoubleToInt64Bits((double)(object)value);
}
