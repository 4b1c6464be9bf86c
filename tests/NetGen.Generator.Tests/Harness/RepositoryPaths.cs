using System;
using System.IO;

namespace NetGen.Generator.Tests.Harness;

/// <summary>
/// Paths in the source tree, found by walking up from the test assembly to NetGen.sln.
/// <para>
/// Not from [CallerFilePath]: a build with ContinuousIntegrationBuild=true (set when CI=true) maps source paths
/// to "/_/", so a compile-time path does not exist on the machine that runs the tests.
/// </para>
/// </summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> RootCache = new(FindRoot);

    /// <summary>The directory that holds NetGen.sln.</summary>
    public static string Root => RootCache.Value;

    /// <summary>A path under the root, given with '/' separators.</summary>
    public static string Combine(string relative) =>
        Path.GetFullPath(Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar)));

    private static string FindRoot()
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
}
