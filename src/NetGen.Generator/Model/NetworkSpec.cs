namespace NetGen.Generator.Model;

// The generator's own copies of the runtime's enums: it must not reference NetGen.Runtime (a netstandard2.0
// analyzer cannot load a net8.0 assembly), so these mirror NetGen.Activation, NetGen.Loss and NetGen.CodeShape
// value for value.

/// <summary>Mirrors NetGen.Activation.</summary>
internal enum ActivationKind
{
    Identity = 0,
    ReLU = 1,
    LeakyReLU = 2,
    Sigmoid = 3,
    Tanh = 4,
    Softmax = 5,
}

/// <summary>Mirrors NetGen.Loss.</summary>
internal enum LossKind
{
    MeanSquaredError = 0,
    CrossEntropy = 1,
    BinaryCrossEntropy = 2,
}

/// <summary>Mirrors NetGen.CodeShape.</summary>
internal enum CodeShapeKind
{
    Auto = 0,
    Unrolled = 1,
    Loops = 2,
}

/// <summary>The element type of a network's values.</summary>
internal enum ElementKind
{
    Float,
    Double,
}

/// <summary>One [Dense] layer as declared.</summary>
internal readonly record struct LayerSpec(int Units, ActivationKind Activation, bool Bias);

/// <summary>A type that contains the network's class, outermost first, written as its declaration needs.</summary>
/// <param name="Keyword">"class", "struct", "record", "record struct" or "interface".</param>
/// <param name="Name">The type's name.</param>
internal readonly record struct ContainingTypeSpec(string Keyword, string Name);

/// <summary>
/// Everything the generator needs to know about one valid network declaration, and nothing from Roslyn's
/// object model (no symbols, syntax or compilation), so that an unchanged declaration compares equal across
/// edits and its output is served from the cache.
/// </summary>
/// <param name="MaxUnrolledLayerWeights">
/// [Network(MaxUnrolledLayerWeights = ...)]: under CodeShape.Auto, the most weights of a layer written as
/// straight-line code; 0 for the planner's measured default (Planner.AutoUnrollMaxWeightsPerLayer).
/// </param>
internal sealed record NetworkSpec(
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string TypeName,
    ElementKind Element,
    int Inputs,
    LossKind Loss,
    CodeShapeKind Code,
    bool CheckFinite,
    int MaxUnrolledLayerWeights,
    EquatableArray<LayerSpec> Layers,
    string? Weights = null,
    LocationInfo? WeightsLocation = null);

/// <summary>
/// A parsed network with its weights resolved: for [Network(Weights = ...)], the parameters to embed, read from the
/// additional file; otherwise none. Spec is null when there is nothing to generate.
/// </summary>
internal sealed record ResolvedNetwork(NetworkSpec? Spec, EquatableArray<double> Parameters, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A weights file as the generator sees it: the base64 text the NetGen build targets make of a .safetensors file.</summary>
/// <param name="Name">The original file's name, e.g. model.safetensors.</param>
/// <param name="Base64">Its bytes, base64-encoded; null if the text could not be read.</param>
internal sealed record WeightsFile(string Name, string? Base64)
{
    /// <summary>What the build targets append to a .safetensors file's name.</summary>
    public const string Suffix = ".b64";
}
