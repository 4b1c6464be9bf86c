using System.Collections.Generic;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting.Layers;

/// <summary>
/// What a GRU and an LSTM layer write alike: the views of their four tensors (wihL and whhL, the input-to-gates and
/// hidden-to-gates weights, row r of a gate block being one unit's row; bihL and bhhL their biases), their parameters'
/// description, PyTorch's initialisation, and the backward step's last part, where each gate row's slope turns into
/// the weights' slopes and the slopes passed back to the inputs and to the hidden values of the step before.
/// </summary>
internal abstract class RecurrentEmitter(RecurrentLayerPlan layer) : LayerEmitter
{
    protected readonly RecurrentLayerPlan Layer = layer;
    protected readonly string N = Literals.Int(layer.Number);
    protected readonly string H = Literals.Int(layer.Units);

    public override string Describe() =>
        $"{(Layer.Cell == Model.RecurrentCell.Gru ? "Gru" : "Lstm")}({H}){(Layer.Bias ? string.Empty : ", no bias")}, {Literals.Int(Layer.Inputs)} value{(Layer.Inputs == 1 ? string.Empty : "s")} in";

    public override IEnumerable<string> DescribeParameters()
    {
        string rows = Literals.Int(Layer.Rows);
        string kind = Layer.Cell == Model.RecurrentCell.Gru ? "r, z and n" : "i, f, g and o";
        yield return $"[{Literals.Int(Layer.WeightIhOffset)}, {Literals.Int(Layer.WeightHhOffset)}): wih{N}[row, input], layer {N}'s weight_ih, {rows} x {Literals.Int(Layer.Inputs)} (the rows of {kind}, {H} each).";
        yield return $"[{Literals.Int(Layer.WeightHhOffset)}, {Literals.Int(Layer.WeightHhOffset + (Layer.Rows * Layer.Units))}): whh{N}[row, hidden], layer {N}'s weight_hh, {rows} x {H}.";
        if (Layer.Bias)
        {
            yield return $"[{Literals.Int(Layer.BiasIhOffset)}, {Literals.Int(Layer.BiasIhOffset + Layer.Rows)}): bih{N}[row], layer {N}'s bias_ih.";
            yield return $"[{Literals.Int(Layer.BiasHhOffset)}, {Literals.Int(Layer.BiasHhOffset + Layer.Rows)}): bhh{N}[row], layer {N}'s bias_hh.";
        }
    }

    public override string? DescribeViews(bool gradients)
    {
        string views = $"wih{N}[row, i], whh{N}[row, i]{(Layer.Bias ? $", bih{N}[row], bhh{N}[row]" : string.Empty)}";
        return gradients ? views + " and their slopes (d...)" : views;
    }

    public override void EmitViews(EmitContext c, bool gradients)
    {
        string ih = Literals.Int(Layer.WeightIhOffset), hh = Literals.Int(Layer.WeightHhOffset), inputs = Literals.Int(Layer.Inputs);
        c.W.Line(gradients
            ? $"Matrix wih{N} = new(parameters, {ih}, {inputs}), dwih{N} = new(gradients, {ih}, {inputs});"
            : $"Matrix wih{N} = new(parameters, {ih}, {inputs});");
        c.W.Line(gradients
            ? $"Matrix whh{N} = new(parameters, {hh}, {H}), dwhh{N} = new(gradients, {hh}, {H});"
            : $"Matrix whh{N} = new(parameters, {hh}, {H});");
        if (Layer.Bias)
        {
            string bi = Literals.Int(Layer.BiasIhOffset), bh = Literals.Int(Layer.BiasHhOffset);
            c.W.Line(gradients
                ? $"Vector bih{N} = new(parameters, {bi}), dbih{N} = new(gradients, {bi});"
                : $"Vector bih{N} = new(parameters, {bi});");
            c.W.Line(gradients
                ? $"Vector bhh{N} = new(parameters, {bh}), dbhh{N} = new(gradients, {bh});"
                : $"Vector bhh{N} = new(parameters, {bh});");
        }
    }

    /// <summary>PyTorch's rule for recurrent layers (Initializers.Recurrent): every parameter uniform in +-1/sqrt(units).</summary>
    public override void EmitInitialize(EmitContext c) =>
        c.WriteCall($"Initializers.Recurrent(p.Slice({Literals.Int(Layer.ParameterOffset)}, {Literals.Int(Layer.ParameterCount)}), units: {H}, ref random);");

    /// <summary>Gate row <paramref name="gate"/> * units + j, as C#.</summary>
    protected string Row(int gate, string j = "j") => StepContext.Offset(gate * Layer.Units, j);

    /// <summary>The layer's parameters (weight_ih, weight_hh, then the biases) as a span of Parameters, as C#.</summary>
    protected string LayerParameters() =>
        $"parameters.AsSpan({Literals.Int(Layer.ParameterOffset)}, {Literals.Int(Layer.ParameterCount)})";

    /// <summary>How many units the step kernel takes at a time for this layer, said in the comment above its call.</summary>
    protected string VectorNote(StepContext s)
    {
        int lanes = s.T == "float" ? 8 : 4;
        int blocks = Layer.Units / lanes, rest = Layer.Units % lanes;
        string kind = s.T == "float" ? "eight float" : "four double";
        string vectors = blocks == 0
            ? $"With fewer than {kind} units, every unit is done one at a time."
            : blocks == 1 && rest == 0
                ? $"With AVX the {H} units are one vector a gate, the gates' sums and the equations all in registers."
                : $"With AVX, {kind} units at a time ({Literals.Int(blocks)} block{(blocks == 1 ? string.Empty : "s")}{(rest == 0 ? string.Empty : $", then {Literals.Int(rest)} unit{(rest == 1 ? string.Empty : "s")} one at a time")}), a vector a gate, in registers.";
        return vectors;
    }

    /// <summary>
    /// From the slope at each gate row's sum (<paramref name="input"/>: its W_ih x + b_ih part; <paramref name="hidden"/>:
    /// its W_hh h + b_hh part, the same but for a GRU's n), the weights' and biases' slopes, the slopes passed back to the
    /// inputs, and those added to the carried dL/dh of the step before (<paramref name="carried"/>).
    /// </summary>
    protected void EmitRowSlopes(StepContext s, string input, string hidden, string carried, string hiddenBefore)
    {
        string inputs = s.Input(Layer.Number);
        string? back = s.InputSlope(Layer.Number);
        s.W.Line("// Each gate row's weights: the slope at the row's sum * the value feeding the weight (x for wih, the");
        s.W.Line("// hidden values the step began with for whh); the slopes passed back are the same products the other");
        s.W.Line(back is null
            ? "// way: through whh to the hidden values of the step before."
            : $"// way: through wih to the layer's inputs ({back}), through whh to the hidden values of the step before.");
        s.W.Open($"for (int row = 0; row < {Literals.Int(Layer.Rows)}; row++)");
        s.W.Line($"{s.T} di = {input}[row], dh = {hidden}[row];");
        if (Layer.Bias)
        {
            s.W.Line($"dbih{N}[row] += di;");
            s.W.Line($"dbhh{N}[row] += dh;");
        }

        EmitRowProducts(s, "wih", Layer.WeightIhOffset, Layer.Inputs, "di", inputs, back, last: false);
        EmitRowProducts(s, "whh", Layer.WeightHhOffset, Layer.Units, "dh", hiddenBefore, carried, last: true);
        s.W.Close();
    }

    /// <summary>
    /// For one row of the weights <paramref name="name"/>: slopes[i] += slope * w[row, i] (when there is somewhere to
    /// pass them back) and dw[row, i] += slope * values[i]; from <see cref="Planner.KernelMinInputs"/> columns on, one
    /// call of the SIMD row kernels, which add element by element exactly as the loop would.
    /// </summary>
    private void EmitRowProducts(StepContext s, string name, int offset, int columns, string slope, string values, string? slopes, bool last)
    {
        if (columns >= Planner.KernelMinInputs)
        {
            string cols = Literals.Int(columns);
            string row = $"{Literals.Int(offset)} + (row * {cols})";
            s.C.WriteCall(slopes is null
                ? $"Kernels.MultiplyAdd<{s.T}>({values}, {slope}, gradients.AsSpan({row}, {cols}));"
                : $"Kernels.BackwardRow<{s.T}>(parameters.AsSpan({row}, {cols}), {values}, {slope}, gradients.AsSpan({row}, {cols}), {slopes});");
            return;
        }

        s.W.Open($"for (int i = 0; i < {Literals.Int(columns)}; i++)");
        if (slopes is not null)
        {
            s.W.Line($"{slopes}[i] += {slope} * {name}{N}[row, i];");
        }

        s.W.Line($"d{name}{N}[row, i] += {slope} * {values}[i];");
        s.W.Close();
        if (!last)
        {
            s.W.Line();
        }
    }

    /// <summary>A span of the step's slice of the record: <paramref name="blocks"/> blocks of the layer's values from block <paramref name="block"/> on.</summary>
    protected string Block(StepContext s, string record, int block, int blocks = 1) =>
        $"{record}.Slice({Literals.Int(s.TapeOffset(Layer.Number) + (block * Layer.Units))}, {Literals.Int(blocks * Layer.Units)})";
}
