using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>
/// A [Conv2D] layer: weights [outChannels, inputChannels, kernelSize, kernelSize] (torch.nn.Conv2d.weight), then biases
/// [outChannels]; its input and output images in spans, CHW. Always loops (over output channels, rows and columns, with
/// every size a constant): its weights are shared by every output position, which straight-line code would repeat.
/// </summary>
/// <param name="Input">The shape of the image feeding it.</param>
/// <param name="Output">The shape of the image it puts out.</param>
/// <param name="KeepsZForSlope">The backward passes keep z beside a, for an activation whose slope needs z.</param>
internal sealed record Conv2DLayerPlan(
    int Number,
    int ParameterOffset,
    ImageShape Input,
    ImageShape Output,
    int KernelSize,
    Activation Activation,
    int Stride,
    int Padding,
    bool Bias,
    bool KeepsZForSlope)
    : LayerPlan(Number, checked((int)Input.Count), ParameterOffset, checked((Output.Channels * Input.Channels * KernelSize * KernelSize) + (Bias ? Output.Channels : 0)))
{
    public override int Outputs => checked((int)Output.Count);

    public override bool Unrolled => false;

    public override bool Blockable => false;

    public override bool UsesParameterSpans => false;

    public override bool KeepsLogits => false;

    public override bool KeepsPreActivations => KeepsZForSlope;

    /// <summary>The weights of one output channel: inputChannels x kernelSize x kernelSize.</summary>
    public int WeightsPerChannel => Input.Channels * KernelSize * KernelSize;

    public int WeightCount => Output.Channels * WeightsPerChannel;

    /// <summary>Where the biases start, or -1 without biases.</summary>
    public int BiasOffset => Bias ? ParameterOffset + WeightCount : -1;

    /// <summary>Whether some window reaches past the image (padding), so the loops test each row and column they read.</summary>
    public bool Padded => Padding > 0;
}
