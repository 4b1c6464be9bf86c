namespace NetGen.Generator.Model;

/// <summary>
/// [MaxPool2D(size)]: torch.nn.MaxPool2d(size), the largest value of each size x size window, windows side by side
/// (stride = size), rows and columns that fill no window dropped (ceil_mode=False). No parameters.
/// </summary>
/// <param name="Input">The shape of the values feeding it, filled by the parser from the layers before (default when unknown).</param>
internal sealed record MaxPool2DLayerSpec(int Size, ImageShape Input) : LayerSpec
{
    /// <summary>The shape it puts out: the same channels, height / size x width / size (rounded down).</summary>
    public ImageShape Output => Input.IsKnown && Size >= 1
        ? new ImageShape(Input.Channels, Input.Height / Size, Input.Width / Size)
        : default;

    public override int Outputs => Output.ClampedCount;

    public override long ParameterCount(int inputs) => 0;
}
