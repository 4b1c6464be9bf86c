namespace NetGen;

// Also compiled into the generator (NetGen.Generator.csproj links this file), where it is internal: one definition
// of every value, for the attributes users write and for the generator that reads them.
/// <summary>The loss a network is trained to minimise (each matches PyTorch's definition, so PyTorch can serve as an oracle).</summary>
#if NETGEN_GENERATOR
internal
#else
public
#endif
enum LossFunction
{
    /// <summary>L = (1/K) sum_k (y_k - t_k)^2, so dL/dy_k = 2 (y_k - t_k) / K.</summary>
    MeanSquaredError,

    /// <summary>L = -sum_k t_k ln p_k over a Softmax output; targets are probabilities (e.g. one-hot).</summary>
    CrossEntropy,

    /// <summary>L = -(1/K) sum_k [t ln p + (1 - t) ln(1 - p)] over a Sigmoid output.</summary>
    BinaryCrossEntropy,
}
