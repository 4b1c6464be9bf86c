using System;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace NetGen.Package.Tests;

/// <summary>
/// Packs NetGen once for all the tests in the collection, into a fresh folder feed and under a version of its
/// own, so that no package cached by an earlier run can stand in for this build.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    public PackageFixture()
    {
        Feed = DotNet.NewTemporaryDirectory("feed");
        Version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        (int exitCode, string output) = DotNet.Cli(
            DotNet.RepositoryRoot,
            $"pack src/NetGen.Runtime/NetGen.Runtime.csproj -c Release -o \"{Feed}\" -p:PackageVersion={Version}");
        PackOutput = output;
        if (exitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack failed:\n" + output);
        }

        PackagePath = Path.Combine(Feed, $"NetGen.{Version}.nupkg");
        using ZipArchive archive = ZipFile.OpenRead(PackagePath);
        Entries = archive.Entries.Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
    }

    public string Feed { get; }

    public string Version { get; }

    public string PackagePath { get; }

    public string PackOutput { get; }

    public string[] Entries { get; }

    /// <summary>A new project folder outside the repository that restores from the feed (and the usual sources).</summary>
    public string NewConsumer(string name, string csproj, string program)
    {
        string directory = DotNet.NewTemporaryDirectory(name);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="netgen-test-feed" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), csproj.Replace("$(NetGenVersion)", Version));
        File.WriteAllText(Path.Combine(directory, "Program.cs"), program);
        return directory;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Feed, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless; failing the run for it would not be.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "NetGen package";
}
