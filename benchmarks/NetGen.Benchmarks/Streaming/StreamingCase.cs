using System;

namespace NetGen.Benchmarks.Streaming;

/// <summary>
/// A streaming model of the peer benchmark: its NetGen type, its recurrent layers (all of one kind, stacked as one
/// PyTorch module with num_layers) and the Dense 1 after them. One input, one output.
/// </summary>
public sealed record StreamingCase(string Name, string Kind, int[] Units, Func<ISequenceNetwork<float>> CreateNetGen)
{
    /// <summary>The seed of the weights every implementation starts from (NetGen's default initialisation).</summary>
    public const int ParameterSeed = 42;

    /// <summary>The seed of the agreement check's input sequence.</summary>
    public const int SequenceSeed = 7;

    /// <summary>The seed of the timing buffer.</summary>
    public const int TimingSeed = 11;

    /// <summary>The steps of the agreement check, from a zero state.</summary>
    public const int SequenceLength = 4096;

    public static readonly StreamingCase Gru8 = new("gru8", "gru", [8], () => new Gru8Net());
    public static readonly StreamingCase Lstm8 = new("lstm8", "lstm", [8], () => new Lstm8Net());
    public static readonly StreamingCase Gru32 = new("gru32", "gru", [32], () => new Gru32Net());
    public static readonly StreamingCase Gru16x3 = new("gru16x3", "gru", [16, 16, 16], () => new Gru16x3Net());

    public static readonly StreamingCase[] All = [Gru8, Lstm8, Gru32, Gru16x3];

    /// <summary>Rows per unit in weight_ih and weight_hh: 3 for a GRU (r, z, n), 4 for an LSTM (i, f, g, o).</summary>
    public int Gates => Kind == "gru" ? 3 : 4;

    /// <summary>A NetGen network of this case with the shared weights.</summary>
    public ISequenceNetwork<float> NewNetGen()
    {
        ISequenceNetwork<float> network = CreateNetGen();
        network.InitializeParameters(ParameterSeed);
        return network;
    }

    /// <summary><paramref name="count"/> inputs uniform in [-1, 1).</summary>
    public static float[] Inputs(int count, int seed)
    {
        var random = new DeterministicRandom(seed);
        var inputs = new float[count];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextDouble(-1, 1);
        }

        return inputs;
    }
}
