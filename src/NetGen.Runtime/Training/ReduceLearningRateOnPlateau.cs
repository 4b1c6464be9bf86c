namespace NetGen;

/// <summary>How <see cref="ReduceLearningRateOnPlateau.Threshold"/> is measured, as PyTorch's <c>threshold_mode</c>.</summary>
public enum PlateauThresholdMode
{
    /// <summary>
    /// <c>'rel'</c>: better means below <c>best * (1 - Threshold)</c> (lower is better) or above
    /// <c>best * (1 + Threshold)</c> (higher is better).
    /// </summary>
    Relative,

    /// <summary><c>'abs'</c>: better means below <c>best - Threshold</c> or above <c>best + Threshold</c>.</summary>
    Absolute,
}

/// <summary>
/// Divides the learning rate when a validation measure stops improving, as PyTorch's
/// <c>torch.optim.lr_scheduler.ReduceLROnPlateau</c> does (same parameters, same defaults, same rule), stepped once
/// after every epoch's validation. Set through <see cref="TrainingOptions{T}.ReduceLearningRateOnPlateau"/>; it needs
/// <see cref="TrainingOptions{T}.Validation"/>, and cannot be combined with
/// <see cref="TrainingOptions{T}.LearningRateSchedule"/>.
/// </summary>
/// <remarks>
/// <para>
/// The rate starts as the optimizer's <see cref="IOptimizer{T}.LearningRate"/> (or, without an optimizer,
/// <see cref="TrainingOptions{T}.LearningRate"/>). After each epoch: if the measure is better than the best so far
/// (see <see cref="ThresholdMode"/>; the best starts at +∞, or −∞ for a measure where higher is better), it becomes
/// the best and the count of bad epochs is set to 0, otherwise the count goes up by one; during a cool-down (the
/// <see cref="Cooldown"/> epochs after a reduction) the cool-down counter goes down by one and the count is set to 0;
/// then, if the count exceeds <see cref="Patience"/>, the rate becomes
/// <c>max(rate * Factor, MinLearningRate)</c> (only if that lowers it by more than <see cref="Epsilon"/>), the
/// cool-down starts and the count is set to 0. A reduced rate applies from the next epoch on, and the optimizer keeps
/// it after training, as PyTorch's optimizer does.
/// </para>
/// <para>
/// So with the default Patience of 10, the rate falls after the 11th epoch in a row without improvement. The mode
/// (PyTorch's <c>'min'</c> or <c>'max'</c>) follows from <see cref="Metric"/>.
/// </para>
/// </remarks>
public sealed class ReduceLearningRateOnPlateau
{
    /// <summary>The validation measure watched: the loss (the default), or one the task reports (see <see cref="ValidationMetric"/>).</summary>
    public ValidationMetric Metric { get; init; }

    /// <summary>The factor the rate is multiplied by at a reduction: more than 0 and less than 1. Default 0.1.</summary>
    public double Factor { get; init; } = 0.1;

    /// <summary>The number of bad epochs tolerated: the rate falls when more than this many come in a row. 0 or more; default 10.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>How much better a measure must be to count as better, as <see cref="ThresholdMode"/> says: finite, at least 0. Default 1e-4.</summary>
    public double Threshold { get; init; } = 1e-4;

    /// <summary>Whether <see cref="Threshold"/> is relative to the best (the default) or absolute.</summary>
    public PlateauThresholdMode ThresholdMode { get; init; }

    /// <summary>The number of epochs after a reduction during which bad epochs are not counted: 0 or more; default 0.</summary>
    public int Cooldown { get; init; }

    /// <summary>The rate never falls below this: finite, at least 0. Default 0.</summary>
    public double MinLearningRate { get; init; }

    /// <summary>A reduction smaller than this is skipped: finite, at least 0. Default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;
}
