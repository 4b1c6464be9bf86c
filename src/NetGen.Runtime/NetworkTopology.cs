using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Text;
using NetGen.Shared;

namespace NetGen;

/// <summary>
/// The layer structure of a network, read from its <see cref="INetwork{T}.Topology"/> text, so that code which only
/// holds an <see cref="INetwork{T}"/> (persistence, interop, tooling) can learn the layers at run time without
/// reflection: element type, inputs, each layer's kind, units, activation and bias, where each of its tensors sits in
/// <see cref="INetwork{T}.Parameters"/>, and the loss.
/// </summary>
/// <remarks>
/// <para>
/// The text has the form <c>"&lt;float|double&gt; &lt;inputs&gt; | &lt;layer&gt; | ... | &lt;Loss&gt;"</c>, each layer one of
/// </para>
/// <list type="bullet">
/// <item><description><c>&lt;units&gt; &lt;Activation&gt;[ nobias]</c>: a Dense layer, such as <c>"8 ReLU"</c>;</description></item>
/// <item><description><c>&lt;units&gt; GRU[ nobias]</c> and <c>&lt;units&gt; LSTM[ nobias]</c>: a recurrent layer, such as <c>"8 GRU"</c>;</description></item>
/// <item><description>
/// <c>&lt;channels&gt; CONV1D k&lt;kernel size&gt;[ d&lt;dilation&gt;] &lt;Activation&gt;[ nobias]</c>: a causal convolution over
/// time, such as <c>"3 CONV1D k3 d2 Tanh"</c>, the dilation written only when it is not 1;
/// </description></item>
/// </list>
/// <para>
/// for example <c>"float 2 | 2 ReLU nobias | 1 Identity nobias | MeanSquaredError"</c> or
/// <c>"float 1 | 8 GRU | 3 CONV1D k3 d2 Tanh | 1 Identity | MeanSquaredError"</c>: fields are separated by exactly one
/// space, sections by <c>" | "</c>, numbers are positive decimal integers without sign or leading zeros, and the
/// activation and loss are the names of <see cref="NetGen.Activation"/> and <see cref="NetGen.LossFunction"/> members.
/// Only the text the generator writes is accepted, so <see cref="ToString"/> gives it back exactly.
/// </para>
/// <para>
/// The parameter layout is the one every generated network has: layer by layer, each layer's tensors in the layout
/// and order of its PyTorch module (<see cref="LayerTopology.Tensors"/>), its weights before its biases. This type
/// describes a topology; it does not enforce the generator's rules about which activation may go with which loss.
/// </para>
/// </remarks>
public sealed class NetworkTopology
{
    private readonly string _text;

    private NetworkTopology(string text, Type elementType, int inputCount, LayerTopology[] layers, LossFunction loss, int parameterCount)
    {
        _text = text;
        ElementType = elementType;
        InputCount = inputCount;
        Layers = Array.AsReadOnly(layers);
        Loss = loss;
        ParameterCount = parameterCount;
        IsStreaming = Array.Exists(layers, layer => layer.Kind != LayerKind.Dense);
    }

    /// <summary>The element type: <c>typeof(float)</c> or <c>typeof(double)</c>.</summary>
    public Type ElementType { get; }

    /// <summary>The number of inputs.</summary>
    public int InputCount { get; }

    /// <summary>The number of outputs: the units of the last layer.</summary>
    public int OutputCount => Layers[^1].Units;

    /// <summary>The layers, first to last; there is at least one.</summary>
    public IReadOnlyList<LayerTopology> Layers { get; }

    /// <summary>
    /// Whether the network is a streaming model (<see cref="ISequenceNetwork{T}"/>): it has a GRU, LSTM or Conv1D
    /// layer, so one <see cref="INetwork{T}.Forward"/> call is one time step.
    /// </summary>
    public bool IsStreaming { get; }

    /// <summary>The loss the network trains with.</summary>
    public LossFunction Loss { get; }

    /// <summary>The number of parameters: the length of <see cref="INetwork{T}.Parameters"/>.</summary>
    public int ParameterCount { get; }

    /// <summary>Parses a topology text.</summary>
    /// <param name="text">A topology text, such as <c>"float 2 | 2 ReLU nobias | 1 Identity nobias | MeanSquaredError"</c>.</param>
    /// <returns>The topology.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> is not a topology text; the message says what is wrong.</exception>
    public static NetworkTopology Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? error = TryParseCore(text, out NetworkTopology? topology);
        return error is null ? topology! : throw new FormatException($"\"{text}\" is not a network topology: {error}");
    }

    /// <summary>Parses a topology text, without throwing.</summary>
    /// <param name="text">A topology text, or <see langword="null"/>.</param>
    /// <param name="topology">The topology, when the text is one; otherwise <see langword="null"/>.</param>
    /// <returns>Whether <paramref name="text"/> is a topology text.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out NetworkTopology? topology)
    {
        topology = null;
        return text is not null && TryParseCore(text, out topology) is null;
    }

    /// <summary>
    /// The topology of <paramref name="network"/>, checked against the network itself: its element type must be
    /// <typeparamref name="T"/>, and its input, output and parameter counts must match.
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="network">The network.</param>
    /// <returns>The topology.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The network's <see cref="INetwork{T}.Topology"/> is not a topology text, or does not agree with the network.
    /// </exception>
    public static NetworkTopology Of<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        string? text = network.Topology;
        NetworkTopology? parsed = null;
        string? error = text is null ? "it is null" : TryParseCore(text, out parsed) ?? Disagreement(network, parsed!);
        if (error is not null)
        {
            throw new ArgumentException($"The network's topology \"{text}\" cannot be used: {error}.", nameof(network));
        }

        return parsed!;
    }

    /// <summary>The topology text, exactly as parsed: <c>"float 2 | 2 ReLU nobias | 1 Identity nobias | MeanSquaredError"</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => _text;

    private static string? Disagreement<T>(INetwork<T> network, NetworkTopology topology)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (topology.ElementType != typeof(T))
        {
            return $"it describes a network of {TypeName(topology.ElementType)}, but the network's element type is {typeof(T).Name}";
        }

        if (topology.InputCount != network.InputCount || topology.OutputCount != network.OutputCount)
        {
            return $"it describes {topology.InputCount} inputs and {topology.OutputCount} outputs, but the network has {network.InputCount} and {network.OutputCount}";
        }

        int actual = network.Parameters.Length;
        return topology.ParameterCount == actual
            ? null
            : $"it describes {topology.ParameterCount} parameters, but the network has {actual}";
    }

    private static string TypeName(Type type) => type == typeof(float) ? "float" : "double";

    /// <summary>Parses <paramref name="text"/>; returns <see langword="null"/> on success, else what is wrong.</summary>
    private static string? TryParseCore(string text, out NetworkTopology? topology)
    {
        topology = null;
        string[] sections = text.Split(" | ");
        if (sections.Length < 3)
        {
            return "it needs the element type and inputs, at least one layer and the loss, separated by \" | \"";
        }

        string[] head = sections[0].Split(' ');
        if (head.Length != 2)
        {
            return $"the first section \"{sections[0]}\" must be the element type and the number of inputs, such as \"float 2\"";
        }

        Type? elementType = head[0] switch
        {
            "float" => typeof(float),
            "double" => typeof(double),
            _ => null,
        };
        if (elementType is null)
        {
            return $"the element type \"{head[0]}\" is neither \"float\" nor \"double\"";
        }

        if (!TryParsePositive(head[1], out int inputs))
        {
            return $"the number of inputs \"{head[1]}\" is not a positive integer";
        }

        var layers = new LayerTopology[sections.Length - 2];
        long offset = 0;
        int layerInputs = inputs;
        for (int i = 0; i < layers.Length; i++)
        {
            string section = sections[i + 1];
            string[] fields = section.Split(' ');
            if (fields.Length >= 2 && fields[1] is "GRU" or "LSTM" or "CONV1D")
            {
                string? streamingError = TryParseStreamingLayer(i, section, fields, offset, layerInputs, out LayerTopology? streaming);
                if (streamingError is not null)
                {
                    return streamingError;
                }

                layers[i] = streaming!;
                offset = streaming!.WeightOffset + (long)streaming.ParameterCount;
                layerInputs = streaming.Units;
                continue;
            }

            bool bias = fields.Length == 2;
            if (fields.Length is not (2 or 3) || (fields.Length == 3 && fields[2] != "nobias"))
            {
                return $"layer {i} \"{section}\" must be the units and the activation, optionally followed by \"nobias\", such as \"8 ReLU\"";
            }

            if (!TryParsePositive(fields[0], out int units))
            {
                return $"the units \"{fields[0]}\" of layer {i} are not a positive integer";
            }

            if (!TryParseActivation(fields[1], out Activation activation))
            {
                return $"the activation \"{fields[1]}\" of layer {i} is not one of {string.Join(", ", Enum.GetNames<Activation>())}";
            }

            DenseLayerLayout layout = DenseLayout.Layer(offset, layerInputs, units, bias);
            if (layout.End > Array.MaxLength)
            {
                return "its parameters do not fit in one array";
            }

            layers[i] = new LayerTopology(i, layout, activation);
            offset = layout.End;
            layerInputs = units;
        }

        if (!TryParseLoss(sections[^1], out LossFunction loss))
        {
            return $"the loss \"{sections[^1]}\" is not one of MeanSquaredError, CrossEntropy, BinaryCrossEntropy";
        }

        topology = new NetworkTopology(text, elementType, inputs, layers, loss, (int)offset);
        return null;
    }

    /// <summary>
    /// Parses a GRU, LSTM or CONV1D section (<paramref name="fields"/>[1] is one of them) whose parameters start at
    /// <paramref name="offset"/>; returns <see langword="null"/> on success, else what is wrong.
    /// </summary>
    private static string? TryParseStreamingLayer(int index, string section, string[] fields, long offset, int inputs, out LayerTopology? layer)
    {
        layer = null;
        bool convolution = fields[1] == "CONV1D";
        if (!TryParsePositive(fields[0], out int units))
        {
            return $"the {(convolution ? "channels" : "units")} \"{fields[0]}\" of layer {index} are not a positive integer";
        }

        if (!convolution)
        {
            if (fields.Length is not (2 or 3) || (fields.Length == 3 && fields[2] != "nobias"))
            {
                return $"layer {index} \"{section}\" must be the units and {fields[1]}, optionally followed by \"nobias\", such as \"8 {fields[1]}\"";
            }

            LayerKind kind = fields[1] == "GRU" ? LayerKind.Gru : LayerKind.Lstm;
            return LayerTopology.TryCreate(index, kind, offset, inputs, units, Activation.Identity, fields.Length == 2, 0, 0, out layer)
                ? null
                : "its parameters do not fit in one array";
        }

        // <channels> CONV1D k<kernel>[ d<dilation>] <Activation>[ nobias]: 4 to 6 fields.
        string shape = $"layer {index} \"{section}\" must be the channels, CONV1D, k and the kernel size, d and the dilation unless it is 1, the activation, optionally \"nobias\", such as \"8 CONV1D k3 d2 Tanh\"";
        int next = 2;
        int kernel = 0;
        if (fields.Length < 4 || !fields[next].StartsWith('k') || !TryParsePositive(fields[next][1..], out kernel))
        {
            return shape;
        }

        next++;
        int dilation = 1;
        if (fields[next].StartsWith('d'))
        {
            if (!TryParsePositive(fields[next][1..], out dilation) || dilation == 1)
            {
                return shape;
            }

            next++;
        }

        if (next >= fields.Length)
        {
            return shape;
        }

        if (!TryParseActivation(fields[next], out Activation activation))
        {
            return $"the activation \"{fields[next]}\" of layer {index} is not one of {string.Join(", ", Enum.GetNames<Activation>())}";
        }

        next++;
        bool bias = next == fields.Length;
        if (!bias && (next != fields.Length - 1 || fields[next] != "nobias"))
        {
            return shape;
        }

        return LayerTopology.TryCreate(index, LayerKind.Conv1D, offset, inputs, units, activation, bias, kernel, dilation, out layer)
            ? null
            : "its parameters do not fit in one array";
    }

    /// <summary>A positive decimal integer as the generator writes it: ASCII digits, no sign, no leading zero.</summary>
    private static bool TryParsePositive(string text, out int value)
    {
        value = 0;
        if (text.Length == 0 || text[0] is < '1' or > '9')
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    // Exact, case-sensitive names, each member of the enum as the generator writes it: Enum.TryParse would also take
    // numbers, other cases and comma lists.
    private static bool TryParseActivation(string text, out Activation activation)
    {
        foreach (Activation value in Enum.GetValues<Activation>())
        {
            if (string.Equals(text, value.ToString(), StringComparison.Ordinal))
            {
                activation = value;
                return true;
            }
        }

        activation = default;
        return false;
    }

    private static bool TryParseLoss(string text, out LossFunction loss)
    {
        (bool ok, loss) = text switch
        {
            nameof(LossFunction.MeanSquaredError) => (true, LossFunction.MeanSquaredError),
            nameof(LossFunction.CrossEntropy) => (true, LossFunction.CrossEntropy),
            nameof(LossFunction.BinaryCrossEntropy) => (true, LossFunction.BinaryCrossEntropy),
            _ => (false, default),
        };
        return ok;
    }
}

/// <summary>What a layer of a <see cref="NetworkTopology"/> is: the PyTorch module it computes as.</summary>
public enum LayerKind
{
    /// <summary>A dense layer (<c>[Dense]</c>, PyTorch's <c>nn.Linear</c> and its activation).</summary>
    Dense,

    /// <summary>A gated recurrent unit layer (<c>[Gru]</c>, PyTorch's one-layer <c>nn.GRU</c>).</summary>
    Gru,

    /// <summary>A long short-term memory layer (<c>[Lstm]</c>, PyTorch's one-layer <c>nn.LSTM</c>).</summary>
    Lstm,

    /// <summary>A causal convolution over time (<c>[Conv1D]</c>, PyTorch's <c>nn.Conv1d</c> on the left-padded sequence, and its activation).</summary>
    Conv1D,
}

/// <summary>One layer of a <see cref="NetworkTopology"/>, and where its parameters sit.</summary>
/// <remarks>
/// Every layer keeps its weights first and its biases after them, each tensor row-major in the layout of its PyTorch
/// module (<see cref="Tensors"/>): Dense <c>weight [units, inputs]</c>, <c>bias [units]</c>; GRU and LSTM
/// <c>weight_ih_l0 [G * units, inputs]</c>, <c>weight_hh_l0 [G * units, units]</c>, <c>bias_ih_l0 [G * units]</c>,
/// <c>bias_hh_l0 [G * units]</c> with G = 3 gates for a GRU (r, z, n) and 4 for an LSTM (i, f, g, o); Conv1D
/// <c>weight [channels, inputs, kernel size]</c>, <c>bias [channels]</c>.
/// </remarks>
public sealed class LayerTopology
{
    /// <param name="index">The layer's position.</param>
    /// <param name="layout">Its place in the parameters, which ends at most at Array.MaxLength (so every count fits an int).</param>
    /// <param name="activation">Its activation.</param>
    internal LayerTopology(int index, DenseLayerLayout layout, Activation activation)
        : this(index, LayerKind.Dense, (int)layout.WeightOffset, layout.Inputs, layout.Units, activation, layout.HasBias, 0, 0, (int)layout.WeightCount, layout.BiasCount)
    {
    }

    private LayerTopology(int index, LayerKind kind, int offset, int inputs, int units, Activation activation, bool bias, int kernelSize, int dilation, int weightCount, int biasCount)
    {
        Index = index;
        Kind = kind;
        WeightOffset = offset;
        InputCount = inputs;
        Units = units;
        Activation = activation;
        HasBias = bias;
        KernelSize = kernelSize;
        Dilation = dilation;
        WeightCount = weightCount;
        BiasCount = biasCount;
        Tensors = Array.AsReadOnly(CreateTensors());
    }

    /// <summary>The layer's position, 0 for the first.</summary>
    public int Index { get; }

    /// <summary>What the layer is: Dense, GRU, LSTM or Conv1D.</summary>
    public LayerKind Kind { get; }

    /// <summary>The layer's inputs (a convolution's input channels): the network's inputs for the first layer, else the outputs of the layer before.</summary>
    public int InputCount { get; }

    /// <summary>The layer's outputs: a Dense layer's units, a recurrent layer's hidden values, a convolution's output channels.</summary>
    public int Units { get; }

    /// <summary>
    /// The activation applied to the layer's outputs; <see cref="Activation.Identity"/> for a GRU or LSTM layer, whose
    /// outputs are its hidden values (its gates' sigmoid and tanh are part of the cell).
    /// </summary>
    public Activation Activation { get; }

    /// <summary>Whether the layer has biases.</summary>
    public bool HasBias { get; }

    /// <summary>A Conv1D layer's number of taps; 0 for the other kinds.</summary>
    public int KernelSize { get; }

    /// <summary>A Conv1D layer's spacing of the taps, in time steps (1 or more); 0 for the other kinds.</summary>
    public int Dilation { get; }

    /// <summary>The index in <see cref="INetwork{T}.Parameters"/> of the layer's first weight, which is also where the layer starts.</summary>
    public int WeightOffset { get; }

    /// <summary>
    /// The number of weights, all the layer's tensors but its biases: <see cref="Units"/> × <see cref="InputCount"/>
    /// for a Dense layer (row-major <c>[unit][input]</c>), G × units × (inputs + units) for a recurrent one,
    /// channels × inputs × kernel size for a convolution.
    /// </summary>
    public int WeightCount { get; }

    /// <summary>
    /// The index in <see cref="INetwork{T}.Parameters"/> of the layer's first bias, right after its weights;
    /// meaningful only when <see cref="HasBias"/>.
    /// </summary>
    public int BiasOffset => WeightOffset + WeightCount;

    /// <summary>The number of biases: 0 without them, else <see cref="Units"/> (Dense, Conv1D) or 2 × G × units (GRU, LSTM: bias_ih and bias_hh).</summary>
    public int BiasCount { get; }

    /// <summary>The number of the layer's parameters: weights, plus biases if it has them.</summary>
    public int ParameterCount => WeightCount + BiasCount;

    /// <summary>
    /// The layer's tensors in the order they sit in <see cref="INetwork{T}.Parameters"/>, each named as in the
    /// <c>state_dict</c> of its PyTorch module (<c>weight</c>, <c>bias</c>; <c>weight_ih_l0</c>, <c>weight_hh_l0</c>,
    /// <c>bias_ih_l0</c>, <c>bias_hh_l0</c>), with its shape and offset; biases only when <see cref="HasBias"/>.
    /// </summary>
    public IReadOnlyList<ParameterTensor> Tensors { get; }

    /// <summary>
    /// The layer's section of the topology text, such as <c>"8 ReLU"</c>, <c>"1 Identity nobias"</c>, <c>"8 GRU"</c> or
    /// <c>"3 CONV1D k3 d2 Tanh nobias"</c>.
    /// </summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Units.ToString(CultureInfo.InvariantCulture));
        switch (Kind)
        {
            case LayerKind.Gru:
                text.Append(" GRU");
                break;
            case LayerKind.Lstm:
                text.Append(" LSTM");
                break;
            case LayerKind.Conv1D:
                text.Append(" CONV1D k").Append(KernelSize.ToString(CultureInfo.InvariantCulture));
                if (Dilation != 1)
                {
                    text.Append(" d").Append(Dilation.ToString(CultureInfo.InvariantCulture));
                }

                text.Append(' ').Append(Activation.ToString());
                break;
            default:
                text.Append(' ').Append(Activation.ToString());
                break;
        }

        return (HasBias ? text : text.Append(" nobias")).ToString();
    }

    /// <summary>
    /// A GRU, LSTM or Conv1D layer whose parameters start at <paramref name="offset"/>; false when they would end
    /// past Array.MaxLength.
    /// </summary>
    internal static bool TryCreate(
        int index, LayerKind kind, long offset, int inputs, int units, Activation activation, bool bias, int kernelSize, int dilation, out LayerTopology? layer)
    {
        layer = null;
        int gates = kind == LayerKind.Gru ? 3 : 4;

        // Int128: G * units * (inputs + units) and channels * inputs * kernel size can pass 2^63 from int operands.
        Int128 weights = kind == LayerKind.Conv1D
            ? (Int128)units * inputs * kernelSize
            : (Int128)gates * units * ((Int128)inputs + units);
        Int128 biases = !bias ? 0 : kind == LayerKind.Conv1D ? units : (Int128)2 * gates * units;
        if (offset + weights + biases > Array.MaxLength)
        {
            return false;
        }

        layer = new LayerTopology(index, kind, (int)offset, inputs, units, activation, bias, kernelSize, dilation, (int)weights, (int)biases);
        return true;
    }

    private ParameterTensor[] CreateTensors()
    {
        int offset = WeightOffset;
        var tensors = new List<ParameterTensor>(4);
        void Add(string name, params int[] shape)
        {
            var tensor = new ParameterTensor(name, offset, shape);
            tensors.Add(tensor);
            offset += tensor.Length;
        }

        switch (Kind)
        {
            case LayerKind.Gru or LayerKind.Lstm:
                int rows = (Kind == LayerKind.Gru ? 3 : 4) * Units;
                Add("weight_ih_l0", rows, InputCount);
                Add("weight_hh_l0", rows, Units);
                if (HasBias)
                {
                    Add("bias_ih_l0", rows);
                    Add("bias_hh_l0", rows);
                }

                break;
            case LayerKind.Conv1D:
                Add("weight", Units, InputCount, KernelSize);
                if (HasBias)
                {
                    Add("bias", Units);
                }

                break;
            default:
                Add("weight", Units, InputCount);
                if (HasBias)
                {
                    Add("bias", Units);
                }

                break;
        }

        return [.. tensors];
    }
}

/// <summary>One tensor of a layer (<see cref="LayerTopology.Tensors"/>): its PyTorch name, its shape, and where its values sit.</summary>
public sealed class ParameterTensor
{
    internal ParameterTensor(string name, int offset, int[] shape)
    {
        Name = name;
        Offset = offset;
        Shape = Array.AsReadOnly(shape);
        int length = 1;
        foreach (int dimension in shape)
        {
            length *= dimension;
        }

        Length = length;
    }

    /// <summary>
    /// The tensor's name in the <c>state_dict</c> of the layer's PyTorch module: <c>weight</c> or <c>bias</c>
    /// (<c>nn.Linear</c>, <c>nn.Conv1d</c>); <c>weight_ih_l0</c>, <c>weight_hh_l0</c>, <c>bias_ih_l0</c> or
    /// <c>bias_hh_l0</c> (a one-layer <c>nn.GRU</c> or <c>nn.LSTM</c>).
    /// </summary>
    public string Name { get; }

    /// <summary>The index in <see cref="INetwork{T}.Parameters"/> of the tensor's first value.</summary>
    public int Offset { get; }

    /// <summary>The dimensions, outermost first, as PyTorch gives them; the values are row-major.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The number of values: the product of <see cref="Shape"/>.</summary>
    public int Length { get; }

    /// <summary>The name and shape, such as <c>weight_ih_l0 [24, 1]</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder(Name).Append(" [");
        for (int i = 0; i < Shape.Count; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(Shape[i].ToString(CultureInfo.InvariantCulture));
        }

        return text.Append(']').ToString();
    }
}
