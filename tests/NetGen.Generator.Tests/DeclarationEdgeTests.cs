using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests;

/// <summary>
/// Valid C# declarations at the edges of what a user may write. Each snippet also uses the generated members from
/// the user's own code, so a network generated onto the wrong type fails to compile. The generator must either
/// refuse the declaration with a NetGen diagnostic, or generate code that leaves the whole program without any
/// diagnostic.
/// </summary>
public sealed class DeclarationEdgeTests
{
    private static readonly Dictionary<string, string> Declarations = new()
    {
        ["class named with an escaped keyword"] = """
            [Network(2)]
            [Dense(1)]
            internal partial class @class;

            internal static class Use
            {
                internal static int Inputs => @class.InputCount;
            }
            """,
        ["containing type named with an escaped keyword"] = """
            internal partial class @struct
            {
                [Network(2)]
                [Dense(1)]
                internal partial class Net;
            }

            internal static class Use
            {
                internal static int Inputs => @struct.Net.InputCount;
            }
            """,
        ["namespace named with an escaped keyword"] = """
            namespace @event.Models
            {
                [Network(2)]
                [Dense(1)]
                internal partial class Net;

                internal static class Use
                {
                    internal static int Inputs => Net.InputCount;
                }
            }
            """,
        ["nested in a file-local type"] = """
            file partial class Outer
            {
                [Network(2)]
                [Dense(1)]
                internal partial class Net;
            }

            file static class Use
            {
                internal static int Inputs => Outer.Net.InputCount;
            }
            """,
        ["GeneratedCode already on the user's declaration"] = """
            [System.CodeDom.Compiler.GeneratedCode("MyTool", "1.0")]
            [Network(2)]
            [Dense(1)]
            internal partial class Net;

            internal static class Use
            {
                internal static int Inputs => Net.InputCount;
            }
            """,

        // The ones below work; they guard what works.
        ["nested in a ref struct"] = """
            internal ref partial struct Outer
            {
                [Network(2)]
                [Dense(1)]
                internal partial class Net;
            }

            internal static class Use
            {
                internal static int Inputs => Outer.Net.InputCount;
            }
            """,
        ["nested in an interface"] = """
            internal partial interface IOuter
            {
                [Network(2)]
                [Dense(1)]
                internal partial class Net;
            }

            internal static class Use
            {
                internal static int Inputs => IOuter.Net.InputCount;
            }
            """,
        ["abstract class with a constructor that takes arguments"] = """
            [Network(2)]
            [Dense(1)]
            internal abstract partial class Net
            {
                protected Net(int tag) => Tag = tag;

                internal int Tag { get; }
            }

            internal sealed class Derived() : Net(1);

            internal static class Use
            {
                internal static float Predict() => new Derived().Predict(1, 2);
            }
            """,
        ["record with a primary constructor"] = """
            [Network<double>(2)]
            [Dense(1)]
            internal partial record Net(string Name);

            internal static class Use
            {
                internal static double Predict() => new Net("n").Predict(1, 2);
            }
            """,
        ["user already lists INetwork"] = """
            [Network(2)]
            [Dense(1)]
            internal partial class Net : INetwork<float>;

            internal static class Use
            {
                internal static int Inputs(INetwork<float> net) => net.InputCount + Net.InputCount;
            }
            """,
        ["a type named NetGen and one named System in scope"] = """
            namespace Shadows
            {
                internal sealed class NetGen;

                internal sealed class System;

                [global::NetGen.Network(2)]
                [global::NetGen.Dense(1, Activation.Tanh)]
                internal partial class Net;

                internal static class Use
                {
                    internal static int Inputs => Net.InputCount;
                }
            }
            """,
        ["user overloads of Forward and Backward"] = """
            [Network(2)]
            [Dense(1)]
            internal partial class Net
            {
                internal void Forward(float[] input) => Forward(input, new float[OutputCount]);

                internal float Backward(float[] input, float[] target, bool zero) => Backward(input, target);
            }
            """,
        ["user members named like generated locals"] = """
            [Network(2)]
            [Dense(2, Activation.Tanh)]
            [Dense(1)]
            internal partial class Net
            {
                private static readonly int p = 1, g = 2, x0 = 3, loss = 4, input = 5, output = 6, target = 7;

                internal static int Sum => p + g + x0 + loss + input + output + target;
            }
            """,
    };

    [Theory]
    [InlineData("class named with an escaped keyword")]
    [InlineData("containing type named with an escaped keyword")]
    [InlineData("namespace named with an escaped keyword")]
    [InlineData("nested in a file-local type")]
    [InlineData("GeneratedCode already on the user's declaration")]
    [InlineData("nested in a ref struct")]
    [InlineData("nested in an interface")]
    [InlineData("abstract class with a constructor that takes arguments")]
    [InlineData("record with a primary constructor")]
    [InlineData("user already lists INetwork")]
    [InlineData("a type named NetGen and one named System in scope")]
    [InlineData("user overloads of Forward and Backward")]
    [InlineData("user members named like generated locals")]
    public void Generates_clean_code_or_a_NetGen_diagnostic(string name)
    {
        GeneratorRun run = GeneratorHarness.Run("using NetGen;\n\n" + Declarations[name]);

        EditorSnippetTests.AssertNeverThrew(run);
        if (run.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            Assert.All(run.Diagnostics, d => Assert.StartsWith("NG", d.Id, System.StringComparison.Ordinal));
            Assert.Empty(run.NetworkSources);
            return;
        }

        Assert.Single(run.Sources);
        ImmutableArray<Diagnostic> diagnostics = run.AllDiagnostics();
        Assert.True(diagnostics.IsEmpty, string.Join("\n", diagnostics));
    }

    [Fact]
    public void Every_declaration_has_a_row()
    {
        IEnumerable<string> rows = typeof(DeclarationEdgeTests).GetMethod(nameof(Generates_clean_code_or_a_NetGen_diagnostic))!
            .GetCustomAttributes(typeof(InlineDataAttribute), inherit: false)
            .Cast<InlineDataAttribute>()
            .Select(row => (string)row.GetData(null!).Single()[0]);

        Assert.Equal(Declarations.Keys.Order(), rows.Order());
    }

    /// <summary>
    /// A record's <c>with</c> runs the copy constructor, which copies the fields: a copy would share the original's
    /// parameter and gradient arrays, so training the copy would train the original, and record equality would
    /// compare the arrays by reference. So a record network is refused, with the reason.
    /// </summary>
    [Fact]
    public void A_record_network_is_refused_because_its_copies_would_share_parameters()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            namespace Records;

            [Network(2)]
            [Dense(1)]
            internal partial record Net;
            """);

        Assert.Empty(run.NetworkSources);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("NG0010", diagnostic.Id);
        Assert.Contains("'with' copies", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }
}
