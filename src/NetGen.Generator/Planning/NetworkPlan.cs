using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>
/// One layer as the emitter writes it: its place among the vectors, its parameters' place in the parameter array,
/// and the form of its code. One record per kind of layer, as <see cref="LayerSpec"/>.
/// </summary>
/// <param name="Number">1-based, as the generated comments count layers; the layer reads vector Number - 1 and writes vector Number.</param>
/// <param name="Inputs">The number of values feeding the layer.</param>
/// <param name="ParameterOffset">Where the layer's parameters start in Parameters.</param>
/// <param name="ParameterCount">How many parameters the layer has.</param>
internal abstract record LayerPlan(int Number, int Inputs, int ParameterOffset, int ParameterCount)
{
    /// <summary>The number of values the layer puts out.</summary>
    public abstract int Outputs { get; }

    /// <summary>Whether the layer is straight-line code (its values in locals where its neighbours allow).</summary>
    public abstract bool Unrolled { get; }

    /// <summary>The layer's values for the blocked TrainBatch: whether it can take part (every layer must).</summary>
    public abstract bool Blockable { get; }

    /// <summary>Whether the layer's code reaches its parameters through spans (p, g) for the SIMD kernels.</summary>
    public abstract bool UsesParameterSpans { get; }

    /// <summary>As the output layer: whether it keeps z beside a, for the loss (or the output step's Softmax).</summary>
    public abstract bool KeepsLogits { get; }

    /// <summary>
    /// Whether the backward passes keep z beside a in a span z{Number} (and the blocked TrainBatch a block of them),
    /// for an activation whose slope is a function of z (<see cref="ActivationFacts.SlopeNeedsZ"/>).
    /// </summary>
    public abstract bool KeepsPreActivations { get; }
}

/// <summary>A [Dense] layer: weights [units, inputs] row-major (nn.Linear.weight), then biases [units].</summary>
/// <param name="Unrolled">Straight-line code, one statement per weight; else constant-bound loops.</param>
/// <param name="UsesKernels">
/// Looped, with rows long enough for the SIMD row kernels of NetGen.Kernels (<see cref="Planner.KernelMinInputs"/>);
/// shorter rows are plain scalar loops, where a call would cost more than it saves.
/// </param>
/// <param name="AppliesActivation">
/// False for a Softmax output: softmax couples the nodes and meets the loss, so the output step applies it.
/// </param>
/// <param name="SlopeFromLoss">
/// The output layer of a fused loss (cross-entropy over Softmax, binary cross-entropy over Sigmoid): dL/dz comes
/// straight from the loss, and the activation's slope is not applied again.
/// </param>
/// <param name="KeepsOutputLogits">The output layer keeps z beside a: the loss is computed from z (or softmax applied to it).</param>
/// <param name="KeepsZForSlope">
/// Looped, with an activation whose slope is computed from z (<see cref="ActivationFacts.SlopeNeedsZ"/>): the
/// backward passes keep z in a span beside a.
/// </param>
/// <param name="SkipsIdleRows">
/// TrainStep leaves alone a row whose node's slope is exactly 0 when the inputs and learning rate are finite (the
/// first layer on SIMD kernels only, where the inputs are the caller's): the same bits without touching the row.
/// </param>
internal sealed record DenseLayerPlan(
    int Number,
    int Inputs,
    int ParameterOffset,
    int Units,
    Activation Activation,
    bool Bias,
    bool IsUnrolled,
    bool UsesKernels,
    bool AppliesActivation,
    bool SlopeFromLoss,
    bool KeepsOutputLogits,
    bool KeepsZForSlope,
    bool SkipsIdleRows)
    : LayerPlan(Number, Inputs, ParameterOffset, checked((int)NetGen.Shared.DenseLayout.ParameterCount(Inputs, Units, Bias)))
{
    public override int Outputs => Units;

    public override bool Unrolled => IsUnrolled;

    public override bool Blockable => !IsUnrolled && UsesKernels;

    public override bool UsesParameterSpans => UsesKernels;

    public override bool KeepsLogits => KeepsOutputLogits;

    public override bool KeepsPreActivations => KeepsZForSlope;

    public int WeightOffset => ParameterOffset;

    public int WeightCount => checked((int)NetGen.Shared.DenseLayout.WeightCount(Inputs, Units));

    /// <summary>Where the biases start, or -1 without biases.</summary>
    public int BiasOffset => Bias ? checked((int)NetGen.Shared.DenseLayout.BiasOffset(ParameterOffset, Inputs, Units)) : -1;
}

/// <summary>
/// A streaming model's storage: per layer (index l - 1 for layer l), where its values start in one time step's slice
/// of the tape (the record of every step that backpropagation through time reads), and where its carried values start
/// in the state (-1 for a layer that carries none).
/// </summary>
/// <param name="TapePerStep">The values one step puts on the tape, all layers together.</param>
/// <param name="StateSize">The values the state carries, all layers together.</param>
internal sealed record SequencePlan(
    EquatableArray<int> TapeOffsets,
    EquatableArray<int> OutputTapeOffsets,
    int TapePerStep,
    int StateSize);

/// <summary>How the output layer and the loss meet.</summary>
/// <param name="Loss">The loss.</param>
/// <param name="Softmax">The output layer's activation is Softmax, applied by the output step from z.</param>
/// <param name="Fused">The loss hands dL/dz to the output layer (cross-entropies), not dL/da.</param>
internal sealed record OutputPlan(LossFunction Loss, bool Softmax, bool Fused);

/// <summary>
/// Every decision about one network, made once by <see cref="Planner.Plan"/>: the emitter reads only this. Equatable,
/// so an unchanged declaration gives an equal plan and the output is served from the cache.
/// </summary>
/// <param name="LocalVectors">
/// Per vector (index 0 the input, index l layer l's output): whether its values live in one local each (x0, a1_0, ...,
/// straight-line code on both sides of it) or in a span (the caller's input or output, or a stackalloc'd buffer).
/// </param>
/// <param name="HasPredict">Predict(x0, ..., xN) is generated: one output and at most 16 inputs.</param>
/// <param name="BlockedBatch">TrainBatch runs in blocks of <see cref="BatchBlock"/> samples.</param>
/// <param name="BlockedForward">ForwardBatch runs in blocks of <see cref="BatchBlock"/> samples.</param>
/// <param name="BatchBlock">Samples per block of the blocked TrainBatch and ForwardBatch.</param>
/// <param name="Sequence">For a streaming model (a recurrent layer), its tape and state; else null.</param>
internal sealed record NetworkPlan(
    NetworkSpec Spec,
    EquatableArray<LayerPlan> Layers,
    EquatableArray<bool> LocalVectors,
    int ParameterCount,
    OutputPlan Output,
    bool HasPredict,
    bool BlockedBatch,
    bool BlockedForward,
    int BatchBlock,
    SequencePlan? Sequence = null)
{
    public LayerPlan Last => Layers[Layers.Count - 1];

    public int Inputs => Spec.Inputs;

    public int Outputs => Last.Outputs;

    public bool AnyUnrolled
    {
        get
        {
            foreach (LayerPlan layer in Layers)
            {
                if (layer.Unrolled)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public bool AnyLooped
    {
        get
        {
            foreach (LayerPlan layer in Layers)
            {
                if (!layer.Unrolled)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
