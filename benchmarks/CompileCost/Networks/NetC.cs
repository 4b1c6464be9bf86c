using NetGen;

namespace CompileCost;

/// <summary>C: 64-32-10, ReLU hidden, biases, identity output.</summary>
[Network(64)]
[Dense(32, Activation.ReLU)]
[Dense(10)]
public sealed partial class NetC;
