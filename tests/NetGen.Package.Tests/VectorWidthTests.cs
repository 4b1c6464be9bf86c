using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace NetGen.Package.Tests;

/// <summary>
/// The generated SIMD loops on every vector width, not only this machine's widest: the runtime tests that prove the
/// numbers (Forward and Backward against an independent interpreter and central differences, TrainStep and TrainBatch
/// bit for bit against Backward and Sgd.Step, ForwardBatch against Forward and the definitions, the kernels themselves)
/// run again in a process where the JIT is told to use narrower vectors, or none (then every kernel takes its scalar
/// path), and check that it did.
/// </summary>
public sealed class VectorWidthTests
{
    private const string Filter =
        "FullyQualifiedName~NetGen.Tests.ReferenceTests|FullyQualifiedName~NetGen.Tests.TrainStepTests|FullyQualifiedName~NetGen.Tests.Runtime.KernelsTests"
        + "|FullyQualifiedName~NetGen.Tests.ForwardBatchTests|FullyQualifiedName~NetGen.Tests.Runtime.LaneKernelsTests";

    /// <summary>The widest vectors this process accelerates, as NetGen.Kernels.VectorBits counts them.</summary>
    private static int NativeBits =>
        System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? 512
        : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? 256
        : System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? 128 : 0;

    public static TheoryData<string, int> Widths()
    {
        var widths = new TheoryData<string, int>();
        if (RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            // .NET 10's switches: without AVX-512, vectors are at most 256 bits; without AVX2, at most 128.
            widths.Add("DOTNET_EnableAVX512", System.Math.Min(256, NativeBits));
            widths.Add("DOTNET_EnableAVX2", System.Math.Min(128, NativeBits));
        }

        widths.Add("DOTNET_EnableHWIntrinsic", 0);
        return widths;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void The_runtime_tests_pass_with_narrower_vectors(string switchOff, int expectedBits)
    {
        string project = Path.Combine(DotNet.RepositoryRoot, "tests", "NetGen.Tests", "NetGen.Tests.csproj");
        string built = Path.Combine(DotNet.RepositoryRoot, "tests", "NetGen.Tests", "bin", "Release", "net10.0", "NetGen.Tests.dll");
        string noBuild = File.Exists(built) ? " --no-build" : string.Empty;
        var environment = new Dictionary<string, string>
        {
            [switchOff] = "0",
        };
        (int exit, string log) = DotNet.Run(
            DotNet.RepositoryRoot, "dotnet", $"test \"{project}\" -c Release{noBuild} --filter \"{Filter}\" --logger \"console;verbosity=detailed\"", System.TimeSpan.FromSeconds(600), environment);
        Assert.True(exit == 0, log);
        Assert.Contains($"Kernels.VectorBits = {expectedBits}", log);
        Assert.Matches(@"Total tests: [1-9]\d{2,}", log);
    }
}
