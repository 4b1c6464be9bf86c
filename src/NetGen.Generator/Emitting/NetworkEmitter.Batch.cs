using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting;

/// <summary>
/// TrainBatch in blocks of samples, for networks whose layers are all SIMD loops. Sample by sample, Backward reads
/// every weight in the forward pass and reads and writes every gradient, so a wide layer streams its weights and
/// gradients through the cache once per sample. In blocks, each row of weights is read from memory once per block
/// and then from the L1 cache for the block's other samples; the same for each row of gradients. Every value gets
/// exactly the operations, in the same order, that n calls of Backward give it, so the result is the same to the
/// last bit (TrainStepTests checks it).
/// </summary>
internal sealed partial class NetworkEmitter
{
    /// <summary>Samples per block: eight rows of 784 floats (25 KB) stay in a 32 KB L1 cache beside a row of weights.</summary>
    internal const int BatchBlock = 8;

    /// <summary>The most stack the block's values may take; past it, TrainBatch goes sample by sample.</summary>
    internal const int MaxBatchBlockBytes = 64 * 1024;

    /// <summary>
    /// Whether TrainBatch is written in blocks: every layer is SIMD loops (the blocks hold every layer's values in
    /// spans), no CheckFinite (whose checks name one sample's layer and node), and the block fits its stack budget.
    /// </summary>
    private bool BlockedBatch
    {
        get
        {
            if (_spec.CheckFinite || _plan.Layers.Any(layer => layer.Unrolled || !UsesKernels(layer)))
            {
                return false;
            }

            long values = _plan.Layers.Sum(layer => 2L * layer.Units) + _plan.Outputs;
            return values * BatchBlock * (_spec.Element == ElementKind.Double ? 8 : 4) <= MaxBatchBlockBytes;
        }
    }

    private string Block(int vector) => $"a{Literals.Int(vector)}Block";

    /// <summary>The blocked body of TrainBatch; see the class remarks.</summary>
    private void EmitBlockedTrainBatch()
    {
        string block = Literals.Int(BatchBlock);
        LayerPlan last = _plan.Layers[_plan.Layers.Length - 1];
        bool keepZ = KeepsLogits(last);
        string l = Literals.Int(last.Number);
        _w.Line("int samples = global::NetGen.Guard.BatchSize(inputs.Length, InputCount, targets.Length, OutputCount);");
        _w.Line("ZeroGradients();");
        _w.Line($"global::System.ReadOnlySpan<{_t}> p = __parameters;");
        _w.Line($"global::System.Span<{_t}> g = __gradients;");
        _w.Line($"{_t} total = {Lit(0)};");
        _w.Line();
        _w.Line($"// Blocks of {block} samples. Each row of weights is read from memory once per block, then from the L1 cache for the");
        _w.Line("// block's other samples; the same for each row of gradients. Every value gets the operations, in the order, that");
        _w.Line($"// one Backward call per sample gives it, so the result is the same to the last bit. Sample k of a block keeps its");
        _w.Line("// layer-l values at al_Block[k * (units of l) + j].");
        foreach (LayerPlan layer in _plan.Layers)
        {
            string size = Literals.Int(BatchBlock * layer.Units);
            _w.Line($"global::System.Span<{_t}> {Block(layer.Number)} = stackalloc {_t}[{size}];");
            _w.Line($"global::System.Span<{_t}> dz{Literals.Int(layer.Number)}Block = stackalloc {_t}[{size}];");
        }

        if (keepZ)
        {
            _w.Line($"global::System.Span<{_t}> z{l}Block = stackalloc {_t}[{Literals.Int(BatchBlock * last.Units)}];");
        }

        if (last.Activation == ActivationKind.Softmax)
        {
            // The cross-entropy is computed from z with the softmax's m and s (no log of a rounded probability).
            _w.Line($"global::System.Span<{_t}> m{l}Block = stackalloc {_t}[{block}];");
            _w.Line($"global::System.Span<{_t}> s{l}Block = stackalloc {_t}[{block}];");
        }

        _w.Line($"global::System.Span<{_t}> sums = stackalloc {_t}[{block}];");
        _w.Line($"global::System.Span<{_t}> slopes = stackalloc {_t}[{block}];");
        _w.Line($"global::System.Span<int> which = stackalloc int[{block}];");
        _w.Line("int s = 0;");
        _w.Open($"for (; s + {block} <= samples; s += {block})");
        _w.Line($"global::System.ReadOnlySpan<{_t}> a0Block = inputs.Slice(s * InputCount, {block} * InputCount);");
        _w.Line($"global::System.ReadOnlySpan<{_t}> targetBlock = targets.Slice(s * OutputCount, {block} * OutputCount);");
        foreach (LayerPlan layer in _plan.Layers)
        {
            _w.Line();
            EmitBlockForward(layer, keepZ && layer == last);
        }

        _w.Line();
        _w.Line("// Each sample's loss and the slopes dL/dz of every layer's nodes: the backward pass without the weights' slopes.");
        _w.Open($"for (int k = 0; k < {block}; k++)");
        var arguments = new List<string> { "targetBlock.Slice(k * OutputCount, OutputCount)" };
        foreach (LayerPlan layer in _plan.Layers)
        {
            arguments.Add($"{Block(layer.Number)}.Slice(k * {Literals.Int(layer.Units)}, {Literals.Int(layer.Units)})");
        }

        if (keepZ)
        {
            arguments.Add($"z{l}Block.Slice(k * {Literals.Int(last.Units)}, {Literals.Int(last.Units)})");
        }

        if (last.Activation == ActivationKind.Softmax)
        {
            arguments.Add($"m{l}Block[k]");
            arguments.Add($"s{l}Block[k]");
        }

        foreach (LayerPlan layer in _plan.Layers)
        {
            arguments.Add($"dz{Literals.Int(layer.Number)}Block.Slice(k * {Literals.Int(layer.Units)}, {Literals.Int(layer.Units)})");
        }

        _w.Line($"total += __BatchSlopes({string.Join(", ", arguments)});");
        _w.Close();
        for (int index = _plan.Layers.Length - 1; index >= 0; index--)
        {
            _w.Line();
            EmitBlockGradients(_plan.Layers[index]);
        }

        _w.Close();
        _w.Line();
        _w.Line("// The samples after the last whole block, one by one.");
        _w.Open("for (; s < samples; s++)");
        _w.Line("total += Backward(inputs.Slice(s * InputCount, InputCount), targets.Slice(s * OutputCount, OutputCount));");
        _w.Close();
    }

    /// <summary>Layer l's values for every sample of the block: one dot product per node and sample.</summary>
    private void EmitBlockForward(LayerPlan layer, bool keepZ)
    {
        string n = Literals.Int(layer.Number);
        string inputs = Literals.Int(layer.Inputs);
        string units = Literals.Int(layer.Units);
        _w.Line($"// Layer {n} for the block's samples: {Describe(layer)}; each row of weights is loaded once for four samples (Kernels.DotRows).");
        bool softmax = layer.Activation == ActivationKind.Softmax;
        _w.Open($"for (int j = 0; j < {units}; j++)");
        _w.Line($"global::NetGen.Kernels.DotRows<{_t}>(p.Slice({Row(layer)}, {inputs}), {Block(layer.Number - 1)}, sums);");
        _w.Open($"for (int k = 0; k < {Literals.Int(BatchBlock)}; k++)");
        string bias = layer.Bias ? $" + p[{Literals.Int(layer.BiasOffset)} + j]" : string.Empty;
        _w.Line($"{_t} z = sums[k]{bias};");
        if (keepZ)
        {
            _w.Line($"z{n}Block[(k * {units}) + j] = z;");
        }

        if (!softmax)
        {
            _w.Line($"{Block(layer.Number)}[(k * {units}) + j] = {Activate(layer.Activation, "z")};");
        }

        _w.Close();
        _w.Close();
        if (softmax)
        {
            _w.Open($"for (int k = 0; k < {Literals.Int(BatchBlock)}; k++)");
            _w.Line($"global::System.ReadOnlySpan<{_t}> z{n} = z{n}Block.Slice(k * {units}, {units});");
            _w.Line($"global::System.Span<{_t}> a{n} = {Block(layer.Number)}.Slice(k * {units}, {units});");
            EmitLoopedSoftmax(layer, $"a{n}");
            _w.Line($"m{n}Block[k] = m{n};");
            _w.Line($"s{n}Block[k] = s{n};");
            _w.Close();
        }
    }

    /// <summary>Layer l's weights' slopes, added into the gradients row by row, sample by sample in order.</summary>
    private void EmitBlockGradients(LayerPlan layer)
    {
        string n = Literals.Int(layer.Number);
        string inputs = Literals.Int(layer.Inputs);
        string units = Literals.Int(layer.Units);
        string values = Block(layer.Number - 1);
        _w.Line($"// Layer {n}'s weights' slopes: dL/dw[j,i] += dL/dz{n}_j * value i feeding it, for each sample of the block in turn;");
        _w.Line("// each row of gradients is read and written once for the whole block. A sample whose dL/dz is exactly 0 (a ReLU");
        _w.Line("// that did not fire) would add 0 * x = 0, which leaves a gradient as it is (a sum that starts at +0 is never -0):");
        _w.Line("// when the values feeding the layer are finite, it is left out.");
        _w.Line($"bool finite{n} = global::NetGen.Kernels.AllFinite<{_t}>({values});");
        _w.Open($"for (int j = 0; j < {units}; j++)");
        _w.Line("int listed = 0;");
        _w.Open($"for (int k = 0; k < {Literals.Int(BatchBlock)}; k++)");
        _w.Line($"{_t} d = dz{n}Block[(k * {units}) + j];");
        if (layer.Bias)
        {
            _w.Line($"g[{Literals.Int(layer.BiasOffset)} + j] += d;");
        }

        _w.Open($"if (d != {Lit(0)} || !finite{n})");
        _w.Line("slopes[listed] = d;");
        _w.Line("which[listed] = k;");
        _w.Line("listed++;");
        _w.Close();
        _w.Close();
        _w.Line();
        _w.Open("if (listed > 0)");
        _w.Line($"global::NetGen.Kernels.MultiplyAddRows<{_t}>({values}, which.Slice(0, listed), slopes.Slice(0, listed), g.Slice({Row(layer)}, {inputs}));");
        _w.Close();
        _w.Close();
    }

    /// <summary>
    /// One sample's loss and slopes dL/dz, from its layers' values: the loss and backward passes of Backward, with
    /// the weights' slopes left to the blocked loops of TrainBatch.
    /// </summary>
    private void EmitBatchSlopes()
    {
        LayerPlan last = _plan.Layers[_plan.Layers.Length - 1];
        bool keepZ = KeepsLogits(last);
        var parameters = new List<string> { $"global::System.ReadOnlySpan<{_t}> target" };
        foreach (LayerPlan layer in _plan.Layers)
        {
            parameters.Add($"global::System.ReadOnlySpan<{_t}> a{Literals.Int(layer.Number)}");
        }

        if (keepZ)
        {
            parameters.Add($"global::System.ReadOnlySpan<{_t}> z{Literals.Int(last.Number)}");
        }

        if (last.Activation == ActivationKind.Softmax)
        {
            parameters.Add($"{_t} m{Literals.Int(last.Number)}");
            parameters.Add($"{_t} s{Literals.Int(last.Number)}");
        }

        foreach (LayerPlan layer in _plan.Layers)
        {
            parameters.Add($"global::System.Span<{_t}> dz{Literals.Int(layer.Number)}Out");
        }

        _w.Line("/// <summary>One sample's loss, and the slopes dL/dz of its layers' nodes into dz1Out, ...: TrainBatch's per-sample part.</summary>");
        _w.Line(GeneratedCode);
        _w.Open($"private {_t} __BatchSlopes({string.Join(", ", parameters)})");
        _w.Line($"global::System.ReadOnlySpan<{_t}> p = __parameters;");
        EmitLossPass(Pass.BatchSlopes);
        EmitBackwardPass(Pass.BatchSlopes);
        _w.Line();
        foreach (LayerPlan layer in _plan.Layers)
        {
            string n = Literals.Int(layer.Number);
            _w.Line($"dz{n}.CopyTo(dz{n}Out);");
        }

        _w.Line("return loss;");
        _w.Close();
    }

    /// <summary>Whether the last layer's z is kept for the loss (cross-entropies, from the logits) or for Softmax.</summary>
    private bool KeepsLogits(LayerPlan last) =>
        _spec.Loss != LossKind.MeanSquaredError || last.Activation == ActivationKind.Softmax;
}
