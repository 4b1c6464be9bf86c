using System;
using System.Linq;
using NetGen.Generator.Tests.Harness;
using NetGen.Onnx;

namespace NetGen.Generator.Tests.Onnx;

/// <summary>
/// NetGen's own ONNX export, compiled back with [OnnxNetwork]: a declared network with seeded parameters is exported by
/// NetGen.Onnx (whose files the real onnx.checker passes: tests/NetGen.Interop.Tests/Fixtures/OnnxExports), the file is
/// compiled, and the result must be the same network: the same Topology, the same parameters, and the same outputs to
/// the bit (the same code runs on the same numbers).
/// </summary>
public sealed class OnnxRoundTripTests
{
    public static TheoryData<string, string, string> Networks() => new()
    {
        { "float", "[Network(4)]", "[Dense(6, Activation.ReLU)] [Dense(3)]" },
        { "float", "[Network(3)]", "[Dense(5, Activation.LeakyReLU)] [Dense(4, Activation.Sigmoid, Bias = false)] [Dense(2, Activation.Tanh)]" },
        { "float", "[Network(3)]", "[Dense(4, Activation.ELU)] [Dense(4, Activation.GELU)] [Dense(4, Activation.SiLU)] [Dense(4, Activation.Softplus)] [Dense(2)]" },
        { "float", "[Network(5, Loss = LossFunction.CrossEntropy)]", "[Dense(7, Activation.Tanh)] [Dense(3, Activation.Softmax)]" },
        { "float", "[Network(40)]", "[Dense(24, Activation.ReLU)] [Dense(10)]" },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void An_exported_network_compiles_back_to_itself(string element, string network, string layers)
    {
        Assert.Equal("float", element);
        RoundTrip<float>(network, layers);
    }

    /// <summary>
    /// NetGen.Onnx writes every model as float32 (documented: some of ONNX Runtime's CPU kernels exist only for float), so a
    /// double network comes back as a float network with its parameters rounded to float, as the import reads the type.
    /// </summary>
    [Fact]
    public void A_double_network_comes_back_as_its_float_copy()
    {
        GeneratorRun declaredRun = GeneratorHarness.Run("""
            using NetGen;

            namespace App;

            /// <summary>Declared.</summary>
            [Network<double>(5)]
            [Dense(7, Activation.Tanh)]
            [Dense(3)]
            public partial class Declared;
            """);
        using LoadedAssembly declaredAssembly = Emitted.Load(Emitted.Image(declaredRun.Output));
        var declared = declaredAssembly.Create<INetwork<double>>("App.Declared");
        declared.InitializeParameters(7);

        GeneratorRun importedRun = OnnxImportTests.Compile(OnnxExporter.Export(declared));
        Assert.Empty(importedRun.AllDiagnostics());
        using LoadedAssembly importedAssembly = Emitted.Load(Emitted.Image(importedRun.Output));
        var imported = importedAssembly.Create<INetwork<float>>("App.Imported");
        Assert.Equal("float 5 | 7 Tanh | 3 Identity | MeanSquaredError", imported.Topology);
        Assert.Equal(declared.Parameters.ToArray().Select(p => (float)p), imported.Parameters.ToArray());
    }

    public static TheoryData<string> StreamingNetworks() => new()
    {
        "[Network(1)] [Gru(8)] [Dense(1)]",
        "[Network(2)] [Lstm(4)] [Dense(3, Activation.Tanh)]",
        "[Network(3)] [Gru(5, Bias = false)] [Lstm(3, Bias = false)] [Dense(2, Bias = false)]",
        "[Network(3)] [Dense(4, Activation.ReLU)] [Gru(6)] [Gru(6)] [Dense(1, Activation.Sigmoid)]",
        "[Network(2)] [Conv1D(3, 3, Activation.Tanh, Dilation = 2)] [Gru(4)] [Dense(1)]",
        "[Network(1)] [Conv1D(4, 2, Bias = false)] [Conv1D(2, 1, Activation.ReLU)] [Lstm(3)] [Dense(2)]",
    };

    /// <summary>
    /// A streaming model exported (GRU and LSTM nodes, their gate blocks in ONNX's order; a Conv1D layer as Transpose,
    /// Conv with zeros before the first step, Transpose) and compiled back: the same
    /// Topology, the same parameters to the bit (the gate blocks reordered there and back), and ForwardSequence's
    /// outputs to the bit.
    /// </summary>
    [Theory]
    [MemberData(nameof(StreamingNetworks))]
    public void An_exported_streaming_model_compiles_back_to_itself(string declaration)
    {
        GeneratorRun declaredRun = GeneratorHarness.Run($$"""
            using NetGen;

            namespace App;

            /// <summary>Declared.</summary>
            {{declaration}}
            public partial class Declared;
            """);
        Assert.Empty(declaredRun.AllDiagnostics());
        using LoadedAssembly declaredAssembly = Emitted.Load(Emitted.Image(declaredRun.Output));
        var declared = declaredAssembly.Create<ISequenceNetwork<float>>("App.Declared");
        declared.InitializeParameters(11);

        // Biases drawn wider than the initialisation's, so that a bias block put in the wrong gate shows.
        var random = new Random(5);
        Span<float> parameters = declared.Parameters;
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] += (float)((random.NextDouble() - 0.5) * 0.5);
        }

        GeneratorRun importedRun = OnnxImportTests.Compile(OnnxExporter.Export(declared));
        Assert.Empty(importedRun.AllDiagnostics());
        using LoadedAssembly importedAssembly = Emitted.Load(Emitted.Image(importedRun.Output));
        var imported = importedAssembly.Create<ISequenceNetwork<float>>("App.Imported");
        Assert.Equal(declared.Topology, imported.Topology);
        Assert.Equal(declared.Parameters.ToArray(), imported.Parameters.ToArray());

        const int steps = 25;
        float[] inputs = Enumerable.Range(0, steps * declared.InputCount).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var expected = new float[steps * declared.OutputCount];
        var actual = new float[expected.Length];
        declared.ForwardSequence(inputs, expected, declared.CreateState());
        imported.ForwardSequence(inputs, actual, imported.CreateState());
        Assert.Equal(expected, actual);
    }

    private static void RoundTrip<T>(string network, string layers)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        GeneratorRun declaredRun = GeneratorHarness.Run($$"""
            using NetGen;

            namespace App;

            /// <summary>Declared.</summary>
            {{network}}
            {{layers}}
            public partial class Declared;
            """);
        Assert.Empty(declaredRun.AllDiagnostics());
        using LoadedAssembly declaredAssembly = Emitted.Load(Emitted.Image(declaredRun.Output));
        var declared = declaredAssembly.Create<INetwork<T>>("App.Declared");
        declared.InitializeParameters(7);
        byte[] model = OnnxExporter.Export(declared);

        string options = network.Contains("CrossEntropy", StringComparison.Ordinal) ? ", Loss = LossFunction.CrossEntropy" : string.Empty;
        var random = new Random(3);
        T[][] inputs = Enumerable.Range(0, 4)
            .Select(_ => Enumerable.Range(0, declared.InputCount).Select(_ => T.CreateChecked(random.NextDouble() * 4 - 2)).ToArray())
            .ToArray();
        T[][] imported = OnnxImportTests.Run(model, inputs, options);

        GeneratorRun importedRun = OnnxImportTests.Compile(model, options);
        string source = importedRun.NetworkSources.Single().SourceText.ToString();
        Assert.Contains($"public const string Topology = \"{declared.Topology}\";", source, StringComparison.Ordinal);
        using LoadedAssembly importedAssembly = Emitted.Load(Emitted.Image(importedRun.Output));
        var fromFile = importedAssembly.Create<INetwork<T>>("App.Imported");
        Assert.True(fromFile.Parameters.SequenceEqual(declared.Parameters), "the embedded parameters are not the exported ones");

        for (int s = 0; s < inputs.Length; s++)
        {
            var expected = new T[declared.OutputCount];
            declared.Forward(inputs[s], expected);
            Assert.Equal(expected, imported[s]);
        }
    }
}
