namespace NetGen.Generator.Tests.Harness;

/// <summary>The seed network, as a user would declare it, and where its generated source goes.</summary>
internal static class SeedNetwork
{
    public const string Declaration = """
        using NetGen;

        namespace Seed;

        /// <summary>2 inputs -> 2 hidden nodes (ReLU) -> 1 output; no biases; mean squared error; float.</summary>
        [Network(2)]
        [Dense(2, Activation.ReLU, Bias = false)]
        [Dense(1, Bias = false)]
        public partial class SeedNet;
        """;

    public const string TypeName = "Seed.SeedNet";

    public const string HintName = "Seed.SeedNet.g.cs";

    public const string ExpectedFile = "SeedNet.g.cs";
}
