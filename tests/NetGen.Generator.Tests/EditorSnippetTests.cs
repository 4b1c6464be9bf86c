using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Harness;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests;

/// <summary>
/// The generator never throws, whatever half-typed code it meets in an editor. Each snippet is code as
/// it stands between two keystrokes, or a NetGen attribute somewhere it does not belong. For each, the generator
/// must not throw (no exception in its result, no CS8785 or AD0001), must report nothing but NG diagnostics, must
/// not both report and generate for the one declaration, and whatever it generates must carry no compiler
/// diagnostic of its own: the errors the user sees are about what they typed. Generating for a declaration that is
/// merely unfinished (a missing body) is fine, and keeps completion working while typing.
/// </summary>
public sealed class EditorSnippetTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Snippets = new()
    {
        // Unfinished syntax.
        ["Network paren not closed"] = "[Network(2\n[Dense(1)]\npublic partial class N;",
        ["Dense paren not closed"] = "[Network(2)]\n[Dense(\npublic partial class N;",
        ["attribute list not closed"] = "[Network(2)\n[Dense(1)]\npublic partial class N;",
        ["trailing comma"] = "[Network(2)]\n[Dense(1, )]\npublic partial class N;",
        ["named argument without value"] = "[Network(2, Loss = )]\n[Dense(1, Bias = )]\npublic partial class N;",
        ["named argument without name"] = "[Network(2, = LossFunction.MeanSquaredError)]\n[Dense(1)]\npublic partial class N;",
        ["Network of T without type argument"] = "[Network<>(2)]\n[Dense(1)]\npublic partial class N;",
        ["class missing its body"] = "[Network(2)]\n[Dense(1)]\npublic partial class N",
        ["class body not closed"] = "[Network(2)]\n[Dense(1)]\npublic partial class N\n{\n    public void M() {",
        ["class without a name"] = "[Network(2)]\n[Dense(1)]\npublic partial class\n",
        ["class without a name, with a body"] = "[Network(2)]\n[Dense(1)]\npublic partial class { }",
        ["attributes with nothing after them"] = "[Network(2)]\n[Dense(1)]\n",
        ["namespace half typed"] = "namespace A.;\n[Network(2)]\n[Dense(1)]\npublic partial class N;",

        // Missing or wrong arguments.
        ["Network without arguments"] = "[Network]\n[Dense(1)]\npublic partial class N;",
        ["Network with empty parentheses"] = "[Network()]\n[Dense(1)]\npublic partial class N;",
        ["Dense without arguments"] = "[Network(2)]\n[Dense]\n[Dense()]\npublic partial class N;",
        ["inputs not an int"] = "[Network(2.5)]\n[Dense(1)]\npublic partial class N;",
        ["inputs a string"] = "[Network(\"2\")]\n[Dense(1)]\npublic partial class N;",
        ["activation an int"] = "[Network(2)]\n[Dense(1, 2)]\npublic partial class N;",
        ["Bias an int"] = "[Network(2)]\n[Dense(1, Bias = 1)]\npublic partial class N;",
        ["too many type arguments"] = "[Network<float, double>(2)]\n[Dense(1)]\npublic partial class N;",
        ["overflowing units"] = "[Network(2)]\n[Dense(int.MaxValue + 1)]\npublic partial class N;",
        ["the largest ints"] = "[Network(int.MaxValue)]\n[Dense(int.MaxValue)]\n[Dense(int.MaxValue)]\npublic partial class N;",
        ["the smallest ints"] = "[Network(int.MinValue)]\n[Dense(int.MinValue)]\npublic partial class N;",
        ["MaxUnrolledLayerWeights a string"] = "[Network(2, MaxUnrolledLayerWeights = \"64\")]\n[Dense(1)]\npublic partial class N;",
        ["MaxUnrolledLayerWeights a double"] = "[Network(2, MaxUnrolledLayerWeights = 64.5)]\n[Dense(1)]\npublic partial class N;",
        ["MaxUnrolledLayerWeights a long"] = "[Network(2, MaxUnrolledLayerWeights = 64L)]\n[Dense(1)]\npublic partial class N;",
        ["MaxUnrolledLayerWeights overflowing"] = "[Network(2, MaxUnrolledLayerWeights = int.MaxValue + 1)]\n[Dense(1)]\npublic partial class N;",
        ["MaxUnrolledLayerWeights without value"] = "[Network(2, Code = CodeShape.Loops, MaxUnrolledLayerWeights = )]\n[Dense(1)]\npublic partial class N;",

        // Non-constant arguments.
        ["inputs from a static field"] = "[Network(Count)]\n[Dense(1)]\npublic partial class N\n{\n    public static int Count = 2;\n}",
        ["units from a method call"] = "[Network(2)]\n[Dense(int.Parse(\"2\"))]\npublic partial class N;",
        ["Bias from a field"] = "[Network(2)]\n[Dense(1, Bias = Flag)]\npublic partial class N\n{\n    public static bool Flag = true;\n}",
        ["Code from a local-looking name"] = "[Network(2, Code = shape)]\n[Dense(1)]\npublic partial class N;",
        ["inputs a typeof"] = "[Network(typeof(int))]\n[Dense(1)]\npublic partial class N;",
        ["MaxUnrolledLayerWeights from a static field"] = "[Network(2, Code = CodeShape.Loops, MaxUnrolledLayerWeights = Max)]\n[Dense(1)]\npublic partial class N\n{\n    public static int Max = 64;\n}",

        // Unknown names.
        ["unknown element type"] = "[Network<Unknown>(2)]\n[Dense(1)]\npublic partial class N;",
        ["unknown activation"] = "[Network(2)]\n[Dense(1, Activation.Swish)]\npublic partial class N;",
        ["unknown loss"] = "[Network(2, Loss = Loss.Hinge)]\n[Dense(1)]\npublic partial class N;",
        ["unknown named argument"] = "[Network(2, Dropout = 0.5)]\n[Dense(1)]\npublic partial class N;",
        ["unknown base type"] = "[Network(2)]\n[Dense(1)]\npublic partial class N : UnknownBase;",
        ["misspelled attribute"] = "[Netwrok(2)]\n[Dense(1)]\npublic partial class N;",
        ["no using NetGen"] = "#define NO_USING\n[Network(2)]\n[Dense(1)]\npublic partial class N;",

        // NetGen attributes where they do not belong.
        ["Network on a struct"] = "[Network(2)]\n[Dense(1)]\npublic partial struct N;",
        ["Network on a record struct"] = "[Network(2)]\n[Dense(1)]\npublic partial record struct N;",
        ["Network on an interface"] = "[Network(2)]\n[Dense(1)]\npublic partial interface N;",
        ["Network on an enum"] = "[Network(2)]\n[Dense(1)]\npublic enum N { A }",
        ["Network on a delegate"] = "[Network(2)]\n[Dense(1)]\npublic delegate void N();",
        ["Network on a method"] = "public partial class N\n{\n    [Network(2)]\n    [Dense(1)]\n    public void M() { }\n}",
        ["Network on the assembly"] = "[assembly: Network(2)]\n[assembly: Dense(1)]",
        ["Dense alone on a struct"] = "[Dense(1)]\npublic partial struct N;",
        ["Network twice"] = "[Network(2)]\n[Network(3)]\n[Dense(1)]\npublic partial class N;",
        ["Network of T with a type parameter"] = "public partial class O<T>\n{\n    [Network<T>(2)]\n    [Dense(1)]\n    public partial class N;\n}",
        ["Network on two partial declarations"] = "[Network(2)]\n[Dense(1)]\npublic partial class N;\n[Network(2)]\n[Dense(1)]\npublic partial class N;",
        ["partial parts that disagree on accessibility"] = "[Network(2)]\n[Dense(1)]\npublic partial class N;\ninternal partial class N;",
    };

    public static TheoryData<string> Names => [.. Snippets.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void The_generator_never_throws_and_reports_only_NetGen_diagnostics(string name) => Check(name);

    private void Check(string name)
    {
        string snippet = Snippets[name];
        string source = snippet.StartsWith("#define NO_USING", System.StringComparison.Ordinal) ? snippet : "using NetGen;\n\n" + snippet;

        GeneratorRun run = GeneratorHarness.Run(source);

        output.WriteLine($"generated: [{string.Join(", ", run.Sources.Select(s => s.HintName))}]");
        output.WriteLine($"generator: [{string.Join(", ", run.Diagnostics.Select(d => d.Id))}]");
        output.WriteLine($"compiler:  [{string.Join(", ", run.Output.GetDiagnostics().Select(d => d.Id).Distinct())}]");
        AssertNeverThrew(run);
        Assert.All(run.Diagnostics, d => Assert.StartsWith("NG", d.Id, System.StringComparison.Ordinal));
        Assert.True(run.Diagnostics.IsEmpty || run.NetworkSources.IsEmpty, "reported NetGen diagnostics and generated network code too");
        AssertNoDiagnosticInGeneratedCode(run);
    }

    internal static void AssertNeverThrew(GeneratorRun run)
    {
        Assert.Null(run.Result.Exception);
        ImmutableArray<Diagnostic> all = run.AllDiagnostics();
        Assert.DoesNotContain(all, d => d.Id is "CS8785" or "AD0001");
    }

    internal static void AssertNoDiagnosticInGeneratedCode(GeneratorRun run)
    {
        var generated = run.Sources.Select(s => s.SyntaxTree).ToHashSet();
        Assert.All(run.Output.GetDiagnostics(), d => Assert.False(
            d.Location.SourceTree is { } tree && generated.Contains(tree),
            $"the generated code has a diagnostic: {d}"));
    }
}
