using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting;

/// <summary>
/// What a layer's code for one time step of a streaming model shares: the method's <see cref="EmitContext"/> and the
/// names of the spans it reads and writes. In the forward step, layer l reads <see cref="Input"/> and writes its values
/// on <c>tape</c> (the step's slice of the record), its output last, named <see cref="Output"/>, and its carried values
/// in <c>state</c>. Going back through a step, the same names hold the values read back from that step's slice of the
/// record (<c>now</c>); <c>before</c> is the step before's slice (zeros before the first step), and
/// <see cref="Slope"/> is dL/d(layer l's output) at this step.
/// </summary>
internal sealed class StepContext(EmitContext c)
{
    public EmitContext C => c;

    public SourceWriter W => c.W;

    /// <summary>The element type as C#.</summary>
    public string T => c.T;

    public SequencePlan Sequence => c.Plan.Sequence!;

    public string Lit(double value) => c.Lit(value);

    /// <summary>The span of layer l's input values at this step: the step's input for layer 1, else layer l - 1's output.</summary>
    public string Input(int layer) => layer == 1 ? "x" : Output(layer - 1);

    /// <summary>The span of layer l's output values at this step.</summary>
    public string Output(int layer) => "a" + Literals.Int(layer);

    /// <summary>dL/d(layer l's outputs) at this step.</summary>
    public string Slope(int layer) => "da" + Literals.Int(layer);

    /// <summary>dL/d(layer l's inputs) at this step, where layer l adds what it passes back; null for the first layer.</summary>
    public string? InputSlope(int layer) => layer == 1 ? null : Slope(layer - 1);

    /// <summary>Where layer l's values start in a step's slice of the record.</summary>
    public int TapeOffset(int layer) => Sequence.TapeOffsets[layer - 1];

    /// <summary>offset + k * units as C#, e.g. "24" or "j" or "16 + j": where block k of a layer's values starts, plus an index.</summary>
    public static string Offset(int start, string? index = null) =>
        index is null ? Literals.Int(start) : start == 0 ? index : $"{Literals.Int(start)} + {index}";
}
