using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Onnx;

/// <summary>What a model maps to: the element type, the inputs (per time step in a streaming model), the layers and their parameters in NetGen's layout.</summary>
internal sealed record ImportedModel(ElementKind Element, int Inputs, List<LayerSpec> Layers, double[] Parameters);

/// <summary>
/// Maps an ONNX graph to a chain of Dense layers, by what the nodes compute rather than by one exporter's exact
/// output: from the graph's input to its first output, a Gemm, or a MatMul and an Add of a constant, is a Dense layer
/// (weights row-major [unit][input], NetGen's layout, whichever way the file holds them); an activation node, or a
/// group of element-wise nodes that computes one (torch's Erf form of GELU, x * Sigmoid(x) for SiLU), is the
/// activation of the layer before it; Identity, Dropout (an inference graph's), and Flatten or Reshape that leave a
/// [batch, features] layout as it is, are passed over. A graph with GRU or LSTM nodes is a streaming model, its values
/// [steps, batch, features] (OnnxImporter.Recurrent.cs). Anything else is refused with an
/// <see cref="OnnxFormatException"/> that says which node, which operator and why.
/// </summary>
internal static partial class OnnxImporter
{
    /// <summary>
    /// The default operator set's versions whose operators' meanings this mapping follows: from 6, where the
    /// operators it reads lost their legacy consumed_inputs attribute (the ONNX project's own pytorch-converted test
    /// models are opset 6), to 21; a later opset may have changed an operator's meaning, so it is refused until read.
    /// </summary>
    public const int MinOpset = 6, MaxOpset = 21;

    public static ImportedModel Import(OnnxModel model)
    {
        if (model.Opset < MinOpset || model.Opset > MaxOpset)
        {
            throw Unsupported($"it is written for opset {model.Opset} of the default operator set, and NetGen reads opsets {MinOpset} to {MaxOpset}; export it with opset_version between them");
        }

        return new Mapping(model).Run();
    }

    private sealed partial class Mapping(OnnxModel model)
    {
        private readonly OnnxGraph _graph = model.Graph;
        private readonly long _opset = model.Opset;
        private readonly Dictionary<string, OnnxTensor> _constants = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<OnnxNode>> _consumers = new(StringComparer.Ordinal);
        private readonly HashSet<OnnxNode> _live = new();
        private readonly HashSet<OnnxNode> _matched = new();

        // Nodes computed here from constants (a Transpose of weights), so part of no layer and of no branch.
        private readonly HashSet<OnnxNode> _folded = new();
        private readonly List<ImportedLayer> _layers = new();
        private readonly Dictionary<string, OnnxNode> _producers = new(StringComparer.Ordinal);

        // The value being followed: its name, whether its first dimension is the batch (or, in a streaming model, its
        // first two are the steps and the batch), and its dimensions after that.
        private string _current = string.Empty;
        private bool _batched;
        private bool _streaming;
        private long[] _dims = Array.Empty<long>();
        private ElementKind _element;
        private long _inputs;

        // Whether the last Dense layer has had its activation already (a second one in a row cannot be expressed).
        private bool _activated;

        public ImportedModel Run()
        {
            _streaming = _graph.Nodes.Any(IsStreamingLayer);
            OnnxValueInfo input = Input();
            if (_graph.Outputs.Count == 0)
            {
                throw Unmappable("the graph has no output");
            }

            string output = _graph.Outputs[0].Name;
            FindConstantsAndLiveNodes(output);
            Follow(input, output);
            if (_channelsFirst)
            {
                throw Unmappable($"its output '{Shorten(output)}' is laid out [batch, channels, steps]; a streaming model's output is [steps, batch, features] (a Transpose with perm [2, 0, 1] after the convolution)");
            }

            foreach (OnnxNode node in _graph.Nodes)
            {
                if (_live.Contains(node) && !_matched.Contains(node) && !_folded.Contains(node) && node.OpType != "Constant")
                {
                    throw Unmappable($"node '{Name(node)}' ({node.OpType}) computes part of the output from something other than the chain of layers from the input (a branch or a second input); NetGen compiles a chain of layers, each feeding the next");
                }
            }

            if (_layers.Count == 0)
            {
                throw Unmappable("it has no Gemm or MatMul node; NetGen compiles chains of Dense layers (with GRU and LSTM layers in a streaming model), and an activation needs a layer before it");
            }

            if (_graph.Outputs[0].ElementType is not 0 and var outputType && outputType != input.ElementType)
            {
                throw Unmappable($"its output '{Shorten(output)}' is {OnnxTypes.Name(outputType)} and its input {OnnxTypes.Name(input.ElementType)}; NetGen's outputs are of the input's type");
            }

            // NetGen's layout: the layers in order, each its parameters as its attribute-declared twin holds them.
            var parameters = new List<double>();
            foreach (ImportedLayer layer in _layers)
            {
                layer.AppendParameters(parameters);
            }

            return new ImportedModel(_element, (int)_inputs, _layers.Select(l => l.Spec()).ToList(), parameters.ToArray());
        }

        /// <summary>A layer as found so far, and what it becomes: its spec and its parameters in NetGen's layout.</summary>
        private abstract class ImportedLayer
        {
            /// <summary>The activation a later node gives the layer's sums (Dense and Conv1D layers have one).</summary>
            public Activation Activation { get; set; } = Activation.Identity;

            public abstract LayerSpec Spec();

            public abstract void AppendParameters(List<double> parameters);
        }

        /// <summary>A Dense layer as found so far: its bias may come from a later Add, its activation from a later node.</summary>
        private sealed class Layer(int units, double[] weights, double[]? bias) : ImportedLayer
        {
            public override LayerSpec Spec() => new DenseLayerSpec(Units, Activation, Bias is not null);

            /// <summary>The weights row-major [unit][input], then the biases.</summary>
            public override void AppendParameters(List<double> parameters)
            {
                parameters.AddRange(Weights);
                parameters.AddRange(Bias ?? Array.Empty<double>());
            }

            public int Units { get; } = units;

            public double[] Weights { get; } = weights;

            public double[]? Bias { get; set; } = bias;

            /// <summary>The value the layer's sums are in, before any activation: where an Add of a bias may follow.</summary>
            public string Sums { get; set; } = string.Empty;
        }

        /// <summary>The network's input: the first graph input that is not an initializer (older exporters list those as inputs too).</summary>
        private OnnxValueInfo Input()
        {
            OnnxValueInfo? input = _graph.Inputs.FirstOrDefault(i => !_graph.Initializers.ContainsKey(i.Name));
            if (input is null)
            {
                throw Unmappable("the graph has no input");
            }

            _element = input.ElementType switch
            {
                OnnxTypes.Float => ElementKind.Float,
                OnnxTypes.Double => ElementKind.Double,
                0 => throw Unmappable($"its input '{Shorten(input.Name)}' does not say its element type"),
                _ => throw Unmappable($"its input '{Shorten(input.Name)}' is {OnnxTypes.Name(input.ElementType)}; NetGen compiles float32 models (as float networks) and float64 models (as double networks)"),
            };

            if (input.Shape is not { Count: > 0 } shape)
            {
                throw Unmappable($"its input '{Shorten(input.Name)}' has no shape; export it with an example input so that the file records one");
            }

            // [features] alone, or [batch, features...]: the first of two or more dimensions is the batch, dropped. A
            // streaming model's input is [steps, batch, features], the layout of PyTorch's recurrent modules.
            _batched = shape.Count > 1;
            if (_streaming && shape.Count != 3)
            {
                throw Unmappable($"its input '{Shorten(input.Name)}' has {shape.Count} dimension{(shape.Count == 1 ? string.Empty : "s")}, and a model with GRU, LSTM or one-dimensional Conv nodes takes [steps, batch, features] (PyTorch's layout for recurrent modules, batch_first=False)");
            }

            var dims = new List<long>();
            for (int i = _streaming ? 2 : _batched ? 1 : 0; i < shape.Count; i++)
            {
                if (shape[i] is not { } dim || dim < 1)
                {
                    throw Unmappable($"dimension {i} of its input '{Shorten(input.Name)}' is {(shape[i] is null ? "symbolic" : shape[i]!.Value.ToString(CultureInfo.InvariantCulture))}; NetGen needs every dimension but the batch to be a fixed size");
                }

                dims.Add(dim);
            }

            _current = input.Name;
            _dims = dims.ToArray();
            _inputs = Product(_dims);
            if (_inputs > int.MaxValue)
            {
                string count = _inputs == long.MaxValue ? $"{Shape(_dims)}, more than {int.MaxValue}," : _inputs.ToString(CultureInfo.InvariantCulture);
                throw Unmappable($"its input '{Shorten(input.Name)}' has {count} values a sample, more than NetGen compiles");
            }

            return input;
        }

        /// <summary>
        /// The constants (initializers and Constant nodes), each node's consumers, and the nodes the first output depends
        /// on (found from the output back, with a stack of its own: a graph cannot make this recurse).
        /// </summary>
        private void FindConstantsAndLiveNodes(string output)
        {
            foreach (KeyValuePair<string, OnnxTensor> initializer in _graph.Initializers)
            {
                _constants[initializer.Key] = initializer.Value;
            }

            Dictionary<string, OnnxNode> producers = _producers;
            foreach (OnnxNode node in _graph.Nodes)
            {
                foreach (string name in node.Outputs)
                {
                    if (name.Length > 0 && (producers.ContainsKey(name) || _graph.Initializers.ContainsKey(name)))
                    {
                        throw new OnnxFormatException($"the value '{Shorten(name)}' is produced twice (by node '{Name(node)}' and before it)");
                    }

                    if (name.Length > 0)
                    {
                        producers[name] = node;
                    }
                }

                if (node.OpType == "Constant" && node.Outputs.Count == 1)
                {
                    _constants[node.Outputs[0]] = ConstantValue(node);
                }
                else if (node.OpType == "Transpose" && node.Inputs.Count == 1 && node.Outputs.Count == 1
                    && _constants.TryGetValue(node.Inputs[0], out OnnxTensor? matrix) && matrix.Dims.Length == 2
                    && (!node.Attributes.TryGetValue("perm", out OnnxAttribute? perm) || perm.Ints.SequenceEqual(new long[] { 1, 0 })))
                {
                    // A transposed constant matrix (how some exporters store a layer's weights) is a constant too.
                    _constants[node.Outputs[0]] = Transposed(node.Outputs[0], matrix);
                    _folded.Add(node);
                }
            }

            var pending = new Stack<string>();
            pending.Push(output);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (pending.Count > 0)
            {
                string name = pending.Pop();
                if (!seen.Add(name) || !producers.TryGetValue(name, out OnnxNode? node) || !_live.Add(node))
                {
                    continue;
                }

                foreach (string input in node.Inputs)
                {
                    if (input.Length > 0)
                    {
                        pending.Push(input);
                    }
                }
            }

            // In a streaming model, the nodes that only compute a recurrent layer's zero starting state (from the input's
            // shape, as torch writes it) are folded: they are no layer, and reading the input's shape is not a branch.
            if (_streaming)
            {
                FoldZeroStates(output);
            }

            foreach (OnnxNode node in _graph.Nodes)
            {
                if (!_live.Contains(node) || _folded.Contains(node))
                {
                    continue;
                }

                foreach (string input in node.Inputs.Distinct())
                {
                    if (input.Length == 0)
                    {
                        continue;
                    }

                    if (!_consumers.TryGetValue(input, out List<OnnxNode>? list))
                    {
                        _consumers[input] = list = new List<OnnxNode>();
                    }

                    list.Add(node);
                }
            }
        }

        /// <summary>Follows the chain from the input to the output, one pattern at a time.</summary>
        private void Follow(OnnxValueInfo input, string output)
        {
            // Every step below moves _current to a value a node produces, so this ends within the node count once no
            // value comes back: a node that passes its input over (Identity, Dropout, Flatten) under the same name, as
            // its first output, once looped here for ever.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (_current != output)
            {
                if (!seen.Add(_current))
                {
                    throw new OnnxFormatException($"the value '{Shorten(_current)}' is computed from itself: the graph has a cycle, and ONNX assigns each value once, from values before it");
                }

                List<OnnxNode> consumers = _consumers.TryGetValue(_current, out List<OnnxNode>? list) ? list : new List<OnnxNode>();
                if (consumers.Count == 0)
                {
                    throw Unmappable(_current == input.Name
                        ? $"its first output '{Shorten(output)}' does not depend on its input '{Shorten(input.Name)}'"
                        : $"the value '{Shorten(_current)}' leads nowhere");
                }

                if (consumers.Count == 1 && TryDirect(consumers[0]))
                {
                    continue;
                }

                if (!TryElementwise(consumers, output))
                {
                    OnnxNode first = consumers[0];
                    throw consumers.Count > 1
                        ? Unmappable($"the value '{Shorten(_current)}' feeds {consumers.Count} nodes ('{Name(consumers[0])}' and '{Name(consumers[1])}'), a branch such as a residual connection; NetGen compiles a chain of layers, each feeding the next")
                        : Unsupported($"node '{Name(first)}' is the operator {Operator(first)} (opset {_opset}), which NetGen has no layer or activation for");
                }
            }
        }

        /// <summary>One node that is a layer, an activation or a no-op by itself; false if the node is none of those.</summary>
        private bool TryDirect(OnnxNode node)
        {
            if (node.Domain is not ("" or "ai.onnx"))
            {
                throw Unsupported($"node '{Name(node)}' is the operator {Operator(node)} of the domain '{node.Domain}', which NetGen does not compile (only the default ONNX operator set, opset {_opset} here)");
            }

            if (node.Attributes.Values.Any(a => a.HasGraph))
            {
                throw Unsupported($"node '{Name(node)}' is the operator {Operator(node)} (opset {_opset}), whose subgraphs NetGen does not compile");
            }

            switch (node.OpType)
            {
                case "Gemm":
                    Gemm(node);
                    return true;
                case "GRU":
                    Recurrent(node, RecurrentCell.Gru);
                    return true;
                case "LSTM":
                    Recurrent(node, RecurrentCell.Lstm);
                    return true;
                case "Transpose" when _streaming:
                    TransposeOfStreams(node);
                    return true;
                case "Pad" when _channelsFirst:
                    Pad(node);
                    return true;
                case "Conv" when _channelsFirst:
                    Convolution(node);
                    return true;
                case "MatMul":
                    MatMul(node);
                    return true;
                case "Add" when AddsBias(node):
                    return true;
                case "Relu":
                    Activate(node, Activation.ReLU);
                    return true;
                case "LeakyRelu":
                    float alpha = FloatAttribute(node, "alpha", 0.01f);
                    if (alpha != (float)NetGen.Shared.ActivationConstants.LeakyReLUNegativeSlope)
                    {
                        throw Unsupported($"node '{Name(node)}' is LeakyRelu with alpha {Format(alpha)} (opset {_opset}), and NetGen's LeakyReLU has slope {Format(NetGen.Shared.ActivationConstants.LeakyReLUNegativeSlope)}, PyTorch's default");
                    }

                    Activate(node, Activation.LeakyReLU);
                    return true;
                case "Sigmoid":
                    Activate(node, Activation.Sigmoid);
                    return true;
                case "Tanh":
                    Activate(node, Activation.Tanh);
                    return true;
                case "Softmax":
                    Softmax(node);
                    return true;
                case "Elu":
                    float eluAlpha = FloatAttribute(node, "alpha", 1f);
                    if (eluAlpha != 1f)
                    {
                        throw Unsupported($"node '{Name(node)}' is Elu with alpha {Format(eluAlpha)} (opset {_opset}), and NetGen's ELU has alpha 1, nn.ELU's default");
                    }

                    Activate(node, Activation.ELU);
                    return true;
                case "Gelu":
                    string approximate = node.Attributes.TryGetValue("approximate", out OnnxAttribute? a) ? a.String ?? "none" : "none";
                    if (approximate != "none")
                    {
                        throw Unsupported($"node '{Name(node)}' is Gelu with approximate = '{approximate}' (opset {_opset}), and NetGen's GELU is the exact erf form");
                    }

                    Activate(node, Activation.GELU);
                    return true;
                case "Softplus":
                    Activate(node, Activation.Softplus);
                    return true;
                case "Identity":
                    PassOver(node);
                    return true;
                case "Dropout":
                    // At inference Dropout is the identity; its mask output, if any, must not be used.
                    if (node.Outputs.Count > 1 && node.Outputs[1].Length > 0 && _consumers.ContainsKey(node.Outputs[1]))
                    {
                        throw Unmappable($"node '{Name(node)}' (Dropout) has its mask used, which an inference graph does not");
                    }

                    PassOver(node);
                    return true;
                case "Flatten":
                    Flatten(node);
                    return true;
                case "Reshape":
                    Reshape(node);
                    return true;
                default:
                    return false;
            }
        }

        // ---- Layers.

        /// <summary>Gemm: Y = alpha A B' + beta C, with A the data ([batch, inputs]), B the weights and C the bias.</summary>
        private void Gemm(OnnxNode node)
        {
            if (node.Inputs.Count < 2 || node.Inputs[0] != _current)
            {
                throw Unmappable($"node '{Name(node)}' (Gemm) takes '{Shorten(_current)}' as its B or C, not as the data A");
            }

            if (_streaming)
            {
                throw Unmappable($"node '{Name(node)}' (Gemm) takes matrices, and the values of a streaming model are [steps, batch, features]; a layer at every step is a MatMul and an Add (how torch exports nn.Linear there)");
            }

            if (IntAttribute(node, "transA", 0) != 0)
            {
                throw Unsupported($"node '{Name(node)}' is Gemm with transA = 1 (opset {_opset}), which transposes the data itself, not a layer NetGen has");
            }

            RequireMatrixInput(node);
            bool transB = IntAttribute(node, "transB", 0) != 0;
            double alpha = FloatAttribute(node, "alpha", 1f), beta = FloatAttribute(node, "beta", 1f);
            OnnxTensor b = Constant(node, 1, "B");
            if (b.Dims.Length != 2)
            {
                throw Unmappable($"node '{Name(node)}' (Gemm) has a B of {b.Dims.Length} dimensions, where a layer's weights have 2");
            }

            long inputs = _dims[0];
            long units = transB ? b.Dims[0] : b.Dims[1];
            if ((transB ? b.Dims[1] : b.Dims[0]) != inputs)
            {
                throw Unmappable($"node '{Name(node)}' (Gemm) has a B of shape {Shape(b.Dims)}{(transB ? " (transposed)" : string.Empty)}, which does not take the {inputs} values before it");
            }

            double[]? bias = null;
            if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0)
            {
                bias = Bias(node, Constant(node, 2, "C"), units, beta);
            }

            AddLayer(node, units, inputs, (unit, input) => alpha * b.Values[transB ? unit * inputs + input : input * units + unit], bias);
        }

        /// <summary>MatMul: Y = A B, with B the weights [inputs, units]; an Add of a constant [units] after it is the bias.</summary>
        private void MatMul(OnnxNode node)
        {
            if (node.Inputs.Count != 2 || node.Inputs[0] != _current)
            {
                throw Unmappable($"node '{Name(node)}' (MatMul) takes '{Shorten(_current)}' as its second operand; a layer multiplies the data by constant weights on the right");
            }

            RequireStepsFirst(node);
            RequireMatrixInput(node);
            OnnxTensor b = Constant(node, 1, "B");
            long inputs = _dims[0];
            if (b.Dims.Length != 2 || b.Dims[0] != inputs)
            {
                throw Unmappable($"node '{Name(node)}' (MatMul) has weights of shape {Shape(b.Dims)}, where a layer taking the {inputs} values before it needs [{inputs}, units]");
            }

            long units = b.Dims[1];
            AddLayer(node, units, inputs, (unit, input) => b.Values[input * units + unit], null);
        }

        /// <summary>
        /// An Add of a constant [units] (or [1, units], or one value) straight after a layer's sums is that layer's bias
        /// (added to any it has): how MatMul-based exports write nn.Linear.
        /// </summary>
        private bool AddsBias(OnnxNode node)
        {
            if (_layers.Count == 0 || node.Inputs.Count != 2 || _layers[_layers.Count - 1] is not Layer last || last.Sums != _current)
            {
                return false;
            }

            string other = node.Inputs[0] == _current ? node.Inputs[1] : node.Inputs[0];
            if (!_constants.TryGetValue(other, out OnnxTensor? c) || !IsBiasShape(c, last.Units))
            {
                return false;
            }

            double[] bias = Bias(node, c, last.Units, 1.0);
            if (last.Bias is { } existing)
            {
                for (int i = 0; i < bias.Length; i++)
                {
                    bias[i] += existing[i];
                }
            }

            last.Bias = bias;
            _matched.Add(node);
            _current = last.Sums = node.Outputs[0];
            return true;
        }

        private void RequireMatrixInput(OnnxNode node)
        {
            if (_dims.Length != 1)
            {
                throw Unmappable($"node '{Name(node)}' ({node.OpType}) takes a value of shape {Shape(_dims)} (after the batch), where a Dense layer takes a vector; flatten it first (nn.Flatten)");
            }
        }

        private static bool IsBiasShape(OnnxTensor c, long units) =>
            (c.Dims.Length == 1 && (c.Dims[0] == units || c.Dims[0] == 1))
            || (c.Dims.Length == 2 && c.Dims[0] == 1 && (c.Dims[1] == units || c.Dims[1] == 1))
            || c.Dims.Length == 0;

        /// <summary>A bias of [units] (or one value broadcast to all), scaled by beta.</summary>
        private double[] Bias(OnnxNode node, OnnxTensor c, long units, double beta)
        {
            if (!IsBiasShape(c, units))
            {
                throw Unmappable($"node '{Name(node)}' ({node.OpType}) adds a C of shape {Shape(c.Dims)}, which is not one bias per unit ([{units}] or [1, {units}]): a term that differs per sample is not a layer's bias");
            }

            RequireNumbers(node, c);
            var bias = new double[units];
            for (long i = 0; i < units; i++)
            {
                bias[i] = beta * c.Values[c.Values.Length == 1 ? 0 : i];
            }

            return bias;
        }

        private void AddLayer(OnnxNode node, long units, long inputs, Func<long, long, double> weight, double[]? bias)
        {
            if (units < 1 || units > int.MaxValue || inputs * units > OnnxReader.MaxFileBytes)
            {
                throw Unmappable($"node '{Name(node)}' ({node.OpType}) has {units} units, which NetGen cannot compile");
            }

            var weights = new double[units * inputs];
            for (long unit = 0; unit < units; unit++)
            {
                for (long input = 0; input < inputs; input++)
                {
                    weights[unit * inputs + input] = Checked(node, weight(unit, input));
                }
            }

            if (bias is not null)
            {
                foreach (double value in bias)
                {
                    Checked(node, value);
                }
            }

            _layers.Add(new Layer((int)units, weights, bias) { Sums = node.Outputs[0] });
            _matched.Add(node);
            _current = node.Outputs[0];
            _dims = new[] { units };
            _activated = false;
        }

        /// <summary>A parameter must be finite, and in range for a float network's float: the generated code embeds it as a literal.</summary>
        private double Checked(OnnxNode node, double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value) || (_element == ElementKind.Float && Math.Abs(value) > float.MaxValue))
            {
                throw Unmappable($"node '{Name(node)}' ({node.OpType}) has a weight of {Format(value)}, which is not a finite {(_element == ElementKind.Float ? "float" : "double")}");
            }

            return value;
        }

        // ---- Activations.

        private void Activate(OnnxNode node, Activation activation)
        {
            if (node.Inputs.Count < 1 || node.Inputs[0] != _current)
            {
                throw Unmappable($"node '{Name(node)}' ({node.OpType}) does not take '{Shorten(_current)}' as its input");
            }

            SetActivation(node.Name, node.OpType, activation);
            _matched.Add(node);
            _current = node.Outputs[0];
        }

        private void SetActivation(string node, string what, Activation activation)
        {
            if (_layers.Count == 0)
            {
                throw Unmappable($"node '{Shorten(node)}' ({what}) applies an activation to the input itself; NetGen applies an activation to a layer's sums, so it needs a Gemm or MatMul before it");
            }

            ImportedLayer last = _layers[_layers.Count - 1];
            if (last is RecurrentLayer)
            {
                throw Unmappable($"node '{Shorten(node)}' ({what}) applies an activation to a recurrent layer's output, and NetGen's GRU and LSTM layers have none of their own (put a Linear layer between them)");
            }

            if (_activated)
            {
                throw Unmappable($"node '{Shorten(node)}' ({what}) follows another activation, and a NetGen layer has one");
            }

            last.Activation = activation;
            _activated = true;
        }

        /// <summary>Softmax over the last axis only: opset 13 on means axis -1 by default, before it 1 (for [batch, n], the same).</summary>
        private void Softmax(OnnxNode node)
        {
            RequireStepsFirst(node);
            long rank = _dims.Length + (_streaming ? 2 : _batched ? 1 : 0);
            long axis = IntAttribute(node, "axis", _opset >= 13 ? -1 : 1);
            if (axis < 0)
            {
                axis += rank;
            }

            if (axis != rank - 1)
            {
                throw Unsupported($"node '{Name(node)}' is Softmax over axis {IntAttribute(node, "axis", _opset >= 13 ? -1 : 1)} of a value of rank {rank} (opset {_opset}); NetGen's Softmax is over the last axis");
            }

            Activate(node, Activation.Softmax);
        }

        /// <summary>
        /// Element-wise nodes from the current value to one result, with scalar constants only: which activation they
        /// compute is found by evaluating them at points from -3 to 3 and comparing with each activation's definition
        /// (within 1e-6, closer than any two activations come: the tanh form of GELU differs from the exact one by 1e-4).
        /// </summary>
        private bool TryElementwise(List<OnnxNode> consumers, string output)
        {
            var region = new List<OnnxNode>();
            var values = new HashSet<string>(StringComparer.Ordinal) { _current };
            foreach (OnnxNode node in _graph.Nodes)
            {
                if (!_live.Contains(node) || _matched.Contains(node) || !Elementwise.Contains(node.OpType) || node.Domain is not ("" or "ai.onnx"))
                {
                    continue;
                }

                bool fed = false, simple = node.Inputs.Count > 0;
                foreach (string input in node.Inputs)
                {
                    if (values.Contains(input))
                    {
                        fed = true;
                    }
                    else if (!(_constants.TryGetValue(input, out OnnxTensor? c) && c.Values.Length == 1))
                    {
                        simple = false;
                    }
                }

                if (fed && simple && node.Outputs.Count == 1)
                {
                    region.Add(node);
                    values.Add(node.Outputs[0]);
                    if (region.Count > MaxActivationNodes)
                    {
                        return false;
                    }
                }
            }

            // The region's result: the one value of it used outside it (or the graph's output); every other value must
            // be used only inside it, or the group is not one element-wise function of the current value.
            string? result = null;
            foreach (OnnxNode node in region)
            {
                string value = node.Outputs[0];
                bool usedOutside = value == output || (_consumers.TryGetValue(value, out List<OnnxNode>? users) && users.Any(u => !region.Contains(u)));
                if (usedOutside)
                {
                    if (result is not null)
                    {
                        return false;
                    }

                    result = value;
                }
            }

            if (result is null || consumers.Any(c => !region.Contains(c)))
            {
                return false;
            }

            // Only the nodes that lead to the result count; the rest of the group must not exist.
            if (region.Any(n => !LeadsTo(n, result, region)))
            {
                return false;
            }

            string names = string.Join(", ", region.Select(n => n.OpType));
            Activation? match = Identify(region, result);
            if (match is null)
            {
                throw Unsupported($"nodes {string.Join(", ", region.Take(3).Select(n => "'" + Name(n) + "'"))}{(region.Count > 3 ? ", ..." : string.Empty)} ({names}, opset {_opset}) compute an element-wise function that is none of NetGen's activations");
            }

            // A group that computes the identity (x * 1, say) is passed over, not an activation.
            if (match != Activation.Identity)
            {
                SetActivation(region[0].Name, names, match.Value);
            }

            foreach (OnnxNode node in region)
            {
                _matched.Add(node);
            }

            _current = result;
            return true;
        }

        private static bool LeadsTo(OnnxNode node, string result, List<OnnxNode> region)
        {
            var reached = new HashSet<string>(StringComparer.Ordinal) { node.Outputs[0] };
            foreach (OnnxNode later in region)
            {
                if (later.Inputs.Any(reached.Contains))
                {
                    reached.Add(later.Outputs[0]);
                }
            }

            return reached.Contains(result);
        }

        private Activation? Identify(List<OnnxNode> region, string result)
        {
            double[] points = { -3, -2.5, -1.7, -1, -0.6, -0.25, -0.05, 0, 0.05, 0.3, 0.7, 1, 1.6, 2.4, 3 };
            Activation[] candidates = { Activation.Identity, Activation.ReLU, Activation.LeakyReLU, Activation.Sigmoid, Activation.Tanh, Activation.ELU, Activation.GELU, Activation.SiLU, Activation.Softplus };
            var computed = new double[points.Length];
            for (int i = 0; i < points.Length; i++)
            {
                var value = new Dictionary<string, double>(StringComparer.Ordinal) { [_current] = points[i] };
                foreach (OnnxNode node in region)
                {
                    double[] args = node.Inputs.Select(input => value.TryGetValue(input, out double v) ? v : _constants[input].Values[0]).ToArray();
                    value[node.Outputs[0]] = Evaluate(node, args);
                }

                computed[i] = value[result];
            }

            foreach (Activation candidate in candidates)
            {
                bool all = true;
                for (int i = 0; i < points.Length && all; i++)
                {
                    double expected = Reference(candidate, points[i]);
                    all = Math.Abs(computed[i] - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected));
                }

                if (all)
                {
                    return candidate;
                }
            }

            return null;
        }

        /// <summary>The most element-wise nodes read as one activation: exporters write GELU in five, and the bound keeps the checks below cheap.</summary>
        private const int MaxActivationNodes = 32;

        private static readonly HashSet<string> Elementwise = new(StringComparer.Ordinal)
        {
            "Add", "Sub", "Mul", "Div", "Pow", "Neg", "Abs", "Exp", "Log", "Sqrt", "Reciprocal", "Erf", "Sigmoid", "Tanh", "Relu", "Softplus",
            "HardSigmoid", "LeakyRelu", "Elu",
        };

        /// <summary>One element-wise node on scalars, by the ONNX operator's definition (attributes at their defaults unless set).</summary>
        private static double Evaluate(OnnxNode node, double[] x) => node.OpType switch
        {
            "HardSigmoid" => Math.Max(0, Math.Min(1, FloatAttribute(node, "alpha", 0.2f) * x[0] + FloatAttribute(node, "beta", 0.5f))),
            "LeakyRelu" => x[0] >= 0 ? x[0] : FloatAttribute(node, "alpha", 0.01f) * x[0],
            "Elu" => x[0] >= 0 ? x[0] : FloatAttribute(node, "alpha", 1f) * (Math.Exp(x[0]) - 1),
            "Add" when x.Length == 2 => x[0] + x[1],
            "Sub" when x.Length == 2 => x[0] - x[1],
            "Mul" when x.Length == 2 => x[0] * x[1],
            "Div" when x.Length == 2 => x[0] / x[1],
            "Pow" when x.Length == 2 => Math.Pow(x[0], x[1]),
            "Neg" => -x[0],
            "Abs" => Math.Abs(x[0]),
            "Exp" => Math.Exp(x[0]),
            "Log" => Math.Log(x[0]),
            "Sqrt" => Math.Sqrt(x[0]),
            "Reciprocal" => 1 / x[0],
            "Erf" => Erf(x[0]),
            "Sigmoid" => 1 / (1 + Math.Exp(-x[0])),
            "Tanh" => Math.Tanh(x[0]),
            "Relu" => Math.Max(0, x[0]),
            "Softplus" => Math.Log(1 + Math.Exp(x[0])),
            _ => double.NaN,
        };

        /// <summary>Each activation by its definition (see Activation's documentation), in double.</summary>
        private static double Reference(Activation activation, double z) => activation switch
        {
            Activation.Identity => z,
            Activation.ReLU => Math.Max(0, z),
            Activation.LeakyReLU => z > 0 ? z : NetGen.Shared.ActivationConstants.LeakyReLUNegativeSlope * z,
            Activation.Sigmoid => 1 / (1 + Math.Exp(-z)),
            Activation.Tanh => Math.Tanh(z),
            Activation.ELU => z > 0 ? z : Math.Exp(z) - 1,
            Activation.GELU => 0.5 * z * (1 + Erf(z / Math.Sqrt(2))),
            Activation.SiLU => z / (1 + Math.Exp(-z)),
            Activation.Softplus => Math.Log(1 + Math.Exp(z)),
            _ => double.NaN,
        };

        /// <summary>erf by its Maclaurin series, to about 1e-13 for |x| up to 3 (the points above keep it there), and +-1 past 6.</summary>
        private static double Erf(double x)
        {
            if (Math.Abs(x) > 6)
            {
                return Math.Sign(x);
            }

            double sum = 0, term = x;
            for (int n = 0; n < 200; n++)
            {
                double part = term / (2 * n + 1);
                sum += part;
                if (Math.Abs(part) < 1e-17 * Math.Abs(sum))
                {
                    break;
                }

                term *= -x * x / (n + 1);
            }

            return 2 / Math.Sqrt(Math.PI) * sum;
        }

        // ---- Layout no-ops.

        private void PassOver(OnnxNode node)
        {
            if (node.Inputs.Count < 1 || node.Inputs[0] != _current)
            {
                throw Unmappable($"node '{Name(node)}' ({node.OpType}) does not take '{Shorten(_current)}' as its input");
            }

            _matched.Add(node);
            _current = node.Outputs[0];
        }

        /// <summary>Flatten at axis 1 of [batch, ...] is [batch, product]: the same values in the same (row-major) order.</summary>
        private void Flatten(OnnxNode node)
        {
            if (_streaming)
            {
                throw Unsupported($"node '{Name(node)}' is Flatten of a streaming model's [steps, batch, features] values (opset {_opset}), which would merge steps; NetGen passes over a Flatten only in a model of one sample per call");
            }

            long axis = IntAttribute(node, "axis", 1);
            long rank = _dims.Length + (_batched ? 1 : 0);
            if (axis < 0)
            {
                axis += rank;
            }

            if (!_batched || axis != 1)
            {
                throw Unsupported($"node '{Name(node)}' is Flatten at axis {IntAttribute(node, "axis", 1)} of a value of shape {Shape(_dims)} after the batch (opset {_opset}); NetGen passes over Flatten at axis 1 only, which keeps each sample's values as they are");
            }

            PassOver(node);
            _dims = new[] { Product(_dims) };
        }

        /// <summary>Reshape to [batch, features] (or [features] without a batch): each sample's values as they are.</summary>
        private void Reshape(OnnxNode node)
        {
            if (_streaming)
            {
                throw Unsupported($"node '{Name(node)}' is Reshape of a streaming model's [steps, batch, features] values (opset {_opset}); NetGen passes over a Reshape only in a model of one sample per call");
            }

            OnnxTensor shape = Constant(node, 1, "shape");
            long features = Product(_dims);
            double[] target = shape.Values;

            // With a batch: [-1, n], [0, n] (0 copies the batch size), [b, n], or [0, -1]; without: [n] or [-1].
            bool keeps = _batched
                ? target.Length == 2 && ((target[1] == features && (target[0] >= 0 || target[0] == -1)) || (target[0] == 0 && target[1] == -1))
                : target.Length == 1 && (target[0] == features || target[0] == -1);

            if (!keeps)
            {
                throw Unsupported($"node '{Name(node)}' is Reshape of a value of shape {Shape(_dims)} (after the batch) to {Shape(target.Select(v => (long)v).ToArray())} (opset {_opset}); NetGen passes over a Reshape only when it gives [batch, {features}]");
            }

            PassOver(node);
            _dims = new[] { features };
        }

        // ---- Reading nodes.

        private OnnxTensor Constant(OnnxNode node, int index, string role)
        {
            if (node.Inputs.Count <= index || !_constants.TryGetValue(node.Inputs[index], out OnnxTensor? tensor))
            {
                throw Unmappable($"node '{Name(node)}' ({node.OpType}) has a {role} that is computed, not a constant; NetGen compiles weights stored in the file");
            }

            if (role is "B" or "C")
            {
                RequireNumbers(node, tensor);
            }

            return tensor;
        }

        private void RequireNumbers(OnnxNode node, OnnxTensor tensor)
        {
            if (tensor.DataType is not (OnnxTypes.Float or OnnxTypes.Double))
            {
                throw Unmappable($"node '{Name(node)}' ({node.OpType}) has weights '{Shorten(tensor.Name)}' of {OnnxTypes.Name(tensor.DataType)}; NetGen compiles float32 and float64 weights");
            }
        }

        private static OnnxTensor ConstantValue(OnnxNode node)
        {
            foreach (OnnxAttribute attribute in node.Attributes.Values)
            {
                switch (attribute.Name)
                {
                    case "value" when attribute.Tensor is { } tensor:
                        return new OnnxTensor(node.Outputs[0], tensor.DataType, tensor.Dims, tensor.Values);
                    case "value_float" when attribute.Float is { } f:
                        return new OnnxTensor(node.Outputs[0], OnnxTypes.Float, Array.Empty<long>(), new double[] { f });
                    case "value_floats":
                        return new OnnxTensor(node.Outputs[0], OnnxTypes.Float, new long[] { attribute.Floats.Count }, attribute.Floats.Select(v => (double)v).ToArray());
                    case "value_int" when attribute.Int is { } i:
                        return new OnnxTensor(node.Outputs[0], OnnxTypes.Int64, Array.Empty<long>(), new double[] { i });
                    case "value_ints":
                        return new OnnxTensor(node.Outputs[0], OnnxTypes.Int64, new long[] { attribute.Ints.Count }, attribute.Ints.Select(v => (double)v).ToArray());
                }
            }

            throw Unsupported($"node '{Name(node)}' is a Constant whose value NetGen does not read (a sparse or string constant)");
        }

        private static OnnxTensor Transposed(string name, OnnxTensor matrix)
        {
            long rows = matrix.Dims[0], columns = matrix.Dims[1];
            var values = new double[matrix.Values.Length];
            if (values.Length == rows * columns)
            {
                for (long r = 0; r < rows; r++)
                {
                    for (long c = 0; c < columns; c++)
                    {
                        values[c * rows + r] = matrix.Values[r * columns + c];
                    }
                }
            }

            return new OnnxTensor(name, matrix.DataType, new[] { columns, rows }, values);
        }

        private static long IntAttribute(OnnxNode node, string name, long fallback) =>
            node.Attributes.TryGetValue(name, out OnnxAttribute? a) && a.Int is { } value ? value : fallback;

        private static float FloatAttribute(OnnxNode node, string name, float fallback) =>
            node.Attributes.TryGetValue(name, out OnnxAttribute? a) && a.Float is { } value ? value : fallback;

        /// <summary>
        /// The product of dimensions of 1 or more, or long.MaxValue if it passes it: [2^32, 2^32] wrapped to 0, and an
        /// input of that shape was imported as a network of 0 inputs.
        /// </summary>
        private static long Product(long[] dims)
        {
            long product = 1;
            foreach (long dim in dims)
            {
                product = dim != 0 && product > long.MaxValue / dim ? long.MaxValue : product * dim;
            }

            return product;
        }
    }

    private static string Name(OnnxNode node) => Shorten(node.Name);

    private static string Operator(OnnxNode node) => Shorten(node.OpType);

    private static string Shorten(string name) => OnnxReader.Shorten(name);

    private static string Shape(long[] dims) => "[" + string.Join(", ", dims.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static OnnxFormatException Unsupported(string message) => new(message, OnnxProblem.UnsupportedOperator);

    private static OnnxFormatException Unmappable(string message) => new(message, OnnxProblem.Unmappable);
}
