using NetGen;

namespace NetGen.Determinism;

// Every code shape whose arithmetic could depend on the machine: SIMD loops in float and double (row lengths that
// are whole blocks of partial sums, and lengths with a short last block and a remainder), straight-line code, and
// the recurrent and convolution kernels of streaming models.

/// <summary>float, SIMD loops: rows of 64 (two whole blocks of 32 partial sums), 48 (a block and a half) and 33.</summary>
[Network(64, Code = CodeShape.Loops)]
[Dense(48, Activation.ReLU)]
[Dense(33, Activation.Tanh)]
[Dense(10)]
public partial class WideFloat;

/// <summary>double, SIMD loops: rows of 40 (two blocks of 16 and 8 more) and 24.</summary>
[Network<double>(40, Code = CodeShape.Loops)]
[Dense(24, Activation.Sigmoid)]
[Dense(5, Activation.GELU)]
public partial class WideDouble;

/// <summary>double, straight-line code.</summary>
[Network<double>(4)]
[Dense(8, Activation.Tanh)]
[Dense(3)]
public partial class NarrowDouble;

/// <summary>float, streaming: a causal convolution, a GRU of 16 (vector gate code) and a Dense output.</summary>
[Network(2)]
[Conv1D(6, 3, Activation.SiLU)]
[Gru(16)]
[Dense(1)]
public partial class StreamingFloat;

/// <summary>double, streaming: an LSTM of 12 and a Dense output.</summary>
[Network<double>(3)]
[Lstm(12)]
[Dense(2, Activation.Tanh)]
public partial class StreamingDouble;

/// <summary>float, an image: a padded Conv2D (GELU), a strided Conv2D, a MaxPool2D and a Dense output.</summary>
[Network(1, 8, 8)]
[Conv2D(4, 3, Activation.GELU, Padding = 1)]
[Conv2D(3, 2, Activation.Tanh, Stride = 2)]
[MaxPool2D(2)]
[Dense(3)]
public partial class ImageFloat;
