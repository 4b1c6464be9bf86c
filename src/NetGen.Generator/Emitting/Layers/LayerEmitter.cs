using System;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting.Layers;

/// <summary>
/// The code of one kind of layer: its forward pass, its backward pass (which, in TrainStep, also steps its
/// parameters) and its part of the blocked TrainBatch. The pass emitter calls these in order and knows nothing of any
/// kind of layer; a layer reads vector Number - 1 and writes vector Number, named by <see cref="EmitContext"/>.
/// A new kind of layer is a subclass here and a case in <see cref="For"/>.
/// </summary>
internal abstract class LayerEmitter
{
    public static LayerEmitter For(LayerPlan layer) => layer switch
    {
        DenseLayerPlan dense => new DenseEmitter(dense),
        RecurrentLayerPlan { Cell: Model.RecurrentCell.Gru } gru => new GruEmitter(gru),
        RecurrentLayerPlan lstm => new LstmEmitter(lstm),
        Conv1DLayerPlan conv => new Conv1DEmitter(conv),
        Conv2DLayerPlan conv2D => new Conv2DEmitter(conv2D),
        MaxPool2DLayerPlan pooling => new MaxPool2DEmitter(pooling),
        _ => throw new InvalidOperationException($"No emitter for {layer.GetType().Name}."),
    };

    /// <summary>The layer as the comments name it, e.g. "Dense(2, ReLU), no bias, 2 values in".</summary>
    public abstract string Describe();

    /// <summary>The layer's parameters as items of Parameters' XML documentation: their ranges and names.</summary>
    public abstract System.Collections.Generic.IEnumerable<string> DescribeParameters();

    /// <summary>
    /// Declarations at the start of a method: views of the layer's parameters (and, when
    /// <paramref name="gradients"/>, of their slopes) that the lines computing with them use.
    /// </summary>
    public abstract void EmitViews(EmitContext c, bool gradients);

    /// <summary>The one-line description of the views <see cref="EmitViews"/> declares, for the method's comment; or null.</summary>
    public abstract string? DescribeViews(bool gradients);

    /// <summary>Computes the layer's outputs (vector Number) from its inputs.</summary>
    public virtual void EmitForward(EmitContext c) => throw NotFeedForward();

    /// <summary>
    /// From the slopes dL/d(outputs) (or, where the plan says the loss gives them, dL/dz), the slopes passed back to
    /// the inputs (unless the layer is the first) and the slopes of the parameters: added into the gradients
    /// (Backward), applied as steps (TrainStep), or left to the blocked loops (BatchSlopes).
    /// </summary>
    public virtual void EmitBackward(EmitContext c) => throw NotFeedForward();

    /// <summary>InitializeParameters' part for this layer: its parameters from <c>random</c>, in layer order.</summary>
    public abstract void EmitInitialize(EmitContext c);

    /// <summary>
    /// The blocked TrainBatch: the layer's outputs for every sample of a block, and its z into
    /// <paramref name="logits"/> where it keeps them (the output's logits, or the z its slope needs).
    /// </summary>
    public virtual void EmitBlockForward(EmitContext c, string inputs, string outputs, string? logits) => throw NotFeedForward();

    /// <summary>
    /// The blocked ForwardBatch, values lane by lane (value i of sample k at <c>[i * block + k]</c>): the layer's
    /// outputs for every lane of the block into <paramref name="outputs"/>, or, where the layer leaves its activation
    /// to the output step (Softmax), its z.
    /// </summary>
    public virtual void EmitLanesForward(EmitContext c, string inputs, string outputs) => throw NotFeedForward();

    /// <summary>The blocked TrainBatch: the parameters' slopes of every sample of a block, from their dL/dz.</summary>
    public virtual void EmitBlockGradients(EmitContext c, string inputs, string slopes) => throw NotFeedForward();

    /// <summary>
    /// A streaming model's time step, forward: from the step's input span (<see cref="StepContext.Input"/>) and the
    /// state, the layer's values on the step's slice of the tape (its output last, named
    /// <see cref="StepContext.Output"/>), and its carried values advanced in the state.
    /// </summary>
    public virtual void EmitStep(StepContext s) => throw new InvalidOperationException($"{GetType().Name} has no time step.");

    /// <summary>
    /// Backpropagation through one time step: from dL/d(outputs) at this step (<see cref="StepContext.Slope"/>, or, for
    /// a layer whose slope comes from the loss, dL/dz), the parameters' slopes added into the gradients, the slopes of
    /// the layer's inputs added into <see cref="StepContext.InputSlope"/> (unless it is the first layer), and, for a
    /// recurrent layer, the slopes of its carried values passed on to the step before.
    /// </summary>
    public virtual void EmitStepBackward(StepContext s) => throw new InvalidOperationException($"{GetType().Name} has no time step.");

    /// <summary>The spans a layer's backward step keeps across the steps (carried slopes, scratch), declared once.</summary>
    public virtual void EmitStepBackwardLocals(StepContext s)
    {
    }

    private InvalidOperationException NotFeedForward() =>
        new($"{GetType().Name} belongs to a streaming model, whose code SequenceEmitter writes.");
}
