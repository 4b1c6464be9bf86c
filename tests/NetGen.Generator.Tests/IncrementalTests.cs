using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests;

/// <summary>
/// DESIGN §5: an edit elsewhere in the user's code, or a comment, must not regenerate or re-emit. The driver is run
/// once, then again on an edited compilation, and every output of NetGen's named steps and of its source outputs
/// must come from the cache (Cached) or compare equal to the last one (Unchanged).
/// </summary>
public sealed class IncrementalTests
{
    private static readonly string[] StepNames =
    [
        TrackingNames.ParseNetwork,
        TrackingNames.ParseGenericNetwork,
    ];

    // One of each kind of step input, [Network] and [Network<T>], so that no tracked step is vacuously empty; and a
    // [Dense] without [Network], whose NG0014 comes from the analyzer and must not disturb the generator's cache.
    private const string Networks = """
        using NetGen;

        namespace App;

        /// <summary>Float.</summary>
        [Network(2)]
        [Dense(3, Activation.ReLU)]
        [Dense(1)]
        public partial class FloatNet;

        /// <summary>Double.</summary>
        [Network<double>(3)]
        [Dense(2, Activation.Tanh)]
        public partial class DoubleNet;
        """;

    private const string Orphan = """
        using NetGen;

        namespace App;

        [Dense(4)]
        internal partial class Orphan;
        """;

    private const string Other = """
        namespace App;

        internal static class Other
        {
            internal static int Twice(int x) => 2 * x;
        }
        """;

    [Fact]
    public void Adding_an_unrelated_file_reuses_every_output()
    {
        (GeneratorRun first, Compilation compilation) = RunFirst();

        GeneratorRun second = GeneratorHarness.Run(
            compilation.AddSyntaxTrees(TestCompilation.Parse("namespace App;\n\ninternal sealed class Added;\n", "Added.cs")),
            first.Driver);

        AssertAllReused(second);
        Assert.Equal(first.Sources.Select(s => s.SourceText.ToString()), second.Sources.Select(s => s.SourceText.ToString()));
    }

    [Fact]
    public void Editing_another_file_reuses_every_output()
    {
        (GeneratorRun first, Compilation compilation) = RunFirst();

        GeneratorRun second = GeneratorHarness.Run(Replace(compilation, "Other.cs", Other.Replace("2 * x", "x + x", System.StringComparison.Ordinal)), first.Driver);

        AssertAllReused(second);
    }

    [Fact]
    public void A_comment_in_the_networks_own_file_reuses_every_output()
    {
        (GeneratorRun first, Compilation compilation) = RunFirst();

        // Above the declarations (every position below moves) and inside one of them.
        string commented = "// A comment that moves everything below it.\n" + Networks.Replace(
            "[Dense(3, Activation.ReLU)]",
            "[Dense(3, Activation.ReLU)] // three hidden nodes",
            System.StringComparison.Ordinal);
        GeneratorRun second = GeneratorHarness.Run(Replace(compilation, "Networks.cs", commented), first.Driver);

        AssertAllReused(second);
    }

    /// <summary>The check above must be able to fail: a real change to a layer does reach the output.</summary>
    [Fact]
    public void Changing_a_layers_units_regenerates()
    {
        (GeneratorRun first, Compilation compilation) = RunFirst();

        string edited = Networks.Replace("[Dense(3, Activation.ReLU)]", "[Dense(4, Activation.ReLU)]", System.StringComparison.Ordinal);
        GeneratorRun second = GeneratorHarness.Run(Replace(compilation, "Networks.cs", edited), first.Driver);

        Assert.Contains(Outputs(second, TrackingNames.ParseNetwork), IsNew);
        Assert.Contains(SourceOutputs(second), IsNew);
        // The fourth hidden node's sum, z1_3, is new; the other network's file is unchanged.
        Assert.DoesNotContain("z1_3", Text(first, "App.FloatNet.g.cs"), System.StringComparison.Ordinal);
        Assert.Contains("z1_3", Text(second, "App.FloatNet.g.cs"), System.StringComparison.Ordinal);
        Assert.Equal(Text(first, "App.DoubleNet.g.cs"), Text(second, "App.DoubleNet.g.cs"));
    }

    /// <summary>MaxUnrolledLayerWeights is part of the model: lowering it below the 6 weights of FloatNet's first layer loops it.</summary>
    [Fact]
    public void Changing_MaxUnrolledLayerWeights_regenerates()
    {
        (GeneratorRun first, Compilation compilation) = RunFirst();

        string edited = Networks.Replace("[Network(2)]", "[Network(2, MaxUnrolledLayerWeights = 4)]", System.StringComparison.Ordinal);
        GeneratorRun second = GeneratorHarness.Run(Replace(compilation, "Networks.cs", edited), first.Driver);

        Assert.Contains(Outputs(second, TrackingNames.ParseNetwork), IsNew);
        Assert.Contains(SourceOutputs(second), IsNew);
        Assert.Contains("float z1_0 = ", Text(first, "App.FloatNet.g.cs"), System.StringComparison.Ordinal);
        Assert.DoesNotContain("float z1_0 = ", Text(second, "App.FloatNet.g.cs"), System.StringComparison.Ordinal);
        Assert.Equal(Text(first, "App.DoubleNet.g.cs"), Text(second, "App.DoubleNet.g.cs"));
    }

    [Fact]
    public void No_step_output_holds_a_symbol_syntax_node_semantic_model_or_compilation()
    {
        (GeneratorRun first, Compilation compilation) = RunFirst();
        GeneratorRun second = GeneratorHarness.Run(Replace(compilation, "Other.cs", Other + "\n// edited\n"), first.Driver);

        foreach (GeneratorRun run in new[] { first, second })
        {
            foreach (string step in StepNames)
            {
                AssertHoldsNoRoslynObjects(Outputs(run, step), step);
            }

            AssertHoldsNoRoslynObjects(SourceOutputs(run), "source output");
        }
    }

    private static void AssertHoldsNoRoslynObjects(IEnumerable<(object Value, IncrementalStepRunReason Reason)> outputs, string step)
    {
        foreach ((object value, int index) in outputs.Select((o, i) => (o.Value, i)))
        {
            List<string> found = ObjectGraph.FindForbidden(value, $"{step}[{index}]");
            Assert.True(found.Count == 0, string.Join("\n", found));
        }
    }

    /// <summary>The walker itself finds what it looks for, however deep: in a record, an array, a boxed struct.</summary>
    [Fact]
    public void The_object_graph_walker_finds_a_syntax_node_or_symbol_nested_in_records_and_arrays()
    {
        Compilation compilation = TestCompilation.Create(Other);
        SyntaxNode node = compilation.SyntaxTrees.Single().GetRoot();
        ISymbol symbol = compilation.GetTypeByMetadataName("App.Other")!;

        Assert.Empty(ObjectGraph.FindForbidden(new Holder("clean", [new Inner(1, null)])));
        Assert.Equal(["root.Items[1].Payload: " + node.GetType().FullName], ObjectGraph.FindForbidden(new Holder("x", [new Inner(1, null), new Inner(2, node)])));
        Assert.Single(ObjectGraph.FindForbidden(new Holder("x", [new Inner(1, ImmutableArray.Create<object>(symbol))])));
        Assert.Single(ObjectGraph.FindForbidden(new Holder("x", [new Inner(1, compilation)])));
    }

    private sealed record Holder(string Name, Inner[] Items);

    private readonly record struct Inner(int Value, object? Payload);

    private static (GeneratorRun Run, Compilation Compilation) RunFirst()
    {
        Compilation compilation = TestCompilation.Create([("Networks.cs", Networks), ("Orphan.cs", Orphan), ("Other.cs", Other)]);
        GeneratorRun run = GeneratorHarness.Run(compilation);

        // The starting point is a working program with every step populated: two networks and one NG0014.
        Assert.Equal(["App.DoubleNet.g.cs", "App.FloatNet.g.cs"], run.Sources.Select(s => s.HintName).Order());
        Assert.Equal("NG0014", Assert.Single(run.Diagnostics).Id);
        Assert.All(StepNames, step => Assert.NotEmpty(Outputs(run, step)));
        return (run, compilation);
    }

    private static void AssertAllReused(GeneratorRun run)
    {
        Assert.Null(run.Result.Exception);
        foreach (string step in StepNames)
        {
            Assert.All(Outputs(run, step), output => Assert.True(IsReused(output), $"{step}: {output.Reason}"));
        }

        Assert.All(SourceOutputs(run), output => Assert.True(IsReused(output), $"source output: {output.Reason}"));
    }

    /// <summary>The outputs of every run of the named step; the step must have run.</summary>
    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRun run, string step)
    {
        Assert.True(run.Result.TrackedSteps.TryGetValue(step, out ImmutableArray<IncrementalGeneratorRunStep> steps), $"step {step} was not tracked");
        return steps.SelectMany(s => s.Outputs);
    }

    /// <summary>The outputs of every RegisterSourceOutput; there must be some.</summary>
    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> SourceOutputs(GeneratorRun run)
    {
        var outputs = run.Result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        return outputs;
    }

    private static bool IsReused((object Value, IncrementalStepRunReason Reason) output) =>
        output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged;

    private static bool IsNew((object Value, IncrementalStepRunReason Reason) output) =>
        output.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New;

    private static string Text(GeneratorRun run, string hintName) => run.Source(hintName);

    private static Compilation Replace(Compilation compilation, string path, string source)
    {
        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        return compilation.ReplaceSyntaxTree(old, TestCompilation.Parse(source, path));
    }
}
