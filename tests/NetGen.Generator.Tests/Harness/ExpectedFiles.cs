using System;
using System.IO;

namespace NetGen.Generator.Tests.Harness;

/// <summary>
/// Snapshot files under Expected/, compared exactly (only line endings are normalised, so a checkout with CRLF
/// still matches). The build copies Expected/ beside the test assembly; tests read that copy.
/// <para>
/// To write the snapshots again from the generator, run the tests with the environment variable
/// NETGEN_UPDATE_EXPECTED=1, e.g. <c>NETGEN_UPDATE_EXPECTED=1 dotnet test tests/NetGen.Generator.Tests -c Release</c>:
/// the files in the source tree (tests/NetGen.Generator.Tests/Expected/) are overwritten and the comparison passes.
/// Then read the diff before committing it: a snapshot is only as good as the review it had.
/// </para>
/// </summary>
internal static class ExpectedFiles
{
    public const string UpdateVariable = "NETGEN_UPDATE_EXPECTED";

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>The text of Expected/<paramref name="fileName"/> with '\n' line ends.</summary>
    public static string Read(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Expected", fileName);
        Assert.True(File.Exists(path), $"{path} is missing; create it by running the tests with {UpdateVariable}=1.");
        return Normalize(File.ReadAllText(path));
    }

    public static void AssertMatches(string fileName, string actual)
    {
        actual = Normalize(actual);
        if (Updating)
        {
            // Both copies: the source tree's, to commit, and the build output's, which this run reads.
            File.WriteAllText(Path.Combine(SourceDirectory(), fileName), actual);
            Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "Expected"));
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "Expected", fileName), actual);
        }

        string expected = Read(fileName);

        // Assert.Equal on strings reports the first difference with context, which is what a reviewer needs.
        Assert.Equal(expected, actual);
    }

    public static string Normalize(string text) => text.Replace("\r\n", "\n");

    /// <summary>tests/NetGen.Generator.Tests/Expected in the source tree.</summary>
    private static string SourceDirectory() => RepositoryPaths.Combine("tests/NetGen.Generator.Tests/Expected");
}
