using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Onnx;

/// <summary>
/// The recurrent layers of a streaming model: an ONNX GRU or LSTM node (one direction, PyTorch's equations) is a [Gru]
/// or [Lstm] layer, its gate blocks reordered from ONNX's order to PyTorch's, which NetGen's parameters keep. The values
/// of a streaming model are [steps, batch, features]: a recurrent node's output Y, [steps, directions, batch, units], is
/// squeezed back to that by the Squeeze of its direction axis that torch and NetGen's exporter write after it; a Dense
/// layer at every step is a MatMul and an Add. What torch writes to make a recurrent node's zero starting state from the
/// input's shape (Shape, Gather, Unsqueeze, Concat, ConstantOfShape or Expand) is no layer, and is folded away.
/// </summary>
internal static partial class OnnxImporter
{
    private sealed partial class Mapping
    {
        /// <summary>
        /// A node only a streaming model has: a GRU, an LSTM, or a Conv with weights of three dimensions (over steps; a
        /// Conv over images has four).
        /// </summary>
        private bool IsStreamingLayer(OnnxNode node) =>
            node.OpType is "GRU" or "LSTM"
            || (node.OpType == "Conv" && node.Inputs.Count > 1 && _graph.Initializers.TryGetValue(node.Inputs[1], out OnnxTensor? w) && w.Dims.Length == 3);

        /// <summary>
        /// The operators that compute shapes and constants: a group of them that only feeds recurrent nodes' starting
        /// states is the zero state torch writes (the values are checked to be zeros where they are used).
        /// </summary>
        private static readonly HashSet<string> ShapeOperators = new(StringComparer.Ordinal)
        {
            "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Constant", "Slice", "Cast", "Reshape", "ConstantOfShape", "Expand",
        };

        /// <summary>
        /// ONNX's gate blocks for each of NetGen's (PyTorch's), in NetGen's order. GRU: NetGen's r, z, n are ONNX's
        /// blocks 1, 0, 2 (ONNX orders them z, r, h). LSTM: NetGen's i, f, g, o are ONNX's 0, 2, 3, 1 (ONNX: i, o, f, c).
        /// </summary>
        private static readonly int[] GruGates = { 1, 0, 2 }, LstmGates = { 0, 2, 3, 1 };

        /// <summary>A GRU or LSTM layer, with its parameters already in NetGen's layout.</summary>
        private sealed class RecurrentLayer(RecurrentLayerSpec spec, double[] parameters) : ImportedLayer
        {
            public override LayerSpec Spec() => spec;

            public override void AppendParameters(List<double> list) => list.AddRange(parameters);
        }

        /// <summary>
        /// Marks as folded the live nodes that only compute recurrent nodes' starting states: the shape operators whose
        /// every output goes only to other such nodes or into a recurrent node's initial_h or initial_c. A worklist keeps
        /// this linear in the graph: a node found to feed anything else takes the nodes feeding it out of the group.
        /// </summary>
        private void FoldZeroStates(string output)
        {
            var group = new HashSet<OnnxNode>(_graph.Nodes.Where(n => _live.Contains(n) && ShapeOperators.Contains(n.OpType) && n.Domain is "" or "ai.onnx"));
            var users = new Dictionary<string, List<(OnnxNode Node, int Slot)>>(StringComparer.Ordinal);
            foreach (OnnxNode node in _graph.Nodes)
            {
                if (!_live.Contains(node))
                {
                    continue;
                }

                for (int slot = 0; slot < node.Inputs.Count; slot++)
                {
                    if (!users.TryGetValue(node.Inputs[slot], out List<(OnnxNode, int)>? list))
                    {
                        users[node.Inputs[slot]] = list = new List<(OnnxNode, int)>();
                    }

                    list.Add((node, slot));
                }
            }

            var dropped = new Stack<OnnxNode>();
            foreach (OnnxNode node in group)
            {
                if (node.Outputs.Any(o => o == output || (users.TryGetValue(o, out List<(OnnxNode Node, int Slot)>? list) && list.Any(u => !group.Contains(u.Node) && !IsStartingState(u.Node, u.Slot)))))
                {
                    dropped.Push(node);
                }
            }

            foreach (OnnxNode node in dropped)
            {
                group.Remove(node);
            }

            while (dropped.Count > 0)
            {
                OnnxNode node = dropped.Pop();
                foreach (string input in node.Inputs)
                {
                    if (_producers.TryGetValue(input, out OnnxNode? producer) && group.Remove(producer))
                    {
                        dropped.Push(producer);
                    }
                }
            }

            _folded.UnionWith(group);
        }

        /// <summary>Input 5 of a GRU (initial_h), 5 and 6 of an LSTM (initial_h, initial_c).</summary>
        private static bool IsStartingState(OnnxNode node, int slot) =>
            (node.OpType == "GRU" && slot == 5) || (node.OpType == "LSTM" && slot is 5 or 6);

        /// <summary>
        /// A GRU or LSTM node on the current value: checks that it computes PyTorch's cell, one direction, from a zero
        /// state, reads its weights W [1, gates x units, inputs], R [1, gates x units, units] and biases B
        /// [1, 2 x gates x units] (W's then R's), reorders their gate blocks into NetGen's, and follows the Squeeze of Y's
        /// direction axis after it.
        /// </summary>
        private void Recurrent(OnnxNode node, RecurrentCell cell)
        {
            string kind = cell == RecurrentCell.Gru ? "GRU" : "LSTM";
            int gates = cell == RecurrentCell.Gru ? 3 : 4;
            if (node.Inputs.Count < 3 || node.Inputs[0] != _current)
            {
                throw Unmappable($"node '{Name(node)}' ({kind}) takes '{Shorten(_current)}' as its weights or state, not as its sequence X");
            }

            if (_dims.Length != 1)
            {
                throw Unmappable($"node '{Name(node)}' ({kind}) takes a value of shape {Shape(_dims)} at each step, where a recurrent layer takes a vector");
            }

            RequireStepsFirst(node);

            CheckRecurrentAttributes(node, kind);
            if (node.Attributes.TryGetValue("hidden_size", out OnnxAttribute? size) is false || size.Int is not { } hidden || hidden < 1 || hidden > int.MaxValue)
            {
                throw Unmappable($"node '{Name(node)}' ({kind}) does not give its hidden_size as a positive number");
            }

            long inputs = _dims[0], units = hidden, rows = gates * units;
            OnnxTensor w = Constant(node, 1, "W"), r = Constant(node, 2, "R");
            RequireNumbers(node, w);
            RequireNumbers(node, r);
            RequireShape(node, kind, "W", w, 1, rows, inputs);
            RequireShape(node, kind, "R", r, 1, rows, units);
            OnnxTensor? b = null;
            if (node.Inputs.Count > 3 && node.Inputs[3].Length > 0)
            {
                b = Constant(node, 3, "B");
                RequireNumbers(node, b);
                RequireShape(node, kind, "B", b, 1, 2 * rows);
            }

            if (node.Inputs.Count > 4 && node.Inputs[4].Length > 0)
            {
                throw Unsupported($"node '{Name(node)}' is {kind} with sequence_lens (opset {_opset}): a stream has no length, so NetGen's recurrent layers take every step");
            }

            int lastState = cell == RecurrentCell.Gru ? 5 : 6;
            for (int slot = 5; slot <= lastState && slot < node.Inputs.Count; slot++)
            {
                if (node.Inputs[slot].Length > 0 && !IsZeros(node.Inputs[slot]))
                {
                    throw Unsupported($"node '{Name(node)}' is {kind} with an initial {(slot == 5 ? "hidden state" : "cell state")} '{Shorten(node.Inputs[slot])}' that is not zero (opset {_opset}); NetGen's streams start from zeros (CreateState and Reset)");
                }
            }

            if (cell == RecurrentCell.Lstm && node.Inputs.Count > 7 && node.Inputs[7].Length > 0)
            {
                throw Unsupported($"node '{Name(node)}' is LSTM with peephole weights P (opset {_opset}), which PyTorch's LSTM and NetGen's do not have");
            }

            for (int o = 1; o < node.Outputs.Count; o++)
            {
                if (node.Outputs[o].Length > 0 && _consumers.ContainsKey(node.Outputs[o]))
                {
                    throw Unmappable($"node '{Name(node)}' ({kind}) has its final state '{Shorten(node.Outputs[o])}' used; NetGen's recurrent layer passes on its output at every step (Y), and keeps its state in the stream's State");
                }
            }

            // NetGen's parameters, as [Gru] and [Lstm] hold them (PyTorch's weight_ih, weight_hh, bias_ih, bias_hh): ONNX's
            // gate blocks reordered, every value checked as a Dense layer's are.
            int[] order = cell == RecurrentCell.Gru ? GruGates : LstmGates;
            var parameters = new List<double>((int)Math.Min(int.MaxValue, (rows * (inputs + units + 2)) + 1));
            AppendGates(node, parameters, w.Values, 0, order, units, inputs);
            AppendGates(node, parameters, r.Values, 0, order, units, units);
            if (b is not null)
            {
                AppendGates(node, parameters, b.Values, 0, order, units, 1);
                AppendGates(node, parameters, b.Values, rows, order, units, 1);
            }

            string squeezed = SqueezeOfDirections(node, kind);
            _layers.Add(new RecurrentLayer(new RecurrentLayerSpec(cell, (int)units, b is not null), parameters.ToArray()));
            _matched.Add(node);
            _current = squeezed;
            _dims = new[] { units };
            _activated = false;
        }

        /// <summary>One direction, PyTorch's cell: the attributes that would make it another are refused by name.</summary>
        private void CheckRecurrentAttributes(OnnxNode node, string kind)
        {
            string direction = node.Attributes.TryGetValue("direction", out OnnxAttribute? d) ? d.String ?? "forward" : "forward";
            if (direction != "forward")
            {
                throw Unsupported($"node '{Name(node)}' is {kind} with direction = '{Shorten(direction)}' (opset {_opset}); a stream runs forwards only, so NetGen's recurrent layers are one direction (not bidirectional or reverse)");
            }

            if (kind == "GRU" && IntAttribute(node, "linear_before_reset", 0) != 1)
            {
                throw Unsupported($"node '{Name(node)}' is GRU with linear_before_reset = {IntAttribute(node, "linear_before_reset", 0)} (opset {_opset}): ONNX's default multiplies by the reset gate before the recurrent weights of n, and NetGen's GRU is PyTorch's, which multiplies after (linear_before_reset = 1, what torch exports)");
            }

            if (kind == "LSTM" && IntAttribute(node, "input_forget", 0) != 0)
            {
                throw Unsupported($"node '{Name(node)}' is LSTM with input_forget = 1 (opset {_opset}), which couples the input and forget gates; NetGen's LSTM is PyTorch's");
            }

            if (node.Attributes.ContainsKey("clip"))
            {
                throw Unsupported($"node '{Name(node)}' is {kind} with a cell clip (opset {_opset}), which PyTorch's {kind} and NetGen's do not have");
            }

            if (IntAttribute(node, "layout", 0) != 0)
            {
                throw Unsupported($"node '{Name(node)}' is {kind} with layout = 1 (batch first, opset {_opset}); NetGen reads [steps, batch, features], layout 0");
            }

            if (node.Attributes.ContainsKey("activation_alpha") || node.Attributes.ContainsKey("activation_beta"))
            {
                throw Unsupported($"node '{Name(node)}' is {kind} with activation_alpha or activation_beta (opset {_opset}), parameters of gate activations PyTorch's {kind} does not have");
            }

            if (node.Attributes.TryGetValue("activations", out OnnxAttribute? activations))
            {
                string[] expected = kind == "GRU" ? new[] { "Sigmoid", "Tanh" } : new[] { "Sigmoid", "Tanh", "Tanh" };
                string[] given = activations.Strings.ToArray();
                if (!given.SequenceEqual(expected, StringComparer.OrdinalIgnoreCase))
                {
                    throw Unsupported($"node '{Name(node)}' is {kind} with activations {string.Join(", ", given.Take(4).Select(Shorten))} (opset {_opset}); NetGen's {kind} is PyTorch's, with the gate activations {string.Join(", ", expected)}");
                }
            }
        }

        /// <summary>A tensor of exactly the dimensions given (the 1 in front being the number of directions).</summary>
        private void RequireShape(OnnxNode node, string kind, string role, OnnxTensor tensor, params long[] dims)
        {
            if (!tensor.Dims.SequenceEqual(dims) || tensor.Values.Length != Product(dims))
            {
                throw Unmappable($"node '{Name(node)}' ({kind}) has a {role} of shape {Shape(tensor.Dims)}, where one direction of {dims[1] / (kind == "GRU" ? 3 : 4) / (role == "B" ? 2 : 1)} units taking the values before it needs {Shape(dims)}");
            }
        }

        /// <summary>
        /// Appends, gate block by gate block in NetGen's order, the rows of <paramref name="values"/> (from
        /// <paramref name="start"/>, blocks of <paramref name="units"/> rows of <paramref name="columns"/> values in ONNX's
        /// order).
        /// </summary>
        private void AppendGates(OnnxNode node, List<double> parameters, double[] values, long start, int[] order, long units, long columns)
        {
            foreach (int gate in order)
            {
                long from = start + (gate * units * columns);
                for (long i = 0; i < units * columns; i++)
                {
                    parameters.Add(Checked(node, values[from + i]));
                }
            }
        }

        /// <summary>
        /// The Squeeze of axis 1 (the directions) that must follow a recurrent node's Y, [steps, 1, batch, units]; its
        /// output, [steps, batch, units], is the value the chain goes on with.
        /// </summary>
        private string SqueezeOfDirections(OnnxNode node, string kind)
        {
            string y = node.Outputs.Count > 0 ? node.Outputs[0] : string.Empty;
            List<OnnxNode> next = y.Length > 0 && _consumers.TryGetValue(y, out List<OnnxNode>? list) ? list : new List<OnnxNode>();
            if (next.Count != 1 || next[0] is not { OpType: "Squeeze" } squeeze || squeeze.Inputs.Count == 0 || squeeze.Inputs[0] != y || squeeze.Outputs.Count != 1)
            {
                throw Unmappable($"node '{Name(node)}' ({kind}) has its output Y, [steps, directions, batch, units], used {(next.Count == 0 ? "as the graph's output" : $"by '{Name(next[0])}' ({Operator(next[0])})")} rather than by one Squeeze of the directions axis (axis 1), which gives the stream's values at each step");
            }

            long[] axes = squeeze.Attributes.TryGetValue("axes", out OnnxAttribute? a)
                ? a.Ints.ToArray()
                : squeeze.Inputs.Count > 1 && _constants.TryGetValue(squeeze.Inputs[1], out OnnxTensor? c) ? c.Values.Select(v => (long)v).ToArray() : Array.Empty<long>();
            if (axes.Length != 1 || (axes[0] != 1 && axes[0] != -3))
            {
                throw Unmappable($"node '{Name(squeeze)}' (Squeeze) after '{Name(node)}' ({kind}) squeezes axes [{string.Join(", ", axes.Take(4))}], where the stream's values need the directions axis, 1, alone removed");
            }

            _matched.Add(squeeze);
            return squeeze.Outputs[0];
        }

        /// <summary>
        /// Whether a value is all zeros: a constant of zeros, a ConstantOfShape of zero (its default), or a part, copy or
        /// broadcast of one (Slice, Gather, Squeeze, Unsqueeze, Reshape, Identity, Cast, Expand of its first input: how
        /// torch gives each layer of a multi-layer module its slice of one zero state). Which shape the zeros have is
        /// left to the node that reads them, the starting state. Followed a bounded number of nodes, without recursion.
        /// </summary>
        private bool IsZeros(string name)
        {
            for (int hop = 0; hop < MaxZeroStateHops; hop++)
            {
                if (_constants.TryGetValue(name, out OnnxTensor? constant))
                {
                    return constant.Values.All(v => v == 0);
                }

                if (!_producers.TryGetValue(name, out OnnxNode? producer))
                {
                    return false;
                }

                switch (producer.OpType)
                {
                    case "ConstantOfShape":
                        return !producer.Attributes.TryGetValue("value", out OnnxAttribute? value) || (value.Tensor is { } t && t.Values.All(v => v == 0));
                    case "Slice" or "Gather" or "Squeeze" or "Unsqueeze" or "Reshape" or "Identity" or "Cast" or "Expand" when producer.Inputs.Count > 0:
                        name = producer.Inputs[0];
                        break;
                    default:
                        return false;
                }
            }

            return false;
        }

        /// <summary>The most nodes between a zero tensor and the starting state it becomes: torch writes one or two.</summary>
        private const int MaxZeroStateHops = 16;
    }
}
