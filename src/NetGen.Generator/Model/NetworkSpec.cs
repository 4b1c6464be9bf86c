namespace NetGen.Generator.Model;

// The enums Activation, LossFunction and CodeShape are the runtime's own files, compiled into the generator as well
// (see NetGen.Generator.csproj), so the generator and the runtime cannot disagree about a value.

/// <summary>The element type of a network's values.</summary>
internal enum ElementKind
{
    Float,
    Double,
}

/// <summary>
/// One layer as declared, one record per kind of layer. A new kind of layer adds its record here (and its attribute,
/// its reading in the parser, its plan and its emitter).
/// </summary>
internal abstract record LayerSpec
{
    /// <summary>The number of values the layer puts out (per time step, for sequence layers).</summary>
    public abstract int Outputs { get; }

    /// <summary>How many parameters the layer has when <paramref name="inputs"/> values feed it (in 64 bits: validation checks the size).</summary>
    public abstract long ParameterCount(int inputs);

    /// <summary>Whether the layer carries values from one time step to the next, which makes the network a streaming model.</summary>
    public virtual bool IsStreaming => false;
}

/// <summary>[Dense(units, activation, Bias = ...)]: every node sums all of the previous layer's values, weighted.</summary>
internal sealed record DenseLayerSpec(int Units, Activation Activation, bool Bias) : LayerSpec
{
    public override int Outputs => Units;

    public override long ParameterCount(int inputs) => NetGen.Shared.DenseLayout.ParameterCount(inputs, Units, Bias);
}

/// <summary>A type that contains the network's class, outermost first, written as its declaration needs.</summary>
/// <param name="Keyword">"class", "struct", "record", "record struct" or "interface".</param>
/// <param name="Name">The type's name.</param>
internal readonly record struct ContainingTypeSpec(string Keyword, string Name);

/// <summary>
/// Everything the generator needs to know about one valid network declaration, and nothing from Roslyn's
/// object model (no symbols, syntax or compilation), so that an unchanged declaration compares equal across
/// edits and its output is served from the cache.
/// </summary>
/// <param name="Model">
/// [OnnxNetwork(path)]: the model file the layers and weights come from. The parse step leaves Inputs, Element and
/// Layers for the import step (Onnx/OnnxResolver) to fill from the file.
/// </param>
/// <param name="Image">
/// [Network(channels, height, width)]: the input image's shape (Inputs is then their product, clamped); null for a
/// network declared with one number of inputs.
/// </param>
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
    LossFunction Loss,
    CodeShape Code,
    bool CheckFinite,
    int MaxUnrolledLayerWeights,
    EquatableArray<LayerSpec> Layers,
    string? Weights = null,
    string? Model = null,
    ImageShape? Image = null)
{
    /// <summary>The file whose parameters are embedded: the Weights file, or the ONNX model; null if none.</summary>
    public string? EmbeddedFrom => Weights ?? Model;

    /// <summary>A streaming model: some layer carries values from step to step (one Forward call is one time step).</summary>
    public bool IsStreaming
    {
        get
        {
            foreach (LayerSpec layer in Layers)
            {
                if (layer.IsStreaming)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>
/// A network with its weights resolved: for [Network(Weights = ...)], the parameters to embed, read from the additional
/// file; otherwise none. When the file cannot be used, Spec is null and Failure says why, as a finding on the Weights
/// argument: located only then, so the model holds no location.
/// </summary>
internal sealed record ResolvedNetwork(NetworkSpec? Spec, EquatableArray<double> Parameters, Findings? Failure = null, StubSpec? Stub = null);

/// <summary>
/// What the stand-in members of a refused declaration need: where the class is, its element type, and the sizes as
/// declared (0 where a size is unknown or below 0), for InputCount, OutputCount and Predict.
/// </summary>
internal sealed record StubSpec(
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string TypeName,
    ElementKind Element,
    int Inputs,
    int Outputs,
    bool Embedded)
{
    public static StubSpec From(NetworkSpec spec) =>
        new(
            spec.Namespace,
            spec.ContainingTypes,
            spec.TypeName,
            spec.Element,
            System.Math.Max(spec.Inputs, 0),
            spec.Layers.Count == 0 ? 0 : System.Math.Max(spec.Layers[spec.Layers.Count - 1].Outputs, 0),
            spec.Weights is not null);

    /// <summary>The type's metadata name, as Compilation.GetTypeByMetadataName takes it: Namespace.Outer+Inner.</summary>
    public static string MetadataName(string? ns, EquatableArray<ContainingTypeSpec> containingTypes, string typeName)
    {
        var name = new System.Text.StringBuilder();
        if (ns is not null)
        {
            // The namespace is kept as C# writes it (@event for a keyword); its metadata name has no '@'.
            foreach (string part in ns.Split('.'))
            {
                name.Append(part.TrimStart('@')).Append('.');
            }
        }

        foreach (ContainingTypeSpec outer in containingTypes)
        {
            name.Append(outer.Name).Append('+');
        }

        return name.Append(typeName).ToString();
    }
}

/// <summary>The parse step's model alone, without its diagnostics: a network to generate, or a refused one's stub.</summary>
internal sealed record NetworkModel(NetworkSpec? Spec, StubSpec? Stub);

/// <summary>A planned network and the parameters to embed in it (none unless it declares Weights); or a stub.</summary>
internal sealed record PlannedNetwork(Planning.NetworkPlan? Plan, EquatableArray<double> Parameters, StubSpec? Stub = null);

/// <summary>A weights file as the generator sees it: the base64 text the NetGen build targets make of a .safetensors file.</summary>
/// <param name="Name">The original file's name, e.g. model.safetensors.</param>
/// <param name="Base64">Its bytes, base64-encoded; null if the text could not be read.</param>
internal sealed record WeightsFile(string Name, string? Base64)
{
    /// <summary>What the build targets append to a .safetensors file's name.</summary>
    public const string Suffix = ".b64";
}
