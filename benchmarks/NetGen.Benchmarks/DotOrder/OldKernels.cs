using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NetGen.Benchmarks.DotOrder;

// The pre-change reference, kept for measuring what the fixed summation order costs (docs/benchmarks.md, "The cost of
// the same bits everywhere"): Kernels.Dot and Kernels.DotRows exactly as they were before commit 94e7ab9 (from
// `git show 94e7ab9^:src/NetGen.Runtime/Kernels.cs`), whose order of addition depended on the vector width (four
// partial vectors of the widest accelerated width, two of 128 bits, then the elements past the last whole vector
// added one by one after the horizontal sum). Nothing but DotOrderBenchmarks calls it; it is not NetGen's code and
// gives different bits from Kernels.Dot. Only the copy's name, namespace and this comment are new.

/// <summary>Kernels.Dot and Kernels.DotRows before the fixed order (commit 94e7ab9^), for DotOrderBenchmarks only.</summary>
public static class OldKernels
{
    /// <summary>The sum of <c>x[i] * y[i]</c>, in the old width-dependent order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Dot(x, y, Kernels.VectorBits);

    /// <summary><c>sums[k] = Dot(w, row k)</c>, in the old order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DotRows<T>(ReadOnlySpan<T> w, ReadOnlySpan<T> rows, Span<T> sums)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        DotRows(w, rows, sums, Kernels.VectorBits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, int bits)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        SameLength(x.Length, y.Length);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length;
        int i = 0;
        T sum = T.Zero;
        if (bits >= 512 && Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            // Four partial sums, so that four vector adds are in flight rather than one chain of dependent adds.
            int c = Vector512<T>.Count;
            Vector512<T> s0 = Vector512<T>.Zero, s1 = s0, s2 = s0, s3 = s0;
            for (; i <= n - (4 * c); i += 4 * c)
            {
                s0 += Vector512.LoadUnsafe(ref xr, (nuint)i) * Vector512.LoadUnsafe(ref yr, (nuint)i);
                s1 += Vector512.LoadUnsafe(ref xr, (nuint)(i + c)) * Vector512.LoadUnsafe(ref yr, (nuint)(i + c));
                s2 += Vector512.LoadUnsafe(ref xr, (nuint)(i + (2 * c))) * Vector512.LoadUnsafe(ref yr, (nuint)(i + (2 * c)));
                s3 += Vector512.LoadUnsafe(ref xr, (nuint)(i + (3 * c))) * Vector512.LoadUnsafe(ref yr, (nuint)(i + (3 * c)));
            }

            for (; i <= n - c; i += c)
            {
                s0 += Vector512.LoadUnsafe(ref xr, (nuint)i) * Vector512.LoadUnsafe(ref yr, (nuint)i);
            }

            sum = Vector512.Sum((s0 + s1) + (s2 + s3));
        }
        else if (bits >= 256 && Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            int c = Vector256<T>.Count;
            Vector256<T> s0 = Vector256<T>.Zero, s1 = s0, s2 = s0, s3 = s0;
            for (; i <= n - (4 * c); i += 4 * c)
            {
                s0 += Vector256.LoadUnsafe(ref xr, (nuint)i) * Vector256.LoadUnsafe(ref yr, (nuint)i);
                s1 += Vector256.LoadUnsafe(ref xr, (nuint)(i + c)) * Vector256.LoadUnsafe(ref yr, (nuint)(i + c));
                s2 += Vector256.LoadUnsafe(ref xr, (nuint)(i + (2 * c))) * Vector256.LoadUnsafe(ref yr, (nuint)(i + (2 * c)));
                s3 += Vector256.LoadUnsafe(ref xr, (nuint)(i + (3 * c))) * Vector256.LoadUnsafe(ref yr, (nuint)(i + (3 * c)));
            }

            for (; i <= n - c; i += c)
            {
                s0 += Vector256.LoadUnsafe(ref xr, (nuint)i) * Vector256.LoadUnsafe(ref yr, (nuint)i);
            }

            sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        }
        else if (bits >= 128 && Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count)
        {
            int c = Vector128<T>.Count;
            Vector128<T> s0 = Vector128<T>.Zero, s1 = s0;
            for (; i <= n - (2 * c); i += 2 * c)
            {
                s0 += Vector128.LoadUnsafe(ref xr, (nuint)i) * Vector128.LoadUnsafe(ref yr, (nuint)i);
                s1 += Vector128.LoadUnsafe(ref xr, (nuint)(i + c)) * Vector128.LoadUnsafe(ref yr, (nuint)(i + c));
            }

            for (; i <= n - c; i += c)
            {
                s0 += Vector128.LoadUnsafe(ref xr, (nuint)i) * Vector128.LoadUnsafe(ref yr, (nuint)i);
            }

            sum = Vector128.Sum(s0 + s1);
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref xr, i) * Unsafe.Add(ref yr, i);
        }

        return sum;
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
        if (bits >= 512 && Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            // Four rows at a time: 16 partial sums and the 4 weight vectors fit in the 32 vector registers of
            // AVX-512. Each row's partial sums take exactly Dot's additions, so the results are Dot's bits.
            ref T wr = ref MemoryMarshal.GetReference(w);
            for (; k + 4 <= sums.Length; k += 4)
            {
                ref T x0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(rows), k * n);
                ref T x1 = ref Unsafe.Add(ref x0, n);
                ref T x2 = ref Unsafe.Add(ref x1, n);
                ref T x3 = ref Unsafe.Add(ref x2, n);
                int c = Vector512<T>.Count;
                Vector512<T> a0 = Vector512<T>.Zero, a1 = a0, a2 = a0, a3 = a0;
                Vector512<T> b0 = a0, b1 = a0, b2 = a0, b3 = a0;
                Vector512<T> c0 = a0, c1 = a0, c2 = a0, c3 = a0;
                Vector512<T> d0 = a0, d1 = a0, d2 = a0, d3 = a0;
                int i = 0;
                for (; i <= n - (4 * c); i += 4 * c)
                {
                    Vector512<T> w0 = Vector512.LoadUnsafe(ref wr, (nuint)i);
                    Vector512<T> w1 = Vector512.LoadUnsafe(ref wr, (nuint)(i + c));
                    Vector512<T> w2 = Vector512.LoadUnsafe(ref wr, (nuint)(i + (2 * c)));
                    Vector512<T> w3 = Vector512.LoadUnsafe(ref wr, (nuint)(i + (3 * c)));
                    a0 += w0 * Vector512.LoadUnsafe(ref x0, (nuint)i);
                    a1 += w1 * Vector512.LoadUnsafe(ref x0, (nuint)(i + c));
                    a2 += w2 * Vector512.LoadUnsafe(ref x0, (nuint)(i + (2 * c)));
                    a3 += w3 * Vector512.LoadUnsafe(ref x0, (nuint)(i + (3 * c)));
                    b0 += w0 * Vector512.LoadUnsafe(ref x1, (nuint)i);
                    b1 += w1 * Vector512.LoadUnsafe(ref x1, (nuint)(i + c));
                    b2 += w2 * Vector512.LoadUnsafe(ref x1, (nuint)(i + (2 * c)));
                    b3 += w3 * Vector512.LoadUnsafe(ref x1, (nuint)(i + (3 * c)));
                    c0 += w0 * Vector512.LoadUnsafe(ref x2, (nuint)i);
                    c1 += w1 * Vector512.LoadUnsafe(ref x2, (nuint)(i + c));
                    c2 += w2 * Vector512.LoadUnsafe(ref x2, (nuint)(i + (2 * c)));
                    c3 += w3 * Vector512.LoadUnsafe(ref x2, (nuint)(i + (3 * c)));
                    d0 += w0 * Vector512.LoadUnsafe(ref x3, (nuint)i);
                    d1 += w1 * Vector512.LoadUnsafe(ref x3, (nuint)(i + c));
                    d2 += w2 * Vector512.LoadUnsafe(ref x3, (nuint)(i + (2 * c)));
                    d3 += w3 * Vector512.LoadUnsafe(ref x3, (nuint)(i + (3 * c)));
                }

                for (; i <= n - c; i += c)
                {
                    Vector512<T> w0 = Vector512.LoadUnsafe(ref wr, (nuint)i);
                    a0 += w0 * Vector512.LoadUnsafe(ref x0, (nuint)i);
                    b0 += w0 * Vector512.LoadUnsafe(ref x1, (nuint)i);
                    c0 += w0 * Vector512.LoadUnsafe(ref x2, (nuint)i);
                    d0 += w0 * Vector512.LoadUnsafe(ref x3, (nuint)i);
                }

                T s0 = Vector512.Sum((a0 + a1) + (a2 + a3));
                T s1 = Vector512.Sum((b0 + b1) + (b2 + b3));
                T s2 = Vector512.Sum((c0 + c1) + (c2 + c3));
                T s3 = Vector512.Sum((d0 + d1) + (d2 + d3));
                for (; i < n; i++)
                {
                    T wi = Unsafe.Add(ref wr, i);
                    s0 += wi * Unsafe.Add(ref x0, i);
                    s1 += wi * Unsafe.Add(ref x1, i);
                    s2 += wi * Unsafe.Add(ref x2, i);
                    s3 += wi * Unsafe.Add(ref x3, i);
                }

                sums[k] = s0;
                sums[k + 1] = s1;
                sums[k + 2] = s2;
                sums[k + 3] = s3;
            }
        }

        // Other widths (whose registers would not hold 16 partial sums), and the rows after the last four.
        for (; k < sums.Length; k++)
        {
            sums[k] = Dot(w, rows.Slice(k * n, n), bits);
        }
    }

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
