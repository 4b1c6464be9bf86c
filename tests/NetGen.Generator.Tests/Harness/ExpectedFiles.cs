using System;
using System.IO;

namespace NetGen.Generator.Tests.Harness;

/// <summary>
/// Snapshot files under Expected/, compared exactly (only line endings are normalised, so a checkout with CRLF
/// still matches). The build copies Expected/ beside the test assembly; tests read that copy.
/// <para>
/// To write the snapshots again from the generator, run the snapshot tests with the environment variable
/// NETGEN_UPDATE_SNAPSHOTS=1 (the filter takes OutputTests, SoftmaxOutputTests and SnapshotTests):
/// <code>
/// NETGEN_UPDATE_SNAPSHOTS=1 dotnet test tests/NetGen.Generator.Tests -c Release \
///     --filter "FullyQualifiedName~OutputTests|FullyQualifiedName~SnapshotTests"
/// </code>
/// Each snapshot test overwrites its file in the source tree (tests/NetGen.Generator.Tests/Expected/) and in the
/// build output, and then FAILS, saying which file it wrote and whether its text changed, so that an update is
/// never silent and a run with the variable left set can never pass. Then read the diff (git diff), run the tests
/// again without the variable (the tests that compile and check the snapshots' numbers then read the new files), and
/// commit: a snapshot is only as good as the review it had.
/// </para>
/// </summary>
internal static class ExpectedFiles
{
    public const string UpdateVariable = "NETGEN_UPDATE_SNAPSHOTS";

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>The text of Expected/<paramref name="fileName"/> with '\n' line ends.</summary>
    public static string Read(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Expected", fileName);
        Assert.True(File.Exists(path), $"{path} is missing; create it by running the tests with {UpdateVariable}=1.");
        return Normalize(File.ReadAllText(path));
    }

    /// <summary>
    /// Compares <paramref name="actual"/> with Expected/<paramref name="fileName"/>; in update mode writes it there
    /// instead and fails (see the class remarks).
    /// </summary>
    public static void AssertMatches(string fileName, string actual)
    {
        actual = Normalize(actual);
        if (Updating)
        {
            string source = Path.Combine(SourceDirectory(), fileName);
            bool changed = !File.Exists(source) || Normalize(File.ReadAllText(source)) != actual;

            // Both copies: the source tree's, to commit, and the build output's, which the next run reads.
            File.WriteAllText(source, actual);
            Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "Expected"));
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "Expected", fileName), actual);
            Assert.Fail(
                $"{UpdateVariable}=1: wrote {source} from the generator's output ({(changed ? "its text CHANGED" : "its text was already the same")}). "
                + $"This test fails whenever {UpdateVariable} is set: review the diff, then run again without it.");
        }

        string expected = Read(fileName);

        // Assert.Equal on strings reports the first difference with context, which is what a reviewer needs.
        Assert.Equal(expected, actual);
    }

    public static string Normalize(string text) => text.Replace("\r\n", "\n");

    /// <summary>tests/NetGen.Generator.Tests/Expected in the source tree.</summary>
    private static string SourceDirectory() => RepositoryPaths.Combine("tests/NetGen.Generator.Tests/Expected");
}
