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
    /// <see cref="IOptimizer{T}.Step"/>; with <see cref="TrainingOptions{T}.ClassWeights"/> it is the class-weighted mean
    /// gradient described there, then the optimizer's step or plain SGD's <c>p -= lr * g</c>. The same seed, data,
    /// options and starting parameters give bit-identical parameters on every run.
    /// </para>
    /// <para>
    /// Cancellation is checked before every batch, so the parameters are always those after a whole number of
    /// batches. If a batch's loss, a gradient (with an optimizer, checked before its step) or a parameter after the
    /// step is not finite, <see cref="TrainingDivergedException"/> is thrown and the parameters are those after the
    /// last finite step: a step that made them non-finite is undone from a copy taken before each step into a buffer
    /// allocated once. (An optimizer's own state is not rolled back in that last case.)
    /// </para>
    /// <para>
    /// After each epoch's validation, in this order: the history entry; <see cref="TrainingOptions{T}.EarlyStopping"/>
    /// (is this the best epoch, has patience run out); <see cref="TrainingOptions{T}.Checkpoint"/> (is a file due);
    /// <see cref="TrainingOptions{T}.ReduceLearningRateOnPlateau"/> (the rate of the next epoch); then the epoch's last
    /// <see cref="TrainingOptions{T}.Progress"/> report, <see cref="TrainingOptions{T}.OnBatch"/> and
    /// <see cref="TrainingOptions{T}.OnEpoch"/>, all on the calling thread. Training ends after the epoch that runs
    /// out early stopping's patience or in which a callback calls <see cref="TrainingControl.Stop"/>; then, with
    /// <see cref="EarlyStopping.RestoreBestParameters"/>, the best epoch's parameters are put back. Nothing of this
    /// allocates per batch or epoch but a checkpoint's file.
    /// </para>
    /// <para>
    /// The history (72 bytes an epoch) grows as epochs complete, so a large <see cref="TrainingOptions{T}.Epochs"/>,
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
    /// <param name="options">
    /// Epochs, batch size, seed, optimizer, schedule, validation, early stopping, checkpoints, class weights, progress
    /// and callbacks; all checked before anything changes.
    /// </param>
    /// <param name="cancellationToken">Stops training between two batches.</param>
    /// <returns>
    /// One entry per epoch: training loss; validation loss and, as <see cref="TrainingOptions{T}.TaskKind"/> decides,
    /// accuracy or R² and root mean squared error; times.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The data does not fit the network, the training set is empty, the optimizer was built for another number
    /// of parameters, or a control cannot work as set (early stopping, a checkpoint at improvements or reduce-on-plateau
    /// without validation, a measure the task does not report, a checkpoint in a directory that does not exist, class
    /// weights of the wrong count or with targets that are not class codes).
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The epochs, batch size, learning rate (given or from the schedule), task kind or a control's number (patience,
    /// factor, class weight...) are out of range.
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
        TaskKind validationTask = options.Validation is { } validationData
            ? Evaluation.Resolve(options.TaskKind, network, validationData)
            : TaskKind.Auto;
        CheckControls(network, training, options, validationTask);
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
        T[] scratch = options.Validation is { } measured ? Evaluation.Scratch<T>(validationTask, measured.Count, outputCount) : [];
        T[] predictions = validationTask == TaskKind.Regression ? new T[options.Validation!.Count * outputCount] : [];
        var epochs = new TrainingEpoch[Math.Min(options.Epochs, InitialHistoryCapacity)];
        var random = new DeterministicRandom(options.Seed);

        // The controls' state, and their buffers, also allocated once.
        EarlyStopping? earlyStopping = options.EarlyStopping;
        T[]? bestParameters = earlyStopping is { RestoreBestParameters: true } ? new T[parameterCount] : null;
        double earlyBest = WorstValue(earlyStopping?.Metric ?? ValidationMetric.Loss);
        int bestEpoch = 0, epochsWithoutImprovement = 0;
        Checkpoint? checkpoint = options.Checkpoint;
        double checkpointBest = WorstValue(checkpoint?.Metric ?? ValidationMetric.Loss);
        ReduceLearningRateOnPlateau? plateau = options.ReduceLearningRateOnPlateau;
        double plateauBest = WorstValue(plateau?.Metric ?? ValidationMetric.Loss);
        int badEpochs = 0, cooldown = 0;
        T[]? classWeights = null;
        int[] batchClasses = [];
        T[] weightedGradients = [];
        if (options.ClassWeights is { } weights)
        {
            classWeights = new T[weights.Count];
            for (int c = 0; c < classWeights.Length; c++)
            {
                classWeights[c] = T.CreateChecked(weights[c]);
            }

            batchClasses = new int[batchSize];
            weightedGradients = new T[parameterCount];
        }

        TrainingControl? control = options.OnBatch is null && options.OnEpoch is null ? null : new TrainingControl();
        double plainRate = options.LearningRate;
        TrainingStopReason stopReason = TrainingStopReason.Completed;
        int completed = 0;
        long start = Stopwatch.GetTimestamp();
        EvaluationResult validated = Evaluation.None;

        // Ends after epoch Epochs: a test of epoch <= Epochs would never fail for Epochs = int.MaxValue.
        for (int epoch = 1; ; epoch++)
        {
            long epochStart = Stopwatch.GetTimestamp();
            double rate;
            if (options.LearningRateSchedule is { } schedule)
            {
                rate = schedule(epoch);
                learningRate = CheckedLearningRate<T>(rate);
                if (optimizer is not null)
                {
                    optimizer.LearningRate = rate;
                }
            }
            else
            {
                rate = optimizer?.LearningRate ?? plainRate;
            }

            if (options.Shuffle)
            {
                Shuffling.Shuffle(order, ref random);
            }

            ReadOnlySpan<T> inputs = training.Inputs.Span;
            ReadOnlySpan<T> targets = training.Targets.Span;
            double lossSum = 0, seen = 0;
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
                double weight = size;
                if (optimizer is null && classWeights is null)
                {
                    parameters.CopyTo(snapshot);
                    loss = network.TrainBatch(batchIn, batchOut, learningRate);
                }
                else
                {
                    // Check before stepping, so that neither the parameters nor the optimizer's state see a NaN.
                    if (classWeights is null)
                    {
                        loss = MeanGradient(network, batchIn, batchOut, size, inputCount, outputCount);
                    }
                    else
                    {
                        loss = WeightedMeanGradient(
                            network, batchIn, batchOut, size, inputCount, outputCount, classWeights, batchClasses, weightedGradients, out T weightSum);
                        weight = double.CreateChecked(weightSum);
                    }

                    if (!T.IsFinite(loss) || !AllFinite<T>(network.Gradients))
                    {
                        throw new TrainingDivergedException(epoch, batch + 1, double.CreateChecked(loss));
                    }

                    parameters.CopyTo(snapshot);
                    if (optimizer is null)
                    {
                        Sgd.Step<T>(parameters, network.Gradients, learningRate);
                    }
                    else
                    {
                        optimizer.Step(parameters, network.Gradients);
                    }
                }

                if (!T.IsFinite(loss) || !AllFinite<T>(parameters))
                {
                    snapshot.CopyTo(parameters);
                    throw new TrainingDivergedException(epoch, batch + 1, double.CreateChecked(loss));
                }

                lossSum += double.CreateChecked(loss) * weight;
                seen += weight;
                if (batch + 1 < batchCount)
                {
                    var progress = new TrainingProgress(
                        epoch, options.Epochs, batch + 1, batchCount, lossSum / seen, validated.Loss, validated.Accuracy, Stopwatch.GetElapsedTime(start))
                    {
                        ValidationRSquared = validated.RSquared,
                        ValidationRootMeanSquaredError = validated.RootMeanSquaredError,
                        LearningRate = rate,
                        BestEpoch = bestEpoch,
                    };
                    options.Progress?.Report(progress);
                    if (options.OnBatch is { } onBatch)
                    {
                        onBatch(progress, control!);
                        if (control!.IsStopRequested)
                        {
                            // Stopped mid-epoch: that partial epoch is not in the history.
                            stopReason = TrainingStopReason.Requested;
                            break;
                        }
                    }
                }
            }

            if (stopReason == TrainingStopReason.Requested)
            {
                break;
            }

            if (options.Validation is { } validation)
            {
                validated = Evaluation.Measure(network, validation, validationTask, scratch, predictions);
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
                LearningRate = rate,
            };
            completed = epoch;

            if (earlyStopping is not null)
            {
                double value = MetricValue(earlyStopping.Metric, validated);
                if (Improves(earlyStopping.Metric, value, earlyBest, earlyStopping.MinDelta))
                {
                    earlyBest = value;
                    bestEpoch = epoch;
                    epochsWithoutImprovement = 0;
                    if (bestParameters is not null)
                    {
                        network.Parameters.CopyTo(bestParameters);
                    }
                }
                else if (++epochsWithoutImprovement >= earlyStopping.Patience)
                {
                    stopReason = TrainingStopReason.EarlyStopping;
                }
            }

            if (checkpoint is not null)
            {
                bool write;
                if (checkpoint.EveryEpochs > 0)
                {
                    write = epoch % checkpoint.EveryEpochs == 0;
                }
                else
                {
                    double value = MetricValue(checkpoint.Metric, validated);
                    write = Improves(checkpoint.Metric, value, checkpointBest, 0);
                    if (write)
                    {
                        checkpointBest = value;
                    }
                }

                if (write)
                {
                    ModelFile.Save(network, CheckpointPath(checkpoint.Path, epoch));
                }
            }

            if (plateau is not null && StepPlateau(plateau, MetricValue(plateau.Metric, validated), ref plateauBest, ref badEpochs, ref cooldown))
            {
                double current = optimizer?.LearningRate ?? plainRate;
                double reduced = Math.Max(current * plateau.Factor, plateau.MinLearningRate);
                if (current - reduced > plateau.Epsilon)
                {
                    plainRate = reduced;
                    learningRate = T.CreateChecked(reduced);
                    if (optimizer is not null)
                    {
                        optimizer.LearningRate = reduced;
                    }
                }
            }

            var epochEnd = new TrainingProgress(
                epoch, options.Epochs, batchCount, batchCount, lossSum / seen, validated.Loss, validated.Accuracy, elapsed)
            {
                ValidationRSquared = validated.RSquared,
                ValidationRootMeanSquaredError = validated.RootMeanSquaredError,
                LearningRate = rate,
                BestEpoch = bestEpoch,
            };
            options.Progress?.Report(epochEnd);
            options.OnBatch?.Invoke(epochEnd, control!);
            options.OnEpoch?.Invoke(epochEnd, control!);
            if (stopReason == TrainingStopReason.Completed && control is { IsStopRequested: true })
            {
                stopReason = TrainingStopReason.Requested;
            }

            if (stopReason != TrainingStopReason.Completed || epoch == options.Epochs)
            {
                break;
            }
        }

        bool restored = false;
        if (bestParameters is not null && bestEpoch > 0)
        {
            bestParameters.CopyTo(network.Parameters);
            restored = true;
        }

        return new TrainingHistory(epochs, completed, bestEpoch, stopReason, restored);
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
        return Evaluation.Measure(network, data, task, Evaluation.Scratch<T>(task, data.Count, data.OutputCount), predictions);
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
