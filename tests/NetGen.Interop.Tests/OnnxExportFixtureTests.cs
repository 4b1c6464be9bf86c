using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using NetGen;
using NetGen.Onnx;
using Xunit.Abstractions;

namespace NetGen.Interop.Tests;

/// <summary>
/// The .onnx files in Fixtures/OnnxExports are what the exporter writes for these networks, byte for byte: the test
/// fails as soon as the exporter writes anything else, so the files that the real onnx.checker was run on
/// (Fixtures/OnnxExports/check_exports.py, its verdict in the README there) cannot drift from the code. With
/// NETGEN_UPDATE_FIXTURES=1 the test writes the files instead; then run the script again and record what it prints.
/// </summary>
/// <remarks>
/// The parameters come from a fixed integer formula, not from a random generator, so that the files are the same on
/// every machine and .NET version. The model also holds the package version (producer_version), so a version bump
/// changes every file: update them then.
/// </remarks>
public class OnnxExportFixtureTests(ITestOutputHelper output)
{
    private const string UpdateVariable = "NETGEN_UPDATE_FIXTURES";

    private static readonly Dictionary<string, Func<byte[]>> Fixtures = new()
    {
        ["dense_every_activation_float"] = () => Exported(new EveryActivationNet()),
        ["dense_every_activation_double"] = () => Exported(new EveryActivationDoubleNet()),
        ["dense_softmax_classifier"] = () => Exported(new SoftmaxNet()),
        ["dense_relu_no_bias"] = () => Exported(new ReluNoBiasNet()),
        ["stream_gru"] = () => Exported(new StreamGruNet()),
        ["stream_gru_no_bias"] = () => Exported(new StreamGruNoBiasNet()),
        ["stream_lstm"] = () => Exported(new StreamLstmNet()),
        ["stream_lstm_no_bias"] = () => Exported(new StreamLstmNoBiasNet()),
        ["stream_conv"] = () => Exported(new StreamConvNet()),
        ["stream_conv_dilated_no_bias"] = () => Exported(new StreamConvDilatedNoBiasNet()),
        ["stream_mixed"] = () => Exported(new StreamMixedNet()),
        ["stream_mixed_no_bias"] = () => Exported(new StreamMixedNoBiasNet()),
        ["stream_softmax"] = () => Exported(new StreamSoftmaxNet()),
        ["stream_smooth"] = () => Exported(new StreamSmoothNet()),
        ["stream_double"] = () => Exported(new StreamDoubleNet()),
    };

    public static TheoryData<string> Names => new(Fixtures.Keys);

    private static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    [Theory]
    [MemberData(nameof(Names))]
    public void Fixture_IsWhatTheExporterWrites(string name)
    {
        byte[] model = Fixtures[name]();
        string path = Path.Combine(FixtureDirectory(), name + ".onnx");
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, model);
            output.WriteLine($"{UpdateVariable}=1: wrote {path} ({model.Length} bytes)");
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing: run the tests with {UpdateVariable}=1, then check_exports.py.");
        byte[] committed = File.ReadAllBytes(path);
        int first = Enumerable.Range(0, Math.Min(committed.Length, model.Length)).FirstOrDefault(i => committed[i] != model[i], -1);
        Assert.True(
            committed.AsSpan().SequenceEqual(model),
            $"{name}.onnx differs from what the exporter writes now ({committed.Length} bytes committed, {model.Length} exported, first difference at byte {(first < 0 ? Math.Min(committed.Length, model.Length) : first)}). "
            + $"If the change is meant, run the tests with {UpdateVariable}=1, run check_exports.py and record its output in the README.");
    }

    [Fact]
    public void FixtureDirectory_HoldsNoOtherModel()
    {
        string[] files = Directory.GetFiles(FixtureDirectory(), "*.onnx").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal).ToArray();
        if (Updating)
        {
            return;
        }

        Assert.Equal(Fixtures.Keys.Order(StringComparer.Ordinal), files);
    }

    /// <summary>The network's export with every parameter set from its index: (i * 7919 mod 2001 - 1000) / 2000, in [-0.5, 0.5].</summary>
    private static byte[] Exported<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> parameters = network.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = T.CreateTruncating((((long)i * 7919 % 2001) - 1000) / 2000.0);
        }

        return OnnxExporter.Export(network);
    }

    /// <summary>tests/NetGen.Interop.Tests/Fixtures/OnnxExports in the source tree, found above the test assembly.</summary>
    private static string FixtureDirectory()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "NetGen.Interop.Tests.csproj")))
            {
                return Path.Combine(directory.FullName, "Fixtures", "OnnxExports");
            }
        }

        throw new DirectoryNotFoundException($"No NetGen.Interop.Tests.csproj above {AppContext.BaseDirectory}.");
    }
}

/// <summary>
/// Every activation in one Dense stack: 3 -> 5 ReLU -> 5 LeakyReLU -> 5 Sigmoid -> 5 Tanh -> 5 ELU -> 5 GELU -> 5 SiLU
/// -> 5 Softplus (no bias) -> 4 Identity -> 3 Softmax.
/// </summary>
[Network(3, Loss = LossFunction.CrossEntropy)]
[Dense(5, Activation.ReLU)]
[Dense(5, Activation.LeakyReLU)]
[Dense(5, Activation.Sigmoid)]
[Dense(5, Activation.Tanh)]
[Dense(5, Activation.ELU)]
[Dense(5, Activation.GELU)]
[Dense(5, Activation.SiLU)]
[Dense(5, Activation.Softplus, Bias = false)]
[Dense(4)]
[Dense(3, Activation.Softmax)]
public partial class EveryActivationNet;

/// <summary>The same stack in double (exported as float).</summary>
[Network<double>(3, Loss = LossFunction.CrossEntropy)]
[Dense(5, Activation.ReLU)]
[Dense(5, Activation.LeakyReLU)]
[Dense(5, Activation.Sigmoid)]
[Dense(5, Activation.Tanh)]
[Dense(5, Activation.ELU)]
[Dense(5, Activation.GELU)]
[Dense(5, Activation.SiLU)]
[Dense(5, Activation.Softplus, Bias = false)]
[Dense(4)]
[Dense(3, Activation.Softmax)]
public partial class EveryActivationDoubleNet;
