using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// How <see cref="SequenceTrainer.Fit{TNet, T}"/> trains a streaming model: epochs, mini-batches of windows,
/// shuffling, optimizer, validation, progress.
/// </summary>
/// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
public sealed class SequenceTrainingOptions<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of passes over the training windows, 1 or more. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>
    /// The number of windows per mini-batch, 1 or more. Default 16. The last batch of an epoch holds the windows left
    /// over, so it may be smaller; a batch size larger than the data means one batch per epoch.
    /// </summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>
    /// Whether to shuffle the order of the training windows at the start of every epoch (the steps within a window
    /// always stay in order). Default <see langword="true"/>.
    /// </summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// Fixes the shuffling: the same seed, data, options and starting parameters give bit-identical parameters on
    /// every run. Default 0.
    /// </summary>
    public int Seed { get; init; }

    /// <summary>
    /// The optimizer that steps the parameters from each batch's mean gradient, or <see langword="null"/> (the
    /// default) for plain SGD with <see cref="LearningRate"/>: <c>p -= learningRate * g</c>, which for a batch of one
    /// window is exactly <see cref="ISequenceNetwork{T}.TrainSequence"/>. Its state carries over from one
    /// <see cref="SequenceTrainer.Fit{TNet, T}"/> call to the next unless you call <see cref="IOptimizer{T}.Reset"/>.
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
    /// Windows to measure after every epoch, or <see langword="null"/> (the default) for none: the mean loss of
    /// <see cref="SequenceTrainer.Evaluate{TNet, T}"/>, and R² and the root mean squared error over every step of
    /// every window. Their windows may have another number of steps than the training windows'. Cut them from a
    /// stretch of the recording that the training windows do not cover (see
    /// <see cref="SequenceDataset{T}.FromRecording"/>).
    /// </summary>
    public SequenceDataset<T>? Validation { get; init; }

    /// <summary>
    /// Receives a <see cref="TrainingProgress"/> after every batch, on the training thread; the last report of an
    /// epoch carries that epoch's validation results. <see langword="null"/> (the default) for none. Note that
    /// <see cref="System.Progress{T}"/> posts each report to a synchronisation context, which allocates; an
    /// <see cref="IProgress{T}"/> of your own need not.
    /// </summary>
    public IProgress<TrainingProgress>? Progress { get; init; }
}
