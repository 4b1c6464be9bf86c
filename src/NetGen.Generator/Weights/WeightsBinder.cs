using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Weights;

/// <summary>
/// Matches the tensors of a PyTorch nn.Sequential state_dict (0.weight, 0.bias, 2.weight, ...) to a network's
/// layers, by the order of their module numbers and by shape, the same rules as the runtime's SafeTensors.Load,
/// and lays their values out as the network's parameters.
/// </summary>
internal static class WeightsBinder
{
    /// <summary>The parameters, or throws <see cref="SafeTensorsFormatException"/> saying which tensor does not fit.</summary>
    public static double[] Bind(NetworkPlan plan, List<Tensor> tensors)
    {
        var modules = new SortedDictionary<long, (Tensor? Weight, Tensor? Bias)>();
        foreach (Tensor tensor in tensors)
        {
            int dot = tensor.Name.IndexOf('.');
            string suffix = dot < 0 ? string.Empty : tensor.Name.Substring(dot + 1);
            if (dot <= 0
                || !long.TryParse(tensor.Name.Substring(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out long module)
                || suffix is not ("weight" or "bias"))
            {
                throw new SafeTensorsFormatException($"tensor '{tensor.Name}' is not named '<module>.weight' or '<module>.bias' as an nn.Sequential's state_dict names them");
            }

            modules.TryGetValue(module, out (Tensor? Weight, Tensor? Bias) entry);
            modules[module] = suffix == "weight" ? (tensor, entry.Bias) : (entry.Weight, tensor);
        }

        if (modules.Count != plan.Layers.Count)
        {
            throw new SafeTensorsFormatException($"the file holds {modules.Count} layers with parameters ({string.Join(", ", modules.Keys)}), but the network declares {plan.Layers.Count}");
        }

        var parameters = new double[plan.ParameterCount];
        int index = 0;
        foreach (KeyValuePair<long, (Tensor? Weight, Tensor? Bias)> module in modules)
        {
            var layer = (DenseLayerPlan)plan.Layers[index++];
            string name = module.Key.ToString(CultureInfo.InvariantCulture);
            Tensor weight = module.Value.Weight
                ?? throw new SafeTensorsFormatException($"tensor '{name}.weight' is missing: layer {layer.Number} needs weights of shape [{layer.Units}, {layer.Inputs}]");
            Expect(weight, layer.Units, layer.Inputs);
            weight.Values.CopyTo(parameters, layer.WeightOffset);

            if (layer.Bias)
            {
                Tensor bias = module.Value.Bias
                    ?? throw new SafeTensorsFormatException($"tensor '{name}.bias' is missing: layer {layer.Number} has biases, of shape [{layer.Units}]");
                Expect(bias, layer.Units);
                bias.Values.CopyTo(parameters, layer.BiasOffset);
            }
            else if (module.Value.Bias is { } extra)
            {
                throw new SafeTensorsFormatException($"tensor '{extra.Name}' is a bias, but layer {layer.Number} is declared with Bias = false");
            }
        }

        return parameters;
    }

    private static void Expect(Tensor tensor, params long[] shape)
    {
        if (!tensor.Shape.SequenceEqual(shape))
        {
            throw new SafeTensorsFormatException($"tensor '{tensor.Name}' has shape {tensor.ShapeText}, but the layer needs [{string.Join(", ", shape)}]");
        }
    }
}
