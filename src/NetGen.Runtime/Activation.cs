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
}
