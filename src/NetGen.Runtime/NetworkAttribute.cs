using System;

namespace NetGen;

/// <summary>
/// Marks a <c>partial</c> class as a neural network of <c>float</c>s taking <paramref name="inputs"/> inputs.
/// Its layers are the <see cref="DenseAttribute"/>s on the same declaration, in source order; the NetGen
/// source generator writes <c>Forward</c>, <c>Backward</c>, <c>TrainStep</c> and the rest of
/// <see cref="INetwork{T}"/> for exactly that topology.
/// </summary>
/// <param name="inputs">The number of inputs, 1 or more.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute(int inputs) : Attribute
{
    /// <summary>The number of inputs.</summary>
    public int Inputs { get; } = inputs;

    /// <summary>The loss the network is trained on. Default <see cref="NetGen.LossFunction.MeanSquaredError"/>.</summary>
    public LossFunction Loss { get; set; } = LossFunction.MeanSquaredError;

    /// <summary>How the layers' code is written. Default <see cref="CodeShape.Auto"/>.</summary>
    public CodeShape Code { get; set; } = CodeShape.Auto;

    /// <summary>
    /// Under <see cref="CodeShape.Auto"/>, the most weights a layer may have to be written as straight-line code;
    /// wider layers become loops. 0, the default, means the planner's measured defaults (128 weights per layer and
    /// 256 in all, see docs/planner.md). Any other value replaces both: the network-wide budgets that keep every
    /// generated method far from the JIT's limits still apply (768 unrolled weights in all, and estimates of each
    /// method's IL and locals). Allowed: 0 to 768
    /// (NG0020); no effect with <see cref="CodeShape.Unrolled"/> or <see cref="CodeShape.Loops"/> (NG0021).
    /// </summary>
    public int MaxUnrolledLayerWeights { get; set; }

    /// <summary>
    /// When true, the generated code checks that the inputs, every layer's outputs and the loss are finite, and
    /// throws <see cref="NonFiniteValueException"/> naming the layer and node at the first that is not, before
    /// any parameter or gradient is written. Off by default: then no check is generated at all.
    /// </summary>
    public bool CheckFinite { get; set; }

    /// <summary>
    /// A .safetensors file (a PyTorch nn.Sequential's state_dict) listed as an AdditionalFiles item, whose weights the
    /// generator embeds at build time: every new instance starts from them, with no file at run time. Its shapes are
    /// checked against the layers when compiling (NG0017 to NG0019). See docs/interop.md.
    /// </summary>
    public string? Weights { get; set; }
}

/// <summary>
/// Marks a <c>partial</c> class as a neural network of <typeparamref name="T"/> (<c>float</c> or <c>double</c>)
/// taking <paramref name="inputs"/> inputs. See <see cref="NetworkAttribute"/>.
/// </summary>
/// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
/// <param name="inputs">The number of inputs, 1 or more.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute<T>(int inputs) : Attribute
    where T : unmanaged
{
    /// <summary>The number of inputs.</summary>
    public int Inputs { get; } = inputs;

    /// <summary>The loss the network is trained on. Default <see cref="NetGen.LossFunction.MeanSquaredError"/>.</summary>
    public LossFunction Loss { get; set; } = LossFunction.MeanSquaredError;

    /// <summary>How the layers' code is written. Default <see cref="CodeShape.Auto"/>.</summary>
    public CodeShape Code { get; set; } = CodeShape.Auto;

    /// <summary>
    /// Under <see cref="CodeShape.Auto"/>, the most weights a layer may have to be written as straight-line code;
    /// wider layers become loops. 0, the default, means the planner's measured defaults (128 weights per layer and
    /// 256 in all, see docs/planner.md). Any other value replaces both: the network-wide budgets that keep every
    /// generated method far from the JIT's limits still apply (768 unrolled weights in all, and estimates of each
    /// method's IL and locals). Allowed: 0 to 768
    /// (NG0020); no effect with <see cref="CodeShape.Unrolled"/> or <see cref="CodeShape.Loops"/> (NG0021).
    /// </summary>
    public int MaxUnrolledLayerWeights { get; set; }

    /// <summary>
    /// When true, the generated code checks that the inputs, every layer's outputs and the loss are finite, and
    /// throws <see cref="NonFiniteValueException"/> naming the layer and node at the first that is not, before
    /// any parameter or gradient is written. Off by default: then no check is generated at all.
    /// </summary>
    public bool CheckFinite { get; set; }

    /// <summary>
    /// A .safetensors file (a PyTorch nn.Sequential's state_dict) listed as an AdditionalFiles item, whose weights the
    /// generator embeds at build time: every new instance starts from them, with no file at run time. Its shapes are
    /// checked against the layers when compiling (NG0017 to NG0019). See docs/interop.md.
    /// </summary>
    public string? Weights { get; set; }
}
