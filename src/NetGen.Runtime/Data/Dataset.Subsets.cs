using System;
using System.Collections.Generic;
using System.Numerics;

namespace NetGen;

// Subsets, concatenation, the stratified split and the k-fold splits of a dataset.
public sealed partial class Dataset<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// A copy of the samples at <paramref name="indices"/>, in that order (an index may appear more than once, as
    /// in a bootstrap sample).
    /// </summary>
    /// <param name="indices">Indices in [0, <see cref="Count"/>); empty gives an empty dataset.</param>
    /// <returns>The new dataset, of <c>indices.Length</c> samples.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range; the message gives its position.</exception>
    public Dataset<T> Subset(ReadOnlySpan<int> indices)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(indices), indices[i], $"Index {i} is {indices[i]}, but the dataset has {Count} samples.");
            }
        }

        var inputs = new T[checked(indices.Length * InputCount)];
        var targets = new T[checked(indices.Length * OutputCount)];
        for (int i = 0; i < indices.Length; i++)
        {
            GetInput(indices[i]).CopyTo(inputs.AsSpan(i * InputCount));
            GetTarget(indices[i]).CopyTo(targets.AsSpan(i * OutputCount));
        }

        return new Dataset<T>(inputs, targets, InputCount, OutputCount);
    }

    /// <summary>A copy of the samples of all <paramref name="datasets"/>, one dataset after another.</summary>
    /// <param name="datasets">One or more datasets with the same <see cref="InputCount"/> and <see cref="OutputCount"/>.</param>
    /// <returns>The new dataset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="datasets"/> or one of them is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">There are no datasets, or their shapes differ.</exception>
    public static Dataset<T> Concat(params Dataset<T>[] datasets)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        if (datasets.Length == 0)
        {
            throw new ArgumentException("There must be at least one dataset.", nameof(datasets));
        }

        long count = 0;
        foreach (Dataset<T>? data in datasets)
        {
            ArgumentNullException.ThrowIfNull(data, nameof(datasets));
            if (data.InputCount != datasets[0].InputCount || data.OutputCount != datasets[0].OutputCount)
            {
                throw new ArgumentException(
                    $"The datasets must all have {datasets[0].InputCount} inputs and {datasets[0].OutputCount} targets per sample, but one has {data.InputCount} and {data.OutputCount}.",
                    nameof(datasets));
            }

            count += data.Count;
        }

        int inputCount = datasets[0].InputCount, outputCount = datasets[0].OutputCount;
        var inputs = new T[checked((int)count * inputCount)];
        var targets = new T[checked((int)count * outputCount)];
        int offset = 0;
        foreach (Dataset<T> data in datasets)
        {
            data.Inputs.Span.CopyTo(inputs.AsSpan(offset * inputCount));
            data.Targets.Span.CopyTo(targets.AsSpan(offset * outputCount));
            offset += data.Count;
        }

        return new Dataset<T>(inputs, targets, inputCount, outputCount);
    }

    /// <summary>
    /// Like <see cref="Split"/>, but keeping every class's share: the classes are the targets' classes
    /// (<see cref="Metrics.ClassOf{T}"/>: the index of the largest value of a one-hot target, or for one output
    /// whether it is at least 0.5). See <see cref="StratifiedSplit(ReadOnlySpan{int}, double, int)"/>.
    /// </summary>
    /// <param name="validationFraction">The share of samples for validation, strictly between 0 and 1.</param>
    /// <param name="seed">Fixes which samples of each class go where.</param>
    /// <returns>The two parts.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationFraction"/> is not strictly between 0 and 1.</exception>
    /// <exception cref="ArgumentException">One of the parts would be empty.</exception>
    public (Dataset<T> Training, Dataset<T> Validation) StratifiedSplit(double validationFraction, int seed) =>
        StratifiedSplit(Metrics.ClassesOf(Targets.Span, OutputCount), validationFraction, seed);

    /// <summary>
    /// Splits the samples at random, fixed by <paramref name="seed"/>, into a training and a validation part
    /// so that each class is represented in the validation part as in the whole. The validation part holds
    /// V = round(<see cref="Count"/> × <paramref name="validationFraction"/>) samples, as with <see cref="Split"/>;
    /// a class of n_c of the n samples gets ⌊n_c V / n⌋ or ⌈n_c V / n⌉ of them (within one sample of its share), the
    /// classes whose shares have the largest fractional parts getting the extra ones (the smaller label first on a
    /// tie). Both parts are copies in the samples' original order.
    /// </summary>
    /// <remarks>
    /// Which samples of a class go to validation: the first of them in a seeded Fisher–Yates permutation of all the
    /// samples (<see cref="DeterministicRandom"/>), so the same seed gives the same split on every machine.
    /// </remarks>
    /// <param name="labels">The class of every sample, one per sample; any <see cref="int"/> values.</param>
    /// <param name="validationFraction">The share of samples for validation, strictly between 0 and 1.</param>
    /// <param name="seed">Fixes which samples of each class go where.</param>
    /// <returns>The two parts.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationFraction"/> is not strictly between 0 and 1.</exception>
    /// <exception cref="ArgumentException">There is not one label per sample, or one of the parts would be empty.</exception>
    public (Dataset<T> Training, Dataset<T> Validation) StratifiedSplit(ReadOnlySpan<int> labels, double validationFraction, int seed)
    {
        int validationCount = ValidationCount(validationFraction);
        CheckLabels(labels);
        int[] grouped = GroupByClass(labels, seed, out int[] starts);
        int classCount = starts.Length - 1;

        // Each class's quota n_c V / n, as a whole part and a remainder over n, in integers.
        var quotas = new int[classCount];
        var remainders = new long[classCount];
        var byRemainder = new int[classCount];
        int assigned = 0;
        for (int c = 0; c < classCount; c++)
        {
            long share = (long)(starts[c + 1] - starts[c]) * validationCount;
            quotas[c] = (int)(share / Count);
            remainders[c] = share % Count;
            assigned += quotas[c];
            byRemainder[c] = c;
        }

        Array.Sort(byRemainder, (a, b) => remainders[a] != remainders[b] ? remainders[b].CompareTo(remainders[a]) : a.CompareTo(b));
        for (int i = 0; i < validationCount - assigned; i++)
        {
            quotas[byRemainder[i]]++;
        }

        bool[] isValidation = new bool[Count];
        for (int c = 0; c < classCount; c++)
        {
            for (int j = starts[c]; j < starts[c] + quotas[c]; j++)
            {
                isValidation[grouped[j]] = true;
            }
        }

        var training = new int[Count - validationCount];
        var validation = new int[validationCount];
        for (int i = 0, t = 0, v = 0; i < Count; i++)
        {
            if (isValidation[i])
            {
                validation[v++] = i;
            }
            else
            {
                training[t++] = i;
            }
        }

        return (Subset(training), Subset(validation));
    }

    /// <summary>
    /// Splits the samples at random, fixed by <paramref name="seed"/>, into <paramref name="foldCount"/> folds for
    /// cross-validation: every sample is in the validation part of exactly one fold, and the validation parts'
    /// sizes differ by at most one (the first <see cref="Count"/> mod k folds have the extra sample). Fold f holds
    /// out the samples at positions [start_f, start_f + size_f) of a seeded Fisher–Yates permutation
    /// (<see cref="DeterministicRandom"/>), so the same seed gives the same folds on every machine.
    /// </summary>
    /// <param name="foldCount">The number of folds k, from 2 to <see cref="Count"/>.</param>
    /// <param name="seed">Fixes which samples go to which fold.</param>
    /// <returns>The k folds, in order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="foldCount"/> is less than 2 or more than <see cref="Count"/>.</exception>
    public IReadOnlyList<Fold> KFold(int foldCount, int seed)
    {
        CheckFoldCount(foldCount);
        int[] order = Shuffling.Permutation(Count, seed);
        int[] foldOf = new int[Count];
        for (int position = 0, fold = 0; fold < foldCount; fold++)
        {
            int size = (Count / foldCount) + (fold < Count % foldCount ? 1 : 0);
            for (int end = position + size; position < end; position++)
            {
                foldOf[order[position]] = fold;
            }
        }

        return Folds(foldOf, foldCount);
    }

    /// <summary>
    /// Like <see cref="KFold"/>, but keeping every class's share in every fold: the classes are the targets' classes
    /// (<see cref="Metrics.ClassOf{T}"/>). See <see cref="StratifiedKFold(ReadOnlySpan{int}, int, int)"/>.
    /// </summary>
    /// <param name="foldCount">The number of folds k, from 2 to <see cref="Count"/>.</param>
    /// <param name="seed">Fixes which samples of each class go to which fold.</param>
    /// <returns>The k folds, in order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="foldCount"/> is less than 2 or more than <see cref="Count"/>.</exception>
    public IReadOnlyList<Fold> StratifiedKFold(int foldCount, int seed) =>
        StratifiedKFold(Metrics.ClassesOf(Targets.Span, OutputCount), foldCount, seed);

    /// <summary>
    /// Splits the samples into <paramref name="foldCount"/> folds for cross-validation so that each class is spread
    /// evenly over them: every sample is in the validation part of exactly one fold, the validation parts' sizes
    /// differ by at most one, and each fold holds ⌊n_c / k⌋ or ⌈n_c / k⌉ of the n_c samples of each class.
    /// </summary>
    /// <remarks>
    /// The samples are put in order of class (smallest label first), each class's samples in the order of a seeded
    /// Fisher–Yates permutation (<see cref="DeterministicRandom"/>), and dealt to the folds in turn: the j-th sample
    /// of that order to fold j mod k. The same seed gives the same folds on every machine.
    /// </remarks>
    /// <param name="labels">The class of every sample, one per sample; any <see cref="int"/> values.</param>
    /// <param name="foldCount">The number of folds k, from 2 to <see cref="Count"/>.</param>
    /// <param name="seed">Fixes which samples of each class go to which fold.</param>
    /// <returns>The k folds, in order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="foldCount"/> is less than 2 or more than <see cref="Count"/>.</exception>
    /// <exception cref="ArgumentException">There is not one label per sample.</exception>
    public IReadOnlyList<Fold> StratifiedKFold(ReadOnlySpan<int> labels, int foldCount, int seed)
    {
        CheckFoldCount(foldCount);
        CheckLabels(labels);
        int[] grouped = GroupByClass(labels, seed, out _);
        int[] foldOf = new int[Count];
        for (int j = 0; j < grouped.Length; j++)
        {
            foldOf[grouped[j]] = j % foldCount;
        }

        return Folds(foldOf, foldCount);
    }

    /// <summary>The folds of which <paramref name="foldOf"/>[i] is sample i's validation fold.</summary>
    private static Fold[] Folds(int[] foldOf, int foldCount)
    {
        var sizes = new int[foldCount];
        foreach (int fold in foldOf)
        {
            sizes[fold]++;
        }

        var folds = new Fold[foldCount];
        for (int f = 0; f < foldCount; f++)
        {
            var training = new int[foldOf.Length - sizes[f]];
            var validation = new int[sizes[f]];
            for (int i = 0, t = 0, v = 0; i < foldOf.Length; i++)
            {
                if (foldOf[i] == f)
                {
                    validation[v++] = i;
                }
                else
                {
                    training[t++] = i;
                }
            }

            folds[f] = new Fold(f, training, validation);
        }

        return folds;
    }

    /// <summary>
    /// The sample indices in order of label, each label's samples in the order of the seeded permutation;
    /// <paramref name="starts"/>[c] is where the c-th smallest label begins, and its last element is the count.
    /// </summary>
    private int[] GroupByClass(ReadOnlySpan<int> labels, int seed, out int[] starts)
    {
        int[] order = Shuffling.Permutation(Count, seed);

        // Label in the high half, position in the permutation in the low half: sorting orders by label, then position.
        var keys = new long[Count];
        for (int position = 0; position < Count; position++)
        {
            keys[position] = ((long)labels[order[position]] << 32) | (uint)position;
        }

        Array.Sort(keys);
        var grouped = new int[Count];
        var classStarts = new List<int>();
        for (int j = 0; j < Count; j++)
        {
            grouped[j] = order[(int)(keys[j] & uint.MaxValue)];
            if (j == 0 || (keys[j] >> 32) != (keys[j - 1] >> 32))
            {
                classStarts.Add(j);
            }
        }

        classStarts.Add(Count);
        starts = classStarts.ToArray();
        return grouped;
    }

    private int ValidationCount(double validationFraction)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be strictly between 0 and 1.");
        }

        int validationCount = (int)Math.Round(Count * validationFraction, MidpointRounding.AwayFromZero);
        if (validationCount == 0 || validationCount == Count)
        {
            throw new ArgumentException(
                $"Splitting {Count} samples with validation fraction {validationFraction} would leave one part empty.", nameof(validationFraction));
        }

        return validationCount;
    }

    private void CheckLabels(ReadOnlySpan<int> labels)
    {
        if (labels.Length != Count)
        {
            throw new ArgumentException($"There must be one label per sample, {Count}, but there are {labels.Length}.", nameof(labels));
        }
    }

    private void CheckFoldCount(int foldCount)
    {
        if (foldCount < 2 || foldCount > Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(foldCount), foldCount, $"The number of folds must be from 2 to the number of samples, {Count}.");
        }
    }
}
