namespace NetGen;

/// <summary>
/// How the generator writes the code for a network's layers. <see cref="Auto"/> (the default) lets the
/// planner choose per layer by size; the others force one form on every layer, for measurement and tests.
/// </summary>
public enum CodeShape
{
    /// <summary>Straight-line code for narrow layers, constant-bound loops for wide ones (see docs/planner.md).</summary>
    Auto,

    /// <summary>Every layer as straight-line code: one statement per weight. Refused for layers too large to unroll.</summary>
    Unrolled,

    /// <summary>Every layer as constant-bound loops.</summary>
    Loops,
}
