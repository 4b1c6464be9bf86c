using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen;

// The lane kernels of ForwardBatch. A block of samples is held "lane by lane": value i of sample k at
// values[i * lanes + k], so the values of one input for every sample of the block sit side by side and one SIMD
// multiply-add serves them all. A node's weighted sum then needs no horizontal sum at the end, and each weight is
// loaded once for the whole block (broadcast to every lane). Every lane adds its products in input order, one
// multiply and one add each, which is the scalar loop's order: the results are the same on every machine and at
// every vector width.
public static partial class Kernels
{
    /// <summary>
    /// A layer's weighted sums for a block of samples held lane by lane:
    /// <c>sums[j * lanes + k] = weights[j * inputs] * values[k] + weights[j * inputs + 1] * values[lanes + k] + ...</c>,
    /// added left to right (input order) for every node j and lane k, where <c>lanes = values.Length / inputs</c>.
    /// The same bits whatever the vector width.
    /// </summary>
    /// <param name="weights">The layer's weights, row-major <c>[node][input]</c>.</param>
    /// <param name="values">The block's input values, lane by lane: <c>values[i * lanes + k]</c> is input i of sample k.</param>
    /// <param name="sums">Receives the sums, lane by lane: <c>sums[j * lanes + k]</c>.</param>
    /// <param name="inputs">The inputs per node (the length of a row of weights).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The spans' lengths are not whole rows, or do not describe the same lanes.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DotLanes<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> values, Span<T> sums, int inputs)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        DotLanes(weights, values, sums, inputs, VectorBits);

    /// <summary>
    /// Turns a block of samples laid out one after another into lanes: <c>lanes[i * laneCount + k] = rows[k * n + i]</c>
    /// for each of the rows' samples k, where <c>n = lanes.Length / laneCount</c>; the lanes past the last sample are
    /// set to zero.
    /// </summary>
    /// <param name="rows">At most <paramref name="laneCount"/> samples of n values each.</param>
    /// <param name="lanes">Receives n values of <paramref name="laneCount"/> lanes each.</param>
    /// <param name="laneCount">The lanes (samples) of the block.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="laneCount"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not whole samples, or holds more than <paramref name="laneCount"/>.</exception>
    public static void ToLanes<T>(ReadOnlySpan<T> rows, Span<T> lanes, int laneCount)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(laneCount);
        int n = lanes.Length / laneCount;
        if (lanes.Length % laneCount != 0 || n == 0 || rows.Length % n != 0 || rows.Length / n > laneCount)
        {
            throw new ArgumentException(
                $"The rows (length {rows.Length}) must be at most {laneCount} samples of the lanes' {n} values (lanes length {lanes.Length}).",
                nameof(rows));
        }

        int count = rows.Length / n;
        if (count < laneCount)
        {
            lanes.Clear();
        }

        for (int k = 0; k < count; k++)
        {
            ReadOnlySpan<T> row = rows.Slice(k * n, n);
            for (int i = 0; i < row.Length; i++)
            {
                lanes[(i * laneCount) + k] = row[i];
            }
        }
    }

    internal static void DotLanes<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> values, Span<T> sums, int inputs, int bits)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        int units = weights.Length / inputs;
        int lanes = values.Length / inputs;

        // In 64 bits, as DotRows: units * lanes can pass int.MaxValue. Once the lengths match, every index below fits.
        if (weights.Length % inputs != 0 || values.Length % inputs != 0 || lanes == 0 || sums.Length != (long)units * lanes)
        {
            throw new ArgumentException(
                $"The weights (length {weights.Length}) and values (length {values.Length}) must be whole rows of {inputs}, and the sums (length {sums.Length}) one per node and lane.",
                nameof(sums));
        }

        ref T w = ref MemoryMarshal.GetReference(weights);
        ref T v = ref MemoryMarshal.GetReference(values);
        ref T s = ref MemoryMarshal.GetReference(sums);
        int j = 0;
        if (lanes == 8 && bits >= 256 && Vector256.IsHardwareAccelerated)
        {
            j = Vector256<T>.Count == 8 ? Lanes8Of8(ref w, ref v, ref s, units, inputs) : Lanes8Of4(ref w, ref v, ref s, units, inputs);
        }
        else if (lanes % Vector128<T>.Count == 0 && bits >= 128 && Vector128.IsHardwareAccelerated)
        {
            LanesOf128(ref w, ref v, ref s, units, inputs, lanes);
            return;
        }

        // The nodes the vectors did not take, lane by lane: the same multiply and add, in the same order.
        for (; j < units; j++)
        {
            ref T row = ref Unsafe.Add(ref w, j * inputs);
            for (int k = 0; k < lanes; k++)
            {
                T sum = T.Zero;
                for (int i = 0; i < inputs; i++)
                {
                    sum += Unsafe.Add(ref row, i) * Unsafe.Add(ref v, (i * lanes) + k);
                }

                Unsafe.Add(ref s, (j * lanes) + k) = sum;
            }
        }
    }

    /// <summary>Eight lanes of float in one 256-bit vector: eight nodes at a time, eight sums in flight.</summary>
    /// <returns>The nodes done (a multiple of eight); the caller finishes the rest.</returns>
    private static int Lanes8Of8<T>(ref T w, ref T v, ref T s, int units, int inputs)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int j = 0;
        for (; j + 8 <= units; j += 8)
        {
            ref T w0 = ref Unsafe.Add(ref w, j * inputs);
            ref T w1 = ref Unsafe.Add(ref w0, inputs);
            ref T w2 = ref Unsafe.Add(ref w1, inputs);
            ref T w3 = ref Unsafe.Add(ref w2, inputs);
            ref T w4 = ref Unsafe.Add(ref w3, inputs);
            ref T w5 = ref Unsafe.Add(ref w4, inputs);
            ref T w6 = ref Unsafe.Add(ref w5, inputs);
            ref T w7 = ref Unsafe.Add(ref w6, inputs);
            Vector256<T> s0 = Vector256<T>.Zero, s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            for (int i = 0; i < inputs; i++)
            {
                Vector256<T> x = Vector256.LoadUnsafe(ref v, (nuint)(i * 8));
                s0 += Vector256.Create(Unsafe.Add(ref w0, i)) * x;
                s1 += Vector256.Create(Unsafe.Add(ref w1, i)) * x;
                s2 += Vector256.Create(Unsafe.Add(ref w2, i)) * x;
                s3 += Vector256.Create(Unsafe.Add(ref w3, i)) * x;
                s4 += Vector256.Create(Unsafe.Add(ref w4, i)) * x;
                s5 += Vector256.Create(Unsafe.Add(ref w5, i)) * x;
                s6 += Vector256.Create(Unsafe.Add(ref w6, i)) * x;
                s7 += Vector256.Create(Unsafe.Add(ref w7, i)) * x;
            }

            ref T o = ref Unsafe.Add(ref s, j * 8);
            s0.StoreUnsafe(ref o, 0);
            s1.StoreUnsafe(ref o, 8);
            s2.StoreUnsafe(ref o, 16);
            s3.StoreUnsafe(ref o, 24);
            s4.StoreUnsafe(ref o, 32);
            s5.StoreUnsafe(ref o, 40);
            s6.StoreUnsafe(ref o, 48);
            s7.StoreUnsafe(ref o, 56);
        }

        for (; j < units; j++)
        {
            ref T row = ref Unsafe.Add(ref w, j * inputs);
            Vector256<T> s0 = Vector256<T>.Zero;
            for (int i = 0; i < inputs; i++)
            {
                s0 += Vector256.Create(Unsafe.Add(ref row, i)) * Vector256.LoadUnsafe(ref v, (nuint)(i * 8));
            }

            s0.StoreUnsafe(ref s, (nuint)(j * 8));
        }

        return units;
    }

    /// <summary>Eight lanes of double in two 256-bit vectors: four nodes at a time, eight sums in flight.</summary>
    /// <returns>The nodes done (a multiple of four); the caller finishes the rest.</returns>
    private static int Lanes8Of4<T>(ref T w, ref T v, ref T s, int units, int inputs)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int j = 0;
        for (; j + 4 <= units; j += 4)
        {
            ref T w0 = ref Unsafe.Add(ref w, j * inputs);
            ref T w1 = ref Unsafe.Add(ref w0, inputs);
            ref T w2 = ref Unsafe.Add(ref w1, inputs);
            ref T w3 = ref Unsafe.Add(ref w2, inputs);
            Vector256<T> s0 = Vector256<T>.Zero, t0 = s0, s1 = s0, t1 = s0, s2 = s0, t2 = s0, s3 = s0, t3 = s0;
            for (int i = 0; i < inputs; i++)
            {
                Vector256<T> x = Vector256.LoadUnsafe(ref v, (nuint)(i * 8));
                Vector256<T> y = Vector256.LoadUnsafe(ref v, (nuint)((i * 8) + 4));
                Vector256<T> a = Vector256.Create(Unsafe.Add(ref w0, i));
                s0 += a * x;
                t0 += a * y;
                a = Vector256.Create(Unsafe.Add(ref w1, i));
                s1 += a * x;
                t1 += a * y;
                a = Vector256.Create(Unsafe.Add(ref w2, i));
                s2 += a * x;
                t2 += a * y;
                a = Vector256.Create(Unsafe.Add(ref w3, i));
                s3 += a * x;
                t3 += a * y;
            }

            ref T o = ref Unsafe.Add(ref s, j * 8);
            s0.StoreUnsafe(ref o, 0);
            t0.StoreUnsafe(ref o, 4);
            s1.StoreUnsafe(ref o, 8);
            t1.StoreUnsafe(ref o, 12);
            s2.StoreUnsafe(ref o, 16);
            t2.StoreUnsafe(ref o, 20);
            s3.StoreUnsafe(ref o, 24);
            t3.StoreUnsafe(ref o, 28);
        }

        return j;
    }

    /// <summary>Any whole number of 128-bit vectors of lanes: one node at a time, a vector of lanes after another.</summary>
    private static void LanesOf128<T>(ref T w, ref T v, ref T s, int units, int inputs, int lanes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int c = Vector128<T>.Count;
        for (int j = 0; j < units; j++)
        {
            ref T row = ref Unsafe.Add(ref w, j * inputs);
            for (int m = 0; m < lanes; m += c)
            {
                Vector128<T> sum = Vector128<T>.Zero;
                for (int i = 0; i < inputs; i++)
                {
                    sum += Vector128.Create(Unsafe.Add(ref row, i)) * Vector128.LoadUnsafe(ref v, (nuint)((i * lanes) + m));
                }

                sum.StoreUnsafe(ref s, (nuint)((j * lanes) + m));
            }
        }
    }
}
