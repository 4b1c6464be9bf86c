using System;

namespace NetGen;

/// <summary>
/// A two-dimensional convolution over an image, a layer of the network declared by
/// <see cref="NetworkAttribute(int, int, int)"/> on the same class, computed as PyTorch's <c>torch.nn.Conv2d</c> with
/// square kernels: output channel o at row r and column c is
/// <code>
/// z[o, r, c] = sum over input channels i, kernel rows u and kernel columns v of
///              w[o, i, u, v] * x[i, r * stride + u - padding, c * stride + v - padding]   (0 outside the image)
///              + b[o]
/// a[o, r, c] = activation(z[o, r, c])
/// </code>
/// The output has (height + 2 * padding - kernelSize) / stride + 1 rows (rounded down), and as many columns by the
/// same rule.
/// </summary>
/// <remarks>
/// Parameters, in this order: the weights <c>[outChannels, inputChannels, kernelSize, kernelSize]</c> row-major, the
/// layout of <c>torch.nn.Conv2d.weight</c>, then the biases <c>[outChannels]</c> (none when <see cref="Bias"/> is false),
/// so a state_dict's <c>weight</c> and <c>bias</c> copy straight in. The values it puts out are laid out CHW, as its
/// input: a <see cref="DenseAttribute"/> after it reads them as <c>torch.flatten(x, 1)</c> gives them.
/// </remarks>
/// <param name="outChannels">The number of output channels (feature maps), 1 or more.</param>
/// <param name="kernelSize">The kernel's height and width, 1 or more, at most the padded input's.</param>
/// <param name="activation">The activation applied to each output value. Default <see cref="Activation.Identity"/>.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv2DAttribute(int outChannels, int kernelSize, Activation activation = Activation.Identity) : Attribute
{
    /// <summary>The number of output channels.</summary>
    public int OutChannels { get; } = outChannels;

    /// <summary>The kernel's height and width.</summary>
    public int KernelSize { get; } = kernelSize;

    /// <summary>The activation applied to each output value.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>The step between windows, in rows and in columns, 1 or more. Default 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>The rows and columns of zeros added on every side of the input, 0 or more. Default 0.</summary>
    public int Padding { get; set; }

    /// <summary>Whether each output channel adds a trainable bias. Default <c>true</c>.</summary>
    public bool Bias { get; set; } = true;
}
