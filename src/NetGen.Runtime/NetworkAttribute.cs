using System;

namespace NetGen;

/// <summary>
/// Marks a <c>partial</c> class as a neural network of <c>float</c>s taking <paramref name="inputs"/> inputs.
/// Its layers are the layer attributes (<see cref="DenseAttribute"/>, <see cref="Conv2DAttribute"/>, ...) on the same
/// declaration, in source order; the NetGen source generator writes <c>Forward</c>, <c>Backward</c>, <c>TrainStep</c>
/// and the rest of <see cref="INetwork{T}"/> for exactly that topology.
/// </summary>
/// <param name="inputs">The number of inputs, 1 or more.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute(int inputs) : Attribute
{
    /// <summary>
    /// Marks a <c>partial</c> class as a network of <c>float</c>s whose input is an image of
    /// <paramref name="channels"/> x <paramref name="height"/> x <paramref name="width"/> values, laid out as PyTorch
    /// lays out one image (CHW: channel by channel, each row by row, left to right), for [Conv2D] and [MaxPool2D]
    /// layers. A [Dense] layer after them reads their values in the same order, as <c>torch.flatten(x, 1)</c> does.
    /// </summary>
    /// <param name="channels">The number of channels (1 for grey, 3 for RGB), 1 or more.</param>
    /// <param name="height">The number of rows, 1 or more.</param>
    /// <param name="width">The number of columns, 1 or more.</param>
    public NetworkAttribute(int channels, int height, int width)
        : this(ImageInput.Count(channels, height, width))
    {
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>The number of inputs (for an image, channels x height x width).</summary>
    public int Inputs { get; } = inputs;

    /// <summary>The image's channels; 0 when the network was declared with one number of inputs.</summary>
    public int Channels { get; }

    /// <summary>The image's rows; 0 when the network was declared with one number of inputs.</summary>
    public int Height { get; }

    /// <summary>The image's columns; 0 when the network was declared with one number of inputs.</summary>
    public int Width { get; }

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
    /// <summary>
    /// Marks a <c>partial</c> class as a network of <typeparamref name="T"/> whose input is an image of
    /// <paramref name="channels"/> x <paramref name="height"/> x <paramref name="width"/> values, laid out CHW. See
    /// <see cref="NetworkAttribute(int, int, int)"/>.
    /// </summary>
    /// <param name="channels">The number of channels, 1 or more.</param>
    /// <param name="height">The number of rows, 1 or more.</param>
    /// <param name="width">The number of columns, 1 or more.</param>
    public NetworkAttribute(int channels, int height, int width)
        : this(ImageInput.Count(channels, height, width))
    {
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>The number of inputs (for an image, channels x height x width).</summary>
    public int Inputs { get; } = inputs;

    /// <summary>The image's channels; 0 when the network was declared with one number of inputs.</summary>
    public int Channels { get; }

    /// <summary>The image's rows; 0 when the network was declared with one number of inputs.</summary>
    public int Height { get; }

    /// <summary>The image's columns; 0 when the network was declared with one number of inputs.</summary>
    public int Width { get; }

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

/// <summary>The number of values of an image input, for the attributes' <c>Inputs</c>.</summary>
internal static class ImageInput
{
    /// <summary>channels x height x width; 0 when a size is below 1 or the product passes int.MaxValue (the generator reports both).</summary>
    public static int Count(int channels, int height, int width)
    {
        long count = (long)channels * height * width;
        return channels < 1 || height < 1 || width < 1 || count > int.MaxValue ? 0 : (int)count;
    }
}
