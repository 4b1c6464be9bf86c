using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>Where the values of one vector of the network (its inputs, or one layer's outputs) live in generated code.</summary>
internal enum Storage
{
    /// <summary>One local per value: x0, a1_0, ... (straight-line code).</summary>
    Locals,

    /// <summary>A span: the caller's input, the caller's output, or a stackalloc'd buffer (loops).</summary>
    Span,
}

/// <summary>One layer, with its place in the parameter array and the form its code takes.</summary>
/// <param name="Number">1-based, as the generated comments count layers.</param>
internal sealed record LayerPlan(
    int Number,
    int Inputs,
    int Units,
    ActivationKind Activation,
    bool Bias,
    int WeightOffset,
    int BiasOffset,
    bool Unrolled)
{
    public int WeightCount => Inputs * Units;

    public int ParameterCount => WeightCount + (Bias ? Units : 0);
}

/// <summary>What the emitter writes: the layers in order and where each vector lives.</summary>
/// <param name="Storages">Index 0 is the input vector; index l is layer l's output.</param>
internal sealed record NetworkPlan(NetworkSpec Spec, LayerPlan[] Layers, Storage[] Storages, int ParameterCount)
{
    public LayerPlan Last => Layers[Layers.Length - 1];

    public int Outputs => Last.Units;
}
