using NetGen;

namespace NetGen.Tests.Persistence;

// Networks for the parameter-file tests: two shapes in two element types, and look-alikes that must be refused.

/// <summary>2 -> 2 ReLU -> 1, no biases, float: 6 parameters, a 56-byte file.</summary>
[Network(2)]
[Dense(2, Activation.ReLU, Bias = false)]
[Dense(1, Bias = false)]
public partial class SmallFloatNet;

/// <summary>The same shape in double: 6 parameters, an 80-byte file.</summary>
[Network<double>(2)]
[Dense(2, Activation.ReLU, Bias = false)]
[Dense(1, Bias = false)]
public partial class SmallDoubleNet;

/// <summary>Same parameter count as <see cref="SmallFloatNet"/>, another activation: another topology.</summary>
[Network(2)]
[Dense(2, Activation.Tanh, Bias = false)]
[Dense(1, Bias = false)]
public partial class TanhFloatNet;

/// <summary>A larger float network with biases.</summary>
[Network(3)]
[Dense(5, Activation.LeakyReLU)]
[Dense(2, Activation.Sigmoid)]
public partial class WiderFloatNet;
