using System.Collections.Generic;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting.Layers;

/// <summary>
/// A [MaxPool2D] layer, as PyTorch's MaxPool2d(size) on the CPU: each output is the largest value of its size x size
/// window (windows side by side, stride = size; rows and columns that fill no window dropped), read row by row, left to
/// right, a value replacing the largest so far only when it is larger or NaN. So the first largest value is kept on a
/// tie, a NaN makes the output NaN, and the slope of the output goes back to that one value (the window's last NaN, if
/// it has any): PyTorch's choice in both. The backward passes keep, per output, where that value sits in the input.
/// </summary>
internal sealed class MaxPool2DEmitter(MaxPool2DLayerPlan layer) : LayerEmitter
{
    private readonly string _n = Literals.Int(layer.Number);
    private readonly string _size = Literals.Int(layer.Size);

    public override string Describe() =>
        $"MaxPool2D({_size}), {Conv2DEmitter.Shape(layer.Input)} in, {Conv2DEmitter.Shape(layer.Output)} out";

    public override IEnumerable<string> DescribeParameters()
    {
        yield break;
    }

    public override string? DescribeViews(bool gradients) => null;

    public override void EmitViews(EmitContext c, bool gradients)
    {
    }

    public override void EmitInitialize(EmitContext c)
    {
    }

    private string Start(string output) => layer.Size == 1 ? output : $"({output} * {_size})";

    public override void EmitForward(EmitContext c)
    {
        int l = layer.Number;
        string inputs = c.SpanName(l - 1);
        string outputs = c.SpanName(l);
        int dropped = layer.Input.Height % layer.Size, droppedColumns = layer.Input.Width % layer.Size;
        string last = Literals.Int(layer.Size - 1);
        EmitContext.WriteComment(c.W, $"Layer {_n}: {Describe()}" +
            (dropped + droppedColumns == 0 ? "." : $" ({Dropped(dropped, droppedColumns)} fill no window and are dropped, as PyTorch's ceil_mode=False does)."));
        EmitContext.WriteComment(c.W,
            $"Output a{_n}[ch, oy, ox] (stored CHW at a{_n}[{OutputIndex()}]) is the largest value of channel ch's {_size}x{_size} window at rows " +
            $"{Start("oy")} to {Start("oy")} + {last} and columns {Start("ox")} to {Start("ox")} + {last}, read row by row, left to right: " +
            "a value replaces the largest so far only when it is larger, or NaN (PyTorch's rule: the first largest is kept, and a NaN makes the output NaN).");
        c.StackSpan(outputs, layer.Outputs);
        bool keep = c.Backward;
        if (keep)
        {
            c.W.Line($"// from{_n}[j]: where output j's value sits in the input, for its slope in the backward pass.");
            c.W.Line($"Span<int> from{_n} = stackalloc int[{Literals.Int(layer.Outputs)}];");
        }

        string height = Literals.Int(layer.Input.Height), width = Literals.Int(layer.Input.Width);
        c.W.Open($"for (int ch = 0; ch < {Literals.Int(layer.Output.Channels)}; ch++)");
        c.W.Open($"for (int oy = 0; oy < {Literals.Int(layer.Output.Height)}; oy++)");
        c.W.Open($"for (int ox = 0; ox < {Literals.Int(layer.Output.Width)}; ox++)");
        c.W.Line($"{c.T} max = {c.T}.NegativeInfinity;");
        c.W.Line($"int from = (((ch * {height}) + {Start("oy")}) * {width}) + {Start("ox")}; // the window's first value");
        c.W.Open($"for (int ky = 0; ky < {_size}; ky++)");
        c.W.Line($"int row = ((ch * {height}) + {Start("oy")} + ky) * {width};");
        c.W.Open($"for (int kx = 0; kx < {_size}; kx++)");
        c.W.Line($"int at = row + {Start("ox")} + kx;");
        c.W.Line($"{c.T} value = {inputs}[at];");
        c.W.Open($"if (value > max || {c.T}.IsNaN(value))");
        c.W.Line("max = value;");
        c.W.Line("from = at;");
        c.W.Close();
        c.W.Close();
        c.W.Close();
        c.W.Line();
        c.W.Line($"{outputs}[{OutputIndex()}] = max;");
        if (keep)
        {
            c.W.Line($"from{_n}[{OutputIndex()}] = from;");
        }

        c.W.Close();
        c.W.Close();
        c.W.Close();
    }

    public override void EmitBackward(EmitContext c)
    {
        int l = layer.Number;
        if (l == 1)
        {
            c.W.Line($"// Layer {_n}, {Describe()}: no parameters, and no layer before it to pass slopes to.");
            return;
        }

        string previous = Literals.Int(l - 1);
        EmitContext.WriteComment(c.W, $"Layer {_n}, {Describe()}, back: no parameters. Each output's slope goes to the one input value it took (from{_n}); every other value of its window gets 0, as in PyTorch.");
        c.StackSpan($"da{previous}", layer.Inputs);
        c.W.Line($"da{previous}.Clear();");
        c.W.Open($"for (int j = 0; j < {Literals.Int(layer.Outputs)}; j++)");
        c.W.Line($"da{previous}[from{_n}[j]] += da{_n}[j];");
        c.W.Close();
    }

    /// <summary>"the last row", "the last 2 columns", "the last row and the last column".</summary>
    private static string Dropped(int rows, int columns)
    {
        string Part(int count, string noun) => count == 1 ? $"the last {noun}" : $"the last {Literals.Int(count)} {noun}s";
        return rows == 0 ? Part(columns, "column") : columns == 0 ? Part(rows, "row") : $"{Part(rows, "row")} and {Part(columns, "column")}";
    }

    private string OutputIndex() =>
        $"(((ch * {Literals.Int(layer.Output.Height)}) + oy) * {Literals.Int(layer.Output.Width)}) + ox";
}
