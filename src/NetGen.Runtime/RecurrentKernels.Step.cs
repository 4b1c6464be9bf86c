using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen;

// A recurrent layer's whole time step in one call: the gate sums and the cell equations of a block of units (eight
// float, four double: one 256-bit vector per gate) computed together in registers, the block's new values stored once.
// Each value is the same sequence of operations as GateSums followed by Gru or Lstm, so the same bits.
public static partial class RecurrentKernels
{
    /// <summary>
    /// One time step of a GRU layer, PyTorch's equations, in one call: every gate row's two sums
    /// <c>ih = W_i x + b_i</c> and <c>hh = W_h h + b_h</c>, then <see cref="Gru{T}"/>'s cell equations
    /// (<c>r = Sigmoid(ih_r + hh_r)</c>, <c>z = Sigmoid(ih_z + hh_z)</c>, <c>n = Tanh(ih_n + r * hh_n)</c>,
    /// <c>h' = ((1 - z) * n) + (z * h)</c>); <paramref name="hNew"/> receives h', and <paramref name="h"/> becomes h'.
    /// <para>
    /// Each sum is the bias (0 without biases) plus the row's dot product in the order <see cref="GateSums{T}"/>
    /// defines, exactly as <c>GateSums</c> adds it onto a copy of the bias, and the cell equations are those of
    /// <see cref="Gru{T}"/>: so this gives the bits of those calls on every machine. Where the machine has AVX, a block
    /// of eight float units (four double) is done at a time, its three gates' rows one vector each, the dot products of
    /// eight rows reduced together by horizontal adds, nothing stored until the block's new values; the units past the
    /// last whole block, and every unit without AVX, are done one at a time by scalar code in the same order.
    /// </para>
    /// </summary>
    /// <param name="parameters">
    /// The layer's parameters in PyTorch's layout: weight_ih [3 units, inputs], weight_hh [3 units, units], then,
    /// with biases, bias_ih and bias_hh [3 units] (rows r, z, n, a block of units each). Whether the layer has
    /// biases is read from the length.
    /// </param>
    /// <param name="x">The step's inputs; its length is the number of inputs.</param>
    /// <param name="h">The hidden values the step begins with (its length is the number of units); left holding h'.</param>
    /// <param name="hNew">Receives h'. Must not overlap <paramref name="h"/>.</param>
    /// <param name="record">
    /// Empty, or 4 units values that receive r, z, n and hh_n (= W_hn h + b_hn), a block of units each, as a training
    /// step's record needs them. Must not overlap <paramref name="h"/>.
    /// </param>
    /// <exception cref="ArgumentException">A span's length does not fit the others, or an output overlaps h.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void GruStep<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> h, Span<T> hNew, Span<T> record)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        GruStepOn(parameters, x, h, hNew, record, StepVectors);

    /// <summary>
    /// One time step of an LSTM layer, PyTorch's equations, in one call: every gate row's sum
    /// <c>s = W_i x + b_i + W_h h + b_h</c>, then <see cref="Lstm{T}"/>'s cell equations (<c>i = Sigmoid(s_i)</c>,
    /// <c>f = Sigmoid(s_f)</c>, <c>g = Tanh(s_g)</c>, <c>o = Sigmoid(s_o)</c>, <c>c' = (f * c) + (i * g)</c>,
    /// <c>h' = o * Tanh(c')</c>); <paramref name="hNew"/> receives h', <paramref name="h"/> becomes h' and
    /// <paramref name="c"/> becomes c'.
    /// <para>
    /// Each sum is, with biases, <c>((b_i + b_h) + dot(W_i row, x)) + dot(W_h row, h)</c>, without them
    /// <c>(0 + dot(W_i row, x)) + dot(W_h row, h)</c>, each dot product in the order <see cref="GateSums{T}"/>
    /// defines; and the cell equations are those of <see cref="Lstm{T}"/>: so this gives the bits of the bias sum, two
    /// <c>GateSums</c> calls and one <c>Lstm</c> call, on every machine. Blocks of eight float units (four double) a
    /// time where the machine has AVX, as <see cref="GruStep{T}"/>; scalar code in the same order elsewhere.
    /// </para>
    /// </summary>
    /// <param name="parameters">
    /// The layer's parameters in PyTorch's layout: weight_ih [4 units, inputs], weight_hh [4 units, units], then,
    /// with biases, bias_ih and bias_hh [4 units] (rows i, f, g, o, a block of units each). Whether the layer has
    /// biases is read from the length.
    /// </param>
    /// <param name="x">The step's inputs; its length is the number of inputs.</param>
    /// <param name="h">The hidden values the step begins with (its length is the number of units); left holding h'.</param>
    /// <param name="c">The cell values the step begins with (one per unit); left holding c'.</param>
    /// <param name="hNew">Receives h'. Must not overlap <paramref name="h"/> or <paramref name="c"/>.</param>
    /// <param name="record">
    /// Empty, or 5 units values that receive i, f, g, o and c', a block of units each, as a training step's record
    /// needs them. Must not overlap <paramref name="h"/> or <paramref name="c"/>.
    /// </param>
    /// <exception cref="ArgumentException">A span's length does not fit the others, or an output overlaps h or c.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static void LstmStep<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> h, Span<T> c, Span<T> hNew, Span<T> record)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        LstmStepOn(parameters, x, h, c, hNew, record, StepVectors);

    /// <summary>Whether <see cref="GruStep{T}"/> and <see cref="LstmStep{T}"/> take their vector path on this machine.</summary>
    internal static bool StepVectors => Avx.IsSupported && Vector256.IsHardwareAccelerated;

    /// <summary><see cref="GruStep{T}"/>, its vector path taken only when <paramref name="vectors"/> (tests force the scalar one).</summary>
    internal static void GruStepOn<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> h, Span<T> hNew, Span<T> record, bool vectors)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int units = h.Length, inputs = x.Length;
        bool bias = CheckLayer<T>(3, units, inputs, parameters.Length);
        CheckUnits(units, 1, hNew.Length, nameof(hNew));
        if (!record.IsEmpty)
        {
            CheckUnits(units, 4, record.Length, nameof(record));
        }

        CheckApart(hNew, h, nameof(hNew));
        CheckApart(record, h, nameof(record));

        // Where each tensor starts in the layer's parameters.
        nuint rows = (nuint)(3 * units), wh = rows * (nuint)inputs, bi = wh + (rows * (nuint)units), bh = bi + rows;
        ref T p = ref MemoryMarshal.GetReference(parameters);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T hr = ref MemoryMarshal.GetReference(h);
        ref T outr = ref MemoryMarshal.GetReference(hNew);
        ref T rec = ref MemoryMarshal.GetReference(record);
        bool keep = !record.IsEmpty;
        nuint u = (nuint)units;
        bool single = vectors && units == Vector256<T>.Count;
        int j = 0;
        if (vectors)
        {
            ref T wir = ref p, whr = ref Unsafe.Add(ref p, wh);
            for (; j + Vector256<T>.Count <= units; j += Vector256<T>.Count)
            {
                // Rows j.. of the r, z and n blocks: one vector of units a gate, each lane one unit's row.
                nuint rr = (nuint)j, rz = u + (nuint)j, rn = (2 * u) + (nuint)j;
                Vector256<T> ihR = Bias(bias, ref p, bi + rr) + Dots(ref wir, rr, inputs, ref xr);
                Vector256<T> ihZ = Bias(bias, ref p, bi + rz) + Dots(ref wir, rz, inputs, ref xr);
                Vector256<T> ihN = Bias(bias, ref p, bi + rn) + Dots(ref wir, rn, inputs, ref xr);
                Vector256<T> hhR = Bias(bias, ref p, bh + rr) + Dots(ref whr, rr, units, ref hr);
                Vector256<T> hhZ = Bias(bias, ref p, bh + rz) + Dots(ref whr, rz, units, ref hr);
                Vector256<T> hhN = Bias(bias, ref p, bh + rn) + Dots(ref whr, rn, units, ref hr);
                Vector256<T> r = Sigmoid(ihR + hhR);
                Vector256<T> z = Sigmoid(ihZ + hhZ);
                Vector256<T> n = Tanh(ihN + (r * hhN));
                Vector256<T> hv = ((Vector256<T>.One - z) * n) + (z * Vector256.LoadUnsafe(ref hr, rr));
                hv.StoreUnsafe(ref outr, rr);
                if (single)
                {
                    // The layer is this one block, whose reads of h are all done: h' goes straight into the state too.
                    hv.StoreUnsafe(ref hr);
                }

                if (keep)
                {
                    r.StoreUnsafe(ref rec, rr);
                    z.StoreUnsafe(ref rec, rz);
                    n.StoreUnsafe(ref rec, rn);
                    hhN.StoreUnsafe(ref rec, (3 * u) + (nuint)j);
                }
            }
        }

        int lanes = Vector256<T>.Count;
        for (; j < units; j++)
        {
            int rr = j, rz = units + j, rn = (2 * units) + j;
            T ihR = ScalarBias(bias, parameters, (int)bi + rr) + RowDot(parameters.Slice(rr * inputs, inputs), x, lanes);
            T ihZ = ScalarBias(bias, parameters, (int)bi + rz) + RowDot(parameters.Slice(rz * inputs, inputs), x, lanes);
            T ihN = ScalarBias(bias, parameters, (int)bi + rn) + RowDot(parameters.Slice(rn * inputs, inputs), x, lanes);
            T hhR = ScalarBias(bias, parameters, (int)bh + rr) + RowDot(parameters.Slice((int)wh + (rr * units), units), h, lanes);
            T hhZ = ScalarBias(bias, parameters, (int)bh + rz) + RowDot(parameters.Slice((int)wh + (rz * units), units), h, lanes);
            T hhN = ScalarBias(bias, parameters, (int)bh + rn) + RowDot(parameters.Slice((int)wh + (rn * units), units), h, lanes);
            T r = Sigmoid(ihR + hhR);
            T z = Sigmoid(ihZ + hhZ);
            T n = Tanh(ihN + (r * hhN));
            hNew[j] = ((T.One - z) * n) + (z * h[j]);
            if (keep)
            {
                record[rr] = r;
                record[rz] = z;
                record[rn] = n;
                record[(3 * units) + j] = hhN;
            }
        }

        if (!single)
        {
            Carry(hNew, h, vectors);
        }
    }

    /// <summary><see cref="LstmStep{T}"/>, its vector path taken only when <paramref name="vectors"/> (tests force the scalar one).</summary>
    internal static void LstmStepOn<T>(ReadOnlySpan<T> parameters, ReadOnlySpan<T> x, Span<T> h, Span<T> c, Span<T> hNew, Span<T> record, bool vectors)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int units = h.Length, inputs = x.Length;
        bool bias = CheckLayer<T>(4, units, inputs, parameters.Length);
        CheckUnits(units, 1, c.Length, nameof(c));
        CheckUnits(units, 1, hNew.Length, nameof(hNew));
        if (!record.IsEmpty)
        {
            CheckUnits(units, 5, record.Length, nameof(record));
        }

        CheckApart(hNew, h, nameof(hNew));
        CheckApart(hNew, c, nameof(hNew));
        CheckApart(record, h, nameof(record));
        CheckApart(record, c, nameof(record));
        CheckApart(c, h, nameof(c));

        nuint rows = (nuint)(4 * units), wh = rows * (nuint)inputs, bi = wh + (rows * (nuint)units), bh = bi + rows;
        ref T p = ref MemoryMarshal.GetReference(parameters);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T hr = ref MemoryMarshal.GetReference(h);
        ref T cr = ref MemoryMarshal.GetReference(c);
        ref T outr = ref MemoryMarshal.GetReference(hNew);
        ref T rec = ref MemoryMarshal.GetReference(record);
        bool keep = !record.IsEmpty;
        nuint u = (nuint)units;
        bool single = vectors && units == Vector256<T>.Count;
        int j = 0;
        if (vectors)
        {
            ref T wir = ref p, whr = ref Unsafe.Add(ref p, wh);
            for (; j + Vector256<T>.Count <= units; j += Vector256<T>.Count)
            {
                nuint ri = (nuint)j, rf = u + (nuint)j, rg = (2 * u) + (nuint)j, ro = (3 * u) + (nuint)j;
                Vector256<T> si = (BiasSum(bias, ref p, bi, bh, ri) + Dots(ref wir, ri, inputs, ref xr)) + Dots(ref whr, ri, units, ref hr);
                Vector256<T> sf = (BiasSum(bias, ref p, bi, bh, rf) + Dots(ref wir, rf, inputs, ref xr)) + Dots(ref whr, rf, units, ref hr);
                Vector256<T> sg = (BiasSum(bias, ref p, bi, bh, rg) + Dots(ref wir, rg, inputs, ref xr)) + Dots(ref whr, rg, units, ref hr);
                Vector256<T> so = (BiasSum(bias, ref p, bi, bh, ro) + Dots(ref wir, ro, inputs, ref xr)) + Dots(ref whr, ro, units, ref hr);
                Vector256<T> i = Sigmoid(si), f = Sigmoid(sf), g = Tanh(sg), o = Sigmoid(so);
                Vector256<T> cNew = (f * Vector256.LoadUnsafe(ref cr, ri)) + (i * g);
                Vector256<T> hv = o * Tanh(cNew);
                hv.StoreUnsafe(ref outr, ri);
                if (single)
                {
                    hv.StoreUnsafe(ref hr);
                }

                cNew.StoreUnsafe(ref cr, ri);
                if (keep)
                {
                    i.StoreUnsafe(ref rec, ri);
                    f.StoreUnsafe(ref rec, rf);
                    g.StoreUnsafe(ref rec, rg);
                    o.StoreUnsafe(ref rec, ro);
                    cNew.StoreUnsafe(ref rec, (4 * u) + (nuint)j);
                }
            }
        }

        int lanes = Vector256<T>.Count;
        for (; j < units; j++)
        {
            T si = LstmSum(parameters, x, h, j, units, inputs, bias, (int)wh, (int)bi, (int)bh, lanes);
            T sf = LstmSum(parameters, x, h, units + j, units, inputs, bias, (int)wh, (int)bi, (int)bh, lanes);
            T sg = LstmSum(parameters, x, h, (2 * units) + j, units, inputs, bias, (int)wh, (int)bi, (int)bh, lanes);
            T so = LstmSum(parameters, x, h, (3 * units) + j, units, inputs, bias, (int)wh, (int)bi, (int)bh, lanes);
            T i = Sigmoid(si), f = Sigmoid(sf), g = Tanh(sg), o = Sigmoid(so);
            T cNew = (f * c[j]) + (i * g);
            hNew[j] = o * Tanh(cNew);
            c[j] = cNew;
            if (keep)
            {
                record[j] = i;
                record[units + j] = f;
                record[(2 * units) + j] = g;
                record[(3 * units) + j] = o;
                record[(4 * units) + j] = cNew;
            }
        }

        if (!single)
        {
            Carry(hNew, h, vectors);
        }
    }

    /// <summary>One LSTM gate row's sum in the documented order: ((b_i + b_h) or 0, + dot with x, + dot with h).</summary>
    private static T LstmSum<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> x, ReadOnlySpan<T> h, int row, int units, int inputs, bool bias, int wh, int bi, int bh, int lanes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T s = bias ? p[bi + row] + p[bh + row] : T.Zero;
        s += RowDot(p.Slice(row * inputs, inputs), x, lanes);
        return s + RowDot(p.Slice(wh + (row * units), units), h, lanes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ScalarBias<T>(bool bias, ReadOnlySpan<T> p, int at)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        bias ? p[at] : T.Zero;

    /// <summary>The biases of a vector of rows, or zeros (to which the dot products are added, as onto a cleared span).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Bias<T>(bool bias, ref T p, nuint at)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        bias ? Vector256.LoadUnsafe(ref p, at) : Vector256<T>.Zero;

    /// <summary>b_i + b_h of a vector of LSTM rows, or zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> BiasSum<T>(bool bias, ref T p, nuint bi, nuint bh, nuint row)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        bias ? Vector256.LoadUnsafe(ref p, bi + row) + Vector256.LoadUnsafe(ref p, bh + row) : Vector256<T>.Zero;

    /// <summary>
    /// The dot products with <paramref name="v"/> of the rows row0, row0 + 1, ... (one vector's worth) of a row-major
    /// matrix of <paramref name="columns"/> columns, each in <see cref="GateSums{T}"/>' order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Dots<T>(ref T matrix, nuint row0, int columns, ref T v)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (columns == 1)
        {
            // One column: the rows' weights lie side by side, and each dot product is one product.
            return Vector256.LoadUnsafe(ref matrix, row0) * Vector256.Create(v);
        }

        if (typeof(T) == typeof(float))
        {
            return DotsFloat(ref Unsafe.As<T, float>(ref matrix), row0, columns, ref Unsafe.As<T, float>(ref v)).As<float, T>();
        }

        return DotsDouble(ref Unsafe.As<T, double>(ref matrix), row0, columns, ref Unsafe.As<T, double>(ref v)).As<double, T>();
    }

    /// <summary>Eight float rows' dot products: lanes over whole blocks of eight columns, the pairwise tree, then the tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> DotsFloat(ref float w, nuint row0, int columns, ref float v)
    {
        const int L = 8;
        nuint stride = (nuint)columns, start = row0 * stride;
        int whole = columns / L * L, k;
        Vector256<float> d;
        if (whole == 0)
        {
            // Fewer columns than lanes: the left-to-right sum of the products.
            d = Column8(ref w, start, stride, 0) * Vector256.Create(v);
            k = 1;
        }
        else
        {
            // Lane l of a_k sums row row0 + k's products of columns l, l + 8, ...; the horizontal adds then give each
            // row's tree ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7)), the eight rows' sums in one vector.
            Vector256<float> x = Vector256.LoadUnsafe(ref v);
            Vector256<float> a0 = Vector256.LoadUnsafe(ref w, start) * x;
            Vector256<float> a1 = Vector256.LoadUnsafe(ref w, start + stride) * x;
            Vector256<float> a2 = Vector256.LoadUnsafe(ref w, start + (2 * stride)) * x;
            Vector256<float> a3 = Vector256.LoadUnsafe(ref w, start + (3 * stride)) * x;
            Vector256<float> a4 = Vector256.LoadUnsafe(ref w, start + (4 * stride)) * x;
            Vector256<float> a5 = Vector256.LoadUnsafe(ref w, start + (5 * stride)) * x;
            Vector256<float> a6 = Vector256.LoadUnsafe(ref w, start + (6 * stride)) * x;
            Vector256<float> a7 = Vector256.LoadUnsafe(ref w, start + (7 * stride)) * x;
            for (nuint c = L; c < (nuint)whole; c += L)
            {
                x = Vector256.LoadUnsafe(ref v, c);
                a0 += Vector256.LoadUnsafe(ref w, start + c) * x;
                a1 += Vector256.LoadUnsafe(ref w, start + stride + c) * x;
                a2 += Vector256.LoadUnsafe(ref w, start + (2 * stride) + c) * x;
                a3 += Vector256.LoadUnsafe(ref w, start + (3 * stride) + c) * x;
                a4 += Vector256.LoadUnsafe(ref w, start + (4 * stride) + c) * x;
                a5 += Vector256.LoadUnsafe(ref w, start + (5 * stride) + c) * x;
                a6 += Vector256.LoadUnsafe(ref w, start + (6 * stride) + c) * x;
                a7 += Vector256.LoadUnsafe(ref w, start + (7 * stride) + c) * x;
            }

            Vector256<float> u0 = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
            Vector256<float> u1 = Avx.HorizontalAdd(Avx.HorizontalAdd(a4, a5), Avx.HorizontalAdd(a6, a7));
            d = Avx.Permute2x128(u0, u1, 0x20) + Avx.Permute2x128(u0, u1, 0x31);
            k = whole;
        }

        for (; k < columns; k++)
        {
            d += Column8(ref w, start, stride, (nuint)k) * Vector256.Create(Unsafe.Add(ref v, k));
        }

        return d;
    }

    /// <summary>Four double rows' dot products, as <see cref="DotsFloat"/> with four lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> DotsDouble(ref double w, nuint row0, int columns, ref double v)
    {
        const int L = 4;
        nuint stride = (nuint)columns, start = row0 * stride;
        int whole = columns / L * L, k;
        Vector256<double> d;
        if (whole == 0)
        {
            d = Column4(ref w, start, stride, 0) * Vector256.Create(v);
            k = 1;
        }
        else
        {
            Vector256<double> x = Vector256.LoadUnsafe(ref v);
            Vector256<double> a0 = Vector256.LoadUnsafe(ref w, start) * x;
            Vector256<double> a1 = Vector256.LoadUnsafe(ref w, start + stride) * x;
            Vector256<double> a2 = Vector256.LoadUnsafe(ref w, start + (2 * stride)) * x;
            Vector256<double> a3 = Vector256.LoadUnsafe(ref w, start + (3 * stride)) * x;
            for (nuint c = L; c < (nuint)whole; c += L)
            {
                x = Vector256.LoadUnsafe(ref v, c);
                a0 += Vector256.LoadUnsafe(ref w, start + c) * x;
                a1 += Vector256.LoadUnsafe(ref w, start + stride + c) * x;
                a2 += Vector256.LoadUnsafe(ref w, start + (2 * stride) + c) * x;
                a3 += Vector256.LoadUnsafe(ref w, start + (3 * stride) + c) * x;
            }

            // [a0 lo, a1 lo, a0 hi, a1 hi] and the same for rows 2 and 3; lo = p0 + p1, hi = p2 + p3.
            Vector256<double> t0 = Avx.HorizontalAdd(a0, a1), t1 = Avx.HorizontalAdd(a2, a3);
            d = Avx.Permute2x128(t0, t1, 0x20) + Avx.Permute2x128(t0, t1, 0x31);
            k = whole;
        }

        for (; k < columns; k++)
        {
            d += Column4(ref w, start, stride, (nuint)k) * Vector256.Create(Unsafe.Add(ref v, k));
        }

        return d;
    }

    /// <summary>Column k of eight consecutive rows (which lie a row's length apart) as one vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Column8(ref float w, nuint start, nuint stride, nuint k) =>
        Vector256.Create(
            Unsafe.Add(ref w, start + k),
            Unsafe.Add(ref w, start + stride + k),
            Unsafe.Add(ref w, start + (2 * stride) + k),
            Unsafe.Add(ref w, start + (3 * stride) + k),
            Unsafe.Add(ref w, start + (4 * stride) + k),
            Unsafe.Add(ref w, start + (5 * stride) + k),
            Unsafe.Add(ref w, start + (6 * stride) + k),
            Unsafe.Add(ref w, start + (7 * stride) + k));

    /// <summary>Column k of four consecutive rows as one vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Column4(ref double w, nuint start, nuint stride, nuint k) =>
        Vector256.Create(
            Unsafe.Add(ref w, start + k),
            Unsafe.Add(ref w, start + stride + k),
            Unsafe.Add(ref w, start + (2 * stride) + k),
            Unsafe.Add(ref w, start + (3 * stride) + k));

    /// <summary>h becomes h': a vector at a time where the block stored one, so the next step's loads take it straight from the store.</summary>
    private static void Carry<T>(ReadOnlySpan<T> hNew, Span<T> h, bool vectors)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int j = 0;
        if (vectors)
        {
            ref T from = ref MemoryMarshal.GetReference(hNew), to = ref MemoryMarshal.GetReference(h);
            for (; j + Vector256<T>.Count <= h.Length; j += Vector256<T>.Count)
            {
                Vector256.LoadUnsafe(ref from, (nuint)j).StoreUnsafe(ref to, (nuint)j);
            }
        }

        for (; j < h.Length; j++)
        {
            h[j] = hNew[j];
        }
    }

    /// <summary>Whether a layer of <paramref name="gates"/> gates has biases, from its parameters' length; throws if it fits neither.</summary>
    private static bool CheckLayer<T>(int gates, int units, int inputs, int length)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"The recurrent kernels compute in float or double, not {typeof(T).Name}.");
        }

        if (units == 0 || inputs == 0)
        {
            throw new ArgumentException($"A recurrent layer needs at least one unit and one input, not {units} and {inputs}.", units == 0 ? "h" : "x");
        }

        long rows = (long)gates * units, weights = rows * (inputs + units);
        if (length == weights + (2 * rows))
        {
            return true;
        }

        if (length == weights)
        {
            return false;
        }

        throw new ArgumentException(
            $"{gates} gates of {units} units and {inputs} inputs take {weights} parameters ({weights + (2 * rows)} with biases), not {length}.",
            "parameters");
    }

    private static void CheckApart<T>(Span<T> a, Span<T> b, string name)
    {
        if (a.Overlaps(b))
        {
            throw new ArgumentException("The span overlaps one the step reads.", name);
        }
    }
}
