using System.Collections.Generic;
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

    public static NetworkPlan Plan(NetworkSpec spec)
    {
        var layers = new LayerPlan[spec.Layers.Count];
        var units = new int[layers.Length];
        for (int i = 0; i < units.Length; i++)
        {
            units[i] = spec.Layers[i].Units;
        }

        bool[] unrolled = Choose(
            spec.Code,
            spec.Inputs,
            units,
            spec.CheckFinite,
            MaxWeightsPerUnrolledLayer(spec.MaxUnrolledLayerWeights),
            spec.MaxUnrolledLayerWeights > 0 ? UnrollMaxWeights : AutoUnrollMaxWeights);
        int offset = 0;
        int inputs = spec.Inputs;
        for (int i = 0; i < layers.Length; i++)
        {
            LayerSpec layer = spec.Layers[i];
            int weights = inputs * layer.Units;
            int biasOffset = offset + weights;
            layers[i] = new LayerPlan(i + 1, inputs, layer.Units, layer.Activation, layer.Bias, offset, layer.Bias ? biasOffset : -1, unrolled[i]);
            offset = biasOffset + (layer.Bias ? layer.Units : 0);
            inputs = layer.Units;
        }

        var storages = new Storage[layers.Length + 1];
        storages[0] = layers[0].Unrolled ? Storage.Locals : Storage.Span;
        for (int l = 1; l <= layers.Length; l++)
        {
            bool next = l == layers.Length || layers[l].Unrolled;
            storages[l] = layers[l - 1].Unrolled && next ? Storage.Locals : Storage.Span;
        }

        return new NetworkPlan(spec, layers, storages, offset);
    }

    /// <summary>
    /// Why a network forced to <c>CodeShape.Unrolled</c> cannot be, or null when it can.
    /// </summary>
    public static string? WhyNotUnrollable(int inputs, IReadOnlyList<int> units, bool checkFinite)
    {
        long weights = 0;
        int fanIn = inputs;
        for (int i = 0; i < units.Count; i++)
        {
            weights += (long)fanIn * units[i];
            fanIn = units[i];
        }

        bool[] all = new bool[units.Count];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = true;
        }

        if (weights > UnrollMaxWeights)
        {
            return $"Code = CodeShape.Unrolled would write {weights} weights as straight-line code, more than the {UnrollMaxWeights} that straight-line code is measured to pay for (docs/planner.md); use CodeShape.Auto or CodeShape.Loops";
        }

        long il = EstimateIL(inputs, units, all, checkFinite);
        if (il > MaxEstimatedIL)
        {
            return $"Code = CodeShape.Unrolled would make a method of about {il} bytes of IL, more than the {MaxEstimatedIL} that keep it under the JIT's limit; use CodeShape.Auto or CodeShape.Loops";
        }

        long locals = EstimateLocals(inputs, units, all);
        if (locals > MaxEstimatedLocals)
        {
            return $"Code = CodeShape.Unrolled would need about {locals} locals, more than the {MaxEstimatedLocals} that keep a method under the JIT's limit; use CodeShape.Auto or CodeShape.Loops";
        }

        return null;
    }

    /// <summary>
    /// The most weights a layer may have to be unrolled under CodeShape.Auto: the network's own
    /// MaxUnrolledLayerWeights when it sets one (above 0), else <see cref="AutoUnrollMaxWeightsPerLayer"/>. The
    /// parser refuses values outside 0 to <see cref="UnrollMaxWeights"/> (NG0020), so none reaches here.
    /// </summary>
    public static int MaxWeightsPerUnrolledLayer(int maxUnrolledLayerWeights) =>
        maxUnrolledLayerWeights > 0 ? maxUnrolledLayerWeights : AutoUnrollMaxWeightsPerLayer;

    /// <summary>
    /// Whether [Network(MaxUnrolledLayerWeights = ...)] can be honoured: 0 (the default) or up to
    /// <see cref="UnrollMaxWeights"/>, since no network unrolls more weights than that in all.
    /// </summary>
    public static bool IsAllowedMaxUnrolledLayerWeights(int value) => value >= 0 && value <= UnrollMaxWeights;

    /// <summary>The locals the network needs when every layer is looped, which no plan can go below.</summary>
    public static long MinimumLocals(int layerCount) => FixedLocals + ((long)LocalsPerLoopedLayer * layerCount);

    private static bool[] Choose(CodeShapeKind code, int inputs, int[] units, bool checkFinite, int maxWeightsPerLayer, int maxWeights)
    {
        var unrolled = new bool[units.Length];
        if (code == CodeShapeKind.Loops)
        {
            return unrolled;
        }

        if (code == CodeShapeKind.Unrolled)
        {
            for (int i = 0; i < unrolled.Length; i++)
            {
                unrolled[i] = true;
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

    private static long EstimateIL(int inputs, IReadOnlyList<int> units, bool[] unrolled, bool checkFinite)
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

    private static long EstimateLocals(int inputs, IReadOnlyList<int> units, bool[] unrolled)
    {
        long locals = FixedLocals;
        for (int i = 0; i < units.Count; i++)
        {
            locals += unrolled[i]
                ? ((long)LocalsPerUnrolledUnit * units[i]) + (i == 0 ? inputs : 0) + (i == units.Count - 1 ? units[i] : 0)
                : LocalsPerLoopedLayer;
        }

        return locals;
    }
}
