using System.Threading.Tasks;

namespace NetGen.CodeFixes.Tests;

/// <summary>NG0001: the fix adds 'partial' after the other modifiers, and the network is then generated.</summary>
public sealed class MakePartialCodeFixTests
{
    [Fact]
    public Task Partial_goes_after_public_sealed()
    {
        return Verify(
            """
            using NetGen;

            /// <summary>A public network, documented: its generated members must be too (CS1591).</summary>
            [Network(2)]
            [Dense(1)]
            public sealed class {|NG0001:Net|};
            """,
            """
            using NetGen;

            /// <summary>A public network, documented: its generated members must be too (CS1591).</summary>
            [Network(2)]
            [Dense(1)]
            public sealed partial class Net;
            """);
    }

    [Fact]
    public Task A_class_without_modifiers_gets_partial_where_its_keyword_was()
    {
        return Verify(
            """
            using NetGen;

            namespace Models
            {
                [Network(2)]
                [Dense(1)]
                class {|NG0001:Net|}
                {
                }
            }
            """,
            """
            using NetGen;

            namespace Models
            {
                [Network(2)]
                [Dense(1)]
                partial class Net
                {
                }
            }
            """);
    }

    [Fact]
    public Task A_nested_network_class_is_made_partial()
    {
        return Verify(
            """
            using NetGen;

            internal static partial class Models
            {
                [Network<double>(3)]
                [Dense(4, Activation.Tanh)]
                [Dense(1)]
                internal sealed class {|NG0001:Inner|};
            }
            """,
            """
            using NetGen;

            internal static partial class Models
            {
                [Network<double>(3)]
                [Dense(4, Activation.Tanh)]
                [Dense(1)]
                internal sealed partial class Inner;
            }
            """);
    }

    /// <summary>Fix All (document, project and solution) makes every network class of both files partial in one pass.</summary>
    [Fact]
    public Task Fix_all_makes_every_network_class_partial()
    {
        var test = new NetGenCodeFixTest<MakePartialCodeFixProvider>
        {
            CodeActionEquivalenceKey = MakePartialCodeFixProvider.EquivalenceKey,
            // One pass per file in document scope; one pass for both files in project and solution scope.
            NumberOfFixAllInDocumentIterations = 2,
            NumberOfFixAllIterations = 1,
        };
        test.TestState.Sources.Add("""
            using NetGen;

            [Network(2)]
            [Dense(1)]
            internal class {|NG0001:First|};

            /// <summary>Public, abstract, documented.</summary>
            [Network(2, Loss = LossFunction.CrossEntropy)]
            [Dense(2, Activation.Softmax)]
            public abstract class {|NG0001:Second|}
            {
            }
            """);
        test.TestState.Sources.Add("""
            using NetGen;

            [Network(3, Loss = LossFunction.BinaryCrossEntropy)]
            [Dense(1, Activation.Sigmoid)]
            internal sealed class {|NG0001:Third|};
            """);
        test.FixedState.Sources.Add("""
            using NetGen;

            [Network(2)]
            [Dense(1)]
            internal partial class First;

            /// <summary>Public, abstract, documented.</summary>
            [Network(2, Loss = LossFunction.CrossEntropy)]
            [Dense(2, Activation.Softmax)]
            public abstract partial class Second
            {
            }
            """);
        test.FixedState.Sources.Add("""
            using NetGen;

            [Network(3, Loss = LossFunction.BinaryCrossEntropy)]
            [Dense(1, Activation.Sigmoid)]
            internal sealed partial class Third;
            """);
        return test.RunAsync();
    }

    private static Task Verify(string source, string fixedSource)
    {
        var test = new NetGenCodeFixTest<MakePartialCodeFixProvider>
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = MakePartialCodeFixProvider.EquivalenceKey,
        };
        return test.RunAsync();
    }
}
