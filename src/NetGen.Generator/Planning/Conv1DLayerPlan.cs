namespace NetGen.Generator.Planning;

/// <summary>
/// A [Conv1D] layer in a streaming model: weights [outChannels, inputs, kernelSize] (torch.nn.Conv1d.weight), then
/// biases [outChannels]; the inputs of the last <see cref="Reach"/> steps, which its kernel still needs, in the state
/// (oldest first); z and a of its channels on each step's record.
/// </summary>
/// <param name="StateOffset">Where its history starts in the state.</param>
internal sealed record Conv1DLayerPlan(
    int Number,
    int Inputs,
    int ParameterOffset,
    int OutChannels,
    int KernelSize,
    Activation Activation,
    int Dilation,
    bool Bias,
    int StateOffset)
    : LayerPlan(Number, Inputs, ParameterOffset, checked((OutChannels * Inputs * KernelSize) + (Bias ? OutChannels : 0)))
{
    public override int Outputs => OutChannels;

    public override bool Unrolled => false;

    public override bool Blockable => false;

    public override bool UsesParameterSpans => false;

    public override bool KeepsLogits => false;

    /// <summary>Its code is the streaming step's, which keeps z on the step's record whatever the activation.</summary>
    public override bool KeepsPreActivations => false;

    /// <summary>How many steps back the first tap reaches: (kernelSize - 1) * dilation.</summary>
    public int Reach => (KernelSize - 1) * Dilation;

    /// <summary>The state's history: the inputs of the last <see cref="Reach"/> steps.</summary>
    public int StateSize => Reach * Inputs;

    public int WeightCount => OutChannels * Inputs * KernelSize;

    /// <summary>Where the biases start, or -1 without biases.</summary>
    public int BiasOffset => Bias ? ParameterOffset + WeightCount : -1;
}
