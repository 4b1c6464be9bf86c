using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>Argument checks shared by the optimizers.</summary>
internal static class OptimizerChecks
{
    public static void ParameterCount(int parameterCount, string parameterName)
    {
        if (parameterCount < 1)
        {
            throw new ArgumentOutOfRangeException(parameterName, parameterCount, "An optimizer needs at least one parameter.");
        }
    }

    /// <summary>A finite value that is at least 0.</summary>
    public static double NonNegative(double value, string parameterName, string what)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"The {what} must be a finite number of at least 0.");
        }

        return value;
    }

    /// <summary>A value in [0, 1).</summary>
    public static double Beta(double value, string parameterName)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, "A beta must be at least 0 and less than 1.");
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Spans(int parameters, int gradients, int expected)
    {
        if (parameters != expected)
        {
            ThrowWrongLength("parameters", expected, parameters);
        }

        if (gradients != expected)
        {
            ThrowWrongLength("gradients", expected, gradients);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWrongLength(string parameterName, int expected, int actual) =>
        throw new ArgumentException(
            $"The optimizer was built for {expected} parameters, but the span's length is {actual}.", parameterName);
}
