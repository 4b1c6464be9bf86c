using System;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;

namespace NetGen.Package.Tests;

/// <summary>Fresh projects outside the solution, referencing only the packed NetGen, as a user's would.</summary>
[Collection(PackageCollection.Name)]
public sealed class ConsumerTests(PackageFixture package)
{
    // net8.0, the oldest target the package supports, run on the installed .NET (10) by rolling forward.
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net8.0</TargetFramework>
            <RollForward>Major</RollForward>
            <LangVersion>12</LangVersion>
            <Nullable>enable</Nullable>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            <GenerateDocumentationFile>true</GenerateDocumentationFile>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="NetGen" Version="$(NetGenVersion)" />
          </ItemGroup>
        </Project>
        """;

    [Fact]
    public void PackageHoldsTheRuntimeTheGeneratorItsCodeFixesAndTheReadme()
    {
        Assert.Contains("lib/net8.0/NetGen.Runtime.dll", package.Entries);
        Assert.Contains("lib/net8.0/NetGen.Runtime.xml", package.Entries);
        Assert.Contains("analyzers/dotnet/cs/NetGen.Generator.dll", package.Entries);
        Assert.Contains("analyzers/dotnet/cs/NetGen.CodeFixes.dll", package.Entries);
        Assert.Contains("README.md", package.Entries);
        Assert.Contains("build/NetGen.targets", package.Entries);
        Assert.Contains("buildTransitive/NetGen.targets", package.Entries);

        // Nothing of Roslyn's travels with the package: the compiler brings its own.
        Assert.DoesNotContain(package.Entries, e => e.Contains("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase));
        Assert.True(File.Exists(Path.ChangeExtension(package.PackagePath, ".snupkg")), "no symbol package next to " + package.PackagePath);
    }

    /// <summary>
    /// A generator compiled against a newer Roslyn than the user's compiler fails to load, and code fixes compiled
    /// against a newer one than the user's IDE do too; 4.8 ships with the .NET 8 SDK (and Visual Studio 17.8).
    /// </summary>
    [Theory]
    [InlineData("src/NetGen.Generator/bin/Release/netstandard2.0/NetGen.Generator.dll")]
    [InlineData("src/NetGen.CodeFixes/bin/Release/netstandard2.0/NetGen.CodeFixes.dll")]
    public void AnalyzerAssemblyReferencesRoslyn48AtMost(string path)
    {
        string assembly = Path.Combine(DotNet.RepositoryRoot, path);
        using var stream = File.OpenRead(assembly);
        using var pe = new PEReader(stream);
        MetadataReader metadata = pe.GetMetadataReader();
        var roslyn = metadata.AssemblyReferences
            .Select(h => metadata.GetAssemblyReference(h))
            .Where(r => metadata.GetString(r.Name).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(roslyn);
        Assert.All(roslyn, r => Assert.True(r.Version <= new Version(4, 8, 0, 0), $"{metadata.GetString(r.Name)} {r.Version}"));
    }

    [Fact]
    public void ValidNetworkBuildsWithWarningsAsErrorsAndRuns()
    {
        string directory = package.NewConsumer("Consumer", Project, """
            using System;
            using System.Globalization;
            using NetGen;

            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            var net = new SeedNet();
            new float[] { 1, 0, 0, 1, 1, 2 }.CopyTo(net.Parameters);
            net.ZeroGradients();
            float loss = net.Backward([1f, 3f], [4f]);
            Console.WriteLine($"prediction {net.Predict(1, 3)}");
            Console.WriteLine($"loss {loss}");
            Console.WriteLine($"gradients {string.Join(" ", net.Gradients.ToArray())}");
            Console.WriteLine($"runtime {Environment.Version.Major}");

            /// <summary>The seed network.</summary>
            [Network(2)]
            [Dense(2, Activation.ReLU, Bias = false)]
            [Dense(1, Bias = false)]
            public partial class SeedNet;
            """);

        (int build, string buildOutput) = DotNet.Cli(directory, "build -c Release");
        Assert.True(build == 0, buildOutput);
        Assert.Contains(" 0 Warning(s)", buildOutput);

        string dll = Path.Combine(directory, "bin/Release/net8.0/Consumer.dll");
        (int run, string output) = DotNet.Cli(directory, $"\"{dll}\"", 120);
        Assert.True(run == 0, output);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["prediction 7", "loss 9", "gradients 6 18 12 36 6 18", "runtime 10"], lines);

        // Only NetGen (and what it depends on) reaches the user's references: Roslyn stays with the compiler.
        using JsonDocument assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "obj/project.assets.json")));
        string[] libraries = assets.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains($"NetGen/{package.Version}", libraries);
        Assert.DoesNotContain(libraries, l => l.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
    }

    [Fact]
    public void WeightsFileIsCompiledInThroughThePackagesBuildTargets()
    {
        // The package's build/NetGen.targets must hand the generator the .safetensors file (as a base64 copy):
        // a consumer outside the repository has only the package to do it.
        string directory = package.NewConsumer("WeightsConsumer", Project.Replace(
            "</Project>",
            "  <ItemGroup>\n    <AdditionalFiles Include=\"tiny.safetensors\" />\n  </ItemGroup>\n</Project>",
            StringComparison.Ordinal), """
            using System;
            using System.Globalization;
            using NetGen;

            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            var net = new Tiny();
            Console.WriteLine(string.Join(" ", net.Parameters.ToArray()));
            Console.WriteLine(net.Predict(1, 2));

            /// <summary>2 -> 1 with a bias, weights compiled in.</summary>
            [Network(2, Weights = "tiny.safetensors")]
            [Dense(1)]
            public partial class Tiny;
            """);

        // Built byte by byte from the format: 8-byte little-endian header length, JSON header, then F32 data.
        byte[] header = System.Text.Encoding.UTF8.GetBytes(
            "{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]},\"0.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}");
        byte[] file = [.. BitConverter.GetBytes((ulong)header.Length), .. header,
            .. BitConverter.GetBytes(0.5f), .. BitConverter.GetBytes(-2f), .. BitConverter.GetBytes(0.25f)];
        File.WriteAllBytes(Path.Combine(directory, "tiny.safetensors"), file);

        (int build, string buildOutput) = DotNet.Cli(directory, "build -c Release");
        Assert.True(build == 0, buildOutput);
        (int run, string output) = DotNet.Cli(directory, $"\"{Path.Combine(directory, "bin/Release/net8.0/WeightsConsumer.dll")}\"", 120);
        Assert.True(run == 0, output);

        // 0.5 * 1 - 2 * 2 + 0.25 = -3.25.
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["0.5 -2 0.25", "-3.25"], lines);
    }

    [Fact]
    public void OnnxModelIsCompiledInThroughThePackagesBuildTargets()
    {
        // The package's build/NetGen.targets must hand the generator the .onnx file too (as a base64 copy). The model is
        // samples/OnnxDigits' PyTorch export; the consumer prints what it understood and one prediction.
        string directory = package.NewConsumer("OnnxConsumer", Project.Replace(
            "</Project>",
            "  <ItemGroup>\n    <AdditionalFiles Include=\"digits.onnx\" />\n  </ItemGroup>\n</Project>",
            StringComparison.Ordinal), """
            using System;
            using System.Linq;
            using NetGen;

            var net = new Digits();
            float[] probabilities = new float[Digits.OutputCount];
            net.Forward(args[0].Split(',').Take(64).Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(), probabilities);
            Console.WriteLine(Digits.Topology);
            Console.WriteLine(OneHot.Decode<float>(probabilities));

            /// <summary>Compiled from digits.onnx.</summary>
            [OnnxNetwork("digits.onnx", Loss = LossFunction.CrossEntropy)]
            public partial class Digits;
            """);
        File.Copy(Path.Combine(DotNet.RepositoryRoot, "samples/OnnxDigits/digits.onnx"), Path.Combine(directory, "digits.onnx"));

        (int build, string buildOutput) = DotNet.Cli(directory, "build -c Release");
        Assert.True(build == 0, buildOutput);
        Assert.Contains(" 0 Warning(s)", buildOutput);

        // The first test row of optdigits.tes is a 0.
        string row = File.ReadLines(Path.Combine(DotNet.RepositoryRoot, "samples/Digits/data/optdigits.tes")).Skip(1).First();
        (int run, string output) = DotNet.Cli(directory, $"\"{Path.Combine(directory, "bin/Release/net8.0/OnnxConsumer.dll")}\" {row}", 120);
        Assert.True(run == 0, output);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["float 64 | 128 GELU | 10 Softmax | CrossEntropy", "0"], lines);
    }

    [Fact]
    public void InvalidNetworkFailsTheBuildWithTheNetGenDiagnosticAtTheAttribute()
    {
        const string program = """
            using NetGen;

            System.Console.WriteLine("unreachable");

            /// <summary>A network with no inputs.</summary>
            [Network(0)]
            [Dense(1)]
            public partial class EmptyNet;
            """;
        string directory = package.NewConsumer("BadConsumer", Project, program);

        (int build, string output) = DotNet.Cli(directory, "build -c Release");
        Assert.NotEqual(0, build);

        // Line 6, column 10: the argument 0 of [Network(0)].
        string[] lines = program.Split('\n');
        Assert.Equal("[Network(0)]", lines[5].TrimEnd('\r'));
        Assert.Contains("Program.cs(6,10): error NG0003", output);
    }
}
