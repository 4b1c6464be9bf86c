using NetGen;
using NetGen.Shared;

namespace NetGen.Tests.Runtime;

/// <summary>
/// src/Shared/DenseLayout.cs, the parameter layout the generator and the runtime share, against offsets worked out by
/// hand and against what the generated networks and NetworkTopology use.
/// </summary>
public class DenseLayoutTests
{
    [Fact]
    public void A_layer_is_its_weights_row_major_then_its_biases()
    {
        DenseLayerLayout layer = DenseLayout.Layer(weightOffset: 10, inputs: 3, units: 4, bias: true);

        Assert.Equal(10, layer.WeightOffset);
        Assert.Equal(12, layer.WeightCount);
        Assert.Equal(22, layer.BiasOffset);
        Assert.Equal(4, layer.BiasCount);
        Assert.Equal(16, layer.ParameterCount);
        Assert.Equal(26, layer.End);
    }

    [Fact]
    public void A_layer_without_biases_ends_after_its_weights()
    {
        DenseLayerLayout layer = DenseLayout.First(inputs: 3, units: 4, bias: false);

        Assert.Equal(0, layer.WeightOffset);
        Assert.Equal(0, layer.BiasCount);
        Assert.Equal(12, layer.ParameterCount);
        Assert.Equal(12, layer.BiasOffset);
        Assert.Equal(12, layer.End);
    }

    [Fact]
    public void Next_takes_the_units_as_inputs_and_starts_where_the_layer_ends()
    {
        // WiderFloatNet: 3 -> 5 LeakyReLU -> 2 Sigmoid, biases: 15 + 5, then 10 + 2 = 32 parameters.
        DenseLayerLayout first = DenseLayout.First(3, 5, bias: true);
        DenseLayerLayout second = first.Next(2, bias: true);

        Assert.Equal(5, second.Inputs);
        Assert.Equal(20, second.WeightOffset);
        Assert.Equal(30, second.BiasOffset);
        Assert.Equal(32, second.End);
        Assert.Equal(WiderFloatNetParameters(), second.End);
    }

    [Fact]
    public void NetworkTopology_lays_out_the_layers_by_the_same_rule()
    {
        NetworkTopology topology = NetworkTopology.Parse("float 3 | 4 Tanh nobias | 6 ReLU | 2 Identity nobias | MeanSquaredError");
        DenseLayerLayout layout = DenseLayout.First(3, 4, bias: false);
        foreach (LayerTopology layer in topology.Layers)
        {
            Assert.Equal(layout.WeightOffset, layer.WeightOffset);
            Assert.Equal(layout.WeightCount, layer.WeightCount);
            Assert.Equal(layout.BiasOffset, layer.BiasOffset);
            Assert.Equal(layout.ParameterCount, layer.ParameterCount);
            if (layer.Index + 1 < topology.Layers.Count)
            {
                LayerTopology next = topology.Layers[layer.Index + 1];
                layout = layout.Next(next.Units, next.HasBias);
            }
        }

        Assert.Equal(layout.End, topology.ParameterCount);
    }

    [Fact]
    public void Counts_past_int_do_not_overflow()
    {
        // The generator's largest layer shapes multiply past 2^31; callers compare with their limits in long.
        DenseLayerLayout layer = DenseLayout.First(1_048_576, 16_384, bias: true);

        Assert.Equal(17_179_869_184L, layer.WeightCount);
        Assert.Equal(17_179_869_184L + 16_384, layer.End);
    }

    private static long WiderFloatNetParameters() => new Persistence.WiderFloatNet().Parameters.Length;
}
