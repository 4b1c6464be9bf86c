namespace NetGen;

// Also compiled into the generator (NetGen.Generator.csproj links this file), where it is internal: one definition
// of every value, for the attributes users write and for the generator that reads them.
/// <summary>
/// How the generator writes the code for a network's layers. <see cref="Auto"/> (the default) lets the
/// planner choose per layer by size; the others force one form on every layer, for measurement and tests.
/// </summary>
#if NETGEN_GENERATOR
internal
#else
public
#endif
enum CodeShape
{
    /// <summary>Straight-line code for narrow layers, constant-bound loops for wide ones (see docs/planner.md).</summary>
    Auto,

    /// <summary>Every layer as straight-line code: one statement per weight. Refused for layers too large to unroll.</summary>
    Unrolled,

    /// <summary>Every layer as constant-bound loops.</summary>
    Loops,
}
