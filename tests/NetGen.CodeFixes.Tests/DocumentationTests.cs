using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace NetGen.CodeFixes.Tests;

/// <summary>docs/diagnostics.md says which diagnostics have a code fix: exactly those that NetGen.CodeFixes fixes.</summary>
public sealed partial class DocumentationTests
{
    [Fact]
    public void The_code_fix_column_of_docs_diagnostics_md_lists_exactly_the_fixed_diagnostics()
    {
        string[] fixedIds = typeof(MakePartialCodeFixProvider).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
            .SelectMany(t => ((CodeFixProvider)Activator.CreateInstance(t)!).FixableDiagnosticIds)
            .Order(StringComparer.Ordinal)
            .ToArray();
        string[] documented = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "diagnostics.md"))
            .Select(line => TableRow().Match(line))
            .Where(m => m.Success && m.Groups["fix"].Value == "yes")
            .Select(m => m.Groups["id"].Value)
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(["NG0001", "NG0016"], fixedIds);
        Assert.Equal(fixedIds, documented);
    }

    /// <summary>
    /// The directory that holds NetGen.sln, found by walking up from the test assembly (not [CallerFilePath], which a
    /// ContinuousIntegrationBuild maps to "/_/").
    /// </summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NetGen.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("NetGen.sln not found in any directory above " + AppContext.BaseDirectory);
    }

    /// <summary>A row of the table at the top: | [NG0001](#ng0001) | error | title | yes |.</summary>
    [GeneratedRegex(@"^\| \[(?<id>NG[0-9]{4})\]\(#ng[0-9]{4}\) \| [a-z]+ \| .* \| (?<fix>yes)? ?\|$")]
    private static partial Regex TableRow();
}
