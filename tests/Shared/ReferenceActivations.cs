using System;

namespace NetGen.TestFixtures;

/// <summary>
/// ELU, GELU, SiLU and Softplus from their definitions in double, for the tests' independent interpreters, sharing
/// no code with the runtime: erf here is its Maclaurin series below 1 and a continued fraction of erfc above, each
/// carried until its terms stop changing the result. NetGen.Tests' ReferenceActivationsTests hold it to within a
/// 1e-15 (relative) of mpmath's values.
/// </summary>
internal static class ReferenceActivations
{
    /// <summary>erf(x): 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1)) for |x| &lt; 1, else 1 - erfc(x).</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        double ax = Math.Abs(x);
        if (ax < 1)
        {
            double term = x, sum = x, x2 = x * x;
            for (int n = 1; n < 60; n++)
            {
                term *= -x2 / n;
                double next = sum + (term / ((2 * n) + 1));
                if (next == sum)
                {
                    break;
                }

                sum = next;
            }

            return 2 / Math.Sqrt(Math.PI) * sum;
        }

        double erfc = Erfc(ax);
        return x > 0 ? 1 - erfc : erfc - 1;
    }

    /// <summary>
    /// erfc(x) for x &gt;= 1: e^(-x^2) / sqrt(pi) * 1 / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + ...))))),
    /// evaluated by the modified Lentz method.
    /// </summary>
    private static double Erfc(double x)
    {
        if (x > 27)
        {
            return 0;
        }

        const double Tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int k = 1; k < 5000; k++)
        {
            double a = k / 2.0;
            d = x + (a * d);
            d = d == 0 ? Tiny : d;
            c = x + (a / c);
            c = c == 0 ? Tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-17)
            {
                break;
            }
        }

        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>The value of ELU, GELU, SiLU or Softplus (PyTorch's definitions), or null for another activation.</summary>
    public static double? Activate(Activation activation, double z) => activation switch
    {
        Activation.ELU => z > 0 ? z : Math.Exp(z) - 1,
        Activation.GELU => 0.5 * z * (1 + Erf(z / Math.Sqrt(2))),
        Activation.SiLU => z * Sigmoid(z),
        Activation.Softplus => z > 20 ? z : z < -30 ? Math.Exp(z) : Math.Log(1 + Math.Exp(z)),
        _ => null,
    };

    /// <summary>The largest slope of the activation anywhere: 1 but for GELU (1.129) and SiLU (1.0998).</summary>
    public static double MaxSlope(Activation activation) => activation switch
    {
        Activation.GELU => 1.1290,
        Activation.SiLU => 1.0999,
        _ => 1,
    };
}
