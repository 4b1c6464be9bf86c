using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Xunit;

namespace NetGen.Package.Tests;

/// <summary>
/// A pack without a version given, as the README's Install section runs it, gets a prerelease version of its own
/// (0.1.0-local.yyyyMMddHHmmss), so that a package packed earlier and still in NuGet's cache can never be restored
/// in its place, as it was when every local pack was 0.1.0.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed partial class LocalPackVersionTests
{
    [Fact]
    public void A_pack_without_a_version_gets_a_local_prerelease_version_of_its_own_and_the_next_pack_a_greater_one()
    {
        string feed = DotNet.NewTemporaryDirectory("local-feed");
        string first = Pack(feed);
        Thread.Sleep(1100);   // the version counts seconds: two packs in one second would share one
        string second = Pack(feed);

        Assert.Matches(LocalVersion(), first);
        Assert.Matches(LocalVersion(), second);
        Assert.NotEqual(first, second);

        // Same prefix and the same number of digits, so ordinal order is NuGet's prerelease order: the newer pack wins.
        Assert.True(string.CompareOrdinal(second, first) > 0, $"{second} should sort after {first}");

        // The version is the package's own (in its .nuspec), not only its file name.
        using ZipArchive archive = ZipFile.OpenRead(Path.Combine(feed, $"NetGen.{second}.nupkg"));
        using var reader = new StreamReader(archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        Assert.Contains($"<version>{second}</version>", reader.ReadToEnd(), StringComparison.Ordinal);
    }

    // Packs into feed and returns the version of the one new package there.
    private static string Pack(string feed)
    {
        string[] before = Directory.GetFiles(feed, "*.nupkg");
        (int exitCode, string output) = DotNet.Cli(DotNet.RepositoryRoot, $"pack src/NetGen.Runtime/NetGen.Runtime.csproj -c Release -o \"{feed}\"");
        Assert.True(exitCode == 0, "dotnet pack failed:\n" + output);
        string added = Assert.Single(Directory.GetFiles(feed, "*.nupkg").Except(before));
        string name = Path.GetFileNameWithoutExtension(added);
        Assert.StartsWith("NetGen.", name, StringComparison.Ordinal);
        return name["NetGen.".Length..];
    }

    [GeneratedRegex(@"^0\.1\.0-local\.20\d{12}$")]
    private static partial Regex LocalVersion();
}
