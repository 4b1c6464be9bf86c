using System;
using System.Diagnostics;
using System.Numerics;
using System.Threading;

namespace NetGen;

/// <summary>
/// Trains and evaluates any <see cref="INetwork{T}"/> on a <see cref="Dataset{T}"/>: epochs of shuffled
/// mini-batches, an optimizer, validation after every epoch, progress and cancellation. Buffers are allocated once
/// per call; nothing is allocated per batch.
/// </summary>
public static partial class Trainer
{
    /// <summary>The number of epochs the history has room for at the start, when Epochs is larger.</summary>
    internal const int InitialHistoryCapacity = 1024;

    /// <summary>
    /// Trains <paramref name="network"/> on <paramref name="training"/> as <paramref name="options"/> say, starting
    /// from its current parameters.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Each epoch shuffles the samples (Fisher–Yates over a <see cref="DeterministicRandom"/> seeded once per call
    /// with <see cref="TrainingOptions{T}.Seed"/>) and walks them in mini-batches. Without an optimizer each batch is
    /// one <see cref="INetwork{T}.TrainBatch"/>; with one it is <see cref="INetwork{T}.ZeroGradients"/>, one
    /// <see cref="INetwork{T}.Backward"/> per sample, the gradients scaled by 1/n, then
    /// <see cref="IOptimizer{T}.Step"/>. The same seed, data, options and starting parameters give bit-identical
    /// parameters on every run.
    /// </para>
    /// <para>
    /// Cancellation is checked before every batch, so the parameters are always those after a whole number of
    /// batches. If a batch's loss, a gradient (with an optimizer, checked before its step) or a parameter after the
    /// step is not finite, <see cref="TrainingDivergedException"/> is thrown and the parameters are those after the
    /// last finite step: a step that made them non-finite is undone from a copy taken before each step into a buffer
    /// allocated once. (An optimizer's own state is not rolled back in that last case.)
    /// </para>
    /// <para>
    /// The history (48 bytes an epoch) grows as epochs complete, so a large <see cref="TrainingOptions{T}.Epochs"/>,
    /// even <see cref="int.MaxValue"/>, costs nothing up front and can be stopped with
    /// <paramref name="cancellationToken"/>: it has room for min(Epochs, 1,024) epochs at the start and, when full,
    /// is copied into one twice as large (at most Epochs). Up to 1,024 epochs it is therefore allocated once, at its
    /// full size; past that its growth costs at most twice its final size.
    /// </para>
    /// </remarks>
    /// <typeparam name="TNet">The network's type.</typeparam>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="network">The network to train; its parameters are updated in place.</param>
    /// <param name="training">The training samples, shaped for the network.</param>
    /// <param name="options">Epochs, batch size, seed, optimizer, validation and progress.</param>
    /// <param name="cancellationToken">Stops training between two batches.</param>
    /// <returns>
    /// One entry per epoch: training loss; validation loss and, as <see cref="TrainingOptions{T}.TaskKind"/> decides,
    /// accuracy or R² and root mean squared error; times.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The data does not fit the network, the training set is empty, or the optimizer was built for another number
    /// of parameters.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The epochs, batch size, learning rate (given or from the schedule) or task kind are out of range.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">A batch loss or a parameter became NaN or infinite.</exception>
    public static TrainingHistory Fit<TNet, T>(TNet network, Dataset<T> training, TrainingOptions<T> options, CancellationToken cancellationToken = default)
        where TNet : INetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        CheckShape(network, training, nameof(training));
        if (training.Count == 0)
        {
            throw new ArgumentException("The training set is empty.", nameof(training));
        }

        if (options.Validation is not null)
        {
            CheckShape(network, options.Validation, nameof(options));
        }

        int parameterCount = network.Parameters.Length;
        IOptimizer<T>? optimizer = options.Optimizer;
        CheckLoop(options.Epochs, options.BatchSize, optimizer, parameterCount, nameof(options));

        T learningRate = CheckedLearningRate<T>(options.LearningRate);
        Evaluation.Check(options.TaskKind, nameof(options));
        cancellationToken.ThrowIfCancellationRequested();

        // Everything the loop needs, allocated once for this call.
        int inputCount = training.InputCount, outputCount = training.OutputCount;
        int sampleCount = training.Count;
        int batchSize = Math.Min(options.BatchSize, sampleCount);
        int batchCount = BatchCount(sampleCount, batchSize);
        int[] order = new int[sampleCount];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        T[] batchInputs = new T[batchSize * inputCount];
        T[] batchTargets = new T[batchSize * outputCount];
        T[] snapshot = new T[parameterCount];
        T[] output = new T[outputCount];
        TaskKind validationTask = options.Validation is { } validationData
            ? Evaluation.Resolve(options.TaskKind, network, validationData)
            : TaskKind.Auto;
        T[] predictions = validationTask == TaskKind.Regression ? new T[options.Validation!.Count * outputCount] : [];
        var epochs = new TrainingEpoch[Math.Min(options.Epochs, InitialHistoryCapacity)];
        var random = new DeterministicRandom(options.Seed);
        long start = Stopwatch.GetTimestamp();
        EvaluationResult validated = Evaluation.None;

        // Ends after epoch Epochs: a test of epoch <= Epochs would never fail for Epochs = int.MaxValue.
        for (int epoch = 1; ; epoch++)
        {
            long epochStart = Stopwatch.GetTimestamp();
            if (options.LearningRateSchedule is { } schedule)
            {
                double rate = schedule(epoch);
                learningRate = CheckedLearningRate<T>(rate);
                if (optimizer is not null)
                {
                    optimizer.LearningRate = rate;
                }
            }

            if (options.Shuffle)
            {
                Shuffling.Shuffle(order, ref random);
            }

            ReadOnlySpan<T> inputs = training.Inputs.Span;
            ReadOnlySpan<T> targets = training.Targets.Span;
            double lossSum = 0;
            int seen = 0;
            for (int batch = 0; batch < batchCount; batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int first = batch * batchSize;
                int size = Math.Min(batchSize, sampleCount - first);
                for (int s = 0; s < size; s++)
                {
                    int sample = order[first + s];
                    inputs.Slice(sample * inputCount, inputCount).CopyTo(batchInputs.AsSpan(s * inputCount));
                    targets.Slice(sample * outputCount, outputCount).CopyTo(batchTargets.AsSpan(s * outputCount));
                }

                Span<T> parameters = network.Parameters;
                ReadOnlySpan<T> batchIn = batchInputs.AsSpan(0, size * inputCount);
                ReadOnlySpan<T> batchOut = batchTargets.AsSpan(0, size * outputCount);
                T loss;
                if (optimizer is null)
                {
                    parameters.CopyTo(snapshot);
                    loss = network.TrainBatch(batchIn, batchOut, learningRate);
                }
                else
                {
                    // Check before stepping, so that neither the parameters nor the optimizer's state see a NaN.
                    loss = MeanGradient(network, batchIn, batchOut, size, inputCount, outputCount);
                    if (!T.IsFinite(loss) || !AllFinite<T>(network.Gradients))
                    {
                        throw new TrainingDivergedException(epoch, batch + 1, double.CreateChecked(loss));
                    }

                    parameters.CopyTo(snapshot);
                    optimizer.Step(parameters, network.Gradients);
                }

                if (!T.IsFinite(loss) || !AllFinite<T>(parameters))
                {
                    snapshot.CopyTo(parameters);
                    throw new TrainingDivergedException(epoch, batch + 1, double.CreateChecked(loss));
                }

                lossSum += double.CreateChecked(loss) * size;
                seen += size;
                if (batch + 1 < batchCount)
                {
                    options.Progress?.Report(new TrainingProgress(
                        epoch, options.Epochs, batch + 1, batchCount, lossSum / seen, validated.Loss, validated.Accuracy, Stopwatch.GetElapsedTime(start))
                    {
                        ValidationRSquared = validated.RSquared,
                        ValidationRootMeanSquaredError = validated.RootMeanSquaredError,
                    });
                }
            }

            if (options.Validation is { } validation)
            {
                validated = Evaluation.Measure(network, validation, validationTask, output, predictions);
            }

            long now = Stopwatch.GetTimestamp();
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start, now);
            if (epoch > epochs.Length)
            {
                // Twice as large, at most Epochs; past Array.MaxLength entries the allocation itself throws.
                Array.Resize(ref epochs, (int)Math.Min(2L * epochs.Length, options.Epochs));
            }

            epochs[epoch - 1] = new TrainingEpoch(
                epoch, lossSum / seen, validated.Loss, validated.Accuracy, Stopwatch.GetElapsedTime(epochStart, now), elapsed)
            {
                ValidationRSquared = validated.RSquared,
                ValidationRootMeanSquaredError = validated.RootMeanSquaredError,
            };
            options.Progress?.Report(new TrainingProgress(
                epoch, options.Epochs, batchCount, batchCount, lossSum / seen, validated.Loss, validated.Accuracy, elapsed)
            {
                ValidationRSquared = validated.RSquared,
                ValidationRootMeanSquaredError = validated.RootMeanSquaredError,
            });
            if (epoch == options.Epochs)
            {
                break;
            }
        }

        return new TrainingHistory(epochs);
    }

    /// <summary>
    /// The mean loss of <paramref name="network"/> over <paramref name="data"/>, and the measures that fit its task,
    /// decided as <see cref="TaskKind.Auto"/> says: for a classifier the accuracy, the share of samples whose output's
    /// largest value is at the same index as the target's (with one output: whose output and target are on the same
    /// side of 0.5, see <see cref="IsCorrect{T}"/>); for a regression R² and the root mean squared error, with the
    /// accuracy NaN.
    /// </summary>
    /// <typeparam name="TNet">The network's type.</typeparam>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="network">The network; it is not changed.</param>
    /// <param name="data">The samples, shaped for the network.</param>
    /// <returns>The mean loss and the task's measures; all NaN for an empty dataset.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The data does not fit the network.</exception>
    public static EvaluationResult Evaluate<TNet, T>(TNet network, Dataset<T> data)
        where TNet : INetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T> => Evaluate(network, data, TaskKind.Auto);

    /// <summary>
    /// The mean loss of <paramref name="network"/> over <paramref name="data"/>, and the measures of
    /// <paramref name="taskKind"/>: see <see cref="Evaluate{TNet, T}(TNet, Dataset{T})"/>.
    /// </summary>
    /// <typeparam name="TNet">The network's type.</typeparam>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="network">The network; it is not changed.</param>
    /// <param name="data">The samples, shaped for the network.</param>
    /// <param name="taskKind">Classification, regression, or <see cref="TaskKind.Auto"/> to decide from the network and the data.</param>
    /// <returns>The mean loss and the task's measures; all NaN for an empty dataset.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The data does not fit the network.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="taskKind"/> is not a member of <see cref="TaskKind"/>.</exception>
    public static EvaluationResult Evaluate<TNet, T>(TNet network, Dataset<T> data, TaskKind taskKind)
        where TNet : INetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(network, data, nameof(data));
        Evaluation.Check(taskKind, nameof(taskKind));
        TaskKind task = Evaluation.Resolve(taskKind, network, data);
        T[] predictions = task == TaskKind.Regression ? new T[data.Count * data.OutputCount] : [];
        return Evaluation.Measure(network, data, task, new T[data.OutputCount], predictions);
    }

    /// <summary>
    /// Whether one output counts as a correct prediction of its target, as <see cref="Evaluate{TNet, T}(TNet, Dataset{T})"/>
    /// defines it for a classifier: with one value, output and target on the same side of 0.5; with several, the
    /// largest at the same index (<see cref="Metrics.ClassOf{T}"/> of both).
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    public static bool IsCorrect<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.Length(target.Length, output.Length, nameof(target));
        if (output.Length == 1)
        {
            T half = T.CreateChecked(0.5);
            return (output[0] >= half) == (target[0] >= half);
        }

        return OneHot.Decode(output) == OneHot.Decode(target);
    }

    /// <summary>The number of batches of an epoch: <paramref name="samples"/> / <paramref name="batchSize"/>, rounded up.</summary>
    /// <remarks>Not <c>(samples + batchSize - 1) / batchSize</c>, whose sum wraps past <see cref="int.MaxValue"/>.</remarks>
    internal static int BatchCount(int samples, int batchSize) => (samples / batchSize) + (samples % batchSize == 0 ? 0 : 1);

    /// <summary>ZeroGradients, Backward per sample, gradients scaled by 1/n: leaves the batch's mean gradient in Gradients.</summary>
    private static T MeanGradient<TNet, T>(TNet network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int size, int inputCount, int outputCount)
        where TNet : INetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.ZeroGradients();
        T total = T.Zero;
        for (int s = 0; s < size; s++)
        {
            total += network.Backward(inputs.Slice(s * inputCount, inputCount), targets.Slice(s * outputCount, outputCount));
        }

        T inverse = T.One / T.CreateChecked(size);
        Span<T> gradients = network.Gradients;
        for (int i = 0; i < gradients.Length; i++)
        {
            gradients[i] *= inverse;
        }

        return total / T.CreateChecked(size);
    }

    /// <summary>Whether every value is finite (neither NaN nor infinite).</summary>
    internal static bool AllFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The checks every training loop makes of its options, with one message each: Fit's and SequenceTrainer.Fit's.
    /// </summary>
    internal static void CheckLoop<T>(int epochs, int batchSize, IOptimizer<T>? optimizer, int parameterCount, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (epochs < 1)
        {
            throw new ArgumentOutOfRangeException(name, epochs, "The number of epochs must be at least 1.");
        }

        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(name, batchSize, "The batch size must be at least 1.");
        }

        if (optimizer is not null && optimizer.ParameterCount != parameterCount)
        {
            throw new ArgumentException(
                $"The optimizer was built for {optimizer.ParameterCount} parameters, but the network has {parameterCount}.", name);
        }
    }

    /// <summary>The learning rate as a <typeparamref name="T"/>; throws unless it is finite and at least 0.</summary>
    internal static T CheckedLearningRate<T>(double rate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!double.IsFinite(rate) || rate < 0)
        {
            throw new ArgumentOutOfRangeException("options", rate, "The learning rate must be a finite number of at least 0.");
        }

        return T.CreateChecked(rate);
    }

    private static void CheckShape<TNet, T>(TNet network, Dataset<T> data, string parameterName)
        where TNet : INetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.InputCount != network.InputCount || data.OutputCount != network.OutputCount)
        {
            throw new ArgumentException(
                $"The data has {data.InputCount} inputs and {data.OutputCount} targets per sample, but the network takes {network.InputCount} inputs and gives {network.OutputCount} outputs.",
                parameterName);
        }
    }
}
