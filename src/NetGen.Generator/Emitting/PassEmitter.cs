using System.Linq;
using NetGen.Generator.Emitting.Layers;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting;

/// <summary>
/// The body of Forward, Loss, Backward, TrainStep and TrainBatch's per-sample part: the length checks, the views the
/// layers compute through, the forward pass layer by layer, the loss, and the backward pass layer by layer in reverse.
/// It knows no kind of layer: each layer's code comes from its <see cref="LayerEmitter"/>, and where the output layer
/// and the loss meet from <see cref="OutputEmitter"/>.
/// </summary>
internal static class PassEmitter
{
    public static void EmitMethod(EmitContext c)
    {
        if (c.Pass != Pass.BatchSlopes)
        {
            EmitChecks(c);
        }

        EmitNotation(c);
        EmitViews(c);
        if (c.Pass != Pass.BatchSlopes)
        {
            EmitForwardPass(c);
        }

        if (c.Pass == Pass.Forward)
        {
            return;
        }

        c.W.Line();
        OutputEmitter.EmitLoss(c);
        if (c.Backward)
        {
            EmitBackwardPass(c);
        }

        if (c.Pass == Pass.BatchSlopes)
        {
            BatchEmitter.EmitSlopesOut(c);
        }

        c.W.Line();
        c.W.Line("return loss;");
    }

    private static void EmitChecks(EmitContext c)
    {
        string inputs = Literals.Int(c.Plan.Inputs);
        string outputs = Literals.Int(c.Plan.Outputs);
        c.W.Line("// The spans' lengths, checked before anything is read or written.");
        c.W.Line($"input = Check.Length(input, {inputs}, nameof(input));");
        c.W.Line(c.Pass == Pass.Forward
            ? $"output = Check.Length(output, {outputs}, nameof(output));"
            : $"target = Check.Length(target, {outputs}, nameof(target));");
    }

    private static void EmitNotation(EmitContext c)
    {
        c.W.Line();
        c.W.Line("// Notation: x = the input values; for layer l and node j, zl_j = the node's input (its weighted sum)");
        c.W.Line("// and al_j = its output, the activation of zl_j; wl[j, i] = the weight from value i into node j, and");
        c.W.Line("// bl[j] = node j's bias.");
        if (!c.Backward)
        {
            return;
        }

        c.W.Line("// dal_j = dL/dal_j and dzl_j = dL/dzl_j are the slopes of the loss with respect to them. A weight's");
        c.W.Line("// slope is the slope at the node it feeds into (dz) times the value feeding the weight; dz already");
        c.W.Line(c.Pass == Pass.Backward
            ? "// holds the slope of the activation. dwl[j, i] = dL/dwl[j, i] and dbl[j] = dL/dbl[j]."
            : "// holds the slope of the activation.");
    }

    /// <summary>Views of the parameters (Matrix, Vector) for straight-line and scalar-loop layers; spans for the kernels'.</summary>
    private static void EmitViews(EmitContext c)
    {
        bool gradients = c.Pass == Pass.Backward;
        var layers = c.Plan.Layers.Select(LayerEmitter.For).ToArray();
        string?[] described = layers.Select(l => l.DescribeViews(gradients)).Where(d => d is not null).ToArray();
        bool kernels = c.Plan.Layers.Any(l => l.UsesParameterSpans);
        if (described.Length == 0 && !kernels)
        {
            return;
        }

        c.W.Line();
        if (described.Length > 0)
        {
            c.W.Line("// The weights and biases as the notebook names them, as views of Parameters" + (gradients ? " and of Gradients:" : ":"));
            for (int i = 0; i < described.Length; i++)
            {
                c.W.Line($"// {described[i]}{(i == described.Length - 1 ? "." : ";")}");
            }
            foreach (LayerEmitter layer in layers)
            {
                layer.EmitViews(c, gradients);
            }
        }

        if (kernels)
        {
            if (described.Length > 0)
            {
                c.W.Line("// The looped layers' rows of weights" + (gradients ? " and of their slopes" : string.Empty) + ", as spans for the SIMD kernels.");
            }

            c.W.Line(c.Pass == Pass.TrainStep ? $"Span<{c.T}> p = parameters;" : $"ReadOnlySpan<{c.T}> p = parameters;");
            if (gradients)
            {
                c.W.Line($"Span<{c.T}> g = gradients;");
            }
        }
    }

    public static void EmitForwardPass(EmitContext c)
    {
        if (c.IsLocal(0))
        {
            c.W.Line();
            c.W.Line("// The input values.");
            for (int i = 0; i < c.Plan.Inputs; i++)
            {
                c.W.Line($"{c.T} x{Literals.Int(i)} = input[{Literals.Int(i)}];");
            }
        }

        EmitFiniteCheck(c, 0, c.Plan.Inputs);
        foreach (LayerPlan layer in c.Plan.Layers)
        {
            c.W.Line();
            LayerEmitter.For(layer).EmitForward(c);
            if (layer.Number == c.LayerCount)
            {
                OutputEmitter.EmitOutputActivation(c);
            }

            EmitFiniteCheck(c, layer.Number, layer.Outputs);
        }

        if (c.Pass == Pass.Forward && c.IsLocal(c.LayerCount))
        {
            c.W.Line();
            c.W.Line("// The output values.");
            for (int k = 0; k < c.Plan.Outputs; k++)
            {
                c.W.Line($"output[{Literals.Int(k)}] = {c.Value(c.LayerCount, k)};");
            }
        }
    }

    public static void EmitBackwardPass(EmitContext c)
    {
        for (int index = c.Plan.Layers.Count - 1; index >= 0; index--)
        {
            c.W.Line();
            LayerEmitter.For(c.Plan.Layers[index]).EmitBackward(c);
        }
    }

    /// <summary>
    /// With CheckFinite = true, throws at the first value of vector v (0: the inputs) that is NaN or infinite, naming the
    /// member, layer and node; without it, writes nothing, so the check costs nothing.
    /// </summary>
    private static void EmitFiniteCheck(EmitContext c, int vector, int count)
    {
        if (!c.Plan.Spec.CheckFinite)
        {
            return;
        }

        string member = Literals.String(c.Pass.ToString());
        c.W.Line(vector == 0
            ? "// CheckFinite: every input must be a finite number."
            : $"// CheckFinite: every value of layer {Literals.Int(vector)} must be a finite number.");
        if (c.IsLocal(vector))
        {
            for (int i = 0; i < count; i++)
            {
                string value = c.Value(vector, i);
                c.W.Open($"if (!{c.T}.IsFinite({value}))");
                c.W.Line($"Guard.ThrowNonFinite({member}, {Literals.Int(vector)}, {Literals.Int(i)}, {value});");
                c.W.Close();
            }

            return;
        }

        string span = c.SpanName(vector);
        c.W.Open($"for (int i = 0; i < {Literals.Int(count)}; i++)");
        c.W.Open($"if (!{c.T}.IsFinite({span}[i]))");
        c.W.Line($"Guard.ThrowNonFinite({member}, {Literals.Int(vector)}, i, {span}[i]);");
        c.W.Close();
        c.W.Close();
    }
}
