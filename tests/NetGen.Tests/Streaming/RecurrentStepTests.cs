using System;
using System.Numerics;
using Xunit;

namespace NetGen.Tests.Streaming;

/// <summary>
/// RecurrentKernels.GruStep and LstmStep, the whole step of a layer in one call, on both of their paths (the vector
/// one and the scalar one, forced), against the step written out here from its documented definition: each gate row's
/// sum as the bias (or 0) plus the row's dot products in GateSums' order (lanes of 8 float or 4 double columns, the
/// pairwise tree, then the tail one by one), then PyTorch's cell equations with the class's scalar sigmoid and tanh.
/// Bit for bit, for unit counts below, at and past a vector's width and input counts of one, fewer than a vector's
/// lanes, whole vectors and a tail.
/// </summary>
public sealed class RecurrentStepTests
{
    public static TheoryData<int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, bool>();
        foreach ((int units, int inputs) in new[] { (1, 1), (3, 2), (8, 1), (8, 8), (4, 5), (11, 3), (16, 16), (12, 9), (32, 1), (33, 21), (24, 40) })
        {
            data.Add(units, inputs, true);
            data.Add(units, inputs, false);
        }

        return data;
    }

    /// <summary>One row's dot product in GateSums' documented order.</summary>
    private static T Dot<T>(T[] w, int offset, T[] v, int lanes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int columns = v.Length, whole = columns / lanes * lanes;
        if (whole == 0)
        {
            T s = w[offset] * v[0];
            for (int k = 1; k < columns; k++)
            {
                s += w[offset + k] * v[k];
            }

            return s;
        }

        var lane = new T[lanes];
        for (int l = 0; l < lanes; l++)
        {
            lane[l] = w[offset + l] * v[l];
            for (int k = lanes + l; k < whole; k += lanes)
            {
                lane[l] += w[offset + k] * v[k];
            }
        }

        T tree = lanes == 8
            ? ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]))
            : (lane[0] + lane[1]) + (lane[2] + lane[3]);
        for (int k = whole; k < columns; k++)
        {
            tree += w[offset + k] * v[k];
        }

        return tree;
    }

    private static T[] Values<T>(Random random, int count, double scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = T.CreateTruncating(((random.NextDouble() * 2) - 1) * scale);
        }

        return values;
    }

    private static void AssertBits<T>(T[] expected, ReadOnlySpan<T> actual, string what)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].Equals(actual[i]) && T.IsNegative(expected[i]) == T.IsNegative(actual[i]), $"{what}[{i}]: {actual[i]} != {expected[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GruStepGivesTheBitsOfItsDefinitionOnBothPaths(int units, int inputs, bool bias)
    {
        Gru<float>(units, inputs, bias, lanes: 8);
        Gru<double>(units, inputs, bias, lanes: 4);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void LstmStepGivesTheBitsOfItsDefinitionOnBothPaths(int units, int inputs, bool bias)
    {
        Lstm<float>(units, inputs, bias, lanes: 8);
        Lstm<double>(units, inputs, bias, lanes: 4);
    }

    private static void Gru<T>(int units, int inputs, bool bias, int lanes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random((units * 100) + inputs + (bias ? 7 : 0));
        int rows = 3 * units, wh = rows * inputs, bi = wh + (rows * units), bh = bi + rows;
        T[] p = Values<T>(random, bi + (bias ? 2 * rows : 0), 0.6);
        T[] x = Values<T>(random, inputs, 1), h0 = Values<T>(random, units, 0.9);

        // The definition, unit by unit.
        T[] hNew = new T[units], record = new T[4 * units];
        for (int j = 0; j < units; j++)
        {
            T Sum(int row, int b, int w, T[] v, int columns) => (bias ? p[b + row] : T.Zero) + Dot(p, w + (row * columns), v, lanes);
            T ihR = Sum(j, bi, 0, x, inputs), ihZ = Sum(units + j, bi, 0, x, inputs), ihN = Sum((2 * units) + j, bi, 0, x, inputs);
            T hhR = Sum(j, bh, wh, h0, units), hhZ = Sum(units + j, bh, wh, h0, units), hhN = Sum((2 * units) + j, bh, wh, h0, units);
            T r = RecurrentKernels.Sigmoid(ihR + hhR), z = RecurrentKernels.Sigmoid(ihZ + hhZ);
            T n = RecurrentKernels.Tanh(ihN + (r * hhN));
            hNew[j] = ((T.One - z) * n) + (z * h0[j]);
            record[j] = r;
            record[units + j] = z;
            record[(2 * units) + j] = n;
            record[(3 * units) + j] = hhN;
        }

        foreach (bool vectors in new[] { true, false })
        {
            string path = $"{typeof(T).Name}, {units} units, {inputs} inputs, bias {bias}, {(vectors ? "vector" : "scalar")} path";
            T[] h = (T[])h0.Clone(), outputs = new T[units], kept = new T[4 * units];
            RecurrentKernels.GruStepOn<T>(p, x, h, outputs, kept, vectors && RecurrentKernels.StepVectors);
            AssertBits(hNew, outputs, $"{path}: h'");
            AssertBits(hNew, h, $"{path}: the state's h");
            AssertBits(record, kept, $"{path}: the record");

            // Without a record: the same new values.
            h = (T[])h0.Clone();
            RecurrentKernels.GruStepOn<T>(p, x, h, outputs, Span<T>.Empty, vectors && RecurrentKernels.StepVectors);
            AssertBits(hNew, outputs, $"{path}, no record: h'");
        }

        // The public entry takes this machine's path, which is one of the two above.
        T[] hp = (T[])h0.Clone(), op = new T[units];
        RecurrentKernels.GruStep<T>(p, x, hp, op, Span<T>.Empty);
        AssertBits(hNew, op, "GruStep");
    }

    private static void Lstm<T>(int units, int inputs, bool bias, int lanes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random((units * 100) + inputs + (bias ? 7 : 0) + 1);
        int rows = 4 * units, wh = rows * inputs, bi = wh + (rows * units), bh = bi + rows;
        T[] p = Values<T>(random, bi + (bias ? 2 * rows : 0), 0.6);
        T[] x = Values<T>(random, inputs, 1), h0 = Values<T>(random, units, 0.9), c0 = Values<T>(random, units, 2);

        T[] hNew = new T[units], cNew = new T[units], record = new T[5 * units];
        for (int j = 0; j < units; j++)
        {
            T Sum(int row)
            {
                T s = bias ? p[bi + row] + p[bh + row] : T.Zero;
                s += Dot(p, row * inputs, x, lanes);
                return s + Dot(p, wh + (row * units), h0, lanes);
            }

            T i = RecurrentKernels.Sigmoid(Sum(j)), f = RecurrentKernels.Sigmoid(Sum(units + j));
            T g = RecurrentKernels.Tanh(Sum((2 * units) + j)), o = RecurrentKernels.Sigmoid(Sum((3 * units) + j));
            cNew[j] = (f * c0[j]) + (i * g);
            hNew[j] = o * RecurrentKernels.Tanh(cNew[j]);
            record[j] = i;
            record[units + j] = f;
            record[(2 * units) + j] = g;
            record[(3 * units) + j] = o;
            record[(4 * units) + j] = cNew[j];
        }

        foreach (bool vectors in new[] { true, false })
        {
            string path = $"{typeof(T).Name}, {units} units, {inputs} inputs, bias {bias}, {(vectors ? "vector" : "scalar")} path";
            T[] h = (T[])h0.Clone(), c = (T[])c0.Clone(), outputs = new T[units], kept = new T[5 * units];
            RecurrentKernels.LstmStepOn<T>(p, x, h, c, outputs, kept, vectors && RecurrentKernels.StepVectors);
            AssertBits(hNew, outputs, $"{path}: h'");
            AssertBits(hNew, h, $"{path}: the state's h");
            AssertBits(cNew, c, $"{path}: the state's c");
            AssertBits(record, kept, $"{path}: the record");
        }
    }

    [Fact]
    public void TheStepsGiveTheBitsOfGateSumsAndTheCellKernels()
    {
        // The step kernels replace a bias copy, two GateSums calls and a Gru call (an LSTM: the biases' sum, two
        // GateSums and an Lstm): one step of a GRU of 16 on 16 inputs and of an LSTM of 8 on 1 input, through both.
        var random = new Random(5);
        int units = 16, inputs = 16, rows = 3 * units;
        float[] p = Values<float>(random, (rows * (inputs + units)) + (2 * rows), 0.5);
        float[] x = Values<float>(random, inputs, 1), h = Values<float>(random, units, 0.9);
        float[] ih = p.AsSpan(rows * (inputs + units), rows).ToArray(), hh = p.AsSpan((rows * (inputs + units)) + rows, rows).ToArray();
        RecurrentKernels.GateSums<float>(p.AsSpan(0, rows * inputs), x, ih);
        RecurrentKernels.GateSums<float>(p.AsSpan(rows * inputs, rows * units), h, hh);
        float[] r = new float[units], z = new float[units], n = new float[units], hn = new float[units], expected = new float[units];
        RecurrentKernels.Gru<float>(ih, hh, h, r, z, n, hn, expected);
        float[] actual = new float[units], record = new float[4 * units];
        RecurrentKernels.GruStep<float>(p, x, h, actual, record);
        AssertBits(expected, actual, "GRU h'");
        AssertBits([.. r, .. z, .. n, .. hn], record, "GRU record");

        units = 8;
        inputs = 1;
        rows = 4 * units;
        p = Values<float>(random, (rows * (inputs + units)) + (2 * rows), 0.5);
        x = Values<float>(random, inputs, 1);
        h = Values<float>(random, units, 0.9);
        float[] c = Values<float>(random, units, 2);
        float[] s = new float[rows];
        for (int k = 0; k < rows; k++)
        {
            s[k] = p[(rows * (inputs + units)) + k] + p[(rows * (inputs + units)) + rows + k];
        }

        RecurrentKernels.GateSums<float>(p.AsSpan(0, rows * inputs), x, s);
        RecurrentKernels.GateSums<float>(p.AsSpan(rows * inputs, rows * units), h, s);
        float[] i4 = new float[units], f4 = new float[units], g4 = new float[units], o4 = new float[units], c4 = new float[units], h4 = new float[units];
        RecurrentKernels.Lstm<float>(s, c, i4, f4, g4, o4, c4, h4);
        float[] hOut = new float[units], kept = new float[5 * units];
        RecurrentKernels.LstmStep<float>(p, x, h, c, hOut, kept);
        AssertBits(h4, hOut, "LSTM h'");
        AssertBits(c4, c, "LSTM c'");
        AssertBits([.. i4, .. f4, .. g4, .. o4, .. c4], kept, "LSTM record");
    }

    [Fact]
    public void TheStepsCheckTheirSpansBeforeWriting()
    {
        float[] h = [1, 2], hNew = [7, 7];
        var e = Assert.Throws<ArgumentException>(() => RecurrentKernels.GruStep<float>(new float[17], new float[1], h, hNew, Span<float>.Empty));
        Assert.Equal("parameters", e.ParamName);
        Assert.Contains("18 parameters (30 with biases), not 17", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => RecurrentKernels.GruStep<float>(new float[18], new float[1], h, new float[3], Span<float>.Empty));
        Assert.Equal("hNew", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => RecurrentKernels.GruStep<float>(new float[18], new float[1], h, hNew, new float[5]));
        Assert.Equal("record", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => RecurrentKernels.GruStep<float>(new float[6], new float[1], h.AsSpan(0, 1), h.AsSpan(0, 1), Span<float>.Empty));
        Assert.Equal("hNew", e.ParamName);
        float[] state = new float[4];
        e = Assert.Throws<ArgumentException>(() => RecurrentKernels.LstmStep<float>(new float[4 * 2 * 3], new float[1], state.AsSpan(0, 2), state.AsSpan(1, 2), hNew, Span<float>.Empty));
        Assert.Equal("c", e.ParamName);
        Assert.Equal([7f, 7f], hNew);
        Assert.Equal([1f, 2f], h);
        Assert.Throws<NotSupportedException>(() => RecurrentKernels.GruStep<Half>(new Half[3], new Half[1], new Half[1], new Half[1], Span<Half>.Empty));
    }
}
