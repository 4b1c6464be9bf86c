using System;

namespace NetGen;

/// <summary>
/// A gated recurrent unit layer of the network declared by <see cref="NetworkAttribute"/> on the same class, computed
/// as PyTorch's <c>torch.nn.GRU</c> (one layer, batch of one): at each time step, from the step's input x and the
/// layer's hidden values h of the step before,
/// <code>
/// r  = sigmoid(W_ir x + b_ir + W_hr h + b_hr)        the reset gate
/// z  = sigmoid(W_iz x + b_iz + W_hz h + b_hz)        the update gate
/// n  = tanh(W_in x + b_in + r * (W_hn h + b_hn))     the candidate values
/// h' = (1 - z) * n + z * h                           the new hidden values, which are also the layer's output
/// </code>
/// A network with a recurrent layer is a streaming model: one Forward call is one time step, and the hidden values
/// carry over in a <c>State</c>.
/// </summary>
/// <remarks>
/// Parameters, in this order, each row-major: <c>weight_ih [3 * units, inputs]</c> (the rows of r, then z, then n),
/// <c>weight_hh [3 * units, units]</c>, <c>bias_ih [3 * units]</c>, <c>bias_hh [3 * units]</c> (no biases when
/// <see cref="Bias"/> is false): a PyTorch state_dict's <c>weight_ih_l0</c>, <c>weight_hh_l0</c>,
/// <c>bias_ih_l0</c>, <c>bias_hh_l0</c>, copied as they are.
/// </remarks>
/// <param name="units">The number of hidden values, 1 or more.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class GruAttribute(int units) : Attribute
{
    /// <summary>The number of hidden values.</summary>
    public int Units { get; } = units;

    /// <summary>Whether the layer has the biases b_i and b_h. Default <c>true</c>.</summary>
    public bool Bias { get; set; } = true;
}
