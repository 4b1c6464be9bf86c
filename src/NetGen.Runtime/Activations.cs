using System.Numerics;
using System.Runtime.CompilerServices;
using NetGen.Shared;

namespace NetGen;

/// <summary>
/// The activations' values and slopes, defined as PyTorch defines them. Each slope is written in terms of what
/// Backward has at hand: ReLU and LeakyReLU of the pre-activation z, Sigmoid and Tanh of the output a, so that the
/// generated code never calls exp or tanh twice; ELU, GELU, SiLU and Softplus of z, which their outputs cannot give
/// back (GELU and SiLU are not one-to-one), so a looped layer with one of them keeps z for its backward pass. Every
/// value and slope is NaN at a NaN z, as in PyTorch, but for the slopes of ReLU, LeakyReLU and ELU, which are
/// PyTorch's there too (1, 0.01 and 1: their backward tests z &lt;= 0 or z &gt; 0, false for NaN).
/// </summary>
public static class Activations
{
    /// <summary>max(0, z); NaN for a NaN z, as torch.relu gives (T.Max returns NaN when either argument is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReLU<T>(T z)
        where T : IFloatingPointIeee754<T> => T.Max(z, T.Zero);

    /// <summary>
    /// 0 for z &lt;= 0 (PyTorch's choice at 0), else 1; 1 for a NaN z, as PyTorch's backward (which tests z &lt;= 0)
    /// passes the slope on there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReLUSlope<T>(T z)
        where T : IFloatingPointIeee754<T> => z <= T.Zero ? T.Zero : T.One;

    /// <summary>
    /// The negative-side slope of <see cref="LeakyReLU{T}"/>: 0.01, PyTorch's default. The generated code, the ONNX
    /// export (LeakyRelu's alpha) and this class all take it from one definition, shared with the generator.
    /// </summary>
    public const double LeakyReLUNegativeSlope = ActivationConstants.LeakyReLUNegativeSlope;

    /// <summary>z for z &gt; 0, else 0.01 z (so NaN for a NaN z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LeakyReLU<T>(T z)
        where T : IFloatingPointIeee754<T> => z > T.Zero ? z : T.CreateChecked(LeakyReLUNegativeSlope) * z;

    /// <summary>1 for z &gt; 0, else 0.01 (also for a NaN z, as in PyTorch's backward).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LeakyReLUSlope<T>(T z)
        where T : IFloatingPointIeee754<T> => z > T.Zero ? T.One : T.CreateChecked(LeakyReLUNegativeSlope);

    /// <summary>1 / (1 + e^-z), computed without overflow for large |z|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sigmoid<T>(T z)
        where T : IFloatingPointIeee754<T>
    {
        // e^-z overflows for very negative z; e^z never does there, and e^z / (1 + e^z) is the same value.
        if (z >= T.Zero)
        {
            return T.One / (T.One + T.Exp(-z));
        }

        T e = T.Exp(z);
        return e / (T.One + e);
    }

    /// <summary>The slope of Sigmoid from its output a: a (1 - a).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SigmoidSlopeFromOutput<T>(T a)
        where T : IFloatingPointIeee754<T> => a * (T.One - a);

    /// <summary>tanh z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tanh<T>(T z)
        where T : IFloatingPointIeee754<T> => T.Tanh(z);

    /// <summary>The slope of Tanh from its output a: 1 - a^2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TanhSlopeFromOutput<T>(T a)
        where T : IFloatingPointIeee754<T> => T.One - a * a;

    /// <summary>ELU with alpha 1: z for z &gt; 0, else e^z - 1, computed as PyTorch's CPU kernel computes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ELU<T>(T z)
        where T : IFloatingPointIeee754<T> => z > T.Zero ? z : T.Exp(z) - T.One;

    /// <summary>e^z for z &lt;= 0, else 1 (also for a NaN z, as in PyTorch's backward).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ELUSlope<T>(T z)
        where T : IFloatingPointIeee754<T> => z <= T.Zero ? T.Exp(z) : T.One;

    /// <summary>1 / sqrt 2, the scale of GELU's erf argument.</summary>
    private const double InverseSqrt2 = 0.70710678118654752440;

    /// <summary>1 / sqrt(2 pi), the standard normal density at 0.</summary>
    private const double InverseSqrt2Pi = 0.39894228040143267794;

    /// <summary>
    /// GELU, the exact form: z Phi(z) = z * 0.5 * (1 + erf(z / sqrt 2)), as torch.nn.GELU() computes it, with the
    /// erf of <see cref="SpecialFunctions.Erf(double)"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T GELU<T>(T z)
        where T : IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5);
        return z * half * (T.One + SpecialFunctions.Erf(z * T.CreateTruncating(InverseSqrt2)));
    }

    /// <summary>GELU's slope: Phi(z) + z phi(z), phi(z) = e^(-z^2 / 2) / sqrt(2 pi), as PyTorch's backward computes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T GELUSlope<T>(T z)
        where T : IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5);
        T cdf = half * (T.One + SpecialFunctions.Erf(z * T.CreateTruncating(InverseSqrt2)));
        T pdf = T.CreateTruncating(InverseSqrt2Pi) * T.Exp(-half * z * z);
        return cdf + (z * pdf);
    }

    /// <summary>SiLU (swish): z sigmoid(z), with <see cref="Sigmoid{T}"/>'s overflow-free sigmoid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SiLU<T>(T z)
        where T : IFloatingPointIeee754<T> => z * Sigmoid(z);

    /// <summary>SiLU's slope: s (1 + z (1 - s)), s = sigmoid(z).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SiLUSlope<T>(T z)
        where T : IFloatingPointIeee754<T>
    {
        T s = Sigmoid(z);
        return s * (T.One + (z * (T.One - s)));
    }

    /// <summary>
    /// Above this z, <see cref="Softplus{T}"/> is z itself and its slope 1: nn.Softplus's default threshold (with beta
    /// 1), where ln(1 + e^z) and z differ by less than 2.1e-9.
    /// </summary>
    public const double SoftplusThreshold = 20;

    /// <summary>
    /// Softplus: ln(1 + e^z), stable for every z (e^z &lt;= e^20 where it is computed, and ln(1 + x) by
    /// <see cref="SpecialFunctions.LogP1{T}"/>, exact for tiny e^z), and z for z &gt; 20, as nn.Softplus().
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Softplus<T>(T z)
        where T : IFloatingPointIeee754<T> =>
        z > T.CreateTruncating(SoftplusThreshold) ? z : SpecialFunctions.LogP1(T.Exp(z));

    /// <summary>Softplus's slope: sigmoid(z), and 1 for z &gt; 20, as PyTorch's backward.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SoftplusSlope<T>(T z)
        where T : IFloatingPointIeee754<T> =>
        z > T.CreateTruncating(SoftplusThreshold) ? T.One : Sigmoid(z);

    /// <summary>Applies <paramref name="activation"/> to one value (Softmax needs the whole layer: use <see cref="Softmax{T}"/>).</summary>
    public static T Apply<T>(Activation activation, T z)
        where T : IFloatingPointIeee754<T> => activation switch
        {
            Activation.Identity => z,
            Activation.ReLU => ReLU(z),
            Activation.LeakyReLU => LeakyReLU(z),
            Activation.Sigmoid => Sigmoid(z),
            Activation.Tanh => Tanh(z),
            Activation.ELU => ELU(z),
            Activation.GELU => GELU(z),
            Activation.SiLU => SiLU(z),
            Activation.Softplus => Softplus(z),
            _ => throw new System.ArgumentOutOfRangeException(nameof(activation), activation, "Softmax works on a whole layer: use Activations.Softmax."),
        };

    /// <summary>
    /// The slope da/dz of <paramref name="activation"/> at pre-activation <paramref name="z"/> with output <paramref name="a"/>.
    /// </summary>
    public static T Slope<T>(Activation activation, T z, T a)
        where T : IFloatingPointIeee754<T> => activation switch
        {
            Activation.Identity => T.One,
            Activation.ReLU => ReLUSlope(z),
            Activation.LeakyReLU => LeakyReLUSlope(z),
            Activation.Sigmoid => SigmoidSlopeFromOutput(a),
            Activation.Tanh => TanhSlopeFromOutput(a),
            Activation.ELU => ELUSlope(z),
            Activation.GELU => GELUSlope(z),
            Activation.SiLU => SiLUSlope(z),
            Activation.Softplus => SoftplusSlope(z),
            _ => throw new System.ArgumentOutOfRangeException(nameof(activation), activation, "Softmax has no per-node slope."),
        };

    /// <summary>
    /// Softmax of <paramref name="z"/> into <paramref name="a"/> (they may be the same span), stable for large
    /// logits: the largest is subtracted first, so no exponent overflows.
    /// </summary>
    /// <exception cref="System.ArgumentException">The spans differ in length or are empty.</exception>
    public static void Softmax<T>(System.ReadOnlySpan<T> z, System.Span<T> a)
        where T : IFloatingPointIeee754<T>
    {
        if (z.Length == 0)
        {
            throw new System.ArgumentException("Softmax needs at least one value.", nameof(z));
        }

        Guard.Length(a.Length, z.Length, nameof(a));
        T max = z[0];
        for (int i = 1; i < z.Length; i++)
        {
            max = T.Max(max, z[i]);
        }

        T sum = T.Zero;
        for (int i = 0; i < z.Length; i++)
        {
            T e = T.Exp(z[i] - max);
            a[i] = e;
            sum += e;
        }

        for (int i = 0; i < a.Length; i++)
        {
            a[i] /= sum;
        }
    }
}
