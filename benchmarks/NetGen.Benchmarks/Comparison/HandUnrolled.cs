using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Benchmarks.Comparison;

// Hand-unrolled baselines, written the way a careful person would write a network this small by hand: every
// weight a named value, every sum written out, the gradient fused into the SGD update, nothing allocated.
// Same parameter layout and summation order as NetGen (layer by layer, weights row-major [unit][input], then
// biases), so one parameter vector serves both.

/// <summary>Network A, 2-2-1 (ReLU hidden, no biases, identity output), with its six weights in fields.</summary>
public sealed class HandA
{
    private float _w0, _w1, _w2, _w3, _w4, _w5;

    public void SetParameters(ReadOnlySpan<float> p)
    {
        if (p.Length != 6)
        {
            ThrowLength();
        }

        (_w0, _w1, _w2, _w3, _w4, _w5) = (p[0], p[1], p[2], p[3], p[4], p[5]);
    }

    public float[] GetParameters() => [_w0, _w1, _w2, _w3, _w4, _w5];

    public float Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        // One length check per span; after it the JIT drops the bounds checks of the constant indices below.
        if (input.Length != 2 || output.Length != 1)
        {
            ThrowLength();
        }

        float x0 = input[0], x1 = input[1];
        float z0 = _w0 * x0 + _w1 * x1;
        float h0 = z0 > 0f ? z0 : 0f;
        float z1 = _w2 * x0 + _w3 * x1;
        float h1 = z1 > 0f ? z1 : 0f;
        float y = _w4 * h0 + _w5 * h1;
        output[0] = y;
        return y;
    }

    public float TrainStep(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        if (input.Length != 2 || target.Length != 1)
        {
            ThrowLength();
        }

        float x0 = input[0], x1 = input[1];
        float w4 = _w4, w5 = _w5;
        float z0 = _w0 * x0 + _w1 * x1;
        float h0 = z0 > 0f ? z0 : 0f;
        float z1 = _w2 * x0 + _w3 * x1;
        float h1 = z1 > 0f ? z1 : 0f;
        float y = w4 * h0 + w5 * h1;
        float e = y - target[0];

        // One output: L = e^2, dL/dy = 2e; the hidden slopes use the output weights before their step.
        float d = 2f * e;
        float g0 = z0 > 0f ? d * w4 : 0f;
        float g1 = z1 > 0f ? d * w5 : 0f;
        _w4 = w4 - learningRate * (d * h0);
        _w5 = w5 - learningRate * (d * h1);
        _w0 -= learningRate * (g0 * x0);
        _w1 -= learningRate * (g0 * x1);
        _w2 -= learningRate * (g1 * x0);
        _w3 -= learningRate * (g1 * x1);
        return e * e;
    }

    private static void ThrowLength() => throw new ArgumentException("Wrong span length.");
}

/// <summary>
/// Network B, 4-8-3 (ReLU hidden, biases, identity output): 67 parameters in one array, read through a ref
/// (<see cref="Unsafe.Add{T}(ref T, int)"/>) with constant offsets. No bounds checks, and justified: the array is
/// readonly and made with exactly 67 elements, and the spans' lengths are checked once on entry.
/// </summary>
public sealed class HandB
{
    private readonly float[] _p = new float[67];

    public void SetParameters(ReadOnlySpan<float> p) => p.CopyTo(_p.AsSpan());

    public float[] GetParameters() => (float[])_p.Clone();

    private static void ThrowLength() => throw new ArgumentException("Wrong span length.");

    public float Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != 4 || output.Length != 3)
        {
            ThrowLength();
        }

        ref float p = ref MemoryMarshal.GetArrayDataReference(_p);
        ref float x = ref MemoryMarshal.GetReference(input);
        float x0 = Unsafe.Add(ref x, 0);
        float x1 = Unsafe.Add(ref x, 1);
        float x2 = Unsafe.Add(ref x, 2);
        float x3 = Unsafe.Add(ref x, 3);
        float z0 = Unsafe.Add(ref p, 0) * x0 + Unsafe.Add(ref p, 1) * x1 + Unsafe.Add(ref p, 2) * x2 + Unsafe.Add(ref p, 3) * x3 + Unsafe.Add(ref p, 32);
        float h0 = z0 > 0f ? z0 : 0f;
        float z1 = Unsafe.Add(ref p, 4) * x0 + Unsafe.Add(ref p, 5) * x1 + Unsafe.Add(ref p, 6) * x2 + Unsafe.Add(ref p, 7) * x3 + Unsafe.Add(ref p, 33);
        float h1 = z1 > 0f ? z1 : 0f;
        float z2 = Unsafe.Add(ref p, 8) * x0 + Unsafe.Add(ref p, 9) * x1 + Unsafe.Add(ref p, 10) * x2 + Unsafe.Add(ref p, 11) * x3 + Unsafe.Add(ref p, 34);
        float h2 = z2 > 0f ? z2 : 0f;
        float z3 = Unsafe.Add(ref p, 12) * x0 + Unsafe.Add(ref p, 13) * x1 + Unsafe.Add(ref p, 14) * x2 + Unsafe.Add(ref p, 15) * x3 + Unsafe.Add(ref p, 35);
        float h3 = z3 > 0f ? z3 : 0f;
        float z4 = Unsafe.Add(ref p, 16) * x0 + Unsafe.Add(ref p, 17) * x1 + Unsafe.Add(ref p, 18) * x2 + Unsafe.Add(ref p, 19) * x3 + Unsafe.Add(ref p, 36);
        float h4 = z4 > 0f ? z4 : 0f;
        float z5 = Unsafe.Add(ref p, 20) * x0 + Unsafe.Add(ref p, 21) * x1 + Unsafe.Add(ref p, 22) * x2 + Unsafe.Add(ref p, 23) * x3 + Unsafe.Add(ref p, 37);
        float h5 = z5 > 0f ? z5 : 0f;
        float z6 = Unsafe.Add(ref p, 24) * x0 + Unsafe.Add(ref p, 25) * x1 + Unsafe.Add(ref p, 26) * x2 + Unsafe.Add(ref p, 27) * x3 + Unsafe.Add(ref p, 38);
        float h6 = z6 > 0f ? z6 : 0f;
        float z7 = Unsafe.Add(ref p, 28) * x0 + Unsafe.Add(ref p, 29) * x1 + Unsafe.Add(ref p, 30) * x2 + Unsafe.Add(ref p, 31) * x3 + Unsafe.Add(ref p, 39);
        float h7 = z7 > 0f ? z7 : 0f;
        float y0 = Unsafe.Add(ref p, 40) * h0 + Unsafe.Add(ref p, 41) * h1 + Unsafe.Add(ref p, 42) * h2 + Unsafe.Add(ref p, 43) * h3 + Unsafe.Add(ref p, 44) * h4 + Unsafe.Add(ref p, 45) * h5 + Unsafe.Add(ref p, 46) * h6 + Unsafe.Add(ref p, 47) * h7 + Unsafe.Add(ref p, 64);
        float y1 = Unsafe.Add(ref p, 48) * h0 + Unsafe.Add(ref p, 49) * h1 + Unsafe.Add(ref p, 50) * h2 + Unsafe.Add(ref p, 51) * h3 + Unsafe.Add(ref p, 52) * h4 + Unsafe.Add(ref p, 53) * h5 + Unsafe.Add(ref p, 54) * h6 + Unsafe.Add(ref p, 55) * h7 + Unsafe.Add(ref p, 65);
        float y2 = Unsafe.Add(ref p, 56) * h0 + Unsafe.Add(ref p, 57) * h1 + Unsafe.Add(ref p, 58) * h2 + Unsafe.Add(ref p, 59) * h3 + Unsafe.Add(ref p, 60) * h4 + Unsafe.Add(ref p, 61) * h5 + Unsafe.Add(ref p, 62) * h6 + Unsafe.Add(ref p, 63) * h7 + Unsafe.Add(ref p, 66);
        ref float o = ref MemoryMarshal.GetReference(output);
        Unsafe.Add(ref o, 0) = y0;
        Unsafe.Add(ref o, 1) = y1;
        Unsafe.Add(ref o, 2) = y2;
        return y0;
    }

    public float TrainStep(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        if (input.Length != 4 || target.Length != 3)
        {
            ThrowLength();
        }

        ref float p = ref MemoryMarshal.GetArrayDataReference(_p);
        ref float t = ref MemoryMarshal.GetReference(target);
        ref float x = ref MemoryMarshal.GetReference(input);
        float x0 = Unsafe.Add(ref x, 0);
        float x1 = Unsafe.Add(ref x, 1);
        float x2 = Unsafe.Add(ref x, 2);
        float x3 = Unsafe.Add(ref x, 3);
        float z0 = Unsafe.Add(ref p, 0) * x0 + Unsafe.Add(ref p, 1) * x1 + Unsafe.Add(ref p, 2) * x2 + Unsafe.Add(ref p, 3) * x3 + Unsafe.Add(ref p, 32);
        float h0 = z0 > 0f ? z0 : 0f;
        float z1 = Unsafe.Add(ref p, 4) * x0 + Unsafe.Add(ref p, 5) * x1 + Unsafe.Add(ref p, 6) * x2 + Unsafe.Add(ref p, 7) * x3 + Unsafe.Add(ref p, 33);
        float h1 = z1 > 0f ? z1 : 0f;
        float z2 = Unsafe.Add(ref p, 8) * x0 + Unsafe.Add(ref p, 9) * x1 + Unsafe.Add(ref p, 10) * x2 + Unsafe.Add(ref p, 11) * x3 + Unsafe.Add(ref p, 34);
        float h2 = z2 > 0f ? z2 : 0f;
        float z3 = Unsafe.Add(ref p, 12) * x0 + Unsafe.Add(ref p, 13) * x1 + Unsafe.Add(ref p, 14) * x2 + Unsafe.Add(ref p, 15) * x3 + Unsafe.Add(ref p, 35);
        float h3 = z3 > 0f ? z3 : 0f;
        float z4 = Unsafe.Add(ref p, 16) * x0 + Unsafe.Add(ref p, 17) * x1 + Unsafe.Add(ref p, 18) * x2 + Unsafe.Add(ref p, 19) * x3 + Unsafe.Add(ref p, 36);
        float h4 = z4 > 0f ? z4 : 0f;
        float z5 = Unsafe.Add(ref p, 20) * x0 + Unsafe.Add(ref p, 21) * x1 + Unsafe.Add(ref p, 22) * x2 + Unsafe.Add(ref p, 23) * x3 + Unsafe.Add(ref p, 37);
        float h5 = z5 > 0f ? z5 : 0f;
        float z6 = Unsafe.Add(ref p, 24) * x0 + Unsafe.Add(ref p, 25) * x1 + Unsafe.Add(ref p, 26) * x2 + Unsafe.Add(ref p, 27) * x3 + Unsafe.Add(ref p, 38);
        float h6 = z6 > 0f ? z6 : 0f;
        float z7 = Unsafe.Add(ref p, 28) * x0 + Unsafe.Add(ref p, 29) * x1 + Unsafe.Add(ref p, 30) * x2 + Unsafe.Add(ref p, 31) * x3 + Unsafe.Add(ref p, 39);
        float h7 = z7 > 0f ? z7 : 0f;
        float y0 = Unsafe.Add(ref p, 40) * h0 + Unsafe.Add(ref p, 41) * h1 + Unsafe.Add(ref p, 42) * h2 + Unsafe.Add(ref p, 43) * h3 + Unsafe.Add(ref p, 44) * h4 + Unsafe.Add(ref p, 45) * h5 + Unsafe.Add(ref p, 46) * h6 + Unsafe.Add(ref p, 47) * h7 + Unsafe.Add(ref p, 64);
        float y1 = Unsafe.Add(ref p, 48) * h0 + Unsafe.Add(ref p, 49) * h1 + Unsafe.Add(ref p, 50) * h2 + Unsafe.Add(ref p, 51) * h3 + Unsafe.Add(ref p, 52) * h4 + Unsafe.Add(ref p, 53) * h5 + Unsafe.Add(ref p, 54) * h6 + Unsafe.Add(ref p, 55) * h7 + Unsafe.Add(ref p, 65);
        float y2 = Unsafe.Add(ref p, 56) * h0 + Unsafe.Add(ref p, 57) * h1 + Unsafe.Add(ref p, 58) * h2 + Unsafe.Add(ref p, 59) * h3 + Unsafe.Add(ref p, 60) * h4 + Unsafe.Add(ref p, 61) * h5 + Unsafe.Add(ref p, 62) * h6 + Unsafe.Add(ref p, 63) * h7 + Unsafe.Add(ref p, 66);
        float e0 = y0 - Unsafe.Add(ref t, 0);
        float e1 = y1 - Unsafe.Add(ref t, 1);
        float e2 = y2 - Unsafe.Add(ref t, 2);
        float loss = (e0 * e0 + e1 * e1 + e2 * e2) / 3f;
        // dL/dy = 2 e / 3 (mean squared error over three outputs); identity output, so dz2 = dL/dy.
        float d0 = 2f / 3f * e0;
        float d1 = 2f / 3f * e1;
        float d2 = 2f / 3f * e2;
        // Slopes reaching the hidden nodes, through the weights before they are stepped, with the ReLU slope.
        float g0 = z0 > 0f ? d0 * Unsafe.Add(ref p, 40) + d1 * Unsafe.Add(ref p, 48) + d2 * Unsafe.Add(ref p, 56) : 0f;
        float g1 = z1 > 0f ? d0 * Unsafe.Add(ref p, 41) + d1 * Unsafe.Add(ref p, 49) + d2 * Unsafe.Add(ref p, 57) : 0f;
        float g2 = z2 > 0f ? d0 * Unsafe.Add(ref p, 42) + d1 * Unsafe.Add(ref p, 50) + d2 * Unsafe.Add(ref p, 58) : 0f;
        float g3 = z3 > 0f ? d0 * Unsafe.Add(ref p, 43) + d1 * Unsafe.Add(ref p, 51) + d2 * Unsafe.Add(ref p, 59) : 0f;
        float g4 = z4 > 0f ? d0 * Unsafe.Add(ref p, 44) + d1 * Unsafe.Add(ref p, 52) + d2 * Unsafe.Add(ref p, 60) : 0f;
        float g5 = z5 > 0f ? d0 * Unsafe.Add(ref p, 45) + d1 * Unsafe.Add(ref p, 53) + d2 * Unsafe.Add(ref p, 61) : 0f;
        float g6 = z6 > 0f ? d0 * Unsafe.Add(ref p, 46) + d1 * Unsafe.Add(ref p, 54) + d2 * Unsafe.Add(ref p, 62) : 0f;
        float g7 = z7 > 0f ? d0 * Unsafe.Add(ref p, 47) + d1 * Unsafe.Add(ref p, 55) + d2 * Unsafe.Add(ref p, 63) : 0f;
        // Output layer step.
        Unsafe.Add(ref p, 40) -= learningRate * (d0 * h0);
        Unsafe.Add(ref p, 41) -= learningRate * (d0 * h1);
        Unsafe.Add(ref p, 42) -= learningRate * (d0 * h2);
        Unsafe.Add(ref p, 43) -= learningRate * (d0 * h3);
        Unsafe.Add(ref p, 44) -= learningRate * (d0 * h4);
        Unsafe.Add(ref p, 45) -= learningRate * (d0 * h5);
        Unsafe.Add(ref p, 46) -= learningRate * (d0 * h6);
        Unsafe.Add(ref p, 47) -= learningRate * (d0 * h7);
        Unsafe.Add(ref p, 64) -= learningRate * d0;
        Unsafe.Add(ref p, 48) -= learningRate * (d1 * h0);
        Unsafe.Add(ref p, 49) -= learningRate * (d1 * h1);
        Unsafe.Add(ref p, 50) -= learningRate * (d1 * h2);
        Unsafe.Add(ref p, 51) -= learningRate * (d1 * h3);
        Unsafe.Add(ref p, 52) -= learningRate * (d1 * h4);
        Unsafe.Add(ref p, 53) -= learningRate * (d1 * h5);
        Unsafe.Add(ref p, 54) -= learningRate * (d1 * h6);
        Unsafe.Add(ref p, 55) -= learningRate * (d1 * h7);
        Unsafe.Add(ref p, 65) -= learningRate * d1;
        Unsafe.Add(ref p, 56) -= learningRate * (d2 * h0);
        Unsafe.Add(ref p, 57) -= learningRate * (d2 * h1);
        Unsafe.Add(ref p, 58) -= learningRate * (d2 * h2);
        Unsafe.Add(ref p, 59) -= learningRate * (d2 * h3);
        Unsafe.Add(ref p, 60) -= learningRate * (d2 * h4);
        Unsafe.Add(ref p, 61) -= learningRate * (d2 * h5);
        Unsafe.Add(ref p, 62) -= learningRate * (d2 * h6);
        Unsafe.Add(ref p, 63) -= learningRate * (d2 * h7);
        Unsafe.Add(ref p, 66) -= learningRate * d2;
        // Hidden layer step.
        Unsafe.Add(ref p, 0) -= learningRate * (g0 * x0);
        Unsafe.Add(ref p, 1) -= learningRate * (g0 * x1);
        Unsafe.Add(ref p, 2) -= learningRate * (g0 * x2);
        Unsafe.Add(ref p, 3) -= learningRate * (g0 * x3);
        Unsafe.Add(ref p, 32) -= learningRate * g0;
        Unsafe.Add(ref p, 4) -= learningRate * (g1 * x0);
        Unsafe.Add(ref p, 5) -= learningRate * (g1 * x1);
        Unsafe.Add(ref p, 6) -= learningRate * (g1 * x2);
        Unsafe.Add(ref p, 7) -= learningRate * (g1 * x3);
        Unsafe.Add(ref p, 33) -= learningRate * g1;
        Unsafe.Add(ref p, 8) -= learningRate * (g2 * x0);
        Unsafe.Add(ref p, 9) -= learningRate * (g2 * x1);
        Unsafe.Add(ref p, 10) -= learningRate * (g2 * x2);
        Unsafe.Add(ref p, 11) -= learningRate * (g2 * x3);
        Unsafe.Add(ref p, 34) -= learningRate * g2;
        Unsafe.Add(ref p, 12) -= learningRate * (g3 * x0);
        Unsafe.Add(ref p, 13) -= learningRate * (g3 * x1);
        Unsafe.Add(ref p, 14) -= learningRate * (g3 * x2);
        Unsafe.Add(ref p, 15) -= learningRate * (g3 * x3);
        Unsafe.Add(ref p, 35) -= learningRate * g3;
        Unsafe.Add(ref p, 16) -= learningRate * (g4 * x0);
        Unsafe.Add(ref p, 17) -= learningRate * (g4 * x1);
        Unsafe.Add(ref p, 18) -= learningRate * (g4 * x2);
        Unsafe.Add(ref p, 19) -= learningRate * (g4 * x3);
        Unsafe.Add(ref p, 36) -= learningRate * g4;
        Unsafe.Add(ref p, 20) -= learningRate * (g5 * x0);
        Unsafe.Add(ref p, 21) -= learningRate * (g5 * x1);
        Unsafe.Add(ref p, 22) -= learningRate * (g5 * x2);
        Unsafe.Add(ref p, 23) -= learningRate * (g5 * x3);
        Unsafe.Add(ref p, 37) -= learningRate * g5;
        Unsafe.Add(ref p, 24) -= learningRate * (g6 * x0);
        Unsafe.Add(ref p, 25) -= learningRate * (g6 * x1);
        Unsafe.Add(ref p, 26) -= learningRate * (g6 * x2);
        Unsafe.Add(ref p, 27) -= learningRate * (g6 * x3);
        Unsafe.Add(ref p, 38) -= learningRate * g6;
        Unsafe.Add(ref p, 28) -= learningRate * (g7 * x0);
        Unsafe.Add(ref p, 29) -= learningRate * (g7 * x1);
        Unsafe.Add(ref p, 30) -= learningRate * (g7 * x2);
        Unsafe.Add(ref p, 31) -= learningRate * (g7 * x3);
        Unsafe.Add(ref p, 39) -= learningRate * g7;
        return loss;
    }
}
