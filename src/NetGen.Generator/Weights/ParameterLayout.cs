using NetGen.Generator.Model;
using NetGen.Shared;

namespace NetGen.Generator.Weights;

/// <summary>What binding a weights file needs of one layer: its shape and where its parameters go.</summary>
/// <param name="Number">1-based, as the generator's diagnostics count layers (the order of the [Dense] attributes).</param>
/// <param name="Inputs">The layer's inputs (fan-in).</param>
/// <param name="Units">The layer's units.</param>
/// <param name="Bias">Whether the layer has biases.</param>
/// <param name="WeightOffset">The index of its first weight in the parameter array.</param>
/// <param name="BiasOffset">The index of its first bias, or -1 without biases (as the planner's LayerPlan has it).</param>
internal readonly record struct LayerParameters(int Number, int Inputs, int Units, bool Bias, int WeightOffset, int BiasOffset);

/// <summary>
/// The layers of a network in order and its parameter count: all that <see cref="WeightsBinder"/> needs, so that
/// binding does not depend on the planner (which decides how the code looks, not where parameters go).
/// </summary>
internal sealed class ParameterLayout
{
    public ParameterLayout(LayerParameters[] layers, int parameterCount)
    {
        Layers = layers;
        ParameterCount = parameterCount;
    }

    public LayerParameters[] Layers { get; }

    public int ParameterCount { get; }

    /// <summary>
    /// The layout of a parsed network by the shared rule (src/Shared/DenseLayout.cs): layer after layer, weights
    /// row-major [units, inputs], then biases [units]. Validation has refused networks over NetworkLimits.MaxParameters,
    /// so every offset fits an int.
    /// </summary>
    public static ParameterLayout Of(NetworkSpec spec)
    {
        var layers = new LayerParameters[spec.Layers.Count];
        long offset = 0;
        int inputs = spec.Inputs;
        for (int i = 0; i < layers.Length; i++)
        {
            var layer = (DenseLayerSpec)spec.Layers[i];
            DenseLayerLayout layout = DenseLayout.Layer(offset, inputs, layer.Units, layer.Bias);
            layers[i] = new LayerParameters(
                i + 1,
                inputs,
                layer.Units,
                layer.Bias,
                checked((int)layout.WeightOffset),
                layer.Bias ? checked((int)layout.BiasOffset) : -1);
            offset = layout.End;
            inputs = layer.Units;
        }

        return new ParameterLayout(layers, checked((int)offset));
    }
}
