using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace NetGen;

/// <summary>
/// Argument checks used by generated code. The throwing half lives in its own method so that the
/// generated hot paths stay small and inlinable.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Guard
{
    /// <summary>Throws when a span does not have the length the network needs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Length(int actual, int expected, string parameterName)
    {
        if (actual != expected)
        {
            ThrowWrongLength(parameterName, expected, actual);
        }
    }

    /// <summary>Throws the <see cref="ArgumentException"/> for a span of the wrong length.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowWrongLength(string parameterName, int expected, int actual) =>
        throw new ArgumentException(
            $"The span must have length {expected}, but its length is {actual}.", parameterName);

    /// <summary>
    /// Checks a batch for prediction: <paramref name="inputLength"/> is a multiple of <paramref name="inputCount"/>
    /// (zero samples are allowed: nothing to compute) and <paramref name="outputLength"/> holds the same number of
    /// samples.
    /// </summary>
    /// <returns>The number of samples.</returns>
    /// <exception cref="ArgumentException">The inputs are not whole samples, or the outputs' length is not the samples times <paramref name="outputCount"/>.</exception>
    public static int PredictionBatchSize(int inputLength, int inputCount, int outputLength, int outputCount)
    {
        if (inputLength % inputCount != 0)
        {
            ThrowBadBatch(
                $"The inputs must hold whole samples of {inputCount} values each, but their length is {inputLength}.",
                "inputs");
        }

        // In 64 bits, as for a mini-batch: samples * outputCount can pass int.MaxValue.
        int samples = inputLength / inputCount;
        if (outputLength != (long)samples * outputCount)
        {
            ThrowBadBatch(
                $"The outputs must hold {samples} samples of {outputCount} values each (length {(long)samples * outputCount}), but their length is {outputLength}.",
                "outputs");
        }

        return samples;
    }

    /// <summary>
    /// Checks a mini-batch: <paramref name="inputLength"/> is a positive multiple of <paramref name="inputCount"/>
    /// and <paramref name="targetLength"/> holds the same number of samples.
    /// </summary>
    /// <returns>The number of samples.</returns>
    /// <exception cref="ArgumentException">The inputs are empty or not whole samples, or the targets' length is not the samples times <paramref name="outputCount"/>.</exception>
    public static int BatchSize(int inputLength, int inputCount, int targetLength, int outputCount)
    {
        if (inputLength == 0 || inputLength % inputCount != 0)
        {
            ThrowBadBatch(
                $"The inputs must hold one or more samples of {inputCount} values each, but their length is {inputLength}.",
                "inputs");
        }

        // In 64 bits: samples * outputCount can pass int.MaxValue and wrap to a length that some span has.
        int samples = inputLength / inputCount;
        if (targetLength != (long)samples * outputCount)
        {
            ThrowBadBatch(
                $"The targets must hold {samples} samples of {outputCount} values each (length {(long)samples * outputCount}), but their length is {targetLength}.",
                "targets");
        }

        return samples;
    }

    /// <summary>
    /// Checks a sequence: <paramref name="inputLength"/> is a positive multiple of <paramref name="inputCount"/> (the
    /// values of one time step) and <paramref name="targetLength"/> (or the outputs' length) holds the same number of steps.
    /// </summary>
    /// <param name="inputLength">The inputs' length.</param>
    /// <param name="inputCount">The values of one step's input.</param>
    /// <param name="targetLength">The targets' (or outputs') length.</param>
    /// <param name="outputCount">The values of one step's target (or output).</param>
    /// <param name="targetName">The name of the span checked against the steps: "targets" or "outputs".</param>
    /// <returns>The number of steps.</returns>
    public static int Steps(int inputLength, int inputCount, int targetLength, int outputCount, string targetName)
    {
        if (inputLength == 0 || inputLength % inputCount != 0)
        {
            ThrowBadBatch(
                $"The inputs must hold one or more time steps of {inputCount} values each, but their length is {inputLength}.",
                "inputs");
        }

        int steps = inputLength / inputCount;
        if ((long)targetLength != (long)steps * outputCount)
        {
            ThrowBadBatch(
                $"The {targetName} must hold {steps} time steps of {outputCount} values each (length {(long)steps * outputCount}), but their length is {targetLength}.",
                targetName);
        }

        return steps;
    }

    /// <summary>Throws <see cref="NonFiniteValueException"/>; called by networks declared with CheckFinite = true.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowNonFinite(string member, int layer, int node, double value) =>
        throw new NonFiniteValueException(member, layer, node, value);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadBatch(string message, string parameterName) =>
        throw new ArgumentException(message, parameterName);
}
