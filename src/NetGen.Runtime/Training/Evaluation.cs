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
    /// The mean loss of <paramref name="network"/> over <paramref name="data"/> and the measures of
    /// <paramref name="task"/> (resolved). <paramref name="output"/> holds one output;
    /// <paramref name="predictions"/> all of them, for a regression.
    /// </summary>
    public static EvaluationResult Measure<TNet, T>(TNet network, Dataset<T> data, TaskKind task, Span<T> output, Span<T> predictions)
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
        int correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            ReadOnlySpan<T> input = inputs.Slice(i * inputCount, inputCount);
            ReadOnlySpan<T> target = targets.Slice(i * outputCount, outputCount);
            loss += double.CreateChecked(network.Loss(input, target));
            if (task == TaskKind.Regression)
            {
                network.Forward(input, predictions.Slice(i * outputCount, outputCount));
            }
            else
            {
                network.Forward(input, output);
                if (Trainer.IsCorrect<T>(output, target))
                {
                    correct++;
                }
            }
        }

        loss /= data.Count;
        if (task != TaskKind.Regression)
        {
            return new EvaluationResult(loss, (double)correct / data.Count, data.Count) { TaskKind = task };
        }

        return new EvaluationResult(loss, double.NaN, data.Count)
        {
            TaskKind = task,
            RootMeanSquaredError = Metrics.RootMeanSquaredError<T>(targets, predictions, outputCount),
            RSquared = Metrics.RSquared<T>(targets, predictions, outputCount),
        };
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
