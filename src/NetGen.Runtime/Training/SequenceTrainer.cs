using System;
using System.Diagnostics;
using System.Numerics;
using System.Threading;

namespace NetGen;

/// <summary>
/// Trains and evaluates a streaming model (<see cref="ISequenceNetwork{T}"/>) on windows of a signal
/// (<see cref="SequenceDataset{T}"/>): epochs of shuffled mini-batches of windows, each window trained by
/// backpropagation through time from a zero state, an optimizer, validation after every epoch, progress and
/// cancellation. Buffers are allocated once per call; nothing is allocated per batch.
/// </summary>
/// <remarks>
/// <para>
/// This is truncated backpropagation through time: every window starts from a zero state, as
/// <see cref="ISequenceNetwork{T}.BackwardSequence"/> does, and its gradient flows back only within it. The state at
/// the end of one window is not carried into the next, because the windows of a batch, and of a shuffled epoch, are
/// not neighbours in time; a carried state would tie each window to the one trained before it, so that windows could
/// neither be shuffled nor batched, and its gradient would still stop at the window's start. Choose windows much
/// longer than the span of the model's memory, so that the first steps of a window, which start from zero rather than
/// from the true state, weigh little.
/// </para>
/// <para>
/// The loss of a window is the mean of its steps' losses (what <see cref="ISequenceNetwork{T}.BackwardSequence"/>
/// returns), and a batch's is the mean of its windows' losses: every window weighs the same.
/// </para>
/// </remarks>
public static class SequenceTrainer
{
    /// <summary>
    /// Trains <paramref name="network"/> on the windows of <paramref name="training"/> as <paramref name="options"/>
    /// say, starting from its current parameters.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Each epoch shuffles the order of the windows (Fisher–Yates over a <see cref="DeterministicRandom"/> seeded once
    /// per call with <see cref="SequenceTrainingOptions{T}.Seed"/>, as <see cref="Trainer.Fit{TNet, T}"/> shuffles
    /// samples) and walks them in mini-batches. Each batch is <see cref="INetwork{T}.ZeroGradients"/>, one
    /// <see cref="ISequenceNetwork{T}.BackwardSequence"/> per window (each from a zero state), the gradients scaled by
    /// 1/n for a batch of n windows, then <see cref="IOptimizer{T}.Step"/>, or without an optimizer the SGD step
    /// <c>p -= learningRate * g</c> (so a batch of one window is exactly
    /// <see cref="ISequenceNetwork{T}.TrainSequence"/>). The same seed, data, options and starting parameters give
    /// bit-identical parameters on every run.
    /// </para>
    /// <para>
    /// Cancellation is checked before every batch, so the parameters are always those after a whole number of
    /// batches. If a batch's loss or a gradient is not finite, <see cref="TrainingDivergedException"/> is thrown
    /// before the step; if a parameter after the step is not finite, the step is undone from a copy taken before it
    /// into a buffer allocated once, and the exception is thrown. Either way the parameters are those after the last
    /// finite step. (An optimizer's own state is not rolled back in that last case.) A NaN in the data shows in the
    /// loss, so it stops training at its batch.
    /// </para>
    /// <para>
    /// The history (48 bytes an epoch) grows as epochs complete, as <see cref="Trainer.Fit{TNet, T}"/>'s does: room
    /// for min(Epochs, 1,024) epochs at the start, copied into one twice as large (at most Epochs) when full, so a
    /// large <see cref="SequenceTrainingOptions{T}.Epochs"/>, even <see cref="int.MaxValue"/>, costs nothing up front
    /// and can be stopped with <paramref name="cancellationToken"/>. Besides the history, a call allocates a state,
    /// the window order, the copy of the parameters and, with validation, room for every validation output, and
    /// nothing per batch or epoch (the network's own record of a sequence's steps grows on the first, longest
    /// window it meets).
    /// </para>
    /// </remarks>
    /// <typeparam name="TNet">The network's type.</typeparam>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="network">The network to train; its parameters are updated in place and its gradients overwritten.</param>
    /// <param name="training">The training windows, shaped for the network.</param>
    /// <param name="options">Epochs, batch size, seed, optimizer, validation and progress.</param>
    /// <param name="cancellationToken">Stops training between two batches.</param>
    /// <returns>
    /// One entry per epoch: training loss, the mean of the windows' losses, each taken before its batch's step; with
    /// validation, its loss (<see cref="Evaluate{TNet, T}"/>), R² and root mean squared error over every step, with
    /// the accuracy NaN; times.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The data does not fit the network, the training set is empty, or the optimizer was built for another number
    /// of parameters.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The epochs, batch size or learning rate (given or from the schedule) are out of range.
    /// </exception>
    /// <exception cref="NotSupportedException">
    /// There is a validation set but the network's loss is not the mean squared error (see <see cref="Evaluate{TNet, T}"/>).
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">A batch loss, a gradient or a parameter became NaN or infinite.</exception>
    public static TrainingHistory Fit<TNet, T>(
        TNet network, SequenceDataset<T> training, SequenceTrainingOptions<T> options, CancellationToken cancellationToken = default)
        where TNet : ISequenceNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        CheckShape(network, training, nameof(training));
        if (training.Count == 0)
        {
            throw new ArgumentException("The training set has no windows.", nameof(training));
        }

        SequenceDataset<T>? validation = options.Validation;
        if (validation is not null)
        {
            CheckShape(network, validation, nameof(options));
            CheckMeanSquaredError<TNet, T>(network);
        }

        int parameterCount = network.Parameters.Length;
        IOptimizer<T>? optimizer = options.Optimizer;
        Trainer.CheckLoop(options.Epochs, options.BatchSize, optimizer, parameterCount, nameof(options));

        T learningRate = Trainer.CheckedLearningRate<T>(options.LearningRate);
        cancellationToken.ThrowIfCancellationRequested();

        // Everything the loop needs, allocated once for this call.
        int windowCount = training.Count;
        int batchSize = Math.Min(options.BatchSize, windowCount);
        int batchCount = Trainer.BatchCount(windowCount, batchSize);
        int[] order = new int[windowCount];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        T[] snapshot = new T[parameterCount];
        ISequenceState? state = validation is null ? null : network.CreateState();
        T[] predictions = validation is null ? [] : new T[(long)validation.Count * validation.Steps * validation.OutputCount];
        var epochs = new TrainingEpoch[Math.Min(options.Epochs, Trainer.InitialHistoryCapacity)];
        var random = new DeterministicRandom(options.Seed);
        long start = Stopwatch.GetTimestamp();
        double validationLoss = double.NaN, validationRSquared = double.NaN, validationError = double.NaN;

        // Ends after epoch Epochs: a test of epoch <= Epochs would never fail for Epochs = int.MaxValue.
        for (int epoch = 1; ; epoch++)
        {
            long epochStart = Stopwatch.GetTimestamp();
            double rate;
            if (options.LearningRateSchedule is { } schedule)
            {
                rate = schedule(epoch);
                learningRate = Trainer.CheckedLearningRate<T>(rate);
                if (optimizer is not null)
                {
                    optimizer.LearningRate = rate;
                }
            }
            else
            {
                rate = optimizer?.LearningRate ?? options.LearningRate;
            }

            if (options.Shuffle)
            {
                Shuffling.Shuffle(order, ref random);
            }

            double lossSum = 0;
            int seen = 0;
            for (int batch = 0; batch < batchCount; batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int first = batch * batchSize;
                int size = Math.Min(batchSize, windowCount - first);

                // The batch's mean gradient, checked before the step, so that neither the parameters nor the
                // optimizer's state see a NaN.
                network.ZeroGradients();
                double batchSum = 0;
                for (int s = first; s < first + size; s++)
                {
                    int window = order[s];
                    batchSum += double.CreateChecked(network.BackwardSequence(training.Inputs(window), training.Targets(window)));
                }

                Span<T> gradients = network.Gradients;
                if (size > 1)
                {
                    T inverse = T.One / T.CreateChecked(size);
                    for (int i = 0; i < gradients.Length; i++)
                    {
                        gradients[i] *= inverse;
                    }
                }

                double loss = batchSum / size;
                if (!double.IsFinite(loss) || !Trainer.AllFinite<T>(gradients))
                {
                    throw new TrainingDivergedException(epoch, batch + 1, loss);
                }

                Span<T> parameters = network.Parameters;
                parameters.CopyTo(snapshot);
                if (optimizer is null)
                {
                    Sgd.Step<T>(parameters, gradients, learningRate);
                }
                else
                {
                    optimizer.Step(parameters, gradients);
                }

                if (!Trainer.AllFinite<T>(parameters))
                {
                    snapshot.CopyTo(parameters);
                    throw new TrainingDivergedException(epoch, batch + 1, loss);
                }

                lossSum += batchSum;
                seen += size;
                if (batch + 1 < batchCount)
                {
                    options.Progress?.Report(new TrainingProgress(
                        epoch, options.Epochs, batch + 1, batchCount, lossSum / seen, validationLoss, double.NaN, Stopwatch.GetElapsedTime(start))
                    {
                        ValidationRSquared = validationRSquared,
                        ValidationRootMeanSquaredError = validationError,
                        LearningRate = rate,
                    });
                }
            }

            if (validation is not null)
            {
                validationLoss = double.CreateChecked(MeanLoss(network, validation, state!, predictions, keepAll: true));
                if (validation.Count > 0)
                {
                    validationRSquared = Metrics.RSquared<T>(validation.AllTargets, predictions, validation.OutputCount);
                    validationError = Metrics.RootMeanSquaredError<T>(validation.AllTargets, predictions, validation.OutputCount);
                }
            }

            long now = Stopwatch.GetTimestamp();
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start, now);
            if (epoch > epochs.Length)
            {
                // Twice as large, at most Epochs; past Array.MaxLength entries the allocation itself throws.
                Array.Resize(ref epochs, (int)Math.Min(2L * epochs.Length, options.Epochs));
            }

            epochs[epoch - 1] = new TrainingEpoch(
                epoch, lossSum / seen, validationLoss, double.NaN, Stopwatch.GetElapsedTime(epochStart, now), elapsed)
            {
                ValidationRSquared = validationRSquared,
                ValidationRootMeanSquaredError = validationError,
                LearningRate = rate,
            };
            options.Progress?.Report(new TrainingProgress(
                epoch, options.Epochs, batchCount, batchCount, lossSum / seen, validationLoss, double.NaN, elapsed)
            {
                ValidationRSquared = validationRSquared,
                ValidationRootMeanSquaredError = validationError,
                LearningRate = rate,
            });
            if (epoch == options.Epochs)
            {
                break;
            }
        }

        return new TrainingHistory(epochs);
    }

    /// <summary>
    /// The mean loss of <paramref name="network"/> over the windows of <paramref name="data"/>: for each window, the
    /// mean of its steps' losses from a zero state, the value <see cref="ISequenceNetwork{T}.BackwardSequence"/>
    /// returns for it, bit for bit; then the mean over the windows, summed in <see cref="double"/> and rounded to
    /// <typeparamref name="T"/>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// It runs <see cref="ISequenceNetwork{T}.ForwardSequence"/> over each window from a state of its own, reset
    /// before every window, and computes each step's loss from the outputs: so it reads the parameters only, and
    /// never touches <see cref="INetwork{T}.Gradients"/>. Like <c>ForwardSequence</c>, it may run on many threads at
    /// once, but not beside a member that writes the parameters.
    /// </para>
    /// <para>
    /// Only the mean squared error can be computed from the outputs exactly as the network's own code computes it
    /// (<see cref="Losses.MeanSquaredError{T}"/> of each step's output): a streaming model computes the
    /// cross-entropies from the last layer's logits, which the outputs do not carry, and from the probabilities they
    /// would differ, greatly where an output rounds to 0 or 1. So the network's loss, as its
    /// <see cref="INetwork{T}.Topology"/> names it, must be the mean squared error.
    /// </para>
    /// </remarks>
    /// <typeparam name="TNet">The network's type.</typeparam>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="network">The network; it is not changed.</param>
    /// <param name="data">The windows, shaped for the network.</param>
    /// <returns>The mean loss; NaN for a dataset of no windows.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The data does not fit the network.</exception>
    /// <exception cref="NotSupportedException">The network's loss is not the mean squared error.</exception>
    public static T Evaluate<TNet, T>(TNet network, SequenceDataset<T> data)
        where TNet : ISequenceNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(network, data, nameof(data));
        CheckMeanSquaredError<TNet, T>(network);
        if (data.Count == 0)
        {
            return T.NaN;
        }

        return MeanLoss(network, data, network.CreateState(), new T[data.Steps * data.OutputCount], keepAll: false);
    }

    /// <summary>
    /// The mean over the windows of each window's mean step loss, from ForwardSequence on <paramref name="state"/>
    /// reset before each window. <paramref name="outputs"/> holds one window's outputs, or with
    /// <paramref name="keepAll"/> every window's, one after another.
    /// </summary>
    private static T MeanLoss<TNet, T>(TNet network, SequenceDataset<T> data, ISequenceState state, Span<T> outputs, bool keepAll)
        where TNet : ISequenceNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.Count == 0)
        {
            return T.NaN;
        }

        int steps = data.Steps, outputCount = data.OutputCount, perWindow = steps * outputCount;
        T stepCount = T.CreateChecked(steps);
        double total = 0;
        for (int w = 0; w < data.Count; w++)
        {
            Span<T> windowOutputs = keepAll ? outputs.Slice(w * perWindow, perWindow) : outputs;
            ReadOnlySpan<T> targets = data.Targets(w);
            state.Reset();
            network.ForwardSequence(data.Inputs(w), windowOutputs, state);

            // As the generated BackwardSequence sums it: each step's loss added in T, then divided by the steps.
            T loss = T.Zero;
            for (int t = 0; t < steps; t++)
            {
                loss += Losses.MeanSquaredError<T>(windowOutputs.Slice(t * outputCount, outputCount), targets.Slice(t * outputCount, outputCount));
            }

            total += double.CreateChecked(loss / stepCount);
        }

        return T.CreateChecked(total / data.Count);
    }

    private static void CheckMeanSquaredError<TNet, T>(TNet network)
        where TNet : ISequenceNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!NetworkTopology.TryParse(network.Topology, out NetworkTopology? topology) || topology.Loss != LossFunction.MeanSquaredError)
        {
            throw new NotSupportedException(
                $"Evaluating windows needs a network trained on the mean squared error, whose step losses its outputs give exactly; this network's topology is \"{network.Topology}\". A cross-entropy is computed from logits, which the outputs do not carry.");
        }
    }

    private static void CheckShape<TNet, T>(TNet network, SequenceDataset<T> data, string parameterName)
        where TNet : ISequenceNetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.InputCount != network.InputCount || data.OutputCount != network.OutputCount)
        {
            throw new ArgumentException(
                $"The windows have {data.InputCount} inputs and {data.OutputCount} targets per step, but the network takes {network.InputCount} inputs and gives {network.OutputCount} outputs.",
                parameterName);
        }
    }
}
