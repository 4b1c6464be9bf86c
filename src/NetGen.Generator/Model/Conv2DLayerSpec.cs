namespace NetGen.Generator.Model;

/// <summary>
/// [Conv2D(outChannels, kernelSize, activation, Stride = ..., Padding = ..., Bias = ...)]: a convolution over an
/// image, torch.nn.Conv2d with a square kernel and zero padding. Its parameters are the weights [outChannels,
/// inputChannels, kernelSize, kernelSize] (torch.nn.Conv2d.weight) then, with Bias, the biases [outChannels].
/// </summary>
/// <param name="Input">The shape of the values feeding it, filled by the parser from the layers before (default when unknown).</param>
internal sealed record Conv2DLayerSpec(int OutChannels, int KernelSize, Activation Activation, int Stride, int Padding, bool Bias, ImageShape Input) : LayerSpec
{
    /// <summary>The shape it puts out: outChannels x the positions of its window over the padded input.</summary>
    public ImageShape Output => Input.IsKnown
        ? new ImageShape(
            OutChannels,
            ImageShape.Positions(Input.Height, KernelSize, Stride, Padding),
            ImageShape.Positions(Input.Width, KernelSize, Stride, Padding))
        : default;

    public override int Outputs => Output.ClampedCount;

    public override long ParameterCount(int inputs)
    {
        long weights = ImageShape.SaturatingProduct(ImageShape.SaturatingProduct(OutChannels, Input.Channels), ImageShape.SaturatingProduct(KernelSize, KernelSize));
        return weights > long.MaxValue - int.MaxValue ? long.MaxValue : weights + (Bias ? OutChannels : 0);
    }
}
