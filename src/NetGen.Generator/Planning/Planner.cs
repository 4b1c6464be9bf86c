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
    /// Under CodeShape.Auto a layer is unrolled when it has at most this many weights. Measured, see
    /// docs/planner.md: below it, straight-line code is faster than loops; above it the gain fades while code
    /// size keeps growing.
    /// </summary>
    public const int AutoUnrollMaxWeightsPerLayer = 256;

    /// <summary>
    /// The most weights unrolled in one network. Measured (docs/planner.md): three unrolled 16x16 layers (768
    /// weights) still beat loops in TrainStep, four (1,024) lose, as the method grows past what the JIT
    /// optimises well. At about 50 bytes of IL per weight this also keeps Backward and TrainStep near 40 KB,
    /// under the JIT's 60,000-byte limit.
    /// </summary>
    public const int UnrollMaxWeights = 768;

    /// <summary>
    /// The most locals unrolled code may declare (z, a, dz, da per node, x per input). The JIT tracks at most 512
    /// locals per method; this leaves room for its own temporaries.
    /// </summary>
    public const int UnrollMaxLocals = 320;

    public static NetworkPlan Plan(NetworkSpec spec)
    {
        var layers = new LayerPlan[spec.Layers.Count];
        int offset = 0, unrolledWeights = 0, unrolledLocals = 0;
        int inputs = spec.Inputs;
        for (int i = 0; i < layers.Length; i++)
        {
            LayerSpec layer = spec.Layers[i];
            int weights = inputs * layer.Units;
            int locals = UnrolledLocals(i, inputs, layer.Units);
            bool unrolled = spec.Code switch
            {
                CodeShapeKind.Unrolled => true,
                CodeShapeKind.Loops => false,
                _ => weights <= AutoUnrollMaxWeightsPerLayer
                    && unrolledWeights + weights <= UnrollMaxWeights
                    && unrolledLocals + locals <= UnrollMaxLocals,
            };
            if (unrolled)
            {
                unrolledWeights += weights;
                unrolledLocals += locals;
            }

            int biasOffset = offset + weights;
            layers[i] = new LayerPlan(i + 1, inputs, layer.Units, layer.Activation, layer.Bias, offset, layer.Bias ? biasOffset : -1, unrolled);
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
    public static string? WhyNotUnrollable(int inputs, IReadOnlyList<int> units)
    {
        long weights = 0, locals = 0;
        int fanIn = inputs;
        for (int i = 0; i < units.Count; i++)
        {
            weights += (long)fanIn * units[i];
            locals += UnrolledLocals(i, fanIn, units[i]);
            fanIn = units[i];
        }

        if (weights > UnrollMaxWeights)
        {
            return $"Code = CodeShape.Unrolled would write {weights} weights as straight-line code, more than the {UnrollMaxWeights} that keep a method under the JIT's limits; use CodeShape.Auto or CodeShape.Loops";
        }

        if (locals > UnrollMaxLocals)
        {
            return $"Code = CodeShape.Unrolled would need {locals} locals, more than the {UnrollMaxLocals} the JIT can keep track of; use CodeShape.Auto or CodeShape.Loops";
        }

        return null;
    }

    private static int UnrolledLocals(int layerIndex, int inputs, int units) =>
        (4 * units) + (layerIndex == 0 ? inputs : 0);
}
