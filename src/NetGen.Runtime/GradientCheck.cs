using System;
using System.Numerics;

namespace NetGen;

/// <summary>The outcome of <see cref="GradientCheck.Run{TNet, T}"/>: the worst disagreement and where it was.</summary>
/// <param name="WorstRelativeError">The largest |analytic - numeric| / max(|analytic|, |numeric|, floor) over all parameters.</param>
/// <param name="WorstIndex">The index into <see cref="INetwork{T}.Parameters"/> where it was found.</param>
/// <param name="Analytic">Backward's gradient at that index.</param>
/// <param name="Numeric">The central finite difference at that index.</param>
/// <param name="ParametersChecked">How many parameters were compared.</param>
public readonly record struct GradientCheckResult(
    double WorstRelativeError,
    int WorstIndex,
    double Analytic,
    double Numeric,
    int ParametersChecked)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"worst relative error {WorstRelativeError:G3} at parameter {WorstIndex} (analytic {Analytic:G6}, numeric {Numeric:G6}) over {ParametersChecked} parameters";
}

/// <summary>
/// Proves a network's Backward against central finite differences of its Loss:
/// numeric_i = (L(p + h e_i) - L(p - h e_i)) / 2h. Works on any <see cref="INetwork{T}"/> and allocates nothing.
/// </summary>
public static class GradientCheck
{
    /// <summary>
    /// Compares Backward's gradient of one sample with central differences for every parameter.
    /// The network's parameters are restored bit for bit afterwards; its gradients are left holding
    /// this sample's gradient.
    /// </summary>
    /// <param name="network">The network to check.</param>
    /// <param name="input">One input sample.</param>
    /// <param name="target">Its target.</param>
    /// <param name="step">The finite-difference step h; about 1e-6 suits double, 1e-2 to 1e-3 suits float.</param>
    /// <param name="floor">
    /// The smallest denominator of the relative error, so that gradients that are zero up to rounding do not
    /// count as huge relative errors.
    /// </param>
    public static GradientCheckResult Run<TNet, T>(TNet network, ReadOnlySpan<T> input, ReadOnlySpan<T> target, T step, double floor = 1e-8)
        where TNet : INetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(step > T.Zero))
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "The step must be positive.");
        }

        network.ZeroGradients();
        network.Backward(input, target);

        Span<T> parameters = network.Parameters;
        ReadOnlySpan<T> gradients = network.Gradients;
        double worst = 0;
        int worstIndex = -1;
        double worstAnalytic = 0, worstNumeric = 0;

        for (int i = 0; i < parameters.Length; i++)
        {
            T original = parameters[i];
            T up = original + step, down = original - step;
            parameters[i] = up;
            double plus = double.CreateChecked(network.Loss(input, target));
            parameters[i] = down;
            double minus = double.CreateChecked(network.Loss(input, target));
            parameters[i] = original;

            // Divide by the step actually taken: in float, p + h - (p - h) can differ from 2h by rounding.
            double numeric = (plus - minus) / (double.CreateChecked(up) - double.CreateChecked(down));
            double analytic = double.CreateChecked(gradients[i]);
            double denominator = Math.Max(Math.Max(Math.Abs(analytic), Math.Abs(numeric)), floor);
            double relative = Math.Abs(analytic - numeric) / denominator;
            if (relative > worst || worstIndex < 0 || double.IsNaN(relative))
            {
                worst = relative;
                worstIndex = i;
                worstAnalytic = analytic;
                worstNumeric = numeric;
                if (double.IsNaN(relative))
                {
                    worst = double.NaN;
                    break;
                }
            }
        }

        return new GradientCheckResult(worst, worstIndex, worstAnalytic, worstNumeric, parameters.Length);
    }
}
