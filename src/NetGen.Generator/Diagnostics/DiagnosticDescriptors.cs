using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic NetGen reports. Ids are stable: once shipped, an id keeps its meaning forever
/// (AnalyzerReleases.Shipped.md / Unshipped.md track them); each has a section in docs/diagnostics.md.
/// <para>
/// The parser passes each message's arguments by position, so a message format may be reworded but must keep the
/// number and order of its arguments (DiagnosticTests pins them). Each message says what is wrong and what to do;
/// each description says why NetGen needs it, as the IDE shows it beside the message.
/// </para>
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "NetGen";

    /// <summary>The base of every help link: the diagnostic's section in docs/diagnostics.md.</summary>
    public const string HelpLinkBase = "https://github.com/netgen-dev/NetGen/blob/main/docs/diagnostics.md#";

    /// <summary>NG0001. Arguments: the class name. Has a code fix (NetGen.CodeFixes) that adds 'partial'.</summary>
    public static readonly DiagnosticDescriptor NotPartial = Create(
        "NG0001",
        "Network class must be partial",
        "The network class '{0}' must be declared partial so that NetGen can add its generated members; add the 'partial' modifier",
        "NetGen writes a network's members (Forward, Backward, TrainStep, ...) into a second declaration of the class, which C# allows only for a partial class. Nothing is generated until the class is partial.");

    /// <summary>NG0002. Arguments: the class name.</summary>
    public static readonly DiagnosticDescriptor NoLayers = Create(
        "NG0002",
        "Network has no layers",
        "The network '{0}' has no [Dense] layer; add at least one [Dense(units)] attribute to the declaration that carries [Network]",
        "A network's layers are the [Dense] attributes on the declaration that carries [Network], in source order; the last one is the output layer. A network needs at least one.");

    /// <summary>NG0003. Arguments: the class name, the inputs declared.</summary>
    public static readonly DiagnosticDescriptor InputsBelowOne = Create(
        "NG0003",
        "Network needs at least one input",
        "A network needs at least 1 input, but '{0}' declares {1}; pass the number of inputs, 1 or more, as the first argument of [Network]",
        "The first argument of [Network(inputs)] is the length of the input span that Forward, Backward and TrainStep take, so it must be 1 or more.");

    /// <summary>NG0004. Arguments: the layer's number (from 1), the class name, the units declared.</summary>
    public static readonly DiagnosticDescriptor UnitsBelowOne = Create(
        "NG0004",
        "Layer needs at least one unit",
        "A [{3}] layer needs at least 1 unit, but layer {0} of '{1}' declares {2}; pass the number of units, 1 or more, as the first argument of [{3}]",
        "The first argument of [Dense(units)], [Gru(units)] and [Lstm(units)] is the number of values the layer puts out (for the last layer, the number of outputs), so it must be 1 or more.");

    /// <summary>NG0005. Arguments: the class name.</summary>
    public static readonly DiagnosticDescriptor LayersSplit = Create(
        "NG0005",
        "Layers spread over several partial declarations",
        "The [Dense] layers of '{0}' must all be on the declaration that carries [Network], so their order is clear; move this [Dense] there",
        "The layers are the [Dense] attributes in source order, an order that only exists within one declaration: attributes on other partial declarations of the class have none that NetGen could rely on.");

    /// <summary>NG0006. Arguments: the element type written.</summary>
    public static readonly DiagnosticDescriptor UnsupportedElementType = Create(
        "NG0006",
        "Unsupported element type",
        "'{0}' is not a supported element type; use [Network<float>] or [Network<double>] (or [Network] for float)",
        "NetGen generates arithmetic for float and double only: the type argument of [Network<T>] is the type of every input, output, parameter and gradient of the network.");

    /// <summary>NG0007. Arguments: the class name, the member name.</summary>
    public static readonly DiagnosticDescriptor MemberNameTaken = Create(
        "NG0007",
        "Generated member name already declared",
        "'{0}' already declares a member named '{1}', which NetGen generates; rename or remove it",
        "NetGen generates members such as Forward, Loss, Backward, TrainStep, Parameters and Topology into the class; a member of yours with the same name (a method with the same number of parameters, or any other kind of member) would clash with it. Overloads with another number of parameters are fine.");

    /// <summary>NG0008. Arguments: the rule broken and what to change, as one sentence.</summary>
    public static readonly DiagnosticDescriptor DisallowedCombination = Create(
        "NG0008",
        "Activation and loss combination not allowed",
        "NetGen's rules for activations and losses do not allow this: {0}",
        "Softmax is allowed only on the last layer, and only with Loss = LossFunction.CrossEntropy; LossFunction.CrossEntropy needs a Softmax last layer, and LossFunction.BinaryCrossEntropy a Sigmoid one. Other pairings would train on gradients that do not match the loss.");

    /// <summary>NG0010. Arguments: the class name, why it cannot be generated and what to change.</summary>
    public static readonly DiagnosticDescriptor UnsupportedDeclaration = Create(
        "NG0010",
        "Unsupported network declaration",
        "NetGen cannot generate the network '{0}': {1}",
        "The class cannot receive generated members: it is static, generic, a record, file-local, nested in a generic, file-local or non-partial type, named like a contextual keyword or a generated member, or a type in the global namespace hides a namespace the generated code uses.");

    /// <summary>NG0011. Arguments: the class name, the limit it passes (and, for some limits, what to change).</summary>
    public static readonly DiagnosticDescriptor NetworkTooLarge = Create(
        "NG0011",
        "Network too large",
        "The network '{0}' is too large: {1} (NetGen's limits, and how to stay within each, are listed under NG0011 in docs/diagnostics.md)",
        "Past its limits NetGen would write megabytes of source, methods the JIT refuses to optimise or stack buffers that overflow a thread's stack, so it refuses the network at once: use fewer or narrower layers, CodeShape.Auto or CodeShape.Loops instead of CodeShape.Unrolled, or weights loaded at run time instead of embedded ones.");

    /// <summary>NG0012. Arguments: the class name.</summary>
    public static readonly DiagnosticDescriptor MultipleNetworkAttributes = Create(
        "NG0012",
        "More than one [Network] attribute",
        "'{0}' carries more than one [Network] attribute; keep exactly one",
        "[Network] and [Network<T>] each describe a whole network, its inputs, element type and loss; with both on one class NetGen cannot tell which one is meant.");

    /// <summary>NG0013. Arguments: the value, the enum's name, the names it defines.</summary>
    public static readonly DiagnosticDescriptor UndefinedEnumValue = Create(
        "NG0013",
        "Undefined enum value",
        "{0} is not a defined {1} value; use one of: {2}",
        "A cast such as (Activation)42 names no member of the enum, so NetGen cannot tell which activation, loss or code shape is meant. Write the member by name instead.");

    /// <summary>NG0014. Arguments: the class name.</summary>
    public static readonly DiagnosticDescriptor DenseWithoutNetwork = Create(
        "NG0014",
        "[Dense] without [Network]",
        "[Dense] on '{0}' has no effect without [Network(inputs)] on the same declaration; add [Network] or remove the [Dense] attributes",
        "A [Dense] attribute only describes a layer of the network that [Network] declares; on a class without [Network], nothing is generated for it. A warning, since the code still compiles.",
        DiagnosticSeverity.Warning);

    /// <summary>NG0015. Arguments: the class name, the member name, the base class's name.</summary>
    public static readonly DiagnosticDescriptor InheritedMemberConflict = Create(
        "NG0015",
        "Generated member would hide an inherited member",
        "'{0}' inherits a member named '{1}' from '{2}', which the generated member would hide; a network class cannot derive from a class with NetGen's member names (derive from object or another base)",
        "A network class that derives from another network, or from a class with a non-private member of a generated name, would hide that member, and the two networks' members would be confused. Compose networks instead of deriving one from another.");

    /// <summary>NG0016. Arguments: the class name, the expression written, what to write instead. Has a code fix (NetGen.CodeFixes).</summary>
    public static readonly DiagnosticDescriptor LossNameShadowed = Create(
        "NG0016",
        "'Loss' inside the class names the generated Loss method",
        "Inside '{0}', 'Loss' names the generated Loss method, not the enum of losses, so '{1}' cannot compile; write '{2}' instead",
        "The enum of losses is LossFunction; it was once named Loss. C# binds an attribute's arguments in the scope of the class it is on, where 'Loss' is the generated Loss method, so code written for the old name can never compile there.");

    /// <summary>NG0017. Arguments: the file as written, the class name, why it was not found (or empty).</summary>
    public static readonly DiagnosticDescriptor WeightsFileNotFound = Create(
        "NG0017",
        "Weights file not found",
        "The weights file '{0}' of '{1}' is not among the compilation's additional files{2}; add <AdditionalFiles Include=\"{0}\" /> to the project",
        "A generator reads only the files its project lists as AdditionalFiles. NetGen embeds the weights of one .safetensors file so listed, found by its file name, which must be unique among them.");

    /// <summary>NG0018. Arguments: the file as written, the class name, what is wrong with it.</summary>
    public static readonly DiagnosticDescriptor WeightsFileUnreadable = Create(
        "NG0018",
        "Weights file cannot be read",
        "The weights file '{0}' of '{1}' cannot be read: {2}; check that it is a whole safetensors file of F64, F32, F16 or BF16 tensors, as safetensors' save_file writes one",
        "NetGen embeds weights from a safetensors file: a JSON header of tensors (dtype F64, F32, F16 or BF16, shape and data offsets) followed by their data, without holes or overlaps, as PyTorch's safetensors writes it.");

    /// <summary>NG0019. Arguments: the file as written, the class name, the tensor or layer that does not fit.</summary>
    public static readonly DiagnosticDescriptor WeightsMismatch = Create(
        "NG0019",
        "Weights file does not fit the network",
        "The weights file '{0}' does not fit '{1}': {2}; export the weights of a model with the same layers, or change the [Dense] layers to match the file",
        "The file's tensors are matched to the layers in the order of their module numbers (0.weight, 0.bias, 2.weight, ..., as an nn.Sequential's state_dict names them): each layer needs a weight of shape [units, inputs] and, unless declared with Bias = false, a bias of shape [units].");

    /// <summary>NG0020. Arguments: the class name, the value, the most allowed, the planner's default.</summary>
    public static readonly DiagnosticDescriptor UnrollThresholdOutOfRange = Create(
        "NG0020",
        "MaxUnrolledLayerWeights out of range",
        "MaxUnrolledLayerWeights of '{0}' is {1}, but it must be from 0 to {2}, since no network unrolls more than {2} weights in all; use 0 for the planner's measured default of {3} weights per layer, or a number from 1 to {2}",
        "MaxUnrolledLayerWeights is, under CodeShape.Auto, the most weights a layer may have to be written as straight-line code. A larger value than the network-wide budget could never be honoured, and a negative one means nothing.");

    /// <summary>NG0021. Arguments: the class name, the CodeShape member written.</summary>
    public static readonly DiagnosticDescriptor UnrollThresholdIgnored = Create(
        "NG0021",
        "MaxUnrolledLayerWeights has no effect outside CodeShape.Auto",
        "MaxUnrolledLayerWeights has no effect on '{0}', which sets Code = CodeShape.{1}: it applies only under CodeShape.Auto; remove MaxUnrolledLayerWeights, or remove Code to let the planner choose per layer with that threshold",
        "CodeShape.Unrolled and CodeShape.Loops choose the form of every layer themselves, so the planner never reads MaxUnrolledLayerWeights beside them. A warning, since the network is generated as without it.",
        DiagnosticSeverity.Warning);

    /// <summary>NG0022. Arguments: the class name, what the streaming model cannot have yet, and what to change.</summary>
    public static readonly DiagnosticDescriptor StreamingUnsupported = Create(
        "NG0022",
        "Not available in a streaming model",
        "'{0}' is a streaming model (it has a recurrent or convolution layer), which cannot {1}",
        "A network with a [Gru], [Lstm] or [Conv1D] layer is a streaming model: one Forward call is one time step, and its code is written as loops over each layer's units. Some options of feed-forward networks are not available for it: straight-line code (Code = CodeShape.Unrolled), CheckFinite and compile-time weights (Weights = ...). A recurrent or convolution last layer can only be trained on the mean squared error; put a Softmax or Sigmoid [Dense] layer after it for the cross-entropies.");

    /// <summary>NG0023. Arguments: the layer number, the class name, which size ("kernel size" or "dilation"), the value.</summary>
    public static readonly DiagnosticDescriptor ConvolutionSizeBelowOne = Create(
        "NG0023",
        "Convolution size must be at least 1",
        "The {2} of a [Conv1D] layer must be at least 1, but layer {0} of '{1}' declares {3}",
        "[Conv1D(outChannels, kernelSize, activation, Dilation = d)]: kernelSize is the number of taps and d their spacing in time steps; the output at step t sees the inputs of steps t - (kernelSize - 1) * d to t, so both must be 1 or more.");

    /// <summary>NG0024. Arguments: the project's C# version.</summary>
    public static readonly DiagnosticDescriptor LanguageVersionTooOld = Create(
        "NG0024",
        "C# 11 or later needed",
        "NetGen's generated code needs C# 11 or later, but this project compiles C# {0}; set <LangVersion>11</LangVersion> or later (or remove LangVersion: .NET 8 and later default to C# 12)",
        "The generated code uses file-local types and ref fields, which C# 11 introduced. Rather than compiler errors inside generated code, a project on an older language version gets this diagnostic on each [Network] attribute, and nothing is generated.");

    /// <summary>NG0025. Arguments: the file as written, the class name, why it was not found (or empty).</summary>
    public static readonly DiagnosticDescriptor OnnxFileNotFound = Create(
        "NG0025",
        "ONNX model file not found",
        "The ONNX model '{0}' of '{1}' is not among the compilation's additional files{2}; add <AdditionalFiles Include=\"{0}\" /> to the project",
        "A generator reads only the files its project lists as AdditionalFiles. [OnnxNetwork(path)] compiles the one .onnx file so listed, found by its file name, which must be unique among them; the NetGen package's build targets hand it to the generator.");

    /// <summary>NG0026. Arguments: the file as written, the class name, what is wrong with it.</summary>
    public static readonly DiagnosticDescriptor OnnxFileUnreadable = Create(
        "NG0026",
        "ONNX model file cannot be read",
        "The ONNX model '{0}' of '{1}' cannot be read: {2}; check that it is a whole ONNX model file, as torch.onnx.export writes one",
        "NetGen reads an ONNX model (onnx.proto's ModelProto) at build time, within limits that keep the build safe from a damaged or hostile file: at most 32 MB, 10,000 nodes and 16 dimensions a tensor, with every length checked against the file before it is read.");

    /// <summary>NG0027. Arguments: the file as written, the class name, the node, its operator and the opset, and why.</summary>
    public static readonly DiagnosticDescriptor OnnxOperatorUnsupported = Create(
        "NG0027",
        "ONNX operator not supported",
        "The ONNX model '{0}' of '{1}' cannot be compiled: {2}",
        "NetGen compiles an ONNX graph to a chain of its layers: Gemm, or MatMul and Add, as Dense layers; Relu, LeakyRelu (alpha 0.01), Sigmoid, Tanh, Softmax (last axis), Elu (alpha 1), Gelu (exact form, also as the Erf pattern older exporters write), x * Sigmoid(x) (SiLU) and Softplus as their activations; Identity, Dropout and layout-keeping Flatten and Reshape passed over; opsets 6 to 21. Any other operator, or an attribute value its layer does not have, is refused here rather than failing at run time.");

    /// <summary>NG0028. Arguments: the file as written, the class name, why the graph does not map.</summary>
    public static readonly DiagnosticDescriptor OnnxGraphUnmappable = Create(
        "NG0028",
        "ONNX graph does not map to NetGen layers",
        "The ONNX model '{0}' of '{1}' does not map to NetGen layers: {2}",
        "From the model's first input to its first output, the graph must be a chain: each layer fed by the one before, with constant weights of float32 (a float network) or float64 (a double network), each layer's activation after its sums, and a fixed size for every dimension but the batch.");

    /// <summary>NG0029. Arguments: the class name, the model file, the layer attribute's name.</summary>
    public static readonly DiagnosticDescriptor OnnxNetworkDeclaresLayers = Create(
        "NG0029",
        "An [OnnxNetwork] class declares layers",
        "'{0}' takes its layers from the ONNX model '{1}', so it cannot also declare [{2}] layers; remove the layer attributes, or use [Network] with Weights = \"....safetensors\" to declare the layers yourself",
        "The model file is the one source of an [OnnxNetwork] class's layers and weights; a layer attribute beside it could only disagree with the file.");

    /// <summary>NG0030. Arguments: which size, of what, the class name, the least allowed value, the value declared.</summary>
    public static readonly DiagnosticDescriptor ImageSizeOutOfRange = Create(
        "NG0030",
        "Image size out of range",
        "The {0} of {1} in '{2}' must be at least {3}, but it is {4}",
        "[Network(channels, height, width)] needs every size 1 or more; [Conv2D(outChannels, kernelSize, ..., Stride = s, Padding = p)] needs a kernel size and stride of 1 or more and a padding of 0 or more; [MaxPool2D(size)] a size of 1 or more.");

    /// <summary>NG0031. Arguments: the layer number, the class name, the layer kind, the window, the input's shape, what to change.</summary>
    public static readonly DiagnosticDescriptor ImageWindowTooLarge = Create(
        "NG0031",
        "Image window larger than its input",
        "The {3} window of layer {0} of '{1}', a [{2}], does not fit in its input of {4}; {5}",
        "A [Conv2D]'s kernel must fit in its input with the padding added on every side (kernelSize <= height + 2 * padding, and the same for the width), and a [MaxPool2D]'s window in its input (size <= height and width), or the layer would put out nothing. PyTorch refuses the same layers when they run; NetGen refuses them when compiling.");

    /// <summary>NG0032. Arguments: the class name, the layer kind, why it cannot be used there and what to change.</summary>
    public static readonly DiagnosticDescriptor ImageLayerMisplaced = Create(
        "NG0032",
        "Image layer not available here",
        "'{0}' cannot have [{1}] where it is declared: {2}",
        "[Conv2D] and [MaxPool2D] take an image: the network's, declared as [Network(channels, height, width)], or the one the 2-D layer before puts out. So they come first, before any [Dense] layer (a Dense layer's values have no rows and columns), in a feed-forward network (not a streaming model with [Gru], [Lstm] or [Conv1D]), and the last layer is a [Dense], which reads the image values in CHW order as torch.flatten(x, 1) gives them. Compile-time weights (Weights = ...) do not bind them yet.");

    private static DiagnosticDescriptor Create(string id, string title, string message, string description, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, description: description, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());
}
