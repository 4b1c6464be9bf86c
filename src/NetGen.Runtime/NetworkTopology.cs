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
/// reflection: element type, inputs, each layer's units, activation and bias, where its parameters sit in
/// <see cref="INetwork{T}.Parameters"/>, and the loss.
/// </summary>
/// <remarks>
/// <para>
/// The text has the form <c>"&lt;float|double&gt; &lt;inputs&gt; | &lt;units&gt; &lt;Activation&gt;[ nobias] | ... | &lt;Loss&gt;"</c>,
/// for example <c>"float 2 | 2 ReLU nobias | 1 Identity nobias | MeanSquaredError"</c>: fields are separated by
/// exactly one space, sections by <c>" | "</c>, numbers are positive decimal integers without sign or leading
/// zeros, and the activation and loss are the names of <see cref="NetGen.Activation"/> and <see cref="NetGen.LossFunction"/>
/// members. <see cref="ToString"/> gives the text back exactly.
/// </para>
/// <para>
/// The parameter layout is the one every generated network has: layer by layer, the layer's weights row-major
/// <c>[unit][input]</c> (PyTorch's <c>nn.Linear.weight</c>), then its biases. This type describes a topology; it does
/// not enforce the generator's rules about which activation may go with which loss.
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
    }

    /// <summary>The element type: <c>typeof(float)</c> or <c>typeof(double)</c>.</summary>
    public Type ElementType { get; }

    /// <summary>The number of inputs.</summary>
    public int InputCount { get; }

    /// <summary>The number of outputs: the units of the last layer.</summary>
    public int OutputCount => Layers[^1].Units;

    /// <summary>The dense layers, first to last; there is at least one.</summary>
    public IReadOnlyList<LayerTopology> Layers { get; }

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

/// <summary>One dense layer of a <see cref="NetworkTopology"/>, and where its parameters sit.</summary>
public sealed class LayerTopology
{
    private readonly DenseLayerLayout _layout;

    /// <param name="index">The layer's position.</param>
    /// <param name="layout">Its place in the parameters, which ends at most at Array.MaxLength (so every count fits an int).</param>
    /// <param name="activation">Its activation.</param>
    internal LayerTopology(int index, DenseLayerLayout layout, Activation activation)
    {
        Index = index;
        _layout = layout;
        Activation = activation;
    }

    /// <summary>The layer's position, 0 for the first.</summary>
    public int Index { get; }

    /// <summary>The layer's inputs: the network's inputs for the first layer, else the units of the layer before.</summary>
    public int InputCount => _layout.Inputs;

    /// <summary>The layer's units (nodes): its outputs.</summary>
    public int Units => _layout.Units;

    /// <summary>The activation each unit applies.</summary>
    public Activation Activation { get; }

    /// <summary>Whether the layer has biases.</summary>
    public bool HasBias => _layout.HasBias;

    /// <summary>The index in <see cref="INetwork{T}.Parameters"/> of the layer's first weight.</summary>
    public int WeightOffset => (int)_layout.WeightOffset;

    /// <summary>The number of weights, <see cref="Units"/> × <see cref="InputCount"/>, stored row-major <c>[unit][input]</c>.</summary>
    public int WeightCount => (int)_layout.WeightCount;

    /// <summary>
    /// The index in <see cref="INetwork{T}.Parameters"/> of the layer's first bias, right after its weights;
    /// meaningful only when <see cref="HasBias"/>.
    /// </summary>
    public int BiasOffset => (int)_layout.BiasOffset;

    /// <summary>The number of the layer's parameters: weights, plus biases if it has them.</summary>
    public int ParameterCount => (int)_layout.ParameterCount;

    /// <summary>The layer's section of the topology text, such as <c>"8 ReLU"</c> or <c>"1 Identity nobias"</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Units.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Activation.ToString());
        return (HasBias ? text : text.Append(" nobias")).ToString();
    }
}
