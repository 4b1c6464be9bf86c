namespace NetGen.Shared;

// Compiled into NetGen.Runtime (net8.0) and NetGen.Generator (netstandard2.0): plain C#, no dependencies.

/// <summary>
/// Where a Dense layer's parameters sit in a network's parameter array, the one rule that the generator (planner,
/// embedded weights), the runtime (NetworkTopology, and through it SafeTensors, ModelFile and the ONNX exporter) share:
/// the layers one after another in declaration order, the first at 0; within a layer, its weights row-major
/// <c>[unit][input]</c> (the layout of PyTorch's <c>nn.Linear.weight</c>, shape <c>[units, inputs]</c>), then its
/// biases <c>[units]</c> if it has them. A layer's inputs (fan-in) are the network's inputs for the first layer and
/// the units of the layer before for the others.
/// </summary>
/// <remarks>
/// Counts and offsets are <see cref="long"/>, so that a caller can add them up and compare with its own limit
/// (Array.MaxLength, NetworkLimits) before narrowing to <see cref="int"/>; nothing here checks or throws.
/// </remarks>
internal static class DenseLayout
{
    /// <summary>A layer's weights: <paramref name="units"/> rows of <paramref name="inputs"/>.</summary>
    public static long WeightCount(int inputs, int units) => (long)inputs * units;

    /// <summary>A layer's biases: one per unit when it has them, else none.</summary>
    public static int BiasCount(int units, bool bias) => bias ? units : 0;

    /// <summary>A layer's parameters: its weights, then its biases.</summary>
    public static long ParameterCount(int inputs, int units, bool bias) => WeightCount(inputs, units) + BiasCount(units, bias);

    /// <summary>
    /// The offset of a layer's first bias, right after its weights; for a layer without biases, where the next
    /// layer starts.
    /// </summary>
    public static long BiasOffset(long weightOffset, int inputs, int units) => weightOffset + WeightCount(inputs, units);

    /// <summary>The layout of a layer whose weights start at <paramref name="weightOffset"/>.</summary>
    public static DenseLayerLayout Layer(long weightOffset, int inputs, int units, bool bias) => new(weightOffset, inputs, units, bias);

    /// <summary>The layout of a network's first layer, which starts at 0 and takes the network's inputs.</summary>
    public static DenseLayerLayout First(int inputs, int units, bool bias) => new(0, inputs, units, bias);
}

/// <summary>
/// One layer's place in the parameter array (see <see cref="DenseLayout"/>). Walk a network with
/// <see cref="DenseLayout.First"/> and <see cref="Next"/>; <see cref="End"/> of the last layer is the network's
/// parameter count.
/// </summary>
internal readonly struct DenseLayerLayout
{
    public DenseLayerLayout(long weightOffset, int inputs, int units, bool hasBias)
    {
        WeightOffset = weightOffset;
        Inputs = inputs;
        Units = units;
        HasBias = hasBias;
    }

    /// <summary>The layer's inputs (fan-in): the length of each weight row.</summary>
    public int Inputs { get; }

    /// <summary>The layer's units (fan-out): the number of weight rows, and of biases if it has them.</summary>
    public int Units { get; }

    public bool HasBias { get; }

    /// <summary>The offset of the layer's first weight, which is also where the layer starts.</summary>
    public long WeightOffset { get; }

    public long WeightCount => DenseLayout.WeightCount(Inputs, Units);

    /// <summary>The offset of the layer's first bias, right after its weights (meaningful only when <see cref="HasBias"/>).</summary>
    public long BiasOffset => DenseLayout.BiasOffset(WeightOffset, Inputs, Units);

    public int BiasCount => DenseLayout.BiasCount(Units, HasBias);

    public long ParameterCount => DenseLayout.ParameterCount(Inputs, Units, HasBias);

    /// <summary>The offset just past the layer's last parameter: where the next layer starts.</summary>
    public long End => WeightOffset + ParameterCount;

    /// <summary>The layout of the layer after this one: it starts at <see cref="End"/> and takes this layer's units as inputs.</summary>
    public DenseLayerLayout Next(int units, bool bias) => new(End, Units, units, bias);
}
