using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using System.Text.RegularExpressions;
using NetGen.Generator.Tests.Topologies;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// Image networks against PyTorch: the fixtures in Fixtures/Cnn hold torch's outputs, losses and gradients in double for
/// 120 random stacks of [Conv2D] and [MaxPool2D] layers followed by [Dense] layers (cnn-*.json), and for one network
/// whose pooling windows hold exact ties (ties.json), written by make_cnn_fixtures.py with PyTorch 1.13 (the tests need
/// no Python). All the declarations are compiled in one compilation through the real generator, in double and, for one
/// in four of them, in float; each network is given the fixture's parameters and driven through INetwork&lt;T&gt;.
/// </summary>
/// <remarks>
/// <para><b>Against PyTorch, in double.</b> Both sides compute the same function in double and round in orders of
/// their own, so they differ by rounding only. A value b is compared as <c>|a - b| &lt;= 1e-9 max(|b|, 1e-3 S)</c>, S
/// the scale of what it belongs to (the largest |output| of the case; for a gradient, the largest |gradient| of its own
/// tensor; for the loss, max(L, logit scale)), the rule of RecurrentPyTorchTests. The script measures two correct
/// double implementations (torch's modules, and the convolution and pooling through unfold and a product) against
/// each other by the same rule: at most 6.7e-14, so 1e-9 leaves over ten thousand times that, and any real mistake (a
/// wrong weight, window, stride, padding, channel or slope) moves values by a fair part of their size. The script keeps
/// every ReLU / LeakyReLU pre-activation at least 1e-8 from its kink, and every pooling window's largest value at least
/// 1e-7 (relative) from the others but for exact ties both sides compute exactly (input values, a ReLU's zeros), so
/// rounding cannot make the two sides pick different values.</para>
/// <para><b>Float.</b> Parameters, inputs and targets are multiples of 2^-10, exact in float; a float network is
/// compared with torch's double results as <c>|f - d| &lt;= 1e-3 max(|d|, 1e-2 S)</c>, S the largest |value| of the whole
/// array. torch in float32 against torch in double on the same stacks stays within 1.5e-5 by that rule (the script
/// prints it): 1e-3 leaves over 60 times that for NetGen's own float orders.</para>
/// <para><b>Finite differences.</b> On the stacks without kinks (no ReLU or LeakyReLU), the runtime's GradientCheck
/// compares Backward with central differences of Loss at h = 1e-6, relative to max(|analytic|, |numeric|, 1e-4): the
/// truncation error is below 1e-10 of a slope and the rounding of the difference about 1e-16 (L + 1) / h, so a bound of
/// 1e-5 is a hundred times both, and catches a slope wrong by 1e-4 of itself above the floor.</para>
/// </remarks>
public sealed class CnnPyTorchTests(CnnPyTorchTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<CnnPyTorchTests.Fixture>
{
    private const double Tolerance = 1e-9;
    private const double FloorFraction = 1e-3;
    private const double FloatTolerance = 1e-3;
    private const double FloatFloorFraction = 1e-2;
    private const double DoubleRoundoff = 1.0 / (1L << 53);
    private const int ListedPerCheck = 3;

    /// <summary>A power of two, so that lr * g is exact and p - lr * g rounds once.</summary>
    private const double LearningRate = 0.0625;

    [Fact]
    public void Fixtures_are_consistent_and_cover_every_size_kind_activation_and_loss()
    {
        var seen = new Dictionary<string, int>();
        void Count(string key) => seen[key] = seen.GetValueOrDefault(key) + 1;
        foreach (CnnCase c in fixture.Cases)
        {
            Assert.Equal(c.Samples * c.InputCount, c.Inputs.Length);
            Assert.Equal(c.Samples * c.OutputCount, c.Targets.Length);
            Assert.Equal(c.Samples * c.OutputCount, c.Outputs.Length);
            Assert.Equal(c.Parameters.Length, c.Gradients.Length);
            Assert.Equal(c.Parameters.Length, c.BatchGradients.Length);
            Assert.Equal(c.Parameters.Length, c.Tensors.Sum(t => t.Length));
            foreach (double v in c.Parameters.Concat(c.Inputs).Concat(c.Targets))
            {
                Assert.True(v * 1024 == Math.Round(v * 1024) && Math.Abs(v) <= 1024, $"{c}: {v:R} is not a multiple of 2^-10");
            }

            Assert.True(c.KinkMargin is null || c.KinkMargin >= 1e-8, $"{c}: a ReLU pre-activation {c.KinkMargin:G3} from its kink");
            Assert.True(!c.FiniteDifferences || c.KinkMargin is null, $"{c}: a finite-difference stack with a kink");
            string[] lines = c.Declaration.Split('\n');
            Assert.Matches(@"^\[Network<double>\(\d+, \d+, \d+(, Loss = LossFunction\.\w+)?\)\]$", lines[0]);
            Assert.Equal($"public partial class {c.Name};", lines[^1]);
            Count(c.Loss.ToString());
            Count($"input channels {c.Channels}");
            Count(c.Height % 2 == 1 || c.Width % 2 == 1 ? "odd image size" : "even image size");
            bool dense = false;
            foreach (string layer in lines[1..^1])
            {
                Match conv = Regex.Match(layer, @"^\[Conv2D\((\d+), (\d+)(?:, Activation\.(\w+))?(?:, Stride = (\d+))?(?:, Padding = (\d+))?(, Bias = false)?\)\]$");
                Match pool = Regex.Match(layer, @"^\[MaxPool2D\((\d+)\)\]$");
                Match linear = Regex.Match(layer, @"^\[Dense\((\d+)(?:, Activation\.(\w+))?(, Bias = false)?\)\]$");
                Assert.True(conv.Success || pool.Success || linear.Success, $"{c}: layer line '{layer}'");
                Assert.True(!dense || linear.Success, $"{c}: an image layer after a Dense layer");
                if (conv.Success)
                {
                    Count($"Conv2D out {conv.Groups[1].Value}");
                    Count($"Conv2D k{conv.Groups[2].Value}");
                    Count($"Conv2D {(conv.Groups[3].Success ? conv.Groups[3].Value : "Identity")}");
                    Count($"Conv2D s{(conv.Groups[4].Success ? conv.Groups[4].Value : "1")}");
                    Count($"Conv2D p{(conv.Groups[5].Success ? conv.Groups[5].Value : "0")}");
                    Count(conv.Groups[6].Success ? "Conv2D nobias" : "Conv2D bias");
                }
                else if (pool.Success)
                {
                    Count($"MaxPool2D {pool.Groups[1].Value}");
                }
                else
                {
                    dense = true;
                    Count(linear.Groups[3].Success ? "Dense nobias" : "Dense bias");
                }
            }

            Count($"{lines.Count(l => l.StartsWith("[Conv2D", StringComparison.Ordinal) || l.StartsWith("[MaxPool2D", StringComparison.Ordinal))} image layers");
        }

        output.WriteLine($"{fixture.Cases.Count} fixtures ({fixture.Cases.Count(c => c.Float)} also in float, {fixture.Cases.Count(c => c.FiniteDifferences)} with finite differences), {fixture.Cases.Sum(c => c.Parameters.Length):N0} parameters");
        output.WriteLine(string.Join("\n", seen.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}")));
        Assert.True(fixture.Cases.Count >= 100, $"only {fixture.Cases.Count} fixtures");
        Assert.Equal(fixture.Cases.Count, fixture.Cases.Select(c => c.Name).Distinct().Count());
        string[] required =
        [
            nameof(LossFunction.MeanSquaredError), nameof(LossFunction.CrossEntropy), nameof(LossFunction.BinaryCrossEntropy),
            "odd image size", "Conv2D bias", "Conv2D nobias", "Dense bias", "Dense nobias", "1 image layers", "2 image layers", "3 image layers",
            .. Enumerable.Range(1, 4).Select(n => $"input channels {n}"),
            .. Enumerable.Range(1, 8).Select(n => $"Conv2D out {n}"),
            .. Enumerable.Range(1, 5).Select(k => $"Conv2D k{k}"),
            .. Enumerable.Range(1, 3).Select(s => $"Conv2D s{s}"),
            .. Enumerable.Range(0, 3).Select(p => $"Conv2D p{p}"),
            .. Enumerable.Range(1, 3).Select(s => $"MaxPool2D {s}"),
            .. Enum.GetNames<Activation>().Where(a => a != nameof(Activation.Softmax)).Select(a => $"Conv2D {a}"),
        ];
        foreach (string key in required)
        {
            Assert.True(seen.GetValueOrDefault(key) >= 2, $"'{key}' seen {seen.GetValueOrDefault(key)} times");
        }

        Assert.True(fixture.Cases.Count(c => c.FiniteDifferences) >= 8 && fixture.Cases.Count(c => c.Float) >= 25, "too few finite-difference or float stacks");
    }

    [Fact]
    public void Forward_and_ForwardBatch_match_PyTorch()
    {
        var failures = new List<string>();
        double worst = 0;
        foreach (CnnCase c in fixture.Cases)
        {
            INetwork<double> network = fixture.CreateDouble(c);
            var y = new double[c.Outputs.Length];
            for (int s = 0; s < c.Samples; s++)
            {
                network.Forward(c.Input(s), y.AsSpan(s * c.OutputCount, c.OutputCount));
            }

            worst = Math.Max(worst, Compare(c, "Forward's output", y, c.Outputs, _ => c.OutputScale, Tolerance, FloorFraction, i => $"output {i}", failures));
            var batch = new double[c.Outputs.Length];
            network.ForwardBatch(c.Inputs, batch);
            Same(c, "ForwardBatch against Forward", batch, y, failures);
            AssertUnchanged(c, network.Parameters, "Forward", failures);
        }

        output.WriteLine($"{fixture.CompileSummary}\nForward: {fixture.Cases.Sum(c => c.Outputs.Length):N0} outputs of {fixture.Cases.Count} networks; worst relative error {worst:G3}, tolerance {Tolerance:G3}");
        AssertNone(failures);
    }

    [Fact]
    public void Loss_and_Backward_match_PyTorch()
    {
        // After ZeroGradients: torch's loss and gradients of sample 0, the parameters untouched; a second call adds the
        // same gradient again.
        var failures = new List<string>();
        double worstLoss = 0, worstGradient = 0;
        foreach (CnnCase c in fixture.Cases)
        {
            INetwork<double> network = fixture.CreateDouble(c);
            worstLoss = Math.Max(worstLoss, Compare(c, "Loss", [network.Loss(c.Input(0), c.Target(0))], [c.LossValue], _ => LossScale(c), Tolerance, FloorFraction, _ => "loss", failures));
            network.ZeroGradients();
            double loss = network.Backward(c.Input(0), c.Target(0));
            Compare(c, "Backward's loss", [loss], [c.LossValue], _ => LossScale(c), Tolerance, FloorFraction, _ => "loss", failures);
            worstGradient = Math.Max(worstGradient, Compare(c, "gradient", network.Gradients, c.Gradients, i => c.GradientScales[i], Tolerance, FloorFraction, c.DescribeParameter, failures));
            AssertUnchanged(c, network.Parameters, "Backward", failures);
            network.Backward(c.Input(0), c.Target(0));
            Compare(c, "gradient after two Backward calls (twice torch's)", network.Gradients, [.. c.Gradients.Select(g => 2 * g)], i => 2 * c.GradientScales[i], Tolerance, FloorFraction, c.DescribeParameter, failures);
        }

        output.WriteLine($"Loss and Backward: worst relative error of the losses {worstLoss:G3}, of {fixture.Cases.Sum(c => c.Gradients.Length):N0} gradients {worstGradient:G3}; tolerance {Tolerance:G3}");
        AssertNone(failures);
    }

    [Fact]
    public void TrainStep_and_TrainBatch_step_by_the_PyTorch_gradients()
    {
        // p_after = p - lr g: the change is compared with lr times torch's gradient (one sample for TrainStep, the mean
        // over the batch for TrainBatch), allowing the one rounding of p - lr g (see RecurrentPyTorchTests).
        var failures = new List<string>();
        double worst = 0;
        foreach (CnnCase c in fixture.Cases)
        {
            INetwork<double> network = fixture.CreateDouble(c);
            double loss = network.TrainStep(c.Input(0), c.Target(0), LearningRate);
            Compare(c, "TrainStep's loss", [loss], [c.LossValue], _ => LossScale(c), Tolerance, FloorFraction, _ => "loss", failures);
            worst = Math.Max(worst, CompareStep(c, "TrainStep", network.Parameters, c.Gradients, c.GradientScales, failures));

            network = fixture.CreateDouble(c);
            double batchLoss = network.TrainBatch(c.Inputs, c.Targets, LearningRate);
            Compare(c, "TrainBatch's loss", [batchLoss], [c.BatchLoss], _ => Math.Max(c.BatchLoss, c.LogitScale), Tolerance, FloorFraction, _ => "loss", failures);
            worst = Math.Max(worst, CompareStep(c, "TrainBatch", network.Parameters, c.BatchGradients, c.BatchGradientScales, failures));
        }

        output.WriteLine($"TrainStep and TrainBatch (lr {LearningRate:R}): worst |change - lr g| over its allowance {worst:G3}");
        AssertNone(failures);
    }

    [Fact]
    public void TrainStep_equals_ZeroGradients_Backward_and_an_SGD_step_bit_for_bit()
    {
        var failures = new List<string>();
        foreach (CnnCase c in fixture.Cases)
        {
            INetwork<double> fused = fixture.CreateDouble(c), reference = fixture.CreateDouble(c);
            for (int s = 0; s < c.Samples; s++)
            {
                double a = fused.TrainStep(c.Input(s), c.Target(s), LearningRate);
                reference.ZeroGradients();
                double b = reference.Backward(c.Input(s), c.Target(s));
                Sgd.Step(reference.Parameters, reference.Gradients, LearningRate);
                Same(c, $"TrainStep's loss, sample {s}", [a], [b], failures);
            }

            Same(c, "parameters after TrainStep against Backward and Sgd.Step", fused.Parameters.ToArray(), reference.Parameters.ToArray(), failures);
        }

        AssertNone(failures);
    }

    [Fact]
    public void Float_networks_match_the_PyTorch_double_results()
    {
        var failures = new List<string>();
        double worstOutput = 0, worstGradient = 0;
        int count = 0;
        foreach (CnnCase c in fixture.Cases.Where(c => c.Float))
        {
            count++;
            INetwork<float> network = fixture.CreateFloat(c);
            float[] inputs = ToFloats(c.Inputs), targets = ToFloats(c.Targets);
            var y = new float[c.Outputs.Length];
            network.ForwardBatch(inputs, y);
            worstOutput = Math.Max(worstOutput, Compare(c, "float output", ToDoubles(y), c.Outputs, _ => c.OutputScale, FloatTolerance, FloatFloorFraction, i => $"output {i}", failures));
            network.ZeroGradients();
            float loss = network.Backward(inputs.AsSpan(0, c.InputCount), targets.AsSpan(0, c.OutputCount));
            Compare(c, "float loss", [loss], [c.LossValue], _ => LossScale(c), FloatTolerance, FloatFloorFraction, _ => "loss", failures);
            double largest = c.Gradients.Max(Math.Abs);
            worstGradient = Math.Max(worstGradient, Compare(c, "float gradient", ToDoubles(network.Gradients), c.Gradients, _ => largest, FloatTolerance, FloatFloorFraction, c.DescribeParameter, failures));
        }

        output.WriteLine($"float, {count} networks against torch's double: worst relative error of outputs {worstOutput:G3}, gradients {worstGradient:G3}; tolerance {FloatTolerance:G3}");
        Assert.True(count >= 25, $"only {count} float networks");
        AssertNone(failures);
    }

    [Fact]
    public void Backward_matches_central_differences()
    {
        var failures = new List<string>();
        double worst = 0;
        int count = 0;
        foreach (CnnCase c in fixture.Cases.Where(c => c.FiniteDifferences))
        {
            count++;
            INetwork<double> network = fixture.CreateDouble(c);
            for (int s = 0; s < c.Samples; s++)
            {
                GradientCheckResult result = GradientCheck.Run(network, c.Input(s), c.Target(s), 1e-6, floor: 1e-4);
                worst = Math.Max(worst, result.WorstRelativeError);
                if (!(result.WorstRelativeError <= 1e-5))
                {
                    failures.Add($"{c}, sample {s}: {result} at {c.DescribeParameter(result.WorstIndex)}");
                }
            }
        }

        output.WriteLine($"central differences on {count} networks, 3 samples each: worst relative error {worst:G3} (bound 1e-5, floor 1e-4)");
        Assert.True(count >= 8, $"only {count} finite-difference networks");
        AssertNone(failures);
    }

    [Fact]
    public void A_window_with_tied_largest_values_passes_the_slope_to_the_first_as_PyTorch_does()
    {
        // Channel 0 holds the ties the 1x1 kernel passes on (weight 1); channel 1 (weight 0) tags each position with its
        // own power of two, so the slope of its weight is the sum of the tags of the values the windows chose: torch's
        // 1 + 16 (the first of each tied pair, times their slopes).
        CnnCase c = fixture.Ties;
        INetwork<double> network = fixture.CreateDouble(c);
        var y = new double[1];
        network.Forward(c.Input(0), y);
        Assert.Equal(c.Outputs[0], y[0]);
        network.ZeroGradients();
        Assert.Equal(c.LossValue, network.Backward(c.Input(0), c.Target(0)));
        Assert.Equal(c.Gradients, network.Gradients.ToArray());
    }

    [Fact]
    public void A_NaN_in_a_pooling_window_makes_its_output_NaN()
    {
        // PyTorch's max pooling keeps a NaN (a value replaces the largest so far when it is larger or NaN): so does
        // NetGen, wherever the NaN sits in the window, before or after the window's largest value.
        CnnCase c = fixture.Ties;
        INetwork<double> network = fixture.CreateDouble(c);
        var y = new double[1];
        for (int at = 0; at < 4; at++)
        {
            double[] input = c.Input(0).ToArray();
            input[(at / 2 * 4) + (at % 2)] = double.NaN; // within the first 2x2 window of channel 0
            network.Forward(input, y);
            Assert.True(double.IsNaN(y[0]), $"NaN at window position {at}: output {y[0]:R}");
        }
    }

    [Fact]
    public void Forward_Backward_TrainStep_and_the_batch_members_allocate_nothing_after_warm_up()
    {
        CnnCase[] chosen = [.. fixture.Cases.Where(c => c.Float).Take(3)];
        foreach (CnnCase c in chosen)
        {
            Allocations(c.Name, fixture.CreateDouble(c), c.Inputs, c.Targets, c.InputCount, c.OutputCount, LearningRate);
            Allocations(c.FloatName, fixture.CreateFloat(c), ToFloats(c.Inputs), ToFloats(c.Targets), c.InputCount, c.OutputCount, 0.0625f);
        }
    }

    private static void Allocations<T>(string name, INetwork<T> network, T[] inputs, T[] targets, int inCount, int outCount, T rate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = inputs[..inCount], t = targets[..outCount];
        var y = new T[outCount];
        var batch = new T[targets.Length];
        AssertNoAllocation(name + ".Forward", () =>
        {
            network.Forward(x, y);
            return y[0];
        });
        AssertNoAllocation(name + ".ForwardBatch", () =>
        {
            network.ForwardBatch(inputs, batch);
            return batch[0];
        });
        AssertNoAllocation(name + ".Loss", () => network.Loss(x, t));
        AssertNoAllocation(name + ".Backward", () => network.Backward(x, t));
        AssertNoAllocation(name + ".TrainStep", () => network.TrainStep(x, t, rate));
        AssertNoAllocation(name + ".TrainBatch", () => network.TrainBatch(inputs, targets, rate));
    }

    /// <summary>As RecurrentPyTorchTests': warm up past tiering, then up to three windows of ten calls; one must allocate nothing.</summary>
    private static void AssertNoAllocation<TResult>(string what, Func<TResult> calls)
    {
        for (int w = 0; w < 200; w++)
        {
            GC.KeepAlive(calls());
        }

        var seen = new List<long>();
        for (int window = 0; window < 3; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            TResult result = default!;
            for (int r = 0; r < 10; r++)
            {
                result = calls();
            }

            long after = GC.GetAllocatedBytesForCurrentThread();
            GC.KeepAlive(result);
            if (after == before)
            {
                return;
            }

            seen.Add(after - before);
        }

        Assert.Fail($"{what}: {string.Join(", ", seen)} bytes allocated over 10 calls after warm-up, in each of three windows");
    }

    private static double LossScale(CnnCase c) => Math.Max(c.LossValue, c.LogitScale);

    private double CompareStep(CnnCase c, string what, ReadOnlySpan<double> after, double[] gradients, double[] scales, List<string> failures)
    {
        int listed = 0;
        double worst = 0;
        for (int i = 0; i < after.Length; i++)
        {
            double p = c.Parameters[i], change = p - after[i], expected = LearningRate * gradients[i];
            double allowed = (Tolerance * LearningRate * Math.Max(Math.Abs(gradients[i]), FloorFraction * scales[i]))
                + (DoubleRoundoff * (Math.Abs(p) + Math.Abs(after[i])));
            double ratio = change == expected ? 0 : Math.Abs(change - expected) / allowed;
            worst = Math.Max(worst, double.IsNaN(ratio) ? double.PositiveInfinity : ratio);
            if (!(ratio <= 1) && listed++ < ListedPerCheck)
            {
                failures.Add($"{c}: {what}'s change of parameter {i} ({c.DescribeParameter(i)}): {p:R} -> {after[i]:R}; lr * torch's gradient {expected:R}, allowed {allowed:G3}");
            }
        }

        return worst;
    }

    /// <summary>
    /// |a - b| &lt;= tolerance * max(|b|, floor * scale) for every value; returns the worst |a - b| / max(|b|, floor * scale).
    /// </summary>
    private static double Compare(CnnCase c, string what, ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, Func<int, double> scale, double tolerance, double floorFraction, Func<int, string> describe, List<string> failures)
    {
        Assert.Equal(expected.Length, actual.Length);
        int listed = 0;
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double a = actual[i], b = expected[i];
            double denominator = Math.Max(Math.Abs(b), floorFraction * scale(i));
            double error = a == b ? 0 : Math.Abs(a - b) / denominator;
            worst = Math.Max(worst, double.IsNaN(error) ? double.PositiveInfinity : error);
            if (!(error <= tolerance) && listed++ < ListedPerCheck)
            {
                failures.Add($"{c}: {what} {i} ({describe(i)}) is {a:R}, torch {b:R} (relative error {error:G3})");
            }
        }

        if (listed > ListedPerCheck)
        {
            failures.Add($"{c}: {what}: ... and {listed - ListedPerCheck} more");
        }

        return worst;
    }

    private static void Same<T>(CnnCase c, string what, T[] actual, T[] expected, List<string> failures)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < actual.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(double.CreateChecked(actual[i])) != BitConverter.DoubleToInt64Bits(double.CreateChecked(expected[i])))
            {
                failures.Add($"{c}: {what}: value {i} is {actual[i]}, expected {expected[i]} bit for bit");
                return;
            }
        }
    }

    private static void AssertUnchanged(CnnCase c, ReadOnlySpan<double> parameters, string member, List<string> failures)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(parameters[i]) != BitConverter.DoubleToInt64Bits(c.Parameters[i]))
            {
                failures.Add($"{c}: {member} changed parameter {i}");
                return;
            }
        }
    }

    private static void AssertNone(List<string> failures) =>
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(40)));

    private static float[] ToFloats(double[] values) => Array.ConvertAll(values, v => (float)v);

    private static double[] ToDoubles(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    /// <summary>Reads the fixtures; compiles every declaration (double, and float for the flagged ones) once, on first use.</summary>
    public sealed class Fixture : IDisposable
    {
        public const string Namespace = "CnnPyTorch";

        private readonly Lazy<CompiledNetworks> _networks;
        private double _compileSeconds;

        public Fixture()
        {
            Cases = CnnCase.LoadAll();
            Ties = CnnCase.LoadTies();
            _networks = new Lazy<CompiledNetworks>(() =>
            {
                var stopwatch = Stopwatch.StartNew();
                CompiledNetworks networks = CompiledNetworks.Compile(
                    Namespace,
                    Cases.Select(c => c.Declaration).Concat(Cases.Where(c => c.Float).Select(c => c.FloatDeclaration())).Append(Ties.Declaration));
                _compileSeconds = stopwatch.Elapsed.TotalSeconds;
                return networks;
            });
        }

        public List<CnnCase> Cases { get; }

        public CnnCase Ties { get; }

        public CompiledNetworks Networks => _networks.Value;

        public string CompileSummary =>
            $"{Cases.Count + 1} double and {Cases.Count(c => c.Float)} float networks generated and compiled in {_compileSeconds:F1} s " +
            $"({Networks.GeneratedChars:N0} characters generated)";

        public INetwork<double> CreateDouble(CnnCase c) => WithParameters(Networks.Create<double>($"{Namespace}.{c.Name}"), c);

        public INetwork<float> CreateFloat(CnnCase c) => WithParameters(Networks.Create<float>($"{Namespace}.{c.FloatName}"), c);

        public void Dispose()
        {
            if (_networks.IsValueCreated)
            {
                _networks.Value.Dispose();
            }
        }

        private static INetwork<T> WithParameters<T>(INetwork<T> network, CnnCase c)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Assert.True(network.Parameters.Length == c.Parameters.Length, $"{c}: {network.Parameters.Length} parameters, torch has {c.Parameters.Length}");
            Assert.True(network.InputCount == c.InputCount && network.OutputCount == c.OutputCount, $"{c}: {network.InputCount} inputs and {network.OutputCount} outputs");
            for (int i = 0; i < c.Parameters.Length; i++)
            {
                network.Parameters[i] = T.CreateChecked(c.Parameters[i]);
            }

            return network;
        }
    }
}
