using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using NetGen;

namespace NetGen.Tests.Training;

/// <summary>
/// Evaluate and the training history report the measures that fit the task: accuracy for a classifier, R² and the
/// root mean squared error for a regression, decided from the loss, then the targets, or as TaskKind says.
/// </summary>
public class TaskKindTests
{
    // ---- A one-output regression: the user report this answers.

    [Fact]
    public void Evaluate_OfAOneOutputRegression_ReportsRSquaredAndRmse_AndNoAccuracy()
    {
        // y = 2 x0 - x1 + 0.5 exactly, targets from another line: residuals worked out from the definitions.
        var network = new LineNet();
        network.Parameters[0] = 2;
        network.Parameters[1] = -1;
        network.Parameters[2] = 0.5;
        var random = new Random(1);
        double[] inputs = Enumerable.Range(0, 40).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        double[] targets = Enumerable.Range(0, 20).Select(i => (3 * inputs[2 * i]) - inputs[(2 * i) + 1] + 0.2).ToArray();
        double[] predictions = Enumerable.Range(0, 20).Select(i => (2 * inputs[2 * i]) - inputs[(2 * i) + 1] + 0.5).ToArray();

        EvaluationResult result = Trainer.Evaluate(network, new Dataset<double>(inputs, targets, 2, 1));

        double mean = targets.Average();
        double residual = targets.Zip(predictions, (t, p) => (t - p) * (t - p)).Sum();
        double spread = targets.Sum(t => (t - mean) * (t - mean));
        Assert.Equal(TaskKind.Regression, result.TaskKind);
        Assert.True(double.IsNaN(result.Accuracy));
        Assert.Equal(1 - (residual / spread), result.RSquared, 1e-12);
        Assert.Equal(Math.Sqrt(residual / 20), result.RootMeanSquaredError, 1e-12);
        Assert.Equal(residual / 20, result.Loss, 1e-12); // mean squared error over one output
        Assert.Equal(20, result.Count);
    }

    [Fact]
    public void Fit_OfAOneOutputRegression_ReportsRSquaredRisingTowardsOne_AndNoAccuracy()
    {
        Dataset<double> training = Line(200, seed: 2), validation = Line(50, seed: 3);
        var network = new LineNet();
        var reports = new List<TrainingProgress>();

        TrainingHistory history = Trainer.Fit(network, training, new TrainingOptions<double>
        {
            Epochs = 30,
            BatchSize = 8,
            Seed = 4,
            Optimizer = new AdamOptimizer<double>(LineNet.ParameterCount, learningRate: 0.05),
            Validation = validation,
            Progress = new Recorder(reports.Add),
        });

        Assert.All(history, e => Assert.True(double.IsNaN(e.ValidationAccuracy)));
        Assert.True(history[^1].ValidationRSquared > 0.999, $"R^2 {history[^1].ValidationRSquared}");
        Assert.True(history[0].ValidationRSquared < history[^1].ValidationRSquared);
        Assert.True(history[^1].ValidationRootMeanSquaredError < 0.05, $"RMSE {history[^1].ValidationRootMeanSquaredError}");
        EvaluationResult after = Trainer.Evaluate(network, validation);
        Assert.Equal(history[^1].ValidationRSquared, after.RSquared);
        Assert.Equal(history[^1].ValidationRootMeanSquaredError, after.RootMeanSquaredError);
        Assert.Equal(history[^1].ValidationLoss, after.Loss);
        TrainingProgress last = reports[^1];
        Assert.True(last.IsEpochEnd);
        Assert.Equal((after.RSquared, after.RootMeanSquaredError), (last.ValidationRSquared, last.ValidationRootMeanSquaredError));
        Assert.True(double.IsNaN(reports[0].ValidationRSquared)); // before the first epoch ends
    }

    [Fact]
    public void Fit_OfAClassifier_ReportsAccuracy_AndNoRSquared()
    {
        TrainingHistory history = Trainer.Fit(new BlobNet(), TrainerTests.Blobs(40, seed: 5), new TrainingOptions<float>
        {
            Epochs = 2,
            Validation = TrainerTests.Blobs(20, seed: 6),
        });

        Assert.All(history, e =>
        {
            Assert.True(e.ValidationAccuracy is >= 0 and <= 1);
            Assert.True(double.IsNaN(e.ValidationRSquared) && double.IsNaN(e.ValidationRootMeanSquaredError));
        });
    }

    // ---- TaskKind.Auto.

    [Fact]
    public void Auto_CrossEntropyLossesAreClassifiers_WhateverTheTargets()
    {
        // Soft targets (not class codes) do not make a cross-entropy network a regression.
        var soft = new Dataset<float>(new float[8], new float[] { 0.25f, 0.75f, 0, /**/ 0.5f, 0.5f, 0 }, 4, 3);
        Assert.Equal(TaskKind.Classification, Trainer.Evaluate(new ThreeClassNet(), soft).TaskKind);
        var probabilities = new Dataset<double>(new double[4], new[] { 0.3, 0.8 }, 2, 1);
        Assert.Equal(TaskKind.Classification, Trainer.Evaluate(new LogisticNet(), probabilities).TaskKind);
    }

    [Theory]
    [InlineData(new double[] { 1, 0, /**/ 0, 1, /**/ 0, 1 }, TaskKind.Classification)]
    [InlineData(new double[] { 1, 0, /**/ 0, 1, /**/ 1, 1 }, TaskKind.Regression)] // two ones
    [InlineData(new double[] { 1, 0, /**/ 0, 0, /**/ 0, 1 }, TaskKind.Regression)] // no one
    [InlineData(new double[] { 1, 0, /**/ 0.5, 0.5, /**/ 0, 1 }, TaskKind.Regression)]
    public void Auto_MeanSquaredErrorWithSeveralOutputs_IsAClassifierOnlyOnOneHotTargets(double[] targets, TaskKind expected)
    {
        var data = new Dataset<double>(new double[6], targets, 2, 2);
        EvaluationResult result = Trainer.Evaluate(new PairNet(), data);
        Assert.Equal(expected, result.TaskKind);
        Assert.Equal(expected == TaskKind.Regression, double.IsNaN(result.Accuracy));
        Assert.Equal(expected == TaskKind.Classification, double.IsNaN(result.RSquared));
    }

    [Theory]
    [InlineData(new double[] { 0, 1, 1, 0 }, TaskKind.Classification)]
    [InlineData(new double[] { 0, 1, 0.3, 0 }, TaskKind.Regression)]
    [InlineData(new double[] { 2, 2, 2, 2 }, TaskKind.Regression)]
    public void Auto_MeanSquaredErrorWithOneOutput_IsAClassifierOnlyOnZeroOneTargets(double[] targets, TaskKind expected)
    {
        var data = new Dataset<double>(new double[8], targets, 2, 1);
        Assert.Equal(expected, Trainer.Evaluate(new LineNet(), data).TaskKind);
    }

    [Fact]
    public void Auto_WithoutSamples_IsARegression_AndEverythingIsNaN()
    {
        EvaluationResult result = Trainer.Evaluate(new LineNet(), new Dataset<double>(Array.Empty<double>(), Array.Empty<double>(), 2, 1));
        Assert.Equal(TaskKind.Regression, result.TaskKind);
        Assert.True(double.IsNaN(result.Loss) && double.IsNaN(result.Accuracy) && double.IsNaN(result.RSquared) && double.IsNaN(result.RootMeanSquaredError));
        Assert.Equal(0, result.Count);
    }

    [Fact]
    public void Auto_WithATopologyThatCannotBeRead_DecidesByTheTargets()
    {
        // A cross-entropy network behind a topology text that is not one: only the targets can tell.
        var network = new Untitled(new ThreeClassNet());
        var oneHot = new Dataset<float>(new float[8], new float[] { 0, 1, 0, /**/ 1, 0, 0 }, 4, 3);
        var soft = new Dataset<float>(new float[8], new float[] { 0.25f, 0.75f, 0, /**/ 1, 0, 0 }, 4, 3);
        Assert.Equal(TaskKind.Classification, Trainer.Evaluate(network, oneHot).TaskKind);
        Assert.Equal(TaskKind.Regression, Trainer.Evaluate(network, soft).TaskKind);
        Assert.Equal(TaskKind.Classification, Trainer.Evaluate(network, soft, TaskKind.Classification).TaskKind);
    }

    // ---- An explicit TaskKind.

    [Fact]
    public void Explicit_TaskKind_OverridesWhatAutoWouldDecide()
    {
        // PairNet as identity: outputs equal inputs. One-hot targets, measured as a regression.
        var network = new PairNet();
        network.Parameters.Clear();
        network.Parameters[0] = 1;
        network.Parameters[3] = 1;
        double[] inputs = [0.9, 0.1, /**/ 0.2, 0.7, /**/ 0.6, 0.3];
        double[] targets = [1, 0, /**/ 1, 0, /**/ 0, 1];
        var data = new Dataset<double>(inputs, targets, 2, 2);

        EvaluationResult regression = Trainer.Evaluate(network, data, TaskKind.Regression);
        EvaluationResult classification = Trainer.Evaluate(network, data);

        // R^2 per output from the definition, then averaged: output 0 targets 1, 1, 0 (mean 2/3), output 1 targets 0, 0, 1.
        double[] r2 = new double[2];
        for (int k = 0; k < 2; k++)
        {
            double[] t = [targets[k], targets[2 + k], targets[4 + k]], p = [inputs[k], inputs[2 + k], inputs[4 + k]];
            double mean = t.Average();
            r2[k] = 1 - (t.Zip(p, (a, b) => (a - b) * (a - b)).Sum() / t.Sum(a => (a - mean) * (a - mean)));
        }

        Assert.Equal(TaskKind.Regression, regression.TaskKind);
        Assert.True(double.IsNaN(regression.Accuracy));
        Assert.Equal(r2.Average(), regression.RSquared, 1e-12);
        Assert.Equal(classification.Loss, regression.Loss);
        Assert.Equal(TaskKind.Classification, classification.TaskKind);
        Assert.Equal(1.0 / 3, classification.Accuracy); // sample 0 right (argmax 0); samples 1 and 2 wrong

        TrainingHistory history = Trainer.Fit(network, data, new TrainingOptions<double>
        {
            Epochs = 1,
            LearningRate = 0,
            Validation = data,
            TaskKind = TaskKind.Regression,
        });
        Assert.Equal(regression.RSquared, history[0].ValidationRSquared);
        Assert.True(double.IsNaN(history[0].ValidationAccuracy));
    }

    [Fact]
    public void TaskKind_OutOfRange_Throws()
    {
        var data = new Dataset<double>(new double[4], new double[2], 2, 1);
        Assert.Equal("taskKind", Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Evaluate(new LineNet(), data, (TaskKind)3)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Trainer.Fit(new LineNet(), data, new TrainingOptions<double> { TaskKind = (TaskKind)(-1) })).ParamName);
    }

    [Fact]
    public void TrainingOptions_WithValidation_CopiesEveryOtherProperty()
    {
        // Every settable property set to a value other than its default, by reflection, so that a property added
        // later and forgotten in WithValidation fails here.
        var original = new TrainingOptions<double>
        {
            Epochs = 7,
            BatchSize = 3,
            Shuffle = false,
            Seed = 11,
            Optimizer = new SgdOptimizer<double>(3, 0.1),
            LearningRate = 0.5,
            LearningRateSchedule = e => e,
            Validation = new Dataset<double>(new double[2], new double[1], 2, 1),
            TaskKind = TaskKind.Regression,
            Progress = new Recorder(_ => { }),
            EarlyStopping = new EarlyStopping(),
            Checkpoint = new Checkpoint { Path = "model.netgen" },
            ReduceLearningRateOnPlateau = new ReduceLearningRateOnPlateau(),
            ClassWeights = [1.0, 2.0],
            OnBatch = (_, _) => { },
            OnEpoch = (_, _) => { },
        };
        var replacement = new Dataset<double>(new double[4], new double[2], 2, 1);
        var checkpoint = new Checkpoint { Path = "fold-1.netgen" };
        TrainingOptions<double> copy = original.WithValidation(replacement, checkpoint);
        var defaults = new TrainingOptions<double>();

        foreach (PropertyInfo property in typeof(TrainingOptions<double>).GetProperties())
        {
            object? value = property.GetValue(original);
            Assert.False(Equals(value, property.GetValue(defaults)), $"{property.Name} is left at its default in this test");
            object? expected = property.Name switch
            {
                nameof(TrainingOptions<double>.Validation) => replacement,
                nameof(TrainingOptions<double>.Checkpoint) => checkpoint,
                _ => value,
            };
            Assert.Equal(expected, property.GetValue(copy));
        }
    }

    /// <summary>y = 3 x0 - 2 x1 + 1 for x uniform in [-1, 1)².</summary>
    private static Dataset<double> Line(int count, int seed)
    {
        var random = new Random(seed);
        var inputs = new double[2 * count];
        var targets = new double[count];
        for (int i = 0; i < count; i++)
        {
            inputs[2 * i] = (random.NextDouble() * 2) - 1;
            inputs[(2 * i) + 1] = (random.NextDouble() * 2) - 1;
            targets[i] = (3 * inputs[2 * i]) - (2 * inputs[(2 * i) + 1]) + 1;
        }

        return new Dataset<double>(inputs, targets, 2, 1);
    }

    private sealed class Recorder(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }

    /// <summary>A network whose topology text is not one NetworkTopology can read, as a hand-written one may have.</summary>
    private sealed class Untitled(INetwork<float> inner) : INetwork<float>
    {
        public int InputCount => inner.InputCount;

        public int OutputCount => inner.OutputCount;

        public string Topology => "hand-written";

        public Span<float> Parameters => inner.Parameters;

        public Span<float> Gradients => inner.Gradients;

        public void Forward(ReadOnlySpan<float> input, Span<float> output) => inner.Forward(input, output);

        public float Loss(ReadOnlySpan<float> input, ReadOnlySpan<float> target) => inner.Loss(input, target);

        public float Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> target) => inner.Backward(input, target);

        public void ZeroGradients() => inner.ZeroGradients();

        public float TrainStep(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate) => inner.TrainStep(input, target, learningRate);

        public float TrainBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, float learningRate) => inner.TrainBatch(inputs, targets, learningRate);

        public void InitializeParameters(int seed) => inner.InitializeParameters(seed);
    }
}
