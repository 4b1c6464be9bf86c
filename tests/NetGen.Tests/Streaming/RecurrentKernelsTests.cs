using System;
using System.Runtime.Intrinsics;
using Xunit;

namespace NetGen.Tests.Streaming;

/// <summary>
/// RecurrentKernels: the exp, sigmoid and tanh of the recurrent step against the platform's correctly rounded (or
/// nearly so) Math functions; the vector forms against the scalar forms bit for bit; GateSums against its documented
/// summation order written out here with plain loops; the GRU and LSTM cell equations against the same equations
/// written out here; and the argument checks.
/// </summary>
public sealed class RecurrentKernelsTests
{
    /// <summary>Inputs spread over the whole useful range, with the awkward values added by hand.</summary>
    private static double[] Arguments(double from, double to, int count, int seed)
    {
        var random = new Random(seed);
        double[] values = new double[count + 12];
        for (int i = 0; i < count; i++)
        {
            // Half uniform over the range, half concentrated near zero, where tanh switches formula at 0.625.
            values[i] = i % 2 == 0 ? from + ((to - from) * random.NextDouble()) : (random.NextDouble() - 0.5) * 4;
        }

        double[] special = [0, -0.0, 0.625, -0.625, 0.62499999, 1e-30, -1e-30, 1e-8, 20, -20, from, to];
        special.CopyTo(values, count);
        return values;
    }

    private static double Ulps(float actual, double exact)
    {
        float nearest = (float)exact;
        if (float.IsInfinity(nearest))
        {
            return actual == nearest ? 0 : double.PositiveInfinity;
        }

        double ulp = Math.Max(MathF.BitIncrement(MathF.Abs(nearest)) - MathF.Abs(nearest), float.Epsilon);
        return Math.Abs(actual - exact) / ulp;
    }

    private static double Ulps(double actual, double exact)
    {
        if (double.IsInfinity(exact))
        {
            return actual == exact ? 0 : double.PositiveInfinity;
        }

        double ulp = Math.Max(Math.BitIncrement(Math.Abs(exact)) - Math.Abs(exact), double.Epsilon);
        return Math.Abs(actual - exact) / ulp;
    }

    [Fact]
    public void FloatExpAndTanhAreWithinTwoUlpsAndSigmoidWithinThreeOfTheExactValues()
    {
        // The exact values: double Math, correctly rounded to well below a float ulp.
        double worstExp = 0, worstSigmoid = 0, worstTanh = 0;
        foreach (double a in Arguments(-103, 88.7, 200_000, 1))
        {
            float x = (float)a;
            worstExp = Math.Max(worstExp, Ulps(RecurrentKernels.Exp(x), Math.Exp(x)));
            if (x >= -87)
            {
                worstSigmoid = Math.Max(worstSigmoid, Ulps(RecurrentKernels.Sigmoid(x), 1 / (1 + Math.Exp(-(double)x))));
            }
            worstTanh = Math.Max(worstTanh, Ulps(RecurrentKernels.Tanh(x), Math.Tanh(x)));
        }

        // The documented bounds: exp and tanh 2 ulp, sigmoid 3 (its e / (1 + e) rounds twice more than exp).
        Assert.True(worstExp <= 2, $"exp: {worstExp} ulp");
        Assert.True(worstSigmoid <= 3, $"sigmoid: {worstSigmoid} ulp");
        Assert.True(worstTanh <= 2, $"tanh: {worstTanh} ulp");
    }

    [Fact]
    public void DoubleExpSigmoidAndTanhAreWithinFourUnitsInTheLastPlaceOfMath()
    {
        // Math.Exp and Math.Tanh are within about one ulp of the exact values, so four here bounds this class's error
        // at about three; the fixtures compare with PyTorch at 1e-9, nine orders of magnitude looser.
        double worstExp = 0, worstSigmoid = 0, worstTanh = 0;
        foreach (double x in Arguments(-745, 709.7, 200_000, 2))
        {
            worstExp = Math.Max(worstExp, Ulps(RecurrentKernels.Exp(x), Math.Exp(x)));
            if (Math.Abs(x) < 700)
            {
                double e = Math.Exp(-Math.Abs(x));
                double sigmoid = x >= 0 ? 1 / (1 + e) : e / (1 + e);
                worstSigmoid = Math.Max(worstSigmoid, Ulps(RecurrentKernels.Sigmoid(x), sigmoid));
            }

            worstTanh = Math.Max(worstTanh, Ulps(RecurrentKernels.Tanh(x), Math.Tanh(x)));
        }

        Assert.True(worstExp <= 4, $"exp: {worstExp} ulp");
        Assert.True(worstSigmoid <= 4, $"sigmoid: {worstSigmoid} ulp");
        Assert.True(worstTanh <= 4, $"tanh: {worstTanh} ulp");
    }

    [Fact]
    public void SpecialValuesFollowIeee()
    {
        Assert.True(float.IsNaN(RecurrentKernels.Exp(float.NaN)));
        Assert.True(float.IsNaN(RecurrentKernels.Sigmoid(float.NaN)));
        Assert.True(float.IsNaN(RecurrentKernels.Tanh(float.NaN)));
        Assert.True(double.IsNaN(RecurrentKernels.Sigmoid(double.NaN)));
        Assert.True(double.IsNaN(RecurrentKernels.Tanh(double.NaN)));
        Assert.Equal(float.PositiveInfinity, RecurrentKernels.Exp(89f));
        Assert.Equal(double.PositiveInfinity, RecurrentKernels.Exp(710.0));
        Assert.Equal(0f, RecurrentKernels.Exp(float.NegativeInfinity));
        Assert.Equal(0.0, RecurrentKernels.Exp(-1000.0));
        Assert.Equal(1f, RecurrentKernels.Exp(0f));
        Assert.Equal(1f, RecurrentKernels.Sigmoid(float.PositiveInfinity));
        Assert.Equal(0f, RecurrentKernels.Sigmoid(float.NegativeInfinity));
        Assert.Equal(0.5, RecurrentKernels.Sigmoid(0.0));

        // Below -87 (float) and -708 (double) the exact sigmoid is subnormal; the kernels give 0 there (documented).
        Assert.Equal(0f, RecurrentKernels.Sigmoid(-87.5f));
        Assert.True(RecurrentKernels.Sigmoid(-86.9f) > 0f);
        Assert.Equal(0.0, RecurrentKernels.Sigmoid(-708.5));
        Assert.Equal(1f, RecurrentKernels.Sigmoid(100f));
        Assert.Equal(1f, RecurrentKernels.Tanh(45f));
        Assert.Equal(-1.0, RecurrentKernels.Tanh(-45.0));
        Assert.Equal(1.0, RecurrentKernels.Tanh(double.PositiveInfinity));
        Assert.Equal(-1f, RecurrentKernels.Tanh(float.NegativeInfinity));
        Assert.True(double.IsNegative(RecurrentKernels.Tanh(-0.0)));

        // The subnormal range rounds once: e^-100 is about 3.7e-44, a float subnormal.
        Assert.True(Ulps(RecurrentKernels.Exp(-100f), Math.Exp(-100)) <= 1);
        Assert.True(Ulps(RecurrentKernels.Exp(-740.0), Math.Exp(-740)) <= 1);
    }

    [Fact]
    public void VectorFormsGiveTheScalarFormsBits()
    {
        double[] args = Arguments(-120, 120, 40_000, 3);
        float[] lanesF = new float[8];
        double[] lanesD = new double[4];
        for (int i = 0; i + 8 <= args.Length; i += 8)
        {
            for (int l = 0; l < 8; l++)
            {
                lanesF[l] = (float)args[i + l];
            }

            Vector256<float> v = Vector256.Create(lanesF);
            AssertLanes(RecurrentKernels.Exp(v), lanesF, RecurrentKernels.Exp);
            AssertLanes(RecurrentKernels.Sigmoid(v), lanesF, RecurrentKernels.Sigmoid);
            AssertLanes(RecurrentKernels.Tanh(v), lanesF, RecurrentKernels.Tanh);
            for (int half = 0; half < 8; half += 4)
            {
                Array.Copy(args, i + half, lanesD, 0, 4);
                Vector256<double> d = Vector256.Create(lanesD);
                AssertLanes(RecurrentKernels.Exp(d), lanesD, RecurrentKernels.Exp);
                AssertLanes(RecurrentKernels.Sigmoid(d), lanesD, RecurrentKernels.Sigmoid);
                AssertLanes(RecurrentKernels.Tanh(d), lanesD, RecurrentKernels.Tanh);
            }
        }

        Vector256<float> nan = Vector256.Create(float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, 1e30f, -1e30f, 88.72f);
        float[] nanLanes = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, 1e30f, -1e30f, 88.72f];
        AssertLanes(RecurrentKernels.Exp(nan), nanLanes, RecurrentKernels.Exp);
        AssertLanes(RecurrentKernels.Sigmoid(nan), nanLanes, RecurrentKernels.Sigmoid);
        AssertLanes(RecurrentKernels.Tanh(nan), nanLanes, RecurrentKernels.Tanh);
    }

    private static void AssertLanes<T>(Vector256<T> actual, T[] inputs, Func<T, T> scalar)
        where T : unmanaged, IEquatable<T>
    {
        for (int l = 0; l < inputs.Length; l++)
        {
            T expected = scalar(inputs[l]);
            T got = actual.GetElement(l);
            Assert.True(expected.Equals(got) || (got.Equals(got) == false && expected.Equals(expected) == false), $"lane {l}, input {inputs[l]}: {got} != {expected}");
        }
    }

    /// <summary>GateSums' documented order: lanes over whole blocks, the pairwise tree, then the tail one by one.</summary>
    private static double ReferenceDot(double[] w, int row, double[] v, int lanes)
    {
        int columns = v.Length, whole = columns / lanes * lanes;
        if (whole == 0)
        {
            double s = w[row * columns] * v[0];
            for (int k = 1; k < columns; k++)
            {
                s += w[(row * columns) + k] * v[k];
            }

            return s;
        }

        double[] lane = new double[lanes];
        for (int l = 0; l < lanes; l++)
        {
            lane[l] = w[(row * columns) + l] * v[l];
            for (int k = lanes + l; k < whole; k += lanes)
            {
                lane[l] += w[(row * columns) + k] * v[k];
            }
        }

        double tree = (lane[0] + lane[1]) + (lane[2] + lane[3]);
        for (int k = whole; k < columns; k++)
        {
            tree += w[(row * columns) + k] * v[k];
        }

        return tree;
    }

    private static float ReferenceDot(float[] w, int row, float[] v)
    {
        const int lanes = 8;
        int columns = v.Length, whole = columns / lanes * lanes;
        float s;
        if (whole == 0)
        {
            s = w[row * columns] * v[0];
            for (int k = 1; k < columns; k++)
            {
                s += w[(row * columns) + k] * v[k];
            }

            return s;
        }

        float[] lane = new float[lanes];
        for (int l = 0; l < lanes; l++)
        {
            lane[l] = w[(row * columns) + l] * v[l];
            for (int k = lanes + l; k < whole; k += lanes)
            {
                lane[l] += w[(row * columns) + k] * v[k];
            }
        }

        s = ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
        for (int k = whole; k < columns; k++)
        {
            s += w[(row * columns) + k] * v[k];
        }

        return s;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(24, 1)]
    [InlineData(27, 1)]
    [InlineData(24, 8)]
    [InlineData(24, 3)]
    [InlineData(9, 7)]
    [InlineData(96, 32)]
    [InlineData(48, 16)]
    [InlineData(13, 21)]
    [InlineData(64, 67)]
    public void GateSumsAddEachRowInTheDocumentedOrder(int rows, int columns)
    {
        var random = new Random((rows * 1000) + columns);
        double[] w = new double[rows * columns], v = new double[columns], start = new double[rows];
        for (int i = 0; i < w.Length; i++)
        {
            w[i] = (random.NextDouble() * 2) - 1;
        }

        for (int i = 0; i < columns; i++)
        {
            v[i] = (random.NextDouble() * 2) - 1;
        }

        for (int i = 0; i < rows; i++)
        {
            start[i] = (random.NextDouble() * 2) - 1;
        }

        double[] sums = (double[])start.Clone();
        RecurrentKernels.GateSums<double>(w, v, sums);
        float[] wf = Array.ConvertAll(w, x => (float)x), vf = Array.ConvertAll(v, x => (float)x);
        float[] sumsF = Array.ConvertAll(start, x => (float)x);
        RecurrentKernels.GateSums<float>(wf, vf, sumsF);
        for (int r = 0; r < rows; r++)
        {
            Assert.Equal(start[r] + ReferenceDot(w, r, v, 4), sums[r]);
            Assert.Equal((float)start[r] + ReferenceDot(wf, r, vf), sumsF[r]);

            // And the order is a dot product: close to the exact one.
            double exact = start[r];
            for (int k = 0; k < columns; k++)
            {
                exact += w[(r * columns) + k] * v[k];
            }

            Assert.Equal(exact, sums[r], 1e-12);
        }
    }

    [Fact]
    public void GateSumsCheckTheShapeBeforeWriting()
    {
        double[] sums = [1, 2, 3];
        var e = Assert.Throws<ArgumentException>(() => RecurrentKernels.GateSums<double>(new double[8], new double[3], sums));
        Assert.Equal("weights", e.ParamName);
        Assert.Contains("3 rows of 3 values (9)", e.Message);
        Assert.Equal([1, 2, 3], sums);
        Assert.Throws<NotSupportedException>(() => RecurrentKernels.GateSums<Half>(new Half[1], new Half[1], new Half[1]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(11)]
    [InlineData(16)]
    [InlineData(33)]
    public void GruAndLstmCellsComputeTheirEquationsUnitByUnit(int units)
    {
        var random = new Random(units);
        float Next() => (float)((random.NextDouble() * 8) - 4);
        float[] ih = new float[3 * units], hh = new float[3 * units], h = new float[units], s4 = new float[4 * units], c = new float[units];
        for (int i = 0; i < ih.Length; i++)
        {
            ih[i] = Next();
            hh[i] = Next();
        }

        for (int i = 0; i < units; i++)
        {
            h[i] = Next() / 4;
            c[i] = Next();
        }

        for (int i = 0; i < s4.Length; i++)
        {
            s4[i] = Next();
        }

        float[] r = new float[units], z = new float[units], n = new float[units], hn = new float[units], hNew = new float[units];
        RecurrentKernels.Gru<float>(ih, hh, h, r, z, n, hn, hNew);
        float[] i4 = new float[units], f4 = new float[units], g4 = new float[units], o4 = new float[units], cNew = new float[units], hNew4 = new float[units];
        RecurrentKernels.Lstm<float>(s4, c, i4, f4, g4, o4, cNew, hNew4);
        for (int j = 0; j < units; j++)
        {
            // The equations, with the scalar functions: the same bits whether the unit went through a vector or not.
            float rj = RecurrentKernels.Sigmoid(ih[j] + hh[j]);
            float zj = RecurrentKernels.Sigmoid(ih[units + j] + hh[units + j]);
            float nj = RecurrentKernels.Tanh(ih[(2 * units) + j] + (rj * hh[(2 * units) + j]));
            Assert.Equal(rj, r[j]);
            Assert.Equal(zj, z[j]);
            Assert.Equal(hh[(2 * units) + j], hn[j]);
            Assert.Equal(nj, n[j]);
            Assert.Equal(((1 - zj) * nj) + (zj * h[j]), hNew[j]);

            float ij = RecurrentKernels.Sigmoid(s4[j]), fj = RecurrentKernels.Sigmoid(s4[units + j]);
            float gj = RecurrentKernels.Tanh(s4[(2 * units) + j]), oj = RecurrentKernels.Sigmoid(s4[(3 * units) + j]);
            float cj = (fj * c[j]) + (ij * gj);
            Assert.Equal(ij, i4[j]);
            Assert.Equal(fj, f4[j]);
            Assert.Equal(gj, g4[j]);
            Assert.Equal(oj, o4[j]);
            Assert.Equal(cj, cNew[j]);
            Assert.Equal(oj * RecurrentKernels.Tanh(cj), hNew4[j]);

            // And against the platform's functions in double: within a few float ulps.
            double rExact = 1 / (1 + Math.Exp(-((double)ih[j] + hh[j])));
            Assert.Equal(rExact, r[j], 1e-6);
            Assert.Equal(Math.Tanh(s4[(2 * units) + j]), g4[j], 1e-6);
        }
    }

    [Fact]
    public void CellsCheckTheirSpansBeforeWriting()
    {
        float[] r = [7, 7];
        var e = Assert.Throws<ArgumentException>(() =>
            RecurrentKernels.Gru<float>(new float[6], new float[5], new float[2], r, new float[2], new float[2], new float[2], new float[2]));
        Assert.Equal("hh", e.ParamName);
        Assert.Equal([7f, 7f], r);
        e = Assert.Throws<ArgumentException>(() =>
            RecurrentKernels.Lstm<float>(new float[8], new float[2], new float[2], new float[2], new float[2], new float[2], new float[2], new float[3]));
        Assert.Equal("hNew", e.ParamName);
    }
}
