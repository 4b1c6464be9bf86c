using NetGen;

namespace CompileCost;

/// <summary>D: 784-128-10, ReLU hidden, biases, identity output.</summary>
[Network(784)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public sealed partial class NetD;
