using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting.Layers;

/// <summary>
/// An [Lstm] layer, PyTorch's equations. From the step's inputs x and the hidden and cell values h and c it began with:
/// i = sigmoid(W_ii x + b_ii + W_hi h + b_hi), f = sigmoid(...), g = tanh(...), o = sigmoid(...) (rows j, units + j,
/// 2 units + j and 3 units + j of the weights for unit j), c' = f * c + i * g, and h' = o * tanh(c'), the layer's
/// output. One step's record holds i, f, g, o, c' and h'.
/// </summary>
internal sealed class LstmEmitter(RecurrentLayerPlan layer) : RecurrentEmitter(layer)
{
    public override void EmitStep(StepContext s)
    {
        string a = s.Output(Layer.Number);
        EmitContext.WriteComment(s.W, $"Layer {N}: {Describe()}. With x its inputs, h{N} and c{N} its hidden and cell values before this step (carried in the state), unit j's rows of the weights being j, {H} + j, {Literals.Int(2 * Layer.Units)} + j and {Literals.Int(3 * Layer.Units)} + j:");
        s.W.Line("//   i  = sigmoid(W_ii x + b_ii + W_hi h + b_hi)       the input gate");
        s.W.Line("//   f  = sigmoid(W_if x + b_if + W_hf h + b_hf)       the forget gate");
        s.W.Line("//   g  = tanh(W_ig x + b_ig + W_hg h + b_hg)          the candidate cell values");
        s.W.Line("//   o  = sigmoid(W_io x + b_io + W_ho h + b_ho)       the output gate");
        s.W.Line("//   c' = f * c + i * g                                the new cell values");
        s.W.Line("//   h' = o * tanh(c')                                 the new hidden values, the layer's output");
        s.W.Line($"Span<{s.T}> h{N} = state.Slice({Literals.Int(Layer.StateOffset)}, {H}), c{N} = state.Slice({Literals.Int(Layer.StateOffset + Layer.Units)}, {H});");
        s.W.Line($"Span<{s.T}> {a} = {Block(s, "tape", 5)};");
        EmitContext.WriteComment(s.W, $"The whole step in one call (RecurrentKernels.LstmStep): s = W_i x + b_i + W_h h + b_h, every gate row's sum (rows i, f, g, o, {H} each), each dot product in one fixed order on every machine; then the equations above. {VectorNote(s)} i, f, g, o and c' go onto the step's record (tape, for the backward pass), h' into {a} and into h{N}, c' into c{N}.");
        s.C.WriteCall($"RecurrentKernels.LstmStep<{s.T}>({LayerParameters()}, {s.Input(Layer.Number)}, h{N}, c{N}, {a}, {Block(s, "tape", 0, 5)});");
    }

    public override void EmitStepBackwardLocals(StepContext s)
    {
        EmitContext.WriteComment(s.W, $"Layer {N}: dh{N} and dc{N} = dL/dh and dL/dc, the slopes of its carried values from the step after (0 after the last); gs{N}, the slope at each gate row's sum.");
        s.C.StackSpan($"dh{N}", Layer.Units);
        s.C.StackSpan($"dc{N}", Layer.Units);
        s.W.Line($"dh{N}.Clear();");
        s.W.Line($"dc{N}.Clear();");
        s.C.StackSpan($"gs{N}", Layer.Rows);
    }

    public override void EmitStepBackward(StepContext s)
    {
        string da = s.Slope(Layer.Number);
        string one = s.Lit(1);
        EmitContext.WriteComment(s.W, $"Layer {N}, {Describe()}, back through this step. d = dL/dh' of each unit: from above at this step ({da}) and from the step after, through h (dh{N}).");
        s.W.Line($"ReadOnlySpan<{s.T}> i{N} = {Block(s, "now", 0)}, f{N} = {Block(s, "now", 1)};");
        s.W.Line($"ReadOnlySpan<{s.T}> g{N} = {Block(s, "now", 2)}, o{N} = {Block(s, "now", 3)};");
        s.W.Line($"ReadOnlySpan<{s.T}> cn{N} = {Block(s, "now", 4)};");
        s.W.Line($"ReadOnlySpan<{s.T}> h{N} = {Block(s, "before", 5)}, c{N} = {Block(s, "before", 4)}; // what this step began with");
        s.W.Open($"for (int j = 0; j < {H}; j++)");
        s.W.Line($"{s.T} d = {da}[j] + dh{N}[j];");
        s.W.Line("// h' = o * tanh(c'): the slope at o, and at c' (plus what the step after passed back through c).");
        s.W.Line($"{s.T} tc = RecurrentKernels.Tanh(cn{N}[j]); // as the step computed it");
        s.W.Line($"{s.T} dcn = dc{N}[j] + (d * o{N}[j] * ({one} - (tc * tc)));");
        s.W.Line("// c' = f * c + i * g: the slopes at i (times g), f (times c), g (times i), and on to c (times f).");
        s.W.Line($"dc{N}[j] = dcn * f{N}[j];");
        s.W.Line("// Each gate's slope at its sum: sigmoid's s * (1 - s) for i, f and o, tanh's 1 - g^2 for g.");
        s.W.Line($"gs{N}[j] = dcn * g{N}[j] * (i{N}[j] * ({one} - i{N}[j]));");
        s.W.Line($"gs{N}[{H} + j] = dcn * c{N}[j] * (f{N}[j] * ({one} - f{N}[j]));");
        s.W.Line($"gs{N}[{Literals.Int(2 * Layer.Units)} + j] = dcn * i{N}[j] * ({one} - (g{N}[j] * g{N}[j]));");
        s.W.Line($"gs{N}[{Literals.Int(3 * Layer.Units)} + j] = d * tc * (o{N}[j] * ({one} - o{N}[j]));");
        s.W.Line($"dh{N}[j] = {s.Lit(0)};");
        s.W.Close();
        s.W.Line();
        EmitRowSlopes(s, $"gs{N}", $"gs{N}", $"dh{N}", $"h{N}");
    }
}
