namespace NetGen;

/// <summary>
/// Stops <see cref="Trainer.Fit{TNet, T}"/> once a validation measure has not improved for <see cref="Patience"/>
/// epochs in a row, and (by default) puts back the parameters of the best epoch. Set through
/// <see cref="TrainingOptions{T}.EarlyStopping"/>; it needs <see cref="TrainingOptions{T}.Validation"/>.
/// </summary>
/// <remarks>
/// <para>
/// After every epoch's validation, the epoch <em>improves</em> when its <see cref="Metric"/> is better than the best
/// so far by more than <see cref="MinDelta"/>: for a measure where lower is better, <c>value &lt; best - MinDelta</c>;
/// where higher is better, <c>value &gt; best + MinDelta</c>. The first epoch with a number (not NaN) always improves;
/// NaN never does. An improving epoch becomes the best epoch, and the count of epochs without improvement starts
/// again from 0; otherwise the count goes up by one, and when it reaches <see cref="Patience"/> training stops after
/// that epoch. So with the best epoch b, training stops after epoch b + Patience, unless Epochs comes first. (This is
/// the rule of Keras's <c>EarlyStopping</c> and PyTorch Lightning's, for a patience of 1 or more.)
/// </para>
/// <para>
/// The best epoch's parameters are copied, whenever an epoch improves, into a buffer allocated once per
/// <see cref="Trainer.Fit{TNet, T}"/> call, and with <see cref="RestoreBestParameters"/> copied back when training
/// ends without an exception: whether it stops early, runs all its epochs, or a callback stops it. They are then
/// bit for bit the parameters a run of exactly <see cref="TrainingHistory.BestEpoch"/> epochs with the same options
/// ends with. The optimizer's state is not restored: it is that of the last step taken.
/// </para>
/// </remarks>
public sealed class EarlyStopping
{
    /// <summary>
    /// The number of epochs in a row without improvement after which training stops: 1 or more. Default 5.
    /// </summary>
    public int Patience { get; init; } = 5;

    /// <summary>
    /// How much better than the best so far an epoch's measure must be to count as an improvement, in the measure's
    /// own units: a finite number of at least 0. Default 0 (any improvement counts).
    /// </summary>
    public double MinDelta { get; init; }

    /// <summary>
    /// The validation measure watched: <see cref="ValidationMetric.Loss"/> (the default) for any network, or one the
    /// task reports (<see cref="ValidationMetric.Accuracy"/> for a classification, <see cref="ValidationMetric.RSquared"/>
    /// or <see cref="ValidationMetric.RootMeanSquaredError"/> for a regression).
    /// </summary>
    public ValidationMetric Metric { get; init; }

    /// <summary>
    /// Whether to put the best epoch's parameters back when training ends. Default <see langword="true"/>; with
    /// <see langword="false"/> the network keeps the parameters of the last batch trained.
    /// </summary>
    public bool RestoreBestParameters { get; init; } = true;
}
