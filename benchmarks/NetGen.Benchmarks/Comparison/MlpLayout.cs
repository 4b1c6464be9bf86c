namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// The layout the two general-purpose baselines share: one parameter array in NetGen's order (per layer: weights
/// row-major [unit][input], then biases), its offsets, and one activation and one slope buffer per layer.
/// </summary>
internal sealed class MlpLayout
{
    public MlpLayout(int[] sizes, bool[] bias)
    {
        Sizes = sizes;
        Bias = bias;
        int layers = sizes.Length - 1;
        WeightOffset = new int[layers];
        BiasOffset = new int[layers];
        Activations = new float[layers][];
        Slopes = new float[layers][];
        int offset = 0;
        for (int l = 0; l < layers; l++)
        {
            WeightOffset[l] = offset;
            offset += sizes[l] * sizes[l + 1];
            BiasOffset[l] = offset;
            offset += bias[l] ? sizes[l + 1] : 0;
            Activations[l] = new float[sizes[l + 1]];
            Slopes[l] = new float[sizes[l + 1]];
        }

        Parameters = new float[offset];
    }

    public int[] Sizes { get; }

    public bool[] Bias { get; }

    public int[] WeightOffset { get; }

    public int[] BiasOffset { get; }

    public float[] Parameters { get; }

    public float[][] Activations { get; }

    public float[][] Slopes { get; }
}
