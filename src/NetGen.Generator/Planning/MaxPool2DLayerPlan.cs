using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>
/// A [MaxPool2D] layer: no parameters; each output is the largest value of its size x size window (stride = size), and
/// the backward passes keep, per output, where in the input that value was, to pass its slope back there alone.
/// </summary>
/// <param name="Input">The shape of the image feeding it.</param>
/// <param name="Output">The shape it puts out: the same channels, height / size x width / size.</param>
internal sealed record MaxPool2DLayerPlan(int Number, int ParameterOffset, ImageShape Input, ImageShape Output, int Size)
    : LayerPlan(Number, checked((int)Input.Count), ParameterOffset, 0)
{
    public override int Outputs => checked((int)Output.Count);

    public override bool Unrolled => false;

    public override bool Blockable => false;

    public override bool UsesParameterSpans => false;

    public override bool KeepsLogits => false;

    public override bool KeepsPreActivations => false;
}
