using System.Collections.Generic;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting.Layers;

/// <summary>
/// A [Conv2D] layer, as PyTorch's Conv2d: output channel o at row oy and column ox sums w[o, i, ky, kx] * x[i, iy, ix]
/// over the input channels i and the kernel's rows ky and columns kx, where iy = oy * stride + ky - padding and
/// ix = ox * stride + kx - padding (padding reads as zeros, so those terms are left out), adds its bias and applies
/// the activation. Direct convolution: loops over the output channels, rows and columns with every size a constant,
/// and nothing allocated but the layer's values on the stack. Every sum is taken in one fixed order, written in the
/// comments of the generated code; none is split over SIMD lanes, so the bits are the same on every machine.
/// </summary>
internal sealed class Conv2DEmitter(Conv2DLayerPlan layer) : LayerEmitter
{
    private readonly string _n = Literals.Int(layer.Number);
    private readonly string _k = Literals.Int(layer.KernelSize);

    public override string Describe()
    {
        var options = new List<string>();
        if (layer.Stride != 1)
        {
            options.Add($"stride {Literals.Int(layer.Stride)}");
        }

        if (layer.Padding != 0)
        {
            options.Add($"padding {Literals.Int(layer.Padding)}");
        }

        string extra = options.Count == 0 ? string.Empty : ", " + string.Join(", ", options);
        return $"Conv2D({Literals.Int(layer.Output.Channels)}, {_k}, {layer.Activation}{extra}){(layer.Bias ? string.Empty : ", no bias")}, {Shape(layer.Input)} in, {Shape(layer.Output)} out";
    }

    /// <summary>An image's shape as the comments write it: channels x height x width.</summary>
    internal static string Shape(Model.ImageShape shape) =>
        $"{Literals.Int(shape.Channels)}x{Literals.Int(shape.Height)}x{Literals.Int(shape.Width)}";

    public override IEnumerable<string> DescribeParameters()
    {
        yield return $"[{Literals.Int(layer.ParameterOffset)}, {Literals.Int(layer.ParameterOffset + layer.WeightCount)}): w{_n}[out, in, row, column], layer {_n}'s {Literals.Int(layer.Output.Channels)} x {Literals.Int(layer.Input.Channels)} x {_k} x {_k} kernel weights (torch.nn.Conv2d.weight).";
        if (layer.Bias)
        {
            yield return $"[{Literals.Int(layer.BiasOffset)}, {Literals.Int(layer.BiasOffset + layer.Output.Channels)}): b{_n}[out], layer {_n}'s biases.";
        }
    }

    public override string? DescribeViews(bool gradients)
    {
        // Kept short: the pass emitter writes the line after a comment marker, at the method's indentation.
        string bias = layer.Bias ? $", b{_n}[o]" : string.Empty;
        return gradients
            ? $"w{_n}[o, i, ky, kx] (channel i to channel o, kernel row ky, column kx){bias}, slopes dw{_n}{(layer.Bias ? $", db{_n}" : string.Empty)}"
            : $"w{_n}[o, i, ky, kx] (input channel i to output channel o, kernel row ky, column kx){bias}";
    }

    public override void EmitViews(EmitContext c, bool gradients)
    {
        string offset = Literals.Int(layer.ParameterOffset);
        string shape = $"{Literals.Int(layer.Input.Channels)}, {_k}";
        c.W.Line(gradients
            ? $"Kernel w{_n} = new(parameters, {offset}, {shape}), dw{_n} = new(gradients, {offset}, {shape});"
            : $"Kernel w{_n} = new(parameters, {offset}, {shape});");
        if (layer.Bias)
        {
            string bias = Literals.Int(layer.BiasOffset);
            c.W.Line(gradients
                ? $"Vector b{_n} = new(parameters, {bias}), db{_n} = new(gradients, {bias});"
                : $"Vector b{_n} = new(parameters, {bias});");
        }
    }

    /// <summary>The runtime's rule for weights (Initializers.Dense over the fan-in and fan-out of one kernel position), biases zero.</summary>
    public override void EmitInitialize(EmitContext c)
    {
        string weights = $"p.Slice({Literals.Int(layer.ParameterOffset)}, {Literals.Int(layer.WeightCount)})";
        int window = layer.KernelSize * layer.KernelSize;
        string fanIn = Literals.Int(layer.Input.Channels * window), fanOut = Literals.Int(layer.Output.Channels * window);
        c.WriteCall($"Initializers.Dense({weights}, fanIn: {fanIn}, fanOut: {fanOut}, Activation.{layer.Activation}, ref random);");
        if (layer.Bias)
        {
            c.W.Line($"p.Slice({Literals.Int(layer.BiasOffset)}, {Literals.Int(layer.Output.Channels)}).Clear();");
        }
    }

    /// <summary>The input row (or column) under kernel row ky at output row oy: oy * stride + ky - padding, as C#.</summary>
    private string Under(string output, string kernel)
    {
        string start = layer.Stride == 1 ? output : $"({output} * {Literals.Int(layer.Stride)})";
        return layer.Padding == 0 ? $"{start} + {kernel}" : $"{start} + {kernel} - {Literals.Int(layer.Padding)}";
    }

    /// <summary>Opens the loop over kernel rows and, with padding, skips the rows that fall on it; declares iy and row.</summary>
    private void OpenKernelRow(EmitContext c, string outputRow, string channel)
    {
        string height = Literals.Int(layer.Input.Height);
        c.W.Open($"for (int ky = 0; ky < {_k}; ky++)");
        c.W.Line($"int iy = {Under(outputRow, "ky")}; // the input row under kernel row ky");
        SkipPadding(c, "iy", height, "a row of padding: zeros");
        c.W.Line($"int row = (({channel} * {height}) + iy) * {Literals.Int(layer.Input.Width)}; // where that row of channel {channel} starts");
    }

    private void OpenKernelColumn(EmitContext c, string outputColumn)
    {
        c.W.Open($"for (int kx = 0; kx < {_k}; kx++)");
        c.W.Line($"int ix = {Under(outputColumn, "kx")};");
        SkipPadding(c, "ix", Literals.Int(layer.Input.Width), "a column of padding");
    }

    private void SkipPadding(EmitContext c, string index, string size, string what)
    {
        if (!layer.Padded)
        {
            return;
        }

        c.W.Open($"if ((uint){index} >= {size})");
        c.W.Line($"continue; // {what}");
        c.W.Close();
        c.W.Line();
    }

    /// <summary>Where output [o, oy, ox] is stored (CHW), as C#.</summary>
    private string OutputIndex(string channel) =>
        $"((({channel} * {Literals.Int(layer.Output.Height)}) + oy) * {Literals.Int(layer.Output.Width)}) + ox";

    private string WindowText => $"rows {Range("oy")} and columns {Range("ox")}";

    /// <summary>The input rows (or columns) a window spans, as "oy - 1 to oy + 1" or "(oy * 2) to (oy * 2) + 2".</summary>
    private string Range(string output)
    {
        string start = layer.Stride == 1 ? output : $"({output} * {Literals.Int(layer.Stride)})";
        return $"{Offset(start, -layer.Padding)} to {Offset(start, layer.KernelSize - 1 - layer.Padding)}";

        static string Offset(string start, int by) =>
            by == 0 ? start : by > 0 ? $"{start} + {Literals.Int(by)}" : $"{start} - {Literals.Int(-by)}";
    }

    public override void EmitForward(EmitContext c)
    {
        int l = layer.Number;
        string inputs = c.SpanName(l - 1);
        string outputs = c.SpanName(l);
        bool keepZ = c.Backward && layer.KeepsZForSlope;
        EmitContext.WriteComment(c.W, $"Layer {_n}: {Describe()}.");
        EmitContext.WriteComment(c.W,
            $"Output a{_n}[o, oy, ox] (channel o, row oy, column ox; stored CHW at a{_n}[{OutputIndex("o")}]) looks at the {_k}x{_k} window of input {WindowText}. " +
            $"z sums w{_n}[o, i, ky, kx] * (input channel i, row iy, column ix under kernel row ky and column kx) in this order: input channel i, then kernel row ky, then kernel column kx" +
            (layer.Padded ? ", leaving out the terms that fall on the padding (zeros)" : string.Empty) +
            $"; then {(layer.Bias ? $"adds b{_n}[o] and " : string.Empty)}applies {layer.Activation}.");
        c.StackSpan(outputs, layer.Outputs);
        if (keepZ)
        {
            c.W.Line($"// z{_n} keeps each output's z for the slope of {layer.Activation} in the backward pass.");
            c.StackSpan($"z{_n}", layer.Outputs);
        }

        c.W.Open($"for (int o = 0; o < {Literals.Int(layer.Output.Channels)}; o++)");
        c.W.Open($"for (int oy = 0; oy < {Literals.Int(layer.Output.Height)}; oy++)");
        c.W.Open($"for (int ox = 0; ox < {Literals.Int(layer.Output.Width)}; ox++)");
        c.W.Line($"{c.T} z = {c.Lit(0)};");
        c.W.Open($"for (int i = 0; i < {Literals.Int(layer.Input.Channels)}; i++)");
        OpenKernelRow(c, "oy", "i");
        OpenKernelColumn(c, "ox");
        c.W.Line($"z += w{_n}[o, i, ky, kx] * {inputs}[row + ix];");
        c.W.Close();
        c.W.Close();
        c.W.Close();
        c.W.Line();
        if (layer.Bias)
        {
            c.W.Line($"z += b{_n}[o];");
        }

        c.W.Line($"int at = {OutputIndex("o")};");
        if (keepZ)
        {
            c.W.Line($"z{_n}[at] = z;");
        }

        c.W.Line($"{outputs}[at] = {ActivationCode.Apply(c, layer.Activation, "z")};");
        c.W.Close();
        c.W.Close();
        c.W.Close();
    }

    public override void EmitBackward(EmitContext c)
    {
        int l = layer.Number;
        string inputs = c.SpanName(l - 1);
        string previous = Literals.Int(l - 1);
        string count = Literals.Int(layer.Outputs);
        bool step = c.Pass == Pass.TrainStep;
        EmitContext.WriteComment(c.W, $"Layer {_n}, {Describe()}, back. The slope of the loss with respect to each output's z: dL/dz = dL/da * slope of {layer.Activation}{ActivationCode.SlopeText(layer.Activation)}.");
        c.StackSpan($"dz{_n}", layer.Outputs);
        c.W.Open($"for (int j = 0; j < {count}; j++)");
        c.W.Line($"dz{_n}[j] = {ActivationCode.ApplySlope(c, layer.Activation, $"da{_n}[j]", layer.KeepsZForSlope ? $"z{_n}[j]" : null, $"a{_n}[j]")};");
        c.W.Close();

        if (l > 1)
        {
            c.W.Line();
            EmitContext.WriteComment(c.W,
                $"The slope with respect to each value feeding layer {_n}: the sum, over the outputs whose window covers it, of dz of the output * the weight between them; " +
                $"added output by output (channel o, row oy, column ox), and within a window in the forward pass's order (input channel, kernel row, kernel column). " +
                (step ? "Taken before any weight is stepped." : string.Empty));
            c.StackSpan($"da{previous}", layer.Inputs);
            c.W.Line($"da{previous}.Clear();");
            c.W.Open($"for (int o = 0; o < {Literals.Int(layer.Output.Channels)}; o++)");
            c.W.Open($"for (int oy = 0; oy < {Literals.Int(layer.Output.Height)}; oy++)");
            c.W.Open($"for (int ox = 0; ox < {Literals.Int(layer.Output.Width)}; ox++)");
            c.W.Line($"{c.T} d = dz{_n}[{OutputIndex("o")}];");
            c.W.Open($"for (int i = 0; i < {Literals.Int(layer.Input.Channels)}; i++)");
            OpenKernelRow(c, "oy", "i");
            OpenKernelColumn(c, "ox");
            c.W.Line($"da{previous}[row + ix] += d * w{_n}[o, i, ky, kx];");
            for (int close = 0; close < 6; close++)
            {
                c.W.Close();
            }
        }

        c.W.Line();
        EmitContext.WriteComment(c.W,
            $"Each weight's slope: the sum, over the outputs of its channel (row oy, then column ox), of dz of the output * the input value under the weight there" +
            (layer.Padded ? " (none on the padding)" : string.Empty) +
            (layer.Bias ? "; each bias's, the sum of its channel's dz (a bias is fed by 1)" : string.Empty) +
            (step ? ". Then each steps against its slope: p -= learningRate * slope." : ". Added into the gradients."));
        string outHeight = Literals.Int(layer.Output.Height), outWidth = Literals.Int(layer.Output.Width);
        c.W.Open($"for (int o = 0; o < {Literals.Int(layer.Output.Channels)}; o++)");
        c.W.Open($"for (int i = 0; i < {Literals.Int(layer.Input.Channels)}; i++)");
        c.W.Open($"for (int ky = 0; ky < {_k}; ky++)");
        c.W.Open($"for (int kx = 0; kx < {_k}; kx++)");
        c.W.Line($"{c.T} sum = {c.Lit(0)};");
        c.W.Open($"for (int oy = 0; oy < {outHeight}; oy++)");
        c.W.Line($"int iy = {Under("oy", "ky")};");
        SkipPadding(c, "iy", Literals.Int(layer.Input.Height), "a row of padding");
        c.W.Line($"int row = ((i * {Literals.Int(layer.Input.Height)}) + iy) * {Literals.Int(layer.Input.Width)};");
        c.W.Open($"for (int ox = 0; ox < {outWidth}; ox++)");
        c.W.Line($"int ix = {Under("ox", "kx")};");
        SkipPadding(c, "ix", Literals.Int(layer.Input.Width), "a column of padding");
        c.W.Line($"sum += dz{_n}[{OutputIndex("o")}] * {inputs}[row + ix];");
        c.W.Close();
        c.W.Close();
        c.W.Line();
        c.W.Line(step ? $"w{_n}[o, i, ky, kx] -= learningRate * sum;" : $"dw{_n}[o, i, ky, kx] += sum;");
        c.W.Close();
        c.W.Close();
        c.W.Close();
        if (layer.Bias)
        {
            string positions = Literals.Int(layer.Output.Height * layer.Output.Width);
            c.W.Line();
            c.W.Line($"{c.T} biasSum = {c.Lit(0)};");
            c.W.Open($"for (int j = 0; j < {positions}; j++)");
            c.W.Line($"biasSum += dz{_n}[(o * {positions}) + j];");
            c.W.Close();
            c.W.Line();
            c.W.Line(step ? $"b{_n}[o] -= learningRate * biasSum;" : $"db{_n}[o] += biasSum;");
        }

        c.W.Close();
    }

    /// <summary>
    /// The view the [Conv2D] layers' lines reach their weights through, k[o, i, ky, kx], as the generated file declares it
    /// beside Matrix and Vector (only when the network has such a layer).
    /// </summary>
    public static void EmitKernelViewType(SourceWriter w, string t)
    {
        w.Line("/// <summary>");
        w.Line("/// A [Conv2D] layer's weights, or their slopes: k[o, i, ky, kx] is the weight from input channel i, kernel row ky and");
        w.Line("/// kernel column kx into output channel o, stored as torch.nn.Conv2d.weight [out, in, row, column], row-major. A view");
        w.Line("/// with no bounds check, as <see cref=\"Matrix\"/> is: every index the generated code uses is a constant-bound loop's.");
        w.Line("/// </summary>");
        w.Open("file readonly ref struct Kernel");
        w.Line($"private readonly ref {t} _first;");
        w.Line("private readonly int _inputs;");
        w.Line("private readonly int _size;");
        w.Line();
        w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        w.Open($"public Kernel({t}[] values, int offset, int inputs, int size)");
        w.Line("_first = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), offset);");
        w.Line("_inputs = inputs;");
        w.Line("_size = size;");
        w.Close();
        w.Line();
        w.Line($"public ref {t} this[int output, int input, int row, int column]");
        w.Open();
        w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        w.Line("get => ref Unsafe.Add(ref _first, ((((output * _inputs) + input) * _size) + row) * _size + column);");
        w.Close();
        w.Close();
    }
}
