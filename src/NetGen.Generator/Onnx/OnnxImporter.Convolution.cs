using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Onnx;

/// <summary>
/// The causal convolutions of a streaming model: ONNX's Conv works on [batch, channels, steps], so a [Conv1D] layer is
/// a Transpose of the stream's [steps, batch, features] to that layout (perm [1, 2, 0]), zeros before the first step
/// ((kernel size - 1) x dilation of them, in the Conv's pads or a Pad before it, none after the last step, so that each
/// step's output sees that step and the ones before it, as the layer's history of zeros does), the Conv, and a Transpose
/// back (perm [2, 0, 1]); element-wise activations may come before or after the Transpose back. NetGen's exporter
/// writes exactly that; torch writes it for a module that permutes, pads on the left and convolves (at opsets 9 and 10,
/// whose Pad holds its pads as an attribute; from opset 11 torch computes them in nodes, which are refused).
/// </summary>
internal static partial class OnnxImporter
{
    private sealed partial class Mapping
    {
        // Whether the value followed is laid out [batch, channels, steps], between the two Transposes of a convolution,
        // and the steps of zeros a Pad has put before the first step since the first Transpose.
        private bool _channelsFirst;
        private long _leftPad;
        private int _layersAtTranspose;

        /// <summary>A Conv1D layer, its weights [channels, inputs, kernel size] then its biases, as nn.Conv1d holds them.</summary>
        private sealed class ConvolutionLayer(int channels, int kernel, int dilation, double[] weights, double[]? bias) : ImportedLayer
        {
            public override LayerSpec Spec() => new Conv1DLayerSpec(channels, kernel, Activation, dilation, bias is not null);

            public override void AppendParameters(List<double> parameters)
            {
                parameters.AddRange(weights);
                parameters.AddRange(bias ?? Array.Empty<double>());
            }
        }

        /// <summary>Nodes that read a value as [steps, batch, features] refuse it between a convolution's Transposes.</summary>
        private void RequireStepsFirst(OnnxNode node)
        {
            if (_channelsFirst)
            {
                throw Unmappable($"node '{Name(node)}' ({node.OpType}) takes '{Shorten(_current)}', laid out [batch, channels, steps] after a Transpose; NetGen's layers other than a convolution take [steps, batch, features] (a Transpose with perm [2, 0, 1] first)");
            }
        }

        /// <summary>The Transpose into a convolution's layout (perm [1, 2, 0]) or out of it (perm [2, 0, 1]).</summary>
        private void TransposeOfStreams(OnnxNode node)
        {
            long[] perm = node.Attributes.TryGetValue("perm", out OnnxAttribute? p) ? p.Ints.ToArray() : Array.Empty<long>();
            long[] into = { 1, 2, 0 }, back = { 2, 0, 1 };
            if (!_channelsFirst && perm.SequenceEqual(into))
            {
                PassOver(node);
                _channelsFirst = true;
                _leftPad = 0;
                _layersAtTranspose = _layers.Count;
                return;
            }

            if (_channelsFirst && perm.SequenceEqual(back))
            {
                if (_layers.Count == _layersAtTranspose)
                {
                    throw Unmappable($"node '{Name(node)}' (Transpose) turns the values back to [steps, batch, features] with no Conv since they were turned to [batch, channels, steps]");
                }

                if (_leftPad != 0)
                {
                    throw Unmappable($"node '{Name(node)}' (Transpose) follows a Pad that no Conv used");
                }

                PassOver(node);
                _channelsFirst = false;
                return;
            }

            throw Unsupported($"node '{Name(node)}' is Transpose with perm [{string.Join(", ", perm.Take(8))}] of a streaming model's values (opset {_opset}); NetGen reads [steps, batch, features], and a Transpose only around a convolution (perm [1, 2, 0] before it, [2, 0, 1] after), so a batch_first model needs exporting with batch_first=False");
        }

        /// <summary>A Pad of zeros before the first step, and nothing else: the causal convolution's history.</summary>
        private void Pad(OnnxNode node)
        {
            string mode = node.Attributes.TryGetValue("mode", out OnnxAttribute? m) ? m.String ?? "constant" : "constant";
            long[] pads = node.Attributes.TryGetValue("pads", out OnnxAttribute? a)
                ? a.Ints.ToArray()
                : Constant(node, 1, "pads").Values.Select(v => (long)v).ToArray();
            double value = node.Attributes.TryGetValue("value", out OnnxAttribute? f) && f.Float is { } given
                ? given
                : node.Inputs.Count > 2 && node.Inputs[2].Length > 0 ? Constant(node, 2, "constant_value").Values.FirstOrDefault() : 0;

            // pads is [batch, channels, steps before, batch, channels, steps after].
            bool causal = mode == "constant" && value == 0 && pads.Length == 6 && pads[2] >= 0 && pads.Where((_, i) => i != 2).All(v => v == 0);
            if (!causal || (node.Inputs.Count > 3 && node.Inputs[3].Length > 0))
            {
                throw Unsupported($"node '{Name(node)}' is Pad (mode '{Shorten(mode)}', value {Format(value)}, pads [{string.Join(", ", pads.Take(8))}], opset {_opset}); NetGen reads a Pad only as zeros before the first step of a causal convolution ([0, 0, n, 0, 0, 0])");
            }

            _leftPad += pads[2];
            PassOver(node);
        }

        /// <summary>
        /// Conv of [batch, inputs, steps] with constant weights [channels, inputs, kernel size]: stride 1, one group, and
        /// (kernel size - 1) x dilation zeros before the first step (its own pads and a Pad before it together), none
        /// after: a causal Conv1D layer.
        /// </summary>
        private void Convolution(OnnxNode node)
        {
            if (node.Inputs.Count < 2 || node.Inputs[0] != _current)
            {
                throw Unmappable($"node '{Name(node)}' (Conv) takes '{Shorten(_current)}' as its weights, not as its data X");
            }

            OnnxTensor w = Constant(node, 1, "W");
            RequireNumbers(node, w);
            long inputs = _dims[0];
            if (w.Dims.Length != 3 || w.Dims[1] != inputs || w.Dims[0] < 1 || w.Dims[0] > int.MaxValue || w.Dims[2] < 1 || w.Dims[2] > int.MaxValue || w.Values.Length != Product(w.Dims))
            {
                throw Unmappable($"node '{Name(node)}' (Conv) has weights of shape {Shape(w.Dims)}, where a convolution over the steps of the {inputs} values before it needs [channels, {inputs}, kernel size]");
            }

            long channels = w.Dims[0], kernel = w.Dims[2];
            long[] Ints(string name, params long[] fallback) => node.Attributes.TryGetValue(name, out OnnxAttribute? a) ? a.Ints.ToArray() : fallback;
            long[] dilations = Ints("dilations", 1), strides = Ints("strides", 1), pads = Ints("pads", 0, 0), shape = Ints("kernel_shape", kernel);
            string autoPad = node.Attributes.TryGetValue("auto_pad", out OnnxAttribute? ap) ? ap.String ?? "NOTSET" : "NOTSET";
            if (IntAttribute(node, "group", 1) != 1 || strides.Length != 1 || strides[0] != 1 || dilations.Length != 1 || dilations[0] < 1 || dilations[0] > int.MaxValue
                || shape.Length != 1 || shape[0] != kernel || pads.Length != 2 || autoPad != "NOTSET")
            {
                throw Unsupported($"node '{Name(node)}' is Conv with group {IntAttribute(node, "group", 1)}, strides [{string.Join(", ", strides.Take(4))}], dilations [{string.Join(", ", dilations.Take(4))}], kernel_shape [{string.Join(", ", shape.Take(4))}], auto_pad '{Shorten(autoPad)}' (opset {_opset}); NetGen's Conv1D is one group, stride 1, one dilation, over the steps");
            }

            long reach = (kernel - 1) * dilations[0];
            if (_leftPad + pads[0] != reach || pads[1] != 0)
            {
                throw Unsupported($"node '{Name(node)}' is Conv with {_leftPad + pads[0]} zeros before the first step and {pads[1]} after the last (opset {_opset}); NetGen's Conv1D in a streaming model is causal: (kernel size - 1) x dilation = {reach} before, none after, so each step sees only itself and the steps before it");
            }

            double[]? bias = null;
            if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0)
            {
                OnnxTensor b = Constant(node, 2, "B");
                RequireNumbers(node, b);
                if (b.Dims.Length != 1 || b.Dims[0] != channels || b.Values.Length != channels)
                {
                    throw Unmappable($"node '{Name(node)}' (Conv) has a bias of shape {Shape(b.Dims)}, where its {channels} channels need [{channels}]");
                }

                bias = b.Values.Select(v => Checked(node, v)).ToArray();
            }

            double[] weights = w.Values.Select(v => Checked(node, v)).ToArray();
            _layers.Add(new ConvolutionLayer((int)channels, (int)kernel, (int)dilations[0], weights, bias));
            _matched.Add(node);
            _current = node.Outputs[0];
            _dims = new[] { channels };
            _leftPad = 0;
            _activated = false;
        }
    }
}
