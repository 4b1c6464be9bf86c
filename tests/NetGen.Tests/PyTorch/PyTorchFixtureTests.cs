using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Text.Json;
using Xunit.Abstractions;

namespace NetGen.Tests.PyTorch;

/// <summary>
/// The generated networks against PyTorch's own numbers for the same parameters and samples: every activation, small
/// (straight-line code) and wide (SIMD loops, then straight-line code; or loops throughout with the blocked TrainBatch),
/// in double and float, with each loss. Fixtures/activations/make_fixtures.py wrote the fixtures with PyTorch 1.13 in
/// float64; nothing here runs Python.
/// </summary>
/// <remarks>
/// <para><b>Double.</b> Both sides compute in double and differ only in the order of their sums and in the last bits of
/// exp, erf, tanh: a few units u = 2^-53 of the terms summed, at most 40 of them at each of 3 layers, so well under 1e-13
/// of the largest value in play. Each value must be within 1e-9 of itself, relative; a value cancelled to nearly
/// nothing (below 1e-3 of the largest in its vector, so that 1e-9 of itself is below the rounding of the terms it was
/// summed from) is held instead to 1e-12 of that largest value, still a thousand times above any honest rounding.</para>
/// <para><b>Float.</b> The float networks hold the same parameters and inputs (float values, as the fixtures are drawn)
/// but compute in float: each sum of up to 40 terms, through 3 layers forward and back, rounds at about
/// 2 x 3 x 40 u = 1.4e-5 of its terms' size (u = 2^-24 = 6e-8). Each value must be within 1e-4 of PyTorch's double,
/// relative to max(|its value|, 1e-2 of the largest in its vector): the float-against-double rule of the generator's
/// random topology tests with a ten times sharper tolerance.</para>
/// </remarks>
public sealed class PyTorchFixtureTests(ITestOutputHelper output)
{
    /// <summary>One declared network for one fixture.</summary>
    public sealed record Variant(string Fixture, string Form, bool IsDouble, Func<object> Create)
    {
        public override string ToString() => $"{Fixture} ({(IsDouble ? "double" : "float")}, {Form})";
    }

    private static readonly Variant[] Variants =
    [
        Double("Identity-small", "unrolled", () => new IdentitySmallDouble()),
        Float("Identity-small", "unrolled", () => new IdentitySmallFloat()),
        Double("Identity-wide", "loops, then unrolled", () => new IdentityWideDouble()),
        Double("Identity-wide", "loops", () => new IdentityWideLoopsDouble()),
        Float("Identity-wide", "loops", () => new IdentityWideLoopsFloat()),
        Double("ReLU-small", "unrolled", () => new ReLUSmallDouble()),
        Float("ReLU-small", "unrolled", () => new ReLUSmallFloat()),
        Double("ReLU-wide", "loops, then unrolled", () => new ReLUWideDouble()),
        Double("ReLU-wide", "loops", () => new ReLUWideLoopsDouble()),
        Float("ReLU-wide", "loops", () => new ReLUWideLoopsFloat()),
        Double("LeakyReLU-small", "unrolled", () => new LeakyReLUSmallDouble()),
        Float("LeakyReLU-small", "unrolled", () => new LeakyReLUSmallFloat()),
        Double("LeakyReLU-wide", "loops, then unrolled", () => new LeakyReLUWideDouble()),
        Double("LeakyReLU-wide", "loops", () => new LeakyReLUWideLoopsDouble()),
        Float("LeakyReLU-wide", "loops", () => new LeakyReLUWideLoopsFloat()),
        Double("Sigmoid-small", "unrolled", () => new SigmoidSmallDouble()),
        Float("Sigmoid-small", "unrolled", () => new SigmoidSmallFloat()),
        Double("Sigmoid-wide", "loops, then unrolled", () => new SigmoidWideDouble()),
        Double("Sigmoid-wide", "loops", () => new SigmoidWideLoopsDouble()),
        Float("Sigmoid-wide", "loops", () => new SigmoidWideLoopsFloat()),
        Double("Tanh-small", "unrolled", () => new TanhSmallDouble()),
        Float("Tanh-small", "unrolled", () => new TanhSmallFloat()),
        Double("Tanh-wide", "loops, then unrolled", () => new TanhWideDouble()),
        Double("Tanh-wide", "loops", () => new TanhWideLoopsDouble()),
        Float("Tanh-wide", "loops", () => new TanhWideLoopsFloat()),
        Double("ELU-small", "unrolled", () => new ELUSmallDouble()),
        Float("ELU-small", "unrolled", () => new ELUSmallFloat()),
        Double("ELU-wide", "loops, then unrolled", () => new ELUWideDouble()),
        Double("ELU-wide", "loops", () => new ELUWideLoopsDouble()),
        Float("ELU-wide", "loops", () => new ELUWideLoopsFloat()),
        Double("GELU-small", "unrolled", () => new GELUSmallDouble()),
        Float("GELU-small", "unrolled", () => new GELUSmallFloat()),
        Double("GELU-wide", "loops, then unrolled", () => new GELUWideDouble()),
        Double("GELU-wide", "loops", () => new GELUWideLoopsDouble()),
        Float("GELU-wide", "loops", () => new GELUWideLoopsFloat()),
        Double("SiLU-small", "unrolled", () => new SiLUSmallDouble()),
        Float("SiLU-small", "unrolled", () => new SiLUSmallFloat()),
        Double("SiLU-wide", "loops, then unrolled", () => new SiLUWideDouble()),
        Double("SiLU-wide", "loops", () => new SiLUWideLoopsDouble()),
        Float("SiLU-wide", "loops", () => new SiLUWideLoopsFloat()),
        Double("Softplus-small", "unrolled", () => new SoftplusSmallDouble()),
        Float("Softplus-small", "unrolled", () => new SoftplusSmallFloat()),
        Double("Softplus-wide", "loops, then unrolled", () => new SoftplusWideDouble()),
        Double("Softplus-wide", "loops", () => new SoftplusWideLoopsDouble()),
        Float("Softplus-wide", "loops", () => new SoftplusWideLoopsFloat()),
        Double("CrossEntropy-small", "unrolled", () => new CrossEntropySmallDouble()),
        Float("CrossEntropy-small", "unrolled", () => new CrossEntropySmallFloat()),
        Double("CrossEntropy-wide", "loops, then unrolled", () => new CrossEntropyWideDouble()),
        Double("CrossEntropy-wide", "loops", () => new CrossEntropyWideLoopsDouble()),
        Float("CrossEntropy-wide", "loops", () => new CrossEntropyWideLoopsFloat()),
        Double("BinaryCrossEntropy-small", "unrolled", () => new BinaryCrossEntropySmallDouble()),
        Float("BinaryCrossEntropy-small", "unrolled", () => new BinaryCrossEntropySmallFloat()),
        Double("BinaryCrossEntropy-wide", "loops, then unrolled", () => new BinaryCrossEntropyWideDouble()),
        Double("BinaryCrossEntropy-wide", "loops", () => new BinaryCrossEntropyWideLoopsDouble()),
        Float("BinaryCrossEntropy-wide", "loops", () => new BinaryCrossEntropyWideLoopsFloat()),
    ];

    private static Variant Double(string fixture, string form, Func<object> create) => new(fixture, form, true, create);

    private static Variant Float(string fixture, string form, Func<object> create) => new(fixture, form, false, create);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (Variant variant in Variants)
        {
            data.Add(variant.ToString());
        }

        return data;
    }

    private static Variant Get(string name) => Variants.Single(v => v.ToString() == name);

    /// <summary>What a fixture file holds (see make_fixtures.py).</summary>
    private sealed record Fixture(
        string Name, int Inputs, (int Units, string Activation, bool Bias)[] Layers, string Loss, double[] Parameters,
        (double[] Input, double[] Target, double[] Output, double Loss)[] Samples, double[][] Gradients, double BatchLoss,
        double[] BatchGradient);

    private static readonly Dictionary<string, Fixture> Cache = [];

    private static Fixture Load(string name)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(name, out Fixture? cached))
            {
                return cached;
            }

            string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "activations", name + ".json");
            using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = json.RootElement;
            static double[] Numbers(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();
            var fixture = new Fixture(
                root.GetProperty("name").GetString()!,
                root.GetProperty("inputs").GetInt32(),
                root.GetProperty("layers").EnumerateArray()
                    .Select(l => (l.GetProperty("units").GetInt32(), l.GetProperty("activation").GetString()!, l.GetProperty("bias").GetBoolean()))
                    .ToArray(),
                root.GetProperty("loss").GetString()!,
                Numbers(root.GetProperty("parameters")),
                root.GetProperty("samples").EnumerateArray()
                    .Select(s => (Numbers(s.GetProperty("input")), Numbers(s.GetProperty("target")), Numbers(s.GetProperty("output")), s.GetProperty("loss").GetDouble()))
                    .ToArray(),
                root.GetProperty("gradients").EnumerateArray().Select(Numbers).ToArray(),
                root.GetProperty("batch").GetProperty("loss").GetDouble(),
                Numbers(root.GetProperty("batch").GetProperty("gradient")));
            Assert.Equal(name, fixture.Name);
            Cache[name] = fixture;
            return fixture;
        }
    }

    private static double Scale(ReadOnlySpan<double> expected)
    {
        double largest = 0;
        foreach (double v in expected)
        {
            largest = Math.Max(largest, Math.Abs(v));
        }

        return largest;
    }

    /// <summary>The worst of |actual - expected| / allowed over the vector (at most 1 passes); see the remarks.</summary>
    private static (double Ratio, int Index) Worst<T>(ReadOnlySpan<T> actual, ReadOnlySpan<double> expected, bool isDouble)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Scale(expected);
        double worst = 0;
        int at = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double a = double.CreateChecked(actual[i]), e = expected[i];
            double allowed = isDouble
                ? Math.Max(1e-9 * Math.Abs(e), 1e-12 * scale)
                : 1e-4 * Math.Max(Math.Abs(e), 1e-2 * scale);
            double ratio = Math.Abs(a - e) / Math.Max(allowed, double.Epsilon);
            if (!(ratio <= worst))
            {
                (worst, at) = (ratio, i);
            }
        }

        return (worst, at);
    }

    private void AssertClose<T>(ReadOnlySpan<T> actual, ReadOnlySpan<double> expected, bool isDouble, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        (double ratio, int at) = Worst(actual, expected, isDouble);
        output.WriteLine($"{what}: worst {ratio:F3} of the tolerance");
        Assert.True(ratio <= 1, $"{what}[{at}]: {double.CreateChecked(actual[at]):R}, PyTorch {expected[at]:R} ({ratio:G3} times the tolerance)");
    }

    private static T[] Of<T>(double[] values)
        where T : unmanaged, IFloatingPointIeee754<T> => Array.ConvertAll(values, T.CreateChecked);

    private static INetwork<T> Network<T>(Variant variant, Fixture fixture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = (INetwork<T>)variant.Create();
        string layers = string.Join(" | ", fixture.Layers.Select(l => $"{l.Units} {l.Activation}{(l.Bias ? string.Empty : " nobias")}"));
        Assert.Equal($"{(variant.IsDouble ? "double" : "float")} {fixture.Inputs} | {layers} | {fixture.Loss}", network.Topology);
        Of<T>(fixture.Parameters).CopyTo(network.Parameters);
        return network;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_and_Loss_give_PyTorchs_outputs_and_losses(string name)
    {
        Variant variant = Get(name);
        Fixture fixture = Load(variant.Fixture);
        if (variant.IsDouble)
        {
            ForwardAndLoss(Network<double>(variant, fixture), fixture, true, name);
        }
        else
        {
            ForwardAndLoss(Network<float>(variant, fixture), fixture, false, name);
        }
    }

    private void ForwardAndLoss<T>(INetwork<T> network, Fixture fixture, bool isDouble, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var outputs = new List<T>();
        var expectedOutputs = new List<double>();
        var losses = new List<T>();
        foreach ((double[] input, double[] target, double[] expected, _) in fixture.Samples)
        {
            var y = new T[network.OutputCount];
            network.Forward(Of<T>(input), y);
            outputs.AddRange(y);
            expectedOutputs.AddRange(expected);
            losses.Add(network.Loss(Of<T>(input), Of<T>(target)));
        }

        AssertClose<T>([.. outputs], [.. expectedOutputs], isDouble, $"{name}: outputs");
        AssertClose<T>([.. losses], fixture.Samples.Select(s => s.Loss).ToArray(), isDouble, $"{name}: losses");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Backward_gives_PyTorchs_gradients(string name)
    {
        Variant variant = Get(name);
        Fixture fixture = Load(variant.Fixture);
        if (variant.IsDouble)
        {
            Gradients(Network<double>(variant, fixture), fixture, true, name);
        }
        else
        {
            Gradients(Network<float>(variant, fixture), fixture, false, name);
        }
    }

    private void Gradients<T>(INetwork<T> network, Fixture fixture, bool isDouble, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(2, fixture.Gradients.Length);
        for (int s = 0; s < fixture.Gradients.Length; s++)
        {
            (double[] input, double[] target, _, double loss) = fixture.Samples[s];
            network.ZeroGradients();
            T backwardLoss = network.Backward(Of<T>(input), Of<T>(target));
            AssertClose<T>([backwardLoss], [loss], isDouble, $"{name}: Backward's loss of sample {s}");
            AssertClose<T>(network.Gradients, fixture.Gradients[s], isDouble, $"{name}: gradient of sample {s}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TrainBatch_steps_against_PyTorchs_mean_gradient(string name)
    {
        Variant variant = Get(name);
        Fixture fixture = Load(variant.Fixture);
        if (variant.IsDouble)
        {
            Batch(Network<double>(variant, fixture), fixture, true, name);
        }
        else
        {
            Batch(Network<float>(variant, fixture), fixture, false, name);
        }
    }

    private void Batch<T>(INetwork<T> network, Fixture fixture, bool isDouble, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Nine samples: one block of eight for a blocked TrainBatch, and one after it.
        T[] inputs = Of<T>(fixture.Samples.SelectMany(s => s.Input).ToArray());
        T[] targets = Of<T>(fixture.Samples.SelectMany(s => s.Target).ToArray());
        const double Rate = 0.1;
        T loss = network.TrainBatch(inputs, targets, T.CreateChecked(Rate));

        AssertClose<T>([loss], [fixture.BatchLoss], isDouble, $"{name}: TrainBatch's mean loss");
        AssertClose<T>(network.Gradients, fixture.BatchGradient, isDouble, $"{name}: TrainBatch's mean gradient");

        // The step itself, p - 0.1 g with PyTorch's g, as a change of the parameters (the parameters themselves would
        // hide an error in a small step behind their own size). The change is a difference of two parameters, so it
        // also carries their rounding, a few u of the largest parameter.
        T[] before = Of<T>(fixture.Parameters);
        double largest = Scale(fixture.Parameters);
        double u = isDouble ? Math.Pow(2, -53) : Math.Pow(2, -24);
        for (int i = 0; i < before.Length; i++)
        {
            double change = double.CreateChecked(network.Parameters[i] - before[i]);
            double expected = -Rate * fixture.BatchGradient[i];
            double allowed = Math.Max((isDouble ? 1e-9 : 1e-4) * Math.Abs(expected), 4 * u * largest);
            Assert.True(Math.Abs(change - expected) <= allowed, $"{name}: step of parameter {i}: {change:R}, PyTorch {expected:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_NaN_input_comes_out_NaN_as_in_PyTorch(string name)
    {
        Variant variant = Get(name);
        Fixture fixture = Load(variant.Fixture);
        if (variant.IsDouble)
        {
            AssertNaN(Network<double>(variant, fixture), fixture, name);
        }
        else
        {
            AssertNaN(Network<float>(variant, fixture), fixture, name);
        }
    }

    private static void AssertNaN<T>(INetwork<T> network, Fixture fixture, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // torch gives NaN at every output of these networks when one input is NaN: every node of the first layer sums
        // it, and every activation keeps NaN as NaN.
        T[] input = Of<T>(fixture.Samples[0].Input);
        input[0] = T.NaN;
        var y = new T[network.OutputCount];
        network.Forward(input, y);
        Assert.All(y, v => Assert.True(T.IsNaN(v), $"{name}: an output is {v}, not NaN"));
        Assert.True(T.IsNaN(network.Loss(input, Of<T>(fixture.Samples[0].Target))), $"{name}: Loss");
    }

    /// <summary>The double networks of ELU, GELU, SiLU and Softplus, and of the losses' fixtures, which use them.</summary>
    public static TheoryData<string> AddedActivationDoubles()
    {
        string[] added = ["ELU-", "GELU-", "SiLU-", "Softplus-", "CrossEntropy-", "BinaryCrossEntropy-"];
        var data = new TheoryData<string>();
        foreach (Variant variant in Variants.Where(v => v.IsDouble && added.Any(a => v.Fixture.StartsWith(a, StringComparison.Ordinal))))
        {
            data.Add(variant.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AddedActivationDoubles))]
    public void Backward_matches_central_differences_of_Loss(string name)
    {
        // Independent of PyTorch: GradientCheck's central differences, h = 1e-6, on the two gradient samples. The
        // difference is off by truncation (h^2 / 6 times the third derivative, below 1e-11 of a slope here) and by the
        // rounding of the two losses, each a few hundred operations deep: measured up to 7e-11 absolute, which is
        // 1e-4 of the smallest gradients. So every gradient is held to 1e-6 relative, but with GradientCheck's floor
        // at 1e-2 of the sample's largest gradient (the generator's float-against-double rule): sharp for the
        // gradients that carry the slope, and PyTorch's numbers above pin every element to 1e-9 anyway. ELU's
        // curvature jumps at z = 0: no z of these samples is within reach of it.
        Variant variant = Get(name);
        Fixture fixture = Load(variant.Fixture);
        INetwork<double> network = Network<double>(variant, fixture);
        for (int s = 0; s < 2; s++)
        {
            double floor = 1e-2 * Scale(fixture.Gradients[s]);
            GradientCheckResult result = GradientCheck.Run(network, fixture.Samples[s].Input, fixture.Samples[s].Target, 1e-6, floor);
            output.WriteLine($"{name}, sample {s}: {result}");
            Assert.True(result.WorstRelativeError <= 1e-6, $"{name}, sample {s}: {result}");
        }
    }
}
