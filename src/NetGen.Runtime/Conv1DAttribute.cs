using System;

namespace NetGen;

/// <summary>
/// A causal one-dimensional convolution over time, a layer of the network declared by <see cref="NetworkAttribute"/>
/// on the same class, computed as PyTorch's <c>torch.nn.Conv1d</c> on the sequence left-padded with
/// (kernelSize - 1) * dilation zeros: at time step t, output channel o is
/// <code>
/// z_o = b_o + sum over input channels c and taps j of w[o, c, j] * x(t - (kernelSize - 1 - j) * dilation)_c
/// a_o = activation(z_o)
/// </code>
/// so the output at step t sees the inputs of steps t - (kernelSize - 1) * dilation to t, and nothing later. A network
/// with a convolution over time is a streaming model: one Forward call is one time step, and the inputs the kernel
/// still needs carry over in a <c>State</c> (zeros before the first step).
/// </summary>
/// <remarks>
/// Parameters, in this order: the weights <c>[outChannels, inputChannels, kernelSize]</c> row-major, the layout of
/// <c>torch.nn.Conv1d.weight</c>, then the biases <c>[outChannels]</c> (none when <see cref="Bias"/> is false). The input
/// channels are the values one step brings in: the network's inputs, or the previous layer's outputs.
/// </remarks>
/// <param name="outChannels">The number of output channels (values the layer puts out each step), 1 or more.</param>
/// <param name="kernelSize">The number of taps, 1 or more.</param>
/// <param name="activation">The activation applied to each output channel. Default <see cref="Activation.Identity"/>.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class Conv1DAttribute(int outChannels, int kernelSize, Activation activation = Activation.Identity) : Attribute
{
    /// <summary>The number of output channels.</summary>
    public int OutChannels { get; } = outChannels;

    /// <summary>The number of taps.</summary>
    public int KernelSize { get; } = kernelSize;

    /// <summary>The activation applied to each output channel.</summary>
    public Activation Activation { get; } = activation;

    /// <summary>The spacing of the taps, in time steps, 1 or more. Default 1.</summary>
    public int Dilation { get; set; } = 1;

    /// <summary>Whether each output channel adds a trainable bias. Default <c>true</c>.</summary>
    public bool Bias { get; set; } = true;
}
