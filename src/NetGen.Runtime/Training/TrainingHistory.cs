using System;
using System.Collections;
using System.Collections.Generic;

namespace NetGen;

/// <summary>The results of one epoch of <see cref="Trainer.Fit{TNet, T}"/>.</summary>
/// <param name="Epoch">The 1-based epoch.</param>
/// <param name="TrainingLoss">The mean training loss over the epoch's samples, each taken before its batch's step.</param>
/// <param name="ValidationLoss">The mean validation loss after the epoch; NaN without a validation set.</param>
/// <param name="ValidationAccuracy">
/// The validation accuracy (0 to 1) after the epoch, for a classification (see <see cref="TaskKind"/>); NaN without a
/// validation set, or for a regression (see <see cref="ValidationRSquared"/>).
/// </param>
/// <param name="Duration">The time the epoch took, validation included.</param>
/// <param name="Elapsed">The time from the start of training to the end of this epoch.</param>
public readonly record struct TrainingEpoch(
    int Epoch,
    double TrainingLoss,
    double ValidationLoss,
    double ValidationAccuracy,
    TimeSpan Duration,
    TimeSpan Elapsed)
{
    /// <summary>
    /// For a regression (see <see cref="TaskKind"/>), R² of the validation set after the epoch, averaged over the
    /// outputs (<see cref="EvaluationResult.RSquared"/>); NaN without a validation set, or for a classification.
    /// </summary>
    public double ValidationRSquared { get; init; } = double.NaN;

    /// <summary>
    /// For a regression, the root mean squared error of the validation set after the epoch, averaged over the
    /// outputs (<see cref="EvaluationResult.RootMeanSquaredError"/>); NaN without a validation set, or for a classification.
    /// </summary>
    public double ValidationRootMeanSquaredError { get; init; } = double.NaN;
}

/// <summary>What <see cref="Trainer.Fit{TNet, T}"/> returns: one <see cref="TrainingEpoch"/> per epoch, in order.</summary>
public sealed class TrainingHistory : IReadOnlyList<TrainingEpoch>
{
    private readonly TrainingEpoch[] _epochs;

    internal TrainingHistory(TrainingEpoch[] epochs) => _epochs = epochs;

    /// <summary>The number of epochs.</summary>
    public int Count => _epochs.Length;

    /// <summary>The results of epoch <paramref name="index"/> + 1.</summary>
    /// <exception cref="IndexOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public TrainingEpoch this[int index] => _epochs[index];

    /// <summary>The time the whole run took.</summary>
    public TimeSpan Elapsed => _epochs.Length == 0 ? TimeSpan.Zero : _epochs[^1].Elapsed;

    /// <inheritdoc/>
    public IEnumerator<TrainingEpoch> GetEnumerator() => ((IEnumerable<TrainingEpoch>)_epochs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
