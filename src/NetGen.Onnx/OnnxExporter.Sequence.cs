using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Numerics;
using Google.Protobuf;
using Onnx;

namespace NetGen.Onnx;

// The export of streaming models (a GRU, LSTM or Conv1D layer): the graph takes a whole sequence,
// [steps, batch, InputCount], and every value between the layers is [steps, batch, width].
public static partial class OnnxExporter
{
    /// <summary>
    /// The name of the symbolic first dimension of a streaming model's input and output, <c>[steps, batch, width]</c>:
    /// the number of time steps.
    /// </summary>
    public const string StepsDimension = "steps";

    /// <summary>PyTorch's GRU gates r, z, n as ONNX orders them, z, r, h: ONNX's block g is PyTorch's block GruGates[g].</summary>
    private static readonly int[] GruGates = [1, 0, 2];

    /// <summary>PyTorch's LSTM gates i, f, g, o as ONNX orders them, i, o, f, c: ONNX's block g is PyTorch's block LstmGates[g].</summary>
    private static readonly int[] LstmGates = [0, 3, 1, 2];

    /// <summary>Adds the nodes and initializers of one layer of a streaming model, from the value <paramref name="input"/> to <paramref name="output"/>.</summary>
    private static void SequenceLayer<T>(GraphProto graph, LayerTopology layer, string input, string output, ReadOnlySpan<T> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (layer.Kind)
        {
            case LayerKind.Gru or LayerKind.Lstm:
                Recurrent(graph, layer, input, output, parameters);
                break;
            case LayerKind.Conv1D:
                Convolution(graph, layer, input, output, parameters);
                break;
            default:
                DenseOverTime(graph, layer, input, output, parameters);
                break;
        }
    }

    /// <summary>
    /// A GRU or LSTM node over the whole sequence, from a zero state (no initial_h, initial_c), then a Squeeze of its
    /// num_directions axis: Y is [steps, 1, batch, units].
    /// </summary>
    /// <remarks>
    /// ONNX's W is [1, G * units, inputs], R [1, G * units, units], B [1, 2 * G * units] (W's biases, then R's), in
    /// ONNX's gate order, which is not PyTorch's: the rows of each gate are moved as blocks of units (GruGates,
    /// LstmGates). A GRU has linear_before_reset = 1, h = tanh(W_h x + b_Wh + r * (R_h h + b_Rh)), which is PyTorch's
    /// n = tanh(W_in x + b_in + r * (W_hn h + b_hn)); the default 0 would apply r before R_h. The activations are ONNX's
    /// defaults, PyTorch's: sigmoid for the gates, tanh for the candidate (and, LSTM, the cell output).
    /// </remarks>
    private static void Recurrent<T>(GraphProto graph, LayerTopology layer, string input, string output, ReadOnlySpan<T> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool gru = layer.Kind == LayerKind.Gru;
        int[] gates = gru ? GruGates : LstmGates;
        int units = layer.Units;
        int rows = gates.Length * units;
        string prefix = $"layer{layer.Index}";
        IReadOnlyList<ParameterTensor> tensors = layer.Tensors;

        string w = prefix + ".W", r = prefix + ".R", b = prefix + ".B";
        graph.Initializer.Add(Initializer<float>(w, [1, rows, layer.InputCount], Reordered(parameters, tensors[0], gates, units)));
        graph.Initializer.Add(Initializer<float>(r, [1, rows, units], Reordered(parameters, tensors[1], gates, units)));
        string[] inputs = [input, w, r];
        if (layer.HasBias)
        {
            float[] biases = [.. Reordered(parameters, tensors[2], gates, units), .. Reordered(parameters, tensors[3], gates, units)];
            graph.Initializer.Add(Initializer<float>(b, [1, 2 * rows], biases));
            inputs = [input, w, r, b];
        }

        string y = prefix + ".y";
        AttributeProto hidden = IntAttribute("hidden_size", units);
        graph.Node.Add(
            gru
                ? Node(prefix + ".gru", "GRU", inputs, y, hidden, IntAttribute("linear_before_reset", 1))
                : Node(prefix + ".lstm", "LSTM", inputs, y, hidden));

        string axes = prefix + ".axes";
        graph.Initializer.Add(Int64Initializer(axes, [1]));
        graph.Node.Add(Node(prefix + ".squeeze", "Squeeze", [y, axes], output));
    }

    /// <summary>
    /// A causal convolution over time: Transpose [steps, batch, inputs] to [batch, inputs, steps], Conv with pads
    /// [(kernel size - 1) * dilation, 0] (zeros before the first step, none after the last: each step's output sees
    /// that step and the ones before it) and the layer's dilation, then Transpose back to [steps, batch, channels].
    /// The weights are nn.Conv1d's, [channels, inputs, kernel size], as they are.
    /// </summary>
    private static void Convolution<T>(GraphProto graph, LayerTopology layer, string input, string output, ReadOnlySpan<T> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string prefix = $"layer{layer.Index}";
        string weight = SafeTensors.WeightName(layer.Index), bias = SafeTensors.BiasName(layer.Index);
        graph.Initializer.Add(Initializer(weight, [layer.Units, layer.InputCount, layer.KernelSize], parameters.Slice(layer.WeightOffset, layer.WeightCount)));
        string channels = prefix + ".channels", convolved = prefix + ".conv";
        string[] inputs = [channels, weight];
        if (layer.HasBias)
        {
            graph.Initializer.Add(Initializer(bias, [layer.Units], parameters.Slice(layer.BiasOffset, layer.Units)));
            inputs = [channels, weight, bias];
        }

        long reach = (long)(layer.KernelSize - 1) * layer.Dilation;
        graph.Node.Add(Node(prefix + ".to_channels", "Transpose", [input], channels, IntsAttribute("perm", 1, 2, 0)));
        AttributeProto[] attributes =
        [
            IntsAttribute("kernel_shape", layer.KernelSize),
            IntsAttribute("dilations", layer.Dilation),
            IntsAttribute("pads", reach, 0),
            IntsAttribute("strides", 1),
        ];
        graph.Node.Add(Node(prefix + ".conv", "Conv", inputs, convolved, attributes));
        graph.Node.Add(Node(prefix + ".to_steps", "Transpose", [convolved], output, IntsAttribute("perm", 2, 0, 1)));
    }

    /// <summary>
    /// A Dense layer applied at every step: MatMul by the transposed weight (a Transpose node of the initializer
    /// <c>{2 i}.weight</c>, [units, inputs] as nn.Linear has it), then Add the bias; Gemm takes only matrices.
    /// </summary>
    private static void DenseOverTime<T>(GraphProto graph, LayerTopology layer, string input, string output, ReadOnlySpan<T> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string prefix = $"layer{layer.Index}";
        string weight = SafeTensors.WeightName(layer.Index), bias = SafeTensors.BiasName(layer.Index);
        graph.Initializer.Add(Initializer(weight, [layer.Units, layer.InputCount], parameters.Slice(layer.WeightOffset, layer.WeightCount)));
        string transposed = prefix + ".weight_t", product = layer.HasBias ? prefix + ".matmul" : output;
        graph.Node.Add(Node(prefix + ".transpose", "Transpose", [weight], transposed, IntsAttribute("perm", 1, 0)));
        graph.Node.Add(Node(prefix + ".matmul", "MatMul", [input, transposed], product));
        if (layer.HasBias)
        {
            graph.Initializer.Add(Initializer(bias, [layer.Units], parameters.Slice(layer.BiasOffset, layer.Units)));
            graph.Node.Add(Node(prefix + ".add", "Add", [product, bias], output));
        }
    }

    /// <summary>
    /// A tensor of <paramref name="gates"/>.Length blocks of <paramref name="units"/> rows, as floats, with ONNX's
    /// block g taken from the tensor's block gates[g].
    /// </summary>
    private static float[] Reordered<T>(ReadOnlySpan<T> parameters, ParameterTensor tensor, int[] gates, int units)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> values = parameters.Slice(tensor.Offset, tensor.Length);
        int block = tensor.Length / gates.Length;
        var result = new float[tensor.Length];
        for (int g = 0; g < gates.Length; g++)
        {
            ReadOnlySpan<T> from = values.Slice(gates[g] * block, block);
            for (int i = 0; i < block; i++)
            {
                result[(g * block) + i] = float.CreateTruncating(from[i]);
            }
        }

        return result;
    }

    private static AttributeProto IntsAttribute(string name, params long[] values) =>
        new() { Name = name, Ints = { values }, Type = AttributeProto.Types.AttributeType.Ints };

    /// <summary>A one-dimensional int64 tensor (Squeeze's axes) with its values in raw_data, little-endian.</summary>
    private static TensorProto Int64Initializer(string name, long[] values)
    {
        var raw = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), values[i]);
        }

        return new TensorProto
        {
            Dims = { values.Length },
            DataType = (int)TensorProto.Types.DataType.Int64,
            Name = name,
            RawData = UnsafeByteOperations.UnsafeWrap(raw),
        };
    }
}
