using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting.Layers;

/// <summary>
/// A [Gru] layer, PyTorch's equations. From the step's inputs x and the hidden values h it began with:
/// r = sigmoid(W_ir x + b_ir + W_hr h + b_hr), z = sigmoid(W_iz x + b_iz + W_hz h + b_hz),
/// n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), and h' = (1 - z) * n + z * h, the layer's output. Unit j's rows of
/// the weights are j (r), units + j (z) and 2 units + j (n). One step's record holds r, z, n, hn = W_hn h + b_hn
/// (which r scales, so its slope needs it) and h'.
/// </summary>
internal sealed class GruEmitter(RecurrentLayerPlan layer) : RecurrentEmitter(layer)
{
    public override void EmitStep(StepContext s)
    {
        string x = s.Input(Layer.Number);
        string a = s.Output(Layer.Number);
        EmitContext.WriteComment(s.W, $"Layer {N}: {Describe()}. With x its inputs and h{N} its hidden values before this step (carried in the state), unit j's rows of the weights being j, {H} + j and {Literals.Int(2 * Layer.Units)} + j:");
        s.W.Line("//   r  = sigmoid(W_ir x + b_ir + W_hr h + b_hr)       the reset gate");
        s.W.Line("//   z  = sigmoid(W_iz x + b_iz + W_hz h + b_hz)       the update gate");
        s.W.Line("//   n  = tanh(W_in x + b_in + r * (W_hn h + b_hn))    the candidate values");
        s.W.Line("//   h' = (1 - z) * n + z * h                          the new hidden values, the layer's output");
        s.W.Line($"Span<{s.T}> h{N} = state.Slice({Literals.Int(Layer.StateOffset)}, {H});");
        s.W.Line($"Span<{s.T}> {a} = {Block(s, "tape", 4)};");
        EmitContext.WriteComment(s.W, $"The whole step in one call (RecurrentKernels.GruStep): ih = W_i x + b_i and hh = W_h h + b_h, every gate row's two sums (rows r, z, n, {H} each), each dot product in one fixed order on every machine; then the equations above, with hn = hh_n. {VectorNote(s)} r, z, n and hn go onto the step's record (tape, for the backward pass), h' into {a} and into h{N}, the state.");
        s.C.WriteCall($"RecurrentKernels.GruStep<{s.T}>({LayerParameters()}, {x}, h{N}, {a}, {Block(s, "tape", 0, 4)});");
    }

    public override void EmitStepBackwardLocals(StepContext s)
    {
        EmitContext.WriteComment(s.W, $"Layer {N}: dh{N} = dL/dh, the slope of its hidden values carried back from the step after (0 after the last); gi{N} and gh{N}, the slopes at each gate row's two sums (W_i x + b_i and W_h h + b_h), which differ for n.");
        s.C.StackSpan($"dh{N}", Layer.Units);
        s.W.Line($"dh{N}.Clear();");
        s.C.StackSpan($"gi{N}", Layer.Rows);
        s.C.StackSpan($"gh{N}", Layer.Rows);
    }

    public override void EmitStepBackward(StepContext s)
    {
        string da = s.Slope(Layer.Number);
        string h2 = Literals.Int(2 * Layer.Units);
        EmitContext.WriteComment(s.W, $"Layer {N}, {Describe()}, back through this step. d = dL/dh' of each unit: from above at this step ({da}) and from the step after, through h (dh{N}).");
        s.W.Line($"ReadOnlySpan<{s.T}> r{N} = {Block(s, "now", 0)}, z{N} = {Block(s, "now", 1)};");
        s.W.Line($"ReadOnlySpan<{s.T}> n{N} = {Block(s, "now", 2)}, hn{N} = {Block(s, "now", 3)};");
        s.W.Line($"ReadOnlySpan<{s.T}> h{N} = {Block(s, "before", 4)}; // the hidden values this step began with");
        s.W.Open($"for (int j = 0; j < {H}; j++)");
        s.W.Line($"{s.T} d = {da}[j] + dh{N}[j];");
        s.W.Line("// h' = (1 - z) * n + z * h: the slopes at n, at z, and straight through to h.");
        s.W.Line($"{s.T} dn = d * ({s.Lit(1)} - z{N}[j]);");
        s.W.Line($"{s.T} dz = d * (h{N}[j] - n{N}[j]);");
        s.W.Line($"dh{N}[j] = d * z{N}[j];");
        s.W.Line("// n = tanh(sn + r * hn): the slope at its sum (tanh's slope, 1 - n^2), then at r (times hn)");
        s.W.Line("// and at hn (times r).");
        s.W.Line($"{s.T} dsn = dn * ({s.Lit(1)} - (n{N}[j] * n{N}[j]));");
        s.W.Line("// r and z are sigmoids of their sums: slope r * (1 - r), z * (1 - z).");
        s.W.Line($"gi{N}[j] = dsn * hn{N}[j] * (r{N}[j] * ({s.Lit(1)} - r{N}[j]));");
        s.W.Line($"gi{N}[{H} + j] = dz * (z{N}[j] * ({s.Lit(1)} - z{N}[j]));");
        s.W.Line($"gi{N}[{h2} + j] = dsn;");
        s.W.Line($"gh{N}[j] = gi{N}[j];");
        s.W.Line($"gh{N}[{H} + j] = gi{N}[{H} + j];");
        s.W.Line($"gh{N}[{h2} + j] = dsn * r{N}[j];");
        s.W.Close();
        s.W.Line();
        EmitRowSlopes(s, $"gi{N}", $"gh{N}", $"dh{N}", $"h{N}");
    }
}
