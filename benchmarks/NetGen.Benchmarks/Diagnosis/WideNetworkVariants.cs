using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetGen.Benchmarks.Comparison;

namespace NetGen.Benchmarks.Diagnosis;

// Hand-edited copies of what NetGen generates today for networks C and D (constant-bound scalar loops over span
// indexing; obj/**/NetGen.Benchmarks.Comparison.NetC.g.cs), in three forms, to split the cost of the generated loops:
// - ...Ref: the same scalar loops, in the same order, through refs and Unsafe.Add: what bounds checks cost;
// - ...Split: TrainStep with the first layer's update loop in a method of its own: what the spilled learning rate costs;
// - ...Simd: the inner loops as SIMD kernels (Kernels): what the scalar loops cost.
// The SIMD forward sums in another order (lanes, then across), so it agrees with the scalar forms to rounding, not
// to the bit; the update rows are element by element and keep the scalar rounding exactly.

/// <summary>Variants of <see cref="NetC"/>'s generated Forward and TrainStep (64-32-10, ReLU, biases, MSE).</summary>
public sealed class NetCVariants
{
    private const int W1 = 0, B1 = 64 * 32, W2 = B1 + 32, B2 = W2 + (32 * 10);

    private readonly float[] _parameters = new float[NetC.ParameterCount];

    public Span<float> Parameters => _parameters;

    /// <summary>The generated loops, unchanged but for refs and Unsafe.Add in place of span indexing (no bounds checks).</summary>
    public void ForwardRef(ReadOnlySpan<float> input, Span<float> output)
    {
        NetGen.Guard.Length(input.Length, 64, nameof(input));
        NetGen.Guard.Length(output.Length, 10, nameof(output));
        ref float p = ref MemoryMarshal.GetArrayDataReference(_parameters);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float o = ref MemoryMarshal.GetReference(output);
        Span<float> a1s = stackalloc float[32];
        ref float a1 = ref MemoryMarshal.GetReference(a1s);
        for (int j = 0; j < 32; j++)
        {
            int row = W1 + (j * 64);
            float z = 0f;
            for (int i = 0; i < 64; i++)
            {
                z += Unsafe.Add(ref p, row + i) * Unsafe.Add(ref x, i);
            }

            z += Unsafe.Add(ref p, B1 + j);
            Unsafe.Add(ref a1, j) = z > 0f ? z : 0f;
        }

        for (int j = 0; j < 10; j++)
        {
            int row = W2 + (j * 32);
            float z = 0f;
            for (int i = 0; i < 32; i++)
            {
                z += Unsafe.Add(ref p, row + i) * Unsafe.Add(ref a1, i);
            }

            Unsafe.Add(ref o, j) = z + Unsafe.Add(ref p, B2 + j);
        }
    }

    /// <summary>SIMD dot products (<see cref="Kernels.Dot"/>) for every row; the rest as generated.</summary>
    public void ForwardSimd(ReadOnlySpan<float> input, Span<float> output)
    {
        NetGen.Guard.Length(input.Length, 64, nameof(input));
        NetGen.Guard.Length(output.Length, 10, nameof(output));
        ref float p = ref MemoryMarshal.GetArrayDataReference(_parameters);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float o = ref MemoryMarshal.GetReference(output);
        Span<float> a1s = stackalloc float[32];
        ref float a1 = ref MemoryMarshal.GetReference(a1s);
        for (int j = 0; j < 32; j++)
        {
            float z = Kernels.Dot(ref Unsafe.Add(ref p, W1 + (j * 64)), ref x, 64) + Unsafe.Add(ref p, B1 + j);
            Unsafe.Add(ref a1, j) = z > 0f ? z : 0f;
        }

        for (int j = 0; j < 10; j++)
        {
            Unsafe.Add(ref o, j) = Kernels.Dot(ref Unsafe.Add(ref p, W2 + (j * 32)), ref a1, 32) + Unsafe.Add(ref p, B2 + j);
        }
    }

    /// <summary>The generated TrainStep's loops with refs and Unsafe.Add in place of span indexing (no bounds checks).</summary>
    public float TrainStepRef(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        NetGen.Guard.Length(input.Length, 64, nameof(input));
        NetGen.Guard.Length(target.Length, 10, nameof(target));
        ref float p = ref MemoryMarshal.GetArrayDataReference(_parameters);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float t = ref MemoryMarshal.GetReference(target);
        Span<float> a1s = stackalloc float[32];
        ref float a1 = ref MemoryMarshal.GetReference(a1s);
        for (int j = 0; j < 32; j++)
        {
            int row = W1 + (j * 64);
            float z = 0f;
            for (int i = 0; i < 64; i++)
            {
                z += Unsafe.Add(ref p, row + i) * Unsafe.Add(ref x, i);
            }

            z += Unsafe.Add(ref p, B1 + j);
            Unsafe.Add(ref a1, j) = z > 0f ? z : 0f;
        }

        Span<float> dz2s = stackalloc float[10];
        ref float dz2 = ref MemoryMarshal.GetReference(dz2s);
        float loss = 0f;
        for (int j = 0; j < 10; j++)
        {
            int row = W2 + (j * 32);
            float z = 0f;
            for (int i = 0; i < 32; i++)
            {
                z += Unsafe.Add(ref p, row + i) * Unsafe.Add(ref a1, i);
            }

            float e = z + Unsafe.Add(ref p, B2 + j) - Unsafe.Add(ref t, j);
            loss += e * e;
            Unsafe.Add(ref dz2, j) = 2f / 10f * e;
        }

        loss /= 10f;
        Span<float> da1s = stackalloc float[32];
        ref float da1 = ref MemoryMarshal.GetReference(da1s);
        for (int j = 0; j < 10; j++)
        {
            float d = Unsafe.Add(ref dz2, j);
            int row = W2 + (j * 32);
            for (int i = 0; i < 32; i++)
            {
                ref float w = ref Unsafe.Add(ref p, row + i);
                Unsafe.Add(ref da1, i) += d * w;
                w -= learningRate * (d * Unsafe.Add(ref a1, i));
            }

            Unsafe.Add(ref p, B2 + j) -= learningRate * d;
        }

        for (int j = 0; j < 32; j++)
        {
            float d = Unsafe.Add(ref a1, j) > 0f ? Unsafe.Add(ref da1, j) : 0f;
            int row = W1 + (j * 64);
            for (int i = 0; i < 64; i++)
            {
                Unsafe.Add(ref p, row + i) -= learningRate * (d * Unsafe.Add(ref x, i));
            }

            Unsafe.Add(ref p, B1 + j) -= learningRate * d;
        }

        return loss;
    }

    /// <summary>
    /// <see cref="TrainStepRef"/> with the first layer's update loop moved into a method of its own
    /// (<see cref="StepLayer1"/>): the same scalar code, but the learning rate no longer shares a register
    /// allocation with the rest of TrainStep.
    /// </summary>
    public float TrainStepSplit(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        NetGen.Guard.Length(input.Length, 64, nameof(input));
        NetGen.Guard.Length(target.Length, 10, nameof(target));
        ref float p = ref MemoryMarshal.GetArrayDataReference(_parameters);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float t = ref MemoryMarshal.GetReference(target);
        Span<float> a1s = stackalloc float[32];
        ref float a1 = ref MemoryMarshal.GetReference(a1s);
        for (int j = 0; j < 32; j++)
        {
            int row = W1 + (j * 64);
            float z = 0f;
            for (int i = 0; i < 64; i++)
            {
                z += Unsafe.Add(ref p, row + i) * Unsafe.Add(ref x, i);
            }

            z += Unsafe.Add(ref p, B1 + j);
            Unsafe.Add(ref a1, j) = z > 0f ? z : 0f;
        }

        Span<float> dz2s = stackalloc float[10];
        ref float dz2 = ref MemoryMarshal.GetReference(dz2s);
        float loss = 0f;
        for (int j = 0; j < 10; j++)
        {
            int row = W2 + (j * 32);
            float z = 0f;
            for (int i = 0; i < 32; i++)
            {
                z += Unsafe.Add(ref p, row + i) * Unsafe.Add(ref a1, i);
            }

            float e = z + Unsafe.Add(ref p, B2 + j) - Unsafe.Add(ref t, j);
            loss += e * e;
            Unsafe.Add(ref dz2, j) = 2f / 10f * e;
        }

        loss /= 10f;
        Span<float> da1s = stackalloc float[32];
        ref float da1 = ref MemoryMarshal.GetReference(da1s);
        for (int j = 0; j < 10; j++)
        {
            float d = Unsafe.Add(ref dz2, j);
            int row = W2 + (j * 32);
            for (int i = 0; i < 32; i++)
            {
                ref float w = ref Unsafe.Add(ref p, row + i);
                Unsafe.Add(ref da1, i) += d * w;
                w -= learningRate * (d * Unsafe.Add(ref a1, i));
            }

            Unsafe.Add(ref p, B2 + j) -= learningRate * d;
        }

        StepLayer1(ref p, ref x, ref a1, ref da1, learningRate);
        return loss;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StepLayer1(ref float p, ref float x, ref float a1, ref float da1, float learningRate)
    {
        for (int j = 0; j < 32; j++)
        {
            float d = Unsafe.Add(ref a1, j) > 0f ? Unsafe.Add(ref da1, j) : 0f;
            int row = W1 + (j * 64);
            for (int i = 0; i < 64; i++)
            {
                Unsafe.Add(ref p, row + i) -= learningRate * (d * Unsafe.Add(ref x, i));
            }

            Unsafe.Add(ref p, B1 + j) -= learningRate * d;
        }
    }

    /// <summary>
    /// SIMD throughout: dot products (<see cref="Kernels.Dot"/>), the fused slope-back-and-update row
    /// (<see cref="Kernels.BackAndStep"/>), and the update row (<see cref="Kernels.Step"/>), in the generated order.
    /// </summary>
    public float TrainStepSimd(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        NetGen.Guard.Length(input.Length, 64, nameof(input));
        NetGen.Guard.Length(target.Length, 10, nameof(target));
        ref float p = ref MemoryMarshal.GetArrayDataReference(_parameters);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float t = ref MemoryMarshal.GetReference(target);
        Span<float> a1s = stackalloc float[32];
        ref float a1 = ref MemoryMarshal.GetReference(a1s);
        for (int j = 0; j < 32; j++)
        {
            float z = Kernels.Dot(ref Unsafe.Add(ref p, W1 + (j * 64)), ref x, 64) + Unsafe.Add(ref p, B1 + j);
            Unsafe.Add(ref a1, j) = z > 0f ? z : 0f;
        }

        Span<float> dz2s = stackalloc float[10];
        ref float dz2 = ref MemoryMarshal.GetReference(dz2s);
        float loss = 0f;
        for (int j = 0; j < 10; j++)
        {
            float z = Kernels.Dot(ref Unsafe.Add(ref p, W2 + (j * 32)), ref a1, 32) + Unsafe.Add(ref p, B2 + j);
            float e = z - Unsafe.Add(ref t, j);
            loss += e * e;
            Unsafe.Add(ref dz2, j) = 2f / 10f * e;
        }

        loss /= 10f;
        Span<float> da1s = stackalloc float[32];
        ref float da1 = ref MemoryMarshal.GetReference(da1s);
        for (int j = 0; j < 10; j++)
        {
            float d = Unsafe.Add(ref dz2, j);
            Kernels.BackAndStep(ref Unsafe.Add(ref p, W2 + (j * 32)), ref a1, ref da1, d, learningRate, 32);
            Unsafe.Add(ref p, B2 + j) -= learningRate * d;
        }

        for (int j = 0; j < 32; j++)
        {
            float d = Unsafe.Add(ref a1, j) > 0f ? Unsafe.Add(ref da1, j) : 0f;
            Kernels.Step(ref Unsafe.Add(ref p, W1 + (j * 64)), ref x, d, learningRate, 64);
            Unsafe.Add(ref p, B1 + j) -= learningRate * d;
        }

        return loss;
    }
}

/// <summary>Variants of <see cref="NetD"/>'s generated Forward and TrainStep (784-128-10, ReLU, biases, MSE).</summary>
public sealed class NetDVariants
{
    private const int W1 = 0, B1 = 784 * 128, W2 = B1 + 128, B2 = W2 + (128 * 10);

    private readonly float[] _parameters = new float[NetD.ParameterCount];

    public Span<float> Parameters => _parameters;

    /// <summary>The generated loops, unchanged but for refs and Unsafe.Add in place of span indexing (no bounds checks).</summary>
    public void ForwardRef(ReadOnlySpan<float> input, Span<float> output)
    {
        NetGen.Guard.Length(input.Length, 784, nameof(input));
        NetGen.Guard.Length(output.Length, 10, nameof(output));
        ref float p = ref MemoryMarshal.GetArrayDataReference(_parameters);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float o = ref MemoryMarshal.GetReference(output);
        Span<float> a1s = stackalloc float[128];
        ref float a1 = ref MemoryMarshal.GetReference(a1s);
        for (int j = 0; j < 128; j++)
        {
            int row = W1 + (j * 784);
            float z = 0f;
            for (int i = 0; i < 784; i++)
            {
                z += Unsafe.Add(ref p, row + i) * Unsafe.Add(ref x, i);
            }

            z += Unsafe.Add(ref p, B1 + j);
            Unsafe.Add(ref a1, j) = z > 0f ? z : 0f;
        }

        for (int j = 0; j < 10; j++)
        {
            int row = W2 + (j * 128);
            float z = 0f;
            for (int i = 0; i < 128; i++)
            {
                z += Unsafe.Add(ref p, row + i) * Unsafe.Add(ref a1, i);
            }

            Unsafe.Add(ref o, j) = z + Unsafe.Add(ref p, B2 + j);
        }
    }

    /// <summary>SIMD dot products (<see cref="Kernels.Dot"/>) for every row; the rest as generated.</summary>
    public void ForwardSimd(ReadOnlySpan<float> input, Span<float> output)
    {
        NetGen.Guard.Length(input.Length, 784, nameof(input));
        NetGen.Guard.Length(output.Length, 10, nameof(output));
        ref float p = ref MemoryMarshal.GetArrayDataReference(_parameters);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float o = ref MemoryMarshal.GetReference(output);
        Span<float> a1s = stackalloc float[128];
        ref float a1 = ref MemoryMarshal.GetReference(a1s);
        for (int j = 0; j < 128; j++)
        {
            float z = Kernels.Dot(ref Unsafe.Add(ref p, W1 + (j * 784)), ref x, 784) + Unsafe.Add(ref p, B1 + j);
            Unsafe.Add(ref a1, j) = z > 0f ? z : 0f;
        }

        for (int j = 0; j < 10; j++)
        {
            Unsafe.Add(ref o, j) = Kernels.Dot(ref Unsafe.Add(ref p, W2 + (j * 128)), ref a1, 128) + Unsafe.Add(ref p, B2 + j);
        }
    }

    /// <summary>The generated TrainStep's loops with refs and Unsafe.Add in place of span indexing (no bounds checks).</summary>
    public float TrainStepRef(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        NetGen.Guard.Length(input.Length, 784, nameof(input));
        NetGen.Guard.Length(target.Length, 10, nameof(target));
        ref float p = ref MemoryMarshal.GetArrayDataReference(_parameters);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float t = ref MemoryMarshal.GetReference(target);
        Span<float> a1s = stackalloc float[128];
        ref float a1 = ref MemoryMarshal.GetReference(a1s);
        for (int j = 0; j < 128; j++)
        {
            int row = W1 + (j * 784);
            float z = 0f;
            for (int i = 0; i < 784; i++)
            {
                z += Unsafe.Add(ref p, row + i) * Unsafe.Add(ref x, i);
            }

            z += Unsafe.Add(ref p, B1 + j);
            Unsafe.Add(ref a1, j) = z > 0f ? z : 0f;
        }

        Span<float> dz2s = stackalloc float[10];
        ref float dz2 = ref MemoryMarshal.GetReference(dz2s);
        float loss = 0f;
        for (int j = 0; j < 10; j++)
        {
            int row = W2 + (j * 128);
            float z = 0f;
            for (int i = 0; i < 128; i++)
            {
                z += Unsafe.Add(ref p, row + i) * Unsafe.Add(ref a1, i);
            }

            float e = z + Unsafe.Add(ref p, B2 + j) - Unsafe.Add(ref t, j);
            loss += e * e;
            Unsafe.Add(ref dz2, j) = 2f / 10f * e;
        }

        loss /= 10f;
        Span<float> da1s = stackalloc float[128];
        ref float da1 = ref MemoryMarshal.GetReference(da1s);
        for (int j = 0; j < 10; j++)
        {
            float d = Unsafe.Add(ref dz2, j);
            int row = W2 + (j * 128);
            for (int i = 0; i < 128; i++)
            {
                ref float w = ref Unsafe.Add(ref p, row + i);
                Unsafe.Add(ref da1, i) += d * w;
                w -= learningRate * (d * Unsafe.Add(ref a1, i));
            }

            Unsafe.Add(ref p, B2 + j) -= learningRate * d;
        }

        for (int j = 0; j < 128; j++)
        {
            float d = Unsafe.Add(ref a1, j) > 0f ? Unsafe.Add(ref da1, j) : 0f;
            int row = W1 + (j * 784);
            for (int i = 0; i < 784; i++)
            {
                Unsafe.Add(ref p, row + i) -= learningRate * (d * Unsafe.Add(ref x, i));
            }

            Unsafe.Add(ref p, B1 + j) -= learningRate * d;
        }

        return loss;
    }

    /// <summary>
    /// <see cref="TrainStepRef"/> with the first layer's update loop moved into a method of its own
    /// (<see cref="StepLayer1"/>): the same scalar code, but the learning rate no longer shares a register
    /// allocation with the rest of TrainStep.
    /// </summary>
    public float TrainStepSplit(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        NetGen.Guard.Length(input.Length, 784, nameof(input));
        NetGen.Guard.Length(target.Length, 10, nameof(target));
        ref float p = ref MemoryMarshal.GetArrayDataReference(_parameters);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float t = ref MemoryMarshal.GetReference(target);
        Span<float> a1s = stackalloc float[128];
        ref float a1 = ref MemoryMarshal.GetReference(a1s);
        for (int j = 0; j < 128; j++)
        {
            int row = W1 + (j * 784);
            float z = 0f;
            for (int i = 0; i < 784; i++)
            {
                z += Unsafe.Add(ref p, row + i) * Unsafe.Add(ref x, i);
            }

            z += Unsafe.Add(ref p, B1 + j);
            Unsafe.Add(ref a1, j) = z > 0f ? z : 0f;
        }

        Span<float> dz2s = stackalloc float[10];
        ref float dz2 = ref MemoryMarshal.GetReference(dz2s);
        float loss = 0f;
        for (int j = 0; j < 10; j++)
        {
            int row = W2 + (j * 128);
            float z = 0f;
            for (int i = 0; i < 128; i++)
            {
                z += Unsafe.Add(ref p, row + i) * Unsafe.Add(ref a1, i);
            }

            float e = z + Unsafe.Add(ref p, B2 + j) - Unsafe.Add(ref t, j);
            loss += e * e;
            Unsafe.Add(ref dz2, j) = 2f / 10f * e;
        }

        loss /= 10f;
        Span<float> da1s = stackalloc float[128];
        ref float da1 = ref MemoryMarshal.GetReference(da1s);
        for (int j = 0; j < 10; j++)
        {
            float d = Unsafe.Add(ref dz2, j);
            int row = W2 + (j * 128);
            for (int i = 0; i < 128; i++)
            {
                ref float w = ref Unsafe.Add(ref p, row + i);
                Unsafe.Add(ref da1, i) += d * w;
                w -= learningRate * (d * Unsafe.Add(ref a1, i));
            }

            Unsafe.Add(ref p, B2 + j) -= learningRate * d;
        }

        StepLayer1(ref p, ref x, ref a1, ref da1, learningRate);
        return loss;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StepLayer1(ref float p, ref float x, ref float a1, ref float da1, float learningRate)
    {
        for (int j = 0; j < 128; j++)
        {
            float d = Unsafe.Add(ref a1, j) > 0f ? Unsafe.Add(ref da1, j) : 0f;
            int row = W1 + (j * 784);
            for (int i = 0; i < 784; i++)
            {
                Unsafe.Add(ref p, row + i) -= learningRate * (d * Unsafe.Add(ref x, i));
            }

            Unsafe.Add(ref p, B1 + j) -= learningRate * d;
        }
    }

    /// <summary>
    /// SIMD throughout: dot products (<see cref="Kernels.Dot"/>), the fused slope-back-and-update row
    /// (<see cref="Kernels.BackAndStep"/>), and the update row (<see cref="Kernels.Step"/>), in the generated order.
    /// </summary>
    public float TrainStepSimd(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        NetGen.Guard.Length(input.Length, 784, nameof(input));
        NetGen.Guard.Length(target.Length, 10, nameof(target));
        ref float p = ref MemoryMarshal.GetArrayDataReference(_parameters);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float t = ref MemoryMarshal.GetReference(target);
        Span<float> a1s = stackalloc float[128];
        ref float a1 = ref MemoryMarshal.GetReference(a1s);
        for (int j = 0; j < 128; j++)
        {
            float z = Kernels.Dot(ref Unsafe.Add(ref p, W1 + (j * 784)), ref x, 784) + Unsafe.Add(ref p, B1 + j);
            Unsafe.Add(ref a1, j) = z > 0f ? z : 0f;
        }

        Span<float> dz2s = stackalloc float[10];
        ref float dz2 = ref MemoryMarshal.GetReference(dz2s);
        float loss = 0f;
        for (int j = 0; j < 10; j++)
        {
            float z = Kernels.Dot(ref Unsafe.Add(ref p, W2 + (j * 128)), ref a1, 128) + Unsafe.Add(ref p, B2 + j);
            float e = z - Unsafe.Add(ref t, j);
            loss += e * e;
            Unsafe.Add(ref dz2, j) = 2f / 10f * e;
        }

        loss /= 10f;
        Span<float> da1s = stackalloc float[128];
        ref float da1 = ref MemoryMarshal.GetReference(da1s);
        for (int j = 0; j < 10; j++)
        {
            float d = Unsafe.Add(ref dz2, j);
            Kernels.BackAndStep(ref Unsafe.Add(ref p, W2 + (j * 128)), ref a1, ref da1, d, learningRate, 128);
            Unsafe.Add(ref p, B2 + j) -= learningRate * d;
        }

        for (int j = 0; j < 128; j++)
        {
            float d = Unsafe.Add(ref a1, j) > 0f ? Unsafe.Add(ref da1, j) : 0f;
            Kernels.Step(ref Unsafe.Add(ref p, W1 + (j * 784)), ref x, d, learningRate, 784);
            Unsafe.Add(ref p, B1 + j) -= learningRate * d;
        }

        return loss;
    }
}

