using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NetGen.Benchmarks.Diagnosis;

/// <summary>
/// The SIMD inner loops of the wide-layer experiments: Vector512 where the hardware has it, else Vector256, else
/// scalar; the tail past the last whole vector is scalar. Inlined, so a constant length folds into the loops.
/// </summary>
public static class Kernels
{
    /// <summary>sum of w[i] * x[i], four vector accumulators (to hide the add latency).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ref float w, ref float x, int n)
    {
        int i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            Vector512<float> s0 = Vector512<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
            for (; i <= n - (4 * Vector512<float>.Count); i += 4 * Vector512<float>.Count)
            {
                s0 += Vector512.LoadUnsafe(ref w, (nuint)i) * Vector512.LoadUnsafe(ref x, (nuint)i);
                s1 += Vector512.LoadUnsafe(ref w, (nuint)(i + 16)) * Vector512.LoadUnsafe(ref x, (nuint)(i + 16));
                s2 += Vector512.LoadUnsafe(ref w, (nuint)(i + 32)) * Vector512.LoadUnsafe(ref x, (nuint)(i + 32));
                s3 += Vector512.LoadUnsafe(ref w, (nuint)(i + 48)) * Vector512.LoadUnsafe(ref x, (nuint)(i + 48));
            }

            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                s0 += Vector512.LoadUnsafe(ref w, (nuint)i) * Vector512.LoadUnsafe(ref x, (nuint)i);
            }

            sum = Vector512.Sum((s0 + s1) + (s2 + s3));
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            Vector256<float> s0 = Vector256<float>.Zero, s1 = s0;
            for (; i <= n - (2 * Vector256<float>.Count); i += 2 * Vector256<float>.Count)
            {
                s0 += Vector256.LoadUnsafe(ref w, (nuint)i) * Vector256.LoadUnsafe(ref x, (nuint)i);
                s1 += Vector256.LoadUnsafe(ref w, (nuint)(i + 8)) * Vector256.LoadUnsafe(ref x, (nuint)(i + 8));
            }

            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                s0 += Vector256.LoadUnsafe(ref w, (nuint)i) * Vector256.LoadUnsafe(ref x, (nuint)i);
            }

            sum = Vector256.Sum(s0 + s1);
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref w, i) * Unsafe.Add(ref x, i);
        }

        return sum;
    }

    /// <summary>w[i] -= learningRate * (d * x[i]): one row of weights stepped against its slope.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Step(ref float w, ref float x, float d, float learningRate, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> dv = Vector512.Create(d), lr = Vector512.Create(learningRate);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> wv = Vector512.LoadUnsafe(ref w, (nuint)i);
                (wv - (lr * (dv * Vector512.LoadUnsafe(ref x, (nuint)i)))).StoreUnsafe(ref w, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> dv = Vector256.Create(d), lr = Vector256.Create(learningRate);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> wv = Vector256.LoadUnsafe(ref w, (nuint)i);
                (wv - (lr * (dv * Vector256.LoadUnsafe(ref x, (nuint)i)))).StoreUnsafe(ref w, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref w, i) -= learningRate * (d * Unsafe.Add(ref x, i));
        }
    }

    /// <summary>
    /// The fused row of a layer's backward pass: da[i] += d * w[i] (with the weight before its step), then
    /// w[i] -= learningRate * (d * a[i]).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void BackAndStep(ref float w, ref float a, ref float da, float d, float learningRate, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> dv = Vector512.Create(d), lr = Vector512.Create(learningRate);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> wv = Vector512.LoadUnsafe(ref w, (nuint)i);
                (Vector512.LoadUnsafe(ref da, (nuint)i) + (dv * wv)).StoreUnsafe(ref da, (nuint)i);
                (wv - (lr * (dv * Vector512.LoadUnsafe(ref a, (nuint)i)))).StoreUnsafe(ref w, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> dv = Vector256.Create(d), lr = Vector256.Create(learningRate);
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> wv = Vector256.LoadUnsafe(ref w, (nuint)i);
                (Vector256.LoadUnsafe(ref da, (nuint)i) + (dv * wv)).StoreUnsafe(ref da, (nuint)i);
                (wv - (lr * (dv * Vector256.LoadUnsafe(ref a, (nuint)i)))).StoreUnsafe(ref w, (nuint)i);
            }
        }

        for (; i < n; i++)
        {
            ref float wi = ref Unsafe.Add(ref w, i);
            Unsafe.Add(ref da, i) += d * wi;
            wi -= learningRate * (d * Unsafe.Add(ref a, i));
        }
    }
}
