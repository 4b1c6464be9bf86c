using NetGen.Generator.Model;

namespace NetGen.Generator.Planning;

/// <summary>
/// A [Gru] or [Lstm] layer: its parameters weight_ih [G * units, inputs], weight_hh [G * units, units], then, with
/// biases, bias_ih and bias_hh [G * units] (PyTorch's layout and gate order); where its carried values live in the
/// state; and how many values one time step puts on the record the backward pass reads (the tape).
/// </summary>
/// <param name="StateOffset">Where the layer's carried values start in the state: h, then (LSTM) c.</param>
internal sealed record RecurrentLayerPlan(
    int Number,
    int Inputs,
    int ParameterOffset,
    RecurrentCell Cell,
    int Units,
    bool Bias,
    int StateOffset)
    : LayerPlan(Number, Inputs, ParameterOffset, checked((int)new RecurrentLayerSpec(Cell, Units, Bias).ParameterCount(Inputs)))
{
    public override int Outputs => Units;

    public override bool Unrolled => false;

    public override bool Blockable => false;

    public override bool UsesParameterSpans => false;

    public override bool KeepsLogits => false;

    /// <summary>Its code is the streaming step's, which keeps z on the step's record whatever the activation.</summary>
    public override bool KeepsPreActivations => false;

    /// <summary>The number of gates: 3 (GRU: r, z, n) or 4 (LSTM: i, f, g, o).</summary>
    public int Gates => Cell == RecurrentCell.Gru ? 3 : 4;

    /// <summary>The rows of each weight matrix: one per gate and unit.</summary>
    public int Rows => Gates * Units;

    public int WeightIhOffset => ParameterOffset;

    public int WeightHhOffset => ParameterOffset + (Rows * Inputs);

    /// <summary>Where bias_ih starts, or -1 without biases.</summary>
    public int BiasIhOffset => Bias ? WeightHhOffset + (Rows * Units) : -1;

    /// <summary>Where bias_hh starts, or -1 without biases.</summary>
    public int BiasHhOffset => Bias ? BiasIhOffset + Rows : -1;

    /// <summary>The values the layer carries: h (GRU), or h and c (LSTM).</summary>
    public int StateSize => Cell == RecurrentCell.Gru ? Units : 2 * Units;

    /// <summary>
    /// One step's values on the tape, each a block of <see cref="Units"/>: GRU r, z, n, hn (= W_hn h + b_hn, which r
    /// scales) and the new h; LSTM i, f, g, o, the new c and the new h. The new h, the layer's output, is last.
    /// </summary>
    public int TapeSize => (Cell == RecurrentCell.Gru ? 5 : 6) * Units;
}
