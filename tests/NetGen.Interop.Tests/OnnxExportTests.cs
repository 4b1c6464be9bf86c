using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using NetGen;
using NetGen.Onnx;
using Xunit.Abstractions;

namespace NetGen.Interop.Tests;

/// <summary>
/// OnnxExporter: the exported model runs in ONNX Runtime and gives what Forward gives, row by row, for every
/// activation, with and without biases, narrow and wide, for a batch of several rows.
/// </summary>
/// <remarks>
/// Two floats a (Forward) and b (ONNX Runtime) agree when |a - b| &lt;= 1e-5 * max(|a|, |b|, 0.1): relative within 1e-5,
/// and below magnitude 0.1 absolute within 1e-6. The floor is there because a value near zero is often the difference
/// of terms much larger than itself (a ReLU just above its kink, a pre-activation summed from 128 products), and the two
/// engines round such sums in different orders; its error is relative to those terms, not to the small result.
/// </remarks>
public class OnnxExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;
    private const double Floor = 0.1;

    public static TheoryData<string> FloatNetworks => new(Factories.Keys);

    private static readonly Dictionary<string, Func<INetwork<float>>> Factories = new()
    {
        ["Identity"] = () => new IdentityNet(),
        ["Identity, no bias"] = () => new IdentityNoBiasNet(),
        ["ReLU"] = () => new ReluNet(),
        ["ReLU, no bias"] = () => new ReluNoBiasNet(),
        ["LeakyReLU"] = () => new LeakyReluNet(),
        ["LeakyReLU, no bias"] = () => new LeakyReluNoBiasNet(),
        ["Sigmoid"] = () => new SigmoidNet(),
        ["Sigmoid, no bias"] = () => new SigmoidNoBiasNet(),
        ["Tanh"] = () => new TanhNet(),
        ["Tanh, no bias"] = () => new TanhNoBiasNet(),
        ["Softmax"] = () => new SoftmaxNet(),
        ["Softmax, no bias"] = () => new SoftmaxNoBiasNet(),
        ["Single layer Sigmoid"] = () => new SingleLayerNet(),
        ["Deep, every hidden activation"] = () => new DeepMixedNet(),
        ["Wide 10-128-110-5 ReLU, LeakyReLU, Softmax"] = () => new WideNet(),
        ["Wide 12-120-1 Tanh, Sigmoid"] = () => new WideTanhNet(),
        ["ELU"] = () => new EluNet(),
        ["ELU, no bias"] = () => new EluNoBiasNet(),
        ["GELU"] = () => new GeluNet(),
        ["GELU, no bias"] = () => new GeluNoBiasNet(),
        ["SiLU"] = () => new SiluNet(),
        ["SiLU, no bias"] = () => new SiluNoBiasNet(),
        ["Softplus"] = () => new SoftplusNet(),
        ["Softplus, no bias"] = () => new SoftplusNoBiasNet(),
        ["Deep 3-4-4-4-4-2 GELU, ELU, GELU, SiLU, Softplus"] = () => new DeepSmoothNet(),
        ["Wide 10-128-110-5 GELU, SiLU, Softmax"] = () => new WideSmoothNet(),
    };

    [Theory]
    [MemberData(nameof(FloatNetworks))]
    public void OnnxRuntime_GivesWhatForwardGives(string name)
    {
        INetwork<float> network = Factories[name]();
        Randomize(network, seed: name.Length);
        const int rows = 9;
        float[] inputs = RandomInputs(rows * network.InputCount, seed: 1000 + name.Length);

        float[] expected = ForwardRows(network, inputs, rows);
        float[] actual = RunOnnx(OnnxExporter.Export(network), inputs, rows, network.InputCount, network.OutputCount);

        Comparison result = Compare(expected, actual);
        output.WriteLine($"{name}: {expected.Length} outputs, worst relative difference {result.WorstRelative:E2}, worst absolute {result.WorstAbsolute:E2}, worst against tolerance {result.WorstRatio:F3}");
        Assert.True(result.WorstRatio <= 1, $"{name}: output {result.WorstIndex} is {actual[result.WorstIndex]:R} in ONNX Runtime but {expected[result.WorstIndex]:R} from Forward.");
    }

    [Fact]
    public void OnnxRuntime_EachActivation_OnStrongInputs()
    {
        // Inputs up to +-30 drive sigmoid and tanh into saturation and softmax towards one-hot: still the same numbers.
        foreach ((string name, Func<INetwork<float>> create) in Factories)
        {
            INetwork<float> network = create();
            Randomize(network, seed: 5);
            float[] inputs = RandomInputs(4 * network.InputCount, seed: 6).Select(x => x * 10).ToArray();
            float[] expected = ForwardRows(network, inputs, 4);
            float[] actual = RunOnnx(OnnxExporter.Export(network), inputs, 4, network.InputCount, network.OutputCount);
            Comparison result = Compare(expected, actual);
            Assert.True(result.WorstRatio <= 1, $"{name}: output {result.WorstIndex} is {actual[result.WorstIndex]:R} in ONNX Runtime but {expected[result.WorstIndex]:R} from Forward.");
        }
    }

    [Fact]
    public void OnnxRuntime_BatchSizeIsFree_OneRowAndManyRows()
    {
        var network = new WideNet();
        Randomize(network, seed: 8);
        byte[] model = OnnxExporter.Export(network);
        foreach (int rows in new[] { 1, 2, 33 })
        {
            float[] inputs = RandomInputs(rows * WideNet.InputCount, seed: rows);
            Comparison result = Compare(ForwardRows(network, inputs, rows), RunOnnx(model, inputs, rows, WideNet.InputCount, WideNet.OutputCount));
            Assert.True(result.WorstRatio <= 1, $"{rows} rows: worst {result.WorstRatio}");
        }
    }

    [Fact]
    public void DoubleNetwork_ExportsAsFloat_AndMatchesItsForwardToFloatPrecision()
    {
        var network = new DoubleNet();
        Randomize(network, seed: 9);
        const int rows = 6;
        float[] inputs = RandomInputs(rows * DoubleNet.InputCount, seed: 10);

        // The exact double result, against a model whose parameters are the doubles rounded to float.
        double[] expected = new double[rows * DoubleNet.OutputCount];
        double[] row = new double[DoubleNet.OutputCount];
        for (int r = 0; r < rows; r++)
        {
            network.Forward(inputs.Skip(r * DoubleNet.InputCount).Take(DoubleNet.InputCount).Select(x => (double)x).ToArray(), row);
            row.CopyTo(expected, r * DoubleNet.OutputCount);
        }

        byte[] model = OnnxExporter.Export(network);
        float[] actual = RunOnnx(model, inputs, rows, DoubleNet.InputCount, DoubleNet.OutputCount);
        Comparison result = Compare(expected.Select(v => (float)v).ToArray(), actual);
        output.WriteLine($"double network as float: worst relative difference {result.WorstRelative:E2}");
        Assert.True(result.WorstRatio <= 1, $"output {result.WorstIndex}: {actual[result.WorstIndex]:R} against {expected[result.WorstIndex]:R}");

        using var session = new InferenceSession(model);
        Assert.Equal(typeof(float), session.InputMetadata[OnnxExporter.InputName].ElementType);
        Assert.Equal(typeof(float), session.OutputMetadata[OnnxExporter.OutputName].ElementType);
    }

    [Fact]
    public void Model_DeclaresItsInputsOutputsAndMetadata()
    {
        var network = new SoftmaxNet();
        using var session = new InferenceSession(OnnxExporter.Export(network));

        NodeMetadata input = Assert.Single(session.InputMetadata, p => p.Key == "input").Value;
        Assert.Equal([-1, 4], input.Dimensions);
        Assert.Equal("batch", input.SymbolicDimensions[0]);
        Assert.Equal(typeof(float), input.ElementType);
        NodeMetadata result = Assert.Single(session.OutputMetadata, p => p.Key == "output").Value;
        Assert.Equal([-1, 3], result.Dimensions);
        Assert.Equal("batch", result.SymbolicDimensions[0]);

        // Initializers are not graph inputs: only "input" is.
        Assert.Single(session.InputMetadata);
        Assert.Equal("NetGen", session.ModelMetadata.ProducerName);
        Assert.Equal("netgen", session.ModelMetadata.GraphName);
        Assert.Equal(SoftmaxNet.Topology, session.ModelMetadata.CustomMetadataMap["netgen.topology"]);
    }

    [Fact]
    public void Model_RowsAreIndependent_AndSoftmaxRowsSumToOne()
    {
        // Softmax over axis -1 normalises each row on its own: a row's output does not depend on the others.
        var network = new SoftmaxNet();
        Randomize(network, seed: 12);
        byte[] model = OnnxExporter.Export(network);
        float[] inputs = RandomInputs(3 * 4, seed: 13);

        float[] together = RunOnnx(model, inputs, 3, 4, 3);
        for (int r = 0; r < 3; r++)
        {
            float[] alone = RunOnnx(model, inputs.Skip(r * 4).Take(4).ToArray(), 1, 4, 3);
            Assert.True(Compare(alone, together.Skip(r * 3).Take(3).ToArray()).WorstRatio <= 1);
            Assert.Equal(1.0, alone.Sum(x => (double)x), 5);
        }
    }

    [Fact]
    public void Export_ToStreamAndPath_WriteTheSameBytes()
    {
        var network = new DeepMixedNet();
        Randomize(network, seed: 14);
        byte[] bytes = OnnxExporter.Export(network);
        var stream = new MemoryStream();
        OnnxExporter.Export(network, stream);
        string path = Path.Combine(Path.GetTempPath(), "netgen-" + Guid.NewGuid().ToString("N") + ".onnx");
        try
        {
            OnnxExporter.Export(network, path);
            Assert.Equal(bytes, stream.ToArray());
            Assert.Equal(bytes, File.ReadAllBytes(path));
            using var session = new InferenceSession(path);
            Assert.Equal(["input"], session.InputNames);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Export_CopiesTheParametersOfThatMoment()
    {
        var network = new IdentityNet();
        Randomize(network, seed: 15);
        byte[] before = OnnxExporter.Export(network);
        network.Parameters[0] += 1;
        float[] input = [1f, 0f, 0f];

        float[] old = RunOnnx(before, input, 1, 3, 2);
        float[] now = RunOnnx(OnnxExporter.Export(network), input, 1, 3, 2);

        // The first weight multiplies input 0 (= 1) into hidden unit 0, so the outputs change.
        Assert.True(Compare(ForwardRows(network, input, 1), now).WorstRatio <= 1);
        Assert.True(Compare(old, now).WorstRatio > 1);
    }

    [Fact]
    public void Export_Arguments()
    {
        Assert.Throws<ArgumentNullException>(() => OnnxExporter.Export<float>(null!));
        Assert.Throws<ArgumentNullException>(() => OnnxExporter.Export(new IdentityNet(), (Stream)null!));
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(new IdentityNet(), new MemoryStream([], writable: false)));
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(new IdentityNet(), string.Empty));
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(new HandWrittenNetwork("float 2 | 3 Identity | MeanSquaredError", 2, 3, 7)));
    }

    [Fact]
    public void Versions_AreTheDocumentedOnes()
    {
        Assert.Equal(17, OnnxExporter.OpsetVersion);
        Assert.Equal(8, OnnxExporter.IrVersion);
    }

    // ---- Helpers.

    private readonly record struct Comparison(double WorstRelative, double WorstAbsolute, double WorstRatio, int WorstIndex);

    private static Comparison Compare(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worstRelative = 0, worstAbsolute = 0, worstRatio = 0;
        int worstIndex = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double a = expected[i], b = actual[i];
            Assert.True(double.IsFinite(a) && double.IsFinite(b), $"output {i}: {a} and {b}");
            double difference = Math.Abs(a - b);
            double magnitude = Math.Max(Math.Abs(a), Math.Abs(b));
            worstAbsolute = Math.Max(worstAbsolute, difference);
            worstRelative = Math.Max(worstRelative, magnitude == 0 ? 0 : difference / magnitude);
            double ratio = difference / (Tolerance * Math.Max(magnitude, Floor));
            if (ratio > worstRatio)
            {
                (worstRatio, worstIndex) = (ratio, i);
            }
        }

        return new Comparison(worstRelative, worstAbsolute, worstRatio, worstIndex);
    }

    private static float[] ForwardRows(INetwork<float> network, float[] inputs, int rows)
    {
        float[] outputs = new float[rows * network.OutputCount];
        for (int r = 0; r < rows; r++)
        {
            network.Forward(inputs.AsSpan(r * network.InputCount, network.InputCount), outputs.AsSpan(r * network.OutputCount, network.OutputCount));
        }

        return outputs;
    }

    private static float[] RunOnnx(byte[] model, float[] inputs, int rows, int inputCount, int outputCount)
    {
        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, [rows, inputCount]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, ["input"], [input], ["output"]);
        OrtValue result = results[0];
        Assert.Equal([rows, outputCount], result.GetTensorTypeAndShape().Shape);
        return result.GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>The network's default initialisation, then biases drawn from [-0.5, 0.5] so that they matter.</summary>
    private static void Randomize<T>(INetwork<T> network, int seed)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        network.InitializeParameters(seed);
        var random = new Random(seed);
        foreach (LayerTopology layer in NetworkTopology.Of(network).Layers.Where(l => l.HasBias))
        {
            for (int i = 0; i < layer.Units; i++)
            {
                network.Parameters[layer.BiasOffset + i] = T.CreateTruncating(random.NextDouble() - 0.5);
            }
        }
    }

    private static float[] RandomInputs(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 6) - 3)).ToArray();
    }
}
