using System.Collections.Generic;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting;

/// <summary>
/// The losses (DESIGN §2) and the Softmax output layer. Mean squared error hands the backward pass dL/da of
/// each output; cross-entropy over Softmax and binary cross-entropy over Sigmoid hand it dL/dz directly (the
/// fused slopes p - t and (p - t) / K), computed from z so that no logarithm of a rounded probability is taken.
/// </summary>
internal sealed partial class NetworkEmitter
{
    /// <summary>True for the output layer when the loss gives dL/dz directly, skipping the activation's slope.</summary>
    private bool IsFusedOutput(LayerPlan layer) =>
        layer.Number == LayerCount && _spec.Loss != LossKind.MeanSquaredError;

    private void EmitUnrolledSoftmax(LayerPlan layer)
    {
        string n = Literals.Int(layer.Number);
        _w.Line($"// Softmax: a_j = e^(z_j - m) / s, where m is the largest z (so no exponent overflows) and s = sum of e^(z_j - m).");
        _w.Line($"{_t} m{n} = z{n}_0;");
        for (int j = 1; j < layer.Units; j++)
        {
            _w.Line($"m{n} = {_t}.Max(m{n}, z{n}_{Literals.Int(j)});");
        }

        var exponentials = new List<string>(layer.Units);
        for (int j = 0; j < layer.Units; j++)
        {
            string jj = Literals.Int(j);
            _w.Line($"{_t} e{n}_{jj} = {_t}.Exp(z{n}_{jj} - m{n});");
            exponentials.Add($"e{n}_{jj}");
        }

        WriteSum($"{_t} s{n} = ", exponentials);
        for (int j = 0; j < layer.Units; j++)
        {
            string jj = Literals.Int(j);
            _w.Line($"{_t} a{n}_{jj} = e{n}_{jj} / s{n};");
        }
    }

    private void EmitLoopedSoftmax(LayerPlan layer, string outputs)
    {
        string n = Literals.Int(layer.Number);
        string units = Literals.Int(layer.Units);
        _w.Line();
        _w.Line($"// Softmax: a_j = e^(z_j - m) / s, where m is the largest z (so no exponent overflows) and s = sum of e^(z_j - m).");
        _w.Line($"{_t} m{n} = z{n}[0];");
        _w.Open($"for (int j = 1; j < {units}; j++)");
        _w.Line($"m{n} = {_t}.Max(m{n}, z{n}[j]);");
        _w.Close();
        _w.Line();
        _w.Line($"{_t} s{n} = {Lit(0)};");
        _w.Open($"for (int j = 0; j < {units}; j++)");
        _w.Line($"{_t} e = {_t}.Exp(z{n}[j] - m{n});");
        _w.Line($"{outputs}[j] = e;");
        _w.Line($"s{n} += e;");
        _w.Close();
        _w.Line();
        _w.Open($"for (int j = 0; j < {units}; j++)");
        _w.Line($"{outputs}[j] /= s{n};");
        _w.Close();
    }

    private void EmitLossPass(Pass pass)
    {
        switch (_spec.Loss)
        {
            case LossKind.CrossEntropy:
                EmitCrossEntropy(pass);
                break;
            case LossKind.BinaryCrossEntropy:
                EmitBinaryCrossEntropy(pass);
                break;
            default:
                EmitMeanSquaredError(pass);
                break;
        }

        EmitLossCheck(pass);
    }

    private void EmitMeanSquaredError(Pass pass)
    {
        int last = LayerCount;
        int outputs = _plan.Outputs;
        bool backward = pass != Pass.Loss;
        string count = Lit(outputs);
        string scale = outputs == 1 ? Lit(2) : $"{Lit(2)} / {count}";
        _w.Line(outputs == 1
            ? "// Loss: squared error, L = (prediction - target)^2."
            : $"// Loss: mean squared error, L = (1/{Literals.Int(outputs)}) * sum of (prediction - target)^2.");
        if (IsLocal(last))
        {
            var squares = new List<string>(outputs);
            for (int k = 0; k < outputs; k++)
            {
                string kk = Literals.Int(k);
                _w.Line($"{_t} e{kk} = {Value(last, k, pass)} - {At(TargetRef, k)};");
                squares.Add($"e{kk} * e{kk}");
            }

            if (outputs == 1)
            {
                _w.Line($"{_t} loss = e0 * e0;");
            }
            else
            {
                WriteSum($"{_t} loss = (", squares, $") / {count}");
            }

            if (backward)
            {
                _w.Line();
                _w.Line(outputs == 1
                    ? "// Backward pass. The slope of the loss with respect to the prediction: dL/da = 2 * error."
                    : $"// Backward pass. The slope of the loss with respect to each prediction: dL/da = 2 * error / {Literals.Int(outputs)}.");
                for (int k = 0; k < outputs; k++)
                {
                    _w.Line($"{_t} {Slope(last, k)} = {scale} * e{Literals.Int(k)};");
                }
            }

            return;
        }

        string n = Literals.Int(last);
        _w.Line($"{_t} loss = {Lit(0)};");
        if (backward)
        {
            _w.Line($"// and, for the backward pass, the slope of the loss with respect to each prediction: dL/da = 2 * error / {Literals.Int(outputs)}.");
            _w.Line($"global::System.Span<{_t}> da{n} = stackalloc {_t}[{Literals.Int(outputs)}];");
        }

        _w.Open($"for (int k = 0; k < {Literals.Int(outputs)}; k++)");
        _w.Line($"{_t} e = {SpanName(last, pass, last)}[k] - target[k];");
        _w.Line("loss += e * e;");
        if (backward)
        {
            _w.Line($"da{n}[k] = {scale} * e;");
        }

        _w.Close();
        if (outputs > 1)
        {
            _w.Line();
            _w.Line($"loss /= {count};");
        }
    }

    private void EmitCrossEntropy(Pass pass)
    {
        int last = LayerCount;
        int outputs = _plan.Outputs;
        string n = Literals.Int(last);
        bool backward = pass != Pass.Loss;
        _w.Line("// Loss: cross-entropy, L = -sum of target * ln(prediction). With the softmax above, ln a_k = z_k - (m + ln s):");
        _w.Line("// computed from z, never as the log of a rounded probability.");
        _w.Line($"{_t} logSum{n} = m{n} + {_t}.Log(s{n});");
        if (IsLocal(last))
        {
            var terms = new List<string>(outputs);
            var targets = new List<string>(outputs);
            for (int k = 0; k < outputs; k++)
            {
                string kk = Literals.Int(k);
                terms.Add($"{At(TargetRef, k)} * (logSum{n} - z{n}_{kk})");
                targets.Add(At(TargetRef, k));
            }

            WriteSum($"{_t} loss = ", terms);
            if (backward)
            {
                _w.Line();
                _w.Line("// Backward pass. Softmax and cross-entropy together have the slope dL/dz_k = a_k * (sum of targets) - t_k,");
                _w.Line("// which is a_k - t_k for targets that are probabilities.");
                WriteSum($"{_t} targetSum = ", targets);
                for (int k = 0; k < outputs; k++)
                {
                    string kk = Literals.Int(k);
                    _w.Line($"{_t} dz{n}_{kk} = (a{n}_{kk} * targetSum) - {At(TargetRef, k)};");
                }
            }

            return;
        }

        string units = Literals.Int(outputs);
        _w.Line($"{_t} loss = {Lit(0)};");
        if (backward)
        {
            _w.Line($"{_t} targetSum = {Lit(0)};");
        }

        _w.Open($"for (int k = 0; k < {units}; k++)");
        _w.Line($"loss += target[k] * (logSum{n} - z{n}[k]);");
        if (backward)
        {
            _w.Line("targetSum += target[k];");
        }

        _w.Close();
        if (backward)
        {
            _w.Line();
            _w.Line("// Backward pass. Softmax and cross-entropy together have the slope dL/dz_k = a_k * (sum of targets) - t_k,");
            _w.Line("// which is a_k - t_k for targets that are probabilities.");
            _w.Line($"global::System.Span<{_t}> dz{n} = stackalloc {_t}[{units}];");
            _w.Open($"for (int k = 0; k < {units}; k++)");
            _w.Line($"dz{n}[k] = (a{n}[k] * targetSum) - target[k];");
            _w.Close();
        }
    }

    private void EmitBinaryCrossEntropy(Pass pass)
    {
        int last = LayerCount;
        int outputs = _plan.Outputs;
        string n = Literals.Int(last);
        bool backward = pass != Pass.Loss;
        string count = Lit(outputs);
        _w.Line(outputs == 1
            ? "// Loss: binary cross-entropy, L = -[t ln a + (1 - t) ln(1 - a)], computed from z in the stable form"
            : $"// Loss: binary cross-entropy, L = -(1/{Literals.Int(outputs)}) * sum of [t ln a + (1 - t) ln(1 - a)], computed from z in the stable form");
        _w.Line("// max(z, 0) - z t + ln(1 + e^-|z|), which neither overflows nor takes the log of a rounded probability.");
        if (IsLocal(last))
        {
            var terms = new List<string>(outputs);
            for (int k = 0; k < outputs; k++)
            {
                string kk = Literals.Int(k);
                terms.Add($"global::NetGen.Losses.BinaryCrossEntropyFromLogit(z{n}_{kk}, {At(TargetRef, k)})");
            }

            if (outputs == 1)
            {
                _w.Line($"{_t} loss = {terms[0]};");
            }
            else
            {
                WriteSum($"{_t} loss = (", terms, $") / {count}");
            }

            if (backward)
            {
                _w.Line();
                _w.Line(outputs == 1
                    ? "// Backward pass. Sigmoid and binary cross-entropy together have the slope dL/dz = a - t."
                    : $"// Backward pass. Sigmoid and binary cross-entropy together have the slope dL/dz_k = (a_k - t_k) / {Literals.Int(outputs)}.");
                for (int k = 0; k < outputs; k++)
                {
                    string kk = Literals.Int(k);
                    _w.Line(outputs == 1
                        ? $"{_t} dz{n}_{kk} = a{n}_{kk} - {At(TargetRef, k)};"
                        : $"{_t} dz{n}_{kk} = (a{n}_{kk} - {At(TargetRef, k)}) / {count};");
                }
            }

            return;
        }

        string units = Literals.Int(outputs);
        string values = SpanName(last, pass, last);
        _w.Line($"{_t} loss = {Lit(0)};");
        if (backward)
        {
            _w.Line($"// and, for the backward pass, the slope dL/dz_k = (a_k - t_k) / {Literals.Int(outputs)} of Sigmoid and binary cross-entropy together.");
            _w.Line($"global::System.Span<{_t}> dz{n} = stackalloc {_t}[{units}];");
        }

        _w.Open($"for (int k = 0; k < {units}; k++)");
        _w.Line($"loss += global::NetGen.Losses.BinaryCrossEntropyFromLogit(z{n}[k], target[k]);");
        if (backward)
        {
            _w.Line(outputs == 1 ? $"dz{n}[k] = {values}[k] - target[k];" : $"dz{n}[k] = ({values}[k] - target[k]) / {count};");
        }

        _w.Close();
        if (outputs > 1)
        {
            _w.Line();
            _w.Line($"loss /= {count};");
        }
    }
}
