using NetGen;

namespace CompileCost;

/// <summary>B: 4-8-3, ReLU hidden, biases, identity output.</summary>
[Network(4)]
[Dense(8, Activation.ReLU)]
[Dense(3)]
public sealed partial class NetB;
