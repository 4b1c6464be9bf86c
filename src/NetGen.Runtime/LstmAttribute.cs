using System;

namespace NetGen;

/// <summary>
/// A long short-term memory layer of the network declared by <see cref="NetworkAttribute"/> on the same class,
/// computed as PyTorch's <c>torch.nn.LSTM</c> (one layer, batch of one): at each time step, from the step's input x
/// and the layer's hidden values h and cell values c of the step before,
/// <code>
/// i  = sigmoid(W_ii x + b_ii + W_hi h + b_hi)        the input gate
/// f  = sigmoid(W_if x + b_if + W_hf h + b_hf)        the forget gate
/// g  = tanh(W_ig x + b_ig + W_hg h + b_hg)           the candidate cell values
/// o  = sigmoid(W_io x + b_io + W_ho h + b_ho)        the output gate
/// c' = f * c + i * g                                 the new cell values
/// h' = o * tanh(c')                                  the new hidden values, which are also the layer's output
/// </code>
/// A network with a recurrent layer is a streaming model: one Forward call is one time step, and the hidden and cell
/// values carry over in a <c>State</c>.
/// </summary>
/// <remarks>
/// Parameters, in this order, each row-major: <c>weight_ih [4 * units, inputs]</c> (the rows of i, f, g, then o),
/// <c>weight_hh [4 * units, units]</c>, <c>bias_ih [4 * units]</c>, <c>bias_hh [4 * units]</c> (no biases when
/// <see cref="Bias"/> is false): a PyTorch state_dict's <c>weight_ih_l0</c>, <c>weight_hh_l0</c>,
/// <c>bias_ih_l0</c>, <c>bias_hh_l0</c>, copied as they are.
/// </remarks>
/// <param name="units">The number of hidden values, 1 or more.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class LstmAttribute(int units) : Attribute
{
    /// <summary>The number of hidden values (and of cell values).</summary>
    public int Units { get; } = units;

    /// <summary>Whether the layer has the biases b_i and b_h. Default <c>true</c>.</summary>
    public bool Bias { get; set; } = true;
}
