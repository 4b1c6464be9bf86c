using System.Linq;
using System.Text.RegularExpressions;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests;

/// <summary>
/// [Network(MaxUnrolledLayerWeights = n)] replaces the planner's per-layer threshold (128 weights) under
/// CodeShape.Auto, in both directions, and the measured network budget (256 unrolled weights) by the JIT-safety one
/// (768 unrolled weights), while that and the IL and locals estimates still cap it (docs/planner.md, "Overriding the rule per network"). Read on the generated source: an
/// unrolled layer l declares the local zl_0, its first node's sum; a looped layer sums in a loop and has none.
/// </summary>
public sealed class UnrollThresholdTests
{
    [Theory]
    [InlineData("", true)]
    [InlineData(", MaxUnrolledLayerWeights = 0", true)]
    [InlineData(", MaxUnrolledLayerWeights = 128", true)]
    [InlineData(", MaxUnrolledLayerWeights = 127", false)]
    [InlineData(", MaxUnrolledLayerWeights = 64", false)]
    public void A_16x8_layer_of_128_weights_is_unrolled_by_default_and_loops_under_a_lower_threshold(string threshold, bool unrolled)
    {
        string source = Generate($"""
            using NetGen;

            /// <summary>16 inputs, a 16x8 hidden layer (128 weights), one output (8 weights).</summary>
            [Network(16{threshold})]
            [Dense(8, Activation.ReLU)]
            [Dense(1)]
            public partial class Net;
            """);

        Assert.Equal(unrolled, IsUnrolled(source, 1));
        Assert.True(IsUnrolled(source, 2), "the 8-weight output layer is under any of these thresholds");
    }

    [Theory]
    [InlineData("", false)]
    [InlineData(", MaxUnrolledLayerWeights = 0", false)]
    [InlineData(", MaxUnrolledLayerWeights = 255", false)]
    [InlineData(", MaxUnrolledLayerWeights = 256", true)]
    public void A_16x16_layer_of_256_weights_loops_by_default_and_is_unrolled_under_a_threshold_of_256(string threshold, bool unrolled)
    {
        string source = Generate($"""
            using NetGen;

            /// <summary>16 inputs, a 16x16 hidden layer (256 weights), one output (16 weights).</summary>
            [Network(16{threshold})]
            [Dense(16, Activation.ReLU)]
            [Dense(1)]
            public partial class Net;
            """);

        Assert.Equal(unrolled, IsUnrolled(source, 1));
        Assert.True(IsUnrolled(source, 2), "the 16-weight output layer is under any of these thresholds");
    }

    [Theory]
    [InlineData("", false)]
    [InlineData(", MaxUnrolledLayerWeights = 511", false)]
    [InlineData(", MaxUnrolledLayerWeights = 512", true)]
    [InlineData(", MaxUnrolledLayerWeights = 768", true)]
    public void A_32x16_layer_of_512_weights_loops_by_default_and_is_unrolled_under_a_threshold_of_512(string threshold, bool unrolled)
    {
        string source = Generate($"""
            using NetGen;

            /// <summary>32 inputs, a 32x16 hidden layer (512 weights), one output.</summary>
            [Network<double>(32{threshold})]
            [Dense(16, Activation.Tanh)]
            [Dense(1)]
            public partial class Net;
            """);

        Assert.Equal(unrolled, IsUnrolled(source, 1));
        Assert.True(IsUnrolled(source, 2));
    }

    /// <summary>
    /// The threshold lets the 576-weight second layer through, but the first has taken the network's whole budget of
    /// 768 unrolled weights: the second loops, and so does the 24-weight third, which no longer fits either.
    /// </summary>
    [Fact]
    public void The_network_weight_budget_still_caps_a_raised_threshold()
    {
        string source = Generate("""
            using NetGen;

            /// <summary>32x24 (768 weights), 24x24 (576), 24x1 (24).</summary>
            [Network(32, MaxUnrolledLayerWeights = 768)]
            [Dense(24, Activation.ReLU)]
            [Dense(24, Activation.ReLU)]
            [Dense(1)]
            public partial class Net;
            """);

        Assert.True(IsUnrolled(source, 1));
        Assert.False(IsUnrolled(source, 2));
        Assert.False(IsUnrolled(source, 3));
    }

    /// <summary>
    /// Four 16x16 layers under a threshold of 512: each layer is allowed, but only three fit the 768-weight budget.
    /// Under the default threshold (128) none is unrolled.
    /// </summary>
    [Fact]
    public void The_network_weight_budget_caps_many_layers_each_under_the_threshold()
    {
        string raised = Generate(FourLayers(", MaxUnrolledLayerWeights = 512"));

        Assert.Equal([true, true, true, false], Enumerable.Range(1, 4).Select(l => IsUnrolled(raised, l)));
        string plain = Generate(FourLayers(string.Empty));
        Assert.Equal([false, false, false, false], Enumerable.Range(1, 4).Select(l => IsUnrolled(plain, l)));

        static string FourLayers(string threshold) => $"""
            using NetGen;

            /// <summary>Four 16x16 layers, 1,024 weights.</summary>
            [Network(16{threshold})]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(16)]
            public partial class Net;
            """;
    }

    /// <summary>
    /// A 16x48 layer, 768 weights over 48 nodes: the IL estimate is 44 x 768 + 270 x 48 = 46,752 bytes, within the
    /// 48,000 budget, so a threshold of 768 unrolls it; with CheckFinite each node costs 40 bytes more, 48,672 in all,
    /// and it loops whatever the threshold. The unrolled one is compiled and its method bodies read: the estimate keeps
    /// it under the JIT limits the JIT-limit tests hold every network to.
    /// </summary>
    [Theory]
    [InlineData("", true)]
    [InlineData(", CheckFinite = true", false)]
    public void The_IL_estimate_still_caps_a_raised_threshold(string checkFinite, bool unrolled)
    {
        GeneratorRun run = GeneratorHarness.Run($"""
            using NetGen;

            /// <summary>One 16x48 layer: 768 weights.</summary>
            [Network<double>(16, MaxUnrolledLayerWeights = 768{checkFinite})]
            [Dense(48, Activation.LeakyReLU)]
            public partial class Net;
            """);

        Assert.Empty(run.AllDiagnostics());
        Assert.Equal(unrolled, IsUnrolled(run.Source("Net.g.cs"), 1));
        JitLimitTests.AssertWellBelowTheLimits(MethodBodies.Read(Emitted.Image(run.Output)));
    }

    /// <summary>
    /// Three layers of 128 weights each: by default only two fit the measured network budget of 256; a threshold
    /// set by hand, even to the default 128, replaces that budget with the JIT-safety one of 768, and all three unroll.
    /// </summary>
    [Fact]
    public void The_measured_network_budget_applies_by_default_and_a_threshold_set_by_hand_lifts_it()
    {
        string plain = Generate(ThreeLayersOf128(string.Empty));
        string raised = Generate(ThreeLayersOf128(", MaxUnrolledLayerWeights = 128"));

        Assert.Equal([true, true, false], Enumerable.Range(1, 3).Select(l => IsUnrolled(plain, l)));
        Assert.Equal([true, true, true], Enumerable.Range(1, 3).Select(l => IsUnrolled(raised, l)));

        static string ThreeLayersOf128(string threshold) => $"""
            using NetGen;

            /// <summary>8 -> 16 -> 8 -> 16: three layers of 128 weights.</summary>
            [Network(8{threshold})]
            [Dense(16, Activation.ReLU)]
            [Dense(8, Activation.ReLU)]
            [Dense(16)]
            public partial class Net;
            """;
    }

    /// <summary>
    /// 0 is the default: the same code to the character. 128 written out is the default per-layer threshold, and on a
    /// network whose unrolled layers stay under the default network budget it gives the same code too.
    /// </summary>
    [Fact]
    public void Zero_and_128_give_the_same_code_as_no_threshold_under_the_network_budget()
    {
        string plain = Generate(ThreeLayers(string.Empty));

        Assert.Equal([true, false, true], Enumerable.Range(1, 3).Select(l => IsUnrolled(plain, l)));
        Assert.Equal(plain, Generate(ThreeLayers(", MaxUnrolledLayerWeights = 0")));
        Assert.Equal(plain, Generate(ThreeLayers(", MaxUnrolledLayerWeights = 128")));

        static string ThreeLayers(string threshold) => $"""
            using NetGen;

            /// <summary>A 16x16 layer between two narrow ones.</summary>
            [Network(4{threshold})]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(2)]
            public partial class Net;
            """;
    }

    /// <summary>Generates the one network, checks that the whole program has no diagnostic at all, and returns its code.</summary>
    private static string Generate(string declaration)
    {
        GeneratorRun run = GeneratorHarness.Run(declaration);

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.AllDiagnostics());
        return run.Source("Net.g.cs");
    }

    private static bool IsUnrolled(string source, int layer) =>
        Regex.IsMatch(source, $@"\b(float|double) z{layer}_0 = ");
}
