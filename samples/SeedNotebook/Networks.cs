using NetGen;

namespace SeedNotebook;

// The networks of the seed notebook, in double precision so the figures come out exact.

/// <summary>Example 1: 2 inputs -> 2 hidden nodes -> 1 output, no activation, no biases.</summary>
[Network<double>(2)]
[Dense(2, Bias = false)]
[Dense(1, Bias = false)]
public partial class TwoTwoOne;

/// <summary>Example 2: 3 inputs -> 1 output, no activation, no bias.</summary>
[Network<double>(3)]
[Dense(1, Bias = false)]
public partial class ThreeToOne;

/// <summary>Example 3: one weight.</summary>
[Network<double>(1)]
[Dense(1, Bias = false)]
public partial class OneWeight;

/// <summary>Example 4: the seed network, 2 -> 2 (ReLU) -> 1, no biases.</summary>
[Network<double>(2)]
[Dense(2, Activation.ReLU, Bias = false)]
[Dense(1, Bias = false)]
public partial class SeedNet;
