using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests;

/// <summary>
/// The C# blocks of docs/metrics.md compile, as a user's console program would, with the generator writing their
/// networks: no error and no warning (but for missing XML comments on the example's public network).
/// </summary>
public sealed partial class DocumentationExampleTests
{
    [Fact]
    public void The_csharp_blocks_of_docs_metrics_md_compile()
    {
        string markdown = File.ReadAllText(RepositoryPaths.Combine("docs/metrics.md"));
        string[] blocks = CSharpBlock().Matches(markdown).Select(m => m.Groups["code"].Value).ToArray();
        Assert.NotEmpty(blocks);

        foreach (string block in blocks)
        {
            Compilation program = TestCompilation.Create(block).WithOptions(TestCompilation.Options.WithOutputKind(OutputKind.ConsoleApplication));
            GeneratorRun run = GeneratorHarness.Run(program);

            Diagnostic[] problems = run.AllDiagnostics()
                .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591")
                .ToArray();
            Assert.True(problems.Length == 0, string.Join("\n", problems.Select(d => d.ToString())));
            Assert.NotEmpty(run.NetworkSources);
        }
    }

    [GeneratedRegex(@"^```csharp\n(?<code>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
