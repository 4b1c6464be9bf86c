using System.Linq;
using NetGen.Generator.Emitting.Layers;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting;

/// <summary>
/// The code of a streaming model (a network with a recurrent layer): one time step (<c>Step</c>), composed of each
/// layer's step from its <see cref="LayerEmitter"/>; the members that run it (Forward with and without a state,
/// ForwardSequence, Loss); and backpropagation through time (BackwardSequence), on which Backward, TrainStep,
/// TrainBatch and TrainSequence are built. Every step writes its values on a record (the tape), which the backward pass
/// reads from the last step to the first; it knows no kind of layer.
/// </summary>
internal sealed class SequenceEmitter
{
    private readonly NetworkPlan _plan;
    private readonly SequencePlan _sequence;
    private readonly SourceWriter _w;
    private readonly string _t;
    private readonly string _in;
    private readonly string _out;
    private readonly string _perStep;
    private readonly string _outputOffset;

    private SequenceEmitter(NetworkPlan plan, SourceWriter w)
    {
        _plan = plan;
        _sequence = plan.Sequence!;
        _w = w;
        _t = Literals.TypeName(plan.Spec.Element);
        _in = Literals.Int(plan.Inputs);
        _out = Literals.Int(plan.Outputs);
        _perStep = Literals.Int(_sequence.TapePerStep);
        _outputOffset = Literals.Int(_sequence.OutputTapeOffsets[plan.Layers.Count - 1]);
    }

    /// <summary>The methods of the code class, in the order a reader meets them.</summary>
    public static void EmitCode(NetworkPlan plan, SourceWriter w) => new SequenceEmitter(plan, w).Emit();

    private string Lit(double value) => Literals.Number(_plan.Spec.Element, value);

    private void Signature(string head, params string[] parameters) => EmitContext.WriteSignature(_w, head, parameters);

    private void Emit()
    {
        EmitStep();
        _w.Line();
        EmitForward();
        _w.Line();
        EmitForwardSequence();
        _w.Line();
        EmitForwardFromZero();
        _w.Line();
        BatchEmitter.EmitForwardBatch(new EmitContext(_plan, _w, Pass.Forward));
        _w.Line();
        EmitLoss();
        _w.Line();
        EmitBackwardSequence();
        _w.Line();
        EmitOneStepMembers();
        _w.Line();
        EmitRecord();
    }

    private void EmitStep()
    {
        var c = new EmitContext(_plan, _w, Pass.Forward);
        var s = new StepContext(c);
        _w.Line("/// <summary>");
        _w.Line("/// One time step: from the step's inputs x and the carried values in state, every layer's values on the step's");
        _w.Line("/// record (tape), the output last; the carried values advance to the step's new ones.");
        _w.Line("/// </summary>");
        Signature("private static void Step(", $"{_t}[] parameters", $"ReadOnlySpan<{_t}> x", $"Span<{_t}> state", $"Span<{_t}> tape");
        _w.Open();
        EmitViews(c, gradients: false);
        foreach (LayerPlan layer in _plan.Layers)
        {
            _w.Line();
            LayerEmitter.For(layer).EmitStep(s);
        }

        _w.Close();
    }

    private void EmitViews(EmitContext c, bool gradients)
    {
        var layers = _plan.Layers.Select(LayerEmitter.For).ToArray();
        _w.Line();
        _w.Line("// The weights and biases as views of Parameters" + (gradients ? " and of Gradients:" : ":"));
        string?[] described = layers.Select(l => l.DescribeViews(gradients)).ToArray();
        for (int i = 0; i < described.Length; i++)
        {
            _w.Line($"// {described[i]}{(i == described.Length - 1 ? "." : ";")}");
        }

        foreach (LayerEmitter layer in layers)
        {
            layer.EmitViews(c, gradients);
        }
    }

    private void EmitForward()
    {
        Signature("public static void Forward(", $"{_t}[] parameters", $"ReadOnlySpan<{_t}> input", $"Span<{_t}> output", $"{_t}[] state");
        _w.Open();
        _w.Line("// The spans' lengths, checked before anything is read or written.");
        _w.Line($"input = Check.Length(input, {_in}, nameof(input));");
        _w.Line($"output = Check.Length(output, {_out}, nameof(output));");
        _w.Line($"Span<{_t}> tape = stackalloc {_t}[{_perStep}];");
        _w.Line("Step(parameters, input, state, tape);");
        _w.Line($"tape.Slice({_outputOffset}, {_out}).CopyTo(output);");
        _w.Close();
    }

    private void EmitForwardSequence()
    {
        Signature("public static void ForwardSequence(", $"{_t}[] parameters", $"ReadOnlySpan<{_t}> inputs", $"Span<{_t}> outputs", $"{_t}[] state");
        _w.Open();
        _w.Line($"int steps = Guard.Steps(inputs.Length, {_in}, outputs.Length, {_out}, nameof(outputs));");
        _w.Line($"Span<{_t}> tape = stackalloc {_t}[{_perStep}];");
        _w.Open("for (int t = 0; t < steps; t++)");
        _w.Line($"Step(parameters, inputs.Slice(t * {_in}, {_in}), state, tape);");
        _w.Line($"tape.Slice({_outputOffset}, {_out}).CopyTo(outputs.Slice(t * {_out}, {_out}));");
        _w.Close();
        _w.Close();
    }

    private void EmitForwardFromZero()
    {
        _w.Line("/// <summary>One step from a zero state: what the state-free members of INetwork compute.</summary>");
        Signature("public static void Forward(", $"{_t}[] parameters", $"ReadOnlySpan<{_t}> input", $"Span<{_t}> output");
        _w.Open();
        _w.Line($"Span<{_t}> state = stackalloc {_t}[{Literals.Int(_sequence.StateSize)}];");
        _w.Line("state.Clear();");
        _w.Line("input = Check.Length(input, " + _in + ", nameof(input));");
        _w.Line($"output = Check.Length(output, {_out}, nameof(output));");
        _w.Line($"Span<{_t}> tape = stackalloc {_t}[{_perStep}];");
        _w.Line("Step(parameters, input, state, tape);");
        _w.Line($"tape.Slice({_outputOffset}, {_out}).CopyTo(output);");
        _w.Close();
    }

    private void EmitLoss()
    {
        _w.Line("/// <summary>The loss of one step from a zero state.</summary>");
        Signature($"public static {_t} Loss(", $"{_t}[] parameters", $"ReadOnlySpan<{_t}> input", $"ReadOnlySpan<{_t}> target");
        _w.Open();
        _w.Line($"input = Check.Length(input, {_in}, nameof(input));");
        _w.Line($"target = Check.Length(target, {_out}, nameof(target));");
        _w.Line($"Span<{_t}> state = stackalloc {_t}[{Literals.Int(_sequence.StateSize)}];");
        _w.Line("state.Clear();");
        _w.Line($"Span<{_t}> tape = stackalloc {_t}[{_perStep}];");
        _w.Line("Step(parameters, input, state, tape);");
        _w.Line("return StepLoss(tape, target);");
        _w.Close();
        _w.Line();
        int last = _plan.Layers.Count;
        string logits = Literals.Int(_sequence.TapeOffsets[last - 1]);
        _w.Line("/// <summary>One step's loss, from its record.</summary>");
        _w.Line($"private static {_t} StepLoss(ReadOnlySpan<{_t}> tape, ReadOnlySpan<{_t}> target) =>");
        _w.Indent();
        switch (_plan.Output.Loss)
        {
            case LossFunction.CrossEntropy:
                _w.Line($"Losses.CrossEntropyFromLogits<{_t}>(tape.Slice({logits}, {_out}), target);");
                break;
            case LossFunction.BinaryCrossEntropy:
                _w.Line($"Losses.BinaryCrossEntropyFromLogits<{_t}>(tape.Slice({logits}, {_out}), target);");
                break;
            default:
                _w.Line($"Losses.MeanSquaredError<{_t}>(tape.Slice({_outputOffset}, {_out}), target);");
                break;
        }

        _w.Unindent();
    }

    private void EmitBackwardSequence()
    {
        var c = new EmitContext(_plan, _w, Pass.Backward);
        var s = new StepContext(c);
        var layers = _plan.Layers.Select(LayerEmitter.For).ToArray();
        int count = _plan.Layers.Count;
        _w.Line("/// <summary>");
        _w.Line("/// Backpropagation through time: the steps forward from a zero state, each step's values kept on the record; the");
        _w.Line("/// loss, the mean of the steps' losses; then the steps from the last to the first, each layer's slopes added into");
        _w.Line("/// gradients and the slopes of the carried values passed on to the step before.");
        _w.Line("/// </summary>");
        Signature($"public static {_t} BackwardSequence(", $"{_t}[] parameters", $"{_t}[] gradients", $"ref {_t}[] record", $"ReadOnlySpan<{_t}> inputs", $"ReadOnlySpan<{_t}> targets");
        _w.Open();
        _w.Line($"int steps = Guard.Steps(inputs.Length, {_in}, targets.Length, {_out}, nameof(targets));");
        _w.Line($"Span<{_t}> tapes = Record(ref record, steps);");
        EmitViews(c, gradients: true);
        _w.Line();
        _w.Line("// Forward through time from a zero state, keeping every step's values.");
        _w.Line($"Span<{_t}> state = stackalloc {_t}[{Literals.Int(_sequence.StateSize)}];");
        _w.Line("state.Clear();");
        _w.Line($"{_t} loss = {Lit(0)};");
        _w.Open("for (int t = 0; t < steps; t++)");
        _w.Line($"Span<{_t}> tape = tapes.Slice(t * {_perStep}, {_perStep});");
        _w.Line($"Step(parameters, inputs.Slice(t * {_in}, {_in}), state, tape);");
        _w.Line($"loss += StepLoss(tape, targets.Slice(t * {_out}, {_out}));");
        _w.Close();
        _w.Line();
        _w.Line("// The loss is the mean over the steps, so each step's slope of its own loss is scaled by 1 / steps.");
        _w.Line($"{_t} perStep = {Lit(1)} / steps;");
        _w.Line();
        _w.Line("// The slopes of each layer's outputs at one step (da), and the values before the first step (all zero).");
        foreach (LayerPlan layer in _plan.Layers)
        {
            c.StackSpan(s.Slope(layer.Number), layer.Outputs);
        }

        c.StackSpan("none", _sequence.TapePerStep);
        _w.Line("none.Clear();");
        foreach (LayerEmitter layer in layers)
        {
            layer.EmitStepBackwardLocals(s);
        }

        _w.Line();
        _w.Line("// Back through time, from the last step to the first.");
        _w.Open("for (int t = steps - 1; t >= 0; t--)");
        _w.Line($"ReadOnlySpan<{_t}> x = inputs.Slice(t * {_in}, {_in});");
        _w.Line($"ReadOnlySpan<{_t}> target = targets.Slice(t * {_out}, {_out});");
        _w.Line($"ReadOnlySpan<{_t}> now = tapes.Slice(t * {_perStep}, {_perStep});");
        _w.Line($"ReadOnlySpan<{_t}> before = t > 0 ? tapes.Slice((t - 1) * {_perStep}, {_perStep}) : none;");
        _w.Line("// Each layer's outputs at this step, as the forward step left them.");
        foreach (LayerPlan layer in _plan.Layers)
        {
            int offset = _sequence.OutputTapeOffsets[layer.Number - 1];
            _w.Line($"ReadOnlySpan<{_t}> {s.Output(layer.Number)} = now.Slice({Literals.Int(offset)}, {Literals.Int(layer.Outputs)});");
        }

        for (int l = 1; l < count; l++)
        {
            _w.Line($"{s.Slope(l)}.Clear();");
        }

        _w.Line();
        EmitOutputSlope(s);
        for (int l = count; l >= 1; l--)
        {
            _w.Line();
            layers[l - 1].EmitStepBackward(s);
        }

        _w.Close();
        _w.Line();
        _w.Line("return loss / steps;");
        _w.Close();
    }

    /// <summary>The slope of this step's loss (scaled by 1 / steps) at the output layer: dL/da, or dL/dz for the fused losses.</summary>
    private void EmitOutputSlope(StepContext s)
    {
        int last = _plan.Layers.Count;
        string da = s.Slope(last);
        string a = s.Output(last);
        switch (_plan.Output.Loss)
        {
            case LossFunction.CrossEntropy:
                _w.Line("// Cross-entropy over Softmax: dL/dz of each output is its probability - its target.");
                _w.Open($"for (int k = 0; k < {_out}; k++)");
                _w.Line($"{da}[k] = perStep * ({a}[k] - target[k]);");
                break;
            case LossFunction.BinaryCrossEntropy:
                _w.Line($"// Binary cross-entropy over Sigmoid: dL/dz of each output is (its probability - its target) / {_out}.");
                _w.Open($"for (int k = 0; k < {_out}; k++)");
                _w.Line($"{da}[k] = perStep * ({a}[k] - target[k]) / {Lit(_plan.Outputs)};");
                break;
            default:
                _w.Line($"// Mean squared error: dL/da of each output is 2 * (prediction - target) / {_out}.");
                _w.Open($"for (int k = 0; k < {_out}; k++)");
                _w.Line($"{da}[k] = perStep * ({Lit(2)} / {Lit(_plan.Outputs)} * ({a}[k] - target[k]));");
                break;
        }

        _w.Close();
    }

    /// <summary>INetwork's training members for one sample, each a sequence of one step.</summary>
    private void EmitOneStepMembers()
    {
        _w.Line("/// <summary>Backward of one sample: a sequence of one step.</summary>");
        Signature($"public static {_t} Backward(", $"{_t}[] parameters", $"{_t}[] gradients", $"ref {_t}[] record", $"ReadOnlySpan<{_t}> input", $"ReadOnlySpan<{_t}> target");
        _w.Open();
        _w.Line($"input = Check.Length(input, {_in}, nameof(input));");
        _w.Line($"target = Check.Length(target, {_out}, nameof(target));");
        _w.Line("return BackwardSequence(parameters, gradients, ref record, input, target);");
        _w.Close();
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line("/// TrainStep: the slopes of one step into scratch (cleared first, so that Gradients is neither read nor written),");
        _w.Line("/// then p -= learningRate * slope, as ZeroGradients, Backward and Sgd.Step would give.");
        _w.Line("/// </summary>");
        Signature($"public static {_t} TrainStep(", $"{_t}[] parameters", $"{_t}[] scratch", $"ref {_t}[] record", $"ReadOnlySpan<{_t}> input", $"ReadOnlySpan<{_t}> target", $"{_t} learningRate");
        _w.Open();
        _w.Line($"input = Check.Length(input, {_in}, nameof(input));");
        _w.Line($"target = Check.Length(target, {_out}, nameof(target));");
        _w.Line("Array.Clear(scratch);");
        _w.Line($"{_t} loss = BackwardSequence(parameters, scratch, ref record, input, target);");
        _w.Line($"Sgd.Step<{_t}>(parameters, scratch, learningRate);");
        _w.Line("return loss;");
        _w.Close();
        _w.Line();
        _w.Line("/// <summary>TrainBatch: each sample a sequence of one step; the mean of their slopes, then one SGD step.</summary>");
        Signature($"public static {_t} TrainBatch(", $"{_t}[] parameters", $"{_t}[] gradients", $"ref {_t}[] record", $"ReadOnlySpan<{_t}> inputs", $"ReadOnlySpan<{_t}> targets", $"{_t} learningRate");
        _w.Open();
        _w.Line($"int samples = Guard.BatchSize(inputs.Length, {_in}, targets.Length, {_out});");
        _w.Line("Array.Clear(gradients);");
        _w.Line($"{_t} total = {Lit(0)};");
        _w.Open("for (int s = 0; s < samples; s++)");
        _w.Line($"ReadOnlySpan<{_t}> input = inputs.Slice(s * {_in}, {_in});");
        _w.Line($"total += BackwardSequence(parameters, gradients, ref record, input, targets.Slice(s * {_out}, {_out}));");
        _w.Close();
        _w.Line();
        _w.Line("// g *= 1 / samples, then p -= learningRate * g, element by element (SIMD).");
        _w.Line($"Kernels.ScaleAndStep<{_t}>(parameters, gradients, {Lit(1)} / samples, learningRate);");
        _w.Line("return total / samples;");
        _w.Close();
        _w.Line();
        _w.Line("/// <summary>TrainSequence: ZeroGradients, BackwardSequence, then p -= learningRate * g.</summary>");
        Signature($"public static {_t} TrainSequence(", $"{_t}[] parameters", $"{_t}[] gradients", $"ref {_t}[] record", $"ReadOnlySpan<{_t}> inputs", $"ReadOnlySpan<{_t}> targets", $"{_t} learningRate");
        _w.Open();
        _w.Line("// The lengths first: nothing is written when they are wrong.");
        _w.Line($"Guard.Steps(inputs.Length, {_in}, targets.Length, {_out}, nameof(targets));");
        _w.Line("Array.Clear(gradients);");
        _w.Line($"{_t} loss = BackwardSequence(parameters, gradients, ref record, inputs, targets);");
        _w.Line($"Sgd.Step<{_t}>(parameters, gradients, learningRate);");
        _w.Line("return loss;");
        _w.Close();
    }

    private void EmitRecord()
    {
        _w.Line("/// <summary>");
        _w.Line($"/// The record of a sequence's steps, {_perStep} values a step: the network's own array, replaced by a longer one only");
        _w.Line("/// when a sequence is longer than any before it, so training on sequences of one length allocates once.");
        _w.Line("/// </summary>");
        _w.Open($"private static Span<{_t}> Record(ref {_t}[] record, int steps)");
        _w.Line($"long length = (long)steps * {_perStep};");
        _w.Open("if (record.Length < length)");
        _w.Line($"record = new {_t}[checked((int)length)];");
        _w.Close();
        _w.Line();
        _w.Line("return record.AsSpan(0, (int)length);");
        _w.Close();
    }
}
