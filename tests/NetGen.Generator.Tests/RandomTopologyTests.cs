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
/// Backward against central finite differences on random topologies, through the
/// real generator: every declaration is written as source, the generator runs over all of them in one compilation
/// against the net8.0 reference assemblies, and the networks are loaded and driven through INetwork&lt;T&gt; and
/// NetGen.GradientCheck. See <see cref="TopologySet"/> for what is drawn.
/// </summary>
/// <remarks>
/// <para><b>The tolerance.</b> A central difference (L(p + h) - L(p - h)) / 2h differs from the slope by truncation,
/// about h^2/6 |L'''|, and by rounding: each loss evaluation is off by a few units u of the element type's precision
/// (u = 2^-53 in double, 2^-24 in float) in the quantities it is made of. The MSE is L = mean (y - t)^2, so an error
/// dy in an output moves it by about 2 |y - t| dy, with |y - t| at most sqrt(K L), and dy a few u of the outputs'
/// size; the cross-entropies are computed from the logits z (log-sum-exp, softplus), whose terms are as large as
/// |z|, and an error dz moves them by at most |p - t| dz, so by at most 2 dz. So the difference carries a rounding
/// error of order N = u (L + sqrt(L) ymax + 2 zmax) / h, with ymax = max(1, |y|, |t|) and zmax = max(1, |z|) over
/// the last layer for the cross-entropies (0 for MSE). Measured parameter by parameter over all these networks and
/// samples (with this seed and others), |analytic - numeric| was at most about 7 N in double and 4 N in float (99.9%
/// of them under 2.5 N). Checks are therefore
/// <c>|analytic - numeric| &lt;= max(tau |analytic or numeric|, K N)</c> with K = 50, about the
/// growth of rounding errors along a chain of 4 layers summing up to 160 terms each (4 sqrt(160)), and 7 times the
/// worst seen; that is GradientCheck's relative error with floor K N / tau.</para>
/// <para>Double: h = 1e-6. Truncation is then below 1e-10 of a slope, so tau = 1e-6 bounds what rounding leaves on
/// slopes above the floor (K N / tau, about 1e-2 of the loss): any real mistake (a wrong slope, weight, index or
/// term) is off by a fair part of the slope itself, far above either bound. A gradient wrong by 1e-4 of its size
/// is caught (<see cref="The_double_check_catches_a_gradient_wrong_by_a_ten_thousandth"/>).</para>
/// <para>Float: finite differences in float are too noisy to be a sharp test (N is 2^29 times larger, so h = 1e-3 and
/// tau = 1e-2 with the same K): they catch gross mistakes. The sharp float check compares each float network's
/// gradient with the double network's for the same topology, parameters and sample (all float values): float
/// rounding over at most 4 layers of at most 160-term sums, forward and back, bounds the relative error by roughly
/// 2 (4 x 160) u = 8e-5 of the size of what is summed (measured: at most 2.6e-5). The check allows 1e-3 of
/// max(|g_i|, 1e-2 max |g|): loose enough for every honest rounding, tight enough that a float-only mistake (a
/// constant or slope written wrongly for float) fails.</para>
/// <para><b>Kinks.</b> Across a ReLU / LeakyReLU kink a difference measures a chord, not the slope. A sample is used
/// only if no ReLU / LeakyReLU pre-activation can reach 0 while one parameter moves by +-h (and float rounding
/// cannot flip its sign): see <see cref="ReferenceForward.IsClearOfKinks"/>. Samples are rejected, tolerances are
/// not loosened.</para>
/// </remarks>
public sealed class RandomTopologyTests(RandomTopologyTests.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<RandomTopologyTests.Fixture>
{
    /// <summary>Double finite-difference step.</summary>
    public const double DoubleStep = 1e-6;

    /// <summary>Float finite-difference step.</summary>
    public const float FloatStep = 1e-3f;

    /// <summary>Relative size of a float pre-activation's rounding error that the kink guard leaves room for.</summary>
    public const double FloatRounding = 1e-4;

    /// <summary>The same for double.</summary>
    public const double DoubleRounding = 1e-12;

    private const double DoubleTolerance = 1e-6;
    private const double FloatTolerance = 1e-2;
    private const double NoiseMultiple = 50;
    private const double FloatVersusDoubleTolerance = 1e-3;
    private const double FloatVersusDoubleFloorFraction = 1e-2;

    [Fact]
    public void Double_Backward_matches_central_differences_on_every_topology()
    {
        var stopwatch = Stopwatch.StartNew();
        double worst = 0;
        string worstAt = "none";
        int checks = 0;
        var checkedTopologies = new HashSet<int>();
        var failures = new List<string>();
        foreach (Variant variant in fixture.Variants.Where(v => v.IsDouble))
        {
            INetwork<double> network = fixture.CreateWithParameters<double>(variant);
            foreach ((double[] input, double[] target) in fixture.DoubleSamples[variant.Topology.Id])
            {
                GradientCheckResult result = Check(network, input, target, DoubleStep, DoubleTolerance, fixture.LogitScale(variant.Topology, input));
                checks++;
                checkedTopologies.Add(variant.Topology.Id);
                if (!(result.WorstRelativeError <= worst))
                {
                    worst = result.WorstRelativeError;
                    worstAt = $"{variant}: {result}";
                }

                if (!(result.WorstRelativeError <= DoubleTolerance))
                {
                    failures.Add($"{variant}: {result}");
                }
            }
        }

        output.WriteLine(fixture.Summary);
        output.WriteLine($"double: {checks} gradient checks of {fixture.Variants.Count(v => v.IsDouble)} networks over {checkedTopologies.Count} topologies; worst relative error (floor {NoiseMultiple} N / tau) {worst:G3}, tolerance {DoubleTolerance:G3}: {worstAt}; {stopwatch.Elapsed.TotalSeconds:F1} s");
        Assert.True(checkedTopologies.Count == fixture.Topologies.Count, "every topology has a double network that was checked");
        Assert.True(failures.Count == 0, $"{failures.Count} checks over {DoubleTolerance}:\n" + string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void Float_Backward_matches_the_double_network_and_finite_differences()
    {
        var stopwatch = Stopwatch.StartNew();
        double worstFd = 0, worstVsDouble = 0;
        string worstFdAt = "none", worstVsDoubleAt = "none";
        int fdChecks = 0, comparisons = 0, withoutFdSample = 0;
        var failures = new List<string>();
        foreach (Variant variant in fixture.Variants.Where(v => !v.IsDouble))
        {
            Topology topology = variant.Topology;
            INetwork<float> network = fixture.CreateWithParameters<float>(variant);
            INetwork<double> twin = fixture.CreateWithParameters<double>(fixture.DoubleReference[topology.Id]);
            foreach ((double[] input, double[] target) in fixture.DoubleSamples[topology.Id])
            {
                float[] inputF = ToFloats(input), targetF = ToFloats(target);
                network.ZeroGradients();
                network.Backward(inputF, targetF);
                twin.ZeroGradients();
                twin.Backward(input, target);
                double floor = FloatVersusDoubleFloorFraction * LargestMagnitude<double>(twin.Gradients);
                for (int i = 0; i < topology.ParameterCount; i++)
                {
                    double f = network.Gradients[i], d = twin.Gradients[i];
                    double error = Math.Abs(f - d) / Math.Max(Math.Max(Math.Abs(d), floor), double.Epsilon);
                    if (!(error <= worstVsDouble))
                    {
                        worstVsDouble = error;
                        worstVsDoubleAt = $"{variant}, parameter {i}: float {f:R}, double {d:R}";
                    }

                    if (!(error <= FloatVersusDoubleTolerance))
                    {
                        failures.Add($"{variant}, parameter {i}: float {f:R}, double {d:R}, relative error {error:G3}");
                        break;
                    }
                }

                comparisons++;
            }

            if (fixture.FloatSamples[topology.Id] is not { } sample)
            {
                withoutFdSample++;
                continue;
            }

            GradientCheckResult result = Check(network, ToFloats(sample.Input), ToFloats(sample.Target), FloatStep, FloatTolerance, fixture.LogitScale(topology, sample.Input));
            fdChecks++;
            if (!(result.WorstRelativeError <= worstFd))
            {
                worstFd = result.WorstRelativeError;
                worstFdAt = $"{variant}: {result}";
            }

            if (!(result.WorstRelativeError <= FloatTolerance))
            {
                failures.Add($"{variant}: finite differences: {result}");
            }
        }

        int floats = fixture.Variants.Count(v => !v.IsDouble);
        output.WriteLine($"float: {floats} networks of {fixture.DoubleReference.Count} topologies; {comparisons} gradients compared with the double twin, worst relative error {worstVsDouble:G3}, tolerance {FloatVersusDoubleTolerance:G3}: {worstVsDoubleAt}");
        output.WriteLine($"float: {fdChecks} finite-difference checks ({withoutFdSample} networks had no sample clear of kinks at h = {FloatStep}); worst relative error {worstFd:G3}, tolerance {FloatTolerance:G3}: {worstFdAt}; {stopwatch.Elapsed.TotalSeconds:F1} s");
        Assert.True(comparisons == 2 * floats, "every float network was compared on both samples");
        Assert.True(withoutFdSample * 20 <= floats, $"{withoutFdSample} of {floats} float networks had no sample clear of kinks");
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void Unrolled_Loops_and_Auto_agree_exactly_or_within_the_rounding_of_their_sums()
    {
        // Where no layer goes through the SIMD dot product (Kernels.Dot), the two forms sum in the same order and
        // every other kernel keeps the scalar rounding element by element, so they must agree exactly: Forward, Loss,
        // Backward's gradients, and TrainStep's loss and parameters. (Compared with ==, which does not tell +0 from
        // -0: a sum of zeros may start from either.)
        // Kernels.Dot adds a row's products in partial sums per vector lane, so a looped layer of 8 inputs or more may
        // differ from the straight-line sum in the last bits, and the difference flows on. Then each form is within a
        // proven bound of an exact reference elsewhere in this class, and so the two are within twice that bound of
        // each other: outputs and loss within 2 x (1e-4 float, 1e-12 double) of the node scale
        // (Forward_matches_an_independent_double_interpreter); gradients and the step's change within
        // 2 x FloatVersusDoubleTolerance (float, against the double twin) or 2 x DoubleTolerance (double, against
        // central differences), relative with the floor of FloatVersusDoubleFloorFraction of the largest.
        int groups = 0, exact = 0, bounded = 0, compared = 0;
        var shapesSeen = new HashSet<(bool, CodeShape, CodeShape)>();
        foreach (IGrouping<(int, bool), Variant> group in fixture.Variants.GroupBy(v => (v.Topology.Id, v.IsDouble)).Where(g => g.Count() > 1))
        {
            groups++;
            Variant[] variants = [.. group];
            for (int k = 1; k < variants.Length; k++)
            {
                shapesSeen.Add((variants[0].IsDouble, variants[0].Code, variants[k].Code));
                bool reordered = fixture.UsesDotKernel(variants[0]) || fixture.UsesDotKernel(variants[k]);
                if (reordered)
                {
                    bounded++;
                }
                else
                {
                    exact++;
                }

                compared += variants[0].IsDouble
                    ? Compare<double>(variants[0], variants[k], x => x, reordered)
                    : Compare<float>(variants[0], variants[k], x => (float)x, reordered);
            }
        }

        output.WriteLine($"agreement: {groups} topologies with several code shapes, {exact} pairs compared exactly and {bounded} within the bounds, {compared} values; pairs: {string.Join(", ", shapesSeen.OrderBy(s => s.ToString()))}");
        Assert.True(groups >= 30, $"only {groups} topologies have twins");
        Assert.True(exact >= 10 && bounded >= 10, $"{exact} exact and {bounded} bounded pairs: both kinds must be exercised");
        foreach (bool isDouble in new[] { false, true })
        {
            Assert.Contains((isDouble, CodeShape.Unrolled, CodeShape.Loops), shapesSeen.Union(shapesSeen.Select(s => (s.Item1, s.Item3, s.Item2))));
            Assert.Contains((isDouble, CodeShape.Auto, CodeShape.Loops), shapesSeen.Union(shapesSeen.Select(s => (s.Item1, s.Item3, s.Item2))));
        }
    }

    [Fact]
    public void Forward_matches_an_independent_double_interpreter()
    {
        // Double: the same sums in the same order; only Sigmoid's formula for z < 0 differs in the last bits, so
        // 1e-12 of the largest node magnitude is generous. Float: 24-bit arithmetic over at most 4 layers of at most
        // 160-term sums stays within (4 x 160 + 10) u = 4e-5 of that magnitude; 1e-4 is allowed.
        double worstDouble = 0, worstFloat = 0;
        int outputs = 0;
        foreach (Variant variant in fixture.Variants)
        {
            var reference = new ReferenceForward(variant.Topology, fixture.Parameters[variant.Topology.Id]);
            foreach ((double[] input, _) in fixture.DoubleSamples[variant.Topology.Id])
            {
                double[] expected = reference.Forward(input);
                double scale = Math.Max(1, reference.LargestMagnitude(input));
                double[] actual = variant.IsDouble ? ForwardOf<double>(variant, input, x => x) : ForwardOf<float>(variant, input, x => (float)x);
                for (int k = 0; k < expected.Length; k++)
                {
                    double error = Math.Abs(actual[k] - expected[k]) / scale;
                    double tolerance = variant.IsDouble ? 1e-12 : 1e-4;
                    Assert.True(error <= tolerance, $"{variant}: output {k} = {actual[k]:R}, reference {expected[k]:R} (scale {scale:G3})");
                    if (variant.IsDouble)
                    {
                        worstDouble = Math.Max(worstDouble, error);
                    }
                    else
                    {
                        worstFloat = Math.Max(worstFloat, error);
                    }

                    outputs++;
                }
            }
        }

        output.WriteLine($"forward: {outputs} outputs against the interpreter; worst error relative to the node magnitude: double {worstDouble:G3}, float {worstFloat:G3}");
    }

    [Fact]
    public void Every_planner_path_is_exercised()
    {
        // Which layers the generator wrote as loops, read from its output: each looped layer's forward pass starts
        // with the comment "// Layer n: ..., as loops".
        var paths = new Dictionary<string, int>();
        foreach (Variant variant in fixture.Variants)
        {
            bool[] looped = fixture.LoopedLayers(variant);
            int layers = looped.Length;
            switch (variant.Code)
            {
                case CodeShape.Loops:
                    Assert.True(looped.All(l => l), $"{variant}: Code = Loops, but some layer is unrolled");
                    break;
                case CodeShape.Unrolled:
                    Assert.True(looped.All(l => !l), $"{variant}: Code = Unrolled, but some layer is looped");
                    break;
            }

            string element = variant.IsDouble ? "double" : "float";
            Count($"{element} {variant.Code}");
            Count($"{element} {(looped.All(l => l) ? "all loops" : looped.All(l => !l) ? "all unrolled" : "mixed")}{(layers == 1 ? ", 1 layer" : ", several layers")}");
            for (int l = 0; l + 1 < layers; l++)
            {
                if (looped[l] != looped[l + 1])
                {
                    Count($"{element} {(looped[l] ? "loops then unrolled" : "unrolled then loops")}");
                }
            }

            if (variant.Topology.Layers.Any(l => l.Units > 100))
            {
                Count($"{element} a layer over 100 wide");
            }

            foreach (LayerShape layer in variant.Topology.Layers)
            {
                Count($"{element} {layer.Activation} {(layer.Bias ? "bias" : "no bias")}");
            }

            Count($"{element} {variant.Topology.Loss}");
        }

        output.WriteLine(string.Join("\n", paths.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}")));
        foreach (string element in new[] { "float", "double" })
        {
            string[] required =
            [
                "Auto", "Unrolled", "Loops", "all loops, 1 layer", "all loops, several layers", "all unrolled, 1 layer",
                "all unrolled, several layers", "mixed, several layers", "loops then unrolled", "unrolled then loops",
                "a layer over 100 wide",
                .. TopologySet.Activations.Append(Activation.Softmax).SelectMany(a => new[] { $"{a} bias", $"{a} no bias" }),
                nameof(LossFunction.MeanSquaredError), nameof(LossFunction.CrossEntropy), nameof(LossFunction.BinaryCrossEntropy),
            ];
            foreach (string path in required)
            {
                Assert.True(paths.GetValueOrDefault($"{element} {path}") >= 3, $"'{element} {path}' seen {paths.GetValueOrDefault($"{element} {path}")} times");
            }
        }

        void Count(string key) => paths[key] = paths.GetValueOrDefault(key) + 1;
    }

    [Fact]
    public void The_double_check_catches_a_gradient_wrong_by_a_ten_thousandth()
    {
        // The tolerances must not be so loose that a subtle mistake passes: for 40 networks, make the largest
        // slope wrong by 1e-4 of itself and expect the check, with the same step, floor and tolerance, to fail
        // there; and make a slope just above the floor wrong by 1e-4 of itself, too.
        int caught = 0, tried = 0;
        foreach (Variant variant in fixture.Variants.Where(v => v.IsDouble).Take(40))
        {
            (double[] input, double[] target) = fixture.DoubleSamples[variant.Topology.Id][0];
            INetwork<double> network = fixture.CreateWithParameters<double>(variant);
            network.ZeroGradients();
            network.Backward(input, target);
            double[] g = network.Gradients.ToArray();
            int largest = Array.IndexOf(g, g.MaxBy(Math.Abs));
            double logits = fixture.LogitScale(variant.Topology, input);
            double floor = Floor(network, input, target, DoubleStep, DoubleTolerance, logits);
            foreach (int index in new[] { largest, Array.FindIndex(g, x => Math.Abs(x) > 2 * floor) })
            {
                if (index < 0 || g[index] == 0)
                {
                    continue;
                }

                tried++;
                var wrong = new PerturbedNetwork<double>(network, index, 1e-4 * g[index]);
                GradientCheckResult result = Check(wrong, input, target, DoubleStep, DoubleTolerance, logits);
                bool found = result.WorstRelativeError > DoubleTolerance && result.WorstIndex == index;
                caught += found ? 1 : 0;
                Assert.True(found, $"missed: {variant}, index {index}, slope {g[index]:R} made wrong by 1e-4 of itself, floor {floor:G3}: {result}");
            }
        }

        output.WriteLine($"{caught} of {tried} gradients made wrong by 1e-4 of themselves caught");
        Assert.True(tried >= 40, $"only {tried} perturbations tried");
        Assert.Equal(tried, caught);
    }

    [Fact]
    public void The_kink_guard_rejects_a_sample_next_to_a_kink()
    {
        // 1 -> 1 ReLU, weight 1, no bias: z is the input. With h = 1e-6, z = 1e-6 is within reach, z = 1e-3 is not.
        var topology = new Topology(-1, 1, [new LayerShape(1, Activation.ReLU, false)]);
        var reference = new ReferenceForward(topology, [1.0]);
        Assert.False(reference.IsClearOfKinks([1e-6], DoubleStep, DoubleRounding, out string? why));
        Assert.NotNull(why);
        Assert.True(reference.IsClearOfKinks([1e-3], DoubleStep, DoubleRounding, out _));
        Assert.False(reference.IsClearOfKinks([-1e-3], FloatStep, FloatRounding, out _));

        // Two layers: a change in the first layer reaches the second through its weights (here 1000).
        var deep = new Topology(-1, 1, [new LayerShape(1, Activation.Identity, false), new LayerShape(1, Activation.LeakyReLU, false)]);
        var amplified = new ReferenceForward(deep, [1.0, 1000.0]);
        Assert.False(amplified.IsClearOfKinks([1e-6], DoubleStep, DoubleRounding, out _)); // z2 = 1e-3, reach 4 * 1000 * 1e-6
        Assert.True(amplified.IsClearOfKinks([1e-4], DoubleStep, DoubleRounding, out _)); // z2 = 0.1
    }

    /// <summary>GradientCheck.Run with the floor of the class remarks: K N / tau.</summary>
    private static GradientCheckResult Check<T>(INetwork<T> network, T[] input, T[] target, T step, double tolerance, double logitScale)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        GradientCheck.Run(network, input, target, step, Floor(network, input, target, double.CreateChecked(step), tolerance, logitScale));

    /// <summary>
    /// K N / tau, N = u (L + sqrt(L) ymax + 2 zmax) / h: see the class remarks. <paramref name="logitScale"/> is zmax,
    /// max(1, |z|) over the last layer's pre-activations for the cross-entropies, 0 for mean squared error.
    /// </summary>
    private static double Floor<T>(INetwork<T> network, T[] input, T[] target, double step, double tolerance, double logitScale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double u = typeof(T) == typeof(double) ? Math.Pow(2, -53) : Math.Pow(2, -24);
        var y = new T[network.OutputCount];
        network.Forward(input, y);
        double largest = Math.Max(1, Math.Max(LargestMagnitude<T>(y), LargestMagnitude<T>(target)));
        double loss = double.CreateChecked(network.Loss(input, target));
        double noise = u * (loss + (Math.Sqrt(loss) * largest) + (2 * logitScale)) / step;
        return Math.Max(NoiseMultiple * noise / tolerance, double.Epsilon);
    }

    private static double LargestMagnitude<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double largest = 0;
        foreach (T v in values)
        {
            largest = Math.Max(largest, Math.Abs(double.CreateChecked(v)));
        }

        return largest;
    }

    private static float[] ToFloats(double[] values) => Array.ConvertAll(values, v => (float)v);

    private double[] ForwardOf<T>(Variant variant, double[] input, Func<double, T> convert)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        INetwork<T> network = fixture.CreateWithParameters<T>(variant);
        var y = new T[network.OutputCount];
        network.Forward(Array.ConvertAll(input, x => convert(x)), y);
        return Array.ConvertAll(y, double.CreateChecked);
    }

    private int Compare<T>(Variant first, Variant second, Func<double, T> convert, bool reordered)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        INetwork<T> a = fixture.CreateWithParameters<T>(first), b = fixture.CreateWithParameters<T>(second);
        bool isDouble = typeof(T) == typeof(double);
        double valueTolerance = 2 * (isDouble ? 1e-12 : 1e-4);
        double slopeTolerance = 2 * (isDouble ? DoubleTolerance : FloatVersusDoubleTolerance);
        var reference = new ReferenceForward(first.Topology, fixture.Parameters[first.Topology.Id]);
        int compared = 0;
        string where = $"{first.ClassName} vs {second.ClassName}";
        foreach ((double[] inputD, double[] targetD) in fixture.DoubleSamples[first.Topology.Id])
        {
            double scale = Math.Max(1, reference.LargestMagnitude(inputD));
            T[] input = Array.ConvertAll(inputD, x => convert(x)), target = Array.ConvertAll(targetD, x => convert(x));
            T[] ya = new T[a.OutputCount], yb = new T[b.OutputCount];
            a.Forward(input, ya);
            b.Forward(input, yb);
            compared += reordered ? Near<T>(ya, yb, scale, valueTolerance, $"{where}: Forward") : Same<T>(ya, yb, $"{where}: Forward");
            T[] la = [a.Loss(input, target)], lb = [b.Loss(input, target)];
            compared += reordered ? Near<T>(la, lb, scale, valueTolerance, $"{where}: Loss") : Same<T>(la, lb, $"{where}: Loss");
            a.ZeroGradients();
            b.ZeroGradients();
            T[] ba = [a.Backward(input, target)], bb = [b.Backward(input, target)];
            compared += reordered ? Near<T>(ba, bb, scale, valueTolerance, $"{where}: Backward's loss") : Same<T>(ba, bb, $"{where}: Backward's loss");
            compared += reordered ? Slopes<T>(a.Gradients, b.Gradients, slopeTolerance, $"{where}: gradients") : Same<T>(a.Gradients, b.Gradients, $"{where}: gradients");
            T rate = T.CreateChecked(0.01);
            T[] before = a.Parameters.ToArray();
            T[] ta = [a.TrainStep(input, target, rate)], tb = [b.TrainStep(input, target, rate)];
            if (reordered)
            {
                compared += Near<T>(ta, tb, scale, valueTolerance, $"{where}: TrainStep's loss");
                compared += Slopes<T>(Change(before, a.Parameters), Change(before, b.Parameters), slopeTolerance, $"{where}: TrainStep's change of the parameters");
            }
            else
            {
                compared += Same<T>(ta, tb, $"{where}: TrainStep's loss");
                compared += Same<T>(a.Parameters, b.Parameters, $"{where}: parameters after TrainStep");
            }
        }

        return compared;
    }

    private static int Same<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.True(a[i] == b[i], $"{what}[{i}]: {a[i]:R} vs {b[i]:R}");
        }

        return a.Length;
    }

    /// <summary>|a - b| within tolerance x scale, element by element.</summary>
    private static int Near<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, double scale, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
        {
            double x = double.CreateChecked(a[i]), y = double.CreateChecked(b[i]);
            Assert.True(Math.Abs(x - y) <= tolerance * scale, $"{what}[{i}]: {x:R} vs {y:R}, scale {scale:G3}");
        }

        return a.Length;
    }

    /// <summary>Slopes compared relative to the larger magnitude, with a floor of a fraction of the largest slope.</summary>
    private static int Slopes<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(a.Length, b.Length);
        double floor = FloatVersusDoubleFloorFraction * Math.Max(LargestMagnitude(a), LargestMagnitude(b));
        for (int i = 0; i < a.Length; i++)
        {
            double x = double.CreateChecked(a[i]), y = double.CreateChecked(b[i]);
            double error = Math.Abs(x - y) / Math.Max(Math.Max(Math.Max(Math.Abs(x), Math.Abs(y)), floor), double.Epsilon);
            Assert.True(error <= tolerance, $"{what}[{i}]: {x:R} vs {y:R}, relative error {error:G3}");
        }

        return a.Length;
    }

    private static T[] Change<T>(T[] before, ReadOnlySpan<T> after)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var change = new T[before.Length];
        for (int i = 0; i < change.Length; i++)
        {
            change[i] = after[i] - before[i];
        }

        return change;
    }

    /// <summary>Compiles all networks once for the tests of this class, and draws their parameters and samples.</summary>
    public sealed class Fixture : IDisposable
    {
        public const string Namespace = "RandomTopologies";
        public const int TopologyCount = 320;
        private const int Seed = 20_251_127;

        private readonly Dictionary<string, string> _generated;

        public Fixture()
        {
            var stopwatch = Stopwatch.StartNew();
            TopologySet set = TopologySet.Draw(TopologyCount, Seed);
            Topologies = set.Topologies;
            Variants = set.Variants;
            DoubleReference = set.DoubleReference;
            Networks = CompiledNetworks.Compile(Namespace, Variants.Select(v => v.Declaration()));
            double compileSeconds = stopwatch.Elapsed.TotalSeconds;
            _generated = Networks.Generated.ToDictionary(t => ClassOf(t.ToString()), t => t.ToString());

            // Parameters: the default initialisation (He / Glorot, through the network's own InitializeParameters)
            // with biases drawn in [-0.5, 0.5), so that a bias added in the wrong place shows; all values floats,
            // so that float and double networks hold the same.
            var random = new Random(Seed);
            foreach (Topology topology in Topologies)
            {
                Variant first = Variants.First(v => v.Topology == topology);
                var parameters = new double[topology.ParameterCount];
                if (first.IsDouble)
                {
                    INetwork<double> network = Networks.Create<double>(FullName(first));
                    network.InitializeParameters(topology.Id);
                    network.Parameters.CopyTo(parameters);
                }
                else
                {
                    INetwork<float> network = Networks.Create<float>(FullName(first));
                    network.InitializeParameters(topology.Id);
                    for (int i = 0; i < parameters.Length; i++)
                    {
                        parameters[i] = network.Parameters[i];
                    }
                }

                RandomizeBiases(topology, parameters, random);
                Parameters.Add(Array.ConvertAll(parameters, p => (double)(float)p));
            }

            // Samples: inputs and targets uniform in [-1, 1), float values, kept only where the kink guard clears them.
            // For the first 200 draws a sample must also be live (some node of every ReLU layer on), so that its
            // gradient is not zero throughout; a topology whose ReLU layers stay off is counted, not hidden.
            int rejected = 0;
            foreach (Topology topology in Topologies)
            {
                var reference = new ReferenceForward(topology, Parameters[topology.Id]);
                References.Add(reference);
                var samples = new List<(double[], double[])>();
                (double[] Input, double[] Target)? floatSample = null;
                bool wantsFloat = DoubleReference.ContainsKey(topology.Id);
                for (int attempt = 0; attempt < 400 && (samples.Count < 2 || (wantsFloat && floatSample is null)); attempt++)
                {
                    double[] input = RandomFloats(topology.Inputs, random);
                    double[] target = Targets(topology, random);
                    if (attempt < 200 && !reference.IsLive(input))
                    {
                        rejected++;
                    }
                    else if (samples.Count < 2
                        && reference.IsClearOfKinks(input, DoubleStep, DoubleRounding, out _)
                        && reference.IsClearOfKinks(input, 0, FloatRounding, out _))
                    {
                        samples.Add((input, target));
                        DeadSamples += reference.IsLive(input) ? 0 : 1;
                    }
                    else if (wantsFloat && floatSample is null && reference.IsClearOfKinks(input, FloatStep, FloatRounding, out _))
                    {
                        floatSample = (input, target);
                    }
                    else
                    {
                        rejected++;
                    }
                }

                Assert.True(samples.Count == 2, $"no sample clear of kinks for {topology}");
                DoubleSamples.Add(samples);
                FloatSamples.Add(floatSample);
            }

            Summary = $"set-up: {Topologies.Count} topologies, {Variants.Count} networks ({Variants.Count(v => v.IsDouble)} double), " +
                $"{Networks.SourceChars + Networks.GeneratedChars:N0} characters of source ({Networks.GeneratedChars:N0} generated); " +
                $"generated and compiled in {compileSeconds:F1} s, ready in {stopwatch.Elapsed.TotalSeconds:F1} s; " +
                $"{rejected} samples rejected by the kink and liveness guards; {DeadSamples} samples (of {2 * Topologies.Count}) with a ReLU layer all off";
        }

        public List<Topology> Topologies { get; }

        public List<Variant> Variants { get; }

        /// <summary>For each topology with a float network, the double network it is compared with.</summary>
        public Dictionary<int, Variant> DoubleReference { get; }

        public CompiledNetworks Networks { get; }

        /// <summary>Per topology: its parameters (float values, held as double).</summary>
        public List<double[]> Parameters { get; } = [];

        /// <summary>Per topology: two samples clear of kinks for double differences and float rounding.</summary>
        public List<List<(double[] Input, double[] Target)>> DoubleSamples { get; } = [];

        /// <summary>Per topology with a float network: a sample clear of kinks for float differences, if one was found.</summary>
        public List<(double[] Input, double[] Target)?> FloatSamples { get; } = [];

        public string Summary { get; }

        /// <summary>Samples where some ReLU layer is entirely off (taken only when no live sample was found).</summary>
        public int DeadSamples { get; }

        /// <summary>Per topology: the interpreter at its parameters.</summary>
        public List<ReferenceForward> References { get; } = [];

        public string FullName(Variant variant) => $"{Namespace}.{variant.ClassName}";

        /// <summary>For the cross-entropies, max(1, |z|) over the last layer's pre-activations (the size their rounding scales with); else 0.</summary>
        public double LogitScale(Topology topology, double[] input) =>
            topology.Loss == LossFunction.MeanSquaredError ? 0 : Math.Max(1, References[topology.Id].Logits(input).Max(Math.Abs));

        /// <summary>A new instance of the variant holding its topology's parameters.</summary>
        public INetwork<T> CreateWithParameters<T>(Variant variant)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            Assert.Equal(typeof(T) == typeof(double), variant.IsDouble);
            INetwork<T> network = Networks.Create<T>(FullName(variant));
            double[] parameters = Parameters[variant.Topology.Id];
            Assert.Equal(parameters.Length, network.Parameters.Length);
            for (int i = 0; i < parameters.Length; i++)
            {
                network.Parameters[i] = T.CreateChecked(parameters[i]);
            }

            return network;
        }

        /// <summary>Whether the variant's generated code calls the SIMD dot product (Kernels.Dot or DotRows), which sums in an order of its own.</summary>
        public bool UsesDotKernel(Variant variant) => _generated[variant.ClassName].Contains("Kernels.Dot", StringComparison.Ordinal);

        /// <summary>For each layer of the variant, whether the generator wrote it as loops.</summary>
        public bool[] LoopedLayers(Variant variant)
        {
            string source = _generated[variant.ClassName];
            var looped = new bool[variant.Topology.Layers.Length];
            foreach (Match match in Regex.Matches(source, @"// Layer (\d+): [^\n]*, as loops"))
            {
                looped[int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1] = true;
            }

            return looped;
        }

        public void Dispose() => Networks.Dispose();

        private static string ClassOf(string source) => Regex.Match(source, @"partial class (\w+) :").Groups[1].Value;

        private static double[] RandomFloats(int count, Random random)
        {
            var values = new double[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = (float)((2 * random.NextDouble()) - 1);
            }

            return values;
        }

        /// <summary>
        /// Targets for the loss: cross-entropy, probabilities summing to exactly 1 (one-hot or a dyadic mixture, exact in
        /// float and double, since the fused slope p - t assumes the sum is 1); binary cross-entropy, floats in [0, 1);
        /// mean squared error, floats in [-1, 1).
        /// </summary>
        private static double[] Targets(Topology topology, Random random)
        {
            switch (topology.Loss)
            {
                case LossFunction.CrossEntropy:
                    var target = new double[topology.Outputs];
                    double share = random.Next(5) * 0.25;
                    target[random.Next(target.Length)] += 1 - share;
                    target[random.Next(target.Length)] += share;
                    return target;
                case LossFunction.BinaryCrossEntropy:
                    return Array.ConvertAll(RandomFloats(topology.Outputs, random), t => (double)(float)((t + 1) / 2));
                default:
                    return RandomFloats(topology.Outputs, random);
            }
        }

        private static void RandomizeBiases(Topology topology, double[] parameters, Random random)
        {
            int offset = 0, fanIn = topology.Inputs;
            foreach (LayerShape layer in topology.Layers)
            {
                offset += fanIn * layer.Units;
                if (layer.Bias)
                {
                    for (int j = 0; j < layer.Units; j++)
                    {
                        parameters[offset + j] = random.NextDouble() - 0.5;
                    }

                    offset += layer.Units;
                }

                fanIn = layer.Units;
            }
        }
    }
}
