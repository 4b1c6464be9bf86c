using System;
using System.Numerics;

namespace NetGen;

/// <summary>How <see cref="Trainer"/> measures a network on a dataset: the task's measures besides the mean loss.</summary>
internal static class Evaluation
{
    /// <summary>What <see cref="Trainer.Fit{TNet, T}"/> reports before the first validation: nothing yet.</summary>
    public static EvaluationResult None => new(double.NaN, double.NaN, 0);

    /// <summary>Throws unless <paramref name="taskKind"/> is a member of <see cref="TaskKind"/>.</summary>
    public static void Check(TaskKind taskKind, string parameterName)
    {
        if (taskKind is not (TaskKind.Auto or TaskKind.Classification or TaskKind.Regression))
        {
            throw new ArgumentOutOfRangeException(parameterName, taskKind, "Not a TaskKind.");
        }
    }

    /// <summary><paramref name="requested"/>, or for <see cref="TaskKind.Auto"/> the task as its documentation decides it.</summary>
    public static TaskKind Resolve<TNet, T>(TaskKind requested, TNet network, Dataset<T> data)
        where TNet : INetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (requested != TaskKind.Auto)
        {
            return requested;
        }

        if (NetworkTopology.TryParse(network.Topology, out NetworkTopology? topology)
            && topology.Loss is LossFunction.CrossEntropy or LossFunction.BinaryCrossEntropy)
        {
            return TaskKind.Classification;
        }

        return data.Count > 0 && AllClassCodes(data.Targets.Span, data.OutputCount) ? TaskKind.Classification : TaskKind.Regression;
    }

    /// <summary>
    /// The samples a classifier's outputs are computed for at once (with <see cref="INetwork{T}.ForwardBatch"/>): a
    /// multiple of the generated code's block of eight, and small enough that the scratch stays small.
    /// </summary>
    public const int ChunkSamples = 64;

    /// <summary>The scratch <see cref="Measure"/> needs for a classifier's outputs.</summary>
    public static T[] Scratch<T>(TaskKind task, int count, int outputCount) =>
        task == TaskKind.Regression ? [] : new T[Math.Min(count, ChunkSamples) * outputCount];

    /// <summary>
    /// The mean loss of <paramref name="network"/> over <paramref name="data"/> and the measures of
    /// <paramref name="task"/> (resolved). The outputs come from ForwardBatch: for a classification through
    /// <paramref name="scratch"/> (<see cref="Scratch"/>), chunk by chunk; for a regression into
    /// <paramref name="predictions"/>, all of them.
    /// </summary>
    public static EvaluationResult Measure<TNet, T>(TNet network, Dataset<T> data, TaskKind task, Span<T> scratch, Span<T> predictions)
        where TNet : INetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.Count == 0)
        {
            return None with { TaskKind = task };
        }

        ReadOnlySpan<T> inputs = data.Inputs.Span;
        ReadOnlySpan<T> targets = data.Targets.Span;
        int inputCount = data.InputCount, outputCount = data.OutputCount;
        double loss = 0;
        for (int i = 0; i < data.Count; i++)
        {
            loss += double.CreateChecked(network.Loss(inputs.Slice(i * inputCount, inputCount), targets.Slice(i * outputCount, outputCount)));
        }

        loss /= data.Count;
        if (task == TaskKind.Regression)
        {
            network.ForwardBatch(inputs, predictions);
            return new EvaluationResult(loss, double.NaN, data.Count)
            {
                TaskKind = task,
                RootMeanSquaredError = Metrics.RootMeanSquaredError<T>(targets, predictions, outputCount),
                RSquared = Metrics.RSquared<T>(targets, predictions, outputCount),
            };
        }

        int correct = 0;
        int chunk = scratch.Length / outputCount;
        for (int first = 0; first < data.Count; first += chunk)
        {
            int count = Math.Min(chunk, data.Count - first);
            Span<T> outputs = scratch.Slice(0, count * outputCount);
            network.ForwardBatch(inputs.Slice(first * inputCount, count * inputCount), outputs);
            for (int k = 0; k < count; k++)
            {
                if (Trainer.IsCorrect<T>(outputs.Slice(k * outputCount, outputCount), targets.Slice((first + k) * outputCount, outputCount)))
                {
                    correct++;
                }
            }
        }

        return new EvaluationResult(loss, (double)correct / data.Count, data.Count) { TaskKind = task };
    }

    /// <summary>Whether every row is a one-hot row, or with one value per row every value is 0 or 1.</summary>
    private static bool AllClassCodes<T>(ReadOnlySpan<T> targets, int outputCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int row = 0; row < targets.Length; row += outputCount)
        {
            int ones = 0;
            for (int k = row; k < row + outputCount; k++)
            {
                if (targets[k] == T.One)
                {
                    ones++;
                }
                else if (targets[k] != T.Zero)
                {
                    return false;
                }
            }

            if (outputCount > 1 && ones != 1)
            {
                return false;
            }
        }

        return true;
    }
}
