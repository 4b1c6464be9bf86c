using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace NetGen.Package.Tests;

/// <summary>
/// The SeedNotebook sample published with NativeAOT and full trimming (PublishAot and TrimMode=full are set in
/// its project file, since as global properties they would reach the netstandard2.0 generator too): no trim or AOT warning, and the native
/// binary prints exactly what the JIT build prints. In the package collection so that it never builds the
/// runtime at the same time as the package fixture does.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class NativeAotTests
{
    [Fact]
    public void SeedNotebookPublishesWithoutWarningsAndPrintsTheSameAsTheJitBuild()
    {
        string output = DotNet.NewTemporaryDirectory("aot");
        (int publish, string log) = DotNet.Cli(
            DotNet.RepositoryRoot,
            $"publish samples/SeedNotebook/SeedNotebook.csproj -c Release -r linux-x64 -o \"{output}\"",
            900);
        Assert.True(publish == 0, log);

        // ILLink (IL2xxx) and ILCompiler (IL3xxx) warnings would mean code that may break once trimmed or compiled ahead of time.
        string[] warnings = log.Split('\n').Where(l => Regex.IsMatch(l, @"warning (IL\d{4}|NETSDK\d{4})")).ToArray();
        Assert.True(warnings.Length == 0, string.Join('\n', warnings));

        string native = Path.Combine(output, "SeedNotebook");
        Assert.True(File.Exists(native), "no native binary at " + native);
        (int nativeExit, string nativeOutput) = DotNet.Run(output, native, string.Empty, System.TimeSpan.FromSeconds(60));
        Assert.True(nativeExit == 0, nativeOutput);

        (int jitExit, string jitOutput) = DotNet.Cli(DotNet.RepositoryRoot, "run -c Release --project samples/SeedNotebook/SeedNotebook.csproj", 300);
        Assert.True(jitExit == 0, jitOutput);
        Assert.Contains("Every figure matches the notebook.", nativeOutput);
        Assert.Equal(jitOutput, nativeOutput);
    }

    /// <summary>
    /// samples/OnnxDigits, the network compiled from an ONNX file, published the same way: no warning, and the native
    /// binary scores the test file as the JIT build does.
    /// </summary>
    [Fact]
    public void OnnxDigitsPublishesWithoutWarningsAndPrintsTheSameAsTheJitBuild()
    {
        string output = DotNet.NewTemporaryDirectory("aot-onnx");
        (int publish, string log) = DotNet.Cli(
            DotNet.RepositoryRoot,
            $"publish samples/OnnxDigits/OnnxDigits.csproj -c Release -r linux-x64 -o \"{output}\"",
            900);
        Assert.True(publish == 0, log);
        string[] warnings = log.Split('\n').Where(l => Regex.IsMatch(l, @"warning (IL\d{4}|NETSDK\d{4})")).ToArray();
        Assert.True(warnings.Length == 0, string.Join('\n', warnings));

        (int nativeExit, string nativeOutput) = DotNet.Run(output, Path.Combine(output, "OnnxDigits"), string.Empty, System.TimeSpan.FromSeconds(60));
        Assert.True(nativeExit == 0, nativeOutput);
        (int jitExit, string jitOutput) = DotNet.Cli(DotNet.RepositoryRoot, "run -c Release --project samples/OnnxDigits/OnnxDigits.csproj", 300);
        Assert.True(jitExit == 0, jitOutput);
        Assert.Contains("test accuracy ", nativeOutput);
        Assert.Equal(jitOutput, nativeOutput);
    }
}
