using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen.Tests.Support;

namespace NetGen.Tests.Runtime;

/// <summary>The activations' values and slopes against their definitions (PyTorch's).</summary>
public sealed class ActivationsTests
{
    private static readonly double[] Points = [-30, -7.5, -2, -1, -0.3, -1e-3, 1e-3, 0.25, 0.5, 1, 2, 6.25, 30];

    private static readonly Activation[] Elementwise =
        [Activation.Identity, Activation.ReLU, Activation.LeakyReLU, Activation.Sigmoid, Activation.Tanh];

    /// <summary>Checked against exact values instead (<see cref="Exact"/>).</summary>
    private static readonly Activation[] Added = [Activation.ELU, Activation.GELU, Activation.SiLU, Activation.Softplus];

    /// <summary>
    /// ELU, GELU, SiLU and Softplus and their slopes at double z, exactly (mpmath, rounded to the nearest double):
    /// Fixtures/special/make_reference.py wrote Fixtures/special/activations.csv from the definitions.
    /// </summary>
    private static readonly (Activation Activation, double Z, double Value, double Slope)[] Exact =
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "special", "activations.csv"))
            .Skip(1)
            .Select(line => line.Split(','))
            .Select(f => (Enum.Parse<Activation>(f[0]), Parse(f[1]), Parse(f[2]), Parse(f[3])))
            .ToArray();

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>
    /// How far a value may be from the exact one, in units u of the element type's precision: each formula's own
    /// rounding. ELU's e^z - 1 (PyTorch's formula, not expm1) and GELU's 1 + erf cancel near 0 and for very negative
    /// z, so their error is a few u absolute (of max(1, |value|), and of max(1, |z|) for GELU's z * ...); SiLU's
    /// z * sigmoid(z) and Softplus' ln(1 + e^z) keep a few u relative, also where they are tiny. Every slope is a sum
    /// of terms up to max(1, |z|) in size (SiLU's z (1 - s), GELU's z phi(z)), so a few u of that.
    /// </summary>
    private static double ValueTolerance(Activation activation, double z, double exact, double u) => activation switch
    {
        Activation.ELU => 4 * u * Math.Max(1, Math.Abs(exact)),
        Activation.GELU => 4 * u * Math.Max(1, Math.Abs(z)),
        _ => 4 * u * Math.Abs(exact),
    };

    private static double SlopeTolerance(double z, double u) => 6 * u * Math.Max(1, Math.Abs(z));

    [Fact]
    public void The_new_activations_and_their_slopes_match_their_exact_values_in_double()
    {
        Assert.True(Exact.Length >= 4 * 80, $"{Exact.Length} reference values");
        Assert.Equal(Added, Exact.Select(e => e.Activation).Distinct());
        double u = Math.Pow(2, -53);
        foreach ((Activation activation, double z, double value, double slope) in Exact)
        {
            double actual = Activations.Apply(activation, z);
            Assert.True(Math.Abs(actual - value) <= ValueTolerance(activation, z, value, u), $"{activation}({z:R}) = {actual:R}, exactly {value:R}");
            double actualSlope = Activations.Slope(activation, z, actual);
            Assert.True(Math.Abs(actualSlope - slope) <= SlopeTolerance(z, u), $"slope of {activation} at {z:R}: {actualSlope:R}, exactly {slope:R}");
        }
    }

    [Fact]
    public void The_new_activations_and_their_slopes_match_their_exact_values_in_float()
    {
        // At the points a float holds, against the exact value: float arithmetic, u = 2^-24.
        double u = Math.Pow(2, -24);
        int points = 0;
        foreach ((Activation activation, double z, double value, double slope) in Exact)
        {
            float zf = (float)z;
            if (zf != z || Math.Abs(value) > float.MaxValue)
            {
                continue;
            }

            points++;
            float actual = Activations.Apply(activation, zf);
            Assert.True(Math.Abs(actual - value) <= ValueTolerance(activation, z, value, u) + 1e-38, $"{activation}({zf:R}f) = {actual:R}, exactly {value:R}");
            float actualSlope = Activations.Slope(activation, zf, actual);
            Assert.True(Math.Abs(actualSlope - slope) <= SlopeTolerance(z, u) + 1e-38, $"slope of {activation} at {zf:R}f: {actualSlope:R}, exactly {slope:R}");
        }

        Assert.True(points >= 4 * 70, $"{points} float points");
    }

    [Fact]
    public void Softplus_is_z_above_20_and_tiny_but_exact_far_below_0()
    {
        // nn.Softplus(beta=1, threshold=20): z itself above 20, with slope 1; ln(1 + e^z) at and below 20.
        Assert.Equal(20.5, Activations.Softplus(20.5));
        Assert.Equal(1.0, Activations.SoftplusSlope(20.5));
        Assert.Equal(20.000000002061153, Activations.Softplus(20.0));
        Assert.True(Activations.SoftplusSlope(20.0) < 1);
        Assert.Equal(1e-300, Activations.Softplus(Math.Log(1e-300)), 1e-310);
        Assert.Equal(0.0, Activations.Softplus(-800.0));
        Assert.Equal(1e4f, Activations.Softplus(1e4f));
        Assert.True(float.IsFinite(Activations.Softplus(88.5f)), "no overflow in float above the threshold");
    }

    [Fact]
    public void ReLU_is_max_of_zero_and_z_with_slope_one_above_zero_and_zero_at_and_below()
    {
        Assert.Equal(0.0, Activations.ReLU(-2.0));
        Assert.Equal(0.0, Activations.ReLU(0.0));
        Assert.Equal(3.5, Activations.ReLU(3.5));
        Assert.Equal(0f, Activations.ReLU(-1e-30f));
        Assert.Equal(double.Epsilon, Activations.ReLU(double.Epsilon));

        Assert.Equal(0.0, Activations.ReLUSlope(-2.0));
        Assert.Equal(0.0, Activations.ReLUSlope(0.0));
        Assert.Equal(0.0, Activations.ReLUSlope(-0.0));
        Assert.Equal(1.0, Activations.ReLUSlope(double.Epsilon));
        Assert.Equal(1.0, Activations.ReLUSlope(5.0));
        Assert.Equal(0f, Activations.ReLUSlope(0f));
        Assert.Equal(1f, Activations.ReLUSlope(1e-30f));
    }

    [Fact]
    public void Every_activation_keeps_NaN_as_NaN_and_its_slope_at_NaN_is_PyTorchs()
    {
        foreach (Activation activation in Elementwise.Concat(Added))
        {
            Assert.True(double.IsNaN(Activations.Apply(activation, double.NaN)), $"{activation}(NaN)");
            Assert.True(float.IsNaN(Activations.Apply(activation, float.NaN)), $"{activation}(NaN f)");
        }

        // torch.relu's backward passes the slope on at NaN (it tests z <= 0), leaky_relu's scales it by 0.01 (z > 0),
        // elu's passes it on (z <= 0); the others' slopes are NaN there.
        Assert.Equal(1.0, Activations.ReLUSlope(double.NaN));
        Assert.Equal(1.0, Activations.ELUSlope(double.NaN));
        Assert.True(double.IsNaN(Activations.GELUSlope(double.NaN)));
        Assert.True(double.IsNaN(Activations.SiLUSlope(double.NaN)));
        Assert.True(double.IsNaN(Activations.SoftplusSlope(double.NaN)));
        Assert.Equal(1f, Activations.ReLUSlope(float.NaN));
        Assert.Equal(0.01, Activations.LeakyReLUSlope(double.NaN));
        Assert.True(double.IsNaN(Activations.Slope(Activation.Sigmoid, double.NaN, double.NaN)));
        Assert.True(double.IsNaN(Activations.Slope(Activation.Tanh, double.NaN, double.NaN)));
    }

    [Fact]
    public void LeakyReLU_is_z_above_zero_else_one_hundredth_of_z_with_slopes_one_and_one_hundredth()
    {
        Assert.Equal(0.01, Activations.LeakyReLUNegativeSlope);
        Assert.Equal(0.01 * -2.0, Activations.LeakyReLU(-2.0));
        Assert.Equal(0.0, Activations.LeakyReLU(0.0));
        Assert.Equal(3.5, Activations.LeakyReLU(3.5));
        Assert.Equal(0.01f * -3f, Activations.LeakyReLU(-3f));

        Assert.Equal(0.01, Activations.LeakyReLUSlope(-2.0));
        Assert.Equal(0.01, Activations.LeakyReLUSlope(0.0));
        Assert.Equal(1.0, Activations.LeakyReLUSlope(double.Epsilon));
        Assert.Equal(1.0, Activations.LeakyReLUSlope(2.0));
        Assert.Equal(0.01f, Activations.LeakyReLUSlope(-1f));
        Assert.Equal(1f, Activations.LeakyReLUSlope(1f));
    }

    [Fact]
    public void Values_match_the_definitions_in_double_and_float()
    {
        foreach (Activation activation in Elementwise)
        {
            foreach (double z in Points)
            {
                double expected = ReferenceNetwork.Activate(activation, z);
                double actual = Activations.Apply(activation, z);
                Assert.True(Math.Abs(actual - expected) <= 4e-16 * Math.Max(1, Math.Abs(expected)), $"{activation}({z}) = {actual:R}, expected {expected:R}");

                // Float: the definition evaluated in double at the float argument, then compared to float accuracy
                // (a few units in the last place of a float, 2^-23 = 1.2e-7 relative).
                float zf = (float)z;
                double expectedF = ReferenceNetwork.Activate(activation, zf);
                float actualF = Activations.Apply(activation, zf);
                Assert.True(Math.Abs(actualF - expectedF) <= 4e-7 * Math.Max(1e-30, Math.Abs(expectedF)) + 1e-38, $"{activation}({zf}f) = {actualF:R}, expected {expectedF:R}");
            }
        }
    }

    [Fact]
    public void Slopes_match_central_differences_of_the_definitions()
    {
        // Central differences with h = 1e-5 on smooth functions of size at most 30: truncation h^2/6 * |f'''| < 1e-10
        // (|f'''| <= 1 for these), rounding about 1e-16 * 30 / 1e-5 = 3e-10. So 1e-8 is a sharp tolerance: a wrong
        // slope (for example s instead of s(1 - s)) is off by more than 0.01 at these points.
        const double H = 1e-5;
        foreach (Activation activation in Elementwise)
        {
            foreach (double z in Points)
            {
                double numeric = (ReferenceNetwork.Activate(activation, z + H) - ReferenceNetwork.Activate(activation, z - H)) / (2 * H);
                double a = Activations.Apply(activation, z);
                double slope = Activations.Slope(activation, z, a);
                Assert.True(Math.Abs(slope - numeric) <= 1e-8, $"slope of {activation} at {z}: {slope:R}, central difference {numeric:R}");

                float zf = (float)z;
                float af = Activations.Apply(activation, zf);
                float slopeF = Activations.Slope(activation, zf, af);
                Assert.True(Math.Abs(slopeF - numeric) <= 1e-6 + (Math.Abs(z - zf) * 2), $"float slope of {activation} at {zf}: {slopeF:R}, central difference {numeric:R}");
            }
        }
    }

    [Fact]
    public void Slope_helpers_are_written_in_terms_of_the_output()
    {
        Assert.Equal(0.25 * 0.75, Activations.SigmoidSlopeFromOutput(0.25));
        Assert.Equal(1 - (0.5 * 0.5), Activations.TanhSlopeFromOutput(0.5));
        Assert.Equal(0.25f * 0.75f, Activations.SigmoidSlopeFromOutput(0.25f));
        Assert.Equal(1f - (0.5f * 0.5f), Activations.TanhSlopeFromOutput(0.5f));
        Assert.Equal(Math.Tanh(0.7), Activations.Tanh(0.7));
    }

    [Theory]
    [InlineData(1000.0, 1.0)]
    [InlineData(-1000.0, 0.0)]
    [InlineData(745.0, 1.0)]
    [InlineData(-745.0, 0.0)]
    [InlineData(40.0, 1.0)]
    [InlineData(double.PositiveInfinity, 1.0)]
    [InlineData(double.NegativeInfinity, 0.0)]
    public void Sigmoid_is_stable_for_huge_inputs(double z, double limit)
    {
        double s = Activations.Sigmoid(z);
        Assert.True(double.IsFinite(s), $"Sigmoid({z}) = {s}");
        Assert.InRange(s, 0.0, 1.0);
        Assert.True(Math.Abs(s - limit) <= 1e-17, $"Sigmoid({z}) = {s:R}, expected about {limit}");
        double slope = Activations.SigmoidSlopeFromOutput(s);
        Assert.True(double.IsFinite(slope) && slope >= 0 && slope < 1e-17, $"slope at {z} = {slope}");

        float sf = Activations.Sigmoid((float)z);
        Assert.True(float.IsFinite(sf), $"Sigmoid({z}f) = {sf}");
        Assert.InRange(sf, 0f, 1f);
        Assert.True(Math.Abs(sf - limit) <= 1e-17, $"Sigmoid({z}f) = {sf:R}, expected {limit}");
    }

    [Fact]
    public void Sigmoid_keeps_tiny_values_for_very_negative_inputs()
    {
        // Where e^-z would overflow the helper computes e^z / (1 + e^z): still accurate, not flushed to 0 early.
        double expected = Math.Exp(-700) / (1 + Math.Exp(-700));
        Assert.True(Math.Abs(Activations.Sigmoid(-700.0) - expected) <= 1e-15 * expected);
        float expectedF = MathF.Exp(-80f) / (1 + MathF.Exp(-80f));
        Assert.True(Math.Abs(Activations.Sigmoid(-80f) - expectedF) <= 1e-6 * expectedF);
    }

    [Fact]
    public void Softmax_matches_the_definition_and_sums_to_one()
    {
        double[] z = [0.5, -1.25, 2, 0, 3.75];
        var a = new double[z.Length];
        Activations.Softmax<double>(z, a);
        double sum = 0;
        foreach (double v in z)
        {
            sum += Math.Exp(v);
        }

        for (int k = 0; k < z.Length; k++)
        {
            double expected = Math.Exp(z[k]) / sum;
            Assert.True(Math.Abs(a[k] - expected) <= 1e-15, $"softmax[{k}] = {a[k]:R}, expected {expected:R}");
        }

        Assert.True(Math.Abs(Sum(a) - 1) <= 1e-15);
    }

    [Theory]
    [InlineData(new[] { 1000.0, -1000.0, 0.0, 999.0 })]
    [InlineData(new[] { -1000.0, -1000.0, -1000.0 })]
    [InlineData(new[] { 1000.0, 1000.0 })]
    [InlineData(new[] { 1000.0 })]
    [InlineData(new[] { -1000.0, 1000.0, -999.0 })]
    public void Softmax_is_stable_for_logits_of_plus_and_minus_1000(double[] z)
    {
        var a = new double[z.Length];
        Activations.Softmax<double>(z, a);
        double max = double.NegativeInfinity;
        foreach (double v in z)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        foreach (double v in z)
        {
            sum += Math.Exp(v - max);
        }

        for (int k = 0; k < z.Length; k++)
        {
            Assert.True(double.IsFinite(a[k]) && a[k] >= 0 && a[k] <= 1, $"softmax[{k}] = {a[k]}");
            double expected = Math.Exp(z[k] - max) / sum;
            Assert.True(Math.Abs(a[k] - expected) <= 1e-15, $"softmax[{k}] = {a[k]:R}, expected {expected:R}");
        }

        Assert.True(Math.Abs(Sum(a) - 1) <= 1e-15, $"sum {Sum(a):R}");

        var zf = Array.ConvertAll(z, v => (float)v);
        var af = new float[z.Length];
        Activations.Softmax<float>(zf, af);
        double sumF = 0;
        foreach (float v in af)
        {
            Assert.True(float.IsFinite(v) && v >= 0 && v <= 1, $"float softmax value {v}");
            sumF += v;
        }

        Assert.True(Math.Abs(sumF - 1) <= 1e-6, $"float sum {sumF:R}");
    }

    [Fact]
    public void Softmax_works_in_place_and_checks_its_spans()
    {
        double[] z = [1, 2, 3];
        double[] expected = new double[3];
        Activations.Softmax<double>(z, expected);
        Activations.Softmax<double>(z, z);
        Assert.Equal(expected, z);

        Assert.Throws<ArgumentException>(() => Activations.Softmax<double>(ReadOnlySpan<double>.Empty, Span<double>.Empty));
        ArgumentException e = Assert.Throws<ArgumentException>(() => Activations.Softmax<double>(new double[3], new double[2]));
        Assert.Contains("3", e.Message);
        Assert.Contains("2", e.Message);
    }

    [Fact]
    public void Softmax_has_no_per_node_value_or_slope()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Apply(Activation.Softmax, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Slope(Activation.Softmax, 1.0, 0.5));
    }

    private static double Sum(double[] values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v;
        }

        return sum;
    }
}
