using NetGen;

namespace NetGen.Benchmarks.Planner;

// One ReLU layer of each size, written both ways, to find where loops overtake straight-line code. The 32x32
// layer and the stack of four 16x16 layers (1,024 weights each) measured in docs/planner.md are past the cap
// that measurement set (Planner.UnrollMaxWeights = 768), so they can no longer be generated unrolled.

[Network(4, Code = CodeShape.Unrolled)]
[Dense(4, Activation.ReLU)]
public sealed partial class Layer4x4Unrolled;

[Network(4, Code = CodeShape.Loops)]
[Dense(4, Activation.ReLU)]
public sealed partial class Layer4x4Loops;

[Network(8, Code = CodeShape.Unrolled)]
[Dense(8, Activation.ReLU)]
public sealed partial class Layer8x8Unrolled;

[Network(8, Code = CodeShape.Loops)]
[Dense(8, Activation.ReLU)]
public sealed partial class Layer8x8Loops;

[Network(16, Code = CodeShape.Unrolled)]
[Dense(8, Activation.ReLU)]
public sealed partial class Layer16x8Unrolled;

[Network(16, Code = CodeShape.Loops)]
[Dense(8, Activation.ReLU)]
public sealed partial class Layer16x8Loops;

[Network(16, Code = CodeShape.Unrolled)]
[Dense(16, Activation.ReLU)]
public sealed partial class Layer16x16Unrolled;

[Network(16, Code = CodeShape.Loops)]
[Dense(16, Activation.ReLU)]
public sealed partial class Layer16x16Loops;

[Network(32, Code = CodeShape.Unrolled)]
[Dense(16, Activation.ReLU)]
public sealed partial class Layer32x16Unrolled;

[Network(32, Code = CodeShape.Loops)]
[Dense(16, Activation.ReLU)]
public sealed partial class Layer32x16Loops;

[Network(16, Code = CodeShape.Unrolled)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
public sealed partial class Deep3x256Unrolled;

[Network(16, Code = CodeShape.Loops)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU)]
public sealed partial class Deep3x256Loops;
