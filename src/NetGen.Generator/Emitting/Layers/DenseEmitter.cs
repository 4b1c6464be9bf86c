using System.Collections.Generic;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting.Layers;

/// <summary>
/// A [Dense] layer: node j computes z_j = sum over i of w[j, i] * x_i (+ b_j), then a_j = activation(z_j). Straight-line
/// code names every weight as the worked example does (w1[0, 1] is layer 1's weight from value 1 into node 0) and keeps
/// each value in a local (z1_0, a1_0, dz1_0, ...); loops keep a layer's values in spans and, for rows of
/// <see cref="Planner.KernelMinInputs"/> values or more, go through the SIMD row kernels of NetGen.Kernels. Both forms
/// add in the same order, so they agree to the last bit where no SIMD dot product is involved.
/// </summary>
internal sealed class DenseEmitter(DenseLayerPlan layer) : LayerEmitter
{
    private readonly string _n = Literals.Int(layer.Number);

    public override string Describe() =>
        $"Dense({Literals.Int(layer.Units)}, {layer.Activation}){(layer.Bias ? string.Empty : ", no bias")}, {Literals.Int(layer.Inputs)} values in";

    public override IEnumerable<string> DescribeParameters()
    {
        yield return $"[{Literals.Int(layer.WeightOffset)}, {Literals.Int(layer.WeightOffset + layer.WeightCount)}): w{_n}[unit, input], layer {_n}'s {Literals.Int(layer.Units)} x {Literals.Int(layer.Inputs)} weights.";
        if (layer.Bias)
        {
            yield return $"[{Literals.Int(layer.BiasOffset)}, {Literals.Int(layer.BiasOffset + layer.Units)}): b{_n}[unit], layer {_n}'s biases.";
        }
    }

    /// <summary>Whether the layer's lines reach its weights through Matrix views (w1[j, i]) rather than spans.</summary>
    private bool UsesViews => layer.Unrolled || !layer.UsesKernels;

    public override string? DescribeViews(bool gradients) =>
        !UsesViews ? null
        : gradients ? $"w{_n}[j, i] and its slope dw{_n}[j, i]{(layer.Bias ? $", b{_n}[j] and db{_n}[j]" : string.Empty)}"
        : $"w{_n}[j, i]{(layer.Bias ? $", b{_n}[j]" : string.Empty)}";

    public override void EmitViews(EmitContext c, bool gradients)
    {
        if (!UsesViews)
        {
            return;
        }

        string offset = Literals.Int(layer.WeightOffset);
        string columns = Literals.Int(layer.Inputs);
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

    public override void EmitForward(EmitContext c)
    {
        if (layer.Unrolled)
        {
            EmitUnrolledForward(c);
        }
        else
        {
            EmitLoopedForward(c);
        }
    }

    public override void EmitBackward(EmitContext c)
    {
        if (layer.Unrolled)
        {
            EmitUnrolledBackward(c);
        }
        else
        {
            EmitLoopedBackward(c);
        }
    }

    private string ActivationText =>
        layer.AppliesActivation ? $", then applies {layer.Activation}" : " (the output step applies Softmax)";

    private void EmitUnrolledForward(EmitContext c)
    {
        int l = layer.Number;
        c.W.Line($"// Layer {_n}: {Describe()}.");
        c.W.Line($"// Each node sums its weighted inputs{(layer.Bias ? " and its bias" : string.Empty)}{ActivationText}.");
        bool local = c.IsLocal(l);
        if (!local && c.SpanName(l) != "output")
        {
            c.StackSpan($"a{_n}", layer.Units);
        }

        for (int j = 0; j < layer.Units; j++)
        {
            string jj = Literals.Int(j);
            var terms = new List<string>(layer.Inputs + 1);
            for (int i = 0; i < layer.Inputs; i++)
            {
                terms.Add($"w{_n}[{jj}, {Literals.Int(i)}] * {c.Value(l - 1, i)}");
            }

            if (layer.Bias)
            {
                terms.Add($"b{_n}[{jj}]");
            }

            c.WriteSum($"{c.T} z{_n}_{jj} = ", terms);
            if (layer.AppliesActivation)
            {
                string activation = ActivationCode.Apply(c, layer.Activation, $"z{_n}_{jj}");
                c.W.Line(local ? $"{c.T} a{_n}_{jj} = {activation};" : $"{c.SpanName(l)}[{jj}] = {activation};");
            }
        }
    }

    private void EmitLoopedForward(EmitContext c)
    {
        int l = layer.Number;
        string outputs = c.SpanName(l);
        string inputs = c.SpanName(l - 1);
        string units = Literals.Int(layer.Units);
        c.W.Line($"// Layer {_n}: {Describe()}, as loops.");
        c.W.Line($"// Node j sums its weighted inputs{(layer.Bias ? " and its bias" : string.Empty)}{ActivationText}.");
        if (outputs != "output")
        {
            c.StackSpan(outputs, layer.Units);
        }

        // z is kept for the loss or the output's Softmax, and in the backward passes for an activation whose slope
        // is computed from z.
        bool keepZ = layer.KeepsOutputLogits || (c.Backward && layer.KeepsZForSlope);
        if (keepZ)
        {
            if (!layer.KeepsOutputLogits)
            {
                c.W.Line($"// z{_n} keeps each node's z for the slope of {layer.Activation} in the backward pass.");
            }

            c.StackSpan($"z{_n}", layer.Units);
        }

        string bias = layer.Bias ? $" + {(layer.UsesKernels ? $"p[{Literals.Int(layer.BiasOffset)} + j]" : $"b{_n}[j]")}" : string.Empty;
        if (layer.UsesKernels)
        {
            // Every node's weighted sum first, four nodes at a time (each load of the values feeding the layer serves
            // four rows of weights), then bias and activation node by node: the same bits as one Kernels.Dot per node.
            string sums = keepZ ? $"z{_n}" : outputs;
            c.W.Line($"// Every node's weighted sum at once (SIMD: each pass over the values in serves four rows of weights),");
            c.W.Line($"// then node by node its {(layer.Bias ? "bias and " : string.Empty)}{(layer.AppliesActivation ? layer.Activation.ToString() : "logit")}.");
            c.WriteCall($"Kernels.DotRows<{c.T}>({inputs}, p.Slice({Literals.Int(layer.WeightOffset)}, {Literals.Int(layer.WeightCount)}), {sums});");
            c.W.Open($"for (int j = 0; j < {units}; j++)");
            c.W.Line($"{c.T} z = {sums}[j]{bias};");
        }
        else
        {
            c.W.Open($"for (int j = 0; j < {units}; j++)");
            c.W.Line($"{c.T} z = {c.Lit(0)};");
            c.W.Open($"for (int i = 0; i < {Literals.Int(layer.Inputs)}; i++)");
            c.W.Line($"z += w{_n}[j, i] * {inputs}[i];");
            c.W.Close();
            if (layer.Bias)
            {
                c.W.Line();
                c.W.Line($"z += b{_n}[j];");
            }
        }

        if (keepZ)
        {
            c.W.Line($"z{_n}[j] = z;");
        }

        if (layer.AppliesActivation)
        {
            c.W.Line($"{outputs}[j] = {ActivationCode.Apply(c, layer.Activation, "z")};");
        }

        c.W.Close();
    }

    private void EmitUnrolledBackward(EmitContext c)
    {
        int l = layer.Number;
        if (layer.SlopeFromLoss)
        {
            c.W.Line($"// Layer {_n}: dL/dz of its nodes came straight from the loss, above.");
        }
        else
        {
            c.W.Line($"// Layer {_n}. The slope of the loss with respect to each node's input:");
            c.W.Line($"// dL/dz = dL/da * slope of {layer.Activation}{ActivationCode.SlopeText(layer.Activation)}.");
            for (int j = 0; j < layer.Units; j++)
            {
                string jj = Literals.Int(j);
                string slope = ActivationCode.ApplySlope(c, layer.Activation, c.Slope(l, j), $"z{_n}_{jj}", c.Value(l, j));
                c.W.Line($"{c.T} dz{_n}_{jj} = {slope}; // dL/da{_n}_{jj} * {layer.Activation} slope at z{_n}_{jj}");
            }
        }

        if (l > 1)
        {
            c.W.Line($"// The slope with respect to each value feeding layer {_n}: the sum, over the nodes it feeds,");
            c.W.Line($"// of dL/dz of the node * the weight between them.");
            bool local = c.IsLocal(l - 1);
            if (!local)
            {
                c.StackSpan($"da{Literals.Int(l - 1)}", layer.Inputs);
            }

            for (int i = 0; i < layer.Inputs; i++)
            {
                var terms = new List<string>(layer.Units);
                for (int j = 0; j < layer.Units; j++)
                {
                    terms.Add($"dz{_n}_{Literals.Int(j)} * w{_n}[{Literals.Int(j)}, {Literals.Int(i)}]");
                }

                c.WriteSum(local ? $"{c.T} {c.Slope(l - 1, i)} = " : $"{c.Slope(l - 1, i)} = ", terms);
            }
        }

        if (c.Pass == Pass.BatchSlopes)
        {
            return;
        }

        bool step = c.Pass == Pass.TrainStep;
        c.W.Line(step
            ? "// Step each weight against its slope: w -= learningRate * (dz of the node fed into * the value feeding it)."
            : "// Each weight's slope: dL/dz of the node it feeds into * the value feeding the weight.");
        for (int j = 0; j < layer.Units; j++)
        {
            string jj = Literals.Int(j);
            for (int i = 0; i < layer.Inputs; i++)
            {
                string ii = Literals.Int(i);
                string feeding = c.Value(l - 1, i);
                c.W.Line(step
                    ? $"w{_n}[{jj}, {ii}] -= learningRate * (dz{_n}_{jj} * {feeding});"
                    : $"dw{_n}[{jj}, {ii}] += dz{_n}_{jj} * {feeding};");
            }

            if (layer.Bias)
            {
                c.W.Line(step
                    ? $"b{_n}[{jj}] -= learningRate * dz{_n}_{jj}; // a bias is fed by 1"
                    : $"db{_n}[{jj}] += dz{_n}_{jj}; // a bias is fed by 1");
            }
        }
    }

    private void EmitLoopedBackward(EmitContext c)
    {
        int l = layer.Number;
        string units = Literals.Int(layer.Units);
        string inputs = c.SpanName(l - 1);
        string previous = Literals.Int(l - 1);
        if (layer.SlopeFromLoss)
        {
            c.W.Line($"// Layer {_n}, as loops: dL/dz of its nodes came straight from the loss, above.");
        }
        else
        {
            c.W.Line($"// Layer {_n}, as loops. The slope of the loss with respect to each node's input:");
            c.W.Line($"// dL/dz = dL/da * slope of {layer.Activation}{ActivationCode.SlopeText(layer.Activation)}.");
            c.StackSpan($"dz{_n}", layer.Units);
            c.W.Open($"for (int j = 0; j < {units}; j++)");
            string? z = layer.KeepsZForSlope ? $"z{_n}[j]" : null;
            c.W.Line($"dz{_n}[j] = {ActivationCode.ApplySlope(c, layer.Activation, $"da{_n}[j]", z, $"a{_n}[j]")};");
            c.W.Close();
            c.W.Line();
        }

        if (c.Pass == Pass.BatchSlopes)
        {
            // Only the slopes passed back; TrainBatch adds the weights' slopes for a block of samples at once.
            if (l > 1)
            {
                c.W.Line($"// The slope with respect to each value feeding layer {_n}: the sum, over the nodes it feeds,");
                c.W.Line($"// of dL/dz of the node * the weight between them.");
                c.StackSpan($"da{previous}", layer.Inputs);
                c.W.Line($"da{previous}.Clear();");
                c.W.Open($"for (int j = 0; j < {units}; j++)");
                c.WriteCall($"Kernels.MultiplyAdd<{c.T}>(p.Slice({Row()}, {Literals.Int(layer.Inputs)}), dz{_n}[j], da{previous});");
                c.W.Close();
            }

            return;
        }

        if (l > 1)
        {
            c.W.Line($"// The slope with respect to each value feeding layer {_n} (summed over the nodes it feeds), and each");
            c.W.Line("// weight's slope: dL/dz of the node it feeds into * the value feeding the weight.");
            c.StackSpan($"da{previous}", layer.Inputs);
            c.W.Line($"da{previous}.Clear();");
        }
        else
        {
            c.W.Line("// Each weight's slope: dL/dz of the node it feeds into * the value feeding the weight.");
        }

        bool step = c.Pass == Pass.TrainStep;
        bool skipIdle = step && layer.SkipsIdleRows;
        if (skipIdle)
        {
            c.W.Line("// A node whose slope is exactly 0 (a ReLU that did not fire) would take learningRate * (0 * x) = 0");
            c.W.Line("// from each of its weights. When the inputs and the learning rate are finite its row is left as it");
            c.W.Line("// is, which is also what Backward and Sgd.Step give (0 + 0 * x = +0): the same bits, without reading");
            c.W.Line("// or writing the row.");
            c.W.Line($"bool skipIdle = {c.T}.IsFinite(learningRate) && Kernels.AllFinite<{c.T}>({inputs});");
        }

        c.W.Open($"for (int j = 0; j < {units}; j++)");
        c.W.Line($"{c.T} d = dz{_n}[j];");
        if (skipIdle)
        {
            c.W.Open($"if (d == {c.Lit(0)} && skipIdle)");
            c.W.Line("continue;");
            c.W.Close();
            c.W.Line();
        }

        if (layer.UsesKernels)
        {
            // Node j's row of weights, in one SIMD pass: each element gets exactly the scalar loop's operations.
            string row = $"p.Slice({Row()}, {Literals.Int(layer.Inputs)})";
            string gradients = $"g.Slice({Row()}, {Literals.Int(layer.Inputs)})";
            if (step)
            {
                c.W.Line(l > 1
                    ? $"// da{previous}[i] += d * w{_n}[j, i]; w{_n}[j, i] -= learningRate * (d * {inputs}[i])"
                    : $"// w{_n}[j, i] -= learningRate * (d * {inputs}[i])");
                c.WriteCall(l > 1
                    ? $"Kernels.BackwardStepRow<{c.T}>({row}, {inputs}, d, learningRate, da{previous});"
                    : $"Kernels.StepRow<{c.T}>({row}, {inputs}, d, learningRate);");
            }
            else
            {
                c.W.Line(l > 1
                    ? $"// da{previous}[i] += d * w{_n}[j, i]; dw{_n}[j, i] += d * {inputs}[i]"
                    : $"// dw{_n}[j, i] += d * {inputs}[i]");
                c.WriteCall(l > 1
                    ? $"Kernels.BackwardRow<{c.T}>({row}, {inputs}, d, {gradients}, da{previous});"
                    : $"Kernels.MultiplyAdd<{c.T}>({inputs}, d, {gradients});");
            }

            if (layer.Bias)
            {
                c.W.Line();
                string bias = $"{Literals.Int(layer.BiasOffset)} + j";
                c.W.Line(step ? $"p[{bias}] -= learningRate * d; // b{_n}[j]" : $"g[{bias}] += d; // db{_n}[j]");
            }
        }
        else
        {
            c.W.Open($"for (int i = 0; i < {Literals.Int(layer.Inputs)}; i++)");
            if (l > 1)
            {
                c.W.Line($"da{previous}[i] += d * w{_n}[j, i];");
            }

            c.W.Line(step ? $"w{_n}[j, i] -= learningRate * (d * {inputs}[i]);" : $"dw{_n}[j, i] += d * {inputs}[i];");
            c.W.Close();
            if (layer.Bias)
            {
                c.W.Line();
                c.W.Line(step ? $"b{_n}[j] -= learningRate * d;" : $"db{_n}[j] += d;");
            }
        }

        c.W.Close();
    }

    /// <summary>
    /// The runtime's rule for a Dense layer's weights (Initializers.Dense: He-uniform for ReLU-like layers,
    /// Glorot-uniform for the others), then its biases zero.
    /// </summary>
    public override void EmitInitialize(EmitContext c)
    {
        string weights = $"p.Slice({Literals.Int(layer.WeightOffset)}, {Literals.Int(layer.WeightCount)})";
        c.WriteCall($"Initializers.Dense({weights}, fanIn: {Literals.Int(layer.Inputs)}, fanOut: {Literals.Int(layer.Units)}, Activation.{layer.Activation}, ref random);");
        if (layer.Bias)
        {
            c.W.Line($"p.Slice({Literals.Int(layer.BiasOffset)}, {Literals.Int(layer.Units)}).Clear();");
        }
    }

    /// <summary>Layer l's values for every sample of the block: one dot product per node and sample.</summary>
    public override void EmitBlockForward(EmitContext c, string inputs, string outputs, string? logits)
    {
        string units = Literals.Int(layer.Units);
        string block = Literals.Int(c.Plan.BatchBlock);
        c.W.Line($"// Layer {_n} for the block's samples: {Describe()};");
        c.W.Line("// each row of weights is loaded once for four samples (Kernels.DotRows).");
        c.W.Open($"for (int j = 0; j < {units}; j++)");
        c.WriteCall($"Kernels.DotRows<{c.T}>(p.Slice({Row()}, {Literals.Int(layer.Inputs)}), {inputs}, sums);");
        c.W.Open($"for (int k = 0; k < {block}; k++)");
        string bias = layer.Bias ? $" + p[{Literals.Int(layer.BiasOffset)} + j]" : string.Empty;
        c.W.Line($"{c.T} z = sums[k]{bias};");
        if (logits is not null)
        {
            c.W.Line($"{logits}[(k * {units}) + j] = z;");
        }

        if (layer.AppliesActivation)
        {
            c.W.Line($"{outputs}[(k * {units}) + j] = {ActivationCode.Apply(c, layer.Activation, "z")};");
        }

        c.W.Close();
        c.W.Close();
    }

    /// <summary>
    /// Layer l's values for the block's lanes: every node's weighted sum for all the lanes at once, then lane by lane
    /// its bias and activation, in place.
    /// </summary>
    public override void EmitLanesForward(EmitContext c, string inputs, string outputs)
    {
        string units = Literals.Int(layer.Units);
        string block = Literals.Int(c.Plan.BatchBlock);
        c.W.Line($"// Layer {_n} for the block: {Describe()}. Node j's sum for lane k is");
        c.W.Line($"// {outputs}[(j * {block}) + k]: each weight is loaded once and multiplies the input value of every lane.");
        c.WriteCall($"Kernels.DotLanes<{c.T}>(p.Slice({Literals.Int(layer.WeightOffset)}, {Literals.Int(layer.WeightCount)}), {inputs}, {outputs}, {Literals.Int(layer.Inputs)});");
        if (!layer.Bias && (!layer.AppliesActivation || layer.Activation == Activation.Identity))
        {
            return;
        }

        c.W.Open($"for (int j = 0; j < {units}; j++)");
        if (layer.Bias)
        {
            c.W.Line($"{c.T} b = p[{Literals.Int(layer.BiasOffset)} + j];");
        }

        c.W.Open($"for (int k = j * {block}; k < (j + 1) * {block}; k++)");
        string z = layer.Bias ? $"{outputs}[k] + b" : $"{outputs}[k]";
        if (layer.AppliesActivation && layer.Activation != Activation.Identity)
        {
            c.W.Line($"{c.T} z = {z};");
            c.W.Line($"{outputs}[k] = {ActivationCode.Apply(c, layer.Activation, "z")};");
        }
        else
        {
            c.W.Line($"{outputs}[k] += b;");
        }

        c.W.Close();
        c.W.Close();
    }

    /// <summary>Layer l's weights' slopes, added into the gradients row by row, sample by sample in order.</summary>
    public override void EmitBlockGradients(EmitContext c, string inputs, string slopes)
    {
        string units = Literals.Int(layer.Units);
        c.W.Line($"// Layer {_n}'s weights' slopes: dw{_n}[j, i] += dL/dz{_n}_j * value i feeding it, for each sample");
        c.W.Line("// of the block in turn; each row of gradients is read and written once for the whole block.");
        c.W.Line("// A sample whose dL/dz is exactly 0 (a ReLU that did not fire) would add 0 * x = 0, which leaves");
        c.W.Line("// a gradient as it is (a sum that starts at +0 is never -0): when the values feeding the layer");
        c.W.Line("// are finite, it is left out.");
        c.W.Line($"bool finite{_n} = Kernels.AllFinite<{c.T}>({inputs});");
        c.W.Open($"for (int j = 0; j < {units}; j++)");
        c.W.Line("int listed = 0;");
        c.W.Open($"for (int k = 0; k < {Literals.Int(c.Plan.BatchBlock)}; k++)");
        c.W.Line($"{c.T} d = {slopes}[(k * {units}) + j];");
        if (layer.Bias)
        {
            c.W.Line($"g[{Literals.Int(layer.BiasOffset)} + j] += d;");
        }

        c.W.Open($"if (d != {c.Lit(0)} || !finite{_n})");
        c.W.Line("slopes[listed] = d;");
        c.W.Line("which[listed] = k;");
        c.W.Line("listed++;");
        c.W.Close();
        c.W.Close();
        c.W.Line();
        c.W.Open("if (listed > 0)");
        c.WriteCall($"Kernels.MultiplyAddRows<{c.T}>({inputs}, which.Slice(0, listed), slopes.Slice(0, listed), g.Slice({Row()}, {Literals.Int(layer.Inputs)}));");
        c.W.Close();
        c.W.Close();
    }

    /// <summary>
    /// A streaming model's time step: z and a of every node on the step's record, as loops through the views (bias
    /// added last, in the order of the feed-forward loops); a Softmax output from all of z at once.
    /// </summary>
    public override void EmitStep(StepContext s)
    {
        int offset = s.TapeOffset(layer.Number);
        string units = Literals.Int(layer.Units);
        string a = s.Output(layer.Number);
        EmitContext.WriteComment(s.W, $"Layer {_n}: {Describe()}. Node j sums its weighted inputs{(layer.Bias ? " and its bias" : string.Empty)}{ActivationText}.");
        s.W.Line($"Span<{s.T}> z{_n} = tape.Slice({Literals.Int(offset)}, {units}), {a} = tape.Slice({Literals.Int(offset + layer.Units)}, {units});");
        s.W.Open($"for (int j = 0; j < {units}; j++)");
        s.W.Line($"{s.T} z = {s.Lit(0)};");
        s.W.Open($"for (int i = 0; i < {Literals.Int(layer.Inputs)}; i++)");
        s.W.Line($"z += w{_n}[j, i] * {s.Input(layer.Number)}[i];");
        s.W.Close();
        if (layer.Bias)
        {
            s.W.Line();
            s.W.Line($"z += b{_n}[j];");
        }

        s.W.Line($"z{_n}[j] = z;");
        if (layer.AppliesActivation)
        {
            s.W.Line($"{a}[j] = {ActivationCode.Apply(s.C, layer.Activation, "z")};");
        }

        s.W.Close();
        if (!layer.AppliesActivation)
        {
            s.W.Line();
            s.W.Line($"// Softmax couples the nodes: a_k = e^(z_k) / sum over m of e^(z_m), from all of z{_n} at once.");
            s.W.Line($"Activations.Softmax<{s.T}>(z{_n}, {a});");
        }
    }

    /// <summary>
    /// Back through one step: dz from dL/da and the activation's slope (or from the loss), then each weight's slope
    /// (dz of the node fed into * the value feeding it), and the slopes passed back to the inputs.
    /// </summary>
    public override void EmitStepBackward(StepContext s)
    {
        int offset = s.TapeOffset(layer.Number);
        string units = Literals.Int(layer.Units);
        string a = s.Output(layer.Number);
        string da = s.Slope(layer.Number);
        string? back = s.InputSlope(layer.Number);
        s.W.Line($"// Layer {_n}, {Describe()}, back through this step.");
        s.W.Line(layer.SlopeFromLoss
            ? $"// {da} holds dL/dz of its nodes, straight from the loss. Each weight's slope: dz of the node it feeds"
            : $"// dz = dL/da * slope of {layer.Activation}{ActivationCode.SlopeText(layer.Activation)}. Each weight's slope: dz of the node it feeds");
        s.W.Line(back is null
            ? "// into * the value feeding the weight."
            : $"// into * the value feeding the weight; the slope passed back to value i, dz * the weight between them.");
        s.W.Line($"ReadOnlySpan<{s.T}> z{_n} = now.Slice({Literals.Int(offset)}, {units});");
        s.W.Open($"for (int j = 0; j < {units}; j++)");
        s.W.Line(layer.SlopeFromLoss
            ? $"{s.T} d = {da}[j];"
            : $"{s.T} d = {ActivationCode.ApplySlope(s.C, layer.Activation, $"{da}[j]", $"z{_n}[j]", $"{a}[j]")};");
        if (layer.Bias)
        {
            s.W.Line($"db{_n}[j] += d;");
        }

        s.W.Open($"for (int i = 0; i < {Literals.Int(layer.Inputs)}; i++)");
        if (back is not null)
        {
            s.W.Line($"{back}[i] += d * w{_n}[j, i];");
        }

        s.W.Line($"dw{_n}[j, i] += d * {s.Input(layer.Number)}[i];");
        s.W.Close();
        s.W.Close();
    }

    /// <summary>Where node j's row of weights starts, as C#.</summary>
    private string Row() =>
        layer.WeightOffset == 0
            ? $"j * {Literals.Int(layer.Inputs)}"
            : $"{Literals.Int(layer.WeightOffset)} + (j * {Literals.Int(layer.Inputs)})";
}
