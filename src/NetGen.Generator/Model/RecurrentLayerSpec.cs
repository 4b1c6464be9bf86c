namespace NetGen.Generator.Model;

/// <summary>Which recurrent cell a layer is, with PyTorch's equations and gate order.</summary>
internal enum RecurrentCell
{
    /// <summary>[Gru(units)]: gates r, z, n (torch.nn.GRU).</summary>
    Gru,

    /// <summary>[Lstm(units)]: gates i, f, g, o (torch.nn.LSTM).</summary>
    Lstm,
}

/// <summary>
/// [Gru(units, Bias = ...)] or [Lstm(units, Bias = ...)]: a layer whose hidden values (and, for an LSTM, cell values)
/// carry from one time step to the next. Its parameters are weight_ih [G * units, inputs], weight_hh [G * units,
/// units], then, with Bias, bias_ih and bias_hh [G * units], G being the number of gates.
/// </summary>
internal sealed record RecurrentLayerSpec(RecurrentCell Cell, int Units, bool Bias) : LayerSpec
{
    public override int Outputs => Units;

    public override bool IsStreaming => true;

    public override long ParameterCount(int inputs) =>
        ((long)Gates * Units * ((long)inputs + Units)) + (Bias ? 2L * Gates * Units : 0);

    /// <summary>The number of gates, each a block of <see cref="Units"/> rows of the weights: 3 for a GRU, 4 for an LSTM.</summary>
    public int Gates => Cell == RecurrentCell.Gru ? 3 : 4;

    /// <summary>The attribute's name as written: Gru or Lstm.</summary>
    public string Name => Cell == RecurrentCell.Gru ? "Gru" : "Lstm";
}
