using System;
using System.Collections.Generic;
using System.Numerics;

namespace NetGen;

/// <summary>
/// How <see cref="Trainer.Fit{TNet, T}"/> trains: epochs, mini-batches, shuffling, optimizer, learning-rate schedule,
/// validation, early stopping, checkpoints, class weights, progress and callbacks. Every option is checked when
/// <see cref="Trainer.Fit{TNet, T}"/> starts, before anything is changed (an
/// <see cref="ArgumentException"/> or <see cref="ArgumentOutOfRangeException"/> naming <c>options</c>).
/// </summary>
/// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
public sealed class TrainingOptions<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of passes over the training data, 1 or more. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>
    /// The number of samples per mini-batch, 1 or more. Default 32. The last batch of an epoch holds the samples
    /// left over, so it may be smaller; a batch size larger than the data means one batch per epoch.
    /// </summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// Whether to shuffle the training samples at the start of every epoch. Default <see langword="true"/>.
    /// </summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// Fixes the shuffling: the same seed, data, options and starting parameters give bit-identical parameters
    /// on every run. Default 0.
    /// </summary>
    public int Seed { get; init; }

    /// <summary>
    /// The optimizer that steps the parameters from each batch's mean gradient, or <see langword="null"/> (the
    /// default) for plain SGD with <see cref="LearningRate"/> through the network's <see cref="INetwork{T}.TrainBatch"/>.
    /// Its state carries over from one <see cref="Trainer.Fit{TNet, T}"/> call to the next unless you call
    /// <see cref="IOptimizer{T}.Reset"/>.
    /// </summary>
    public IOptimizer<T>? Optimizer { get; init; }

    /// <summary>The learning rate of plain SGD, used only when <see cref="Optimizer"/> is <see langword="null"/>. Default 0.01.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>
    /// Optional learning-rate schedule: called at the start of each epoch with the 1-based epoch number, and its
    /// result becomes the learning rate of that epoch (the optimizer's <see cref="IOptimizer{T}.LearningRate"/>, or
    /// plain SGD's). <see langword="null"/> (the default) keeps the rate fixed. <see cref="LearningRateSchedules"/> has
    /// the common ones (step, cosine, warm-up); for reduce-on-plateau see <see cref="ReduceLearningRateOnPlateau"/>.
    /// </summary>
    public Func<int, double>? LearningRateSchedule { get; init; }

    /// <summary>
    /// Data to measure after every epoch (mean loss, and the accuracy or R² and root mean squared error that fit
    /// <see cref="TaskKind"/>, see <see cref="Trainer.Evaluate{TNet, T}(TNet, Dataset{T})"/>), or
    /// <see langword="null"/> (the default) for none.
    /// </summary>
    public Dataset<T>? Validation { get; init; }

    /// <summary>
    /// Whether the network is a classifier or a regression, which decides what the history reports of
    /// <see cref="Validation"/> besides the loss. Default <see cref="TaskKind.Auto"/>: decided from the network's
    /// loss and the validation targets, once per <see cref="Trainer.Fit{TNet, T}"/> call.
    /// </summary>
    public TaskKind TaskKind { get; init; }

    /// <summary>
    /// Receives a <see cref="TrainingProgress"/> after every batch, on the training thread; the last report of an
    /// epoch carries that epoch's validation results. <see langword="null"/> (the default) for none. Note that
    /// <see cref="System.Progress{T}"/> does not run its handler there: it posts each report to the
    /// <see cref="System.Threading.SynchronizationContext"/> current when it was constructed (a UI thread's), or with
    /// none, as in a console app, to the thread pool, where handlers run later, possibly at once and out of order; and
    /// posting allocates. An <see cref="IProgress{T}"/> of your own is called synchronously and need not allocate;
    /// <see cref="OnBatch"/> and <see cref="OnEpoch"/> are called synchronously too, and can stop training.
    /// </summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>
    /// Stops training when a validation measure stops improving, and puts back the best epoch's parameters; see
    /// <see cref="NetGen.EarlyStopping"/>. Needs <see cref="Validation"/>. <see langword="null"/> (the default) for none.
    /// </summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>
    /// Writes the network to a file, atomically, at every improvement of a validation measure or every n epochs; see
    /// <see cref="NetGen.Checkpoint"/>. <see langword="null"/> (the default) for none.
    /// </summary>
    public Checkpoint? Checkpoint { get; init; }

    /// <summary>
    /// Divides the learning rate when a validation measure stops improving, as PyTorch's <c>ReduceLROnPlateau</c>;
    /// see <see cref="NetGen.ReduceLearningRateOnPlateau"/>. Needs <see cref="Validation"/>, and cannot be combined
    /// with <see cref="LearningRateSchedule"/>. <see langword="null"/> (the default) for none.
    /// </summary>
    public ReduceLearningRateOnPlateau? ReduceLearningRateOnPlateau { get; init; }

    /// <summary>
    /// One weight per class, for imbalanced data: each training sample's loss, and so its gradient, is multiplied by
    /// its class's weight, and a batch's loss is the weighted mean, divided by the sum of the batch's weights (as
    /// PyTorch's <c>CrossEntropyLoss(weight=w)</c> with <c>reduction='mean'</c> and class-index targets).
    /// <see langword="null"/> (the default) weighs every sample 1.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The training targets must then be class codes: one-hot rows, one weight per output; or, with one output
    /// (a binary classifier, <see cref="LossFunction.BinaryCrossEntropy"/>), 0 or 1, and two weights, for class 0 and
    /// class 1. Every weight must be finite and more than 0. The weights are read once, when training starts.
    /// </para>
    /// <para>
    /// For a softmax network with <see cref="LossFunction.CrossEntropy"/>, a batch's loss is
    /// <c>Σ w[y_n] · l_n / Σ w[y_n]</c>, with l_n the sample's cross-entropy, exactly PyTorch's weighted loss; for a
    /// sigmoid network with <see cref="LossFunction.BinaryCrossEntropy"/> it is the same sum, which is PyTorch's
    /// <c>CrossEntropyLoss(weight=[w0, w1])</c> on the logits <c>[0, z]</c>, or <c>BCELoss(weight=w[y],
    /// reduction='sum')</c> divided by <c>Σ w[y_n]</c> (PyTorch's <c>BCELoss(weight=...)</c> with
    /// <c>reduction='mean'</c> divides by the number of samples instead). The gradient is that of this loss, exactly:
    /// <see cref="Trainer.Fit{TNet, T}"/> runs <see cref="INetwork{T}.Backward"/> over each class's samples of the
    /// batch, scales their summed gradient by the class's weight, and divides the total by the sum of the weights.
    /// The training loss in the history is the weighted mean over the epoch; the validation measures are not weighted.
    /// </para>
    /// </remarks>
    public IReadOnlyList<double>? ClassWeights { get; init; }

    /// <summary>
    /// Called after every batch, on the training thread, synchronously, with the same <see cref="TrainingProgress"/>
    /// that <see cref="Progress"/> receives and just after it (so the epoch's last call carries its validation
    /// results), and a <see cref="TrainingControl"/> whose <see cref="TrainingControl.Stop"/> ends training.
    /// <see langword="null"/> (the default) for none.
    /// </summary>
    public Action<TrainingProgress, TrainingControl>? OnBatch { get; init; }

    /// <summary>
    /// Called once at the end of every epoch, on the training thread, synchronously, after the epoch's last
    /// <see cref="Progress"/> report and <see cref="OnBatch"/> call and with the same <see cref="TrainingProgress"/>
    /// (its validation results, learning rate and best epoch so far), once the early stopping, checkpoint and plateau
    /// rules have seen the epoch; <see cref="TrainingControl.Stop"/> ends training after it. <see langword="null"/>
    /// (the default) for none.
    /// </summary>
    public Action<TrainingProgress, TrainingControl>? OnEpoch { get; init; }

    /// <summary>A copy of these options with <see cref="Validation"/> and <see cref="Checkpoint"/> replaced: every other property as it is.</summary>
    internal TrainingOptions<T> WithValidation(Dataset<T>? validation, Checkpoint? checkpoint) => new()
    {
        Epochs = Epochs,
        BatchSize = BatchSize,
        Shuffle = Shuffle,
        Seed = Seed,
        Optimizer = Optimizer,
        LearningRate = LearningRate,
        LearningRateSchedule = LearningRateSchedule,
        Validation = validation,
        TaskKind = TaskKind,
        Progress = Progress,
        EarlyStopping = EarlyStopping,
        Checkpoint = checkpoint,
        ReduceLearningRateOnPlateau = ReduceLearningRateOnPlateau,
        ClassWeights = ClassWeights,
        OnBatch = OnBatch,
        OnEpoch = OnEpoch,
    };
}
