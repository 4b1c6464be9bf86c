using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace NetGen.Package.Tests;

/// <summary>
/// The same seed gives the same bits on every machine and build: tests/NetGen.Determinism trains six networks (SIMD
/// loops in float and double, straight-line code, two streaming stacks and an image network of Conv2D and MaxPool2D) and prints a hash of each one's trained
/// parameters and of its outputs on fresh inputs. It runs under the JIT with this machine's widest vectors, with
/// AVX-512 turned off, with AVX2 turned off and with no vector instructions at all, and as a NativeAOT binary (which
/// targets 128-bit vectors by default), and every run must print the same hashes. In the package collection so that
/// it never builds the runtime at the same time as the package fixture does.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class DeterminismTests
{
    private const string Project = "tests/NetGen.Determinism/NetGen.Determinism.csproj";

    [Fact]
    public void Training_gives_the_same_bits_on_every_vector_width_and_under_NativeAOT()
    {
        string jit = DotNet.NewTemporaryDirectory("determinism-jit");
        (int build, string buildLog) = DotNet.Cli(DotNet.RepositoryRoot, $"build {Project} -c Release -o \"{jit}\"", 600);
        Assert.True(build == 0, buildLog);
        string program = Path.Combine(jit, "NetGen.Determinism.dll");

        var runs = new List<(string Name, string Output)>();
        var configurations = new List<(string Name, string? Switch)> { ("JIT", null) };
        if (RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            configurations.Add(("JIT without AVX-512", "DOTNET_EnableAVX512"));
            configurations.Add(("JIT without AVX2", "DOTNET_EnableAVX2"));
        }

        configurations.Add(("JIT without vector instructions", "DOTNET_EnableHWIntrinsic"));
        foreach ((string name, string? off) in configurations)
        {
            var environment = new Dictionary<string, string>();
            if (off is not null)
            {
                environment[off] = "0";
            }

            (int exit, string output) = DotNet.Run(jit, "dotnet", $"\"{program}\"", System.TimeSpan.FromSeconds(300), environment);
            Assert.True(exit == 0, $"{name}:\n{output}");
            runs.Add((name, output));
        }

        string aot = DotNet.NewTemporaryDirectory("determinism-aot");
        (int publish, string publishLog) = DotNet.Cli(DotNet.RepositoryRoot, $"publish {Project} -c Release -r linux-x64 -o \"{aot}\"", 900);
        Assert.True(publish == 0, publishLog);
        (int aotExit, string aotOutput) = DotNet.Run(aot, Path.Combine(aot, "NetGen.Determinism"), string.Empty, System.TimeSpan.FromSeconds(300));
        Assert.True(aotExit == 0, aotOutput);
        runs.Add(("NativeAOT", aotOutput));

        // Each run says which vectors it had: the switches must really have changed the width, or the comparison
        // would prove nothing. With no vector instructions the kernels take their scalar paths.
        Assert.Equal("Kernels.VectorBits = 0", FirstLine(runs.Single(r => r.Name == "JIT without vector instructions").Output));
        if (RuntimeInformation.ProcessArchitecture == Architecture.X64 && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
        {
            Assert.Equal("Kernels.VectorBits = 128", FirstLine(runs.Single(r => r.Name == "JIT without AVX2").Output));
            Assert.NotEqual("Kernels.VectorBits = 128", FirstLine(runs[0].Output));
        }

        string[] expected = Hashes(runs[0].Output);
        Assert.Equal(6, expected.Length);
        foreach ((string name, string output) in runs.Skip(1))
        {
            Assert.True(expected.SequenceEqual(Hashes(output)), $"{name} differs from {runs[0].Name}:\n{output}\n{runs[0].Name}:\n{runs[0].Output}");
        }
    }

    private static string FirstLine(string output) => output.Split('\n')[0].Trim();

    private static string[] Hashes(string output) =>
        output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(": parameters ")).ToArray();
}
