using System;
using System.Numerics;

namespace NetGen;

/// <summary>How <see cref="Trainer.Fit{TNet, T}"/> trains: epochs, mini-batches, shuffling, optimizer, validation, progress.</summary>
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
    /// plain SGD's). <see langword="null"/> (the default) keeps the rate fixed.
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
    /// <see cref="System.Progress{T}"/> posts each report to a synchronisation context, which allocates; an
    /// <see cref="IProgress{T}"/> of your own need not.
    /// </summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>A copy of these options with <see cref="Validation"/> replaced: every other property as it is.</summary>
    internal TrainingOptions<T> WithValidation(Dataset<T>? validation) => new()
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
    };
}
