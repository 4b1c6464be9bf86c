using System;

namespace NetGen.Benchmarks.Comparison;

/// <summary>A network of the comparison: its NetGen type, its layer sizes and which layers have biases.</summary>
/// <param name="CreateFromOnnx">
/// The same network compiled by [OnnxNetwork] from Comparison/Onnx/net{Name}.onnx, the export of <see cref="NewNetGen"/>
/// (written by --write-onnx): its embedded parameters are the shared starting ones.
/// </param>
public sealed record NetworkCase(string Name, Func<INetwork<float>> CreateNetGen, Func<INetwork<float>> CreateFromOnnx, int[] Sizes, bool[] Bias)
{
    /// <summary>The seed of the parameters every implementation starts from (NetGen's default initialisation).</summary>
    public const int ParameterSeed = 42;

    /// <summary>The seed of the input and target samples.</summary>
    public const int SampleSeed = 7;

    public static readonly NetworkCase A = new("A", () => new NetA(), () => new OnnxNetA(), [2, 2, 1], [false, false]);
    public static readonly NetworkCase B = new("B", () => new NetB(), () => new OnnxNetB(), [4, 8, 3], [true, true]);
    public static readonly NetworkCase C = new("C", () => new NetC(), () => new OnnxNetC(), [64, 32, 10], [true, true]);
    public static readonly NetworkCase D = new("D", () => new NetD(), () => new OnnxNetD(), [784, 128, 10], [true, true]);

    public static readonly NetworkCase[] All = [A, B, C, D];

    public int InputCount => Sizes[0];

    public int OutputCount => Sizes[^1];

    /// <summary>A NetGen network of this case with the shared starting parameters.</summary>
    public INetwork<float> NewNetGen()
    {
        INetwork<float> network = CreateNetGen();
        network.InitializeParameters(ParameterSeed);
        return network;
    }

    public LoopsMlp NewLoops()
    {
        var mlp = new LoopsMlp(Sizes, Bias);
        NewNetGen().Parameters.CopyTo(mlp.Parameters);
        return mlp;
    }

    public TensorPrimitivesMlp NewTensorPrimitives()
    {
        var mlp = new TensorPrimitivesMlp(Sizes, Bias);
        NewNetGen().Parameters.CopyTo(mlp.Parameters);
        return mlp;
    }

    /// <summary>ONNX Runtime on the very file <see cref="CreateFromOnnx"/> was compiled from.</summary>
    public OnnxForward NewOnnx() => new(OnnxFile(), InputCount, OutputCount);

    /// <summary>The file's name: net{Name}.onnx.</summary>
    public string OnnxFileName => $"net{Name}.onnx";

    /// <summary>The committed export, embedded in this assembly as a resource (so that BenchmarkDotNet's build finds it).</summary>
    public byte[] OnnxFile()
    {
        using System.IO.Stream stream = typeof(NetworkCase).Assembly.GetManifestResourceStream("NetGen.Benchmarks.Onnx." + OnnxFileName)
            ?? throw new InvalidOperationException($"{OnnxFileName} is not embedded: run --write-onnx Comparison/Onnx first");
        using var memory = new System.IO.MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary><paramref name="count"/> samples of inputs in [-1, 1) and targets in [-1, 1), one after another.</summary>
    public (float[] Inputs, float[] Targets) Samples(int count)
    {
        var random = new DeterministicRandom(SampleSeed);
        var inputs = new float[count * InputCount];
        var targets = new float[count * OutputCount];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextDouble(-1, 1);
        }

        for (int i = 0; i < targets.Length; i++)
        {
            targets[i] = (float)random.NextDouble(-1, 1);
        }

        return (inputs, targets);
    }
}
