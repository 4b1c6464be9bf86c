using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetGen.Benchmarks.Comparison;

namespace NetGen.Benchmarks.Diagnosis;

// Hand-edited copies of what NetGen generates today for networks A and B (Forward and TrainStep, comments
// dropped), written out by a script from obj/**/NetGen.Benchmarks.Comparison.NetA.g.cs and NetB.g.cs, in two forms:
// - ...Hint: unchanged but for one line, `_ = p[ParameterCount - 1];`, right after `p = __parameters`, so that
//   one bounds check covers every constant index below it;
// - ...Ref: the parameters, input, output and target read through refs with constant offsets
//   (MemoryMarshal.GetArrayDataReference / GetReference + Unsafe.Add): no bounds checks at all. Safe here because
//   the parameter array is readonly and made with ParameterCount elements, and the spans' lengths are checked first.
// SmallNetworkExperiments times them beside the generated methods themselves.

/// <summary>Variants of <see cref="NetA"/>'s generated Forward and TrainStep.</summary>
public sealed class NetAVariants
{
    private const int InputCount = NetA.InputCount;
    private const int OutputCount = NetA.OutputCount;

    private readonly float[] _parameters = new float[NetA.ParameterCount];

    public Span<float> Parameters => _parameters;

    public void ForwardHint(ReadOnlySpan<float> input, Span<float> output)
    {
        NetGen.Guard.Length(input.Length, InputCount, nameof(input));
        NetGen.Guard.Length(output.Length, OutputCount, nameof(output));
        ReadOnlySpan<float> p = _parameters;
        _ = p[5];

        float x0 = input[0];
        float x1 = input[1];

        float z1_0 = p[0] * x0 + p[1] * x1;
        float a1_0 = z1_0 > 0f ? z1_0 : 0f;
        float z1_1 = p[2] * x0 + p[3] * x1;
        float a1_1 = z1_1 > 0f ? z1_1 : 0f;

        float z2_0 = p[4] * a1_0 + p[5] * a1_1;
        float a2_0 = z2_0;

        output[0] = a2_0;
    }

    public void ForwardRef(ReadOnlySpan<float> input, Span<float> output)
    {
        NetGen.Guard.Length(input.Length, InputCount, nameof(input));
        NetGen.Guard.Length(output.Length, OutputCount, nameof(output));
        ref float p = ref MemoryMarshal.GetArrayDataReference(_parameters);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float o = ref MemoryMarshal.GetReference(output);

        float x0 = Unsafe.Add(ref x, 0);
        float x1 = Unsafe.Add(ref x, 1);

        float z1_0 = Unsafe.Add(ref p, 0) * x0 + Unsafe.Add(ref p, 1) * x1;
        float a1_0 = z1_0 > 0f ? z1_0 : 0f;
        float z1_1 = Unsafe.Add(ref p, 2) * x0 + Unsafe.Add(ref p, 3) * x1;
        float a1_1 = z1_1 > 0f ? z1_1 : 0f;

        float z2_0 = Unsafe.Add(ref p, 4) * a1_0 + Unsafe.Add(ref p, 5) * a1_1;
        float a2_0 = z2_0;

        Unsafe.Add(ref o, 0) = a2_0;
    }

    public float TrainStepHint(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        NetGen.Guard.Length(input.Length, InputCount, nameof(input));
        NetGen.Guard.Length(target.Length, OutputCount, nameof(target));
        Span<float> p = _parameters;
        _ = p[5];

        float x0 = input[0];
        float x1 = input[1];

        float z1_0 = p[0] * x0 + p[1] * x1;
        float a1_0 = z1_0 > 0f ? z1_0 : 0f;
        float z1_1 = p[2] * x0 + p[3] * x1;
        float a1_1 = z1_1 > 0f ? z1_1 : 0f;

        float z2_0 = p[4] * a1_0 + p[5] * a1_1;
        float a2_0 = z2_0;

        float e0 = a2_0 - target[0];
        float loss = e0 * e0;

        float da2_0 = 2f * e0;

        float dz2_0 = da2_0;

        float da1_0 = dz2_0 * p[4];
        float da1_1 = dz2_0 * p[5];

        p[4] -= learningRate * (dz2_0 * a1_0);
        p[5] -= learningRate * (dz2_0 * a1_1);

        float dz1_0 = z1_0 > 0f ? da1_0 : 0f;
        float dz1_1 = z1_1 > 0f ? da1_1 : 0f;

        p[0] -= learningRate * (dz1_0 * x0);
        p[1] -= learningRate * (dz1_0 * x1);
        p[2] -= learningRate * (dz1_1 * x0);
        p[3] -= learningRate * (dz1_1 * x1);

        return loss;
    }

    public float TrainStepRef(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        NetGen.Guard.Length(input.Length, InputCount, nameof(input));
        NetGen.Guard.Length(target.Length, OutputCount, nameof(target));
        ref float p = ref MemoryMarshal.GetArrayDataReference(_parameters);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float t = ref MemoryMarshal.GetReference(target);

        float x0 = Unsafe.Add(ref x, 0);
        float x1 = Unsafe.Add(ref x, 1);

        float z1_0 = Unsafe.Add(ref p, 0) * x0 + Unsafe.Add(ref p, 1) * x1;
        float a1_0 = z1_0 > 0f ? z1_0 : 0f;
        float z1_1 = Unsafe.Add(ref p, 2) * x0 + Unsafe.Add(ref p, 3) * x1;
        float a1_1 = z1_1 > 0f ? z1_1 : 0f;

        float z2_0 = Unsafe.Add(ref p, 4) * a1_0 + Unsafe.Add(ref p, 5) * a1_1;
        float a2_0 = z2_0;

        float e0 = a2_0 - Unsafe.Add(ref t, 0);
        float loss = e0 * e0;

        float da2_0 = 2f * e0;

        float dz2_0 = da2_0;

        float da1_0 = dz2_0 * Unsafe.Add(ref p, 4);
        float da1_1 = dz2_0 * Unsafe.Add(ref p, 5);

        Unsafe.Add(ref p, 4) -= learningRate * (dz2_0 * a1_0);
        Unsafe.Add(ref p, 5) -= learningRate * (dz2_0 * a1_1);

        float dz1_0 = z1_0 > 0f ? da1_0 : 0f;
        float dz1_1 = z1_1 > 0f ? da1_1 : 0f;

        Unsafe.Add(ref p, 0) -= learningRate * (dz1_0 * x0);
        Unsafe.Add(ref p, 1) -= learningRate * (dz1_0 * x1);
        Unsafe.Add(ref p, 2) -= learningRate * (dz1_1 * x0);
        Unsafe.Add(ref p, 3) -= learningRate * (dz1_1 * x1);

        return loss;
    }
}

/// <summary>Variants of <see cref="NetB"/>'s generated Forward and TrainStep.</summary>
public sealed class NetBVariants
{
    private const int InputCount = NetB.InputCount;
    private const int OutputCount = NetB.OutputCount;

    private readonly float[] _parameters = new float[NetB.ParameterCount];

    public Span<float> Parameters => _parameters;

    public void ForwardHint(ReadOnlySpan<float> input, Span<float> output)
    {
        NetGen.Guard.Length(input.Length, InputCount, nameof(input));
        NetGen.Guard.Length(output.Length, OutputCount, nameof(output));
        ReadOnlySpan<float> p = _parameters;
        _ = p[66];

        float x0 = input[0];
        float x1 = input[1];
        float x2 = input[2];
        float x3 = input[3];

        float z1_0 = p[0] * x0 + p[1] * x1 + p[2] * x2 + p[3] * x3
            + p[32];
        float a1_0 = z1_0 > 0f ? z1_0 : 0f;
        float z1_1 = p[4] * x0 + p[5] * x1 + p[6] * x2 + p[7] * x3
            + p[33];
        float a1_1 = z1_1 > 0f ? z1_1 : 0f;
        float z1_2 = p[8] * x0 + p[9] * x1 + p[10] * x2 + p[11] * x3
            + p[34];
        float a1_2 = z1_2 > 0f ? z1_2 : 0f;
        float z1_3 = p[12] * x0 + p[13] * x1 + p[14] * x2 + p[15] * x3
            + p[35];
        float a1_3 = z1_3 > 0f ? z1_3 : 0f;
        float z1_4 = p[16] * x0 + p[17] * x1 + p[18] * x2 + p[19] * x3
            + p[36];
        float a1_4 = z1_4 > 0f ? z1_4 : 0f;
        float z1_5 = p[20] * x0 + p[21] * x1 + p[22] * x2 + p[23] * x3
            + p[37];
        float a1_5 = z1_5 > 0f ? z1_5 : 0f;
        float z1_6 = p[24] * x0 + p[25] * x1 + p[26] * x2 + p[27] * x3
            + p[38];
        float a1_6 = z1_6 > 0f ? z1_6 : 0f;
        float z1_7 = p[28] * x0 + p[29] * x1 + p[30] * x2 + p[31] * x3
            + p[39];
        float a1_7 = z1_7 > 0f ? z1_7 : 0f;

        float z2_0 = p[40] * a1_0 + p[41] * a1_1 + p[42] * a1_2 + p[43] * a1_3
            + p[44] * a1_4 + p[45] * a1_5 + p[46] * a1_6 + p[47] * a1_7
            + p[64];
        float a2_0 = z2_0;
        float z2_1 = p[48] * a1_0 + p[49] * a1_1 + p[50] * a1_2 + p[51] * a1_3
            + p[52] * a1_4 + p[53] * a1_5 + p[54] * a1_6 + p[55] * a1_7
            + p[65];
        float a2_1 = z2_1;
        float z2_2 = p[56] * a1_0 + p[57] * a1_1 + p[58] * a1_2 + p[59] * a1_3
            + p[60] * a1_4 + p[61] * a1_5 + p[62] * a1_6 + p[63] * a1_7
            + p[66];
        float a2_2 = z2_2;

        output[0] = a2_0;
        output[1] = a2_1;
        output[2] = a2_2;
    }

    public void ForwardRef(ReadOnlySpan<float> input, Span<float> output)
    {
        NetGen.Guard.Length(input.Length, InputCount, nameof(input));
        NetGen.Guard.Length(output.Length, OutputCount, nameof(output));
        ref float p = ref MemoryMarshal.GetArrayDataReference(_parameters);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float o = ref MemoryMarshal.GetReference(output);

        float x0 = Unsafe.Add(ref x, 0);
        float x1 = Unsafe.Add(ref x, 1);
        float x2 = Unsafe.Add(ref x, 2);
        float x3 = Unsafe.Add(ref x, 3);

        float z1_0 = Unsafe.Add(ref p, 0) * x0 + Unsafe.Add(ref p, 1) * x1 + Unsafe.Add(ref p, 2) * x2 + Unsafe.Add(ref p, 3) * x3
            + Unsafe.Add(ref p, 32);
        float a1_0 = z1_0 > 0f ? z1_0 : 0f;
        float z1_1 = Unsafe.Add(ref p, 4) * x0 + Unsafe.Add(ref p, 5) * x1 + Unsafe.Add(ref p, 6) * x2 + Unsafe.Add(ref p, 7) * x3
            + Unsafe.Add(ref p, 33);
        float a1_1 = z1_1 > 0f ? z1_1 : 0f;
        float z1_2 = Unsafe.Add(ref p, 8) * x0 + Unsafe.Add(ref p, 9) * x1 + Unsafe.Add(ref p, 10) * x2 + Unsafe.Add(ref p, 11) * x3
            + Unsafe.Add(ref p, 34);
        float a1_2 = z1_2 > 0f ? z1_2 : 0f;
        float z1_3 = Unsafe.Add(ref p, 12) * x0 + Unsafe.Add(ref p, 13) * x1 + Unsafe.Add(ref p, 14) * x2 + Unsafe.Add(ref p, 15) * x3
            + Unsafe.Add(ref p, 35);
        float a1_3 = z1_3 > 0f ? z1_3 : 0f;
        float z1_4 = Unsafe.Add(ref p, 16) * x0 + Unsafe.Add(ref p, 17) * x1 + Unsafe.Add(ref p, 18) * x2 + Unsafe.Add(ref p, 19) * x3
            + Unsafe.Add(ref p, 36);
        float a1_4 = z1_4 > 0f ? z1_4 : 0f;
        float z1_5 = Unsafe.Add(ref p, 20) * x0 + Unsafe.Add(ref p, 21) * x1 + Unsafe.Add(ref p, 22) * x2 + Unsafe.Add(ref p, 23) * x3
            + Unsafe.Add(ref p, 37);
        float a1_5 = z1_5 > 0f ? z1_5 : 0f;
        float z1_6 = Unsafe.Add(ref p, 24) * x0 + Unsafe.Add(ref p, 25) * x1 + Unsafe.Add(ref p, 26) * x2 + Unsafe.Add(ref p, 27) * x3
            + Unsafe.Add(ref p, 38);
        float a1_6 = z1_6 > 0f ? z1_6 : 0f;
        float z1_7 = Unsafe.Add(ref p, 28) * x0 + Unsafe.Add(ref p, 29) * x1 + Unsafe.Add(ref p, 30) * x2 + Unsafe.Add(ref p, 31) * x3
            + Unsafe.Add(ref p, 39);
        float a1_7 = z1_7 > 0f ? z1_7 : 0f;

        float z2_0 = Unsafe.Add(ref p, 40) * a1_0 + Unsafe.Add(ref p, 41) * a1_1 + Unsafe.Add(ref p, 42) * a1_2 + Unsafe.Add(ref p, 43) * a1_3
            + Unsafe.Add(ref p, 44) * a1_4 + Unsafe.Add(ref p, 45) * a1_5 + Unsafe.Add(ref p, 46) * a1_6 + Unsafe.Add(ref p, 47) * a1_7
            + Unsafe.Add(ref p, 64);
        float a2_0 = z2_0;
        float z2_1 = Unsafe.Add(ref p, 48) * a1_0 + Unsafe.Add(ref p, 49) * a1_1 + Unsafe.Add(ref p, 50) * a1_2 + Unsafe.Add(ref p, 51) * a1_3
            + Unsafe.Add(ref p, 52) * a1_4 + Unsafe.Add(ref p, 53) * a1_5 + Unsafe.Add(ref p, 54) * a1_6 + Unsafe.Add(ref p, 55) * a1_7
            + Unsafe.Add(ref p, 65);
        float a2_1 = z2_1;
        float z2_2 = Unsafe.Add(ref p, 56) * a1_0 + Unsafe.Add(ref p, 57) * a1_1 + Unsafe.Add(ref p, 58) * a1_2 + Unsafe.Add(ref p, 59) * a1_3
            + Unsafe.Add(ref p, 60) * a1_4 + Unsafe.Add(ref p, 61) * a1_5 + Unsafe.Add(ref p, 62) * a1_6 + Unsafe.Add(ref p, 63) * a1_7
            + Unsafe.Add(ref p, 66);
        float a2_2 = z2_2;

        Unsafe.Add(ref o, 0) = a2_0;
        Unsafe.Add(ref o, 1) = a2_1;
        Unsafe.Add(ref o, 2) = a2_2;
    }

    public float TrainStepHint(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        NetGen.Guard.Length(input.Length, InputCount, nameof(input));
        NetGen.Guard.Length(target.Length, OutputCount, nameof(target));
        Span<float> p = _parameters;
        _ = p[66];

        float x0 = input[0];
        float x1 = input[1];
        float x2 = input[2];
        float x3 = input[3];

        float z1_0 = p[0] * x0 + p[1] * x1 + p[2] * x2 + p[3] * x3
            + p[32];
        float a1_0 = z1_0 > 0f ? z1_0 : 0f;
        float z1_1 = p[4] * x0 + p[5] * x1 + p[6] * x2 + p[7] * x3
            + p[33];
        float a1_1 = z1_1 > 0f ? z1_1 : 0f;
        float z1_2 = p[8] * x0 + p[9] * x1 + p[10] * x2 + p[11] * x3
            + p[34];
        float a1_2 = z1_2 > 0f ? z1_2 : 0f;
        float z1_3 = p[12] * x0 + p[13] * x1 + p[14] * x2 + p[15] * x3
            + p[35];
        float a1_3 = z1_3 > 0f ? z1_3 : 0f;
        float z1_4 = p[16] * x0 + p[17] * x1 + p[18] * x2 + p[19] * x3
            + p[36];
        float a1_4 = z1_4 > 0f ? z1_4 : 0f;
        float z1_5 = p[20] * x0 + p[21] * x1 + p[22] * x2 + p[23] * x3
            + p[37];
        float a1_5 = z1_5 > 0f ? z1_5 : 0f;
        float z1_6 = p[24] * x0 + p[25] * x1 + p[26] * x2 + p[27] * x3
            + p[38];
        float a1_6 = z1_6 > 0f ? z1_6 : 0f;
        float z1_7 = p[28] * x0 + p[29] * x1 + p[30] * x2 + p[31] * x3
            + p[39];
        float a1_7 = z1_7 > 0f ? z1_7 : 0f;

        float z2_0 = p[40] * a1_0 + p[41] * a1_1 + p[42] * a1_2 + p[43] * a1_3
            + p[44] * a1_4 + p[45] * a1_5 + p[46] * a1_6 + p[47] * a1_7
            + p[64];
        float a2_0 = z2_0;
        float z2_1 = p[48] * a1_0 + p[49] * a1_1 + p[50] * a1_2 + p[51] * a1_3
            + p[52] * a1_4 + p[53] * a1_5 + p[54] * a1_6 + p[55] * a1_7
            + p[65];
        float a2_1 = z2_1;
        float z2_2 = p[56] * a1_0 + p[57] * a1_1 + p[58] * a1_2 + p[59] * a1_3
            + p[60] * a1_4 + p[61] * a1_5 + p[62] * a1_6 + p[63] * a1_7
            + p[66];
        float a2_2 = z2_2;

        float e0 = a2_0 - target[0];
        float e1 = a2_1 - target[1];
        float e2 = a2_2 - target[2];
        float loss = (e0 * e0 + e1 * e1 + e2 * e2) / 3f;

        float da2_0 = 2f / 3f * e0;
        float da2_1 = 2f / 3f * e1;
        float da2_2 = 2f / 3f * e2;

        float dz2_0 = da2_0;
        float dz2_1 = da2_1;
        float dz2_2 = da2_2;

        float da1_0 = dz2_0 * p[40] + dz2_1 * p[48] + dz2_2 * p[56];
        float da1_1 = dz2_0 * p[41] + dz2_1 * p[49] + dz2_2 * p[57];
        float da1_2 = dz2_0 * p[42] + dz2_1 * p[50] + dz2_2 * p[58];
        float da1_3 = dz2_0 * p[43] + dz2_1 * p[51] + dz2_2 * p[59];
        float da1_4 = dz2_0 * p[44] + dz2_1 * p[52] + dz2_2 * p[60];
        float da1_5 = dz2_0 * p[45] + dz2_1 * p[53] + dz2_2 * p[61];
        float da1_6 = dz2_0 * p[46] + dz2_1 * p[54] + dz2_2 * p[62];
        float da1_7 = dz2_0 * p[47] + dz2_1 * p[55] + dz2_2 * p[63];

        p[40] -= learningRate * (dz2_0 * a1_0);
        p[41] -= learningRate * (dz2_0 * a1_1);
        p[42] -= learningRate * (dz2_0 * a1_2);
        p[43] -= learningRate * (dz2_0 * a1_3);
        p[44] -= learningRate * (dz2_0 * a1_4);
        p[45] -= learningRate * (dz2_0 * a1_5);
        p[46] -= learningRate * (dz2_0 * a1_6);
        p[47] -= learningRate * (dz2_0 * a1_7);
        p[64] -= learningRate * dz2_0;
        p[48] -= learningRate * (dz2_1 * a1_0);
        p[49] -= learningRate * (dz2_1 * a1_1);
        p[50] -= learningRate * (dz2_1 * a1_2);
        p[51] -= learningRate * (dz2_1 * a1_3);
        p[52] -= learningRate * (dz2_1 * a1_4);
        p[53] -= learningRate * (dz2_1 * a1_5);
        p[54] -= learningRate * (dz2_1 * a1_6);
        p[55] -= learningRate * (dz2_1 * a1_7);
        p[65] -= learningRate * dz2_1;
        p[56] -= learningRate * (dz2_2 * a1_0);
        p[57] -= learningRate * (dz2_2 * a1_1);
        p[58] -= learningRate * (dz2_2 * a1_2);
        p[59] -= learningRate * (dz2_2 * a1_3);
        p[60] -= learningRate * (dz2_2 * a1_4);
        p[61] -= learningRate * (dz2_2 * a1_5);
        p[62] -= learningRate * (dz2_2 * a1_6);
        p[63] -= learningRate * (dz2_2 * a1_7);
        p[66] -= learningRate * dz2_2;

        float dz1_0 = z1_0 > 0f ? da1_0 : 0f;
        float dz1_1 = z1_1 > 0f ? da1_1 : 0f;
        float dz1_2 = z1_2 > 0f ? da1_2 : 0f;
        float dz1_3 = z1_3 > 0f ? da1_3 : 0f;
        float dz1_4 = z1_4 > 0f ? da1_4 : 0f;
        float dz1_5 = z1_5 > 0f ? da1_5 : 0f;
        float dz1_6 = z1_6 > 0f ? da1_6 : 0f;
        float dz1_7 = z1_7 > 0f ? da1_7 : 0f;

        p[0] -= learningRate * (dz1_0 * x0);
        p[1] -= learningRate * (dz1_0 * x1);
        p[2] -= learningRate * (dz1_0 * x2);
        p[3] -= learningRate * (dz1_0 * x3);
        p[32] -= learningRate * dz1_0;
        p[4] -= learningRate * (dz1_1 * x0);
        p[5] -= learningRate * (dz1_1 * x1);
        p[6] -= learningRate * (dz1_1 * x2);
        p[7] -= learningRate * (dz1_1 * x3);
        p[33] -= learningRate * dz1_1;
        p[8] -= learningRate * (dz1_2 * x0);
        p[9] -= learningRate * (dz1_2 * x1);
        p[10] -= learningRate * (dz1_2 * x2);
        p[11] -= learningRate * (dz1_2 * x3);
        p[34] -= learningRate * dz1_2;
        p[12] -= learningRate * (dz1_3 * x0);
        p[13] -= learningRate * (dz1_3 * x1);
        p[14] -= learningRate * (dz1_3 * x2);
        p[15] -= learningRate * (dz1_3 * x3);
        p[35] -= learningRate * dz1_3;
        p[16] -= learningRate * (dz1_4 * x0);
        p[17] -= learningRate * (dz1_4 * x1);
        p[18] -= learningRate * (dz1_4 * x2);
        p[19] -= learningRate * (dz1_4 * x3);
        p[36] -= learningRate * dz1_4;
        p[20] -= learningRate * (dz1_5 * x0);
        p[21] -= learningRate * (dz1_5 * x1);
        p[22] -= learningRate * (dz1_5 * x2);
        p[23] -= learningRate * (dz1_5 * x3);
        p[37] -= learningRate * dz1_5;
        p[24] -= learningRate * (dz1_6 * x0);
        p[25] -= learningRate * (dz1_6 * x1);
        p[26] -= learningRate * (dz1_6 * x2);
        p[27] -= learningRate * (dz1_6 * x3);
        p[38] -= learningRate * dz1_6;
        p[28] -= learningRate * (dz1_7 * x0);
        p[29] -= learningRate * (dz1_7 * x1);
        p[30] -= learningRate * (dz1_7 * x2);
        p[31] -= learningRate * (dz1_7 * x3);
        p[39] -= learningRate * dz1_7;

        return loss;
    }

    public float TrainStepRef(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        NetGen.Guard.Length(input.Length, InputCount, nameof(input));
        NetGen.Guard.Length(target.Length, OutputCount, nameof(target));
        ref float p = ref MemoryMarshal.GetArrayDataReference(_parameters);
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float t = ref MemoryMarshal.GetReference(target);

        float x0 = Unsafe.Add(ref x, 0);
        float x1 = Unsafe.Add(ref x, 1);
        float x2 = Unsafe.Add(ref x, 2);
        float x3 = Unsafe.Add(ref x, 3);

        float z1_0 = Unsafe.Add(ref p, 0) * x0 + Unsafe.Add(ref p, 1) * x1 + Unsafe.Add(ref p, 2) * x2 + Unsafe.Add(ref p, 3) * x3
            + Unsafe.Add(ref p, 32);
        float a1_0 = z1_0 > 0f ? z1_0 : 0f;
        float z1_1 = Unsafe.Add(ref p, 4) * x0 + Unsafe.Add(ref p, 5) * x1 + Unsafe.Add(ref p, 6) * x2 + Unsafe.Add(ref p, 7) * x3
            + Unsafe.Add(ref p, 33);
        float a1_1 = z1_1 > 0f ? z1_1 : 0f;
        float z1_2 = Unsafe.Add(ref p, 8) * x0 + Unsafe.Add(ref p, 9) * x1 + Unsafe.Add(ref p, 10) * x2 + Unsafe.Add(ref p, 11) * x3
            + Unsafe.Add(ref p, 34);
        float a1_2 = z1_2 > 0f ? z1_2 : 0f;
        float z1_3 = Unsafe.Add(ref p, 12) * x0 + Unsafe.Add(ref p, 13) * x1 + Unsafe.Add(ref p, 14) * x2 + Unsafe.Add(ref p, 15) * x3
            + Unsafe.Add(ref p, 35);
        float a1_3 = z1_3 > 0f ? z1_3 : 0f;
        float z1_4 = Unsafe.Add(ref p, 16) * x0 + Unsafe.Add(ref p, 17) * x1 + Unsafe.Add(ref p, 18) * x2 + Unsafe.Add(ref p, 19) * x3
            + Unsafe.Add(ref p, 36);
        float a1_4 = z1_4 > 0f ? z1_4 : 0f;
        float z1_5 = Unsafe.Add(ref p, 20) * x0 + Unsafe.Add(ref p, 21) * x1 + Unsafe.Add(ref p, 22) * x2 + Unsafe.Add(ref p, 23) * x3
            + Unsafe.Add(ref p, 37);
        float a1_5 = z1_5 > 0f ? z1_5 : 0f;
        float z1_6 = Unsafe.Add(ref p, 24) * x0 + Unsafe.Add(ref p, 25) * x1 + Unsafe.Add(ref p, 26) * x2 + Unsafe.Add(ref p, 27) * x3
            + Unsafe.Add(ref p, 38);
        float a1_6 = z1_6 > 0f ? z1_6 : 0f;
        float z1_7 = Unsafe.Add(ref p, 28) * x0 + Unsafe.Add(ref p, 29) * x1 + Unsafe.Add(ref p, 30) * x2 + Unsafe.Add(ref p, 31) * x3
            + Unsafe.Add(ref p, 39);
        float a1_7 = z1_7 > 0f ? z1_7 : 0f;

        float z2_0 = Unsafe.Add(ref p, 40) * a1_0 + Unsafe.Add(ref p, 41) * a1_1 + Unsafe.Add(ref p, 42) * a1_2 + Unsafe.Add(ref p, 43) * a1_3
            + Unsafe.Add(ref p, 44) * a1_4 + Unsafe.Add(ref p, 45) * a1_5 + Unsafe.Add(ref p, 46) * a1_6 + Unsafe.Add(ref p, 47) * a1_7
            + Unsafe.Add(ref p, 64);
        float a2_0 = z2_0;
        float z2_1 = Unsafe.Add(ref p, 48) * a1_0 + Unsafe.Add(ref p, 49) * a1_1 + Unsafe.Add(ref p, 50) * a1_2 + Unsafe.Add(ref p, 51) * a1_3
            + Unsafe.Add(ref p, 52) * a1_4 + Unsafe.Add(ref p, 53) * a1_5 + Unsafe.Add(ref p, 54) * a1_6 + Unsafe.Add(ref p, 55) * a1_7
            + Unsafe.Add(ref p, 65);
        float a2_1 = z2_1;
        float z2_2 = Unsafe.Add(ref p, 56) * a1_0 + Unsafe.Add(ref p, 57) * a1_1 + Unsafe.Add(ref p, 58) * a1_2 + Unsafe.Add(ref p, 59) * a1_3
            + Unsafe.Add(ref p, 60) * a1_4 + Unsafe.Add(ref p, 61) * a1_5 + Unsafe.Add(ref p, 62) * a1_6 + Unsafe.Add(ref p, 63) * a1_7
            + Unsafe.Add(ref p, 66);
        float a2_2 = z2_2;

        float e0 = a2_0 - Unsafe.Add(ref t, 0);
        float e1 = a2_1 - Unsafe.Add(ref t, 1);
        float e2 = a2_2 - Unsafe.Add(ref t, 2);
        float loss = (e0 * e0 + e1 * e1 + e2 * e2) / 3f;

        float da2_0 = 2f / 3f * e0;
        float da2_1 = 2f / 3f * e1;
        float da2_2 = 2f / 3f * e2;

        float dz2_0 = da2_0;
        float dz2_1 = da2_1;
        float dz2_2 = da2_2;

        float da1_0 = dz2_0 * Unsafe.Add(ref p, 40) + dz2_1 * Unsafe.Add(ref p, 48) + dz2_2 * Unsafe.Add(ref p, 56);
        float da1_1 = dz2_0 * Unsafe.Add(ref p, 41) + dz2_1 * Unsafe.Add(ref p, 49) + dz2_2 * Unsafe.Add(ref p, 57);
        float da1_2 = dz2_0 * Unsafe.Add(ref p, 42) + dz2_1 * Unsafe.Add(ref p, 50) + dz2_2 * Unsafe.Add(ref p, 58);
        float da1_3 = dz2_0 * Unsafe.Add(ref p, 43) + dz2_1 * Unsafe.Add(ref p, 51) + dz2_2 * Unsafe.Add(ref p, 59);
        float da1_4 = dz2_0 * Unsafe.Add(ref p, 44) + dz2_1 * Unsafe.Add(ref p, 52) + dz2_2 * Unsafe.Add(ref p, 60);
        float da1_5 = dz2_0 * Unsafe.Add(ref p, 45) + dz2_1 * Unsafe.Add(ref p, 53) + dz2_2 * Unsafe.Add(ref p, 61);
        float da1_6 = dz2_0 * Unsafe.Add(ref p, 46) + dz2_1 * Unsafe.Add(ref p, 54) + dz2_2 * Unsafe.Add(ref p, 62);
        float da1_7 = dz2_0 * Unsafe.Add(ref p, 47) + dz2_1 * Unsafe.Add(ref p, 55) + dz2_2 * Unsafe.Add(ref p, 63);

        Unsafe.Add(ref p, 40) -= learningRate * (dz2_0 * a1_0);
        Unsafe.Add(ref p, 41) -= learningRate * (dz2_0 * a1_1);
        Unsafe.Add(ref p, 42) -= learningRate * (dz2_0 * a1_2);
        Unsafe.Add(ref p, 43) -= learningRate * (dz2_0 * a1_3);
        Unsafe.Add(ref p, 44) -= learningRate * (dz2_0 * a1_4);
        Unsafe.Add(ref p, 45) -= learningRate * (dz2_0 * a1_5);
        Unsafe.Add(ref p, 46) -= learningRate * (dz2_0 * a1_6);
        Unsafe.Add(ref p, 47) -= learningRate * (dz2_0 * a1_7);
        Unsafe.Add(ref p, 64) -= learningRate * dz2_0;
        Unsafe.Add(ref p, 48) -= learningRate * (dz2_1 * a1_0);
        Unsafe.Add(ref p, 49) -= learningRate * (dz2_1 * a1_1);
        Unsafe.Add(ref p, 50) -= learningRate * (dz2_1 * a1_2);
        Unsafe.Add(ref p, 51) -= learningRate * (dz2_1 * a1_3);
        Unsafe.Add(ref p, 52) -= learningRate * (dz2_1 * a1_4);
        Unsafe.Add(ref p, 53) -= learningRate * (dz2_1 * a1_5);
        Unsafe.Add(ref p, 54) -= learningRate * (dz2_1 * a1_6);
        Unsafe.Add(ref p, 55) -= learningRate * (dz2_1 * a1_7);
        Unsafe.Add(ref p, 65) -= learningRate * dz2_1;
        Unsafe.Add(ref p, 56) -= learningRate * (dz2_2 * a1_0);
        Unsafe.Add(ref p, 57) -= learningRate * (dz2_2 * a1_1);
        Unsafe.Add(ref p, 58) -= learningRate * (dz2_2 * a1_2);
        Unsafe.Add(ref p, 59) -= learningRate * (dz2_2 * a1_3);
        Unsafe.Add(ref p, 60) -= learningRate * (dz2_2 * a1_4);
        Unsafe.Add(ref p, 61) -= learningRate * (dz2_2 * a1_5);
        Unsafe.Add(ref p, 62) -= learningRate * (dz2_2 * a1_6);
        Unsafe.Add(ref p, 63) -= learningRate * (dz2_2 * a1_7);
        Unsafe.Add(ref p, 66) -= learningRate * dz2_2;

        float dz1_0 = z1_0 > 0f ? da1_0 : 0f;
        float dz1_1 = z1_1 > 0f ? da1_1 : 0f;
        float dz1_2 = z1_2 > 0f ? da1_2 : 0f;
        float dz1_3 = z1_3 > 0f ? da1_3 : 0f;
        float dz1_4 = z1_4 > 0f ? da1_4 : 0f;
        float dz1_5 = z1_5 > 0f ? da1_5 : 0f;
        float dz1_6 = z1_6 > 0f ? da1_6 : 0f;
        float dz1_7 = z1_7 > 0f ? da1_7 : 0f;

        Unsafe.Add(ref p, 0) -= learningRate * (dz1_0 * x0);
        Unsafe.Add(ref p, 1) -= learningRate * (dz1_0 * x1);
        Unsafe.Add(ref p, 2) -= learningRate * (dz1_0 * x2);
        Unsafe.Add(ref p, 3) -= learningRate * (dz1_0 * x3);
        Unsafe.Add(ref p, 32) -= learningRate * dz1_0;
        Unsafe.Add(ref p, 4) -= learningRate * (dz1_1 * x0);
        Unsafe.Add(ref p, 5) -= learningRate * (dz1_1 * x1);
        Unsafe.Add(ref p, 6) -= learningRate * (dz1_1 * x2);
        Unsafe.Add(ref p, 7) -= learningRate * (dz1_1 * x3);
        Unsafe.Add(ref p, 33) -= learningRate * dz1_1;
        Unsafe.Add(ref p, 8) -= learningRate * (dz1_2 * x0);
        Unsafe.Add(ref p, 9) -= learningRate * (dz1_2 * x1);
        Unsafe.Add(ref p, 10) -= learningRate * (dz1_2 * x2);
        Unsafe.Add(ref p, 11) -= learningRate * (dz1_2 * x3);
        Unsafe.Add(ref p, 34) -= learningRate * dz1_2;
        Unsafe.Add(ref p, 12) -= learningRate * (dz1_3 * x0);
        Unsafe.Add(ref p, 13) -= learningRate * (dz1_3 * x1);
        Unsafe.Add(ref p, 14) -= learningRate * (dz1_3 * x2);
        Unsafe.Add(ref p, 15) -= learningRate * (dz1_3 * x3);
        Unsafe.Add(ref p, 35) -= learningRate * dz1_3;
        Unsafe.Add(ref p, 16) -= learningRate * (dz1_4 * x0);
        Unsafe.Add(ref p, 17) -= learningRate * (dz1_4 * x1);
        Unsafe.Add(ref p, 18) -= learningRate * (dz1_4 * x2);
        Unsafe.Add(ref p, 19) -= learningRate * (dz1_4 * x3);
        Unsafe.Add(ref p, 36) -= learningRate * dz1_4;
        Unsafe.Add(ref p, 20) -= learningRate * (dz1_5 * x0);
        Unsafe.Add(ref p, 21) -= learningRate * (dz1_5 * x1);
        Unsafe.Add(ref p, 22) -= learningRate * (dz1_5 * x2);
        Unsafe.Add(ref p, 23) -= learningRate * (dz1_5 * x3);
        Unsafe.Add(ref p, 37) -= learningRate * dz1_5;
        Unsafe.Add(ref p, 24) -= learningRate * (dz1_6 * x0);
        Unsafe.Add(ref p, 25) -= learningRate * (dz1_6 * x1);
        Unsafe.Add(ref p, 26) -= learningRate * (dz1_6 * x2);
        Unsafe.Add(ref p, 27) -= learningRate * (dz1_6 * x3);
        Unsafe.Add(ref p, 38) -= learningRate * dz1_6;
        Unsafe.Add(ref p, 28) -= learningRate * (dz1_7 * x0);
        Unsafe.Add(ref p, 29) -= learningRate * (dz1_7 * x1);
        Unsafe.Add(ref p, 30) -= learningRate * (dz1_7 * x2);
        Unsafe.Add(ref p, 31) -= learningRate * (dz1_7 * x3);
        Unsafe.Add(ref p, 39) -= learningRate * dz1_7;

        return loss;
    }
}

