using System.Collections.Generic;

namespace NetGen.Generator.Planning;

/// <summary>
/// The largest networks NetGen generates. Past these the generated code would be absurd (megabytes of
/// source, stack buffers that overflow a thread's stack), so the declaration gets NG0011 instead, at once.
/// </summary>
internal static class NetworkLimits
{
    /// <summary>
    /// Each looped layer adds a dozen locals to Backward; 26 of them stay under Planner.MaxEstimatedLocals, and no
    /// network worth compiling this way is deeper.
    /// </summary>
    public const int MaxLayers = 26;

    public const int MaxUnits = 16_384;

    public const int MaxInputs = 1_048_576;

    public const long MaxParameters = 16_777_216;

    /// <summary>
    /// Loops keep each layer's values, slopes and node slopes in stackalloc'd buffers; a thread's stack is
    /// 1 MiB on some platforms, so all of them together stay under a quarter of that.
    /// </summary>
    public const long MaxStackBytes = 256 * 1024;

    /// <summary>Why the network is too large, or null.</summary>
    public static string? WhyTooLarge(int inputs, IReadOnlyList<int> units, int elementSize)
    {
        if (units.Count > MaxLayers)
        {
            return $"it has {units.Count} layers, and NetGen generates at most {MaxLayers}";
        }

        if (inputs > MaxInputs)
        {
            return $"it has {inputs} inputs, and NetGen generates at most {MaxInputs}";
        }

        long parameters = 0, stack = 0;
        int fanIn = inputs;
        for (int i = 0; i < units.Count; i++)
        {
            if (units[i] > MaxUnits)
            {
                return $"layer {i + 1} has {units[i]} units, and NetGen generates at most {MaxUnits} per layer";
            }

            parameters += ((long)fanIn * units[i]) + units[i];
            stack += 3L * units[i] * elementSize;
            fanIn = units[i];
        }

        if (parameters > MaxParameters)
        {
            return $"it has about {parameters} parameters, and NetGen generates at most {MaxParameters}";
        }

        if (stack > MaxStackBytes)
        {
            return $"its layers' working values need {stack} bytes of stack, and NetGen allows at most {MaxStackBytes}; use fewer or narrower layers";
        }

        return null;
    }
}
