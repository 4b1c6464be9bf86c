using System;
using System.Globalization;
using System.IO;
using System.Numerics;

namespace NetGen;

// The training controls of Fit: early stopping, checkpoints, reduce-on-plateau and class weights; their checks, made
// before anything changes, and their arithmetic.
public static partial class Trainer
{
    /// <summary>Throws, naming <c>options</c>, unless every control is usable with this network, data and task.</summary>
    private static void CheckControls<TNet, T>(TNet network, Dataset<T> training, TrainingOptions<T> options, TaskKind validationTask)
        where TNet : INetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const string name = "options";
        bool validation = options.Validation is not null;
        if (options.EarlyStopping is { } earlyStopping)
        {
            if (!validation)
            {
                throw new ArgumentException("Early stopping watches the validation set: set TrainingOptions.Validation.", name);
            }

            if (earlyStopping.Patience < 1)
            {
                throw new ArgumentOutOfRangeException(name, earlyStopping.Patience, "Early stopping's patience must be at least 1.");
            }

            NonNegative(earlyStopping.MinDelta, "Early stopping's MinDelta");
            CheckMetric(earlyStopping.Metric, validationTask, "Early stopping");
        }

        if (options.Checkpoint is { } checkpoint)
        {
            if (checkpoint.EveryEpochs < 0)
            {
                throw new ArgumentOutOfRangeException(name, checkpoint.EveryEpochs, "The checkpoint's EveryEpochs must be at least 0.");
            }

            if (checkpoint.EveryEpochs == 0)
            {
                if (!validation)
                {
                    throw new ArgumentException(
                        "A checkpoint at every improvement watches the validation set: set TrainingOptions.Validation, or the checkpoint's EveryEpochs.", name);
                }

                CheckMetric(checkpoint.Metric, validationTask, "The checkpoint");
            }

            CheckCheckpointPath(checkpoint.Path);
        }

        if (options.ReduceLearningRateOnPlateau is { } plateau)
        {
            if (!validation)
            {
                throw new ArgumentException("Reduce-on-plateau watches the validation set: set TrainingOptions.Validation.", name);
            }

            if (options.LearningRateSchedule is not null)
            {
                throw new ArgumentException("Set either a LearningRateSchedule or ReduceLearningRateOnPlateau, not both.", name);
            }

            if (!(plateau.Factor > 0 && plateau.Factor < 1))
            {
                throw new ArgumentOutOfRangeException(name, plateau.Factor, "Reduce-on-plateau's factor must be more than 0 and less than 1.");
            }

            if (plateau.Patience < 0 || plateau.Cooldown < 0)
            {
                throw new ArgumentOutOfRangeException(name, Math.Min(plateau.Patience, plateau.Cooldown), "Reduce-on-plateau's patience and cool-down must be at least 0.");
            }

            NonNegative(plateau.Threshold, "Reduce-on-plateau's threshold");
            NonNegative(plateau.MinLearningRate, "Reduce-on-plateau's minimum learning rate");
            NonNegative(plateau.Epsilon, "Reduce-on-plateau's epsilon");
            if (plateau.ThresholdMode is not (PlateauThresholdMode.Relative or PlateauThresholdMode.Absolute))
            {
                throw new ArgumentOutOfRangeException(name, plateau.ThresholdMode, "Not a PlateauThresholdMode.");
            }

            CheckMetric(plateau.Metric, validationTask, "Reduce-on-plateau");
        }

        if (options.ClassWeights is { } weights)
        {
            int classes = network.OutputCount == 1 ? 2 : network.OutputCount;
            if (weights.Count != classes)
            {
                throw new ArgumentException(
                    $"There are {weights.Count} class weights, but a network with {network.OutputCount} output{(network.OutputCount == 1 ? "" : "s")} has {classes} classes.", name);
            }

            for (int c = 0; c < weights.Count; c++)
            {
                double weight = weights[c];
                if (!double.IsFinite(weight) || weight <= 0)
                {
                    throw new ArgumentOutOfRangeException(name, weight, $"Class {c}'s weight must be a finite number more than 0.");
                }
            }

            ReadOnlySpan<T> targets = training.Targets.Span;
            int outputCount = training.OutputCount;
            for (int i = 0; i < training.Count; i++)
            {
                if (ClassOf(targets.Slice(i * outputCount, outputCount)) < 0)
                {
                    throw new ArgumentException(
                        outputCount == 1
                            ? $"Class weights need class codes, but training sample {i}'s target is neither 0 nor 1."
                            : $"Class weights need class codes, but training sample {i}'s target is not a one-hot row (exactly one 1, the rest 0).",
                        name);
                }
            }
        }

        static void NonNegative(double value, string what)
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{what} must be a finite number of at least 0.");
            }
        }

        static void CheckMetric(ValidationMetric metric, TaskKind task, string what)
        {
            switch (metric)
            {
                case ValidationMetric.Loss:
                    return;
                case ValidationMetric.Accuracy when task == TaskKind.Classification:
                    return;
                case ValidationMetric.RSquared or ValidationMetric.RootMeanSquaredError when task == TaskKind.Regression:
                    return;
                case ValidationMetric.Accuracy:
                    throw new ArgumentException($"{what} watches the validation accuracy, which only a classification reports; this task is a {task}.", name);
                case ValidationMetric.RSquared or ValidationMetric.RootMeanSquaredError:
                    throw new ArgumentException($"{what} watches the validation {metric}, which only a regression reports; this task is a {task}.", name);
                default:
                    throw new ArgumentOutOfRangeException(name, metric, "Not a ValidationMetric.");
            }
        }

        static void CheckCheckpointPath(string? path)
        {
            if (string.IsNullOrEmpty(path))
            {
                throw new ArgumentException("The checkpoint's path is empty.", name);
            }

            string full;
            try
            {
                full = Path.GetFullPath(CheckpointPath(path, 1));
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                throw new ArgumentException($"The checkpoint's path '{path}' is not a valid path: {e.Message}", name, e);
            }

            if (Path.EndsInDirectorySeparator(full) || Directory.Exists(full))
            {
                throw new ArgumentException($"The checkpoint's path '{path}' names a directory, not a file.", name);
            }

            string? directory = Path.GetDirectoryName(full);
            if (directory is not null && !Directory.Exists(directory))
            {
                throw new ArgumentException($"The checkpoint's directory '{directory}' does not exist.", name);
            }
        }
    }

    /// <summary>The checkpoint's path for <paramref name="epoch"/>: <c>{epoch}</c> replaced by its number.</summary>
    private static string CheckpointPath(string path, int epoch) =>
        path.Contains("{epoch}", StringComparison.Ordinal)
            ? path.Replace("{epoch}", epoch.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            : path;

    /// <summary>Whether a higher value of <paramref name="metric"/> is better: accuracy and R².</summary>
    private static bool HigherIsBetter(ValidationMetric metric) => metric is ValidationMetric.Accuracy or ValidationMetric.RSquared;

    /// <summary>The starting "best" of a watched measure, which every number beats: +∞, or −∞ where higher is better.</summary>
    private static double WorstValue(ValidationMetric metric) => HigherIsBetter(metric) ? double.NegativeInfinity : double.PositiveInfinity;

    private static double MetricValue(ValidationMetric metric, in EvaluationResult result) => metric switch
    {
        ValidationMetric.Loss => result.Loss,
        ValidationMetric.Accuracy => result.Accuracy,
        ValidationMetric.RSquared => result.RSquared,
        _ => result.RootMeanSquaredError,
    };

    /// <summary>Whether <paramref name="value"/> beats <paramref name="best"/> by more than <paramref name="minDelta"/> (never for NaN).</summary>
    private static bool Improves(ValidationMetric metric, double value, double best, double minDelta) =>
        HigherIsBetter(metric) ? value > best + minDelta : value < best - minDelta;

    /// <summary>
    /// One step of PyTorch's <c>ReduceLROnPlateau.step(metrics)</c> but for the reduction itself: updates the best,
    /// the count of bad epochs and the cool-down counter, and says whether to reduce the rate now.
    /// </summary>
    internal static bool StepPlateau(ReduceLearningRateOnPlateau plateau, double value, ref double best, ref int badEpochs, ref int cooldown)
    {
        bool relative = plateau.ThresholdMode == PlateauThresholdMode.Relative;
        bool better = HigherIsBetter(plateau.Metric)
            ? value > (relative ? best * (plateau.Threshold + 1) : best + plateau.Threshold)
            : value < (relative ? best * (1 - plateau.Threshold) : best - plateau.Threshold);
        if (better)
        {
            best = value;
            badEpochs = 0;
        }
        else
        {
            badEpochs++;
        }

        if (cooldown > 0)
        {
            cooldown--;
            badEpochs = 0;
        }

        if (badEpochs > plateau.Patience)
        {
            cooldown = plateau.Cooldown;
            badEpochs = 0;
            return true;
        }

        return false;
    }

    /// <summary>
    /// The class of a class-code target: with one value 0 or 1 that value, with several the index of the one 1 when
    /// the rest are 0; -1 for anything else.
    /// </summary>
    private static int ClassOf<T>(ReadOnlySpan<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (target.Length == 1)
        {
            return target[0] == T.Zero ? 0 : target[0] == T.One ? 1 : -1;
        }

        int found = -1;
        for (int k = 0; k < target.Length; k++)
        {
            if (target[k] == T.One && found < 0)
            {
                found = k;
            }
            else if (target[k] != T.Zero)
            {
                return -1;
            }
        }

        return found;
    }

    /// <summary>
    /// The class-weighted mean gradient of a batch into Gradients, and its weighted mean loss: for each class with
    /// samples in the batch, ZeroGradients and Backward over those samples (in batch order), their summed gradient
    /// multiplied by the class's weight and added up; the total divided by the sum of the samples' weights.
    /// </summary>
    private static T WeightedMeanGradient<TNet, T>(
        TNet network,
        ReadOnlySpan<T> inputs,
        ReadOnlySpan<T> targets,
        int size,
        int inputCount,
        int outputCount,
        ReadOnlySpan<T> weights,
        Span<int> classes,
        Span<T> accumulated,
        out T weightSum)
        where TNet : INetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int s = 0; s < size; s++)
        {
            classes[s] = ClassOf(targets.Slice(s * outputCount, outputCount));
        }

        accumulated.Clear();
        Span<T> gradients = network.Gradients;
        T loss = T.Zero, total = T.Zero;
        for (int c = 0; c < weights.Length; c++)
        {
            int count = 0;
            T classLoss = T.Zero;
            for (int s = 0; s < size; s++)
            {
                if (classes[s] != c)
                {
                    continue;
                }

                if (count++ == 0)
                {
                    network.ZeroGradients();
                }

                classLoss += network.Backward(inputs.Slice(s * inputCount, inputCount), targets.Slice(s * outputCount, outputCount));
            }

            if (count == 0)
            {
                continue;
            }

            T weight = weights[c];
            for (int i = 0; i < accumulated.Length; i++)
            {
                accumulated[i] += weight * gradients[i];
            }

            loss += weight * classLoss;
            total += weight * T.CreateChecked(count);
        }

        for (int i = 0; i < gradients.Length; i++)
        {
            gradients[i] = accumulated[i] / total;
        }

        weightSum = total;
        return loss / total;
    }
}
