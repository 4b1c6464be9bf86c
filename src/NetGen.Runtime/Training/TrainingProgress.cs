using System;

namespace NetGen;

/// <summary>Where training stands after one mini-batch, as reported through <see cref="TrainingOptions{T}.Progress"/>.</summary>
/// <param name="Epoch">The 1-based epoch.</param>
/// <param name="EpochCount">The number of epochs of the whole run.</param>
/// <param name="Batch">The 1-based batch within the epoch that has just been trained.</param>
/// <param name="BatchCount">The number of batches per epoch.</param>
/// <param name="Loss">The mean training loss over this epoch's samples so far, each taken before its batch's step.</param>
/// <param name="ValidationLoss">
/// The mean validation loss after the latest completed epoch (this one, when <see cref="IsEpochEnd"/>); NaN before
/// the first epoch ends or without a validation set.
/// </param>
/// <param name="ValidationAccuracy">
/// The validation accuracy (share of correct predictions, 0 to 1) after the latest completed epoch, for a
/// classification (see <see cref="TaskKind"/>); NaN before the first epoch ends, without a validation set, or for a
/// regression (see <see cref="ValidationRSquared"/>).
/// </param>
/// <param name="Elapsed">The time since training started.</param>
public readonly record struct TrainingProgress(
    int Epoch,
    int EpochCount,
    int Batch,
    int BatchCount,
    double Loss,
    double ValidationLoss,
    double ValidationAccuracy,
    TimeSpan Elapsed)
{
    /// <summary>Whether this is the epoch's last report, carrying its validation results.</summary>
    public bool IsEpochEnd => Batch == BatchCount;

    /// <summary>
    /// For a regression, R² of the validation set after the latest completed epoch (see
    /// <see cref="TrainingEpoch.ValidationRSquared"/>); NaN before the first epoch ends, without a validation set, or
    /// for a classification.
    /// </summary>
    public double ValidationRSquared { get; init; } = double.NaN;

    /// <summary>
    /// For a regression, the root mean squared error of the validation set after the latest completed epoch (see
    /// <see cref="TrainingEpoch.ValidationRootMeanSquaredError"/>); NaN before the first epoch ends, without a
    /// validation set, or for a classification.
    /// </summary>
    public double ValidationRootMeanSquaredError { get; init; } = double.NaN;

    /// <summary>The learning rate of this epoch (see <see cref="TrainingEpoch.LearningRate"/>).</summary>
    public double LearningRate { get; init; } = double.NaN;

    /// <summary>
    /// With <see cref="TrainingOptions{T}.EarlyStopping"/>, the best epoch so far (see <see cref="TrainingHistory.BestEpoch"/>),
    /// this one included when <see cref="IsEpochEnd"/>; 0 before the first epoch ends or without early stopping.
    /// </summary>
    public int BestEpoch { get; init; }
}
