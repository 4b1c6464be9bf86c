using NetGen;

namespace CompileCost;

/// <summary>E: 256 inputs, five layers of 256 units, the first four ReLU, the last identity; biases.</summary>
[Network(256)]
[Dense(256, Activation.ReLU)]
[Dense(256, Activation.ReLU)]
[Dense(256, Activation.ReLU)]
[Dense(256, Activation.ReLU)]
[Dense(256)]
public sealed partial class NetE;
