using System.Collections.Generic;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting.Layers;

/// <summary>
/// A [Conv1D] layer, causal, as PyTorch's Conv1d on the sequence left-padded with zeros: at step t, channel o sums
/// w[o, c, j] * (input c of step t - (kernelSize - 1 - j) * dilation) over the input channels c and taps j, adds its
/// bias, and applies the activation. The weights are viewed as a matrix wL[o, c * kernelSize + j] (the same values,
/// row-major, as torch.nn.Conv1d.weight[o, c, j]). The inputs of the last (kernelSize - 1) * dilation steps carry in
/// the state, oldest first; going back, the slopes of those inputs carry back the same way, in a window that moves
/// one step at a time.
/// </summary>
internal sealed class Conv1DEmitter(Conv1DLayerPlan layer) : LayerEmitter
{
    private readonly string _n = Literals.Int(layer.Number);
    private readonly string _k = Literals.Int(layer.KernelSize);
    private readonly string _in = Literals.Int(layer.Inputs);
    private readonly string _out = Literals.Int(layer.OutChannels);

    public override string Describe() =>
        $"Conv1D({_out}, {_k}, {layer.Activation}{(layer.Dilation == 1 ? string.Empty : $", dilation {Literals.Int(layer.Dilation)}")}){(layer.Bias ? string.Empty : ", no bias")}, {_in} channel{(layer.Inputs == 1 ? string.Empty : "s")} in";

    public override IEnumerable<string> DescribeParameters()
    {
        yield return $"[{Literals.Int(layer.ParameterOffset)}, {Literals.Int(layer.ParameterOffset + layer.WeightCount)}): w{_n}[out, in, tap], layer {_n}'s {_out} x {_in} x {_k} weights.";
        if (layer.Bias)
        {
            yield return $"[{Literals.Int(layer.BiasOffset)}, {Literals.Int(layer.BiasOffset + layer.OutChannels)}): b{_n}[out], layer {_n}'s biases.";
        }
    }

    public override string? DescribeViews(bool gradients)
    {
        string views = $"w{_n}[o, c * {_k} + j] (weight [o, c, j]){(layer.Bias ? $", b{_n}[o]" : string.Empty)}";
        return gradients ? views + " and their slopes (d...)" : views;
    }

    public override void EmitViews(EmitContext c, bool gradients)
    {
        string offset = Literals.Int(layer.ParameterOffset);
        string columns = Literals.Int(layer.Inputs * layer.KernelSize);
        c.W.Line(gradients
            ? $"Matrix w{_n} = new(parameters, {offset}, {columns}), dw{_n} = new(gradients, {offset}, {columns});"
            : $"Matrix w{_n} = new(parameters, {offset}, {columns});");
        if (layer.Bias)
        {
            string bias = Literals.Int(layer.BiasOffset);
            c.W.Line(gradients
                ? $"Vector b{_n} = new(parameters, {bias}), db{_n} = new(gradients, {bias});"
                : $"Vector b{_n} = new(parameters, {bias});");
        }
    }

    /// <summary>The runtime's rule for weights (Initializers.Dense over the fan-in and fan-out of one tap set), biases zero.</summary>
    public override void EmitInitialize(EmitContext c)
    {
        string weights = $"p.Slice({Literals.Int(layer.ParameterOffset)}, {Literals.Int(layer.WeightCount)})";
        string fanIn = Literals.Int(layer.Inputs * layer.KernelSize), fanOut = Literals.Int(layer.OutChannels * layer.KernelSize);
        c.WriteCall($"Initializers.Dense({weights}, fanIn: {fanIn}, fanOut: {fanOut}, Activation.{layer.Activation}, ref random);");
        if (layer.Bias)
        {
            c.W.Line($"p.Slice({Literals.Int(layer.BiasOffset)}, {_out}).Clear();");
        }
    }

    public override void EmitStep(StepContext s)
    {
        int offset = s.TapeOffset(layer.Number);
        string x = s.Input(layer.Number);
        string a = s.Output(layer.Number);
        string reach = Literals.Int(layer.Reach);
        EmitContext.WriteComment(s.W, $"Layer {_n}: {Describe()}. Causal: tap j of channel o reads the inputs of step t - ({_k} - 1 - j) * {Literals.Int(layer.Dilation)}, so the output at step t sees the inputs of the last {Literals.Int(layer.Reach + 1)} steps, this one included, and nothing later.");
        if (layer.Reach > 0)
        {
            EmitContext.WriteComment(s.W, $"hist{_n} holds the inputs of the {reach} steps before this one, oldest first (zeros before the first step): tap j reads row j * {Literals.Int(layer.Dilation)} of it, and the last tap this step's inputs.");
            s.W.Line($"Span<{s.T}> hist{_n} = state.Slice({Literals.Int(layer.StateOffset)}, {Literals.Int(layer.StateSize)});");
        }

        s.W.Line($"Span<{s.T}> z{_n} = tape.Slice({Literals.Int(offset)}, {_out}), {a} = tape.Slice({Literals.Int(offset + layer.OutChannels)}, {_out});");
        s.W.Open($"for (int o = 0; o < {_out}; o++)");
        s.W.Line($"{s.T} z = {s.Lit(0)};");
        s.W.Open($"for (int j = 0; j < {_k}; j++)");
        s.W.Line(layer.Reach > 0
            ? $"ReadOnlySpan<{s.T}> at = j == {Literals.Int(layer.KernelSize - 1)} ? {x} : hist{_n}.Slice(j * {Literals.Int(layer.Dilation * layer.Inputs)}, {_in});"
            : $"ReadOnlySpan<{s.T}> at = {x};");
        s.W.Open($"for (int c = 0; c < {_in}; c++)");
        s.W.Line($"z += w{_n}[o, (c * {_k}) + j] * at[c];");
        s.W.Close();
        s.W.Close();
        if (layer.Bias)
        {
            s.W.Line();
            s.W.Line($"z += b{_n}[o];");
        }

        s.W.Line($"z{_n}[o] = z;");
        s.W.Line($"{a}[o] = {ActivationCode.Apply(s.C, layer.Activation, "z")};");
        s.W.Close();
        if (layer.Reach > 0)
        {
            s.W.Line();
            s.W.Line("// The history moves on one step: the oldest inputs leave, this step's join at the end.");
            s.W.Line($"hist{_n}.Slice({_in}).CopyTo(hist{_n});");
            s.W.Line($"{x}.CopyTo(hist{_n}.Slice({Literals.Int((layer.Reach - 1) * layer.Inputs)}));");
        }
    }

    public override void EmitStepBackwardLocals(StepContext s)
    {
        s.W.Line($"// Layer {_n}: zeros{_n}, the inputs before the first step (the causal padding).");
        s.C.StackSpan($"zeros{_n}", layer.Inputs);
        s.W.Line($"zeros{_n}.Clear();");
        if (layer.Number > 1)
        {
            EmitContext.WriteComment(s.W, $"window{_n}: the slopes of the inputs its kernel reads at one step, oldest first; those of earlier steps carry back as the window moves.");
            s.C.StackSpan($"window{_n}", (layer.Reach + 1) * layer.Inputs);
            s.W.Line($"window{_n}.Clear();");
        }
    }

    public override void EmitStepBackward(StepContext s)
    {
        int offset = s.TapeOffset(layer.Number);
        string a = s.Output(layer.Number);
        string da = s.Slope(layer.Number);
        string? back = s.InputSlope(layer.Number);
        string window = $"window{_n}";
        EmitContext.WriteComment(s.W, $"Layer {_n}, {Describe()}, back through this step. dz = dL/da * slope of {layer.Activation}{ActivationCode.SlopeText(layer.Activation)}. Each weight's slope: dz of the channel it feeds * the input feeding it, at the step its tap reads (zero before the first step).");
        if (back is not null)
        {
            EmitContext.WriteComment(s.W, $"The window moves one step back: the slopes it held for this step's inputs were completed by the step after and passed on; those of the step {Literals.Int(layer.Reach + 1)} back start at zero.");
            s.W.Line($"{window}.Slice(0, {Literals.Int(layer.Reach * layer.Inputs)}).CopyTo({window}.Slice({_in}));");
            s.W.Line($"{window}.Slice(0, {_in}).Clear();");
        }

        s.W.Line($"ReadOnlySpan<{s.T}> z{_n} = now.Slice({Literals.Int(offset)}, {_out});");
        s.W.Open($"for (int o = 0; o < {_out}; o++)");
        s.W.Line($"{s.T} d = {ActivationCode.ApplySlope(s.C, layer.Activation, $"{da}[o]", $"z{_n}[o]", $"{a}[o]")};");
        if (layer.Bias)
        {
            s.W.Line($"db{_n}[o] += d;");
        }

        s.W.Open($"for (int j = 0; j < {_k}; j++)");
        s.W.Line($"int back = ({Literals.Int(layer.KernelSize - 1)} - j) * {Literals.Int(layer.Dilation)};");
        s.W.Line($"ReadOnlySpan<{s.T}> at = t >= back ? {s.InputAtStep(layer.Number, "t - back", layer.Inputs)} : zeros{_n};");
        s.W.Open($"for (int c = 0; c < {_in}; c++)");
        s.W.Line($"dw{_n}[o, (c * {_k}) + j] += d * at[c];");
        if (back is not null)
        {
            s.W.Line($"{window}[(j * {Literals.Int(layer.Dilation * layer.Inputs)}) + c] += d * w{_n}[o, (c * {_k}) + j];");
        }

        s.W.Close();
        s.W.Close();
        s.W.Close();
        if (back is not null)
        {
            s.W.Line();
            s.W.Line("// This step's inputs now have every slope they will get (from this step and the ones after):");
            s.W.Line("// pass them back.");
            s.W.Open($"for (int c = 0; c < {_in}; c++)");
            s.W.Line($"{back}[c] += {window}[{Literals.Int(layer.Reach * layer.Inputs)} + c];");
            s.W.Close();
        }
    }
}
