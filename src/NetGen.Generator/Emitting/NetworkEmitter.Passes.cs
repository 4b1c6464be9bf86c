using System.Collections.Generic;
using System.Text;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting;

/// <summary>
/// The forward, loss and backward passes, shared by Forward, Loss, Backward and TrainStep. Unrolled layers keep
/// each value in a named local (z1_0, a1_0, dz1_0, ...); looped layers keep a layer's values in a stackalloc'd
/// span (a1, dz1, da1). Both orders of summation are the same, so the two forms agree to the last bit.
/// </summary>
internal sealed partial class NetworkEmitter
{
    /// <summary>Terms per line in a long weighted sum.</summary>
    private const int TermsPerLine = 4;

    /// <summary>About the most characters of terms on one line of a sum (fewer terms a line when they are long).</summary>
    private const int SumLineWidth = 100;

    private enum Pass
    {
        Forward,
        Loss,
        Backward,
        TrainStep,

        /// <summary>TrainBatch's per-sample part: the loss and every layer's dL/dz, without the weights' slopes.</summary>
        BatchSlopes,
    }

    private int LayerCount => _plan.Layers.Length;

    private bool IsLocal(int vector) => _plan.Storages[vector] == Storage.Locals;

    /// <summary>The span that holds vector v when it is stored as a span.</summary>
    private static string SpanName(int vector, Pass pass, int layerCount) =>
        vector == 0 ? "input" : pass == Pass.Forward && vector == layerCount ? "output" : "a" + Literals.Int(vector);

    /// <summary>Value i of vector v (v = 0: the input; v = l: layer l's outputs).</summary>
    private string Value(int vector, int i, Pass pass)
    {
        if (IsLocal(vector))
        {
            return vector == 0 ? "x" + Literals.Int(i) : $"a{Literals.Int(vector)}_{Literals.Int(i)}";
        }

        return $"{SpanName(vector, pass, LayerCount)}[{Literals.Int(i)}]";
    }

    /// <summary>dL/d(value i of vector v).</summary>
    private string Slope(int vector, int i) =>
        IsLocal(vector) ? $"da{Literals.Int(vector)}_{Literals.Int(i)}" : $"da{Literals.Int(vector)}[{Literals.Int(i)}]";

    private string Describe(LayerPlan layer) =>
        $"Dense({Literals.Int(layer.Units)}, {layer.Activation}){(layer.Bias ? string.Empty : ", no bias")}, {Literals.Int(layer.Inputs)} values in";

    private void EmitForwardPass(Pass pass)
    {
        if (IsLocal(0))
        {
            _w.Line();
            _w.Line("// The input values.");
            for (int i = 0; i < _spec.Inputs; i++)
            {
                _w.Line($"{_t} x{Literals.Int(i)} = {At(InputRef, i)};");
            }
        }

        EmitFiniteCheck(0, _spec.Inputs, pass);
        foreach (LayerPlan layer in _plan.Layers)
        {
            _w.Line();
            if (layer.Unrolled)
            {
                EmitUnrolledForward(layer, pass);
            }
            else
            {
                EmitLoopedForward(layer, pass);
            }

            EmitFiniteCheck(layer.Number, layer.Units, pass);
        }

        if (pass == Pass.Forward && IsLocal(LayerCount))
        {
            _w.Line();
            _w.Line("// The output values.");
            for (int k = 0; k < _plan.Outputs; k++)
            {
                _w.Line($"{At(OutputRef, k)} = {Value(LayerCount, k, pass)};");
            }
        }
    }

    private void EmitUnrolledForward(LayerPlan layer, Pass pass)
    {
        int l = layer.Number;
        string n = Literals.Int(l);
        _w.Line($"// Layer {n}: {Describe(layer)}. Each node sums its weighted inputs{(layer.Bias ? " and its bias" : string.Empty)}, then applies {layer.Activation}.");
        bool local = IsLocal(l);
        if (!local && SpanName(l, pass, LayerCount) != "output")
        {
            _w.Line($"global::System.Span<{_t}> a{n} = stackalloc {_t}[{Literals.Int(layer.Units)}];");
        }

        for (int j = 0; j < layer.Units; j++)
        {
            string jj = Literals.Int(j);
            var terms = new List<string>(layer.Inputs + 1);
            for (int i = 0; i < layer.Inputs; i++)
            {
                terms.Add($"{Parameter(layer.WeightOffset + (j * layer.Inputs) + i)} * {Value(l - 1, i, pass)}");
            }

            if (layer.Bias)
            {
                terms.Add(Parameter(layer.BiasOffset + j));
            }

            WriteSum($"{_t} z{n}_{jj} = ", terms);
            if (layer.Activation == ActivationKind.Softmax)
            {
                continue;
            }

            string activation = Activate(layer.Activation, $"z{n}_{jj}");
            _w.Line(local ? $"{_t} a{n}_{jj} = {activation};" : $"{SpanName(l, pass, LayerCount)}[{jj}] = {activation};");
        }

        if (layer.Activation == ActivationKind.Softmax)
        {
            EmitUnrolledSoftmax(layer);
        }
    }

    private void EmitLoopedForward(LayerPlan layer, Pass pass)
    {
        int l = layer.Number;
        string n = Literals.Int(l);
        string outputs = SpanName(l, pass, LayerCount);
        string inputs = SpanName(l - 1, pass, LayerCount);
        _w.Line($"// Layer {n}: {Describe(layer)}, as loops. Node j sums its weighted inputs{(layer.Bias ? " and its bias" : string.Empty)}, then applies {layer.Activation}.");
        if (outputs != "output")
        {
            _w.Line($"global::System.Span<{_t}> {outputs} = stackalloc {_t}[{Literals.Int(layer.Units)}];");
        }

        // The loss of a Softmax or Sigmoid output with cross-entropy is computed from z, for stability: keep it.
        bool keepZ = l == LayerCount && KeepsLogits(layer);
        if (keepZ)
        {
            _w.Line($"global::System.Span<{_t}> z{n} = stackalloc {_t}[{Literals.Int(layer.Units)}];");
        }

        if (UsesKernels(layer))
        {
            // Every node's weighted sum first, four nodes at a time (each load of the values feeding the layer serves
            // four rows of weights), then bias and activation node by node: the same bits as one Kernels.Dot per node.
            string sums = keepZ ? $"z{n}" : outputs;
            _w.Line($"// Every node's weighted sum at once (SIMD, each pass over the values in serving four rows of weights), then node by node its {(layer.Bias ? "bias and " : string.Empty)}{layer.Activation}.");
            _w.Line($"global::NetGen.Kernels.DotRows<{_t}>({inputs}, p.Slice({Literals.Int(layer.WeightOffset)}, {Literals.Int(layer.WeightCount)}), {sums});");
            _w.Open($"for (int j = 0; j < {Literals.Int(layer.Units)}; j++)");
            string bias = layer.Bias ? $" + p[{Literals.Int(layer.BiasOffset)} + j]" : string.Empty;
            _w.Line($"{_t} z = {sums}[j]{bias};");
        }
        else
        {
            _w.Open($"for (int j = 0; j < {Literals.Int(layer.Units)}; j++)");
            _w.Line($"int row = {Row(layer)};");
            _w.Line($"{_t} z = {Lit(0)};");
            _w.Open($"for (int i = 0; i < {Literals.Int(layer.Inputs)}; i++)");
            _w.Line($"z += p[row + i] * {inputs}[i];");
            _w.Close();
            if (layer.Bias)
            {
                _w.Line();
                _w.Line($"z += p[{Literals.Int(layer.BiasOffset)} + j];");
            }
        }

        if (keepZ)
        {
            _w.Line($"z{n}[j] = z;");
        }

        if (layer.Activation != ActivationKind.Softmax)
        {
            _w.Line($"{outputs}[j] = {Activate(layer.Activation, "z")};");
        }

        _w.Close();
        if (layer.Activation == ActivationKind.Softmax)
        {
            EmitLoopedSoftmax(layer, outputs);
        }
    }

    private void EmitBackwardPass(Pass pass)
    {
        for (int index = _plan.Layers.Length - 1; index >= 0; index--)
        {
            LayerPlan layer = _plan.Layers[index];
            _w.Line();
            if (layer.Unrolled)
            {
                EmitUnrolledBackward(layer, pass);
            }
            else
            {
                EmitLoopedBackward(layer, pass);
            }
        }
    }

    private void EmitUnrolledBackward(LayerPlan layer, Pass pass)
    {
        int l = layer.Number;
        string n = Literals.Int(l);
        if (IsFusedOutput(layer))
        {
            _w.Line($"// Layer {n}: dL/dz of its nodes came straight from the loss, above.");
        }
        else
        {
            _w.Line($"// Layer {n}. The slope of the loss with respect to each node's input: dL/dz = dL/da * slope of {layer.Activation}{SlopeText(layer.Activation)}.");
            for (int j = 0; j < layer.Units; j++)
            {
                string jj = Literals.Int(j);
                _w.Line($"{_t} dz{n}_{jj} = {ApplySlope(layer.Activation, Slope(l, j), $"z{n}_{jj}", Value(l, j, pass))}; // dL/da{n}_{jj} * {layer.Activation} slope at z{n}_{jj}");
            }
        }

        if (l > 1)
        {
            _w.Line($"// The slope with respect to each value feeding layer {n}: the sum, over the nodes it feeds, of dL/dz * the weight between them.");
            bool local = IsLocal(l - 1);
            if (!local)
            {
                _w.Line($"global::System.Span<{_t}> da{Literals.Int(l - 1)} = stackalloc {_t}[{Literals.Int(layer.Inputs)}];");
            }

            for (int i = 0; i < layer.Inputs; i++)
            {
                var terms = new List<string>(layer.Units);
                for (int j = 0; j < layer.Units; j++)
                {
                    terms.Add($"dz{n}_{Literals.Int(j)} * {Parameter(layer.WeightOffset + (j * layer.Inputs) + i)}");
                }

                WriteSum(local ? $"{_t} {Slope(l - 1, i)} = " : $"{Slope(l - 1, i)} = ", terms);
            }
        }

        _w.Line(pass == Pass.TrainStep
            ? $"// Step each weight against its slope: p -= learningRate * (slope at the node fed into * value feeding the weight)."
            : $"// Each weight's slope: dL/dz of the node it feeds into * the value feeding the weight.");
        for (int j = 0; j < layer.Units; j++)
        {
            string jj = Literals.Int(j);
            for (int i = 0; i < layer.Inputs; i++)
            {
                int index = layer.WeightOffset + (j * layer.Inputs) + i;
                string feeding = Value(l - 1, i, pass);
                string product = $"dz{n}_{jj} * {feeding}";
                string name = $"// dL/dw{n}[{jj},{Literals.Int(i)}] = dL/dz{n}_{jj} * {feeding}";
                _w.Line(pass == Pass.TrainStep ? $"{Parameter(index)} -= learningRate * ({product}); {name}" : $"{At(GradientsRef, index)} += {product}; {name}");
            }

            if (layer.Bias)
            {
                int index = layer.BiasOffset + j;
                string name = $"// dL/db{n}[{jj}] = dL/dz{n}_{jj} * 1";
                _w.Line(pass == Pass.TrainStep ? $"{Parameter(index)} -= learningRate * dz{n}_{jj}; {name}" : $"{At(GradientsRef, index)} += dz{n}_{jj}; {name}");
            }
        }
    }

    private void EmitLoopedBackward(LayerPlan layer, Pass pass)
    {
        int l = layer.Number;
        string n = Literals.Int(l);
        string units = Literals.Int(layer.Units);
        string inputs = SpanName(l - 1, pass, LayerCount);
        if (IsFusedOutput(layer))
        {
            _w.Line($"// Layer {n}, as loops: dL/dz of its nodes came straight from the loss, above.");
        }
        else
        {
            _w.Line($"// Layer {n}, as loops. The slope of the loss with respect to each node's input: dL/dz = dL/da * slope of {layer.Activation}{SlopeText(layer.Activation)}.");
            _w.Line($"global::System.Span<{_t}> dz{n} = stackalloc {_t}[{units}];");
            _w.Open($"for (int j = 0; j < {units}; j++)");
            _w.Line($"dz{n}[j] = {ApplySlope(layer.Activation, $"da{n}[j]", null, $"a{n}[j]")};");
            _w.Close();
            _w.Line();
        }

        string previous = Literals.Int(l - 1);
        if (pass == Pass.BatchSlopes)
        {
            // Only the slopes passed back; TrainBatch adds the weights' slopes for a block of samples at once.
            if (l > 1)
            {
                _w.Line($"// The slope with respect to each value feeding layer {n}: the sum, over the nodes it feeds, of dL/dz * the weight between them.");
                _w.Line($"global::System.Span<{_t}> da{previous} = stackalloc {_t}[{Literals.Int(layer.Inputs)}];");
                _w.Line($"da{previous}.Clear();");
                _w.Open($"for (int j = 0; j < {units}; j++)");
                _w.Line($"global::NetGen.Kernels.MultiplyAdd<{_t}>(p.Slice({Row(layer)}, {Literals.Int(layer.Inputs)}), dz{n}[j], da{previous});");
                _w.Close();
            }

            return;
        }

        if (l > 1)
        {
            _w.Line($"// The slope with respect to each value feeding layer {n} (summed over the nodes it feeds), and each weight's slope:");
            _w.Line($"// dL/dz of the node it feeds into * the value feeding the weight.");
            _w.Line($"global::System.Span<{_t}> da{previous} = stackalloc {_t}[{Literals.Int(layer.Inputs)}];");
            _w.Line($"da{previous}.Clear();");
        }
        else
        {
            _w.Line("// Each weight's slope: dL/dz of the node it feeds into * the value feeding the weight.");
        }

        bool skipsIdleRows = pass == Pass.TrainStep && l == 1 && UsesKernels(layer);
        if (skipsIdleRows)
        {
            _w.Line("// A node whose slope is exactly 0 (a ReLU that did not fire) would take learningRate * (0 * x) = 0 from each of");
            _w.Line("// its weights. When the inputs and the learning rate are finite its row is left as it is, which is also what");
            _w.Line("// Backward and Sgd.Step give (0 + 0 * x = +0): the same bits, without reading or writing the row.");
            _w.Line($"bool skipIdle = {_t}.IsFinite(learningRate) && global::NetGen.Kernels.AllFinite<{_t}>({inputs});");
        }

        _w.Open($"for (int j = 0; j < {units}; j++)");
        _w.Line($"{_t} d = dz{n}[j];");
        if (skipsIdleRows)
        {
            _w.Open($"if (d == {Lit(0)} && skipIdle)");
            _w.Line("continue;");
            _w.Close();
            _w.Line();
        }

        if (UsesKernels(layer))
        {
            // Node j's row of weights, in one SIMD pass: each element gets exactly the scalar loop's operations.
            string row = $"p.Slice({Row(layer)}, {Literals.Int(layer.Inputs)})";
            string gradients = $"g.Slice({Row(layer)}, {Literals.Int(layer.Inputs)})";
            if (pass == Pass.TrainStep)
            {
                _w.Line(l > 1
                    ? $"global::NetGen.Kernels.BackwardStepRow<{_t}>({row}, {inputs}, d, learningRate, da{previous}); // da{previous}[i] += d * w[j,i]; w[j,i] -= learningRate * (d * {inputs}[i])"
                    : $"global::NetGen.Kernels.StepRow<{_t}>({row}, {inputs}, d, learningRate); // w[j,i] -= learningRate * (d * {inputs}[i])");
            }
            else
            {
                _w.Line(l > 1
                    ? $"global::NetGen.Kernels.BackwardRow<{_t}>({row}, {inputs}, d, {gradients}, da{previous}); // da{previous}[i] += d * w[j,i]; dL/dw[j,i] += d * {inputs}[i]"
                    : $"global::NetGen.Kernels.MultiplyAdd<{_t}>({inputs}, d, {gradients}); // dL/dw[j,i] += d * {inputs}[i]");
            }
        }
        else
        {
            _w.Line($"int row = {Row(layer)};");
            _w.Open($"for (int i = 0; i < {Literals.Int(layer.Inputs)}; i++)");
            if (l > 1)
            {
                _w.Line($"da{previous}[i] += d * p[row + i];");
            }

            _w.Line(pass == Pass.TrainStep ? $"p[row + i] -= learningRate * (d * {inputs}[i]);" : $"g[row + i] += d * {inputs}[i];");
            _w.Close();
        }
        if (layer.Bias)
        {
            _w.Line();
            string bias = $"{Literals.Int(layer.BiasOffset)} + j";
            _w.Line(pass == Pass.TrainStep ? $"p[{bias}] -= learningRate * d;" : $"g[{bias}] += d;");
        }

        _w.Close();
    }

    /// <summary>
    /// With CheckFinite = true, throws at the first value of vector v (0: the inputs) that is NaN or infinite,
    /// naming the member, layer and node; without it, writes nothing, so the check costs nothing.
    /// </summary>
    private void EmitFiniteCheck(int vector, int count, Pass pass)
    {
        if (!_spec.CheckFinite)
        {
            return;
        }

        string member = Literals.String(pass.ToString());
        if (IsLocal(vector))
        {
            _w.Line(vector == 0 ? "// CheckFinite: every input must be a finite number." : $"// CheckFinite: every value of layer {Literals.Int(vector)} must be a finite number.");
            for (int i = 0; i < count; i++)
            {
                string value = Value(vector, i, pass);
                _w.Open($"if (!{_t}.IsFinite({value}))");
                _w.Line($"global::NetGen.Guard.ThrowNonFinite({member}, {Literals.Int(vector)}, {Literals.Int(i)}, {value});");
                _w.Close();
            }

            return;
        }

        string span = SpanName(vector, pass, LayerCount);
        _w.Line(vector == 0 ? "// CheckFinite: every input must be a finite number." : $"// CheckFinite: every value of layer {Literals.Int(vector)} must be a finite number.");
        _w.Open($"for (int i = 0; i < {Literals.Int(count)}; i++)");
        _w.Open($"if (!{_t}.IsFinite({span}[i]))");
        _w.Line($"global::NetGen.Guard.ThrowNonFinite({member}, {Literals.Int(vector)}, i, {span}[i]);");
        _w.Close();
        _w.Close();
    }

    /// <summary>With CheckFinite = true, throws when the loss is NaN or infinite, before the backward pass writes anything.</summary>
    private void EmitLossCheck(Pass pass)
    {
        if (!_spec.CheckFinite)
        {
            return;
        }

        _w.Line("// CheckFinite: the loss must be a finite number.");
        _w.Open($"if (!{_t}.IsFinite(loss))");
        _w.Line($"global::NetGen.Guard.ThrowNonFinite({Literals.String(pass.ToString())}, -1, 0, loss);");
        _w.Close();
    }

    /// <summary>
    /// Whether a looped layer's rows go through the SIMD kernels of NetGen.Kernels: when a row holds at least
    /// <see cref="Planner.KernelMinInputs"/> values; shorter rows stay plain loops, where a call would cost more than
    /// it saves.
    /// </summary>
    private static bool UsesKernels(LayerPlan layer) => layer.Inputs >= Planner.KernelMinInputs;

    private string Row(LayerPlan layer) =>
        layer.WeightOffset == 0
            ? $"j * {Literals.Int(layer.Inputs)}"
            : $"{Literals.Int(layer.WeightOffset)} + (j * {Literals.Int(layer.Inputs)})";

    /// <summary>The activation applied to the expression z.</summary>
    private string Activate(ActivationKind activation, string z) => activation switch
    {
        ActivationKind.ReLU => $"{z} > {Lit(0)} ? {z} : {Lit(0)}",
        ActivationKind.LeakyReLU => $"{z} > {Lit(0)} ? {z} : {Lit(0.01)} * {z}",
        ActivationKind.Sigmoid => $"global::NetGen.Activations.Sigmoid({z})",
        ActivationKind.Tanh => $"global::NetGen.Activations.Tanh({z})",
        _ => z,
    };

    private static string SlopeText(ActivationKind activation) => activation switch
    {
        ActivationKind.ReLU => " (1 where z > 0, else 0)",
        ActivationKind.LeakyReLU => " (1 where z > 0, else 0.01)",
        ActivationKind.Sigmoid => " (a * (1 - a))",
        ActivationKind.Tanh => " (1 - a^2)",
        _ => " (1)",
    };

    /// <summary>
    /// dL/dz from dL/da: the slope of the activation, from z where it is a local (ReLU and LeakyReLU read more
    /// plainly so), else from a (a &gt; 0 exactly where z &gt; 0 for both).
    /// </summary>
    private string ApplySlope(ActivationKind activation, string slope, string? z, string a)
    {
        string zero = Lit(0);
        string one = Lit(1);
        string sign = z ?? a;
        return activation switch
        {
            ActivationKind.ReLU => $"{sign} > {zero} ? {slope} : {zero}",
            ActivationKind.LeakyReLU => $"{slope} * ({sign} > {zero} ? {one} : {Lit(0.01)})",
            ActivationKind.Sigmoid => $"{slope} * ({a} * ({one} - {a}))",
            ActivationKind.Tanh => $"{slope} * ({one} - ({a} * {a}))",
            _ => slope,
        };
    }

    /// <summary>
    /// Writes prefix + terms joined by " + " + suffix + ";", wrapping every few terms: up to
    /// <see cref="TermsPerLine"/> short terms (e2_0) a line, one a line when they are long (a product with a
    /// parameter read through its ref).
    /// </summary>
    private void WriteSum(string prefix, List<string> terms, string suffix = "")
    {
        int longest = 0;
        foreach (string term in terms)
        {
            longest = System.Math.Max(longest, term.Length);
        }

        int perLine = System.Math.Max(1, System.Math.Min(TermsPerLine, SumLineWidth / (longest + 3)));
        if (terms.Count <= perLine)
        {
            _w.Line(prefix + string.Join(" + ", terms) + suffix + ";");
            return;
        }

        var line = new StringBuilder(prefix);
        for (int t = 0; t < terms.Count; t++)
        {
            if (t > 0 && t % perLine == 0)
            {
                _w.Line(line.ToString());
                if (t == perLine)
                {
                    _w.Indent();
                }

                line.Clear().Append("+ ");
            }
            else if (t > 0)
            {
                line.Append(" + ");
            }

            line.Append(terms[t]);
        }

        _w.Line(line.Append(suffix).Append(';').ToString());
        _w.Unindent();
    }
}
