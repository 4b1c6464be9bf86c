using System;
using System.Collections.Generic;
using NetGen;

namespace NetGen.Tests.Training;

/// <summary>A double softmax classifier for the class-weight fixture: 3 -> 4 Tanh -> 3 Softmax, cross-entropy.</summary>
[Network<double>(3, Loss = NetGen.LossFunction.CrossEntropy)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class WeightedSoftmaxNet;

/// <summary>What the training-control tests share: a constructed over-fitting case, and recorders.</summary>
internal static class ControlTestSupport
{
    /// <summary>
    /// The constructed early-stopping case for <see cref="LineNet"/> (y = w0 x0 + w1 x1 + b), started at all zeros and
    /// trained by full-batch plain SGD without shuffling: the training targets are 2 x0, the validation targets x0.
    /// The weight w0 climbs from 0 towards 2 step by step, so the validation loss falls while w0 nears 1 and rises once
    /// it has passed it: one minimum, at an epoch the test reads from a plain run's history.
    /// </summary>
    public static (Dataset<double> Training, Dataset<double> Validation) OverfittingLine()
    {
        double[] x0 = [-1, -0.5, 0.25, 0.5, 1, 0.75, -0.25, -0.75];
        var inputs = new double[2 * x0.Length];
        var training = new double[x0.Length];
        var validation = new double[x0.Length];
        for (int i = 0; i < x0.Length; i++)
        {
            inputs[2 * i] = x0[i];
            inputs[(2 * i) + 1] = 0.5 * (i % 3);
            training[i] = 2 * x0[i];
            validation[i] = x0[i];
        }

        return (new Dataset<double>(inputs, training, 2, 1), new Dataset<double>(inputs, validation, 2, 1));
    }

    /// <summary>A zeroed LineNet, the starting point of <see cref="OverfittingLine"/>.</summary>
    public static LineNet ZeroLine()
    {
        var network = new LineNet();
        network.Parameters.Clear();
        return network;
    }

    /// <summary>The options of the constructed case: full batch (8), no shuffling, plain SGD at 0.05; and the controls given.</summary>
    public static TrainingOptions<double> LineOptions(
        int epochs,
        Dataset<double>? validation,
        EarlyStopping? earlyStopping = null,
        Checkpoint? checkpoint = null,
        ReduceLearningRateOnPlateau? plateau = null,
        IOptimizer<double>? optimizer = null,
        TaskKind taskKind = TaskKind.Auto,
        Action<TrainingProgress, TrainingControl>? onEpoch = null) => new()
        {
            Epochs = epochs,
            BatchSize = 8,
            Shuffle = false,
            LearningRate = 0.05,
            Validation = validation,
            EarlyStopping = earlyStopping,
            Checkpoint = checkpoint,
            ReduceLearningRateOnPlateau = plateau,
            Optimizer = optimizer,
            TaskKind = taskKind,
            OnEpoch = onEpoch,
        };

    /// <summary>
    /// Early stopping's rule, written from its documentation: the epoch at which it stops (or the last) and the best
    /// epoch, for the measures <paramref name="values"/> of epochs 1, 2, ... of a run without it.
    /// </summary>
    public static (int Stop, int Best) ExpectedEarlyStop(IReadOnlyList<double> values, int patience, double minDelta, bool higherIsBetter)
    {
        double best = higherIsBetter ? double.NegativeInfinity : double.PositiveInfinity;
        int bestEpoch = 0, wait = 0;
        for (int e = 1; e <= values.Count; e++)
        {
            double v = values[e - 1];
            if (higherIsBetter ? v > best + minDelta : v < best - minDelta)
            {
                best = v;
                bestEpoch = e;
                wait = 0;
            }
            else if (++wait >= patience)
            {
                return (e, bestEpoch);
            }
        }

        return (values.Count, bestEpoch);
    }

    /// <summary>An <see cref="IProgress{T}"/> that calls an action synchronously.</summary>
    public sealed class Recorder(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }

    /// <summary>An optimizer that records the gradient of every step and then leaves the parameters as they are.</summary>
    public sealed class GradientRecorder(int parameterCount) : IOptimizer<double>
    {
        public List<double[]> Gradients { get; } = [];

        public int ParameterCount => parameterCount;

        public double LearningRate { get; set; }

        public void Step(Span<double> parameters, ReadOnlySpan<double> gradients) => Gradients.Add(gradients.ToArray());

        public void Reset() => Gradients.Clear();
    }
}
