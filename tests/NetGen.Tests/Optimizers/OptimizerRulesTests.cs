using System;
using System.Numerics;
using NetGen;

namespace NetGen.Tests.Optimizers;

/// <summary>
/// The optimizers against update sequences worked out by hand from the published rules of torch.optim.SGD,
/// Adam and AdamW (the pseudo-code on their PyTorch documentation pages), not from the implementation:
/// <code>
/// SGD:   g += λp;  b = g (first step) or μb + (1-τ)g;  g = nesterov ? g + μb : b;  p -= lr g
/// Adam:  g += λp;  m = β1 m + (1-β1) g;  v = β2 v + (1-β2) g²;  m̂ = m/(1-β1^t);  v̂ = v/(1-β2^t);  p -= lr m̂/(√v̂ + ε)
/// AdamW: p *= 1 - lr λ;  then Adam without the λp term
/// </code>
/// Every case starts from p = [1, -2, 0.5] and feeds the same four gradients, one per step.
/// </summary>
public class OptimizerRulesTests
{
    private static readonly double[] StartingPoint = [1.0, -2.0, 0.5];

    private static readonly double[][] GradientSequence =
    [
        [0.5, -1.0, 0.25],
        [0.25, 0.5, -0.75],
        [-0.5, 0.125, 1.0],
        [1.0, -0.25, 0.5],
    ];

    // ---- SGD. The first rows can be checked in one's head: plain SGD step 1 is 1 - 0.1 * 0.5 = 0.95; with momentum
    // 0.9 the first buffer is g itself (0.95 again), the second is 0.9 * 0.5 + 0.25 = 0.7, so 0.95 - 0.07 = 0.88.

    [Fact]
    public void Sgd_Plain() => Check(
        () => new SgdOptimizer<double>(3, 0.1),
        () => new SgdOptimizer<float>(3, 0.1),
        [
            [0.95, -1.9, 0.475],
            [0.9249999999999999, -1.95, 0.55],
            [0.975, -1.9625, 0.45000000000000007],
            [0.875, -1.9375, 0.4000000000000001],
        ]);

    [Fact]
    public void Sgd_WeightDecay() => Check(
        () => new SgdOptimizer<double>(3, 0.1, weightDecay: 0.1),
        () => new SgdOptimizer<float>(3, 0.1, weightDecay: 0.1),
        [
            // Step 1: g = 0.5 + 0.1 * 1 = 0.6, p = 1 - 0.06 = 0.94.
            [0.94, -1.88, 0.47],
            [0.9056, -1.9111999999999998, 0.5403],
            [0.9465439999999999, -1.9045879999999997, 0.434897],
            [0.8370785599999999, -1.8605421199999996, 0.38054803],
        ]);

    [Fact]
    public void Sgd_Momentum() => Check(
        () => new SgdOptimizer<double>(3, 0.1, momentum: 0.9),
        () => new SgdOptimizer<float>(3, 0.1, momentum: 0.9),
        [
            [0.95, -1.9, 0.475],
            [0.88, -1.8599999999999999, 0.5275],
            [0.867, -1.8364999999999998, 0.47474999999999995],
            [0.7553, -1.7903499999999999, 0.3772749999999999],
        ]);

    [Fact]
    public void Sgd_MomentumWithDampening_FirstBufferIsTheUndampenedGradient() => Check(
        () => new SgdOptimizer<double>(3, 0.1, momentum: 0.9, dampening: 0.5),
        () => new SgdOptimizer<float>(3, 0.1, momentum: 0.9, dampening: 0.5),
        [
            // Step 1 equals plain SGD: torch sets b = g, not (1 - τ) g. Step 2: b = 0.45 + 0.5 * 0.25 = 0.575.
            [0.95, -1.9, 0.475],
            [0.8925, -1.835, 0.49],
            [0.86575, -1.78275, 0.4535],
            [0.791675, -1.723225, 0.39565],
        ]);

    [Fact]
    public void Sgd_Nesterov() => Check(
        () => new SgdOptimizer<double>(3, 0.1, momentum: 0.9, nesterov: true),
        () => new SgdOptimizer<float>(3, 0.1, momentum: 0.9, nesterov: true),
        [
            // Step 1: b = 0.5, g = 0.5 + 0.9 * 0.5 = 0.95, p = 1 - 0.095 = 0.905.
            [0.905, -1.81, 0.4525],
            [0.8170000000000001, -1.824, 0.5747500000000001],
            [0.8553000000000001, -1.81535, 0.42727500000000007],
            [0.6547700000000001, -1.748815, 0.28954750000000007],
        ]);

    [Fact]
    public void Sgd_MomentumDampeningAndWeightDecay() => Check(
        () => new SgdOptimizer<double>(3, 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01),
        () => new SgdOptimizer<float>(3, 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01),
        [
            [0.949, -1.898, 0.4745],
            [0.8797459, -1.8494918, 0.5186229499999999],
            [0.86162543869, -1.81541987738, 0.4678668443449999],
            [0.7545415606161789, -1.7606212691323582, 0.3767652690955894],
        ]);

    [Fact]
    public void Sgd_NesterovAndWeightDecay() => Check(
        () => new SgdOptimizer<double>(3, 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.1),
        () => new SgdOptimizer<float>(3, 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.1),
        [
            [0.886, -1.772, 0.443],
            [0.773066, -1.736132, 0.552783],
            [0.782211146, -1.665562292, 0.38757182300000004],
            [0.5475373596259999, -1.527279059252, 0.23149294606300005],
        ]);

    // ---- Adam. Step 1 by hand: m = 0.1 * 0.5 = 0.05, v = 0.001 * 0.25, m̂ = 0.5, v̂ = 0.25,
    // p = 1 - 0.01 * 0.5 / (0.5 + 1e-8) = 0.9900000002: the bias correction makes the first step lr-sized.

    [Fact]
    public void Adam_Defaults() => Check(
        () => new AdamOptimizer<double>(3, 0.01),
        () => new AdamOptimizer<float>(3, 0.01),
        [
            [0.9900000002, -1.9900000001, 0.49000000039999997],
            [0.9806782040477462, -1.9873366297370902, 0.4949418986445851],
            [0.9795703733601093, -1.9860010319297372, 0.4922978964606631],
            [0.9743755412730463, -1.9836707990556606, 0.4881585424844876],
        ]);

    [Fact]
    public void Adam_OtherBetasAndEpsilon() => Check(
        () => new AdamOptimizer<double>(3, 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-3),
        () => new AdamOptimizer<float>(3, 0.1, beta1: 0.8, beta2: 0.99, epsilon: 1e-3),
        [
            // Step 1: p = 1 - 0.1 * 0.5 / (0.5 + 0.001) = 0.90019960...
            [0.9001996007984032, -1.9000999000999002, 0.40039840637450197],
            [0.8089381041856539, -1.8790129087685092, 0.4548510950353468],
            [0.8070495245688967, -1.8717393335522088, 0.4237991452430248],
            [0.7522844583363062, -1.8515522291942048, 0.37702407648678227],
        ]);

    [Fact]
    public void Adam_WeightDecayIsL2OnTheGradient() => Check(
        () => new AdamOptimizer<double>(3, 0.01, weightDecay: 0.1),
        () => new AdamOptimizer<float>(3, 0.01, weightDecay: 0.1),
        [
            [0.9900000001666667, -1.9900000000833333, 0.4900000003333333],
            [0.980465827519045, -1.985312258721214, 0.49420654773996286],
            [0.9772928152861048, -1.981315641178588, 0.4909481594940265],
            [0.9710665042755539, -1.9762588363154536, 0.4862238312506606],
        ]);

    [Fact]
    public void AdamW_DecoupledWeightDecay() => Check(
        () => new AdamWOptimizer<double>(3, 0.01, weightDecay: 0.1),
        () => new AdamWOptimizer<float>(3, 0.01, weightDecay: 0.1),
        [
            // Step 1: p = 1 * (1 - 0.01 * 0.1) = 0.999, then the same Adam step as above: 0.999 - 0.0099999998.
            [0.9890000002, -1.9880000001, 0.48950000039999997],
            [0.9786892040475462, -1.9833486297369902, 0.4939523986441851],
            [0.9766026841558618, -1.9800296832999003, 0.4908144440616189],
            [0.9704312493846429, -1.9757194207425237, 0.4861842756413818],
        ]);

    [Fact]
    public void AdamW_StrongDecayAndOtherBetas() => Check(
        () => new AdamWOptimizer<double>(3, 0.1, beta1: 0.5, beta2: 0.9, weightDecay: 0.5),
        () => new AdamWOptimizer<float>(3, 0.1, beta1: 0.5, beta2: 0.9, weightDecay: 0.5),
        [
            [0.8500000019999999, -1.800000001, 0.3750000039999998],
            [0.7218087258472783, -1.7100000009499998, 0.4292643070397353],
            [0.7186894615052001, -1.635971831821499, 0.35596975356785715],
            [0.6110808109299964, -1.535703008242256, 0.2732285570961671],
        ]);

    [Fact]
    public void AdamW_DefaultWeightDecayIsPyTorchs() => Assert.Equal(0.01, new AdamWOptimizer<float>(1).WeightDecay);

    [Fact]
    public void Adam_CountsSteps()
    {
        var adam = new AdamOptimizer<double>(1);
        double[] p = [1.0];
        adam.Step(p, [1.0]);
        adam.Step(p, [1.0]);
        Assert.Equal(2, adam.StepCount);
        adam.Reset();
        Assert.Equal(0, adam.StepCount);
    }

    [Fact]
    public void Sgd_WithoutMomentumMatchesSgdStepBitForBit()
    {
        var random = new Random(7);
        double[] a = new double[50], b = new double[50], g = new double[50];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = b[i] = random.NextDouble() - 0.5;
            g[i] = random.NextDouble() - 0.5;
        }

        var optimizer = new SgdOptimizer<double>(50, 0.037);
        for (int step = 0; step < 3; step++)
        {
            optimizer.Step(a, g);
            Sgd.Step<double>(b, g, 0.037);
        }

        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(b[i]), BitConverter.DoubleToInt64Bits(a[i]));
        }
    }

    [Fact]
    public void LearningRate_ChangeTakesEffectOnTheNextStep()
    {
        var sgd = new SgdOptimizer<double>(3, 0.1);
        double[] p = (double[])StartingPoint.Clone();
        sgd.Step(p, GradientSequence[0]);
        sgd.LearningRate = 0.05;
        sgd.Step(p, GradientSequence[1]);

        // 0.95 - 0.05 * 0.25, -1.9 - 0.05 * 0.5, 0.475 - 0.05 * (-0.75).
        AssertClose([0.9375, -1.925, 0.5125], p, 1e-15);
        Assert.Equal(0.05, sgd.LearningRate);
    }

    [Fact]
    public void LearningRate_ZeroLeavesAdamParametersButAdvancesItsState()
    {
        var adam = new AdamOptimizer<double>(3, 0.01);
        double[] p = (double[])StartingPoint.Clone();
        adam.LearningRate = 0;
        adam.Step(p, GradientSequence[0]);
        Assert.Equal(StartingPoint, p);
        adam.LearningRate = 0.01;
        adam.Step(p, GradientSequence[1]);

        // Step 2 from p = [1, -2, 0.5], worked out from the rule: m = 0.9*0.05 + 0.1*0.25 = 0.07,
        // v = 0.999*0.00025 + 0.001*0.0625 = 0.00031225, m̂ = 0.07/0.19, v̂ = 0.00031225/0.001999.
        double mHat = 0.07 / 0.19, vHat = 0.00031225 / 0.001999;
        Assert.Equal(1 - (0.01 * mHat / (Math.Sqrt(vHat) + 1e-8)), p[0], 1e-15);
        Assert.Equal(2, adam.StepCount);
    }

    [Theory]
    [InlineData("sgd-momentum")]
    [InlineData("sgd-nesterov")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void Reset_StartsTheSequenceAgain(string kind)
    {
        IOptimizer<double> optimizer = Create(kind);
        double[] first = Run(optimizer, 3);
        optimizer.Reset();
        double[] again = Run(optimizer, 3);
        double[] fresh = Run(Create(kind), 3);
        Assert.Equal(fresh, first);
        Assert.Equal(fresh, again);

        static double[] Run(IOptimizer<double> optimizer, int steps)
        {
            double[] p = (double[])StartingPoint.Clone();
            for (int t = 0; t < steps; t++)
            {
                optimizer.Step(p, GradientSequence[t]);
            }

            return p;
        }
    }

    internal static IOptimizer<double> Create(string kind) => kind switch
    {
        "sgd" => new SgdOptimizer<double>(3, 0.1),
        "sgd-momentum" => new SgdOptimizer<double>(3, 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01),
        "sgd-nesterov" => new SgdOptimizer<double>(3, 0.1, momentum: 0.9, nesterov: true),
        "adam" => new AdamOptimizer<double>(3, 0.01, weightDecay: 0.1),
        "adamw" => new AdamWOptimizer<double>(3, 0.01),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Runs both precisions through the four steps and compares each step with the hand-worked values.</summary>
    private static void Check(Func<IOptimizer<double>> createDouble, Func<IOptimizer<float>> createFloat, double[][] expected)
    {
        Assert.Equal(GradientSequence.Length, expected.Length);

        IOptimizer<double> d = createDouble();
        double[] pd = (double[])StartingPoint.Clone();
        IOptimizer<float> f = createFloat();
        float[] pf = Array.ConvertAll(StartingPoint, x => (float)x);
        for (int t = 0; t < GradientSequence.Length; t++)
        {
            d.Step(pd, GradientSequence[t]);
            f.Step(pf, Array.ConvertAll(GradientSequence[t], x => (float)x));
            AssertClose(expected[t], pd, 1e-14, $"double, step {t + 1}");
            AssertClose(expected[t], Array.ConvertAll(pf, x => (double)x), 3e-6, $"float, step {t + 1}");
        }
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{what} parameter {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance:G2})");
        }
    }
}
