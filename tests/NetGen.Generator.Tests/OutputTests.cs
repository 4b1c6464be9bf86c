using System.Linq;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests;

/// <summary>The generated source of the seed network, kept as a reviewed snapshot (Expected/SeedNet.g.cs).</summary>
public sealed class OutputTests
{
    [Fact]
    public void SeedNet_generated_source_matches_the_expected_file()
    {
        GeneratorRun run = GeneratorHarness.Run(SeedNetwork.Declaration);

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.AllDiagnostics());
        Assert.Equal([SeedNetwork.HintName], run.Sources.Select(s => s.HintName));
        ExpectedFiles.AssertMatches(SeedNetwork.ExpectedFile, run.Source(SeedNetwork.HintName));
    }
}
