using System;
using System.Linq;
using NetGen;
using static NetGen.Tests.Training.ControlTestSupport;

namespace NetGen.Tests.Training;

/// <summary>
/// ReduceLearningRateOnPlateau as PyTorch's ReduceLROnPlateau: the rule on sequences of measures worked out by hand
/// (PyTorch 1.13 gives the same rates for them), Fit's use of it, refusals.
/// </summary>
public class ReduceOnPlateauTests
{
    /// <summary>
    /// The rate of each epoch for the measures <paramref name="values"/>, through the plateau rule Fit steps after
    /// each epoch, with the reduction max(rate * Factor, MinLearningRate) when it lowers the rate by more than Epsilon.
    /// </summary>
    private static double[] PlateauRates(ReduceLearningRateOnPlateau plateau, double rate, double[] values)
    {
        double best = plateau.Metric is ValidationMetric.Accuracy or ValidationMetric.RSquared ? double.NegativeInfinity : double.PositiveInfinity;
        int bad = 0, cooldown = 0;
        var rates = new double[values.Length + 1];
        for (int e = 0; e < values.Length; e++)
        {
            rates[e] = rate;
            if (Trainer.StepPlateau(plateau, values[e], ref best, ref bad, ref cooldown))
            {
                double reduced = Math.Max(rate * plateau.Factor, plateau.MinLearningRate);
                if (rate - reduced > plateau.Epsilon)
                {
                    rate = reduced;
                }
            }
        }

        rates[^1] = rate;
        return rates;
    }

    [Fact]
    public void Plateau_RelativeThreshold_Patience_Cooldown_AndMinimum_AsPyTorch()
    {
        // mode 'min', threshold 1e-3 'rel', patience 1, cooldown 2, factor 0.5, min_lr 0.02, from 0.1. By the rule:
        // e1 1.0 and e2 0.9 improve; e3 0.95 bad (1); e4 0.9 is not below 0.9 (1 - 1e-3): bad (2 > 1), so the rate
        // halves to 0.05 from epoch 5, cool-down 2; e5 and e6 are in the cool-down (bad count reset); e7 bad (1);
        // e8 0.5 improves; e9, e10 bad: 0.025 from epoch 11, cool-down 2; e11, e12 cool-down; e13, e14 bad: halving
        // would give 0.0125, held at min_lr 0.02 from epoch 15. PyTorch 1.13's ReduceLROnPlateau gives the same list.
        var plateau = new ReduceLearningRateOnPlateau { Factor = 0.5, Patience = 1, Threshold = 1e-3, Cooldown = 2, MinLearningRate = 0.02 };
        double[] values = [1.0, 0.9, 0.95, 0.9, 0.89995, 0.91, 0.92, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6];
        Assert.Equal(
            [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.02, 0.02],
            PlateauRates(plateau, 0.1, values));
    }

    [Fact]
    public void Plateau_HigherIsBetter_AbsoluteThreshold_PatienceZero_AsPyTorch()
    {
        // mode 'max' (accuracy), threshold 0.01 'abs', patience 0, factor 0.1: every epoch not above best + 0.01 cuts
        // the rate tenfold. e1 0.5, e2 0.6 improve; e3 0.6 and e4 0.605 do not (below 0.61); e5 0.62 does; e6, e7
        // do not; e8 0.7 does; e9, e10 do not.
        var plateau = new ReduceLearningRateOnPlateau { Metric = ValidationMetric.Accuracy, Factor = 0.1, Patience = 0, Threshold = 0.01, ThresholdMode = PlateauThresholdMode.Absolute };
        double[] values = [0.5, 0.6, 0.6, 0.605, 0.62, 0.62, 0.62, 0.7, 0.7, 0.7];
        double[] expected = [0.1, 0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1, 0.1 * 0.1 * 0.1, 0.1 * 0.1 * 0.1 * 0.1, 0.1 * 0.1 * 0.1 * 0.1 * 0.1, 0.1 * 0.1 * 0.1 * 0.1 * 0.1, 0.1 * 0.1 * 0.1 * 0.1 * 0.1 * 0.1, 0.1 * 0.1 * 0.1 * 0.1 * 0.1 * 0.1 * 0.1];
        Assert.Equal(expected, PlateauRates(plateau, 0.1, values));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Plateau_InFit_ReducesTheRateAfterPatiencePlusOneBadEpochs(bool withOptimizer)
    {
        // A line fitted exactly to its training data: every gradient is exactly 0, nothing moves, and the validation
        // loss is the same at every epoch. So epoch 1 improves and every later one is bad: with patience 2 and
        // cool-down 1 the rate halves after epochs 4 and 8 (PyTorch gives 0.1 x4, 0.05 x4, 0.025 for the same
        // constant measures).
        (Dataset<double> training, Dataset<double> validation) = OverfittingLine();
        LineNet network = ZeroLine();
        network.Parameters[0] = 2;
        SgdOptimizer<double>? optimizer = withOptimizer ? new SgdOptimizer<double>(LineNet.ParameterCount, 0.1) : null;
        TrainingHistory history = Trainer.Fit(network, training, new TrainingOptions<double>
        {
            Epochs = 9,
            BatchSize = 8,
            LearningRate = 0.1,
            Optimizer = optimizer,
            Validation = validation,
            ReduceLearningRateOnPlateau = new ReduceLearningRateOnPlateau { Factor = 0.5, Patience = 2, Cooldown = 1 },
        });

        Assert.All(history, e => Assert.Equal(0.0, e.TrainingLoss));
        Assert.Equal([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025], history.Select(e => e.LearningRate));
        if (optimizer is not null)
        {
            Assert.Equal(0.025, optimizer.LearningRate);
        }
    }

    [Fact]
    public void Plateau_Refusals_NameOptions_AndChangeNothing()
    {
        (Dataset<double> training, Dataset<double> validation) = OverfittingLine();
        var network = new LineNet();
        double[] before = network.Parameters.ToArray();
        var optimizer = new SgdOptimizer<double>(LineNet.ParameterCount, 0.1);

        void Refused<TException>(ReduceLearningRateOnPlateau plateau, Dataset<double>? validationSet = null, Func<int, double>? schedule = null)
            where TException : ArgumentException
        {
            TException e = Assert.Throws<TException>(() => Trainer.Fit(network, training, new TrainingOptions<double>
            {
                Optimizer = optimizer,
                Validation = validationSet ?? validation,
                LearningRateSchedule = schedule,
                ReduceLearningRateOnPlateau = plateau,
            }));
            Assert.Equal("options", e.ParamName);
            NetGen.Tests.Support.Bits.Equal<double>(before, network.Parameters, "parameters after a refusal");
            Assert.Equal(0.1, optimizer.LearningRate);
        }

        Assert.Equal("options", Assert.Throws<ArgumentException>(() =>
            Trainer.Fit(network, training, new TrainingOptions<double> { ReduceLearningRateOnPlateau = new ReduceLearningRateOnPlateau() })).ParamName);
        Refused<ArgumentException>(new ReduceLearningRateOnPlateau(), schedule: LearningRateSchedules.Constant(0.1));
        Refused<ArgumentOutOfRangeException>(new ReduceLearningRateOnPlateau { Factor = 1 });
        Refused<ArgumentOutOfRangeException>(new ReduceLearningRateOnPlateau { Factor = 0 });
        Refused<ArgumentOutOfRangeException>(new ReduceLearningRateOnPlateau { Factor = double.NaN });
        Refused<ArgumentOutOfRangeException>(new ReduceLearningRateOnPlateau { Patience = -1 });
        Refused<ArgumentOutOfRangeException>(new ReduceLearningRateOnPlateau { Cooldown = -1 });
        Refused<ArgumentOutOfRangeException>(new ReduceLearningRateOnPlateau { Threshold = -1 });
        Refused<ArgumentOutOfRangeException>(new ReduceLearningRateOnPlateau { MinLearningRate = double.NaN });
        Refused<ArgumentOutOfRangeException>(new ReduceLearningRateOnPlateau { Epsilon = -1 });
        Refused<ArgumentOutOfRangeException>(new ReduceLearningRateOnPlateau { ThresholdMode = (PlateauThresholdMode)5 });
        Refused<ArgumentException>(new ReduceLearningRateOnPlateau { Metric = ValidationMetric.Accuracy });
    }
}
