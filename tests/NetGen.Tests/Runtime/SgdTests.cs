using System;
using NetGen.Tests.Support;

namespace NetGen.Tests.Runtime;

/// <summary>Sgd.Step: p -= learningRate * g, element by element, as exactly that expression.</summary>
public sealed class SgdTests
{
    [Fact]
    public void Step_of_the_seed_example()
    {
        double[] p = [0, 2, 1];
        Sgd.Step<double>(p, [14, 28, 42], 0.01);
        Assert.Equal(-0.14, p[0], 1e-15);
        Assert.Equal(1.72, p[1], 1e-15);
        Assert.Equal(0.58, p[2], 1e-15);
    }

    [Fact]
    public void Step_is_p_minus_rate_times_g_rounded_twice_not_fused()
    {
        // The expression p - (lr * g), rounded after the product and after the difference; a fused multiply-add
        // rounds once and differs in the last bit for some values, so the test counts those to be sure it can tell.
        var random = new Random(31);
        int fusedWouldDiffer = 0;
        for (int trial = 0; trial < 50; trial++)
        {
            double[] p = TestData.Array<double>(64, random, -3, 3);
            double[] g = TestData.Array<double>(64, random, -3, 3);
            double lr = random.NextDouble();
            double[] expected = new double[p.Length];
            for (int i = 0; i < p.Length; i++)
            {
                double product = lr * g[i];
                expected[i] = p[i] - product;
                fusedWouldDiffer += Math.FusedMultiplyAdd(-lr, g[i], p[i]) != expected[i] ? 1 : 0;
            }

            Sgd.Step<double>(p, g, lr);
            Bits.Equal<double>(expected, p, $"double trial {trial}");

            float[] pf = TestData.Array<float>(64, random, -3, 3);
            float[] gf = TestData.Array<float>(64, random, -3, 3);
            float lrf = (float)random.NextDouble();
            float[] expectedF = new float[pf.Length];
            for (int i = 0; i < pf.Length; i++)
            {
                float product = lrf * gf[i];
                expectedF[i] = pf[i] - product;
            }

            Sgd.Step<float>(pf, gf, lrf);
            Bits.Equal<float>(expectedF, pf, $"float trial {trial}");
        }

        Assert.True(fusedWouldDiffer > 0, "no sample could tell a fused multiply-add from the plain expression");
    }

    [Fact]
    public void Rate_zero_leaves_parameters_unchanged()
    {
        double[] p = [1.5, -2.25, 1e-300];
        Sgd.Step<double>(p, [3, 4, 5], 0.0);
        Assert.Equal([1.5, -2.25, 1e-300], p);
    }

    [Fact]
    public void Lengths_that_differ_throw_and_write_nothing()
    {
        double[] p = [1, 2, 3];
        ArgumentException e = Assert.Throws<ArgumentException>(() => Sgd.Step<double>(p, new double[] { 1, 1 }, 0.5));
        Assert.Contains("3", e.Message);
        Assert.Contains("2", e.Message);
        Assert.Equal([1.0, 2.0, 3.0], p);
        Assert.Throws<ArgumentException>(() => Sgd.Step<double>(p, new double[] { 1, 1, 1, 1 }, 0.5));
        Assert.Equal([1.0, 2.0, 3.0], p);
    }
}
