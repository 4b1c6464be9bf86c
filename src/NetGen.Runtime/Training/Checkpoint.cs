namespace NetGen;

/// <summary>
/// Saves the network to a file during <see cref="Trainer.Fit{TNet, T}"/>, through
/// <see cref="ModelFile.Save{T}(INetwork{T}, string)"/>, so atomically: a crash while saving leaves the previous
/// checkpoint whole. Set through <see cref="TrainingOptions{T}.Checkpoint"/>.
/// </summary>
/// <remarks>
/// <para>
/// With <see cref="EveryEpochs"/> 0 (the default), the file is written after every epoch whose validation
/// <see cref="Metric"/> is better than at every earlier epoch (strictly; the first epoch with a number always is):
/// the file then always holds the best parameters so far. This needs <see cref="TrainingOptions{T}.Validation"/>.
/// With <see cref="EveryEpochs"/> n of 1 or more, it is written after epochs n, 2n, 3n and so on, with or without
/// validation.
/// </para>
/// <para>
/// The file holds the parameters at the end of that epoch, as <see cref="ModelFile.Load{T}(INetwork{T}, string)"/>
/// reads them back, as a version 1 file without metadata (docs/format.md); not the optimizer's state, so training
/// resumed from a checkpoint starts a fresh optimizer.
/// Writing a file allocates (the encoded bytes, the file's handle), unlike the rest of the loop: only at the epochs
/// where a checkpoint is written. An error writing it (an <see cref="System.IO.IOException"/>, say) ends training
/// with that exception, the network keeping the parameters of the epoch just trained.
/// </para>
/// </remarks>
public sealed class Checkpoint
{
    /// <summary>
    /// The file to write, in a directory that exists when <see cref="Trainer.Fit{TNet, T}"/> starts. Each checkpoint
    /// replaces the last, unless the path holds <c>{epoch}</c>, which is replaced by the epoch's number (1-based,
    /// invariant culture) to keep one file per checkpoint: <c>"run/model-{epoch}.netgen"</c>.
    /// </summary>
    public required string Path { get; init; }

    /// <summary>
    /// 0 (the default) to write at every improvement of <see cref="Metric"/>; n of 1 or more to write after every n-th
    /// epoch instead.
    /// </summary>
    public int EveryEpochs { get; init; }

    /// <summary>
    /// The validation measure whose improvement writes a checkpoint when <see cref="EveryEpochs"/> is 0: the loss (the
    /// default), or one the task reports (see <see cref="ValidationMetric"/>). Unused otherwise.
    /// </summary>
    public ValidationMetric Metric { get; init; }
}
