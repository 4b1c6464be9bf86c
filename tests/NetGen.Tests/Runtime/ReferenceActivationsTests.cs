using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen.TestFixtures;

namespace NetGen.Tests.Runtime;

/// <summary>
/// The tests' own definitions of the added activations (tests/Shared/ReferenceActivations.cs), which the independent
/// interpreters use, against mpmath's values: a reference is only as good as this.
/// </summary>
public sealed class ReferenceActivationsTests
{
    private static string[][] Rows(string name) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "special", name)).Skip(1).Select(l => l.Split(',')).ToArray();

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void The_reference_erf_is_within_1e_15_of_mpmath_relative()
    {
        foreach (string[] row in Rows("erf.csv"))
        {
            double x = Parse(row[0]), expected = Parse(row[1]);
            double actual = ReferenceActivations.Erf(x);
            Assert.True(Math.Abs(actual - expected) <= 1e-15 * Math.Abs(expected), $"erf({x:R}) = {actual:R}, mpmath {expected:R}");
        }
    }

    [Fact]
    public void The_reference_activations_are_within_1e_15_of_mpmath_relative_to_their_scale()
    {
        foreach (string[] row in Rows("activations.csv"))
        {
            Activation activation = Enum.Parse<Activation>(row[0]);
            double z = Parse(row[1]), expected = Parse(row[2]);
            double actual = ReferenceActivations.Activate(activation, z)!.Value;
            Assert.True(Math.Abs(actual - expected) <= 1e-15 * Math.Max(1, Math.Abs(z)), $"{activation}({z:R}) = {actual:R}, mpmath {expected:R}");
        }
    }

    [Fact]
    public void The_largest_slopes_bound_the_exact_slopes()
    {
        foreach (string[] row in Rows("activations.csv"))
        {
            Activation activation = Enum.Parse<Activation>(row[0]);
            Assert.True(Parse(row[3]) <= ReferenceActivations.MaxSlope(activation), $"{activation} at {row[1]}");
        }
    }
}
