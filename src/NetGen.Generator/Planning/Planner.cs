using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>
/// Chooses, per layer, straight-line code or constant-bound loops, and lays out the parameters.
/// The thresholds and the measurements behind them are in docs/planner.md.
/// </summary>
internal static class Planner
{
    /// <summary>
    /// Under CodeShape.Auto a layer is unrolled when it has at most this many weights. Measured against the SIMD
    /// loops (docs/planner.md): up to 128 weights straight-line code is as fast or faster in Forward and faster in
    /// TrainStep; at 256 the loops win TrainStep by 1.5x. A network may set its own
    /// ([Network(MaxUnrolledLayerWeights = ...)], see <see cref="MaxWeightsPerUnrolledLayer"/>), from 1 to
    /// <see cref="UnrollMaxWeights"/>.
    /// </summary>
    public const int AutoUnrollMaxWeightsPerLayer = 128;

    /// <summary>
    /// Under CodeShape.Auto, the most weights unrolled in one network unless the network sets its own per-layer
    /// limit. Measured against the SIMD loops (docs/planner.md): one 256-weight layer already loses TrainStep by
    /// 1.5x, three (768 weights) by 4.6x.
    /// </summary>
    public const int AutoUnrollMaxWeights = 256;

    /// <summary>
    /// The most weights unrolled in one network in any case (Code = CodeShape.Unrolled, or a per-layer limit set
    /// by hand): past it the method grows towards what the JIT optimises well (docs/planner.md, JitLimitTests).
    /// </summary>
    public const int UnrollMaxWeights = 768;

    /// <summary>
    /// The most IL the unrolled layers may put into one method (TrainStep is the largest), well under the
    /// 60,000 bytes past which the JIT stops optimising a method.
    /// </summary>
    public const int MaxEstimatedIL = 48_000;

    /// <summary>
    /// The most locals one generated method may declare, well under the 512 the JIT tracks.
    /// </summary>
    public const int MaxEstimatedLocals = 400;

    /// <summary>
    /// IL bytes per unrolled weight in TrainStep (a product in the forward pass, one in passing the slope back,
    /// and an update) and per unrolled node (its sum, activation, slope and bias, with 8-byte constants in
    /// double). Fitted to the generated code when it indexed spans (JitLimitTests, double LeakyReLU, the costliest):
    /// 768 weights over 40 nodes made 41,281 bytes, 710 weights over 79 nodes 49,175; these estimates err high.
    /// Reading through refs (Unsafe.Add with constant offsets) takes a byte or two fewer per access: the same 768
    /// weights now make 39,310 bytes, so the estimates err higher still; left as they are.
    /// </summary>
    public const int ILPerUnrolledWeight = 44;

    /// <summary>IL bytes per unrolled node; see <see cref="ILPerUnrolledWeight"/>.</summary>
    public const int ILPerUnrolledUnit = 270;

    /// <summary>IL bytes per unrolled node that CheckFinite adds to each pass: a test, a branch and a call.</summary>
    public const int ILPerFiniteCheck = 40;

    /// <summary>Locals per unrolled node: z, a, dz and da.</summary>
    public const int LocalsPerUnrolledUnit = 4;

    /// <summary>Locals per unrolled layer: the views its lines compute through (w, b and, in Backward, dw and db).</summary>
    public const int LocalsPerUnrolledLayer = 4;

    /// <summary>
    /// Locals a looped layer adds to Backward and TrainStep (its spans, loop counters, row offset and
    /// temporaries). Measured on the generated code (JitLimitTests): 12.
    /// </summary>
    public const int LocalsPerLoopedLayer = 14;

    /// <summary>Locals every method has whatever the layers: p, g, the loss, and the loss's own temporaries.</summary>
    public const int FixedLocals = 16;

    /// <summary>
    /// A looped layer whose nodes each take at least this many values calls the SIMD row kernels of NetGen.Kernels
    /// (one Vector256 of float); a shorter row is a plain scalar loop.
    /// </summary>
    public const int KernelMinInputs = 8;

    /// <summary>Samples per block of the blocked TrainBatch: eight rows of 784 floats (25 KB) stay in a 32 KB L1 cache beside a row of weights.</summary>
    public const int BatchBlock = 8;

    /// <summary>The most stack the blocked TrainBatch's values may take; past it, TrainBatch goes sample by sample.</summary>
    public const int MaxBatchBlockBytes = 64 * 1024;

    /// <summary>Every decision about the network, in one place: the emitter reads only the plan.</summary>
    public static NetworkPlan Plan(NetworkSpec spec)
    {
        if (spec.IsStreaming)
        {
            return PlanStreaming(spec);
        }

        int count = spec.Layers.Count;
        var units = new int[count];
        for (int i = 0; i < count; i++)
        {
            units[i] = spec.Layers[i].Outputs;
        }

        bool[] unrolled = Choose(
            spec.Code,
            spec.Inputs,
            units,
            spec.CheckFinite,
            MaxWeightsPerUnrolledLayer(spec.MaxUnrolledLayerWeights),
            spec.MaxUnrolledLayerWeights > 0 ? UnrollMaxWeights : AutoUnrollMaxWeights,
            spec.Layers.Select(layer => layer is not DenseLayerSpec).ToArray());

        DenseLayerSpec output = (DenseLayerSpec)spec.Layers[count - 1];
        var outputPlan = new OutputPlan(
            spec.Loss,
            Softmax: output.Activation == Activation.Softmax,
            Fused: spec.Loss != LossFunction.MeanSquaredError);

        var layers = new LayerPlan[count];
        int offset = 0;
        int inputs = spec.Inputs;
        for (int i = 0; i < count; i++)
        {
            if (PlanImageLayer(spec.Layers[i], i + 1, offset) is { } image)
            {
                layers[i] = image;
                offset += image.ParameterCount;
                inputs = image.Outputs;
                continue;
            }

            var dense = (DenseLayerSpec)spec.Layers[i];
            bool last = i == count - 1;
            bool kernels = !unrolled[i] && inputs >= KernelMinInputs;
            layers[i] = new DenseLayerPlan(
                Number: i + 1,
                Inputs: inputs,
                ParameterOffset: offset,
                Units: dense.Units,
                Activation: dense.Activation,
                Bias: dense.Bias,
                IsUnrolled: unrolled[i],
                UsesKernels: kernels,
                AppliesActivation: dense.Activation != Activation.Softmax,
                SlopeFromLoss: last && outputPlan.Fused,
                KeepsOutputLogits: last && (outputPlan.Fused || outputPlan.Softmax),
                KeepsZForSlope: !unrolled[i] && ActivationFacts.SlopeNeedsZ(dense.Activation),
                SkipsIdleRows: i == 0 && kernels);
            offset += layers[i].ParameterCount;
            inputs = dense.Units;
        }

        // A vector's values are locals when the code on both sides of it is straight-line.
        var local = new bool[count + 1];
        local[0] = layers[0].Unrolled;
        for (int l = 1; l <= count; l++)
        {
            local[l] = layers[l - 1].Unrolled && (l == count || layers[l].Unrolled);
        }

        return new NetworkPlan(
            spec,
            new EquatableArray<LayerPlan>(layers),
            new EquatableArray<bool>(local),
            offset,
            outputPlan,
            HasPredict: GeneratedMembers.HasPredict(spec.Inputs, layers[count - 1].Outputs),
            BlockedBatch: IsBlocked(spec, layers),
            BlockedForward: IsForwardBlocked(spec, layers),
            BatchBlock);
    }

    /// <summary>
    /// A [Conv2D] or [MaxPool2D] layer's plan (null for the other kinds): loops whatever the network's Code, its shapes
    /// the parser's, z kept for the backward passes where its activation's slope needs it.
    /// </summary>
    private static LayerPlan? PlanImageLayer(LayerSpec layer, int number, int offset) => layer switch
    {
        Conv2DLayerSpec convolution => new Conv2DLayerPlan(
            number,
            offset,
            convolution.Input,
            convolution.Output,
            convolution.KernelSize,
            convolution.Activation,
            convolution.Stride,
            convolution.Padding,
            convolution.Bias,
            KeepsZForSlope: ActivationFacts.SlopeNeedsZ(convolution.Activation)),
        MaxPool2DLayerSpec pooling => new MaxPool2DLayerPlan(number, offset, pooling.Input, pooling.Output, pooling.Size),
        _ => null,
    };

    /// <summary>
    /// A streaming model: every layer as loops over its units (Dense layers as scalar loops through views, so that one
    /// step of any layer reads like its equations), the parameters in layer order, and the tape and state laid out
    /// layer after layer. A Dense layer puts z then a on the tape; a recurrent layer its gates, then its new values.
    /// </summary>
    private static NetworkPlan PlanStreaming(NetworkSpec spec)
    {
        int count = spec.Layers.Count;
        bool fused = spec.Loss != LossFunction.MeanSquaredError;
        bool softmax = spec.Layers[count - 1] is DenseLayerSpec { Activation: Activation.Softmax };
        var layers = new LayerPlan[count];
        var tapeOffsets = new int[count];
        var outputOffsets = new int[count];
        int offset = 0, inputs = spec.Inputs, tape = 0, state = 0;
        for (int i = 0; i < count; i++)
        {
            bool last = i == count - 1;
            tapeOffsets[i] = tape;
            switch (spec.Layers[i])
            {
                case DenseLayerSpec dense:
                    layers[i] = new DenseLayerPlan(
                        Number: i + 1,
                        Inputs: inputs,
                        ParameterOffset: offset,
                        Units: dense.Units,
                        Activation: dense.Activation,
                        Bias: dense.Bias,
                        IsUnrolled: false,
                        UsesKernels: false,
                        AppliesActivation: dense.Activation != Activation.Softmax,
                        SlopeFromLoss: last && fused,
                        KeepsOutputLogits: last && (fused || softmax),
                        SkipsIdleRows: false,
                        KeepsZForSlope: false);
                    tape += 2 * dense.Units;
                    break;
                case RecurrentLayerSpec recurrent:
                    var plan = new RecurrentLayerPlan(i + 1, inputs, offset, recurrent.Cell, recurrent.Units, recurrent.Bias, state);
                    layers[i] = plan;
                    tape += plan.TapeSize;
                    state += plan.StateSize;
                    break;
                case Conv1DLayerSpec convolution:
                    var conv = new Conv1DLayerPlan(
                        i + 1,
                        inputs,
                        offset,
                        convolution.OutChannels,
                        convolution.KernelSize,
                        convolution.Activation,
                        convolution.Dilation,
                        convolution.Bias,
                        state);
                    layers[i] = conv;
                    tape += 2 * convolution.OutChannels;
                    state += conv.StateSize;
                    break;
                default:
                    throw new System.InvalidOperationException($"No plan for {spec.Layers[i].GetType().Name}.");
            }

            outputOffsets[i] = tape - layers[i].Outputs;
            offset += layers[i].ParameterCount;
            inputs = layers[i].Outputs;
        }

        return new NetworkPlan(
            spec,
            new EquatableArray<LayerPlan>(layers),
            new EquatableArray<bool>(new bool[count + 1]),
            offset,
            new OutputPlan(spec.Loss, softmax, fused),
            HasPredict: GeneratedMembers.HasPredict(spec.Inputs, layers[count - 1].Outputs),
            BlockedBatch: false,
            BlockedForward: false,
            BatchBlock,
            new SequencePlan(new EquatableArray<int>(tapeOffsets), new EquatableArray<int>(outputOffsets), tape, state));
    }

    /// <summary>
    /// TrainBatch goes in blocks when every layer can (SIMD loops: the blocks hold every layer's values in spans), without
    /// CheckFinite (whose checks name one sample's layer and node), and when the block's values fit their stack budget:
    /// per layer a and dL/dz for each sample (and z, where the layer keeps it for its slope), and the output's z.
    /// </summary>
    private static bool IsBlocked(NetworkSpec spec, LayerPlan[] layers)
    {
        if (spec.CheckFinite)
        {
            return false;
        }

        long values = layers[layers.Length - 1].Outputs;
        foreach (LayerPlan layer in layers)
        {
            if (!layer.Blockable)
            {
                return false;
            }

            values += (layer.KeepsPreActivations ? 3L : 2L) * layer.Outputs;
        }

        return values * BatchBlock * (spec.Element == ElementKind.Double ? 8 : 4) <= MaxBatchBlockBytes;
    }

    /// <summary>
    /// ForwardBatch goes in blocks by the same rule as TrainBatch, with other values to hold: the block's inputs and
    /// every layer's values, lane by lane (a Softmax output's z besides, one sample's worth).
    /// </summary>
    private static bool IsForwardBlocked(NetworkSpec spec, LayerPlan[] layers)
    {
        if (spec.CheckFinite)
        {
            return false;
        }

        long values = spec.Inputs;
        foreach (LayerPlan layer in layers)
        {
            if (!layer.Blockable)
            {
                return false;
            }

            values += layer.Outputs;
        }

        return values * BatchBlock * (spec.Element == ElementKind.Double ? 8 : 4) <= MaxBatchBlockBytes;
    }

    /// <summary>
    /// The most weights a layer may have to be unrolled under CodeShape.Auto: the network's own
    /// MaxUnrolledLayerWeights when it sets one (above 0), else <see cref="AutoUnrollMaxWeightsPerLayer"/>. Validation
    /// refuses values outside 0 to <see cref="UnrollMaxWeights"/> (NG0020), so none reaches here.
    /// </summary>
    public static int MaxWeightsPerUnrolledLayer(int maxUnrolledLayerWeights) =>
        maxUnrolledLayerWeights > 0 ? maxUnrolledLayerWeights : AutoUnrollMaxWeightsPerLayer;

    /// <summary>The locals the network needs when every layer is looped, which no plan can go below.</summary>
    public static long MinimumLocals(int layerCount) => FixedLocals + ((long)LocalsPerLoopedLayer * layerCount);

    /// <param name="looped">Per layer, whether it is loops whatever the choice (the 2-D layers); null for none.</param>
    private static bool[] Choose(CodeShape code, int inputs, int[] units, bool checkFinite, int maxWeightsPerLayer, int maxWeights, bool[]? looped = null)
    {
        var unrolled = new bool[units.Length];
        if (code == CodeShape.Loops)
        {
            return unrolled;
        }

        if (code == CodeShape.Unrolled)
        {
            for (int i = 0; i < unrolled.Length; i++)
            {
                unrolled[i] = looped is null || !looped[i];
            }

            return unrolled;
        }

        // Auto: unroll each layer narrow enough to gain from it (at most maxWeightsPerLayer weights), while the whole
        // network stays within the budgets (counting the layers not yet decided as loops). A per-layer limit set by
        // hand lifts the measured network budget to the JIT-safety one, so that raising it has an effect.
        long weights = 0;
        int fanIn = inputs;
        for (int i = 0; i < units.Length; i++)
        {
            long layerWeights = (long)fanIn * units[i];
            if (looped is not null && looped[i])
            {
                fanIn = units[i];
                continue;
            }

            if (layerWeights <= maxWeightsPerLayer && weights + layerWeights <= maxWeights)
            {
                unrolled[i] = true;
                if (EstimateIL(inputs, units, unrolled, checkFinite) > MaxEstimatedIL || EstimateLocals(inputs, units, unrolled) > MaxEstimatedLocals)
                {
                    unrolled[i] = false;
                }
                else
                {
                    weights += layerWeights;
                }
            }

            fanIn = units[i];
        }

        return unrolled;
    }

    internal static long EstimateIL(int inputs, IReadOnlyList<int> units, bool[] unrolled, bool checkFinite)
    {
        long il = 0;
        int fanIn = inputs;
        for (int i = 0; i < units.Count; i++)
        {
            if (unrolled[i])
            {
                il += ((long)ILPerUnrolledWeight * fanIn * units[i]) + ((long)(ILPerUnrolledUnit + (checkFinite ? ILPerFiniteCheck : 0)) * units[i]);
            }

            fanIn = units[i];
        }

        return il;
    }

    internal static long EstimateLocals(int inputs, IReadOnlyList<int> units, bool[] unrolled)
    {
        long locals = FixedLocals;
        for (int i = 0; i < units.Count; i++)
        {
            locals += unrolled[i]
                ? ((long)LocalsPerUnrolledUnit * units[i]) + LocalsPerUnrolledLayer + (i == 0 ? inputs : 0) + (i == units.Count - 1 ? units[i] : 0)
                : LocalsPerLoopedLayer;
        }

        return locals;
    }
}
