using System;

namespace NetGen.Benchmarks.Comparison;

/// <summary>A network of the comparison: its NetGen type, its layer sizes and which layers have biases.</summary>
/// <param name="CreateFromOnnx">
/// The same network compiled by [OnnxNetwork] from Comparison/Onnx/net{Name}.onnx, the export of <see cref="NewNetGen"/>
/// (written by --write-onnx): its embedded parameters are the shared starting ones. Null for the Dense NxN networks,
/// which have no committed file (ONNX Runtime runs an export made in memory for them).
/// </param>
public sealed record NetworkCase(string Name, Func<INetwork<float>> CreateNetGen, Func<INetwork<float>>? CreateFromOnnx, int[] Sizes, bool[] Bias)
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

    // Dense NxN: N inputs -> Dense(N, ReLU) -> Dense(N), biases on both layers (the square networks of the fresh-input
    // comparison with RTNeural, docs/benchmarks.md).
    public static readonly NetworkCase Dense4 = new("Dense4", () => new NetDense4(), null, [4, 4, 4], [true, true]);
    public static readonly NetworkCase Dense8 = new("Dense8", () => new NetDense8(), null, [8, 8, 8], [true, true]);
    public static readonly NetworkCase Dense16 = new("Dense16", () => new NetDense16(), null, [16, 16, 16], [true, true]);
    public static readonly NetworkCase Dense32 = new("Dense32", () => new NetDense32(), null, [32, 32, 32], [true, true]);
    public static readonly NetworkCase Dense64 = new("Dense64", () => new NetDense64(), null, [64, 64, 64], [true, true]);

    public static readonly NetworkCase[] DenseNxN = [Dense4, Dense8, Dense16, Dense32, Dense64];

    /// <summary>Every network: the Dense NxN ones, then A to D.</summary>
    public static readonly NetworkCase[] Every = [.. DenseNxN, .. All];

    /// <summary>The most samples a fresh-input buffer holds: 2^18, the length RTNeural's and most peers' runs use.</summary>
    public const int MaxFreshSamples = 1 << 18;

    /// <summary>The most bytes a fresh-input buffer (inputs and targets) may take: 16 MiB.</summary>
    public const int MaxFreshBytes = 16 << 20;

    public int InputCount => Sizes[0];

    public int OutputCount => Sizes[^1];

    /// <summary>
    /// How many samples the fresh-input buffer of this network holds: the largest power of two up to
    /// <see cref="MaxFreshSamples"/> whose inputs and targets fit in <see cref="MaxFreshBytes"/> (A, B, Dense4 and
    /// Dense8: 262,144; Dense16: 131,072; Dense32: 65,536; C and Dense64: 32,768; D: 4,096). A power of two, and a
    /// multiple of the batch of 32, so that the position wraps with a mask and a batch never straddles the end.
    /// </summary>
    /// <remarks>
    /// The sequence must repeat only after far more data-dependent branches than a branch predictor can hold (its
    /// tables hold some tens of thousands of entries, its global history a few thousand branches): every hidden
    /// unit's ReLU is one such decision a sample, and TrainStep's skipped rows another, so even D's 4,096 samples are
    /// 524,288 decisions (4,096 x 128) before the sequence comes round again, and the smaller networks more (A:
    /// 2^18 x 2, C: 32,768 x 32, Dense64: 32,768 x 64). The bound on memory keeps D's buffer at 13 MB rather than the
    /// 800 MB of 2^18 samples; the buffer is read in order, so the hardware prefetcher streams it from the caches
    /// or memory as it would stream any application's data.
    /// </remarks>
    public int FreshSampleCount
    {
        get
        {
            int count = MaxFreshSamples;
            while ((long)count * (InputCount + OutputCount) * sizeof(float) > MaxFreshBytes)
            {
                count /= 2;
            }

            return count;
        }
    }

    /// <summary>The fresh-input buffer: <see cref="FreshSampleCount"/> samples, the first being <see cref="Samples"/>(1).</summary>
    public (float[] Inputs, float[] Targets) FreshSamples() => Samples(FreshSampleCount);

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

    /// <summary>
    /// ONNX Runtime on the very file <see cref="CreateFromOnnx"/> was compiled from, or for a network without a
    /// committed file on its export made here (the same exporter, the same parameters).
    /// </summary>
    public OnnxForward NewOnnx() => CreateFromOnnx is null ? new(NewNetGen()) : new(OnnxFile(), InputCount, OutputCount);

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
