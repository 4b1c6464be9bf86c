using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// Samples for a network: inputs and targets laid out one sample after another (row-major), the layout that
/// <see cref="INetwork{T}.TrainBatch"/> and <see cref="Trainer"/> read. For validation it splits into a training and
/// a validation part (<see cref="Split"/>, <see cref="StratifiedSplit(double, int)"/>) or into folds
/// (<see cref="KFold"/>, <see cref="StratifiedKFold(int, int)"/>), and makes subsets and concatenations.
/// </summary>
/// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
public sealed partial class Dataset<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Wraps inputs and targets (not copied) as a dataset.</summary>
    /// <param name="inputs">The samples' inputs, <paramref name="inputCount"/> values each, one sample after another.</param>
    /// <param name="targets">The samples' targets, <paramref name="outputCount"/> values each, in the same order.</param>
    /// <param name="inputCount">The number of values in one input, 1 or more: the network's <c>InputCount</c>.</param>
    /// <param name="outputCount">The number of values in one target, 1 or more: the network's <c>OutputCount</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputCount"/> or <paramref name="outputCount"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">
    /// The inputs are not a whole number of samples, or the targets do not hold the same number of samples.
    /// </exception>
    public Dataset(ReadOnlyMemory<T> inputs, ReadOnlyMemory<T> targets, int inputCount, int outputCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        if (inputs.Length % inputCount != 0)
        {
            throw new ArgumentException(
                $"The inputs must hold whole samples of {inputCount} values each, but their length is {inputs.Length}.", nameof(inputs));
        }

        int count = inputs.Length / inputCount;
        if ((long)count * outputCount != targets.Length)
        {
            throw new ArgumentException(
                $"The inputs hold {count} samples, so the targets must have length {(long)count * outputCount} ({outputCount} values each), but their length is {targets.Length}.",
                nameof(targets));
        }

        Inputs = inputs;
        Targets = targets;
        InputCount = inputCount;
        OutputCount = outputCount;
        Count = count;
    }

    /// <summary>The inputs, <see cref="InputCount"/> values per sample, one sample after another.</summary>
    public ReadOnlyMemory<T> Inputs { get; }

    /// <summary>The targets, <see cref="OutputCount"/> values per sample, in the same order as the inputs.</summary>
    public ReadOnlyMemory<T> Targets { get; }

    /// <summary>The number of values in one input.</summary>
    public int InputCount { get; }

    /// <summary>The number of values in one target.</summary>
    public int OutputCount { get; }

    /// <summary>The number of samples.</summary>
    public int Count { get; }

    /// <summary>The input of sample <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in [0, <see cref="Count"/>).</exception>
    public ReadOnlySpan<T> GetInput(int index)
    {
        CheckIndex(index);
        return Inputs.Span.Slice(index * InputCount, InputCount);
    }

    /// <summary>The target of sample <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in [0, <see cref="Count"/>).</exception>
    public ReadOnlySpan<T> GetTarget(int index)
    {
        CheckIndex(index);
        return Targets.Span.Slice(index * OutputCount, OutputCount);
    }

    /// <summary>
    /// Splits the samples at random, fixed by <paramref name="seed"/>, into a training part and a validation part
    /// holding round(<see cref="Count"/> × <paramref name="validationFraction"/>) samples (halves round up). Both
    /// parts are copies and keep the samples' original relative order. The same seed gives the same split on every
    /// machine (<see cref="DeterministicRandom"/> and a Fisher–Yates shuffle).
    /// </summary>
    /// <param name="validationFraction">The share of samples for validation, strictly between 0 and 1.</param>
    /// <param name="seed">Fixes which samples go where.</param>
    /// <returns>The two parts.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationFraction"/> is not strictly between 0 and 1.</exception>
    /// <exception cref="ArgumentException">One of the parts would be empty.</exception>
    public (Dataset<T> Training, Dataset<T> Validation) Split(double validationFraction, int seed)
    {
        int validationCount = ValidationCount(validationFraction);
        int[] order = Shuffling.Permutation(Count, seed);
        bool[] isValidation = new bool[Count];
        for (int i = 0; i < validationCount; i++)
        {
            isValidation[order[i]] = true;
        }

        int trainingCount = Count - validationCount;
        var trainingInputs = new T[trainingCount * InputCount];
        var trainingTargets = new T[trainingCount * OutputCount];
        var validationInputs = new T[validationCount * InputCount];
        var validationTargets = new T[validationCount * OutputCount];
        int t = 0, v = 0;
        for (int i = 0; i < Count; i++)
        {
            if (isValidation[i])
            {
                GetInput(i).CopyTo(validationInputs.AsSpan(v * InputCount));
                GetTarget(i).CopyTo(validationTargets.AsSpan(v * OutputCount));
                v++;
            }
            else
            {
                GetInput(i).CopyTo(trainingInputs.AsSpan(t * InputCount));
                GetTarget(i).CopyTo(trainingTargets.AsSpan(t * OutputCount));
                t++;
            }
        }

        return (
            new Dataset<T>(trainingInputs, trainingTargets, InputCount, OutputCount),
            new Dataset<T>(validationInputs, validationTargets, InputCount, OutputCount));
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset has {Count} samples.");
        }
    }
}
