using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace NetGen.CodeFixes.Tests;

/// <summary>
/// NG0016: 'Loss' written for the enum of losses, now LossFunction. The fix writes what the message says: LossFunction,
/// qualified as the attribute's name is. The compiler's own error on 'Loss' (CS0119 once the network is generated and
/// 'Loss' is its method, CS0103 when nothing is generated) is expected beside NG0016, and both are gone once fixed.
/// </summary>
public sealed class LossFunctionCodeFixTests
{
    [Fact]
    public Task Loss_equals_Loss_CrossEntropy_becomes_LossFunction_CrossEntropy()
    {
        return Verify(
            """
            using NetGen;

            [Network<double>(4, Loss = {|#0:{|CS0119:Loss|}.CrossEntropy|})]
            [Dense(8, Activation.ReLU)]
            [Dense(3, Activation.Softmax)]
            internal partial class Classifier;
            """,
            """
            using NetGen;

            [Network<double>(4, Loss = LossFunction.CrossEntropy)]
            [Dense(8, Activation.ReLU)]
            [Dense(3, Activation.Softmax)]
            internal partial class Classifier;
            """,
            Shadowed("Classifier", "Loss.CrossEntropy", "LossFunction.CrossEntropy"));
    }

    /// <summary>Without 'using NetGen;' only the qualified name compiles, and that is what the fix writes.</summary>
    [Fact]
    public Task An_attribute_written_NetGen_Network_gets_NetGen_LossFunction()
    {
        return Verify(
            """
            [NetGen.Network(2, Loss = {|#0:{|CS0119:Loss|}.MeanSquaredError|})]
            [NetGen.Dense(1)]
            internal partial class Regression;
            """,
            """
            [NetGen.Network(2, Loss = NetGen.LossFunction.MeanSquaredError)]
            [NetGen.Dense(1)]
            internal partial class Regression;
            """,
            Shadowed("Regression", "Loss.MeanSquaredError", "NetGen.LossFunction.MeanSquaredError"));
    }

    /// <summary>A cast of a loss to an activation is odd but constant; nothing is generated until it is fixed (so CS0103).</summary>
    [Fact]
    public Task A_cast_Loss_in_a_Dense_argument_becomes_a_cast_LossFunction()
    {
        return Verify(
            """
            using NetGen;

            [Network(2)]
            [Dense(3, (Activation){|#0:{|CS0103:Loss|}.CrossEntropy|})]
            [Dense(1)]
            internal partial class Cast;
            """,
            """
            using NetGen;

            [Network(2)]
            [Dense(3, (Activation)LossFunction.CrossEntropy)]
            [Dense(1)]
            internal partial class Cast;
            """,
            Shadowed("Cast", "Loss.CrossEntropy", "LossFunction.CrossEntropy"));
    }

    [Fact]
    public Task An_attribute_written_global_NetGen_Dense_gets_global_NetGen_LossFunction()
    {
        return Verify(
            """
            [global::NetGen.Network(2)]
            [global::NetGen.Dense(3, (global::NetGen.Activation){|#0:{|CS0103:Loss|}.BinaryCrossEntropy|})]
            [global::NetGen.Dense(1)]
            internal partial class Global;
            """,
            """
            [global::NetGen.Network(2)]
            [global::NetGen.Dense(3, (global::NetGen.Activation)global::NetGen.LossFunction.BinaryCrossEntropy)]
            [global::NetGen.Dense(1)]
            internal partial class Global;
            """,
            Shadowed("Global", "Loss.BinaryCrossEntropy", "global::NetGen.LossFunction.BinaryCrossEntropy"));
    }

    /// <summary>Fix All (document, project and solution) fixes every network of both files in one pass, each qualified as its attribute is.</summary>
    [Fact]
    public Task Fix_all_fixes_every_network()
    {
        var test = new NetGenCodeFixTest<LossFunctionCodeFixProvider>
        {
            CodeActionEquivalenceKey = LossFunctionCodeFixProvider.EquivalenceKey,
            // One pass per file in document scope; one pass for both files in project and solution scope.
            NumberOfFixAllInDocumentIterations = 2,
            NumberOfFixAllIterations = 1,
        };
        test.TestState.Sources.Add("""
            using NetGen;

            [Network(2, Loss = {|#0:{|CS0119:Loss|}.CrossEntropy|})]
            [Dense(2, Activation.Softmax)]
            internal partial class First;

            [NetGen.Network(2, Loss = {|#1:{|CS0119:Loss|}.BinaryCrossEntropy|})]
            [NetGen.Dense(1, Activation.Sigmoid)]
            internal partial class Second;
            """);
        test.TestState.Sources.Add("""
            [global::NetGen.Network<float>(3, Loss = {|#2:{|CS0119:Loss|}.MeanSquaredError|})]
            [global::NetGen.Dense(1)]
            internal partial class Third;
            """);
        test.TestState.ExpectedDiagnostics.Add(Shadowed("First", "Loss.CrossEntropy", "LossFunction.CrossEntropy"));
        test.TestState.ExpectedDiagnostics.Add(Shadowed("Second", "Loss.BinaryCrossEntropy", "NetGen.LossFunction.BinaryCrossEntropy", 1));
        test.TestState.ExpectedDiagnostics.Add(Shadowed("Third", "Loss.MeanSquaredError", "global::NetGen.LossFunction.MeanSquaredError", 2));
        test.FixedState.Sources.Add("""
            using NetGen;

            [Network(2, Loss = LossFunction.CrossEntropy)]
            [Dense(2, Activation.Softmax)]
            internal partial class First;

            [NetGen.Network(2, Loss = NetGen.LossFunction.BinaryCrossEntropy)]
            [NetGen.Dense(1, Activation.Sigmoid)]
            internal partial class Second;
            """);
        test.FixedState.Sources.Add("""
            [global::NetGen.Network<float>(3, Loss = global::NetGen.LossFunction.MeanSquaredError)]
            [global::NetGen.Dense(1)]
            internal partial class Third;
            """);
        return test.RunAsync();
    }

    /// <summary>NG0016 at the location marked {|#n:...|}, with the generator's whole message: what to write is what the fix writes.</summary>
    private static DiagnosticResult Shadowed(string type, string written, string advice, int location = 0) =>
        new DiagnosticResult("NG0016", DiagnosticSeverity.Error)
            .WithLocation(location)
            .WithMessage($"Inside '{type}', 'Loss' names the generated Loss method, not the enum of losses, so '{written}' cannot compile; write '{advice}' instead");

    private static Task Verify(string source, string fixedSource, DiagnosticResult expected)
    {
        var test = new NetGenCodeFixTest<LossFunctionCodeFixProvider>
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = LossFunctionCodeFixProvider.EquivalenceKey,
        };
        test.ExpectedDiagnostics.Add(expected);
        return test.RunAsync();
    }
}
