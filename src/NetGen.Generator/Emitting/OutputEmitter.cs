using System.Collections.Generic;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting;

/// <summary>
/// Where the output layer and the loss meet: Softmax (the one activation that couples a layer's nodes, allowed only on
/// the output with cross-entropy), then the loss, then the slope handed to the output layer's backward pass. Mean
/// squared error hands it dL/da of each output; cross-entropy over Softmax and binary cross-entropy over Sigmoid hand
/// it dL/dz directly (the fused slopes p - t and (p - t) / K), computed from z so that no logarithm of a rounded
/// probability is taken. The losses match PyTorch's definitions.
/// </summary>
internal static class OutputEmitter
{
    /// <summary>After the output layer's forward pass: the Softmax it left to this step, if any.</summary>
    public static void EmitOutputActivation(EmitContext c)
    {
        if (!c.Plan.Output.Softmax)
        {
            return;
        }

        LayerPlan last = c.Plan.Last;
        if (last.Unrolled)
        {
            EmitUnrolledSoftmax(c, last);
        }
        else
        {
            EmitLoopedSoftmax(c, last, c.SpanName(c.LayerCount));
        }
    }

    private static void EmitUnrolledSoftmax(EmitContext c, LayerPlan layer)
    {
        string n = Literals.Int(layer.Number);
        c.W.Line("// Softmax: a_j = e^(z_j - m) / s, where m is the largest z (so no exponent overflows)");
        c.W.Line("// and s = sum of e^(z_j - m).");
        c.W.Line($"{c.T} m{n} = z{n}_0;");
        for (int j = 1; j < layer.Outputs; j++)
        {
            c.W.Line($"m{n} = {c.T}.Max(m{n}, z{n}_{Literals.Int(j)});");
        }

        var exponentials = new List<string>(layer.Outputs);
        for (int j = 0; j < layer.Outputs; j++)
        {
            string jj = Literals.Int(j);
            c.W.Line($"{c.T} e{n}_{jj} = {c.T}.Exp(z{n}_{jj} - m{n});");
            exponentials.Add($"e{n}_{jj}");
        }

        c.WriteSum($"{c.T} s{n} = ", exponentials);
        for (int j = 0; j < layer.Outputs; j++)
        {
            string jj = Literals.Int(j);
            c.W.Line($"{c.T} a{n}_{jj} = e{n}_{jj} / s{n};");
        }
    }

    /// <summary>
    /// The blocked TrainBatch's and ForwardBatch's part: the Softmax of each sample of the block, for TrainBatch with
    /// its m and s kept for the loss (in m{l}Block and s{l}Block).
    /// </summary>
    /// <param name="c">The context.</param>
    /// <param name="outputs">The block's outputs, as C#.</param>
    /// <param name="keepShift">Whether to keep each sample's m and s for its loss (ForwardBatch has no loss).</param>
    public static void EmitBlockOutputActivation(EmitContext c, string outputs, bool keepShift = true)
    {
        if (!c.Plan.Output.Softmax)
        {
            return;
        }

        LayerPlan layer = c.Plan.Last;
        string l = Literals.Int(layer.Number);
        string units = Literals.Int(layer.Outputs);
        c.W.Open($"for (int k = 0; k < {Literals.Int(c.Plan.BatchBlock)}; k++)");
        c.W.Line($"ReadOnlySpan<{c.T}> z{l} = z{l}Block.Slice(k * {units}, {units});");
        c.W.Line($"Span<{c.T}> a{l} = {outputs}.Slice(k * {units}, {units});");
        EmitLoopedSoftmax(c, layer, $"a{l}");
        if (keepShift)
        {
            c.W.Line($"m{l}Block[k] = m{l};");
            c.W.Line($"s{l}Block[k] = s{l};");
        }

        c.W.Close();
    }

    private static void EmitLoopedSoftmax(EmitContext c, LayerPlan layer, string outputs)
    {
        string n = Literals.Int(layer.Number);
        string units = Literals.Int(layer.Outputs);
        c.W.Line();
        c.W.Line("// Softmax: a_j = e^(z_j - m) / s, where m is the largest z (so no exponent overflows)");
        c.W.Line("// and s = sum of e^(z_j - m).");
        c.W.Line($"{c.T} m{n} = z{n}[0];");
        c.W.Open($"for (int j = 1; j < {units}; j++)");
        c.W.Line($"m{n} = {c.T}.Max(m{n}, z{n}[j]);");
        c.W.Close();
        c.W.Line();
        c.W.Line($"{c.T} s{n} = {c.Lit(0)};");
        c.W.Open($"for (int j = 0; j < {units}; j++)");
        c.W.Line($"{c.T} e = {c.T}.Exp(z{n}[j] - m{n});");
        c.W.Line($"{outputs}[j] = e;");
        c.W.Line($"s{n} += e;");
        c.W.Close();
        c.W.Line();
        c.W.Open($"for (int j = 0; j < {units}; j++)");
        c.W.Line($"{outputs}[j] /= s{n};");
        c.W.Close();
    }

    public static void EmitLoss(EmitContext c)
    {
        switch (c.Plan.Spec.Loss)
        {
            case LossFunction.CrossEntropy:
                EmitCrossEntropy(c);
                break;
            case LossFunction.BinaryCrossEntropy:
                EmitBinaryCrossEntropy(c);
                break;
            default:
                EmitMeanSquaredError(c);
                break;
        }

        EmitLossCheck(c);
    }

    private static void EmitMeanSquaredError(EmitContext c)
    {
        int last = c.LayerCount;
        int outputs = c.Plan.Outputs;
        bool backward = c.Backward;
        string count = c.Lit(outputs);
        string scale = outputs == 1 ? c.Lit(2) : $"{c.Lit(2)} / {count}";
        c.W.Line(outputs == 1
            ? "// Loss: squared error, L = (prediction - target)^2."
            : $"// Loss: mean squared error, L = (1/{Literals.Int(outputs)}) * sum of (prediction - target)^2.");
        if (c.IsLocal(last))
        {
            var squares = new List<string>(outputs);
            for (int k = 0; k < outputs; k++)
            {
                string kk = Literals.Int(k);
                c.W.Line($"{c.T} e{kk} = {c.Value(last, k)} - {$"target[{Literals.Int(k)}]"};");
                squares.Add($"e{kk} * e{kk}");
            }

            if (outputs == 1)
            {
                c.W.Line($"{c.T} loss = e0 * e0;");
            }
            else
            {
                c.WriteSum($"{c.T} loss = (", squares, $") / {count}");
            }

            if (backward)
            {
                c.W.Line();
                c.W.Line(outputs == 1
                    ? "// Backward pass. The slope of the loss with respect to the prediction: dL/da = 2 * error."
                    : $"// Backward pass. The slope of the loss with respect to each prediction: dL/da = 2 * error / {Literals.Int(outputs)}.");
                for (int k = 0; k < outputs; k++)
                {
                    c.W.Line($"{c.T} {c.Slope(last, k)} = {scale} * e{Literals.Int(k)};");
                }
            }

            return;
        }

        string n = Literals.Int(last);
        c.W.Line($"{c.T} loss = {c.Lit(0)};");
        if (backward)
        {
            c.W.Line("// and, for the backward pass, the slope of the loss with respect to each prediction:");
            c.W.Line($"// dL/da = 2 * error / {Literals.Int(outputs)}.");
            c.W.Line($"Span<{c.T}> da{n} = stackalloc {c.T}[{Literals.Int(outputs)}];");
        }

        c.W.Open($"for (int k = 0; k < {Literals.Int(outputs)}; k++)");
        c.W.Line($"{c.T} e = {c.SpanName(last)}[k] - target[k];");
        c.W.Line("loss += e * e;");
        if (backward)
        {
            c.W.Line($"da{n}[k] = {scale} * e;");
        }

        c.W.Close();
        if (outputs > 1)
        {
            c.W.Line();
            c.W.Line($"loss /= {count};");
        }
    }

    private static void EmitCrossEntropy(EmitContext c)
    {
        int last = c.LayerCount;
        int outputs = c.Plan.Outputs;
        string n = Literals.Int(last);
        bool backward = c.Backward;
        c.W.Line("// Loss: cross-entropy, L = -sum of target * ln(prediction).");
        c.W.Line("// With the softmax above, ln a_k = z_k - (m + ln s):");
        c.W.Line("// computed from z, never as the log of a rounded probability.");
        c.W.Line($"{c.T} logSum{n} = m{n} + {c.T}.Log(s{n});");
        if (c.IsLocal(last))
        {
            var terms = new List<string>(outputs);
            var targets = new List<string>(outputs);
            for (int k = 0; k < outputs; k++)
            {
                string kk = Literals.Int(k);
                terms.Add($"{$"target[{Literals.Int(k)}]"} * (logSum{n} - z{n}_{kk})");
                targets.Add($"target[{Literals.Int(k)}]");
            }

            c.WriteSum($"{c.T} loss = ", terms);
            if (backward)
            {
                c.W.Line();
                c.W.Line("// Backward pass. Softmax and cross-entropy together have the slope");
                c.W.Line("// dL/dz_k = a_k * (sum of targets) - t_k,");
                c.W.Line("// which is a_k - t_k for targets that are probabilities.");
                c.WriteSum($"{c.T} targetSum = ", targets);
                for (int k = 0; k < outputs; k++)
                {
                    string kk = Literals.Int(k);
                    c.W.Line($"{c.T} dz{n}_{kk} = (a{n}_{kk} * targetSum) - {$"target[{Literals.Int(k)}]"};");
                }
            }

            return;
        }

        string units = Literals.Int(outputs);
        c.W.Line($"{c.T} loss = {c.Lit(0)};");
        if (backward)
        {
            c.W.Line($"{c.T} targetSum = {c.Lit(0)};");
        }

        c.W.Open($"for (int k = 0; k < {units}; k++)");
        c.W.Line($"loss += target[k] * (logSum{n} - z{n}[k]);");
        if (backward)
        {
            c.W.Line("targetSum += target[k];");
        }

        c.W.Close();
        if (backward)
        {
            c.W.Line();
            c.W.Line("// Backward pass. Softmax and cross-entropy together have the slope");
            c.W.Line("// dL/dz_k = a_k * (sum of targets) - t_k,");
            c.W.Line("// which is a_k - t_k for targets that are probabilities.");
            c.W.Line($"Span<{c.T}> dz{n} = stackalloc {c.T}[{units}];");
            c.W.Open($"for (int k = 0; k < {units}; k++)");
            c.W.Line($"dz{n}[k] = (a{n}[k] * targetSum) - target[k];");
            c.W.Close();
        }
    }

    private static void EmitBinaryCrossEntropy(EmitContext c)
    {
        int last = c.LayerCount;
        int outputs = c.Plan.Outputs;
        string n = Literals.Int(last);
        bool backward = c.Backward;
        string count = c.Lit(outputs);
        c.W.Line(outputs == 1
            ? "// Loss: binary cross-entropy, L = -[t ln a + (1 - t) ln(1 - a)], computed from z in the stable form"
            : $"// Loss: binary cross-entropy, L = -(1/{Literals.Int(outputs)}) * sum of [t ln a + (1 - t) ln(1 - a)], computed from z in the stable form");
        c.W.Line("// max(z, 0) - z t + ln(1 + e^-|z|), which neither overflows nor takes the log of a rounded probability.");
        if (c.IsLocal(last))
        {
            var terms = new List<string>(outputs);
            for (int k = 0; k < outputs; k++)
            {
                string kk = Literals.Int(k);
                terms.Add($"Losses.BinaryCrossEntropyFromLogit(z{n}_{kk}, {$"target[{Literals.Int(k)}]"})");
            }

            if (outputs == 1)
            {
                c.W.Line($"{c.T} loss = {terms[0]};");
            }
            else
            {
                c.WriteSum($"{c.T} loss = (", terms, $") / {count}");
            }

            if (backward)
            {
                c.W.Line();
                c.W.Line(outputs == 1
                    ? "// Backward pass. Sigmoid and binary cross-entropy together have the slope dL/dz = a - t."
                    : $"// Backward pass. Sigmoid and binary cross-entropy have the slope dL/dz_k = (a_k - t_k) / {Literals.Int(outputs)}.");
                for (int k = 0; k < outputs; k++)
                {
                    string kk = Literals.Int(k);
                    c.W.Line(outputs == 1
                        ? $"{c.T} dz{n}_{kk} = a{n}_{kk} - {$"target[{Literals.Int(k)}]"};"
                        : $"{c.T} dz{n}_{kk} = (a{n}_{kk} - {$"target[{Literals.Int(k)}]"}) / {count};");
                }
            }

            return;
        }

        string units = Literals.Int(outputs);
        string values = c.SpanName(last);
        c.W.Line($"{c.T} loss = {c.Lit(0)};");
        if (backward)
        {
            c.W.Line($"// and, for the backward pass, the slope dL/dz_k = (a_k - t_k) / {Literals.Int(outputs)}");
            c.W.Line("// of Sigmoid and binary cross-entropy together.");
            c.W.Line($"Span<{c.T}> dz{n} = stackalloc {c.T}[{units}];");
        }

        c.W.Open($"for (int k = 0; k < {units}; k++)");
        c.W.Line($"loss += Losses.BinaryCrossEntropyFromLogit(z{n}[k], target[k]);");
        if (backward)
        {
            c.W.Line(outputs == 1 ? $"dz{n}[k] = {values}[k] - target[k];" : $"dz{n}[k] = ({values}[k] - target[k]) / {count};");
        }

        c.W.Close();
        if (outputs > 1)
        {
            c.W.Line();
            c.W.Line($"loss /= {count};");
        }
    }

    /// <summary>With CheckFinite = true, throws when the loss is NaN or infinite, before the backward pass writes anything.</summary>
    private static void EmitLossCheck(EmitContext c)
    {
        if (!c.Plan.Spec.CheckFinite)
        {
            return;
        }

        c.W.Line("// CheckFinite: the loss must be a finite number.");
        c.W.Open($"if (!{c.T}.IsFinite(loss))");
        c.W.Line($"Guard.ThrowNonFinite({Literals.String(c.Pass.ToString())}, -1, 0, loss);");
        c.W.Close();
    }
}
