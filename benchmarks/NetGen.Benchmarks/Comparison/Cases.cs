using System;

namespace NetGen.Benchmarks.Comparison;

/// <summary>A network of the comparison: its NetGen type, its layer sizes and which layers have biases.</summary>
public sealed record NetworkCase(string Name, Func<INetwork<float>> CreateNetGen, int[] Sizes, bool[] Bias)
{
    /// <summary>The seed of the parameters every implementation starts from (NetGen's default initialisation).</summary>
    public const int ParameterSeed = 42;

    /// <summary>The seed of the input and target samples.</summary>
    public const int SampleSeed = 7;

    public static readonly NetworkCase A = new("A", () => new NetA(), [2, 2, 1], [false, false]);
    public static readonly NetworkCase B = new("B", () => new NetB(), [4, 8, 3], [true, true]);
    public static readonly NetworkCase C = new("C", () => new NetC(), [64, 32, 10], [true, true]);
    public static readonly NetworkCase D = new("D", () => new NetD(), [784, 128, 10], [true, true]);

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

    public OnnxForward NewOnnx() => new(NewNetGen());

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
