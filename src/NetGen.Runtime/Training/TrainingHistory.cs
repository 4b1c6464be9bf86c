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

    /// <summary>
    /// The learning rate the epoch trained with: from <see cref="TrainingOptions{T}.LearningRateSchedule"/>, as
    /// <see cref="TrainingOptions{T}.ReduceLearningRateOnPlateau"/> left it, or the optimizer's (or plain SGD's) fixed
    /// rate.
    /// </summary>
    public double LearningRate { get; init; } = double.NaN;
}

/// <summary>What <see cref="Trainer.Fit{TNet, T}"/> returns: one <see cref="TrainingEpoch"/> per epoch, in order.</summary>
public sealed class TrainingHistory : IReadOnlyList<TrainingEpoch>
{
    private readonly TrainingEpoch[] _epochs;
    private readonly int _count;

    internal TrainingHistory(TrainingEpoch[] epochs)
        : this(epochs, epochs.Length, bestEpoch: 0, TrainingStopReason.Completed, restoredBestEpoch: false)
    {
    }

    /// <summary>The first <paramref name="count"/> entries of <paramref name="epochs"/> (not copied), and how training ended.</summary>
    internal TrainingHistory(TrainingEpoch[] epochs, int count, int bestEpoch, TrainingStopReason stopReason, bool restoredBestEpoch)
    {
        _epochs = epochs;
        _count = count;
        BestEpoch = bestEpoch;
        StopReason = stopReason;
        RestoredBestEpoch = restoredBestEpoch;
    }

    /// <summary>The number of epochs completed.</summary>
    public int Count => _count;

    /// <summary>The results of epoch <paramref name="index"/> + 1.</summary>
    /// <exception cref="IndexOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public TrainingEpoch this[int index] => (uint)index < (uint)_count ? _epochs[index] : throw new IndexOutOfRangeException();

    /// <summary>The time the whole run took.</summary>
    public TimeSpan Elapsed => _count == 0 ? TimeSpan.Zero : _epochs[_count - 1].Elapsed;

    /// <summary>
    /// With <see cref="TrainingOptions{T}.EarlyStopping"/>, the 1-based epoch whose validation measure was best, as
    /// <see cref="EarlyStopping"/> judges it; 0 without early stopping, or if no epoch's measure was a number.
    /// </summary>
    public int BestEpoch { get; }

    /// <summary>Why training ended: all its epochs ran, early stopping, or a callback's request.</summary>
    public TrainingStopReason StopReason { get; }

    /// <summary>Whether training ended before <see cref="TrainingOptions{T}.Epochs"/> epochs: <see cref="StopReason"/> is not <see cref="TrainingStopReason.Completed"/>.</summary>
    public bool StoppedEarly => StopReason != TrainingStopReason.Completed;

    /// <summary>
    /// Whether the network's parameters were put back to those at the end of <see cref="BestEpoch"/>
    /// (<see cref="EarlyStopping.RestoreBestParameters"/>); otherwise they are those of the last batch trained.
    /// </summary>
    public bool RestoredBestEpoch { get; }

    /// <inheritdoc/>
    public IEnumerator<TrainingEpoch> GetEnumerator()
    {
        for (int i = 0; i < _count; i++)
        {
            yield return _epochs[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
