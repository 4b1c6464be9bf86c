using System.Collections.Generic;
using NetGen.Shared;

namespace NetGen.Generator.Weights;

/// <summary>
/// Matches the tensors of a PyTorch nn.Sequential state_dict (0.weight, 0.bias, 2.weight, ...) to a network's
/// layers by the rule the runtime's SafeTensors.Load follows too (src/Shared/SequentialStateDict.cs: names, module
/// order, dtypes, shapes and the messages), and lays their values out as the network's parameters.
/// </summary>
internal static class WeightsBinder
{
    /// <summary>The parameters, or throws <see cref="SafeTensorsFormatException"/> saying which tensor does not fit.</summary>
    public static double[] Bind(ParameterLayout layout, List<Tensor> tensors)
    {
        LayerParameters[] layers = layout.Layers;
        var shapes = new StateDictLayer[layers.Length];
        for (int i = 0; i < layers.Length; i++)
        {
            shapes[i] = new StateDictLayer(layers[i].Number, layers[i].Inputs, layers[i].Units, layers[i].Bias);
        }

        StateDictError? error = SequentialStateDict.Bind(tensors, shapes, out BoundLayer<Tensor>[] bound);
        if (error is not null)
        {
            throw new SafeTensorsFormatException(error.Message);
        }

        var parameters = new double[layout.ParameterCount];
        for (int i = 0; i < layers.Length; i++)
        {
            bound[i].Weight.Values.CopyTo(parameters, layers[i].WeightOffset);
            if (bound[i].Bias is { } bias)
            {
                bias.Values.CopyTo(parameters, layers[i].BiasOffset);
            }
        }

        return parameters;
    }
}
