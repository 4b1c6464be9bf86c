namespace NetGen.Generator.Model;

/// <summary>
/// [Conv1D(outChannels, kernelSize, activation, Dilation = ..., Bias = ...)]: a causal convolution over time. Its
/// parameters are the weights [outChannels, inputs, kernelSize] (torch.nn.Conv1d.weight) then, with Bias, the biases
/// [outChannels]; the inputs it still needs, (kernelSize - 1) * dilation steps of them, carry from step to step.
/// </summary>
internal sealed record Conv1DLayerSpec(int OutChannels, int KernelSize, Activation Activation, int Dilation, bool Bias) : LayerSpec
{
    public override int Outputs => OutChannels;

    public override bool IsStreaming => true;

    public override long ParameterCount(int inputs) => ((long)OutChannels * inputs * KernelSize) + (Bias ? OutChannels : 0);

    /// <summary>How many steps back the first tap reaches: (kernelSize - 1) * dilation.</summary>
    public long Reach => ((long)KernelSize - 1) * Dilation;
}
