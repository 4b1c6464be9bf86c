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
/// Streaming networks against PyTorch: the fixtures in Fixtures/Recurrent hold torch's outputs, loss and gradients in
/// double for 137 GRU / LSTM / Dense stacks (recurrent-*.json) and 70 stacks with 1 to 3 causal Conv1D layers mixed
/// with GRU, LSTM and Dense layers (conv-*.json) (make_recurrent_fixtures.py, run once with PyTorch; the tests need
/// no Python). All their declarations are compiled in one compilation through the real generator, in double and, for
/// the finite-difference stacks and one in six of the others, in float; each network is given the fixture's
/// parameters and driven through ISequenceNetwork&lt;T&gt;.
/// </summary>
/// <remarks>
/// <para><b>Against PyTorch, in double.</b> Both sides compute the same function in double and round in orders of
/// their own (torch's fused GRU / LSTM kernels and BLAS products, NetGen's sums), so they differ by rounding only. A
/// value b is compared as <c>|a - b| &lt;= 1e-9 max(|b|, 1e-3 S)</c>, with S the scale of what it belongs to: for an
/// output, the largest |output| of the sequence; for a gradient, the largest |gradient| of its own tensor (one layer's
/// weight_hh, say: the tensors' slopes can differ by orders of magnitude, and a slope's rounding comes from the sums
/// of its own tensor); for the loss, max(L, logit scale), because the cross-entropies are differences of terms as
/// large as the logits. The numbers are measured, not guessed: the fixture script computes every stack twice in
/// double, with torch's modules and with a step-by-step implementation of its own in other operation orders, and
/// prints how far they disagree: at most 2.5e-13 relative on values above the floor (3.2e-13 on the Conv1D stacks),
/// at most 2.4e-16 S on values below it (3.2e-16 S), and up to 3.2e-14 S in absolute terms on a large value. 1e-9 is
/// over 3000 times the first; the floor's allowance of 1e-12 S is over 3000 times the second. A floor of 1e-6 S (an
/// allowance of 1e-15 S) would not be sound: a value that cancels down to near zero keeps the absolute rounding of
/// the terms it came from, and honest rounding of 3.2e-14 S has been seen. Any real mistake (a wrong weight, index,
/// gate, bias, tap, step or slope) moves values by a fair part of their size, far above both bounds. A ReLU /
/// LeakyReLU pre-activation (of a Dense or a Conv1D layer) within rounding of 0 could take different sides of the
/// kink in the two implementations: the script keeps every such |z| above 1e-8 (checked in
/// <see cref="Fixtures_are_consistent_and_cover_every_layer_kind_activation_and_loss"/>), and rounding moves them by
/// about 1e-15.</para>
/// <para><b>Float.</b> Parameters, inputs and targets are multiples of 2^-10, exact in float, so a float network
/// computes torch's function with 24-bit rounding only; it is compared with torch's double results as
/// <c>|f - d| &lt;= 1e-3 max(|d|, 1e-2 S)</c>, S the largest |value| of the whole array (all outputs; all gradients;
/// for the loss, max(L, logit scale)), the rule of RandomTopologyTests' float-versus-double check. The script
/// measures torch in float32 against torch in double on the same stacks: at most 1.5e-5 (gradients, on a Conv1D
/// stack; 1.4e-5 on the others), 9.4e-6 (outputs), 1.7e-7 (loss); 1e-3 leaves over 60 times that for NetGen's own
/// float summation orders, and is still a thousandth of the error a wrong term makes.</para>
/// <para><b>Finite differences.</b> As in RandomTopologyTests: a central difference of the loss differs from the
/// slope by truncation (below 1e-10 of it at h = 1e-6) and by rounding, N = u (L + sqrt(L) ymax + 2 zmax) / h, with
/// L the mean loss of the sequence (a mean of per-step losses rounds no worse than the worst of them), ymax =
/// max(1, |y|, |t|) over all steps and zmax the logit scale. Checked as
/// <c>|analytic - numeric| &lt;= max(1e-6 |analytic or numeric|, 50 N)</c>. torch's own autograd against its own
/// central differences on the same stacks, with the same rule, stays within 0.8 N (the script prints it), so 50 N
/// leaves 60 times that for a chain of up to 40 steps; a gradient wrong by 1e-4 of itself is caught
/// (<see cref="The_finite_difference_check_catches_a_gradient_wrong_by_a_ten_thousandth"/>).</para>
/// </remarks>
public sealed class RecurrentPyTorchTests(RecurrentPyTorchTests.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<RecurrentPyTorchTests.Fixture>
{
    private const double Tolerance = 1e-9;
    private const double FloorFraction = 1e-3;
    private const double FloatTolerance = 1e-3;
    private const double FloatFloorFraction = 1e-2;
    private const double FiniteDifferenceStep = 1e-6;
    private const double FiniteDifferenceTolerance = 1e-6;
    private const double NoiseMultiple = 50;

    /// <summary>The unit roundoff of double: 2^-53.</summary>
    private const double DoubleRoundoff = 1.0 / (1L << 53);

    /// <summary>At most this many failures are listed per case and quantity, then counted.</summary>
    private const int ListedPerCheck = 3;

    private static object? _sink;

    [Fact]
    public void Fixtures_are_consistent_and_cover_every_layer_kind_activation_and_loss()
    {
        // Needs no compilation: what the fixtures hold must be what the other tests assume.
        var seen = new Dictionary<string, int>();
        void Count(string key) => seen[key] = seen.GetValueOrDefault(key) + 1;
        foreach (RecurrentCase c in fixture.Cases)
        {
            Assert.Equal(c.Steps * c.InputsPerStep, c.Inputs.Length);
            Assert.Equal(c.Steps * c.OutputsPerStep, c.Targets.Length);
            Assert.Equal(c.Steps * c.OutputsPerStep, c.Outputs.Length);
            Assert.Equal(c.Parameters.Length, c.Gradients.Length);
            Assert.Equal(c.Parameters.Length, c.Tensors.Sum(t => t.Length));
            Assert.True(c.Tensors.Select((t, i) => t.Offset == c.Tensors.Take(i).Sum(p => p.Length)).All(x => x), $"{c}: tensors not contiguous");

            // The float networks compute the same function only if every given value is exact in float: all are
            // multiples of 2^-10 of modest size.
            foreach (double v in c.Parameters.Concat(c.Inputs).Concat(c.Targets))
            {
                Assert.True(v * 1024 == Math.Round(v * 1024) && Math.Abs(v) <= 1024, $"{c}: {v:R} is not a multiple of 2^-10");
            }

            if (c.Loss == LossFunction.CrossEntropy)
            {
                for (int s = 0; s < c.Steps; s++)
                {
                    Assert.Equal(1.0, c.Targets.AsSpan(s * c.OutputsPerStep, c.OutputsPerStep).ToArray().Sum());
                }
            }

            if (c.Loss == LossFunction.BinaryCrossEntropy)
            {
                Assert.True(c.Targets.All(t => t is >= 0 and <= 1), $"{c}: a BCE target outside [0, 1]");
            }

            Assert.True(c.KinkMargin is null || c.KinkMargin >= (c.FiniteDifferences ? 1e-3 : 1e-8), $"{c}: a ReLU pre-activation {c.KinkMargin:G3} from its kink");
            Assert.True(double.IsFinite(c.LossValue) && c.LossValue > 0, $"{c}: loss {c.LossValue:R}");

            string[] lines = c.Declaration.Split('\n');
            Assert.Matches(@"^\[Network<double>\(\d+(, Loss = LossFunction\.\w+)?\)\]$", lines[0]);
            Assert.Equal($"public partial class {c.Name};", lines[^1]);
            string[] layers = lines[1..^1];
            Count(c.Loss.ToString());
            int fanIn = c.InputsPerStep;
            for (int i = 0; i < layers.Length; i++)
            {
                Match conv = Regex.Match(layers[i], @"^\[Conv1D\((\d+), (\d+)(?:, Activation\.(\w+))?(?:, Dilation = (\d+))?(, Bias = false)?\)\]$");
                if (conv.Success)
                {
                    int channels = Number(conv.Groups[1].Value), kernel = Number(conv.Groups[2].Value);
                    int dilation = conv.Groups[4].Success ? Number(conv.Groups[4].Value) : 1;
                    Assert.True(kernel is >= 1 and <= 5 && dilation is >= 1 and <= 4 && channels is >= 1 and <= 16, $"{c}: '{layers[i]}'");
                    Count($"Conv1D k{kernel}");
                    Count($"Conv1D d{dilation}");
                    Count($"Conv1D {(conv.Groups[3].Success ? conv.Groups[3].Value : "Identity")}");
                    Count(conv.Groups[5].Success ? "Conv1D nobias" : "Conv1D bias");
                    Count(i == 0 ? "Conv1D first" : $"Conv1D after {Regex.Match(layers[i - 1], @"^\[(\w+)\(").Groups[1].Value}");
                    Count(i == layers.Length - 1 ? "Conv1D last" : "Conv1D before another layer");
                    Count(fanIn == 16 ? "Conv1D 16 channels in" : "Conv1D 1 to 15 channels in");
                    Count(channels == 16 ? "Conv1D 16 channels out" : "Conv1D 1 to 15 channels out");
                    Count((kernel - 1) * dilation >= c.Steps ? "Conv1D reach beyond the sequence" : "Conv1D reach within the sequence");
                    fanIn = channels;
                    continue;
                }

                Match m = Regex.Match(layers[i], @"^\[(Gru|Lstm|Dense)\((\d+)(?:, Activation\.(\w+))?(, Bias = false)?\)\]$");
                Assert.True(m.Success, $"{c}: layer line '{layers[i]}'");
                fanIn = Number(m.Groups[2].Value);
                string bias = m.Groups[4].Success ? "nobias" : "bias";
                if (m.Groups[1].Value == "Dense")
                {
                    string activation = m.Groups[3].Success ? m.Groups[3].Value : "Identity";
                    Count($"Dense {activation} {bias}");
                    Count(i == 0 ? "Dense first" : i < layers.Length - 1 ? "Dense between" : "Dense last");
                }
                else
                {
                    Count($"{m.Groups[1].Value} {bias}");
                    if (Number(m.Groups[2].Value) >= 32)
                    {
                        Count("recurrent 32 to 64 wide");
                    }
                }
            }

            Count($"{layers.Count(l => l.StartsWith("[Gru", StringComparison.Ordinal) || l.StartsWith("[Lstm", StringComparison.Ordinal))} recurrent layers");
            Count(c.Steps == 1 ? "1 step" : c.Steps >= 100 ? "100 steps or more" : "2 to 99 steps");
            if (c.HasConvolution)
            {
                Count($"{layers.Count(l => l.StartsWith("[Conv1D", StringComparison.Ordinal))} Conv1D layers");
                Count(c.Steps == 1 ? "Conv1D stack 1 step" : c.Steps >= 100 ? "Conv1D stack 100 steps or more" : "Conv1D stack 2 to 99 steps");
                Count(c.FiniteDifferences ? "Conv1D stack with finite differences" : c.Float ? "Conv1D stack in float" : "Conv1D stack in double only");
            }
        }

        output.WriteLine($"{fixture.Cases.Count} fixtures ({fixture.Cases.Count(c => c.Float)} also in float, {fixture.Cases.Count(c => c.FiniteDifferences)} with finite differences); " +
            $"{fixture.Cases.Sum(c => c.Parameters.Length):N0} parameters, {fixture.Cases.Sum(c => c.Steps):N0} steps");
        output.WriteLine(string.Join("\n", seen.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}")));

        Assert.True(fixture.Cases.Count(c => !c.HasConvolution) >= 120, $"only {fixture.Cases.Count(c => !c.HasConvolution)} GRU / LSTM / Dense fixtures");
        Assert.True(fixture.Cases.Count(c => c.HasConvolution) >= 60, $"only {fixture.Cases.Count(c => c.HasConvolution)} Conv1D fixtures");
        Assert.True(fixture.Cases.Where(c => c.HasConvolution).All(c => c.Loss == LossFunction.MeanSquaredError), "a Conv1D fixture without the mean squared error");
        Assert.Equal(fixture.Cases.Count, fixture.Cases.Select(c => c.Name).Distinct().Count());
        Assert.True(fixture.Cases.Count(c => c.FiniteDifferences) >= 5 && fixture.Cases.Count(c => c.Float) >= 25, "too few finite-difference or float stacks");
        Assert.True(fixture.Cases.Max(c => c.Steps) == 200, "no 200-step sequence");
        Assert.True(double.IsPow2(fixture.LearningRate), $"learning rate {fixture.LearningRate:R}: a power of two keeps lr * g exact");
        Assert.True(seen.GetValueOrDefault(nameof(LossFunction.MeanSquaredError)) * 10 >= fixture.Cases.Count * 4, "under 40% mean squared error");
        string[] required =
        [
            nameof(LossFunction.MeanSquaredError), nameof(LossFunction.CrossEntropy), nameof(LossFunction.BinaryCrossEntropy),
            "Gru bias", "Gru nobias", "Lstm bias", "Lstm nobias", "Dense first", "Dense between", "Dense last",
            "1 recurrent layers", "2 recurrent layers", "3 recurrent layers", "1 step", "2 to 99 steps", "100 steps or more",
            "recurrent 32 to 64 wide",
            .. new[] { "Identity", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax" }.SelectMany(a => new[] { $"Dense {a} bias", $"Dense {a} nobias" }),
            "Conv1D bias", "Conv1D nobias", "Conv1D first", "Conv1D after Gru", "Conv1D after Lstm", "Conv1D after Dense",
            "Conv1D after Conv1D", "Conv1D last", "Conv1D before another layer", "Conv1D 16 channels in", "Conv1D 1 to 15 channels in",
            "Conv1D 16 channels out", "Conv1D 1 to 15 channels out", "Conv1D reach beyond the sequence", "Conv1D reach within the sequence",
            "1 Conv1D layers", "2 Conv1D layers", "3 Conv1D layers", "Conv1D stack 1 step", "Conv1D stack 2 to 99 steps",
            "Conv1D stack 100 steps or more", "Conv1D stack with finite differences", "Conv1D stack in float",
            .. Enumerable.Range(1, 5).Select(k => $"Conv1D k{k}"),
            .. Enumerable.Range(1, 4).Select(d => $"Conv1D d{d}"),
            .. Enum.GetNames<Activation>().Where(a => a != nameof(Activation.Softmax)).Select(a => $"Conv1D {a}"),
        ];
        foreach (string key in required)
        {
            Assert.True(seen.GetValueOrDefault(key) >= 3, $"'{key}' seen {seen.GetValueOrDefault(key)} times");
        }
    }

    [Fact]
    public void The_comparison_rejects_a_value_wrong_by_a_hundred_millionth_and_accepts_rounding()
    {
        // The rule must be able to fail: every gradient at least as large as its floor, made wrong by 1e-8 of itself,
        // is rejected; made wrong by 1e-12 of itself (1000 times what two double implementations were seen to differ
        // by), it is accepted; and a value below the floor may be off by 1e-13 S but not by 1e-11 S.
        int rejected = 0, tried = 0;
        foreach (RecurrentCase c in fixture.Cases)
        {
            for (int i = 0; i < c.Gradients.Length; i++)
            {
                double b = c.Gradients[i], floor = FloorFraction * c.GradientScales[i];
                if (floor == 0)
                {
                    continue;
                }

                tried++;
                var failures = new List<string>();
                bool large = Math.Abs(b) >= floor;
                double[] wrong = [large ? b * (1 + 1e-8) : b + (1e-11 * c.GradientScales[i])];
                double[] close = [large ? b * (1 + 1e-12) : b + (1e-13 * c.GradientScales[i])];
                Compare(c, "gradient", wrong, [b], _ => c.GradientScales[i], Tolerance, FloorFraction, _ => c.DescribeParameter(i), failures);
                rejected += failures.Count;
                Assert.True(failures.Count == 1, $"{c}: gradient {i} = {b:R} made wrong was not rejected");
                failures.Clear();
                Compare(c, "gradient", close, [b], _ => c.GradientScales[i], Tolerance, FloorFraction, _ => c.DescribeParameter(i), failures);
                Assert.True(failures.Count == 0, $"{c}: gradient {i} = {b:R} within rounding was rejected: {string.Join("; ", failures)}");
            }
        }

        output.WriteLine($"{rejected} of {tried} gradients made wrong were rejected");
        Assert.True(tried > 100_000);
    }

    [Fact]
    public void ForwardSequence_from_a_new_state_matches_PyTorch()
    {
        var failures = new List<string>();
        var worst = new Worst();
        foreach (RecurrentCase c in fixture.Cases)
        {
            ISequenceNetwork<double> network = fixture.CreateDouble(c);
            var y = new double[c.Outputs.Length];
            network.ForwardSequence(c.Inputs, y, network.CreateState());
            worst.Add(c, Compare(c, "output", y, c.Outputs, _ => c.OutputScale, Tolerance, FloorFraction, c.DescribeOutput, failures));
            AssertUnchanged(c, network.Parameters, "ForwardSequence", failures);
        }

        output.WriteLine($"{fixture.CompileSummary}\nForwardSequence: {fixture.Cases.Sum(c => c.Outputs.Length):N0} outputs of {fixture.Cases.Count} networks; worst relative error (floor {FloorFraction} S) {worst}, tolerance {Tolerance:G3}");
        AssertNone(failures);
    }

    [Fact]
    public void Forward_step_by_step_equals_ForwardSequence_bit_for_bit()
    {
        // One Forward per step, interleaved with a second stream (the same steps in reverse order) on the same
        // instance; ForwardSequence in two calls that carry the state over; and ForwardSequence again after Reset:
        // all give ForwardSequence's values from a new state, bit for bit. In double and float.
        var failures = new List<string>();
        int networks = 0;
        foreach (RecurrentCase c in fixture.Cases)
        {
            Streams(c, fixture.CreateDouble(c), c.Inputs, failures);
            networks++;
            if (c.Float)
            {
                Streams(c, fixture.CreateFloat(c), ToFloats(c.Inputs), failures);
                networks++;
            }
        }

        output.WriteLine($"{networks} networks stepped one step at a time, in two calls and after Reset");
        AssertNone(failures);
    }

    [Fact]
    public void Stateless_members_treat_a_sample_as_one_step_from_a_zero_state()
    {
        // INetwork's Forward is the first step of the sequence; for a one-step sequence, Loss and Backward are torch's
        // loss and gradients.
        var failures = new List<string>();
        int oneStep = 0;
        foreach (RecurrentCase c in fixture.Cases)
        {
            ISequenceNetwork<double> network = fixture.CreateDouble(c);
            var y = new double[c.OutputsPerStep];
            network.Forward(c.Inputs.AsSpan(0, c.InputsPerStep), y);
            Compare(c, "stateless Forward's output", y, c.Outputs.AsSpan(0, c.OutputsPerStep), _ => c.OutputScale, Tolerance, FloorFraction, c.DescribeOutput, failures);
            if (c.Steps != 1)
            {
                continue;
            }

            oneStep++;
            Compare(c, "Loss", [network.Loss(c.Inputs, c.Targets)], [c.LossValue], _ => LossScale(c), Tolerance, FloorFraction, _ => "loss", failures);
            network.ZeroGradients();
            double loss = network.Backward(c.Inputs, c.Targets);
            Compare(c, "Backward's loss", [loss], [c.LossValue], _ => LossScale(c), Tolerance, FloorFraction, _ => "loss", failures);
            Compare(c, "Backward's gradient", network.Gradients, c.Gradients, i => c.GradientScales[i], Tolerance, FloorFraction, c.DescribeParameter, failures);
        }

        output.WriteLine($"stateless Forward on {fixture.Cases.Count} networks; Loss and Backward on the {oneStep} one-step sequences");
        Assert.True(oneStep >= 3, $"only {oneStep} one-step sequences");
        AssertNone(failures);
    }

    [Fact]
    public void BackwardSequence_loss_and_gradients_match_PyTorch()
    {
        // After ZeroGradients: torch's loss and gradients, the parameters untouched. A second call adds the same
        // gradient again (the loss the same, bit for bit).
        var failures = new List<string>();
        Worst worstLoss = new(), worstGradient = new();
        foreach (RecurrentCase c in fixture.Cases)
        {
            ISequenceNetwork<double> network = fixture.CreateDouble(c);
            network.ZeroGradients();
            double loss = network.BackwardSequence(c.Inputs, c.Targets);
            worstLoss.Add(c, Compare(c, "loss", [loss], [c.LossValue], _ => LossScale(c), Tolerance, FloorFraction, _ => "loss", failures));
            worstGradient.Add(c, Compare(c, "gradient", network.Gradients, c.Gradients, i => c.GradientScales[i], Tolerance, FloorFraction, c.DescribeParameter, failures));
            AssertUnchanged(c, network.Parameters, "BackwardSequence", failures);

            double again = network.BackwardSequence(c.Inputs, c.Targets);
            if (BitConverter.DoubleToInt64Bits(again) != BitConverter.DoubleToInt64Bits(loss))
            {
                failures.Add($"{c}: a second BackwardSequence returned {again:R}, the first {loss:R}");
            }

            double[] twice = Array.ConvertAll(c.Gradients, g => 2 * g);
            Compare(c, "gradient after two BackwardSequence calls (twice torch's)", network.Gradients, twice, i => 2 * c.GradientScales[i], Tolerance, FloorFraction, c.DescribeParameter, failures);
        }

        output.WriteLine($"BackwardSequence: {fixture.Cases.Count} losses, worst relative error {worstLoss}; {fixture.Cases.Sum(c => c.Gradients.Length):N0} gradients, worst relative error (floor {FloorFraction} of the tensor's largest) {worstGradient}; tolerance {Tolerance:G3}");
        AssertNone(failures);
    }

    [Fact]
    public void TrainSequence_steps_by_the_PyTorch_gradient()
    {
        // p_after = p - lr g, so the change p - p_after is compared with lr times torch's g. lr is a power of two,
        // so lr g carries g's relative error unchanged (the 1e-9 rule, scaled by lr). The change also carries the
        // one rounding of p - lr g, at most u |p_after| (u = 2^-53), and the subtraction that measures it is exact
        // where p_after is within a factor 2 of p (Sterbenz) and otherwise rounds by at most u |change|: so
        // u (|p| + |p_after|) bounds both with room to spare (a parameter whose slope is below the floor may use
        // half of it).
        var failures = new List<string>();
        var worst = new Worst();
        double rate = fixture.LearningRate;
        foreach (RecurrentCase c in fixture.Cases)
        {
            ISequenceNetwork<double> network = fixture.CreateDouble(c);
            double loss = network.TrainSequence(c.Inputs, c.Targets, rate);
            Compare(c, "TrainSequence's loss", [loss], [c.LossValue], _ => LossScale(c), Tolerance, FloorFraction, _ => "loss", failures);
            ReadOnlySpan<double> after = network.Parameters;
            int listed = 0;
            double caseWorst = 0;
            for (int i = 0; i < after.Length; i++)
            {
                double p = c.Parameters[i], change = p - after[i], expected = rate * c.Gradients[i];
                double allowed = (Tolerance * rate * Math.Max(Math.Abs(c.Gradients[i]), FloorFraction * c.GradientScales[i]))
                    + (DoubleRoundoff * (Math.Abs(p) + Math.Abs(after[i])));
                double ratio = change == expected ? 0 : Math.Abs(change - expected) / allowed;
                caseWorst = Math.Max(caseWorst, double.IsNaN(ratio) ? double.PositiveInfinity : ratio);
                if (!(ratio <= 1) && listed++ < ListedPerCheck)
                {
                    failures.Add($"{c}: TrainSequence's change of parameter {i} ({c.DescribeParameter(i)}): {p:R} -> {after[i]:R}, a change of {change:R}; lr * torch's gradient {expected:R}, allowed {allowed:G3}");
                }
            }

            if (listed > ListedPerCheck)
            {
                failures.Add($"{c}: ... and {listed - ListedPerCheck} more parameters");
            }

            worst.Add(c, caseWorst);
        }

        output.WriteLine($"TrainSequence (lr {rate:R}): worst |change - lr g| over its allowance {worst}");
        AssertNone(failures);
    }

    [Fact]
    public void Float_networks_match_the_PyTorch_double_results()
    {
        var failures = new List<string>();
        Worst worstOutput = new(), worstLoss = new(), worstGradient = new();
        int count = 0;
        foreach (RecurrentCase c in fixture.Cases.Where(c => c.Float))
        {
            count++;
            ISequenceNetwork<float> network = fixture.CreateFloat(c);
            float[] inputs = ToFloats(c.Inputs), targets = ToFloats(c.Targets);
            var y = new float[c.Outputs.Length];
            network.ForwardSequence(inputs, y, network.CreateState());
            worstOutput.Add(c, Compare(c, "float output", ToDoubles(y), c.Outputs, _ => c.OutputScale, FloatTolerance, FloatFloorFraction, c.DescribeOutput, failures));

            network.ZeroGradients();
            float loss = network.BackwardSequence(inputs, targets);
            worstLoss.Add(c, Compare(c, "float loss", [loss], [c.LossValue], _ => LossScale(c), FloatTolerance, FloatFloorFraction, _ => "loss", failures));
            double largest = c.Gradients.Max(Math.Abs);
            worstGradient.Add(c, Compare(c, "float gradient", ToDoubles(network.Gradients), c.Gradients, _ => largest, FloatTolerance, FloatFloorFraction, c.DescribeParameter, failures));
        }

        output.WriteLine($"float, {count} networks against torch's double: worst relative error (floor {FloatFloorFraction} S) of outputs {worstOutput}, losses {worstLoss}, gradients {worstGradient}; tolerance {FloatTolerance:G3}");
        Assert.True(count >= 25, $"only {count} float networks");
        AssertNone(failures);
    }

    [Fact]
    public void BackwardSequence_matches_central_differences()
    {
        var failures = new List<string>();
        var worst = new Worst();
        int count = 0;
        foreach (RecurrentCase c in fixture.Cases.Where(c => c.FiniteDifferences))
        {
            count++;
            var whole = new WholeSequence<double>(fixture.CreateDouble(c), c.Steps);
            GradientCheckResult result = GradientCheck.Run(whole, c.Inputs, c.Targets, FiniteDifferenceStep, FiniteDifferenceFloor(c));
            worst.Add(c, result.WorstRelativeError);
            if (!(result.WorstRelativeError <= FiniteDifferenceTolerance))
            {
                failures.Add($"{c}: {result} ({c.DescribeParameter(result.WorstIndex)}), floor {FiniteDifferenceFloor(c):G3}");
            }

            AssertUnchanged(c, whole.Parameters, "the gradient check", failures);
        }

        output.WriteLine($"central differences on {count} stacks: worst relative error (floor {NoiseMultiple} N / tau) {worst}, tolerance {FiniteDifferenceTolerance:G3}");
        Assert.True(count >= 5, $"only {count} finite-difference stacks");
        AssertNone(failures);
    }

    [Fact]
    public void The_finite_difference_check_catches_a_gradient_wrong_by_a_ten_thousandth()
    {
        // With the same step, floor and tolerance: the largest slope of each stack, and one just above the floor, made
        // wrong by 1e-4 of themselves, must fail there.
        int caught = 0, tried = 0;
        foreach (RecurrentCase c in fixture.Cases.Where(c => c.FiniteDifferences))
        {
            var whole = new WholeSequence<double>(fixture.CreateDouble(c), c.Steps);
            whole.ZeroGradients();
            whole.Backward(c.Inputs, c.Targets);
            double[] g = whole.Gradients.ToArray();
            double floor = FiniteDifferenceFloor(c);
            foreach (int index in new[] { Array.IndexOf(g, g.MaxBy(Math.Abs)), Array.FindIndex(g, x => Math.Abs(x) > 2 * floor) })
            {
                if (index < 0 || g[index] == 0)
                {
                    continue;
                }

                tried++;
                var wrong = new PerturbedNetwork<double>(whole, index, 1e-4 * g[index]);
                GradientCheckResult result = GradientCheck.Run(wrong, c.Inputs, c.Targets, FiniteDifferenceStep, floor);
                bool found = result.WorstRelativeError > FiniteDifferenceTolerance && result.WorstIndex == index;
                caught += found ? 1 : 0;
                Assert.True(found, $"missed: {c}, parameter {index} ({c.DescribeParameter(index)}), slope {g[index]:R} made wrong by 1e-4 of itself, floor {floor:G3}: {result}");
            }
        }

        output.WriteLine($"{caught} of {tried} slopes made wrong by 1e-4 of themselves caught");
        Assert.True(tried >= 10, $"only {tried} perturbations tried");
    }

    [Fact]
    public void Sequence_members_allocate_nothing_after_warm_up()
    {
        // The measurement must be able to fail: one escaping allocation per round.
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertNoAllocation("self-test", () => _sink = new byte[16]));

        // The hand-written stacks (every layer kind and loss), the widest and the longest, in double and in float.
        RecurrentCase[] chosen =
        [
            .. fixture.Cases.Where(c => c.FiniteDifferences),
            .. fixture.Cases.OrderByDescending(c => c.Parameters.Length).Take(3),
            .. fixture.Cases.OrderByDescending(c => c.Steps).Take(2),
        ];
        int measured = 0;
        foreach (RecurrentCase c in chosen.Distinct())
        {
            measured += Allocations(c, fixture.CreateDouble(c), c.Inputs, c.Targets, 1e-6);
            if (c.Float)
            {
                measured += Allocations(c, fixture.CreateFloat(c), ToFloats(c.Inputs), ToFloats(c.Targets), 1e-6f);
            }
        }

        output.WriteLine($"{measured} members of {chosen.Distinct().Count()} stacks measured: no allocation after warm-up");
    }

    private static int Number(string digits) => int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>K N / tau: see the class remarks.</summary>
    private static double FiniteDifferenceFloor(RecurrentCase c)
    {
        double ymax = Math.Max(1, Math.Max(c.OutputScale, c.Targets.Max(Math.Abs)));
        double noise = DoubleRoundoff * (c.LossValue + (Math.Sqrt(c.LossValue) * ymax) + (2 * c.LogitScale)) / FiniteDifferenceStep;
        return NoiseMultiple * noise / FiniteDifferenceTolerance;
    }

    private static double LossScale(RecurrentCase c) => Math.Max(Math.Abs(c.LossValue), c.LogitScale);

    /// <summary>
    /// Adds to <paramref name="failures"/> every element with |a - b| &gt; tolerance max(|b|, floorFraction scale(i))
    /// (the first few listed, the rest counted), and returns the largest |a - b| / max(|b|, floorFraction scale(i)).
    /// </summary>
    private static double Compare(
        RecurrentCase c,
        string what,
        ReadOnlySpan<double> actual,
        ReadOnlySpan<double> expected,
        Func<int, double> scale,
        double tolerance,
        double floorFraction,
        Func<int, string> where,
        List<string> failures)
    {
        if (actual.Length != expected.Length)
        {
            failures.Add($"{c}: {what}: {actual.Length} values, torch has {expected.Length}");
            return double.PositiveInfinity;
        }

        double worst = 0;
        int failed = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double a = actual[i], b = expected[i], floor = floorFraction * scale(i);
            double error = a == b ? 0 : Math.Abs(a - b) / Math.Max(Math.Abs(b), floor);
            worst = double.IsNaN(error) || error > worst ? (double.IsNaN(error) ? double.PositiveInfinity : error) : worst;
            if (!(error <= tolerance) && failed++ < ListedPerCheck)
            {
                failures.Add($"{c}: {what} {i} ({where(i)}): NetGen {a:R}, torch {b:R}, relative error {error:G3} (floor {floor:G3})");
            }
        }

        if (failed > ListedPerCheck)
        {
            failures.Add($"{c}: {what}: ... and {failed - ListedPerCheck} more of {actual.Length}");
        }

        return worst;
    }

    private static void AssertUnchanged(RecurrentCase c, ReadOnlySpan<double> parameters, string by, List<string> failures)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(parameters[i]) != BitConverter.DoubleToInt64Bits(c.Parameters[i]))
            {
                failures.Add($"{c}: {by} changed parameter {i} ({c.DescribeParameter(i)}) from {c.Parameters[i]:R} to {parameters[i]:R}");
                return;
            }
        }
    }

    private static void AssertNone(List<string> failures) =>
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(40)));

    private static void Streams<T>(RecurrentCase c, ISequenceNetwork<T> network, T[] inputs, List<string> failures)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.Steps, inCount = c.InputsPerStep, k = c.OutputsPerStep;
        string type = typeof(T).Name;
        var whole = new T[n * k];
        network.ForwardSequence(inputs, whole, network.CreateState());

        ISequenceState first = network.CreateState(), second = network.CreateState();
        var stepped = new T[n * k];
        var other = new T[k];
        for (int t = 0; t < n; t++)
        {
            network.Forward(inputs.AsSpan(t * inCount, inCount), stepped.AsSpan(t * k, k), first);
            network.Forward(inputs.AsSpan((n - 1 - t) * inCount, inCount), other, second);
        }

        Same(c, $"{type}: Forward step by step (interleaved with another stream)", stepped, whole, failures);

        if (n >= 2)
        {
            int split = (n + 1) / 2;
            ISequenceState state = network.CreateState();
            var halves = new T[n * k];
            network.ForwardSequence(inputs.AsSpan(0, split * inCount), halves.AsSpan(0, split * k), state);
            network.ForwardSequence(inputs.AsSpan(split * inCount), halves.AsSpan(split * k), state);
            Same(c, $"{type}: ForwardSequence in two calls at step {split}", halves, whole, failures);
        }

        first.Reset();
        var again = new T[n * k];
        network.ForwardSequence(inputs, again, first);
        Same(c, $"{type}: ForwardSequence after Reset", again, whole, failures);
    }

    private static void Same<T>(RecurrentCase c, string what, T[] actual, T[] expected, List<string> failures)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < actual.Length; i++)
        {
            double a = double.CreateChecked(actual[i]), b = double.CreateChecked(expected[i]);
            if (BitConverter.DoubleToInt64Bits(a) != BitConverter.DoubleToInt64Bits(b))
            {
                failures.Add($"{c}: {what}: output {i} ({c.DescribeOutput(i)}) is {a:R}, ForwardSequence from a new state gave {b:R}");
                return;
            }
        }
    }

    /// <summary>Forward with a state, ForwardSequence, BackwardSequence and TrainSequence, each measured; returns 4.</summary>
    private static int Allocations<T>(RecurrentCase c, ISequenceNetwork<T> network, T[] inputs, T[] targets, T rate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string name = $"{c.Name} ({typeof(T).Name})";
        ISequenceState state = network.CreateState();
        T[] step = inputs[..c.InputsPerStep];
        var y = new T[c.OutputsPerStep];
        var outputs = new T[c.Outputs.Length];
        AssertNoAllocation(name + ".Forward(input, output, state)", () =>
        {
            T sum = T.Zero;
            for (int i = 0; i < 200; i++)
            {
                network.Forward(step, y, state);
                sum += y[0];
            }

            return sum;
        });
        AssertNoAllocation(name + ".ForwardSequence", () =>
        {
            state.Reset();
            network.ForwardSequence(inputs, outputs, state);
            return outputs[0];
        });
        AssertNoAllocation(name + ".BackwardSequence", () =>
        {
            network.ZeroGradients();
            return network.BackwardSequence(inputs, targets);
        });
        AssertNoAllocation(name + ".TrainSequence", () => network.TrainSequence(inputs, targets, rate));
        return 4;
    }

    /// <summary>Runs <paramref name="calls"/> to warm up (JIT, tiering, first-use buffers), then again between two readings of the thread's allocation counter.</summary>
    /// <summary>
    /// Ten calls after warm-up allocate nothing. Warm-up runs past tiered compilation's promotion (30 calls), and the
    /// ten calls are measured up to three times: the runtime itself now and then allocates on the calling thread while
    /// it swaps in a method's optimised code (seen on this busy 2-core machine), but an allocation made by the members
    /// under test happens on every call, so it shows in every window.
    /// </summary>
    private static void AssertNoAllocation<TResult>(string what, Func<TResult> calls)
    {
        for (int w = 0; w < 200; w++)
        {
            GC.KeepAlive(calls());
        }

        var seen = new System.Collections.Generic.List<long>();
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

    /// <summary>The worst value seen and where: over all stacks, and over those with a Conv1D layer.</summary>
    private sealed class Worst
    {
        private double _value, _convolution;
        private string _where = "none", _convolutionWhere = "none";

        public void Add(RecurrentCase c, double value)
        {
            if (!(value <= _value))
            {
                _value = value;
                _where = c.Name;
            }

            if (c.HasConvolution && !(value <= _convolution))
            {
                _convolution = value;
                _convolutionWhere = c.Name;
            }
        }

        public override string ToString() => $"{_value:G3} ({_where}; of the Conv1D stacks {_convolution:G3}, {_convolutionWhere})";
    }

    /// <summary>Reads the fixtures; compiles every declaration (double, and float for the flagged ones) once, on first use.</summary>
    public sealed class Fixture : IDisposable
    {
        public const string Namespace = "RecurrentPyTorch";

        private readonly Lazy<CompiledNetworks> _networks;
        private double _compileSeconds;

        public Fixture()
        {
            Cases = RecurrentCase.LoadAll(out double rate);
            LearningRate = rate;

            // A failed compilation is kept and reported by every test that needs it, without compiling again.
            _networks = new Lazy<CompiledNetworks>(() =>
            {
                var stopwatch = Stopwatch.StartNew();
                CompiledNetworks networks = CompiledNetworks.Compile(
                    Namespace,
                    Cases.Select(c => c.Declaration).Concat(Cases.Where(c => c.Float).Select(c => c.FloatDeclaration())));
                _compileSeconds = stopwatch.Elapsed.TotalSeconds;
                return networks;
            });
        }

        public List<RecurrentCase> Cases { get; }

        public double LearningRate { get; }

        public CompiledNetworks Networks => _networks.Value;

        public string CompileSummary =>
            $"{Cases.Count} double and {Cases.Count(c => c.Float)} float networks generated and compiled in {_compileSeconds:F1} s " +
            $"({Networks.SourceChars + Networks.GeneratedChars:N0} characters of source, {Networks.GeneratedChars:N0} generated)";

        /// <summary>A new double instance of the case's class holding its parameters.</summary>
        public ISequenceNetwork<double> CreateDouble(RecurrentCase c) => WithParameters(Networks.CreateSequence<double>($"{Namespace}.{c.Name}"), c);

        /// <summary>A new float instance (class name + "F") holding its parameters, which are exact in float.</summary>
        public ISequenceNetwork<float> CreateFloat(RecurrentCase c) => WithParameters(Networks.CreateSequence<float>($"{Namespace}.{c.FloatName}"), c);

        public void Dispose()
        {
            if (_networks.IsValueCreated)
            {
                _networks.Value.Dispose();
            }
        }

        private static ISequenceNetwork<T> WithParameters<T>(ISequenceNetwork<T> network, RecurrentCase c)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Assert.True(network.Parameters.Length == c.Parameters.Length, $"{c}: {network.Parameters.Length} parameters, torch has {c.Parameters.Length}");
            Assert.True(network.InputCount == c.InputsPerStep && network.OutputCount == c.OutputsPerStep, $"{c}: {network.InputCount} inputs and {network.OutputCount} outputs per step");
            for (int i = 0; i < c.Parameters.Length; i++)
            {
                network.Parameters[i] = T.CreateChecked(c.Parameters[i]);
            }

            return network;
        }
    }
}
