using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen;
using NetGen.Tests.Support;
using static NetGen.Tests.Training.ControlTestSupport;

namespace NetGen.Tests.Training;

/// <summary>
/// TrainingOptions.ClassWeights: the loss and gradient of PyTorch's class-weighted losses (a fixture written by
/// Fixtures/training/make_class_weights.py with PyTorch 1.13 in float64), and by hand; refusals.
/// </summary>
public class ClassWeightTests
{
    [Fact]
    public void Softmax_GradientAndLoss_AreCrossEntropyLossWithWeight_DividedByTheSumOfWeights()
    {
        Case c = Fixture("softmax");
        var network = new WeightedSoftmaxNet();
        c.Parameters.CopyTo(network.Parameters);
        var recorder = new GradientRecorder(WeightedSoftmaxNet.ParameterCount);

        TrainingHistory history = Trainer.Fit(network, c.Data(3, 3), Options(c, recorder));

        AssertClose(c.Gradient, Assert.Single(recorder.Gradients), "gradient");
        Assert.Equal(c.Loss, history[0].TrainingLoss, 1e-13);
    }

    [Fact]
    public void Binary_GradientAndLoss_AreTheTwoClassWeightedLoss()
    {
        Case c = Fixture("binary");
        var network = new LogisticNet();
        c.Parameters.CopyTo(network.Parameters);
        var recorder = new GradientRecorder(LogisticNet.ParameterCount);

        TrainingHistory history = Trainer.Fit(network, c.Data(2, 1), Options(c, recorder));

        AssertClose(c.Gradient, Assert.Single(recorder.Gradients), "gradient");
        Assert.Equal(c.Loss, history[0].TrainingLoss, 1e-13);
    }

    [Fact]
    public void Binary_ByHand_FromTheDefinition()
    {
        // L = Σ w[y] · bce(σ(z), y) / Σ w[y], z = w0 x0 + w1 x1 + b, so dL/dz_n = w[y_n] (σ(z_n) - y_n) / Σ w[y].
        double[] inputs = [0.5, -1, /**/ 1.5, 0.25, /**/ -0.75, 2, /**/ 0.1, 0.1];
        double[] labels = [0, 1, 0, 0];
        double[] weights = [0.25, 4];
        var network = new LogisticNet();
        double[] p = [0.3, -0.2, 0.1];
        p.CopyTo(network.Parameters);
        var recorder = new GradientRecorder(LogisticNet.ParameterCount);
        TrainingHistory history = Trainer.Fit(network, new Dataset<double>(inputs, labels, 2, 1), new TrainingOptions<double>
        {
            Epochs = 1,
            BatchSize = 4,
            Shuffle = false,
            Optimizer = recorder,
            ClassWeights = weights,
        });

        double[] expected = new double[3];
        double sumOfWeights = 0, loss = 0;
        for (int n = 0; n < 4; n++)
        {
            double x0 = inputs[2 * n], x1 = inputs[(2 * n) + 1], y = labels[n], w = weights[(int)y];
            double sigma = 1 / (1 + Math.Exp(-((p[0] * x0) + (p[1] * x1) + p[2])));
            expected[0] += w * (sigma - y) * x0;
            expected[1] += w * (sigma - y) * x1;
            expected[2] += w * (sigma - y);
            loss -= w * ((y * Math.Log(sigma)) + ((1 - y) * Math.Log(1 - sigma)));
            sumOfWeights += w;
        }

        AssertClose(expected.Select(g => g / sumOfWeights).ToArray(), recorder.Gradients[0], "gradient");
        Assert.Equal(loss / sumOfWeights, history[0].TrainingLoss, 1e-13);
    }

    [Fact]
    public void WithoutAnOptimizer_PlainSgdStepsTheWeightedGradient()
    {
        Case c = Fixture("softmax");
        var recorded = new WeightedSoftmaxNet();
        c.Parameters.CopyTo(recorded.Parameters);
        var recorder = new GradientRecorder(WeightedSoftmaxNet.ParameterCount);
        Trainer.Fit(recorded, c.Data(3, 3), Options(c, recorder));

        var network = new WeightedSoftmaxNet();
        c.Parameters.CopyTo(network.Parameters);
        Trainer.Fit(network, c.Data(3, 3), Options(c, null));

        double[] expected = c.Parameters.ToArray();
        Sgd.Step<double>(expected, recorder.Gradients[0], 0.1);
        Bits.Equal<double>(expected, network.Parameters, "p - lr * g");
    }

    [Fact]
    public void EqualWeights_GiveTheUnweightedMeanGradient()
    {
        Case c = Fixture("softmax");
        double[] Gradient(double[]? weights)
        {
            var network = new WeightedSoftmaxNet();
            c.Parameters.CopyTo(network.Parameters);
            var recorder = new GradientRecorder(WeightedSoftmaxNet.ParameterCount);
            Trainer.Fit(network, c.Data(3, 3), new TrainingOptions<double> { Epochs = 1, BatchSize = 7, Shuffle = false, Optimizer = recorder, ClassWeights = weights });
            return recorder.Gradients[0];
        }

        AssertClose(Gradient(null), Gradient([2.5, 2.5, 2.5]), "gradient");
    }

    [Fact]
    public void TheEpochsTrainingLoss_IsTheWeightedMeanOverItsSamples()
    {
        // A learning rate of 0 keeps the parameters, so each sample's loss is the network's Loss throughout.
        Case c = Fixture("softmax");
        var network = new WeightedSoftmaxNet();
        c.Parameters.CopyTo(network.Parameters);
        Dataset<double> data = c.Data(3, 3);
        TrainingHistory history = Trainer.Fit(network, data, new TrainingOptions<double>
        {
            Epochs = 1,
            BatchSize = 3,
            LearningRate = 0,
            ClassWeights = c.Weights,
        });

        double sum = 0, weights = 0;
        for (int n = 0; n < data.Count; n++)
        {
            double w = c.Weights[c.Labels[n]];
            sum += w * network.Loss(data.GetInput(n), data.GetTarget(n));
            weights += w;
        }

        Assert.Equal(sum / weights, history[0].TrainingLoss, 1e-13);
    }

    [Fact]
    public void Refusals_NameOptions_AndChangeNothing()
    {
        Case c = Fixture("softmax");
        var network = new WeightedSoftmaxNet();
        double[] before = network.Parameters.ToArray();
        Dataset<double> data = c.Data(3, 3);

        void Refused<TException>(Dataset<double> training, double[] weights)
            where TException : ArgumentException
        {
            TException e = Assert.Throws<TException>(() =>
                Trainer.Fit(network, training, new TrainingOptions<double> { Epochs = 1, ClassWeights = weights }));
            Assert.Equal("options", e.ParamName);
            Bits.Equal<double>(before, network.Parameters, "parameters after a refusal");
        }

        Refused<ArgumentException>(data, [1, 2]);
        Refused<ArgumentException>(data, [1, 2, 3, 4]);
        Refused<ArgumentOutOfRangeException>(data, [1, 0, 1]);
        Refused<ArgumentOutOfRangeException>(data, [1, -1, 1]);
        Refused<ArgumentOutOfRangeException>(data, [1, double.NaN, 1]);
        Refused<ArgumentOutOfRangeException>(data, [1, double.PositiveInfinity, 1]);

        double[] soft = data.Targets.ToArray();
        soft[0] = 0.9;
        soft[1] = 0.1;
        Refused<ArgumentException>(new Dataset<double>(data.Inputs, soft, 3, 3), [1, 2, 3]);
        double[] two = data.Targets.ToArray();
        two[2] = 1;
        Refused<ArgumentException>(new Dataset<double>(data.Inputs, two, 3, 3), [1, 2, 3]);

        // Binary: two weights, targets 0 or 1.
        var logistic = new LogisticNet();
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => Trainer.Fit(logistic, new Dataset<double>(new double[4], new double[] { 0, 0.5 }, 2, 1), new TrainingOptions<double> { ClassWeights = [1.0, 2.0] })).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() => Trainer.Fit(logistic, new Dataset<double>(new double[4], new double[] { 0, 1 }, 2, 1), new TrainingOptions<double> { ClassWeights = [1.0] })).ParamName);
    }

    private static TrainingOptions<double> Options(Case c, IOptimizer<double>? optimizer) => new()
    {
        Epochs = 1,
        BatchSize = c.Labels.Length,
        Shuffle = false,
        LearningRate = 0.1,
        Optimizer = optimizer,
        ClassWeights = c.Weights,
    };

    /// <summary>Within 1e-12 relative (or 1e-15 of the largest): both sides compute in double, in different orders.</summary>
    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= Math.Max(1e-12 * Math.Abs(expected[i]), 1e-15 * scale),
                $"{what}[{i}]: expected {expected[i]:R}, actual {actual[i]:R}");
        }
    }

    private static Case Fixture(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "training", "class_weights.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement e = document.RootElement.GetProperty(name);
        static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        return new Case(
            Doubles(e.GetProperty("parameters")),
            Doubles(e.GetProperty("inputs")),
            e.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
            Doubles(e.GetProperty("weights")),
            e.GetProperty("loss").GetDouble(),
            Doubles(e.GetProperty("gradient")));
    }

    private sealed record Case(double[] Parameters, double[] Inputs, int[] Labels, double[] Weights, double Loss, double[] Gradient)
    {
        /// <summary>The samples with one-hot targets (or, with one output, the label itself).</summary>
        public Dataset<double> Data(int inputCount, int outputCount)
        {
            var targets = new double[Labels.Length * outputCount];
            for (int n = 0; n < Labels.Length; n++)
            {
                if (outputCount == 1)
                {
                    targets[n] = Labels[n];
                }
                else
                {
                    targets[(n * outputCount) + Labels[n]] = 1;
                }
            }

            return new Dataset<double>(Inputs, targets, inputCount, outputCount);
        }
    }
}
