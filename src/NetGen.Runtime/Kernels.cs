using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen;

/// <summary>
/// The SIMD row kernels that generated code calls for layers written as loops: a dot product for the forward pass,
/// and the element-wise rows of the backward pass and the SGD step. Each uses the widest vectors the hardware
/// accelerates (512, 256 or 128 bits) and finishes the elements past the last whole vector one by one, so it is
/// correct on any hardware, with none at all.
/// <para>
/// Rounding: the same bits on every machine, whatever its vectors, with none at all, under the JIT or NativeAOT.
/// Every kernel but <see cref="Dot{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/> works element by element, each element taking
/// exactly the operations, in the order, of the scalar expression in its documentation. <see cref="Dot{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>
/// keeps a fixed number of partial sums (32 for float, 16 for double: element i goes to partial sum i mod that
/// number) and adds them in a fixed tree, halves onto halves; the vectors of each width are mapped onto those
/// partial sums, so its result does not depend on the width, though it differs in the last bits from a
/// left-to-right sum. No multiply and add is ever fused into one rounding: the kernels write them apart, and the
/// JIT does not fuse them unless asked.
/// </para>
/// </summary>
public static partial class Kernels
{
    /// <summary>The widest vector size, in bits, these kernels use on this machine: 512, 256, 128 or 0 (none).</summary>
    public static int VectorBits
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;
    }

    /// <summary>
    /// The sum of <c>x[i] * y[i]</c>: element i added to partial sum i mod 32 (float) or 16 (double), each starting
    /// at +0 and taking its elements in order, then the partial sums added in halves (sum j plus sum j + half) down to
    /// one. The same bits on every machine (see the class remarks).
    /// </summary>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Dot(x, y, VectorBits);

    /// <summary>
    /// <c>sums[k] = Dot(w, rows[k * w.Length .. (k + 1) * w.Length])</c> for each row k: the same bits as one
    /// <see cref="Dot{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/> per row, but four rows at a time share each load of
    /// <paramref name="w"/> (one node's weights against a block of samples).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not <paramref name="sums"/>.Length rows of <paramref name="w"/>.Length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DotRows<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> rows, Span<T> sums)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        DotRows(w, rows, sums, VectorBits);

    /// <summary>Whether every value is finite (neither NaN nor infinite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllFinite<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        AllFinite(x, VectorBits);

    /// <summary><c>y[i] += scale * x[i]</c>.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd<T>(ReadOnlySpan<T> x, T scale, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        MultiplyAdd(x, scale, y, VectorBits);

    /// <summary>
    /// One row of a layer's backward pass, for the node whose slope is <paramref name="slope"/> (dL/dz):
    /// <c>inputSlopes[i] += slope * weights[i]</c> and <c>gradients[i] += slope * inputs[i]</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BackwardRow<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> inputs, T slope, Span<T> gradients, Span<T> inputSlopes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        BackwardRow(weights, inputs, slope, gradients, inputSlopes, VectorBits);

    /// <summary>One row of the fused SGD step: <c>weights[i] -= learningRate * (slope * inputs[i])</c>.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StepRow<T>(Span<T> weights, ReadOnlySpan<T> inputs, T slope, T learningRate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        StepRow(weights, inputs, slope, learningRate, VectorBits);

    /// <summary>
    /// One row of the fused backward pass and SGD step: <c>inputSlopes[i] += slope * weights[i]</c> with the weight
    /// before its step, then <c>weights[i] -= learningRate * (slope * inputs[i])</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BackwardStepRow<T>(Span<T> weights, ReadOnlySpan<T> inputs, T slope, T learningRate, Span<T> inputSlopes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        BackwardStepRow(weights, inputs, slope, learningRate, inputSlopes, VectorBits);

    /// <summary>
    /// The weights' slopes of one node for a block of samples: for each m in order,
    /// <c>y[i] += scales[m] * rows[which[m] * y.Length + i]</c>. Each element of <paramref name="y"/> is read and
    /// written once for the whole block, with exactly the additions, in the order, of one
    /// <see cref="MultiplyAdd{T}(ReadOnlySpan{T}, T, Span{T})"/> call per listed row.
    /// </summary>
    /// <param name="rows">Whole rows of <paramref name="y"/>.Length values, one after another.</param>
    /// <param name="which">The rows to add, in order, by index.</param>
    /// <param name="scales">One scale per listed row.</param>
    /// <param name="y">The row that receives the sums.</param>
    /// <exception cref="ArgumentException">The lengths do not match, or an index is not a row of <paramref name="rows"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAddRows<T>(ReadOnlySpan<T> rows, ReadOnlySpan<int> which, ReadOnlySpan<T> scales, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        MultiplyAddRows(rows, which, scales, y, VectorBits);

    /// <summary>The mean-gradient SGD step of a mini-batch: <c>gradients[i] *= scale</c>, then <c>parameters[i] -= learningRate * gradients[i]</c>.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ScaleAndStep<T>(Span<T> parameters, Span<T> gradients, T scale, T learningRate)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        ScaleAndStep(parameters, gradients, scale, learningRate, VectorBits);

    // The same kernels with the vector width as an argument (512, 256, 128 or 0), so that the tests can run every
    // path on one machine. Called with the constant VectorBits, the JIT folds the width tests away.

    /// <summary>
    /// The number of partial sums of every dot product: 32 for float, 16 for double (128 bytes), whatever vectors the
    /// machine has. Two 512-bit, four 256-bit or eight 128-bit vectors hold them, or as many scalars.
    /// </summary>
    internal static int PartialSums<T>()
        where T : unmanaged => 4 * Vector256<T>.Count;

    // Dot's order, the same on every machine: element i is added to partial sum i % L (L = PartialSums), each
    // partial sum in order of i, starting from +0; then the L partial sums are added in halves, sum j + sum
    // (j + L/2) for each j < L/2, until one is left. Whatever the vector width, the vector adds of a width are exactly
    // these scalar adds: a vector's lanes are L consecutive partial sums, and adding two halves of the partial sums,
    // or the low and high half of one vector, is one level of the tree. A short last block adds +0 in the lanes past
    // the end, which leaves a partial sum as it was: one that starts at +0 is never -0, the only value +0 changes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, int bits)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SameLength(x.Length, y.Length);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length;
        if (bits >= 512 && Vector512.IsHardwareAccelerated)
        {
            return Dot512(ref xr, ref yr, n);
        }

        if (bits >= 256 && Vector256.IsHardwareAccelerated)
        {
            return Dot256(ref xr, ref yr, n);
        }

        if (bits >= 128 && Vector128.IsHardwareAccelerated)
        {
            return Dot128(ref xr, ref yr, n);
        }

        return DotScalar(ref xr, ref yr, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Dot512<T>(ref T xr, ref T yr, int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // The 32 float (16 double) partial sums are two vectors.
        int c = Vector512<T>.Count;
        Vector512<T> s0 = Vector512<T>.Zero, s1 = s0;
        int i = 0;
        for (; i <= n - (2 * c); i += 2 * c)
        {
            s0 += Vector512.LoadUnsafe(ref xr, (nuint)i) * Vector512.LoadUnsafe(ref yr, (nuint)i);
            s1 += Vector512.LoadUnsafe(ref xr, (nuint)(i + c)) * Vector512.LoadUnsafe(ref yr, (nuint)(i + c));
        }

        // The short last block: its whole vector, then the products past it, to the partial sums of their lanes.
        // Lanes with no element would add +0, which changes no partial sum (see Dot), so a block or vector with no
        // element left is skipped rather than added: that keeps the call to Products512 for ragged lengths only.
        if (i <= n - c)
        {
            s0 += Vector512.LoadUnsafe(ref xr, (nuint)i) * Vector512.LoadUnsafe(ref yr, (nuint)i);
            if (i < n - c)
            {
                s1 += Products512(ref Unsafe.Add(ref xr, i + c), ref Unsafe.Add(ref yr, i + c), n - i - c);
            }
        }
        else if (i < n)
        {
            s0 += Products512(ref Unsafe.Add(ref xr, i), ref Unsafe.Add(ref yr, i), n - i);
        }

        return Sum(s0 + s1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Dot256<T>(ref T xr, ref T yr, int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // Four vectors of partial sums: four vector adds in flight rather than one chain of dependent adds.
        int c = Vector256<T>.Count;
        Vector256<T> s0 = Vector256<T>.Zero, s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (; i <= n - (4 * c); i += 4 * c)
        {
            s0 += Vector256.LoadUnsafe(ref xr, (nuint)i) * Vector256.LoadUnsafe(ref yr, (nuint)i);
            s1 += Vector256.LoadUnsafe(ref xr, (nuint)(i + c)) * Vector256.LoadUnsafe(ref yr, (nuint)(i + c));
            s2 += Vector256.LoadUnsafe(ref xr, (nuint)(i + (2 * c))) * Vector256.LoadUnsafe(ref yr, (nuint)(i + (2 * c)));
            s3 += Vector256.LoadUnsafe(ref xr, (nuint)(i + (3 * c))) * Vector256.LoadUnsafe(ref yr, (nuint)(i + (3 * c)));
        }

        // The short last block: its whole vectors, then the products past them, each to the partial sums of its
        // lanes. A vector with no element left would add +0 in every lane, which changes no partial sum (see Dot),
        // so it is skipped: Products256, a call, runs for ragged lengths only, and the partial sums stay in registers.
        int r = n - i;
        int whole = r / c;
        if (whole > 0)
        {
            s0 += Vector256.LoadUnsafe(ref xr, (nuint)i) * Vector256.LoadUnsafe(ref yr, (nuint)i);
        }

        if (whole > 1)
        {
            s1 += Vector256.LoadUnsafe(ref xr, (nuint)(i + c)) * Vector256.LoadUnsafe(ref yr, (nuint)(i + c));
        }

        if (whole > 2)
        {
            s2 += Vector256.LoadUnsafe(ref xr, (nuint)(i + (2 * c))) * Vector256.LoadUnsafe(ref yr, (nuint)(i + (2 * c)));
        }

        int rest = r - (whole * c);
        if (rest != 0)
        {
            int j = i + (whole * c);
            Vector256<T> p = Products256(ref Unsafe.Add(ref xr, j), ref Unsafe.Add(ref yr, j), rest);
            switch (whole)
            {
                case 0: s0 += p; break;
                case 1: s1 += p; break;
                case 2: s2 += p; break;
                default: s3 += p; break;
            }
        }

        return Sum((s0 + s2) + (s1 + s3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Dot128<T>(ref T xr, ref T yr, int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // Eight vectors of partial sums.
        int c = Vector128<T>.Count;
        Vector128<T> s0 = Vector128<T>.Zero, s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        int i = 0;
        for (; i <= n - (8 * c); i += 8 * c)
        {
            s0 += Vector128.LoadUnsafe(ref xr, (nuint)i) * Vector128.LoadUnsafe(ref yr, (nuint)i);
            s1 += Vector128.LoadUnsafe(ref xr, (nuint)(i + c)) * Vector128.LoadUnsafe(ref yr, (nuint)(i + c));
            s2 += Vector128.LoadUnsafe(ref xr, (nuint)(i + (2 * c))) * Vector128.LoadUnsafe(ref yr, (nuint)(i + (2 * c)));
            s3 += Vector128.LoadUnsafe(ref xr, (nuint)(i + (3 * c))) * Vector128.LoadUnsafe(ref yr, (nuint)(i + (3 * c)));
            s4 += Vector128.LoadUnsafe(ref xr, (nuint)(i + (4 * c))) * Vector128.LoadUnsafe(ref yr, (nuint)(i + (4 * c)));
            s5 += Vector128.LoadUnsafe(ref xr, (nuint)(i + (5 * c))) * Vector128.LoadUnsafe(ref yr, (nuint)(i + (5 * c)));
            s6 += Vector128.LoadUnsafe(ref xr, (nuint)(i + (6 * c))) * Vector128.LoadUnsafe(ref yr, (nuint)(i + (6 * c)));
            s7 += Vector128.LoadUnsafe(ref xr, (nuint)(i + (7 * c))) * Vector128.LoadUnsafe(ref yr, (nuint)(i + (7 * c)));
        }

        // The short last block, as in Dot256: its whole vectors, then the products past them; vectors with no
        // element left are skipped (they would add +0), so the partial sums stay in registers.
        int r = n - i;
        int whole = r / c;
        if (whole > 0)
        {
            s0 += Vector128.LoadUnsafe(ref xr, (nuint)i) * Vector128.LoadUnsafe(ref yr, (nuint)i);
        }

        if (whole > 1)
        {
            s1 += Vector128.LoadUnsafe(ref xr, (nuint)(i + c)) * Vector128.LoadUnsafe(ref yr, (nuint)(i + c));
        }

        if (whole > 2)
        {
            s2 += Vector128.LoadUnsafe(ref xr, (nuint)(i + (2 * c))) * Vector128.LoadUnsafe(ref yr, (nuint)(i + (2 * c)));
        }

        if (whole > 3)
        {
            s3 += Vector128.LoadUnsafe(ref xr, (nuint)(i + (3 * c))) * Vector128.LoadUnsafe(ref yr, (nuint)(i + (3 * c)));
        }

        if (whole > 4)
        {
            s4 += Vector128.LoadUnsafe(ref xr, (nuint)(i + (4 * c))) * Vector128.LoadUnsafe(ref yr, (nuint)(i + (4 * c)));
        }

        if (whole > 5)
        {
            s5 += Vector128.LoadUnsafe(ref xr, (nuint)(i + (5 * c))) * Vector128.LoadUnsafe(ref yr, (nuint)(i + (5 * c)));
        }

        if (whole > 6)
        {
            s6 += Vector128.LoadUnsafe(ref xr, (nuint)(i + (6 * c))) * Vector128.LoadUnsafe(ref yr, (nuint)(i + (6 * c)));
        }

        int rest = r - (whole * c);
        if (rest != 0)
        {
            int j = i + (whole * c);
            Vector128<T> p = Products128(ref Unsafe.Add(ref xr, j), ref Unsafe.Add(ref yr, j), rest);
            switch (whole)
            {
                case 0: s0 += p; break;
                case 1: s1 += p; break;
                case 2: s2 += p; break;
                case 3: s3 += p; break;
                case 4: s4 += p; break;
                case 5: s5 += p; break;
                case 6: s6 += p; break;
                default: s7 += p; break;
            }
        }

        return Sum(((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7)));
    }

    internal static T DotScalar<T>(ref T xr, ref T yr, int n)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // No vectors: the partial sums are scalars, in the order the vectors keep them.
        Span<T> s = stackalloc T[PartialSums<T>()];
        s.Clear();
        for (int i = 0; i < n; i++)
        {
            s[i % s.Length] += Unsafe.Add(ref xr, i) * Unsafe.Add(ref yr, i);
        }

        return AddInHalves(s);
    }

    /// <summary>Adds <paramref name="s"/> in halves, s[j] + s[j + h] for h = Length / 2, Length / 4 ... 1: Dot's tree.</summary>
    private static T AddInHalves<T>(Span<T> s)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int h = s.Length / 2; h >= 1; h /= 2)
        {
            for (int j = 0; j < h; j++)
            {
                s[j] += s[j + h];
            }
        }

        return s[0];
    }

    // The last levels of Dot's tree inside one vector: its low half plus its high half, down to one value.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Sum<T>(Vector512<T> v)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Sum(v.GetLower() + v.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Sum<T>(Vector256<T> v)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Sum(v.GetLower() + v.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Sum<T>(Vector128<T> v)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Vector128<T>.Count == 4
            ? (v.GetElement(0) + v.GetElement(2)) + (v.GetElement(1) + v.GetElement(3))
            : v.GetElement(0) + v.GetElement(1);

    // The products of the first count (fewer than a vector's) elements, +0 in the other lanes: what a whole vector's
    // multiply gives in the lanes that exist, and nothing that changes a partial sum in the others.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Products512<T>(ref T x, ref T y, int count)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector512<T> p = Vector512<T>.Zero;
        for (int k = 0; k < count; k++)
        {
            p = p.WithElement(k, Unsafe.Add(ref x, k) * Unsafe.Add(ref y, k));
        }

        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Products256<T>(ref T x, ref T y, int count)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector256<T> p = Vector256<T>.Zero;
        for (int k = 0; k < count; k++)
        {
            p = p.WithElement(k, Unsafe.Add(ref x, k) * Unsafe.Add(ref y, k));
        }

        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Products128<T>(ref T x, ref T y, int count)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector128<T> p = Vector128<T>.Zero;
        for (int k = 0; k < count; k++)
        {
            p = p.WithElement(k, Unsafe.Add(ref x, k) * Unsafe.Add(ref y, k));
        }

        return p;
    }

    internal static void DotRows<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> rows, Span<T> sums, int bits)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = w.Length;

        // In 64 bits: sums.Length * n can pass int.MaxValue (65,536 × 65,536 wraps to 0), and the loops below read
        // through refs. Once rows.Length equals the product, every k * n + i below it fits an int.
        long needed = (long)sums.Length * n;
        if (rows.Length != needed)
        {
            ThrowWrongRows(needed, rows.Length);
        }

        int k = 0;
        if (bits >= 512 && Vector512.IsHardwareAccelerated)
        {
            // Four rows at a time share each load of w.
            ref T wr = ref MemoryMarshal.GetReference(w);
            for (; k + 4 <= sums.Length; k += 4)
            {
                DotFourRows512(ref wr, ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), k * n), n, sums.Slice(k, 4));
            }
        }

        // Other widths (whose registers would not hold the partial sums of four rows), and the rows after the last four.
        for (; k < sums.Length; k++)
        {
            sums[k] = Dot(w, rows.Slice(k * n, n), bits);
        }
    }

    /// <summary>
    /// <c>sums[r] = Dot(w, row r)</c> for the four rows of n values from <paramref name="x0"/> on, each load of w
    /// shared by the four: 8 vectors of partial sums and 2 of weights. Each row's partial sums take exactly
    /// <see cref="Dot512{T}"/>'s additions, so the results are its bits.
    /// </summary>
    internal static void DotFourRows512<T>(ref T wr, ref T x0, int n, Span<T> sums)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ref T x1 = ref Unsafe.Add(ref x0, n);
        ref T x2 = ref Unsafe.Add(ref x1, n);
        ref T x3 = ref Unsafe.Add(ref x2, n);
        int c = Vector512<T>.Count;
        Vector512<T> a0 = Vector512<T>.Zero, a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
        int i = 0;
        for (; i <= n - (2 * c); i += 2 * c)
        {
            Vector512<T> w0 = Vector512.LoadUnsafe(ref wr, (nuint)i);
            Vector512<T> w1 = Vector512.LoadUnsafe(ref wr, (nuint)(i + c));
            a0 += w0 * Vector512.LoadUnsafe(ref x0, (nuint)i);
            a1 += w1 * Vector512.LoadUnsafe(ref x0, (nuint)(i + c));
            b0 += w0 * Vector512.LoadUnsafe(ref x1, (nuint)i);
            b1 += w1 * Vector512.LoadUnsafe(ref x1, (nuint)(i + c));
            c0 += w0 * Vector512.LoadUnsafe(ref x2, (nuint)i);
            c1 += w1 * Vector512.LoadUnsafe(ref x2, (nuint)(i + c));
            d0 += w0 * Vector512.LoadUnsafe(ref x3, (nuint)i);
            d1 += w1 * Vector512.LoadUnsafe(ref x3, (nuint)(i + c));
        }

        // The short last block, as Dot512 adds it (a vector with no element left is skipped, as there).
        if (i <= n - c)
        {
            Vector512<T> w0 = Vector512.LoadUnsafe(ref wr, (nuint)i);
            a0 += w0 * Vector512.LoadUnsafe(ref x0, (nuint)i);
            b0 += w0 * Vector512.LoadUnsafe(ref x1, (nuint)i);
            c0 += w0 * Vector512.LoadUnsafe(ref x2, (nuint)i);
            d0 += w0 * Vector512.LoadUnsafe(ref x3, (nuint)i);
            int j = i + c;
            if (j < n)
            {
                a1 += Products512(ref Unsafe.Add(ref wr, j), ref Unsafe.Add(ref x0, j), n - j);
                b1 += Products512(ref Unsafe.Add(ref wr, j), ref Unsafe.Add(ref x1, j), n - j);
                c1 += Products512(ref Unsafe.Add(ref wr, j), ref Unsafe.Add(ref x2, j), n - j);
                d1 += Products512(ref Unsafe.Add(ref wr, j), ref Unsafe.Add(ref x3, j), n - j);
            }
        }
        else if (i < n)
        {
            a0 += Products512(ref Unsafe.Add(ref wr, i), ref Unsafe.Add(ref x0, i), n - i);
            b0 += Products512(ref Unsafe.Add(ref wr, i), ref Unsafe.Add(ref x1, i), n - i);
            c0 += Products512(ref Unsafe.Add(ref wr, i), ref Unsafe.Add(ref x2, i), n - i);
            d0 += Products512(ref Unsafe.Add(ref wr, i), ref Unsafe.Add(ref x3, i), n - i);
        }

        sums[0] = Sum(a0 + a1);
        sums[1] = Sum(b0 + b1);
        sums[2] = Sum(c0 + c1);
        sums[3] = Sum(d0 + d1);
    }

    internal static bool AllFinite<T>(ReadOnlySpan<T> x, int bits)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // v - v is 0 for a finite v and NaN for an infinite or NaN one; a sum of those stays 0 only if all were 0.
        ref T xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        int i = 0;
        if (bits >= 512 && Vector512.IsHardwareAccelerated)
        {
            Vector512<T> acc = Vector512<T>.Zero;
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                Vector512<T> v = Vector512.LoadUnsafe(ref xr, (nuint)i);
                acc += v - v;
            }

            if (!Vector512.EqualsAll(acc, Vector512<T>.Zero))
            {
                return false;
            }
        }
        else if (bits >= 256 && Vector256.IsHardwareAccelerated)
        {
            Vector256<T> acc = Vector256<T>.Zero;
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                Vector256<T> v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                acc += v - v;
            }

            if (!Vector256.EqualsAll(acc, Vector256<T>.Zero))
            {
                return false;
            }
        }
        else if (bits >= 128 && Vector128.IsHardwareAccelerated)
        {
            Vector128<T> acc = Vector128<T>.Zero;
            for (; i <= n - Vector128<T>.Count; i += Vector128<T>.Count)
            {
                Vector128<T> v = Vector128.LoadUnsafe(ref xr, (nuint)i);
                acc += v - v;
            }

            if (!Vector128.EqualsAll(acc, Vector128<T>.Zero))
            {
                return false;
            }
        }

        for (; i < n; i++)
        {
            if (!T.IsFinite(Unsafe.Add(ref xr, i)))
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MultiplyAdd<T>(ReadOnlySpan<T> x, T scale, Span<T> y, int bits)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SameLength(x.Length, y.Length);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length;
        int i = 0;
        if (bits >= 512 && Vector512.IsHardwareAccelerated)
        {
            Vector512<T> s = Vector512.Create(scale);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                (Vector512.LoadUnsafe(ref yr, (nuint)i) + (s * Vector512.LoadUnsafe(ref xr, (nuint)i))).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        else if (bits >= 256 && Vector256.IsHardwareAccelerated)
        {
            Vector256<T> s = Vector256.Create(scale);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                (Vector256.LoadUnsafe(ref yr, (nuint)i) + (s * Vector256.LoadUnsafe(ref xr, (nuint)i))).StoreUnsafe(ref yr, (nuint)i);
            }
        }
        else if (bits >= 128 && Vector128.IsHardwareAccelerated)
        {
            Vector128<T> s = Vector128.Create(scale);
            for (; i <= n - Vector128<T>.Count; i += Vector128<T>.Count)
            {
                (Vector128.LoadUnsafe(ref yr, (nuint)i) + (s * Vector128.LoadUnsafe(ref xr, (nuint)i))).StoreUnsafe(ref yr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref yr, i) += scale * Unsafe.Add(ref xr, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MultiplyAddRows<T>(ReadOnlySpan<T> rows, ReadOnlySpan<int> which, ReadOnlySpan<T> scales, Span<T> y, int bits)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SameLength(which.Length, scales.Length);
        int n = y.Length;
        if (n == 0)
        {
            SameLength(rows.Length, 0);
            return;
        }

        int rowCount = rows.Length / n;
        SameLength(rows.Length, rowCount * n);

        // Each listed row is checked once: the loops below read through refs without bounds checks.
        foreach (int row in which)
        {
            if ((uint)row >= (uint)rowCount)
            {
                ThrowNotARow(row, rowCount);
            }
        }

        ref T xr = ref MemoryMarshal.GetReference(rows);
        ref T sr = ref MemoryMarshal.GetReference(scales);
        ref int wr = ref MemoryMarshal.GetReference(which);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int count = scales.Length;
        int i = 0;
        if (bits >= 512 && Vector512.IsHardwareAccelerated)
        {
            // Four vectors of y at a time, so that four chains of dependent additions are in flight, not one.
            int c = Vector512<T>.Count;
            for (; i <= n - (4 * c); i += 4 * c)
            {
                Vector512<T> v0 = Vector512.LoadUnsafe(ref yr, (nuint)i);
                Vector512<T> v1 = Vector512.LoadUnsafe(ref yr, (nuint)(i + c));
                Vector512<T> v2 = Vector512.LoadUnsafe(ref yr, (nuint)(i + (2 * c)));
                Vector512<T> v3 = Vector512.LoadUnsafe(ref yr, (nuint)(i + (3 * c)));
                for (int k = 0; k < count; k++)
                {
                    Vector512<T> scale = Vector512.Create(Unsafe.Add(ref sr, k));
                    ref T x = ref Unsafe.Add(ref xr, (Unsafe.Add(ref wr, k) * n) + i);
                    v0 += scale * Vector512.LoadUnsafe(ref x);
                    v1 += scale * Vector512.LoadUnsafe(ref x, (nuint)c);
                    v2 += scale * Vector512.LoadUnsafe(ref x, (nuint)(2 * c));
                    v3 += scale * Vector512.LoadUnsafe(ref x, (nuint)(3 * c));
                }

                v0.StoreUnsafe(ref yr, (nuint)i);
                v1.StoreUnsafe(ref yr, (nuint)(i + c));
                v2.StoreUnsafe(ref yr, (nuint)(i + (2 * c)));
                v3.StoreUnsafe(ref yr, (nuint)(i + (3 * c)));
            }

            for (; i <= n - c; i += c)
            {
                Vector512<T> v = Vector512.LoadUnsafe(ref yr, (nuint)i);
                for (int k = 0; k < count; k++)
                {
                    v += Vector512.Create(Unsafe.Add(ref sr, k)) * Vector512.LoadUnsafe(ref xr, (nuint)((Unsafe.Add(ref wr, k) * n) + i));
                }

                v.StoreUnsafe(ref yr, (nuint)i);
            }
        }
        else if (bits >= 256 && Vector256.IsHardwareAccelerated)
        {
            int c = Vector256<T>.Count;
            for (; i <= n - (4 * c); i += 4 * c)
            {
                Vector256<T> v0 = Vector256.LoadUnsafe(ref yr, (nuint)i);
                Vector256<T> v1 = Vector256.LoadUnsafe(ref yr, (nuint)(i + c));
                Vector256<T> v2 = Vector256.LoadUnsafe(ref yr, (nuint)(i + (2 * c)));
                Vector256<T> v3 = Vector256.LoadUnsafe(ref yr, (nuint)(i + (3 * c)));
                for (int k = 0; k < count; k++)
                {
                    Vector256<T> scale = Vector256.Create(Unsafe.Add(ref sr, k));
                    ref T x = ref Unsafe.Add(ref xr, (Unsafe.Add(ref wr, k) * n) + i);
                    v0 += scale * Vector256.LoadUnsafe(ref x);
                    v1 += scale * Vector256.LoadUnsafe(ref x, (nuint)c);
                    v2 += scale * Vector256.LoadUnsafe(ref x, (nuint)(2 * c));
                    v3 += scale * Vector256.LoadUnsafe(ref x, (nuint)(3 * c));
                }

                v0.StoreUnsafe(ref yr, (nuint)i);
                v1.StoreUnsafe(ref yr, (nuint)(i + c));
                v2.StoreUnsafe(ref yr, (nuint)(i + (2 * c)));
                v3.StoreUnsafe(ref yr, (nuint)(i + (3 * c)));
            }

            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                Vector256<T> v = Vector256.LoadUnsafe(ref yr, (nuint)i);
                for (int k = 0; k < count; k++)
                {
                    v += Vector256.Create(Unsafe.Add(ref sr, k)) * Vector256.LoadUnsafe(ref xr, (nuint)((Unsafe.Add(ref wr, k) * n) + i));
                }

                v.StoreUnsafe(ref yr, (nuint)i);
            }
        }
        else if (bits >= 128 && Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<T>.Count; i += Vector128<T>.Count)
            {
                Vector128<T> v = Vector128.LoadUnsafe(ref yr, (nuint)i);
                for (int k = 0; k < count; k++)
                {
                    v += Vector128.Create(Unsafe.Add(ref sr, k)) * Vector128.LoadUnsafe(ref xr, (nuint)((Unsafe.Add(ref wr, k) * n) + i));
                }

                v.StoreUnsafe(ref yr, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            T v = Unsafe.Add(ref yr, i);
            for (int k = 0; k < count; k++)
            {
                v += Unsafe.Add(ref sr, k) * Unsafe.Add(ref xr, (Unsafe.Add(ref wr, k) * n) + i);
            }

            Unsafe.Add(ref yr, i) = v;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void BackwardRow<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> inputs, T slope, Span<T> gradients, Span<T> inputSlopes, int bits)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SameLength(weights.Length, inputs.Length);
        SameLength(weights.Length, gradients.Length);
        SameLength(weights.Length, inputSlopes.Length);
        ref T w = ref MemoryMarshal.GetReference(weights);
        ref T a = ref MemoryMarshal.GetReference(inputs);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        ref T da = ref MemoryMarshal.GetReference(inputSlopes);
        int n = weights.Length;
        int i = 0;
        if (bits >= 512 && Vector512.IsHardwareAccelerated)
        {
            Vector512<T> d = Vector512.Create(slope);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                (Vector512.LoadUnsafe(ref da, (nuint)i) + (d * Vector512.LoadUnsafe(ref w, (nuint)i))).StoreUnsafe(ref da, (nuint)i);
                (Vector512.LoadUnsafe(ref g, (nuint)i) + (d * Vector512.LoadUnsafe(ref a, (nuint)i))).StoreUnsafe(ref g, (nuint)i);
            }
        }
        else if (bits >= 256 && Vector256.IsHardwareAccelerated)
        {
            Vector256<T> d = Vector256.Create(slope);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                (Vector256.LoadUnsafe(ref da, (nuint)i) + (d * Vector256.LoadUnsafe(ref w, (nuint)i))).StoreUnsafe(ref da, (nuint)i);
                (Vector256.LoadUnsafe(ref g, (nuint)i) + (d * Vector256.LoadUnsafe(ref a, (nuint)i))).StoreUnsafe(ref g, (nuint)i);
            }
        }
        else if (bits >= 128 && Vector128.IsHardwareAccelerated)
        {
            Vector128<T> d = Vector128.Create(slope);
            for (; i <= n - Vector128<T>.Count; i += Vector128<T>.Count)
            {
                (Vector128.LoadUnsafe(ref da, (nuint)i) + (d * Vector128.LoadUnsafe(ref w, (nuint)i))).StoreUnsafe(ref da, (nuint)i);
                (Vector128.LoadUnsafe(ref g, (nuint)i) + (d * Vector128.LoadUnsafe(ref a, (nuint)i))).StoreUnsafe(ref g, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref da, i) += slope * Unsafe.Add(ref w, i);
            Unsafe.Add(ref g, i) += slope * Unsafe.Add(ref a, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StepRow<T>(Span<T> weights, ReadOnlySpan<T> inputs, T slope, T learningRate, int bits)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SameLength(weights.Length, inputs.Length);
        ref T w = ref MemoryMarshal.GetReference(weights);
        ref T a = ref MemoryMarshal.GetReference(inputs);
        int n = weights.Length;
        int i = 0;
        if (bits >= 512 && Vector512.IsHardwareAccelerated)
        {
            Vector512<T> d = Vector512.Create(slope), lr = Vector512.Create(learningRate);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                (Vector512.LoadUnsafe(ref w, (nuint)i) - (lr * (d * Vector512.LoadUnsafe(ref a, (nuint)i)))).StoreUnsafe(ref w, (nuint)i);
            }
        }
        else if (bits >= 256 && Vector256.IsHardwareAccelerated)
        {
            Vector256<T> d = Vector256.Create(slope), lr = Vector256.Create(learningRate);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                (Vector256.LoadUnsafe(ref w, (nuint)i) - (lr * (d * Vector256.LoadUnsafe(ref a, (nuint)i)))).StoreUnsafe(ref w, (nuint)i);
            }
        }
        else if (bits >= 128 && Vector128.IsHardwareAccelerated)
        {
            Vector128<T> d = Vector128.Create(slope), lr = Vector128.Create(learningRate);
            for (; i <= n - Vector128<T>.Count; i += Vector128<T>.Count)
            {
                (Vector128.LoadUnsafe(ref w, (nuint)i) - (lr * (d * Vector128.LoadUnsafe(ref a, (nuint)i)))).StoreUnsafe(ref w, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref w, i) -= learningRate * (slope * Unsafe.Add(ref a, i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void BackwardStepRow<T>(Span<T> weights, ReadOnlySpan<T> inputs, T slope, T learningRate, Span<T> inputSlopes, int bits)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SameLength(weights.Length, inputs.Length);
        SameLength(weights.Length, inputSlopes.Length);
        ref T w = ref MemoryMarshal.GetReference(weights);
        ref T a = ref MemoryMarshal.GetReference(inputs);
        ref T da = ref MemoryMarshal.GetReference(inputSlopes);
        int n = weights.Length;
        int i = 0;
        if (bits >= 512 && Vector512.IsHardwareAccelerated)
        {
            Vector512<T> d = Vector512.Create(slope), lr = Vector512.Create(learningRate);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                Vector512<T> wv = Vector512.LoadUnsafe(ref w, (nuint)i);
                (Vector512.LoadUnsafe(ref da, (nuint)i) + (d * wv)).StoreUnsafe(ref da, (nuint)i);
                (wv - (lr * (d * Vector512.LoadUnsafe(ref a, (nuint)i)))).StoreUnsafe(ref w, (nuint)i);
            }
        }
        else if (bits >= 256 && Vector256.IsHardwareAccelerated)
        {
            Vector256<T> d = Vector256.Create(slope), lr = Vector256.Create(learningRate);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                Vector256<T> wv = Vector256.LoadUnsafe(ref w, (nuint)i);
                (Vector256.LoadUnsafe(ref da, (nuint)i) + (d * wv)).StoreUnsafe(ref da, (nuint)i);
                (wv - (lr * (d * Vector256.LoadUnsafe(ref a, (nuint)i)))).StoreUnsafe(ref w, (nuint)i);
            }
        }
        else if (bits >= 128 && Vector128.IsHardwareAccelerated)
        {
            Vector128<T> d = Vector128.Create(slope), lr = Vector128.Create(learningRate);
            for (; i <= n - Vector128<T>.Count; i += Vector128<T>.Count)
            {
                Vector128<T> wv = Vector128.LoadUnsafe(ref w, (nuint)i);
                (Vector128.LoadUnsafe(ref da, (nuint)i) + (d * wv)).StoreUnsafe(ref da, (nuint)i);
                (wv - (lr * (d * Vector128.LoadUnsafe(ref a, (nuint)i)))).StoreUnsafe(ref w, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            ref T wi = ref Unsafe.Add(ref w, i);
            Unsafe.Add(ref da, i) += slope * wi;
            wi -= learningRate * (slope * Unsafe.Add(ref a, i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ScaleAndStep<T>(Span<T> parameters, Span<T> gradients, T scale, T learningRate, int bits)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SameLength(parameters.Length, gradients.Length);
        ref T p = ref MemoryMarshal.GetReference(parameters);
        ref T g = ref MemoryMarshal.GetReference(gradients);
        int n = parameters.Length;
        int i = 0;
        if (bits >= 512 && Vector512.IsHardwareAccelerated)
        {
            Vector512<T> s = Vector512.Create(scale), lr = Vector512.Create(learningRate);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                Vector512<T> gv = Vector512.LoadUnsafe(ref g, (nuint)i) * s;
                gv.StoreUnsafe(ref g, (nuint)i);
                (Vector512.LoadUnsafe(ref p, (nuint)i) - (lr * gv)).StoreUnsafe(ref p, (nuint)i);
            }
        }
        else if (bits >= 256 && Vector256.IsHardwareAccelerated)
        {
            Vector256<T> s = Vector256.Create(scale), lr = Vector256.Create(learningRate);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                Vector256<T> gv = Vector256.LoadUnsafe(ref g, (nuint)i) * s;
                gv.StoreUnsafe(ref g, (nuint)i);
                (Vector256.LoadUnsafe(ref p, (nuint)i) - (lr * gv)).StoreUnsafe(ref p, (nuint)i);
            }
        }
        else if (bits >= 128 && Vector128.IsHardwareAccelerated)
        {
            Vector128<T> s = Vector128.Create(scale), lr = Vector128.Create(learningRate);
            for (; i <= n - Vector128<T>.Count; i += Vector128<T>.Count)
            {
                Vector128<T> gv = Vector128.LoadUnsafe(ref g, (nuint)i) * s;
                gv.StoreUnsafe(ref g, (nuint)i);
                (Vector128.LoadUnsafe(ref p, (nuint)i) - (lr * gv)).StoreUnsafe(ref p, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            ref T gi = ref Unsafe.Add(ref g, i);
            gi *= scale;
            Unsafe.Add(ref p, i) -= learningRate * gi;
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotARow(int index, int rowCount) =>
        throw new ArgumentException($"Row {index} is not one of the {rowCount} rows.", "which");

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWrongRows(long expected, int actual) =>
        throw new ArgumentException($"The span must have length {expected}, but its length is {actual}.", "rows");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SameLength(int length, int other)
    {
        if (length != other)
        {
            Guard.ThrowWrongLength("spans", length, other);
        }
    }
}
