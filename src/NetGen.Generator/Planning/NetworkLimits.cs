using System.Collections.Generic;

namespace NetGen.Generator.Planning;

/// <summary>
/// The largest networks NetGen generates. Past these the generated code would be absurd (megabytes of
/// source, stack buffers that overflow a thread's stack), so the declaration gets NG0011 instead, at once (Validation/SizeRules.cs).
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
}
