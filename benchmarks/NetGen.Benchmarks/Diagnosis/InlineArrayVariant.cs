using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Benchmarks.Diagnosis;

/// <summary>
/// Network A's generated Forward and TrainStep with the parameters stored inside the object, in an
/// <see cref="InlineArrayAttribute"/> field, rather than in a separate float[]: one dependent load fewer per
/// parameter read (this -> value, not this -> array -> value), and constant indices checked at compile time.
/// <see cref="Parameters"/> is still a Span over them (C# 12, net8.0).
/// </summary>
public sealed class NetAInlineVariant
{
    private const int InputCount = 2;
    private const int OutputCount = 1;

    private Buffer _p;

    public Span<float> Parameters => MemoryMarshal.CreateSpan(ref _p[0], 6);

    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        NetGen.Guard.Length(input.Length, InputCount, nameof(input));
        NetGen.Guard.Length(output.Length, OutputCount, nameof(output));
        float x0 = input[0];
        float x1 = input[1];
        float z1_0 = _p[0] * x0 + _p[1] * x1;
        float a1_0 = z1_0 > 0f ? z1_0 : 0f;
        float z1_1 = _p[2] * x0 + _p[3] * x1;
        float a1_1 = z1_1 > 0f ? z1_1 : 0f;
        float z2_0 = _p[4] * a1_0 + _p[5] * a1_1;
        output[0] = z2_0;
    }

    public float TrainStep(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        NetGen.Guard.Length(input.Length, InputCount, nameof(input));
        NetGen.Guard.Length(target.Length, OutputCount, nameof(target));
        float x0 = input[0];
        float x1 = input[1];
        float z1_0 = _p[0] * x0 + _p[1] * x1;
        float a1_0 = z1_0 > 0f ? z1_0 : 0f;
        float z1_1 = _p[2] * x0 + _p[3] * x1;
        float a1_1 = z1_1 > 0f ? z1_1 : 0f;
        float z2_0 = _p[4] * a1_0 + _p[5] * a1_1;
        float e0 = z2_0 - target[0];
        float loss = e0 * e0;
        float dz2_0 = 2f * e0;
        float da1_0 = dz2_0 * _p[4];
        float da1_1 = dz2_0 * _p[5];
        _p[4] -= learningRate * (dz2_0 * a1_0);
        _p[5] -= learningRate * (dz2_0 * a1_1);
        float dz1_0 = z1_0 > 0f ? da1_0 : 0f;
        float dz1_1 = z1_1 > 0f ? da1_1 : 0f;
        _p[0] -= learningRate * (dz1_0 * x0);
        _p[1] -= learningRate * (dz1_0 * x1);
        _p[2] -= learningRate * (dz1_1 * x0);
        _p[3] -= learningRate * (dz1_1 * x1);
        return loss;
    }

    [InlineArray(6)]
    private struct Buffer
    {
        private float _element;
    }
}
