using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen;

/// <summary>
/// The kernels of a recurrent layer's time step: the whole step in one call, which generated GRU and LSTM code calls
/// (<see cref="GruStep{T}"/>, <see cref="LstmStep{T}"/>), and the parts it is defined by: the gate rows' dot products
/// (<see cref="GateSums{T}"/>) and the element-wise cell equations (<see cref="Gru{T}"/>, <see cref="Lstm{T}"/>), eight
/// float or four double units at a time in 256-bit vectors.
/// <para>
/// Rounding, and why it is the same on every machine: each result is defined by a fixed sequence of IEEE operations
/// (given in each member's documentation) that does not depend on the hardware. Where the machine has AVX, the
/// vectors compute exactly that sequence; elsewhere, and for the units past the last whole vector, scalar code
/// computes the same sequence. So a model gives the same bits with or without AVX, for any number of units, and
/// one time step gives the same bits as the same step inside a block. The sigmoid and tanh here are this class's own
/// (<see cref="Sigmoid{T}(T)"/>, <see cref="Tanh{T}(T)"/>: Cephes' exp and tanh approximations, within a few units in the
/// last place of the exact values), not the platform's <c>Math</c> functions, whose last bits may differ between
/// runtimes and which no vector form can match.
/// </para>
/// </summary>
public static partial class RecurrentKernels
{
    /// <summary>
    /// <c>sums[r] += dot(row r of weights, v)</c> for every row r of the row-major matrix <paramref name="weights"/>
    /// (<c>sums.Length</c> rows of <c>v.Length</c> columns). The products of a row are added in this fixed order, with
    /// L = 8 for float and 4 for double: lane l (0 &lt;= l &lt; L) sums the products of columns l, L + l, 2L + l, ... of
    /// the whole blocks of L columns, left to right; the lanes are added as a pairwise tree ((p0 + p1) + (p2 + p3)) +
    /// ((p4 + p5) + (p6 + p7)) (for double, (p0 + p1) + (p2 + p3)); then the products of the columns past the last
    /// whole block are added one by one. With fewer than L columns the dot product is the left-to-right sum of its
    /// products.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is not sums.Length rows of v.Length values.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void GateSums<T>(ReadOnlySpan<T> weights, ReadOnlySpan<T> v, Span<T> sums)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if ((long)sums.Length * v.Length != weights.Length)
        {
            throw new ArgumentException(
                $"The weights must be {sums.Length} rows of {v.Length} values ({(long)sums.Length * v.Length}), not {weights.Length} values.",
                nameof(weights));
        }

        if (v.IsEmpty)
        {
            return;
        }

        if (typeof(T) == typeof(float))
        {
            GateSums(MemoryMarshal.Cast<T, float>(weights), MemoryMarshal.Cast<T, float>(v), MemoryMarshal.Cast<T, float>(sums));
        }
        else if (typeof(T) == typeof(double))
        {
            GateSums(MemoryMarshal.Cast<T, double>(weights), MemoryMarshal.Cast<T, double>(v), MemoryMarshal.Cast<T, double>(sums));
        }
        else
        {
            throw NotFloatOrDouble<T>();
        }
    }

    /// <summary>
    /// A GRU step's cell equations for each unit j of <paramref name="h"/>.Length units, from the gate rows' sums
    /// <paramref name="ih"/> = W_i x + b_i and <paramref name="hh"/> = W_h h + b_h (rows r, z, n, each a block of
    /// units): <c>r = Sigmoid(ih_r + hh_r)</c>, <c>z = Sigmoid(ih_z + hh_z)</c>, <c>hn = hh_n</c>,
    /// <c>n = Tanh(ih_n + r * hn)</c>, <c>hNew = ((1 - z) * n) + (z * h)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A span's length is not the number of units (three times it for the sums).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Gru<T>(
        ReadOnlySpan<T> ih,
        ReadOnlySpan<T> hh,
        ReadOnlySpan<T> h,
        Span<T> r,
        Span<T> z,
        Span<T> n,
        Span<T> hn,
        Span<T> hNew)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int units = h.Length;
        CheckUnits(units, 3, ih.Length, nameof(ih));
        CheckUnits(units, 3, hh.Length, nameof(hh));
        CheckUnits(units, 1, r.Length, nameof(r));
        CheckUnits(units, 1, z.Length, nameof(z));
        CheckUnits(units, 1, n.Length, nameof(n));
        CheckUnits(units, 1, hn.Length, nameof(hn));
        CheckUnits(units, 1, hNew.Length, nameof(hNew));
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw NotFloatOrDouble<T>();
        }

        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref T ihr = ref MemoryMarshal.GetReference(ih), hhr = ref MemoryMarshal.GetReference(hh);
            ref T hr = ref MemoryMarshal.GetReference(h);
            ref T rr = ref MemoryMarshal.GetReference(r), zr = ref MemoryMarshal.GetReference(z);
            ref T nr = ref MemoryMarshal.GetReference(n), hnr = ref MemoryMarshal.GetReference(hn);
            ref T outr = ref MemoryMarshal.GetReference(hNew);
            Vector256<T> one = Vector256.Create(T.One);
            for (; j + Vector256<T>.Count <= units; j += Vector256<T>.Count)
            {
                nuint u = (nuint)j, u2 = (nuint)(units + j), u3 = (nuint)((2 * units) + j);
                Vector256<T> rv = Sigmoid(Vector256.LoadUnsafe(ref ihr, u) + Vector256.LoadUnsafe(ref hhr, u));
                Vector256<T> zv = Sigmoid(Vector256.LoadUnsafe(ref ihr, u2) + Vector256.LoadUnsafe(ref hhr, u2));
                Vector256<T> hnv = Vector256.LoadUnsafe(ref hhr, u3);
                Vector256<T> nv = Tanh(Vector256.LoadUnsafe(ref ihr, u3) + (rv * hnv));
                rv.StoreUnsafe(ref rr, u);
                zv.StoreUnsafe(ref zr, u);
                hnv.StoreUnsafe(ref hnr, u);
                nv.StoreUnsafe(ref nr, u);
                (((one - zv) * nv) + (zv * Vector256.LoadUnsafe(ref hr, u))).StoreUnsafe(ref outr, u);
            }
        }

        for (; j < units; j++)
        {
            T rj = Sigmoid(ih[j] + hh[j]);
            T zj = Sigmoid(ih[units + j] + hh[units + j]);
            T hnj = hh[(2 * units) + j];
            T nj = Tanh(ih[(2 * units) + j] + (rj * hnj));
            r[j] = rj;
            z[j] = zj;
            hn[j] = hnj;
            n[j] = nj;
            hNew[j] = ((T.One - zj) * nj) + (zj * h[j]);
        }
    }

    /// <summary>
    /// An LSTM step's cell equations for each unit j of <paramref name="c"/>.Length units, from the gate rows' sums
    /// <paramref name="sums"/> = W_i x + b_i + W_h h + b_h (rows i, f, g, o, each a block of units):
    /// <c>i = Sigmoid(s_i)</c>, <c>f = Sigmoid(s_f)</c>, <c>g = Tanh(s_g)</c>, <c>o = Sigmoid(s_o)</c>,
    /// <c>cNew = (f * c) + (i * g)</c>, <c>hNew = o * Tanh(cNew)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A span's length is not the number of units (four times it for the sums).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void Lstm<T>(
        ReadOnlySpan<T> sums,
        ReadOnlySpan<T> c,
        Span<T> i,
        Span<T> f,
        Span<T> g,
        Span<T> o,
        Span<T> cNew,
        Span<T> hNew)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int units = c.Length;
        CheckUnits(units, 4, sums.Length, nameof(sums));
        CheckUnits(units, 1, i.Length, nameof(i));
        CheckUnits(units, 1, f.Length, nameof(f));
        CheckUnits(units, 1, g.Length, nameof(g));
        CheckUnits(units, 1, o.Length, nameof(o));
        CheckUnits(units, 1, cNew.Length, nameof(cNew));
        CheckUnits(units, 1, hNew.Length, nameof(hNew));
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw NotFloatOrDouble<T>();
        }

        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref T sr = ref MemoryMarshal.GetReference(sums), cr = ref MemoryMarshal.GetReference(c);
            ref T ir = ref MemoryMarshal.GetReference(i), fr = ref MemoryMarshal.GetReference(f);
            ref T gr = ref MemoryMarshal.GetReference(g), or = ref MemoryMarshal.GetReference(o);
            ref T cnr = ref MemoryMarshal.GetReference(cNew), hnr = ref MemoryMarshal.GetReference(hNew);
            for (; j + Vector256<T>.Count <= units; j += Vector256<T>.Count)
            {
                nuint u = (nuint)j;
                Vector256<T> iv = Sigmoid(Vector256.LoadUnsafe(ref sr, u));
                Vector256<T> fv = Sigmoid(Vector256.LoadUnsafe(ref sr, (nuint)(units + j)));
                Vector256<T> gv = Tanh(Vector256.LoadUnsafe(ref sr, (nuint)((2 * units) + j)));
                Vector256<T> ov = Sigmoid(Vector256.LoadUnsafe(ref sr, (nuint)((3 * units) + j)));
                Vector256<T> cv = (fv * Vector256.LoadUnsafe(ref cr, u)) + (iv * gv);
                iv.StoreUnsafe(ref ir, u);
                fv.StoreUnsafe(ref fr, u);
                gv.StoreUnsafe(ref gr, u);
                ov.StoreUnsafe(ref or, u);
                cv.StoreUnsafe(ref cnr, u);
                (ov * Tanh(cv)).StoreUnsafe(ref hnr, u);
            }
        }

        for (; j < units; j++)
        {
            T ij = Sigmoid(sums[j]);
            T fj = Sigmoid(sums[units + j]);
            T gj = Tanh(sums[(2 * units) + j]);
            T oj = Sigmoid(sums[(3 * units) + j]);
            T cj = (fj * c[j]) + (ij * gj);
            i[j] = ij;
            f[j] = fj;
            g[j] = gj;
            o[j] = oj;
            cNew[j] = cj;
            hNew[j] = oj * Tanh(cj);
        }
    }

    /// <summary>
    /// 1 / (1 + e^-z) as the cell kernels compute it: with e = <see cref="Exp{T}(T)"/>(-|z|), 1 / (1 + e) for z &gt;= 0 and
    /// e / (1 + e) otherwise (so nothing overflows); 0 for z below -87 (float) or -708 (double), where the exact value
    /// is a subnormal number (under 2e-38 and 4e-308), kept out because each one costs the processor about a hundred
    /// cycles. Within 3 units in the last place of the exact value in float,
    /// about 3 in double. NaN stays NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sigmoid<T>(T z)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (T.IsNaN(z))
        {
            return z;
        }

        T a = T.Abs(z), limit = SigmoidLimit<T>();
        T e = Exp(-T.Min(a, limit));
        T d = T.One + e;
        return z >= T.Zero ? T.One / d : a > limit ? T.Zero : e / d;
    }

    /// <summary>
    /// tanh z as the cell kernels compute it: tanh |z| with the sign of z, tanh |z| being Cephes' odd polynomial
    /// (float) or rational function (double) for |z| &lt; 0.625, otherwise (1 - e) / (1 + e) with
    /// e = <see cref="Exp{T}(T)"/>(-2|z|). Within 2 units in the last place of the exact value in float, about 3 in
    /// double. NaN stays NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Tanh<T>(T z)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            float x = Unsafe.As<T, float>(ref z);
            float a = MathF.Abs(x), t;
            if (a < 0.625f)
            {
                float s = a * a;
                float p = ((((((((-5.70498872745E-3f * s) + 2.06390887954E-2f) * s) - 5.37397155531E-2f) * s) + 1.33314422036E-1f) * s) - 3.33332819422E-1f) * s;
                t = (p * a) + a;
            }
            else
            {
                float e = ExpFloat(MathF.Max(-2f * a, -(float)TanhExpLimit));
                t = (1f - e) / (1f + e);
            }

            return As<float, T>(MathF.CopySign(t, x));
        }

        if (typeof(T) == typeof(double))
        {
            double x = Unsafe.As<T, double>(ref z);
            double a = Math.Abs(x), t;
            if (a < 0.625)
            {
                double s = a * a;
                double p = (((TanhP0 * s) + TanhP1) * s) + TanhP2;
                double q = (((((s + TanhQ0) * s) + TanhQ1) * s) + TanhQ2);
                t = a + ((a * s) * (p / q));
            }
            else
            {
                double e = ExpDouble(Math.Max(-2.0 * a, -TanhExpLimit));
                t = (1.0 - e) / (1.0 + e);
            }

            return As<double, T>(Math.CopySign(t, x));
        }

        throw NotFloatOrDouble<T>();
    }

    /// <summary>
    /// e^x as the cell kernels compute it: Cephes' exp (n = floor(x log2(e) + 1/2), x - n ln 2 in two parts, a
    /// polynomial (float) or Padé form (double), then 2^n in two factors so that results in the subnormal range round
    /// once); +infinity above ln(max value), 0 far below the smallest subnormal, NaN for NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp<T>(T x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return As<float, T>(ExpFloat(Unsafe.As<T, float>(ref x)));
        }

        if (typeof(T) == typeof(double))
        {
            return As<double, T>(ExpDouble(Unsafe.As<T, double>(ref x)));
        }

        throw NotFloatOrDouble<T>();
    }

    // Where sigmoid and tanh stop short of the subnormal numbers, which cost a processor about a hundred cycles
    // each: beyond |z| = 87 (float) or 708 (double) e^-|z| would be subnormal, and sigmoid(z) is 0 there for
    // negative z (1 for positive z, as it rounds anyway); and tanh is exactly +-1 in float and double once
    // e^-2|z| < 2^-54, so its exp never needs an argument below -40.
    private const double TanhExpLimit = 40;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T SigmoidLimit<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(87f) : T.CreateTruncating(708.0);

    // Cephes expf: ln 2 = C1 + C2, C1 exact in few bits so that n * C1 is exact.
    private const float ExpHiF = 88.72283935546875f, ExpLoF = -104f;
    private const float Log2EF = 1.44269504088896341f, C1F = 0.693359375f, C2F = -2.12194440e-4f;
    private const float P0F = 1.9875691500E-4f, P1F = 1.3981999507E-3f, P2F = 8.3334519073E-3f;
    private const float P3F = 4.1665795894E-2f, P4F = 1.6666665459E-1f, P5F = 5.0000001201E-1f;

    // Cephes exp (double): the Padé form e^r = 1 + 2 r P(r^2) / (Q(r^2) - r P(r^2)).
    private const double ExpHiD = 709.782712893383996843, ExpLoD = -745.2;
    private const double Log2ED = 1.4426950408889634073599, C1D = 6.93145751953125E-1, C2D = 1.42860682030941723212E-6;
    private const double P0D = 1.26177193074810590878E-4, P1D = 3.02994407707441961300E-2, P2D = 9.99999999999999999910E-1;
    private const double Q0D = 3.00198505138664455042E-6, Q1D = 2.52448340349684104192E-3;
    private const double Q2D = 2.27265548208155028766E-1, Q3D = 2.00000000000000000009E0;

    // Cephes tanh (double), |x| < 0.625: x + x^3 P(x^2) / Q(x^2), Q with leading coefficient 1.
    private const double TanhP0 = -9.64399179425052238628E-1, TanhP1 = -9.92877231001918586564E1, TanhP2 = -1.61468768441708447952E3;
    private const double TanhQ0 = 1.12811678491632931402E2, TanhQ1 = 2.23548839060100448583E3, TanhQ2 = 4.84406305325125486048E3;

    private static float ExpFloat(float x)
    {
        if (float.IsNaN(x))
        {
            return x;
        }

        if (x > ExpHiF)
        {
            return float.PositiveInfinity;
        }

        float c = MathF.Max(x, ExpLoF);
        float n = MathF.Floor((c * Log2EF) + 0.5f);
        float r = c - (n * C1F);
        r -= n * C2F;
        float p = (P0F * r) + P1F;
        p = (p * r) + P2F;
        p = (p * r) + P3F;
        p = (p * r) + P4F;
        p = (p * r) + P5F;
        p = ((p * (r * r)) + r) + 1f;
        float n1 = MathF.Floor(n * 0.5f);
        float n2 = n - n1;
        return p * BitConverter.Int32BitsToSingle(((int)n1 + 127) << 23) * BitConverter.Int32BitsToSingle(((int)n2 + 127) << 23);
    }

    private static double ExpDouble(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        if (x > ExpHiD)
        {
            return double.PositiveInfinity;
        }

        double c = Math.Max(x, ExpLoD);
        double n = Math.Floor((c * Log2ED) + 0.5);
        double r = c - (n * C1D);
        r -= n * C2D;
        double s = r * r;
        double px = r * ((((P0D * s) + P1D) * s) + P2D);
        double q = (((((Q0D * s) + Q1D) * s) + Q2D) * s) + Q3D;
        double e = 1.0 + (2.0 * (px / (q - px)));
        double n1 = Math.Floor(n * 0.5);
        double n2 = n - n1;
        return e * BitConverter.Int64BitsToDouble(((long)n1 + 1023) << 52) * BitConverter.Int64BitsToDouble(((long)n2 + 1023) << 52);
    }

    /// <summary>The vector form of <see cref="Exp{T}(T)"/>: lane by lane the same operations, so the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Exp<T>(Vector256<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Vector256<float> v = x.AsSingle();
            Vector256<float> c = Vector256.Max(v, Vector256.Create(ExpLoF));
            Vector256<float> n = Vector256.Floor((c * Vector256.Create(Log2EF)) + Vector256.Create(0.5f));
            Vector256<float> r = c - (n * Vector256.Create(C1F));
            r -= n * Vector256.Create(C2F);
            Vector256<float> p = (Vector256.Create(P0F) * r) + Vector256.Create(P1F);
            p = (p * r) + Vector256.Create(P2F);
            p = (p * r) + Vector256.Create(P3F);
            p = (p * r) + Vector256.Create(P4F);
            p = (p * r) + Vector256.Create(P5F);
            p = ((p * (r * r)) + r) + Vector256<float>.One;
            Vector256<float> n1 = Vector256.Floor(n * Vector256.Create(0.5f));
            Vector256<float> n2 = n - n1;
            Vector256<int> bias = Vector256.Create(127);
            Vector256<float> e = p * Vector256.ShiftLeft(Vector256.ConvertToInt32(n1) + bias, 23).AsSingle()
                * Vector256.ShiftLeft(Vector256.ConvertToInt32(n2) + bias, 23).AsSingle();
            e = Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256.Create(ExpHiF)), Vector256.Create(float.PositiveInfinity), e);
            return Vector256.ConditionalSelect(Vector256.Equals(v, v), e, v).As<float, T>();
        }
        else
        {
            Vector256<double> v = x.AsDouble();
            Vector256<double> c = Vector256.Max(v, Vector256.Create(ExpLoD));
            Vector256<double> n = Vector256.Floor((c * Vector256.Create(Log2ED)) + Vector256.Create(0.5));
            Vector256<double> r = c - (n * Vector256.Create(C1D));
            r -= n * Vector256.Create(C2D);
            Vector256<double> s = r * r;
            Vector256<double> px = r * ((((Vector256.Create(P0D) * s) + Vector256.Create(P1D)) * s) + Vector256.Create(P2D));
            Vector256<double> q = (((((Vector256.Create(Q0D) * s) + Vector256.Create(Q1D)) * s) + Vector256.Create(Q2D)) * s) + Vector256.Create(Q3D);
            Vector256<double> e = Vector256<double>.One + (Vector256.Create(2.0) * (px / (q - px)));
            Vector256<double> n1 = Vector256.Floor(n * Vector256.Create(0.5));
            Vector256<double> n2 = n - n1;
            Vector256<long> bias = Vector256.Create(1023L);
            e = e * Vector256.ShiftLeft(Vector256.ConvertToInt64(n1) + bias, 52).AsDouble()
                * Vector256.ShiftLeft(Vector256.ConvertToInt64(n2) + bias, 52).AsDouble();
            e = Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256.Create(ExpHiD)), Vector256.Create(double.PositiveInfinity), e);
            return Vector256.ConditionalSelect(Vector256.Equals(v, v), e, v).As<double, T>();
        }
    }

    /// <summary>The vector form of <see cref="Sigmoid{T}(T)"/>: lane by lane the same operations, so the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Sigmoid<T>(Vector256<T> z)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector256<T> a = Vector256.Abs(z), limit = Vector256.Create(SigmoidLimit<T>());
        Vector256<T> e = Exp(-Vector256.Min(a, limit));
        Vector256<T> d = Vector256<T>.One + e;
        Vector256<T> negative = Vector256.AndNot(e / d, Vector256.GreaterThan(a, limit));
        Vector256<T> s = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<T>.Zero), Vector256<T>.One / d, negative);
        return Vector256.ConditionalSelect(Vector256.Equals(z, z), s, z);
    }

    /// <summary>The vector form of <see cref="Tanh{T}(T)"/>: lane by lane the same operations, so the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> Tanh<T>(Vector256<T> z)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Vector256<T> a = Vector256.Abs(z);
        Vector256<T> small;
        if (typeof(T) == typeof(float))
        {
            Vector256<float> x = a.AsSingle(), s = x * x;
            Vector256<float> p = ((((((((Vector256.Create(-5.70498872745E-3f) * s) + Vector256.Create(2.06390887954E-2f)) * s)
                - Vector256.Create(5.37397155531E-2f)) * s) + Vector256.Create(1.33314422036E-1f)) * s) - Vector256.Create(3.33332819422E-1f)) * s;
            small = ((p * x) + x).As<float, T>();
        }
        else
        {
            Vector256<double> x = a.AsDouble(), s = x * x;
            Vector256<double> p = (((Vector256.Create(TanhP0) * s) + Vector256.Create(TanhP1)) * s) + Vector256.Create(TanhP2);
            Vector256<double> q = ((((s + Vector256.Create(TanhQ0)) * s) + Vector256.Create(TanhQ1)) * s) + Vector256.Create(TanhQ2);
            small = (x + ((x * s) * (p / q))).As<double, T>();
        }

        Vector256<T> two = Vector256<T>.One + Vector256<T>.One;
        Vector256<T> e = Exp(Vector256.Max(-(two * a), Vector256.Create(-T.CreateTruncating(TanhExpLimit))));
        Vector256<T> big = (Vector256<T>.One - e) / (Vector256<T>.One + e);
        Vector256<T> limit = Vector256.Create(T.CreateTruncating(0.625));
        Vector256<T> t = Vector256.ConditionalSelect(Vector256.LessThan(a, limit), small, big);

        // tanh is odd: t = tanh |z| is never negative, so setting its sign bit to z's is CopySign.
        return t | (z & Vector256.Create(T.NegativeZero));
    }

    private static void GateSums(ReadOnlySpan<float> weights, ReadOnlySpan<float> v, Span<float> sums)
    {
        const int L = 8;
        int columns = v.Length, rows = sums.Length, whole = columns / L * L;
        ref float w = ref MemoryMarshal.GetReference(weights);
        ref float vr = ref MemoryMarshal.GetReference(v);
        ref float sr = ref MemoryMarshal.GetReference(sums);
        int r = 0;
        if (Avx.IsSupported)
        {
            if (columns == 1)
            {
                // One column (a layer fed by one value): each row's dot product is its one product, eight rows a vector.
                Vector256<float> x = Vector256.Create(v[0]);
                for (; r + L <= rows; r += L)
                {
                    (Vector256.LoadUnsafe(ref sr, (nuint)r) + (Vector256.LoadUnsafe(ref w, (nuint)r) * x)).StoreUnsafe(ref sr, (nuint)r);
                }
            }
            else if (whole > 0)
            {
                Span<float> dots = stackalloc float[L];
                for (; r + L <= rows; r += L)
                {
                    // Eight rows at once: lane l of a_k sums row r + k's products of columns l, l + 8, ...; then the
                    // horizontal adds give each row's pairwise tree, eight rows' dot products in one vector.
                    nuint row0 = (nuint)r * (nuint)columns;
                    nuint stride = (nuint)columns;
                    Vector256<float> x = Vector256.LoadUnsafe(ref vr);
                    Vector256<float> a0 = Vector256.LoadUnsafe(ref w, row0) * x;
                    Vector256<float> a1 = Vector256.LoadUnsafe(ref w, row0 + stride) * x;
                    Vector256<float> a2 = Vector256.LoadUnsafe(ref w, row0 + (2 * stride)) * x;
                    Vector256<float> a3 = Vector256.LoadUnsafe(ref w, row0 + (3 * stride)) * x;
                    Vector256<float> a4 = Vector256.LoadUnsafe(ref w, row0 + (4 * stride)) * x;
                    Vector256<float> a5 = Vector256.LoadUnsafe(ref w, row0 + (5 * stride)) * x;
                    Vector256<float> a6 = Vector256.LoadUnsafe(ref w, row0 + (6 * stride)) * x;
                    Vector256<float> a7 = Vector256.LoadUnsafe(ref w, row0 + (7 * stride)) * x;
                    for (nuint k = L; k < (nuint)whole; k += L)
                    {
                        x = Vector256.LoadUnsafe(ref vr, k);
                        a0 += Vector256.LoadUnsafe(ref w, row0 + k) * x;
                        a1 += Vector256.LoadUnsafe(ref w, row0 + stride + k) * x;
                        a2 += Vector256.LoadUnsafe(ref w, row0 + (2 * stride) + k) * x;
                        a3 += Vector256.LoadUnsafe(ref w, row0 + (3 * stride) + k) * x;
                        a4 += Vector256.LoadUnsafe(ref w, row0 + (4 * stride) + k) * x;
                        a5 += Vector256.LoadUnsafe(ref w, row0 + (5 * stride) + k) * x;
                        a6 += Vector256.LoadUnsafe(ref w, row0 + (6 * stride) + k) * x;
                        a7 += Vector256.LoadUnsafe(ref w, row0 + (7 * stride) + k) * x;
                    }

                    Vector256<float> u0 = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
                    Vector256<float> u1 = Avx.HorizontalAdd(Avx.HorizontalAdd(a4, a5), Avx.HorizontalAdd(a6, a7));
                    Vector256<float> d = Avx.Permute2x128(u0, u1, 0x20) + Avx.Permute2x128(u0, u1, 0x31);
                    if (whole == columns)
                    {
                        (Vector256.LoadUnsafe(ref sr, (nuint)r) + d).StoreUnsafe(ref sr, (nuint)r);
                        continue;
                    }

                    d.CopyTo(dots);
                    for (int k = 0; k < L; k++)
                    {
                        sums[r + k] += AddTail(weights.Slice((r + k) * columns, columns), v, whole, dots[k]);
                    }
                }
            }
        }

        for (; r < rows; r++)
        {
            sums[r] += RowDot(weights.Slice(r * columns, columns), v, L);
        }
    }

    private static void GateSums(ReadOnlySpan<double> weights, ReadOnlySpan<double> v, Span<double> sums)
    {
        const int L = 4;
        int columns = v.Length, rows = sums.Length, whole = columns / L * L;
        ref double w = ref MemoryMarshal.GetReference(weights);
        ref double vr = ref MemoryMarshal.GetReference(v);
        ref double sr = ref MemoryMarshal.GetReference(sums);
        int r = 0;
        if (Avx.IsSupported)
        {
            if (columns == 1)
            {
                Vector256<double> x = Vector256.Create(v[0]);
                for (; r + L <= rows; r += L)
                {
                    (Vector256.LoadUnsafe(ref sr, (nuint)r) + (Vector256.LoadUnsafe(ref w, (nuint)r) * x)).StoreUnsafe(ref sr, (nuint)r);
                }
            }
            else if (whole > 0)
            {
                Span<double> dots = stackalloc double[L];
                for (; r + L <= rows; r += L)
                {
                    nuint row0 = (nuint)r * (nuint)columns;
                    nuint stride = (nuint)columns;
                    Vector256<double> x = Vector256.LoadUnsafe(ref vr);
                    Vector256<double> a0 = Vector256.LoadUnsafe(ref w, row0) * x;
                    Vector256<double> a1 = Vector256.LoadUnsafe(ref w, row0 + stride) * x;
                    Vector256<double> a2 = Vector256.LoadUnsafe(ref w, row0 + (2 * stride)) * x;
                    Vector256<double> a3 = Vector256.LoadUnsafe(ref w, row0 + (3 * stride)) * x;
                    for (nuint k = L; k < (nuint)whole; k += L)
                    {
                        x = Vector256.LoadUnsafe(ref vr, k);
                        a0 += Vector256.LoadUnsafe(ref w, row0 + k) * x;
                        a1 += Vector256.LoadUnsafe(ref w, row0 + stride + k) * x;
                        a2 += Vector256.LoadUnsafe(ref w, row0 + (2 * stride) + k) * x;
                        a3 += Vector256.LoadUnsafe(ref w, row0 + (3 * stride) + k) * x;
                    }

                    // [a0 lo, a1 lo, a0 hi, a1 hi] and the same for rows 2 and 3; lo = p0 + p1, hi = p2 + p3.
                    Vector256<double> t0 = Avx.HorizontalAdd(a0, a1), t1 = Avx.HorizontalAdd(a2, a3);
                    Vector256<double> d = Avx.Permute2x128(t0, t1, 0x20) + Avx.Permute2x128(t0, t1, 0x31);
                    if (whole == columns)
                    {
                        (Vector256.LoadUnsafe(ref sr, (nuint)r) + d).StoreUnsafe(ref sr, (nuint)r);
                        continue;
                    }

                    d.CopyTo(dots);
                    for (int k = 0; k < L; k++)
                    {
                        sums[r + k] += AddTail(weights.Slice((r + k) * columns, columns), v, whole, dots[k]);
                    }
                }
            }
        }

        for (; r < rows; r++)
        {
            sums[r] += RowDot(weights.Slice(r * columns, columns), v, L);
        }
    }

    /// <summary>One row's dot product in the order <see cref="GateSums{T}"/> defines, written out with scalars.</summary>
    private static T RowDot<T>(ReadOnlySpan<T> row, ReadOnlySpan<T> v, int lanes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int whole = row.Length / lanes * lanes;
        if (whole == 0)
        {
            T sum = row[0] * v[0];
            return AddTail(row, v, 1, sum);
        }

        Span<T> lane = stackalloc T[8];
        for (int l = 0; l < lanes; l++)
        {
            T s = row[l] * v[l];
            for (int k = lanes + l; k < whole; k += lanes)
            {
                s += row[k] * v[k];
            }

            lane[l] = s;
        }

        T tree = lanes == 8
            ? ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]))
            : (lane[0] + lane[1]) + (lane[2] + lane[3]);
        return AddTail(row, v, whole, tree);
    }

    private static T AddTail<T>(ReadOnlySpan<T> row, ReadOnlySpan<T> v, int from, T sum)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (int k = from; k < row.Length; k++)
        {
            sum += row[k] * v[k];
        }

        return sum;
    }

    private static void CheckUnits(int units, int blocks, int length, string name)
    {
        if (length != blocks * units)
        {
            throw new ArgumentException($"Expected {blocks * units} values ({blocks} x {units} units), got {length}.", name);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TTo As<TFrom, TTo>(TFrom value) => Unsafe.As<TFrom, TTo>(ref value);

    private static NotSupportedException NotFloatOrDouble<T>() =>
        new($"The recurrent kernels compute in float or double, not {typeof(T).Name}.");
}
