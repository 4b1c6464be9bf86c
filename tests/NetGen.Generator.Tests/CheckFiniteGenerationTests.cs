using System.Linq;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests;

/// <summary>CheckFinite costs nothing when off: not one check is generated; when on, every pass checks.</summary>
public sealed class CheckFiniteGenerationTests
{
    private static string Declaration(string checkFinite) => $$"""
        using NetGen;

        /// <summary>A network.</summary>
        [Network<double>(3{{checkFinite}})]
        [Dense(40, Activation.ReLU)]
        [Dense(8, Activation.Tanh)]
        [Dense(2)]
        public partial class Net;
        """;

    [Fact]
    public void Off_by_default_and_then_no_check_is_generated()
    {
        GeneratorRun plain = GeneratorHarness.Run(Declaration(string.Empty));
        GeneratorRun off = GeneratorHarness.Run(Declaration(", CheckFinite = false"));

        Assert.Empty(plain.AllDiagnostics());
        string source = plain.Source("Net.g.cs");
        Assert.DoesNotContain("IsFinite", source, System.StringComparison.Ordinal);
        Assert.DoesNotContain("ThrowNonFinite", source, System.StringComparison.Ordinal);
        Assert.Equal(source, off.Source("Net.g.cs"));
    }

    [Fact]
    public void On_every_pass_checks_the_inputs_each_layer_and_the_loss()
    {
        GeneratorRun run = GeneratorHarness.Run(Declaration(", CheckFinite = true"));

        Assert.Empty(run.AllDiagnostics());
        string source = run.Source("Net.g.cs");
        foreach (string member in new[] { "Forward", "Loss", "Backward", "TrainStep" })
        {
            for (int layer = 0; layer <= 3; layer++)
            {
                Assert.Contains($"ThrowNonFinite(\"{member}\", {layer}, ", source, System.StringComparison.Ordinal);
            }
        }

        foreach (string member in new[] { "Loss", "Backward", "TrainStep" })
        {
            Assert.Contains($"ThrowNonFinite(\"{member}\", -1, 0, loss)", source, System.StringComparison.Ordinal);
        }

        Assert.DoesNotContain("ThrowNonFinite(\"Forward\", -1", source, System.StringComparison.Ordinal);
        JitLimitTests.AssertWellBelowTheLimits(MethodBodies.Read(Emitted.Image(run.Output)));
    }
}
