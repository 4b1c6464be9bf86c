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
    private const string KeywordName =
        "generator bug: names are emitted without '@', so a class or containing type named with an escaped keyword (@class) gives 'partial class class' and CS1001 in generated code";

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
    [InlineData("class named with an escaped keyword", Skip = KeywordName)]
    [InlineData("containing type named with an escaped keyword", Skip = KeywordName)]
    [InlineData("namespace named with an escaped keyword", Skip = "generator bug: the generator throws (AddSource: hint name '@event.Models.Net.g.cs' has an invalid character '@'), CS8785")]
    [InlineData("nested in a file-local type", Skip = "generator bug: no NG0010 for a file-local containing type; the members are generated onto a different, non-file type Outer.Net and the user's Outer.Net has none (CS0117)")]
    [InlineData("GeneratedCode already on the user's declaration", Skip = "generator bug: the generated partial adds [GeneratedCode] again, CS0579 in generated code")]
    [InlineData("nested in a ref struct")]
    [InlineData("nested in an interface")]
    [InlineData("abstract class with a constructor that takes arguments")]
    [InlineData("record with a primary constructor")]
    [InlineData("user already lists INetwork")]
    [InlineData("a type named NetGen and one named System in scope")]
    [InlineData("user overloads of Forward and Backward", Skip = "generator bug: doc comments say <see cref=\"Forward\"/> and <see cref=\"Backward\"/>, ambiguous (CS0419 warning in generated code) once the user adds an overload, which NetworkParser allows")]
    [InlineData("user members named like generated locals")]
    public void Generates_clean_code_or_a_NetGen_diagnostic(string name)
    {
        GeneratorRun run = GeneratorHarness.Run("using NetGen;\n\n" + Declarations[name]);

        EditorSnippetTests.AssertNeverThrew(run);
        if (run.Result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            Assert.All(run.Result.Diagnostics, d => Assert.StartsWith("NG", d.Id, System.StringComparison.Ordinal));
            Assert.Empty(run.Sources);
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
    /// A record's <c>with</c> runs the copy constructor, which copies the fields: the copy shares the original's
    /// parameter and gradient arrays, so training the copy trains the original. (Record equality compares the
    /// arrays by reference too: two fresh instances with equal parameters are never equal.)
    /// </summary>
    [Fact(Skip = "generator bug: a record network's 'with' copy shares the __parameters and __gradients arrays with the original")]
    public void A_with_copy_of_a_record_network_has_parameters_of_its_own()
    {
        GeneratorRun run = GeneratorHarness.Run("""
            using NetGen;

            namespace Records;

            [Network(2)]
            [Dense(1)]
            internal partial record Net
            {
                internal static float[] TrainCopy()
                {
                    var original = new Net();
                    original.Parameters.Fill(1);
                    Net copy = original with { };
                    copy.Parameters[0] = 42;
                    return original.Parameters.ToArray();
                }
            }
            """);
        Assert.Empty(run.AllDiagnostics());

        using LoadedAssembly assembly = Emitted.Load(Emitted.Image(run.Output));
        var original = (float[])assembly.Assembly.GetType("Records.Net", throwOnError: true)!
            .GetMethod("TrainCopy", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!
            .Invoke(null, null)!;

        Assert.Equal([1f, 1f, 1f], original);
    }
}
