using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Onnx;

namespace NetGen.Onnx;

/// <summary>
/// Exports a NetGen network's forward pass to an ONNX model (https://onnx.ai), so that ONNX Runtime and other ONNX
/// tools can run it. See docs/interop.md.
/// </summary>
/// <remarks>
/// <para>
/// The model imports the default ONNX operator set at version <see cref="OpsetVersion"/> (17) and declares IR version
/// <see cref="IrVersion"/> (8, the IR of ONNX 1.12, where opset 17 was introduced). Each dense layer <c>i</c> becomes
/// one <c>Gemm</c> node with <c>transB = 1</c>, <c>Y = X · Wᵀ + b</c>, whose <c>B</c> is the initializer
/// <c>{2 i}.weight</c> of shape <c>[units, inputs]</c> (the layout of PyTorch's <c>nn.Linear.weight</c> and of
/// <see cref="INetwork{T}.Parameters"/>) and whose optional <c>C</c> is <c>{2 i}.bias</c> of shape <c>[units]</c>,
/// present only when the layer has biases. The activation follows as <c>Relu</c>, <c>LeakyRelu</c> (alpha
/// <see cref="Activations.LeakyReLUNegativeSlope"/>, 0.01), <c>Sigmoid</c>, <c>Tanh</c>, <c>Softmax</c> (axis -1),
/// <c>Elu</c> (alpha 1) or <c>Softplus</c>; SiLU as <c>Sigmoid</c> then <c>Mul</c> by the input; GELU, which has no
/// operator before opset 20, as PyTorch exports it there: <c>Div</c> by sqrt 2, <c>Erf</c>, <c>Add</c> 1, <c>Mul</c>
/// by the input, <c>Mul</c> by 0.5 (the constants are the scalar initializers <c>netgen.sqrt2</c>,
/// <c>netgen.one</c> and <c>netgen.half</c>). An Identity layer has no activation node.
/// </para>
/// <para>
/// The graph has one input, <c>"input"</c>, of shape <c>[batch, InputCount]</c> with the symbolic dimension
/// <c>batch</c>, and one output, <c>"output"</c>, of shape <c>[batch, OutputCount]</c>: each row is one sample, and its
/// output row is what <see cref="INetwork{T}.Forward"/> gives. The loss is not exported.
/// </para>
/// <para>
/// A streaming model (<see cref="NetworkTopology.IsStreaming"/>: a GRU, LSTM or Conv1D layer) is exported as a
/// sequence model: <c>"input"</c> is <c>[steps, batch, InputCount]</c> and <c>"output"</c> <c>[steps, batch,
/// OutputCount]</c>, <c>steps</c> and <c>batch</c> symbolic; each of the <c>batch</c> streams starts from a zero
/// state, and its outputs are what <see cref="ISequenceNetwork{T}.ForwardSequence"/> gives from a new state. A GRU
/// layer is an ONNX <c>GRU</c> node with <c>linear_before_reset = 1</c> (PyTorch's equations) and its gates' rows
/// moved from PyTorch's order r, z, n to ONNX's z, r, h; an LSTM layer an ONNX <c>LSTM</c> node, from i, f, g, o to
/// ONNX's i, o, f, c; each followed by a <c>Squeeze</c> of the direction axis. A Conv1D layer is a <c>Conv</c>
/// between two <c>Transpose</c> nodes, with <c>pads = [(kernel size - 1) * dilation, 0]</c> (causal: zeros before
/// the first step) and its <c>dilations</c>; a Dense layer is a <c>MatMul</c> by the transposed weight and an
/// <c>Add</c> of the bias, applied at every step. The activations follow as for a network of Dense layers.
/// </para>
/// <para>
/// The model is always float32 (ONNX <c>FLOAT</c>): a <c>double</c> network's parameters are rounded to the nearest
/// float, and it then computes in float, like a float copy of the network. ONNX Runtime's CPU kernels for some of
/// these operators (LeakyRelu among them) exist only for float, so a double model would not run everywhere.
/// </para>
/// </remarks>
public static partial class OnnxExporter
{
    /// <summary>The version of the default ONNX operator set (domain <c>""</c>) the model imports.</summary>
    public const int OpsetVersion = 17;

    /// <summary>The ONNX IR version the model declares: 8, the IR of ONNX 1.12, which introduced opset 17.</summary>
    public const long IrVersion = 8;

    /// <summary>
    /// The name of the graph's input: a float tensor of shape <c>[batch, InputCount]</c>, or <c>[steps, batch,
    /// InputCount]</c> for a streaming model.
    /// </summary>
    public const string InputName = "input";

    /// <summary>
    /// The name of the graph's output: a float tensor of shape <c>[batch, OutputCount]</c>, or <c>[steps, batch,
    /// OutputCount]</c> for a streaming model.
    /// </summary>
    public const string OutputName = "output";

    /// <summary>
    /// The name of the symbolic dimension of the input and output that counts the rows (samples), or a streaming
    /// model's streams: the first dimension, or the second after <see cref="StepsDimension"/>.
    /// </summary>
    public const string BatchDimension = "batch";

    /// <summary>The key of the model's metadata property that holds the network's topology text.</summary>
    public const string TopologyMetadataKey = "netgen.topology";

    /// <summary>Exports <paramref name="network"/> as the bytes of an ONNX model (a serialized <c>ModelProto</c>).</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c> (exported as float).</typeparam>
    /// <param name="network">The network to export; its current parameters are copied into the model.</param>
    /// <returns>The model, ready to be written to a <c>.onnx</c> file or given to ONNX Runtime.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The network's <see cref="INetwork{T}.Topology"/> does not describe it.</exception>
    public static byte[] Export<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        NetworkTopology topology = NetworkTopology.Of(network);
        return BuildModel<T>(topology, network.Parameters).ToByteArray();
    }

    /// <summary>Writes <paramref name="network"/> as an ONNX model to <paramref name="stream"/>, from its current position. The stream is not closed.</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c> (exported as float).</typeparam>
    /// <param name="network">The network to export.</param>
    /// <param name="stream">The stream to write.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="stream"/> cannot be written, or the network's <see cref="INetwork{T}.Topology"/> does not describe it.
    /// </exception>
    public static void Export<T>(INetwork<T> network, Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream cannot be written.", nameof(stream));
        }

        stream.Write(Export(network));
    }

    /// <summary>
    /// Writes <paramref name="network"/> as an ONNX model to the file at <paramref name="path"/>, atomically: either
    /// the file ends up complete, or (after an exception) whatever was there before is left untouched, with no
    /// temporary file behind.
    /// </summary>
    /// <remarks>
    /// As <see cref="ModelFile.Save{T}(INetwork{T}, string)"/> saves: the model goes to a new temporary file in the same
    /// directory (<c>.netgen-&lt;random&gt;.tmp</c>), is flushed to disk, and the temporary file is then moved over
    /// <paramref name="path"/> in one rename. The old file is never written into, so a full disk or a crash leaves it
    /// whole.
    /// </remarks>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c> (exported as float).</typeparam>
    /// <param name="network">The network to export.</param>
    /// <param name="path">The file to write, usually ending in <c>.onnx</c>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="path"/> is empty or names a directory (an existing one included), or the network's
    /// <see cref="INetwork{T}.Topology"/> does not describe it.
    /// </exception>
    /// <exception cref="IOException">The file cannot be written or replaced.</exception>
    /// <exception cref="UnauthorizedAccessException">Access to the file or directory is denied.</exception>
    public static void Export<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Export(network, path, beforeReplace: null);
    }

    /// <summary>The atomic export, with a hook that runs after the temporary file is complete and before the rename (for tests).</summary>
    internal static void Export<T>(INetwork<T> network, string path, Action<string>? beforeReplace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, Export(network), beforeReplace);
    }

    private static ModelProto BuildModel<T>(NetworkTopology topology, ReadOnlySpan<T> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string version = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        return new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "NetGen",
            ProducerVersion = version,
            DocString = $"Exported by NetGen from the network \"{topology}\".",
            Graph = BuildGraph(topology, parameters),
            OpsetImport = { new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion } },
            MetadataProps = { new StringStringEntryProto { Key = TopologyMetadataKey, Value = topology.ToString() } },
        };
    }

    private static GraphProto BuildGraph<T>(NetworkTopology topology, ReadOnlySpan<T> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var graph = new GraphProto { Name = "netgen", DocString = topology.ToString() };
        var constants = new HashSet<string>(StringComparer.Ordinal);
        string previous = InputName;
        IReadOnlyList<LayerTopology> layers = topology.Layers;
        foreach (LayerTopology layer in layers)
        {
            bool last = layer.Index == layers.Count - 1;
            // The names SafeTensors.Save gives the same tensors: nn.Sequential(Linear, activation, Linear, ...)'s.
            string weight = SafeTensors.WeightName(layer.Index);
            string bias = SafeTensors.BiasName(layer.Index);
            string linear = last && layer.Activation == Activation.Identity ? OutputName : $"layer{layer.Index}.linear";
            if (topology.IsStreaming)
            {
                // A streaming model's values are [steps, batch, width]: a GRU, LSTM, Conv or MatMul node (and helpers).
                SequenceLayer(graph, layer, previous, linear, parameters);
            }
            else
            {
                graph.Initializer.Add(Initializer(weight, [layer.Units, layer.InputCount], parameters.Slice(layer.WeightOffset, layer.WeightCount)));
                string[] inputs = layer.HasBias ? [previous, weight, bias] : [previous, weight];
                if (layer.HasBias)
                {
                    graph.Initializer.Add(Initializer(bias, [layer.Units], parameters.Slice(layer.BiasOffset, layer.Units)));
                }

                // Gemm: Y = alpha * A' * B' + beta * C, with transB = 1 so B is [units, inputs]; alpha and beta default to 1.
                graph.Node.Add(Node($"layer{layer.Index}.gemm", "Gemm", inputs, linear, IntAttribute("transB", 1)));
            }

            previous = linear;
            if (layer.Activation == Activation.Identity)
            {
                continue;
            }

            string activated = last ? OutputName : $"layer{layer.Index}.{layer.Activation.ToString().ToLowerInvariant()}";
            string name = $"layer{layer.Index}.{layer.Activation.ToString().ToLowerInvariant()}";
            graph.Node.Add(ActivationNodes(layer.Activation, name, previous, activated, graph.Initializer, constants));
            previous = activated;
        }

        graph.Input.Add(ValueInfo(InputName, topology.InputCount, topology.IsStreaming));
        graph.Output.Add(ValueInfo(OutputName, topology.OutputCount, topology.IsStreaming));
        return graph;
    }

    /// <summary>
    /// The nodes that apply <paramref name="activation"/> to the tensor <paramref name="input"/> and name the result
    /// <paramref name="output"/>: one operator where opset 17 has it, else the definition written with its operators
    /// (GELU as x * (1 + Erf(x / sqrt 2)) * 0.5, the pattern PyTorch exports below opset 20, which added Gelu; SiLU
    /// as x * Sigmoid(x)). Scalar constants go into <paramref name="initializers"/> once each.
    /// </summary>
    private static IEnumerable<NodeProto> ActivationNodes(
        Activation activation, string name, string input, string output, RepeatedField<TensorProto> initializers, HashSet<string> constants)
    {
        switch (activation)
        {
            case Activation.ReLU:
                return [Node(name, "Relu", [input], output)];
            case Activation.LeakyReLU:
                return [Node(name, "LeakyRelu", [input], output, FloatAttribute("alpha", (float)Activations.LeakyReLUNegativeSlope))];
            case Activation.Sigmoid:
                return [Node(name, "Sigmoid", [input], output)];
            case Activation.Tanh:
                return [Node(name, "Tanh", [input], output)];
            case Activation.Softmax:
                return [Node(name, "Softmax", [input], output, IntAttribute("axis", -1))];
            case Activation.ELU:
                // Elu: x for x > 0, alpha (e^x - 1) otherwise; alpha 1, nn.ELU's default.
                return [Node(name, "Elu", [input], output, FloatAttribute("alpha", 1f))];
            case Activation.Softplus:
                // Softplus: ln(e^x + 1). nn.Softplus returns x itself above 20, where the two differ by under 2.1e-9.
                return [Node(name, "Softplus", [input], output)];
            case Activation.SiLU:
                return
                [
                    Node($"{name}.sigmoid", "Sigmoid", [input], $"{name}.sigmoid"),
                    Node($"{name}.mul", "Mul", [input, $"{name}.sigmoid"], output),
                ];
            case Activation.GELU:
                string sqrt2 = Constant("netgen.sqrt2", MathF.Sqrt(2f), initializers, constants);
                string one = Constant("netgen.one", 1f, initializers, constants);
                string half = Constant("netgen.half", 0.5f, initializers, constants);
                return
                [
                    Node($"{name}.div", "Div", [input, sqrt2], $"{name}.div"),
                    Node($"{name}.erf", "Erf", [$"{name}.div"], $"{name}.erf"),
                    Node($"{name}.add", "Add", [$"{name}.erf", one], $"{name}.add"),
                    Node($"{name}.mul", "Mul", [input, $"{name}.add"], $"{name}.mul"),
                    Node($"{name}.half", "Mul", [$"{name}.mul", half], output),
                ];
            default:
                throw new NotSupportedException($"The activation {activation} has no ONNX export.");
        }
    }

    /// <summary>A float scalar (rank 0) initializer called <paramref name="name"/>, added the first time it is asked for.</summary>
    private static string Constant(string name, float value, RepeatedField<TensorProto> initializers, HashSet<string> constants)
    {
        if (constants.Add(name))
        {
            initializers.Add(Initializer<float>(name, [], [value]));
        }

        return name;
    }

    private static NodeProto Node(string name, string opType, string[] inputs, string output, params AttributeProto[] attributes) => new()
    {
        Input = { inputs },
        Output = { output },
        Name = name,
        OpType = opType,
        Attribute = { attributes },
    };

    private static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, I = value, Type = AttributeProto.Types.AttributeType.Int };

    private static AttributeProto FloatAttribute(string name, float value) =>
        new() { Name = name, F = value, Type = AttributeProto.Types.AttributeType.Float };

    /// <summary>A float tensor with its values in raw_data: fixed-width little-endian IEEE 754, row-major.</summary>
    private static TensorProto Initializer<T>(string name, int[] dims, ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var raw = new byte[checked(values.Length * 4)];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), float.CreateTruncating(values[i]));
        }

        var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Float, Name = name, RawData = UnsafeByteOperations.UnsafeWrap(raw) };
        foreach (int dim in dims)
        {
            tensor.Dims.Add(dim);
        }

        return tensor;
    }

    /// <summary>
    /// A float tensor value of shape <c>[batch, width]</c>, or <c>[steps, batch, width]</c> for a streaming model;
    /// <c>steps</c> and <c>batch</c> symbolic.
    /// </summary>
    private static ValueInfoProto ValueInfo(string name, int width, bool sequence)
    {
        var shape = new TensorShapeProto();
        if (sequence)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = StepsDimension });
        }

        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDimension });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
