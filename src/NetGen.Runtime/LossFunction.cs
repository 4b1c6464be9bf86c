namespace NetGen;

/// <summary>The loss a network is trained to minimise (each matches PyTorch's definition, so PyTorch can serve as an oracle).</summary>
public enum LossFunction
{
    /// <summary>L = (1/K) sum_k (y_k - t_k)^2, so dL/dy_k = 2 (y_k - t_k) / K.</summary>
    MeanSquaredError,

    /// <summary>L = -sum_k t_k ln p_k over a Softmax output; targets are probabilities (e.g. one-hot).</summary>
    CrossEntropy,

    /// <summary>L = -(1/K) sum_k [t ln p + (1 - t) ln(1 - p)] over a Sigmoid output.</summary>
    BinaryCrossEntropy,
}
