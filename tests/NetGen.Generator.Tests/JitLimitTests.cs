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
/// The JIT stops optimising a method past about 60,000 bytes of IL, 2,000 basic blocks or 512 locals,
/// and no generated method may get near those limits. These compile the largest networks the planner allows in each
/// form and read every method body of the emitted (Release) assembly. The margins are fixed here, not fitted to what
/// the generator happens to produce: under five sixths of the IL limit, under four fifths of the others.
/// </summary>
public sealed class JitLimitTests(ITestOutputHelper output)
{
    internal const int MaxILSize = 50_000;
    internal const int MaxLocals = 400;
    internal const int MaxBasicBlocks = 1_600;

    /// <summary>
    /// The planner's budgets for unrolled code (Planner: UnrollMaxWeights 768 weights, MaxEstimatedIL 48,000 bytes and
    /// MaxEstimatedLocals 400, estimated before generating) and NetworkLimits.MaxLayers (26) for looped code. Each
    /// network sits on one of those budgets (<see cref="One_more_unit_is_refused_at_the_unrolled_budgets"/> checks
    /// that one unit more is refused). Double and LeakyReLU give the most IL per weight (8-byte constants and a branch
    /// per node); biases add statements.
    /// </summary>
    private static readonly Dictionary<string, string> Networks = new()
    {
        // 16*24 + 24*16 = 768 weights: the unrolled weight budget exactly.
        ["UnrolledWeightBudget"] = Network("double", 16, "Unrolled", (24, "LeakyReLU"), (16, "LeakyReLU")),

        // 1*22 + 22*30 + 30*1 = 712 weights over 53 nodes: near the weight and IL budgets (45,638 estimated).
        ["UnrolledBothBudgets"] = Network("double", 1, "Unrolled", (22, "LeakyReLU"), (30, "LeakyReLU"), (1, "Identity")),

        // 610 weights over 69 nodes in 7 layers: near the IL budget (44 * 610 + 270 * 69 = 45,470 estimated), deep.
        ["UnrolledILBudgetDeep"] = Network("double", 2, "Unrolled", [.. Enumerable.Repeat((10, "LeakyReLU"), 6), (9, "Identity")]),

        // 16 + 1 + 4 * 92 + 4 + 1 + 2 * 4 (each layer's views) = 398 estimated locals in one wide layer: the locals
        // budget exactly.
        ["UnrolledLocalsBudgetWide"] = Network("double", 1, "Unrolled", (92, "LeakyReLU"), (1, "Identity")),

        // The default CodeShape.Auto and the plainest form (float, ReLU): four 16x16 layers, 1,024 weights, of which
        // the planner unrolls three (768) and loops the fourth.
        ["AutoBudgetFloatReLU"] = Network("float", 16, "Auto", [.. Enumerable.Repeat((16, "ReLU"), 4)]),

        // The MNIST-sized network under Auto: both layers as loops.
        ["Mnist784x128x10"] = Network("float", 784, "Auto", (128, "ReLU"), (10, "Identity")),

        // 26 layers (NetworkLimits.MaxLayers) as loops.
        ["LoopsMaxLayers"] = Network("double", 8, "Loops", [.. Enumerable.Repeat((8, "LeakyReLU"), 25), (1, "Identity")]),

        // 26 narrow layers under Auto: the first ones unrolled up to the budgets, the rest as loops.
        ["AutoMaxNarrowLayers"] = Network("float", 4, "Auto", [.. Enumerable.Repeat((4, "ReLU"), 25), (1, "Identity")]),

        // Softmax and cross-entropy, unrolled: the loss adds locals of its own (e, m, s per output).
        ["UnrolledSoftmax"] = Network("double", 20, "Auto", (12, "Tanh"), (10, "Softmax")),
    };

    [Theory]
    [InlineData("UnrolledWeightBudget")]
    [InlineData("UnrolledBothBudgets")]
    [InlineData("UnrolledILBudgetDeep")]
    [InlineData("UnrolledLocalsBudgetWide")]
    [InlineData("AutoBudgetFloatReLU")]
    [InlineData("Mnist784x128x10")]
    [InlineData("LoopsMaxLayers")]
    [InlineData("AutoMaxNarrowLayers")]
    [InlineData("UnrolledSoftmax")]
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
    [InlineData(16, 24, 17)] // 384 + 408 = 792 weights
    [InlineData(1, 95, 1)] // 16 + 1 + 4 * 95 + 4 + 1 = 402 estimated locals
    public void One_more_unit_is_refused_at_the_unrolled_budgets(int inputs, int hidden, int outputs)
    {
        GeneratorRun run = GeneratorHarness.Run(Network("double", inputs, "Unrolled", (hidden, "LeakyReLU"), (outputs, "LeakyReLU")));

        Assert.Empty(run.NetworkSources);
        Assert.Equal("NG0011", Assert.Single(run.Diagnostics).Id);
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
        string loss = layers[^1].Activation == "Softmax" ? ", Loss = NetGen.LossFunction.CrossEntropy" : string.Empty;
        return $"""
            using NetGen;

            /// <summary>A network at the limits.</summary>
            [Network<{element}>({inputs}, Code = CodeShape.{code}{loss})]
            {dense}
            public partial class Big;
            """;
    }
}
