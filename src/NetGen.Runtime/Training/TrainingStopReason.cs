namespace NetGen;

/// <summary>Why <see cref="Trainer.Fit{TNet, T}"/> ended: <see cref="TrainingHistory.StopReason"/>.</summary>
public enum TrainingStopReason
{
    /// <summary>Every one of <see cref="TrainingOptions{T}.Epochs"/> epochs ran.</summary>
    Completed,

    /// <summary><see cref="TrainingOptions{T}.EarlyStopping"/> saw no improvement for its patience and stopped.</summary>
    EarlyStopping,

    /// <summary>
    /// <see cref="TrainingOptions{T}.OnBatch"/> or <see cref="TrainingOptions{T}.OnEpoch"/> called
    /// <see cref="TrainingControl.Stop"/>.
    /// </summary>
    Requested,
}
