namespace NetGen;

// Also compiled into the generator (NetGen.Generator.csproj links this file), where it is internal: one definition
// of every value, for the attributes users write and for the generator that reads them.
/// <summary>The activation a <see cref="DenseAttribute"/> layer applies to each of its nodes.</summary>
#if NETGEN_GENERATOR
internal
#else
public
#endif
enum Activation
{
    /// <summary>a = z. Slope 1.</summary>
    Identity,

    /// <summary>a = max(0, z). Slope 1 for z &gt; 0, else 0 (PyTorch's choice at 0).</summary>
    ReLU,

    /// <summary>a = z for z &gt; 0, else 0.01 z. Slope 1 or 0.01.</summary>
    LeakyReLU,

    /// <summary>a = 1 / (1 + e^-z). Slope a (1 - a).</summary>
    Sigmoid,

    /// <summary>a = tanh z. Slope 1 - a^2.</summary>
    Tanh,

    /// <summary>a_k = e^z_k / sum_j e^z_j. Only on the last layer, and only with <see cref="LossFunction.CrossEntropy"/>.</summary>
    Softmax,

    /// <summary>a = z for z &gt; 0, else e^z - 1 (nn.ELU, alpha 1). Slope 1, or e^z for z &lt;= 0.</summary>
    ELU,

    /// <summary>
    /// a = z Phi(z) = 0.5 z (1 + erf(z / sqrt 2)), the exact form (nn.GELU's default, not its tanh approximation).
    /// Slope Phi(z) + z phi(z), phi the standard normal density.
    /// </summary>
    GELU,

    /// <summary>a = z sigmoid(z) (nn.SiLU, also called swish). Slope s (1 + z (1 - s)), s = sigmoid(z).</summary>
    SiLU,

    /// <summary>
    /// a = ln(1 + e^z), computed stably, and z itself for z &gt; 20 (nn.Softplus: beta 1, threshold 20). Slope
    /// sigmoid(z), and 1 for z &gt; 20.
    /// </summary>
    Softplus,
}
