using System.Linq;

namespace NetGen.Generator.Emitting;

/// <summary>
/// How the straight-line code reaches the parameters, the gradients and the caller's spans: through refs at constant
/// offsets (<c>Unsafe.Add(ref p0, 17)</c> for <c>p[17]</c>), with no bounds check per access. Span indexing with a
/// constant index keeps one check per read, in the order written, and they were the biggest cost of the unrolled
/// methods (docs/benchmarks.md, "A and B"). Safe exactly where span indexing would be: the parameter and gradient
/// arrays are readonly fields created with ParameterCount elements, and each span's length is checked by Guard.Length
/// before the first access. Looped layers keep the spans p and g (they take slices of them), so a method that mixes
/// the two forms declares both, under different names.
/// </summary>
internal sealed partial class NetworkEmitter
{
    private const string ParametersRef = "p0";
    private const string GradientsRef = "g0";
    private const string InputRef = "input0";
    private const string OutputRef = "output0";
    private const string TargetRef = "target0";

    private bool AnyUnrolled => _plan.Layers.Any(layer => layer.Unrolled);

    private bool AnyLooped => _plan.Layers.Any(layer => !layer.Unrolled);

    /// <summary>Element <paramref name="index"/> after the one <paramref name="reference"/> refers to, as a variable.</summary>
    private static string At(string reference, int index) =>
        $"global::System.Runtime.CompilerServices.Unsafe.Add(ref {reference}, {Literals.Int(index)})";

    /// <summary>Parameter i, read or written by straight-line code.</summary>
    private static string Parameter(int index) => At(ParametersRef, index);

    /// <summary>
    /// After the length checks of a method: the spans its looped layers use, and the refs its straight-line code
    /// uses, each only when used. <paramref name="span"/> is the type of the parameters' span (ReadOnlySpan where
    /// the method only reads them); <paramref name="gradients"/> and <paramref name="output"/> say whether the method
    /// writes the gradients (Backward) or the output span (Forward), and <paramref name="target"/> whether it reads a
    /// target.
    /// </summary>
    private void EmitPrologue(string span, bool gradients = false, bool output = false, bool target = false)
    {
        bool looped = AnyLooped;
        if (looped)
        {
            _w.Line($"global::System.{span}<{_t}> p = __parameters;");
            if (gradients)
            {
                _w.Line($"global::System.Span<{_t}> g = __gradients;");
            }
        }

        if (!AnyUnrolled)
        {
            return;
        }

        int last = LayerCount;
        bool input = IsLocal(0);
        output &= IsLocal(last);
        target &= IsLocal(last);
        bool writes = gradients || output || span == "Span";
        string reach = looped
            ? $"The written-out layers read{(writes ? " and write" : string.Empty)}"
            : $"The values are read{(writes ? " and written" : string.Empty)}";
        _w.Line($"// {reach} through refs: Unsafe.Add(ref p0, 17) is Parameters[17].");
        _w.Line($"// No access needs a bounds check: the spans' lengths are checked above, and {(gradients ? "the arrays hold" : "the array holds")} ParameterCount values.");
        _w.Line($"ref {_t} {ParametersRef} = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(__parameters);");
        if (gradients)
        {
            _w.Line($"ref {_t} {GradientsRef} = ref global::System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(__gradients);");
        }

        if (input)
        {
            _w.Line($"ref {_t} {InputRef} = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(input);");
        }

        if (target)
        {
            _w.Line($"ref {_t} {TargetRef} = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(target);");
        }

        if (output)
        {
            _w.Line($"ref {_t} {OutputRef} = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(output);");
        }
    }

}
