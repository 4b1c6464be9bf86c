using NetGen;

namespace NetGen.Benchmarks.Comparison;

// The four networks of the performance issue, declared as NetGen networks with the planner's default rule
// (CodeShape.Auto): A and B are unrolled, C and D are loops (docs/planner.md). Float, mean squared error.

/// <summary>A: 2-2-1, ReLU hidden, no biases, identity output.</summary>
[Network(2)]
[Dense(2, Activation.ReLU, Bias = false)]
[Dense(1, Bias = false)]
public sealed partial class NetA;

/// <summary>B: 4-8-3, ReLU hidden, biases, identity output.</summary>
[Network(4)]
[Dense(8, Activation.ReLU)]
[Dense(3)]
public sealed partial class NetB;

/// <summary>C: 64-32-10, ReLU hidden, biases, identity output.</summary>
[Network(64)]
[Dense(32, Activation.ReLU)]
[Dense(10)]
public sealed partial class NetC;

/// <summary>D: 784-128-10, ReLU hidden, biases, identity output.</summary>
[Network(784)]
[Dense(128, Activation.ReLU)]
[Dense(10)]
public sealed partial class NetD;

// Dense NxN, N = 4 to 64: N inputs -> Dense(N, ReLU) -> Dense(N), biases, identity output, float, mean squared
// error: the square networks timed with fresh inputs against RTNeural (docs/benchmarks.md). The planner's default rule
// decides their shape as for A to D.

/// <summary>Dense 4x4: 4-4-4, ReLU hidden, biases, identity output.</summary>
[Network(4)]
[Dense(4, Activation.ReLU)]
[Dense(4)]
public sealed partial class NetDense4;

/// <summary>Dense 8x8: 8-8-8, ReLU hidden, biases, identity output.</summary>
[Network(8)]
[Dense(8, Activation.ReLU)]
[Dense(8)]
public sealed partial class NetDense8;

/// <summary>Dense 16x16: 16-16-16, ReLU hidden, biases, identity output.</summary>
[Network(16)]
[Dense(16, Activation.ReLU)]
[Dense(16)]
public sealed partial class NetDense16;

/// <summary>Dense 32x32: 32-32-32, ReLU hidden, biases, identity output.</summary>
[Network(32)]
[Dense(32, Activation.ReLU)]
[Dense(32)]
public sealed partial class NetDense32;

/// <summary>Dense 64x64: 64-64-64, ReLU hidden, biases, identity output.</summary>
[Network(64)]
[Dense(64, Activation.ReLU)]
[Dense(64)]
public sealed partial class NetDense64;

// The same four, compiled by [OnnxNetwork] from their ONNX exports (Comparison/Onnx, written by --write-onnx from the
// networks above with the shared starting parameters): the generator must give them the very code of the declarations
// above, so they run exactly as fast, against ONNX Runtime on the same files.

/// <summary>A, compiled from netA.onnx.</summary>
[OnnxNetwork("netA.onnx")]
public sealed partial class OnnxNetA;

/// <summary>B, compiled from netB.onnx.</summary>
[OnnxNetwork("netB.onnx")]
public sealed partial class OnnxNetB;

/// <summary>C, compiled from netC.onnx.</summary>
[OnnxNetwork("netC.onnx")]
public sealed partial class OnnxNetC;

/// <summary>D, compiled from netD.onnx.</summary>
[OnnxNetwork("netD.onnx")]
public sealed partial class OnnxNetD;
