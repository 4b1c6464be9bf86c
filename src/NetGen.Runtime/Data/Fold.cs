using System;

namespace NetGen;

/// <summary>
/// One fold of a k-fold split (<see cref="Dataset{T}.KFold"/>, <see cref="Dataset{T}.StratifiedKFold(int, int)"/>):
/// the samples held out to validate, and the rest, to train on. Across the folds of one split every sample is in
/// exactly one validation part. Pass the indices to <see cref="Dataset{T}.Subset"/> to get the data.
/// </summary>
public sealed class Fold
{
    private readonly int[] _training;
    private readonly int[] _validation;

    internal Fold(int index, int[] training, int[] validation)
    {
        Index = index;
        _training = training;
        _validation = validation;
    }

    /// <summary>The fold's position, 0 for the first.</summary>
    public int Index { get; }

    /// <summary>The indices of the samples to train on: all but the validation ones, in increasing order.</summary>
    public ReadOnlySpan<int> TrainingIndices => _training;

    /// <summary>The indices of the samples held out, in increasing order.</summary>
    public ReadOnlySpan<int> ValidationIndices => _validation;

    /// <summary>A short description: the fold's number and sizes.</summary>
    /// <returns>Such as <c>"fold 2: 120 training, 30 validation"</c>.</returns>
    public override string ToString() => $"fold {Index}: {_training.Length} training, {_validation.Length} validation";
}
