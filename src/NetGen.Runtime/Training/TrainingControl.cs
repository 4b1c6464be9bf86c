namespace NetGen;

/// <summary>
/// Handed to <see cref="TrainingOptions{T}.OnBatch"/> and <see cref="TrainingOptions{T}.OnEpoch"/> with every call,
/// to ask <see cref="Trainer.Fit{TNet, T}"/> to stop. One instance per <see cref="Trainer.Fit{TNet, T}"/> call.
/// </summary>
public sealed class TrainingControl
{
    internal TrainingControl()
    {
    }

    /// <summary>Whether <see cref="Stop"/> has been called during this training run.</summary>
    public bool IsStopRequested { get; private set; }

    /// <summary>
    /// Ends training once the callback returns: after the batch just trained, or (called at an epoch's end, from
    /// <see cref="TrainingOptions{T}.OnEpoch"/> or the epoch's last <see cref="TrainingOptions{T}.OnBatch"/>) after
    /// that epoch, which the history then holds. A batch in the middle of an epoch ends it: that partial epoch is not
    /// in the history, and the parameters are those after the batch (unless
    /// <see cref="EarlyStopping.RestoreBestParameters"/> puts back the best epoch's). <see cref="Trainer.Fit{TNet, T}"/>
    /// then returns normally, with <see cref="TrainingHistory.StopReason"/> <see cref="TrainingStopReason.Requested"/>.
    /// </summary>
    public void Stop() => IsStopRequested = true;
}
