using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests;

/// <summary>
/// A user's project full of different networks: the generated code must compile against net8.0 at C# 12 with no
/// diagnostic at all, warnings and hidden ones included (never a confusing C# error in generated code).
/// </summary>
public sealed class CompileTests
{
    // Block-scoped namespace; float and double; with and without bias; every activation but Softmax (not supported
    // yet); public, internal and sealed. (A Loss argument is tested on its own, below.)
    private const string BlockScoped = """
        using NetGen;

        namespace Users.Block
        {
            /// <summary>Float, biases, ReLU.</summary>
            [Network(3)]
            [Dense(4, Activation.ReLU)]
            [Dense(2)]
            public partial class FloatReLU;

            /// <summary>Double, no biases, LeakyReLU then Sigmoid.</summary>
            [Network<double>(2)]
            [Dense(3, Activation.LeakyReLU, Bias = false)]
            [Dense(1, Activation.Sigmoid, Bias = false)]
            public sealed partial class DoubleLeakySigmoid;

            [Network<float>(5)]
            [Dense(6, Activation.Tanh)]
            [Dense(6, Activation.Identity, Bias = false)]
            [Dense(3, Activation.Sigmoid)]
            internal partial class InternalTanh;

            /// <summary>The seed network, with a body and members of its own beside the generated ones.</summary>
            [Network(2)]
            [Dense(2, Activation.ReLU, Bias = false)]
            [Dense(1, Bias = false)]
            public partial class WithBody
            {
                /// <summary>A user-written constructor: the generated field initialisers still run.</summary>
                public WithBody()
                {
                    Name = "seed";
                }

                /// <summary>A user-written property.</summary>
                public string Name { get; }

                /// <summary>An overload of a generated name with another number of parameters is allowed.</summary>
                /// <param name="x">The one input both of which are set to.</param>
                /// <returns>The prediction.</returns>
                public float Predict(float x) => Predict(x, x);
            }
        }
        """;

    // File-scoped namespace; networks nested in a partial class, struct, record, record struct and static class.
    // (A record cannot be a network: NG0010, see DeclarationEdgeTests.)
    private const string FileScoped = """
        using NetGen;

        namespace Users.FileScoped.Nested;

        /// <summary>Holds a network.</summary>
        public partial class OuterClass
        {
            /// <summary>Double, Tanh.</summary>
            [Network<double>(4)]
            [Dense(5, Activation.Tanh)]
            [Dense(3)]
            public partial class InClass;
        }

        /// <summary>Holds a network.</summary>
        public partial struct OuterStruct
        {
            [Network(2)]
            [Dense(2, Activation.Sigmoid)]
            [Dense(2, Activation.LeakyReLU)]
            internal partial class InStruct;
        }

        /// <summary>Holds a network.</summary>
        public partial record OuterRecord
        {
            /// <summary>Nested two deep.</summary>
            public partial class Middle
            {
                /// <summary>Float, no biases.</summary>
                [Network(3)]
                [Dense(1, Activation.Identity, Bias = false)]
                public partial class InRecord;
            }
        }

        /// <summary>Holds a network.</summary>
        public partial record struct OuterRecordStruct
        {
            /// <summary>Double.</summary>
            [Network<double>(1)]
            [Dense(1)]
            public partial class InRecordStruct;
        }

        /// <summary>Holds a network.</summary>
        public static partial class OuterStatic
        {
            /// <summary>Float.</summary>
            [Network(2)]
            [Dense(3, Activation.ReLU)]
            [Dense(1)]
            public partial class InStatic;
        }
        """;

    // The global namespace; the 784-128-10 network; every CodeShape; layers that switch between unrolled and loops
    // in both directions under Auto; 16 inputs (Predict) and 17 (no Predict).
    private const string GlobalNamespace = """
        using NetGen;

        /// <summary>MNIST-sized: 784 -> 128 (ReLU) -> 10.</summary>
        [Network(784)]
        [Dense(128, Activation.ReLU)]
        [Dense(10)]
        public partial class Mnist;

        /// <summary>Everything unrolled.</summary>
        [Network<double>(3, Code = CodeShape.Unrolled)]
        [Dense(4, Activation.LeakyReLU)]
        [Dense(4, Activation.Tanh, Bias = false)]
        [Dense(2, Activation.Sigmoid)]
        public partial class AllUnrolled;

        /// <summary>Everything as loops.</summary>
        [Network(3, Code = CodeShape.Loops)]
        [Dense(4, Activation.LeakyReLU)]
        [Dense(4, Activation.Tanh, Bias = false)]
        [Dense(2, Activation.Sigmoid)]
        public partial class AllLoops;

        /// <summary>Auto: narrow (unrolled), wide (loops), narrow (unrolled) again.</summary>
        [Network<double>(4, Code = CodeShape.Auto)]
        [Dense(8, Activation.ReLU)]
        [Dense(64, Activation.Tanh)]
        [Dense(1, Activation.Identity, Bias = false)]
        internal partial class NarrowWideNarrow;

        /// <summary>Auto: a wide first layer (loops) feeding narrow ones (unrolled).</summary>
        [Network(40)]
        [Dense(16, Activation.Sigmoid, Bias = false)]
        [Dense(4, Activation.LeakyReLU)]
        [Dense(2)]
        internal partial class WideThenNarrow;

        /// <summary>16 inputs and one output: gets Predict(x0, ..., x15).</summary>
        [Network(16)]
        [Dense(1)]
        public partial class SixteenInputs;

        /// <summary>17 inputs: no Predict.</summary>
        [Network<double>(17)]
        [Dense(1)]
        public partial class SeventeenInputs;
        """;

    private static readonly string[] Networks =
    [
        "Users.Block.FloatReLU", "Users.Block.DoubleLeakySigmoid", "Users.Block.InternalTanh", "Users.Block.WithBody",
        "Users.FileScoped.Nested.OuterClass.InClass", "Users.FileScoped.Nested.OuterStruct.InStruct",
        "Users.FileScoped.Nested.OuterRecord.Middle.InRecord", "Users.FileScoped.Nested.OuterRecordStruct.InRecordStruct",
        "Users.FileScoped.Nested.OuterStatic.InStatic",
        "Mnist", "AllUnrolled", "AllLoops", "NarrowWideNarrow", "WideThenNarrow", "SixteenInputs", "SeventeenInputs",
    ];

    // One generator run and compilation serves every test of the set; they only read it.
    private static readonly Lazy<GeneratorRun> Program = new(() => GeneratorHarness.Run(BlockScoped, FileScoped, GlobalNamespace));

    [Fact]
    public void Every_network_is_generated()
    {
        GeneratorRun run = Program.Value;

        Assert.Null(run.Result.Exception);
        Assert.Equal(
            Networks.Select(n => n + ".g.cs").Order(),
            run.Sources.Select(s => s.HintName).Order());
    }

    [Fact]
    public void The_whole_program_has_no_diagnostic_of_any_severity()
    {
        GeneratorRun run = Program.Value;

        ImmutableArray<Diagnostic> diagnostics = run.AllDiagnostics();
        Assert.True(diagnostics.IsEmpty, string.Join("\n", diagnostics));

        // Emitting finds what binding alone does not (e.g. ref-safety of stackalloc'd spans in lowered code).
        Emitted.Image(run.Output);
    }

    [Fact]
    public void Every_method_of_the_set_stays_well_below_the_JIT_limits()
    {
        ImmutableArray<MethodBodySize> bodies = MethodBodies.Read(Emitted.Image(Program.Value.Output));

        Assert.Contains(bodies, b => b.Method == "Mnist.TrainStep");
        JitLimitTests.AssertWellBelowTheLimits(bodies);
    }

    [Fact]
    public void Every_network_implements_INetwork_of_its_element_type()
    {
        GeneratorRun run = Program.Value;
        Compilation output = run.Output;
        INamedTypeSymbol network = output.GetTypeByMetadataName("NetGen.INetwork`1")!;

        foreach (string name in Networks)
        {
            INamedTypeSymbol type = output.GetTypeByMetadataName(MetadataName(name))!;
            Assert.True(type is not null, name);
            INamedTypeSymbol implemented = Assert.Single(type.Interfaces, i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, network));
            SpecialType expected = name is "Users.Block.DoubleLeakySigmoid" or "Users.FileScoped.Nested.OuterClass.InClass"
                or "Users.FileScoped.Nested.OuterRecordStruct.InRecordStruct"
                or "AllUnrolled" or "NarrowWideNarrow" or "SeventeenInputs"
                ? SpecialType.System_Double
                : SpecialType.System_Single;
            Assert.Equal(expected, implemented.TypeArguments[0].SpecialType);
        }
    }

    /// <summary>"A.B.Outer.Inner" as metadata spells it, "A.B.Outer+Inner", given which parts are namespaces.</summary>
    private static string MetadataName(string name)
    {
        string[] parts = name.Split('.');
        int namespaces = name.StartsWith("Users.FileScoped", StringComparison.Ordinal) ? 3 : name.StartsWith("Users.", StringComparison.Ordinal) ? 2 : 0;
        return string.Join(".", parts.Take(namespaces).Append(string.Join("+", parts.Skip(namespaces))));
    }
}
