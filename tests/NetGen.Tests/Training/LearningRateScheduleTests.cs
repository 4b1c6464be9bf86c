using System;
using System.Linq;
using NetGen;
using static NetGen.Tests.Training.ControlTestSupport;

namespace NetGen.Tests.Training;

/// <summary>
/// LearningRateSchedules' values from their definitions (PyTorch's StepLR, CosineAnnealingLR, LinearLR then
/// SequentialLR, with epoch e at PyTorch's step e - 1), and Fit's use of them.
/// </summary>
public class LearningRateScheduleTests
{
    private static double[] Rates(Func<int, double> schedule, int epochs) => Enumerable.Range(1, epochs).Select(schedule).ToArray();

    /// <summary>Equal within 1e-16 (a rounding or two of the products in the definitions).</summary>
    private static void AssertRates(double[] expected, System.Collections.Generic.IEnumerable<double> actual)
    {
        double[] values = actual.ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - values[i]) <= 1e-16, $"epoch {i + 1}: expected {expected[i]:R}, actual {values[i]:R}");
        }
    }

    [Fact]
    public void Step_MultipliesByGammaEveryStepSizeEpochs()
    {
        // StepLR(step_size=3, gamma=0.5) from 0.1: three epochs at each rate.
        AssertRates([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125], Rates(LearningRateSchedules.Step(0.1, 3, 0.5), 10));
        AssertRates([1.0, 0.1, 0.01], Rates(LearningRateSchedules.Step(1, 1), 3)); // gamma 0.1 by default
    }

    [Fact]
    public void Cosine_IsTheClosedFormOfCosineAnnealing()
    {
        // eta_min + (initial - eta_min) (1 + cos(pi t / T_max)) / 2 at t = e - 1: initial at epoch 1, the midpoint at
        // t = T_max / 2, eta_min at t = T_max, and back up after it.
        Func<int, double> cosine = LearningRateSchedules.Cosine(0.1, 10, 0.01);
        Assert.Equal(0.1, cosine(1), 1e-17);
        Assert.Equal(0.055, cosine(6), 1e-16);
        Assert.Equal(0.01, cosine(11), 1e-17);
        Assert.Equal(cosine(10), cosine(12), 1e-16);
        Assert.Equal(0.01 + (0.09 * (1 + Math.Cos(Math.PI * 3 / 10)) / 2), cosine(4), 1e-17);
        Assert.Equal(0.5 * (1 + Math.Cos(Math.PI / 4)), LearningRateSchedules.Cosine(1, 4)(2), 1e-16);
    }

    [Fact]
    public void WarmUp_RampsLinearlyToTheNextScheduleThenRunsItFromItsEpochOne()
    {
        // LinearLR(start_factor=0.25, total_iters=4) on then(1) = 0.1: 0.025, 0.04375, 0.0625, 0.08125; then the
        // cosine from its own epoch 1.
        Func<int, double> cosine = LearningRateSchedules.Cosine(0.1, 10);
        Func<int, double> schedule = LearningRateSchedules.WarmUp(4, 0.25, cosine);
        double[] rates = Rates(schedule, 16);
        double[] expected = [0.025, 0.04375, 0.0625, 0.08125, .. Enumerable.Range(1, 12).Select(cosine)];
        for (int e = 0; e < 16; e++)
        {
            Assert.Equal(expected[e], rates[e], 1e-17);
        }

        Assert.Equal(0.1, rates[4]);
        Assert.Equal(0.0, rates[14], 1e-17);

        // Composable: a warm-up in front of a step schedule, or a fixed rate.
        AssertRates([0.5, 1.0, 1.0, 0.5, 0.5], Rates(LearningRateSchedules.WarmUp(1, 0.5, LearningRateSchedules.Step(1, 2, 0.5)), 5));
        AssertRates([0.01, 0.02, 0.03, 0.04, 0.04], Rates(LearningRateSchedules.WarmUp(3, 0.25, LearningRateSchedules.Constant(0.04)), 5));
    }

    [Fact]
    public void Fit_UsesTheScheduleEpochByEpoch_AndTheHistoryRecordsIt()
    {
        Dataset<double> data = TrainerTests.Regression(8, seed: 51);
        var optimizer = new SgdOptimizer<double>(RegressionNet.ParameterCount, 1);
        var seen = new System.Collections.Generic.List<double>();
        TrainingHistory history = Trainer.Fit(new RegressionNet(), data, new TrainingOptions<double>
        {
            Epochs = 6,
            BatchSize = 4,
            Optimizer = optimizer,
            LearningRateSchedule = LearningRateSchedules.WarmUp(2, 0.5, LearningRateSchedules.Step(0.02, 2, 0.5)),
            OnBatch = (p, _) => seen.Add(optimizer.LearningRate),
        });

        double[] expected = [0.01, 0.015, 0.02, 0.02, 0.01, 0.01];
        AssertRates(expected, history.Select(e => e.LearningRate));
        AssertRates(expected.SelectMany(r => new[] { r, r }).ToArray(), seen);
    }

    [Fact]
    public void Refusals()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedules.Constant(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedules.Step(double.NaN, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedules.Step(0.1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedules.Step(0.1, 1, -0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedules.Cosine(0.1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedules.Cosine(0.1, 5, double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedules.WarmUp(0, 0.5, LearningRateSchedules.Constant(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedules.WarmUp(2, 0, LearningRateSchedules.Constant(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedules.WarmUp(2, 1.5, LearningRateSchedules.Constant(1)));
        Assert.Throws<ArgumentNullException>(() => LearningRateSchedules.WarmUp(2, 0.5, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedules.Step(0.1, 2)(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedules.Cosine(0.1, 2)(-1));
    }
}
