using NetGen;

namespace CompileCost;

/// <summary>A: 2-2-1, ReLU hidden, no biases, identity output.</summary>
[Network(2)]
[Dense(2, Activation.ReLU, Bias = false)]
[Dense(1, Bias = false)]
public sealed partial class NetA;
