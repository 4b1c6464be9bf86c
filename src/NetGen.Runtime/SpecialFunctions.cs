using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// Functions the activations need that .NET does not provide accurately: the error function erf (GELU) and
/// ln(1 + x) for small x (Softplus). <c>double.LogP1</c> computes <c>Log(x + 1)</c>, which loses every digit of x once
/// x is below 2^-53, and .NET has no erf.
/// </summary>
public static class SpecialFunctions
{
    // erf(x) for double, after the rational approximations of Sun Microsystems' fdlibm s_erf.c (as FreeBSD's libm
    // carries it in lib/msun/src/s_erf.c), whose notice reads: "Copyright (C) 1993 by Sun Microsystems, Inc. All
    // rights reserved. Developed at SunPro, a Sun Microsystems, Inc. business. Permission to use, copy, modify, and
    // distribute this software is freely granted, provided that this notice is preserved." The coefficients below
    // are that file's; the code is written anew for C#. On each interval the approximation's own error is below
    // 2^-57, so the result is within about 1 ulp of erf(x).
    //
    // erx = (float)0.84506291151: erf(1) rounded to 24 bits, so that erx + P/Q on [0.84375, 1.25) adds exactly.
    private const double Erx = 8.45062911510467529297e-01;

    // 2/sqrt(pi) - 1, for |x| < 2^-28 where erf(x) = x + efx x; and 8 efx + 8, for subnormal x.
    private const double Efx = 1.28379167095512586316e-01;
    private const double Efx8 = 1.02703333676410069053e+00;

    // [0, 0.84375): erf(x) = x + x R(x^2), R = P/Q.
    private const double Pp0 = 1.28379167095512558561e-01;
    private const double Pp1 = -3.25042107247001499370e-01;
    private const double Pp2 = -2.84817495755985104766e-02;
    private const double Pp3 = -5.77027029648944159157e-03;
    private const double Pp4 = -2.37630166566501626084e-05;
    private const double Qq1 = 3.97917223959155352819e-01;
    private const double Qq2 = 6.50222499887672944485e-02;
    private const double Qq3 = 5.08130628187576562776e-03;
    private const double Qq4 = 1.32494738004321644526e-04;
    private const double Qq5 = -3.96022827877536812320e-06;

    // [0.84375, 1.25): erf(1 + s) = erx + P1(s) / Q1(s), s = |x| - 1.
    private const double Pa0 = -2.36211856075265944077e-03;
    private const double Pa1 = 4.14856118683748331666e-01;
    private const double Pa2 = -3.72207876035701323847e-01;
    private const double Pa3 = 3.18346619901161753674e-01;
    private const double Pa4 = -1.10894694282396677476e-01;
    private const double Pa5 = 3.54783043256182359371e-02;
    private const double Pa6 = -2.16637559486879084300e-03;
    private const double Qa1 = 1.06420880400844228286e-01;
    private const double Qa2 = 5.40397917702171048937e-01;
    private const double Qa3 = 7.18286544141962662868e-02;
    private const double Qa4 = 1.26171219808761642112e-01;
    private const double Qa5 = 1.36370839120290507362e-02;
    private const double Qa6 = 1.19844998467991074170e-02;

    // [1.25, 1/0.35): erfc(x) = exp(-x^2 - 0.5625 + R1(1/x^2) / S1(1/x^2)) / x.
    private const double Ra0 = -9.86494403484714822705e-03;
    private const double Ra1 = -6.93858572707181764372e-01;
    private const double Ra2 = -1.05586262253232909814e+01;
    private const double Ra3 = -6.23753324503260060396e+01;
    private const double Ra4 = -1.62396669462573470355e+02;
    private const double Ra5 = -1.84605092906711035994e+02;
    private const double Ra6 = -8.12874355063065934246e+01;
    private const double Ra7 = -9.81432934416914548592e+00;
    private const double Sa1 = 1.96512716674392571292e+01;
    private const double Sa2 = 1.37657754143519042600e+02;
    private const double Sa3 = 4.34565877475229228821e+02;
    private const double Sa4 = 6.45387271733267880336e+02;
    private const double Sa5 = 4.29008140027567833386e+02;
    private const double Sa6 = 1.08635005541779435134e+02;
    private const double Sa7 = 6.57024977031928170135e+00;
    private const double Sa8 = -6.04244152148580987438e-02;

    // [1/0.35, 6): the same form with R2 / S2.
    private const double Rb0 = -9.86494292470009928597e-03;
    private const double Rb1 = -7.99283237680523006574e-01;
    private const double Rb2 = -1.77579549177547519889e+01;
    private const double Rb3 = -1.60636384855821916062e+02;
    private const double Rb4 = -6.37566443368389627722e+02;
    private const double Rb5 = -1.02509513161107724954e+03;
    private const double Rb6 = -4.83519191608651397019e+02;
    private const double Sb1 = 3.03380607434824582924e+01;
    private const double Sb2 = 3.25792512996573918826e+02;
    private const double Sb3 = 1.53672958608443695994e+03;
    private const double Sb4 = 3.19985821950859553908e+03;
    private const double Sb5 = 2.55305040643316442583e+03;
    private const double Sb6 = 4.74528541206955367215e+02;
    private const double Sb7 = -2.24409524465858183362e+01;

    /// <summary>
    /// The error function, erf(x) = (2 / sqrt(pi)) * integral from 0 to x of e^(-t^2) dt, within about 1 ulp.
    /// erf(-x) = -erf(x), erf(±inf) = ±1, erf(NaN) = NaN.
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        // The interval tests compare the high 32 bits of |x|, as fdlibm does, so the boundaries are the same.
        long bits = BitConverter.DoubleToInt64Bits(x);
        int high = (int)(bits >> 32) & 0x7fffffff;
        bool negative = bits < 0;
        if (high < 0x3feb0000)
        {
            // |x| < 0.84375.
            if (high < 0x3e300000)
            {
                // |x| < 2^-28: the first term of the series; for subnormal x scaled by 8 so that efx x keeps its bits.
                return high < 0x00800000 ? ((8 * x) + (Efx8 * x)) / 8 : x + (Efx * x);
            }

            double z = x * x;
            double r = Pp0 + (z * (Pp1 + (z * (Pp2 + (z * (Pp3 + (z * Pp4)))))));
            double s = 1 + (z * (Qq1 + (z * (Qq2 + (z * (Qq3 + (z * (Qq4 + (z * Qq5)))))))));
            return x + (x * (r / s));
        }

        if (high < 0x3ff40000)
        {
            // 0.84375 <= |x| < 1.25.
            double s = Math.Abs(x) - 1;
            double p = Pa0 + (s * (Pa1 + (s * (Pa2 + (s * (Pa3 + (s * (Pa4 + (s * (Pa5 + (s * Pa6)))))))))));
            double q = 1 + (s * (Qa1 + (s * (Qa2 + (s * (Qa3 + (s * (Qa4 + (s * (Qa5 + (s * Qa6)))))))))));
            return negative ? -Erx - (p / q) : Erx + (p / q);
        }

        if (high >= 0x40180000)
        {
            // |x| >= 6 (and infinities): erfc(6) < 2.2e-17, below half an ulp of 1.
            return negative ? -1.0 : 1.0;
        }

        double ax = Math.Abs(x);
        double t = 1 / (ax * ax);
        double rr, ss;
        if (high < 0x4006db6e)
        {
            // 1.25 <= |x| < 1/0.35.
            rr = Ra0 + (t * (Ra1 + (t * (Ra2 + (t * (Ra3 + (t * (Ra4 + (t * (Ra5 + (t * (Ra6 + (t * Ra7)))))))))))));
            ss = 1 + (t * (Sa1 + (t * (Sa2 + (t * (Sa3 + (t * (Sa4 + (t * (Sa5 + (t * (Sa6 + (t * (Sa7 + (t * Sa8)))))))))))))));
        }
        else
        {
            // 1/0.35 <= |x| < 6.
            rr = Rb0 + (t * (Rb1 + (t * (Rb2 + (t * (Rb3 + (t * (Rb4 + (t * (Rb5 + (t * Rb6)))))))))));
            ss = 1 + (t * (Sb1 + (t * (Sb2 + (t * (Sb3 + (t * (Sb4 + (t * (Sb5 + (t * (Sb6 + (t * Sb7)))))))))))));
        }

        // e^(-x^2) as e^(-h^2) e^((h - x)(h + x)), h = x with its low 32 bits cleared: h^2 is exact, so the
        // large exponent carries no rounding error.
        double h = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(ax) & unchecked((long)0xffffffff00000000UL));
        double erfc = Math.Exp((-h * h) - 0.5625) * Math.Exp(((h - ax) * (h + ax)) + (rr / ss)) / ax;
        return negative ? erfc - 1 : 1 - erfc;
    }

    /// <summary>
    /// The error function in float: <see cref="Erf(double)"/> at the same argument, rounded to float once, so within
    /// half an ulp of float plus the double result's error (about 2^-29 of a float ulp).
    /// </summary>
    public static float Erf(float x) => (float)Erf((double)x);

    /// <summary>The error function in any IEEE type: <see cref="Erf(double)"/> at the argument, rounded to <typeparamref name="T"/>.</summary>
    public static T Erf<T>(T x)
        where T : IFloatingPointIeee754<T> => T.CreateTruncating(Erf(double.CreateTruncating(x)));

    /// <summary>
    /// ln(1 + x), accurate for small x: with u = 1 + x rounded, ln(1 + x) = ln(u) x / (u - 1), which is within a few
    /// ulps whenever ln is (D. Goldberg, "What Every Computer Scientist Should Know About Floating-Point
    /// Arithmetic", ACM Computing Surveys 23(1), 1991, Theorem 4). x = 0 and tiny x give x itself; -1 gives -inf,
    /// below -1 NaN, +inf +inf.
    /// </summary>
    public static T LogP1<T>(T x)
        where T : IFloatingPointIeee754<T>
    {
        T u = T.One + x;
        if (u == T.One)
        {
            // x is below half an ulp of 1 (or 0): ln(1 + x) = x to within x^2 / 2, less than half an ulp of x.
            return x;
        }

        if (T.IsPositiveInfinity(u))
        {
            return u;
        }

        return T.Log(u) * x / (u - T.One);
    }
}
