using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.Intrinsics;
using Xunit.Abstractions;

namespace NetGen.Tests.Runtime;

/// <summary>
/// Kernels, on every vector width this machine can run (512, 256 and 128 bits, and none), for float and double, on
/// lengths around every vector size (so each whole-vector loop and each scalar tail runs). The element-wise kernels
/// must equal their scalar expression bit for bit; the dot product must stay within the rounding bound of any order
/// of summation.
/// </summary>
public sealed class KernelsTests(ITestOutputHelper output)
{
    private static readonly int[] Lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 66, 127, 128, 130, 784];

    public static TheoryData<int> Widths()
    {
        var widths = new TheoryData<int> { 0 };
        if (Vector128.IsHardwareAccelerated)
        {
            widths.Add(128);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            widths.Add(256);
        }

        if (Vector512.IsHardwareAccelerated)
        {
            widths.Add(512);
        }

        return widths;
    }

    [Fact]
    public void VectorBits_is_the_widest_accelerated_width()
    {
        int expected = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;
        Assert.Equal(expected, Kernels.VectorBits);

        // NetGen.Package.Tests' VectorWidthTests run these tests with narrower vectors and read this line back, so
        // that a switch the runtime ignored cannot pass for a test of that width.
        output.WriteLine($"Kernels.VectorBits = {Kernels.VectorBits}");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Element_wise_kernels_equal_their_scalar_expressions_bit_for_bit(int bits)
    {
        int checkedValues = ElementWise<float>(bits, new Random(bits + 1)) + ElementWise<double>(bits, new Random(bits + 2));
        Assert.True(checkedValues > 10_000, $"{checkedValues} values checked");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Dot_is_within_the_rounding_bound_of_the_exact_sum(int bits)
    {
        Dot<float>(bits, new Random(bits + 3), Math.Pow(2, -24));
        Dot<double>(bits, new Random(bits + 4), Math.Pow(2, -53));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void DotRows_gives_the_bits_of_one_Dot_per_row(int bits)
    {
        int compared = DotRows<float>(bits, new Random(bits + 7)) + DotRows<double>(bits, new Random(bits + 8));
        Assert.True(compared > 1_000, $"{compared} sums compared");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void AllFinite_finds_a_NaN_or_an_infinity_anywhere(int bits)
    {
        foreach (int n in Lengths)
        {
            float[] x = Values<float>(n, new Random(n));
            x = Array.ConvertAll(x, v => v * 1e30f); // large but finite: v - v is still exactly 0
            Assert.True(Kernels.AllFinite<float>(x, bits), $"{bits} bits, n = {n}: finite values");
            for (int i = 0; i < n; i++)
            {
                foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                {
                    float kept = x[i];
                    x[i] = bad;
                    Assert.False(Kernels.AllFinite<float>(x, bits), $"{bits} bits, n = {n}: {bad} at {i}");
                    double[] d = Array.ConvertAll(x, v => (double)v);
                    Assert.False(Kernels.AllFinite<double>(d, bits), $"double, {bits} bits, n = {n}: {bad} at {i}");
                    x[i] = kept;
                }
            }
        }
    }

    [Fact]
    public void Dot_gives_the_same_bits_every_time()
    {
        var random = new Random(5);
        float[] x = Values<float>(784, random), y = Values<float>(784, random);
        float first = Kernels.Dot<float>(x, y);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(first), BitConverter.SingleToInt32Bits(Kernels.Dot<float>(x, y)));
        }
    }

    [Fact]
    public void Kernels_reject_spans_of_different_lengths_and_write_nothing()
    {
        float[] a = [1, 2, 3], b = [4, 5], c = [6, 7, 8];
        Assert.Throws<ArgumentException>(() => Kernels.Dot<float>(a, b));
        Assert.Throws<ArgumentException>(() => Kernels.MultiplyAdd<float>(a, 2, b));
        Assert.Throws<ArgumentException>(() => Kernels.StepRow<float>(a, b, 1, 0.5f));
        Assert.Throws<ArgumentException>(() => Kernels.BackwardRow<float>(a, c, 1, b, c));
        Assert.Throws<ArgumentException>(() => Kernels.BackwardStepRow<float>(a, c, 1, 0.5f, b));
        Assert.Throws<ArgumentException>(() => Kernels.ScaleAndStep<float>(a, b, 0.5f, 0.1f));
        Assert.Throws<ArgumentException>(() => Kernels.MultiplyAddRows<float>(c, [0, 1], [1f], c));
        Assert.Throws<ArgumentException>(() => Kernels.MultiplyAddRows<float>(c, [1], [1f], c));
        Assert.Throws<ArgumentException>(() => Kernels.MultiplyAddRows<float>(c, [-1], [1f], c));
        Assert.Throws<ArgumentException>(() => Kernels.MultiplyAddRows<float>(a, [0], [1f], b));
        Assert.Throws<ArgumentException>(() => Kernels.DotRows<float>(b, c, b));
        Assert.Equal([1f, 2f, 3f], a);
        Assert.Equal([4f, 5f], b);
        Assert.Equal([6f, 7f, 8f], c);
    }

    [Fact]
    public void The_step_is_not_fused_into_one_rounding()
    {
        // w - lr * (d * a) rounded after each operation differs from a fused multiply-add in the last bit for some
        // values; count them, so the bit-for-bit tests above are known to be able to tell the two apart.
        var random = new Random(6);
        int fusedWouldDiffer = 0;
        float[] w = Values<float>(4096, random), a = Values<float>(4096, random);
        float[] stepped = (float[])w.Clone();
        Kernels.StepRow<float>(stepped, a, 0.37f, 0.011f);
        for (int i = 0; i < w.Length; i++)
        {
            float fused = MathF.FusedMultiplyAdd(-0.011f, 0.37f * a[i], w[i]);
            fusedWouldDiffer += BitConverter.SingleToInt32Bits(fused) != BitConverter.SingleToInt32Bits(stepped[i]) ? 1 : 0;
            Assert.Equal(BitConverter.SingleToInt32Bits(w[i] - (0.011f * (0.37f * a[i]))), BitConverter.SingleToInt32Bits(stepped[i]));
        }

        Assert.True(fusedWouldDiffer > 0, "no value told the fused and unfused steps apart");
    }

    private static int ElementWise<T>(int bits, Random random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int count = 0;
        foreach (int n in Lengths)
        {
            T[] w = Values<T>(n, random), a = Values<T>(n, random), g = Values<T>(n, random), da = Values<T>(n, random);
            T slope = T.CreateChecked((random.NextDouble() * 4) - 2), rate = T.CreateChecked(random.NextDouble() * 0.1);

            // MultiplyAdd: y[i] += scale * x[i].
            T[] y = (T[])g.Clone();
            Kernels.MultiplyAdd<T>(a, slope, y, bits);
            count += Equal(y, i => g[i] + (slope * a[i]), $"MultiplyAdd, {bits} bits, n = {n}");

            // BackwardRow: da[i] += d * w[i]; g[i] += d * a[i].
            T[] g1 = (T[])g.Clone(), da1 = (T[])da.Clone();
            Kernels.BackwardRow<T>(w, a, slope, g1, da1, bits);
            count += Equal(da1, i => da[i] + (slope * w[i]), $"BackwardRow's input slopes, {bits} bits, n = {n}");
            count += Equal(g1, i => g[i] + (slope * a[i]), $"BackwardRow's gradients, {bits} bits, n = {n}");

            // StepRow: w[i] -= lr * (d * a[i]).
            T[] w2 = (T[])w.Clone();
            Kernels.StepRow<T>(w2, a, slope, rate, bits);
            count += Equal(w2, i => w[i] - (rate * (slope * a[i])), $"StepRow, {bits} bits, n = {n}");

            // BackwardStepRow: da[i] += d * w[i] (the weight before its step); w[i] -= lr * (d * a[i]).
            T[] w3 = (T[])w.Clone(), da3 = (T[])da.Clone();
            Kernels.BackwardStepRow<T>(w3, a, slope, rate, da3, bits);
            count += Equal(da3, i => da[i] + (slope * w[i]), $"BackwardStepRow's input slopes, {bits} bits, n = {n}");
            count += Equal(w3, i => w[i] - (rate * (slope * a[i])), $"BackwardStepRow's weights, {bits} bits, n = {n}");

            // MultiplyAddRows: for each listed row m in order, y[i] += scales[m] * rows[which[m]][i] (one MultiplyAdd per row).
            foreach (int[] which in new[] { new[] { 0 }, new[] { 2, 0, 1 }, new[] { 0, 1, 2, 3, 4, 5, 6, 7 }, new[] { 7, 3 }, Array.Empty<int>() })
            {
                int rowCount = 8;
                T[] rows = Values<T>(rowCount * n, random), scales = Values<T>(which.Length, random);
                T[] y5 = (T[])g.Clone(), expected5 = (T[])g.Clone();
                for (int m = 0; m < which.Length; m++)
                {
                    for (int i = 0; i < n; i++)
                    {
                        expected5[i] += scales[m] * rows[(which[m] * n) + i];
                    }
                }

                Kernels.MultiplyAddRows<T>(rows, which, scales, y5, bits);
                count += Equal(y5, i => expected5[i], $"MultiplyAddRows of rows {string.Join(",", which)}, {bits} bits, n = {n}");
            }

            // ScaleAndStep: g[i] *= s; p[i] -= lr * g[i].
            T[] p4 = (T[])w.Clone(), g4 = (T[])g.Clone();
            T scale = T.One / T.CreateChecked(1 + random.Next(64));
            Kernels.ScaleAndStep<T>(p4, g4, scale, rate, bits);
            count += Equal(g4, i => g[i] * scale, $"ScaleAndStep's gradients, {bits} bits, n = {n}");
            count += Equal(p4, i => w[i] - (rate * (g[i] * scale)), $"ScaleAndStep's parameters, {bits} bits, n = {n}");
        }

        return count;
    }

    private static void Dot<T>(int bits, Random random, double unitRoundoff)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (int n in Lengths)
        {
            for (int trial = 0; trial < 5; trial++)
            {
                T[] x = Values<T>(n, random), y = Values<T>(n, random);
                double exact = 0, magnitude = 0;
                var products = new List<double>(n);
                for (int i = 0; i < n; i++)
                {
                    // A product of two floats is exact in double; of two doubles, within a double rounding of itself.
                    double product = double.CreateChecked(x[i]) * double.CreateChecked(y[i]);
                    products.Add(product);
                    magnitude += Math.Abs(product);
                }

                exact = NeumaierSum(products);
                double actual = double.CreateChecked(Kernels.Dot<T>(x, y, bits));

                // Any order of summation of n rounded products is within gamma_n = n u / (1 - n u) of the magnitude
                // (Higham, Accuracy and Stability of Numerical Algorithms, 3.1); +1 for the products' own rounding.
                double gamma = (n + 1) * unitRoundoff / (1 - ((n + 1) * unitRoundoff));
                double bound = (gamma * magnitude) + double.Epsilon;
                Assert.True(Math.Abs(actual - exact) <= bound, $"{typeof(T).Name}, {bits} bits, n = {n}: {actual:R} vs {exact:R}, bound {bound:G3}");
            }
        }
    }

    private static int DotRows<T>(int bits, Random random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int compared = 0;
        foreach (int n in Lengths)
        {
            foreach (int rowCount in new[] { 1, 3, 4, 5, 8, 9 })
            {
                T[] w = Values<T>(n, random), rows = Values<T>(rowCount * n, random);
                var sums = new T[rowCount];
                Kernels.DotRows<T>(w, rows, sums, bits);
                compared += Equal(sums, k => Kernels.Dot<T>(w, rows.AsSpan(k * n, n), bits), $"DotRows of {rowCount} rows, {bits} bits, n = {n}");
            }
        }

        return compared;
    }

    private static double NeumaierSum(List<double> values)
    {
        double sum = 0, compensation = 0;
        foreach (double v in values)
        {
            double t = sum + v;
            compensation += Math.Abs(sum) >= Math.Abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }

        return sum + compensation;
    }

    private static int Equal<T>(T[] actual, Func<int, T> expected, string what)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int i = 0; i < actual.Length; i++)
        {
            T e = expected(i);
            Assert.True(actual[i].Equals(e), $"{what}, element {i}: {actual[i]} vs {e}");
        }

        return actual.Length;
    }

    private static T[] Values<T>(int n, Random random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var values = new T[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = T.CreateChecked((random.NextDouble() * 6) - 3);
        }

        return values;
    }
}
