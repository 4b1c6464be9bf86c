using NetGen;

namespace NetGen.Tests.PyTorch;

// The networks of Fixtures/activations/*.json, each declared in the forms its fixture is checked in. A small one
// (3 -> 5 -> 2, 25 weights) is straight-line code under CodeShape.Auto, in double and float. A wide one
// (40 -> 16 -> 12 -> 3) under Auto is SIMD loops for its first two layers (640 and 192 weights, over the planner's
// 128) and straight-line code for the last (36); with Code = CodeShape.Loops every layer is SIMD loops and TrainBatch
// goes in blocks of 8 samples, in double and float.

/// <summary>Fixture Identity-small, double.</summary>
[Network<double>(3)]
[Dense(5, Activation.Identity)]
[Dense(2, Activation.Identity)]
public partial class IdentitySmallDouble;

/// <summary>Fixture Identity-small, float.</summary>
[Network(3)]
[Dense(5, Activation.Identity)]
[Dense(2, Activation.Identity)]
public partial class IdentitySmallFloat;

/// <summary>Fixture Identity-wide, double.</summary>
[Network<double>(40)]
[Dense(16, Activation.Identity)]
[Dense(12, Activation.Identity, Bias = false)]
[Dense(3, Activation.Identity)]
public partial class IdentityWideDouble;

/// <summary>Fixture Identity-wide, double, every layer as loops.</summary>
[Network<double>(40, Code = CodeShape.Loops)]
[Dense(16, Activation.Identity)]
[Dense(12, Activation.Identity, Bias = false)]
[Dense(3, Activation.Identity)]
public partial class IdentityWideLoopsDouble;

/// <summary>Fixture Identity-wide, float, every layer as loops.</summary>
[Network(40, Code = CodeShape.Loops)]
[Dense(16, Activation.Identity)]
[Dense(12, Activation.Identity, Bias = false)]
[Dense(3, Activation.Identity)]
public partial class IdentityWideLoopsFloat;

/// <summary>Fixture ReLU-small, double.</summary>
[Network<double>(3)]
[Dense(5, Activation.ReLU)]
[Dense(2, Activation.ReLU)]
public partial class ReLUSmallDouble;

/// <summary>Fixture ReLU-small, float.</summary>
[Network(3)]
[Dense(5, Activation.ReLU)]
[Dense(2, Activation.ReLU)]
public partial class ReLUSmallFloat;

/// <summary>Fixture ReLU-wide, double.</summary>
[Network<double>(40)]
[Dense(16, Activation.ReLU)]
[Dense(12, Activation.ReLU, Bias = false)]
[Dense(3, Activation.ReLU)]
public partial class ReLUWideDouble;

/// <summary>Fixture ReLU-wide, double, every layer as loops.</summary>
[Network<double>(40, Code = CodeShape.Loops)]
[Dense(16, Activation.ReLU)]
[Dense(12, Activation.ReLU, Bias = false)]
[Dense(3, Activation.ReLU)]
public partial class ReLUWideLoopsDouble;

/// <summary>Fixture ReLU-wide, float, every layer as loops.</summary>
[Network(40, Code = CodeShape.Loops)]
[Dense(16, Activation.ReLU)]
[Dense(12, Activation.ReLU, Bias = false)]
[Dense(3, Activation.ReLU)]
public partial class ReLUWideLoopsFloat;

/// <summary>Fixture LeakyReLU-small, double.</summary>
[Network<double>(3)]
[Dense(5, Activation.LeakyReLU)]
[Dense(2, Activation.LeakyReLU)]
public partial class LeakyReLUSmallDouble;

/// <summary>Fixture LeakyReLU-small, float.</summary>
[Network(3)]
[Dense(5, Activation.LeakyReLU)]
[Dense(2, Activation.LeakyReLU)]
public partial class LeakyReLUSmallFloat;

/// <summary>Fixture LeakyReLU-wide, double.</summary>
[Network<double>(40)]
[Dense(16, Activation.LeakyReLU)]
[Dense(12, Activation.LeakyReLU, Bias = false)]
[Dense(3, Activation.LeakyReLU)]
public partial class LeakyReLUWideDouble;

/// <summary>Fixture LeakyReLU-wide, double, every layer as loops.</summary>
[Network<double>(40, Code = CodeShape.Loops)]
[Dense(16, Activation.LeakyReLU)]
[Dense(12, Activation.LeakyReLU, Bias = false)]
[Dense(3, Activation.LeakyReLU)]
public partial class LeakyReLUWideLoopsDouble;

/// <summary>Fixture LeakyReLU-wide, float, every layer as loops.</summary>
[Network(40, Code = CodeShape.Loops)]
[Dense(16, Activation.LeakyReLU)]
[Dense(12, Activation.LeakyReLU, Bias = false)]
[Dense(3, Activation.LeakyReLU)]
public partial class LeakyReLUWideLoopsFloat;

/// <summary>Fixture Sigmoid-small, double.</summary>
[Network<double>(3)]
[Dense(5, Activation.Sigmoid)]
[Dense(2, Activation.Sigmoid)]
public partial class SigmoidSmallDouble;

/// <summary>Fixture Sigmoid-small, float.</summary>
[Network(3)]
[Dense(5, Activation.Sigmoid)]
[Dense(2, Activation.Sigmoid)]
public partial class SigmoidSmallFloat;

/// <summary>Fixture Sigmoid-wide, double.</summary>
[Network<double>(40)]
[Dense(16, Activation.Sigmoid)]
[Dense(12, Activation.Sigmoid, Bias = false)]
[Dense(3, Activation.Sigmoid)]
public partial class SigmoidWideDouble;

/// <summary>Fixture Sigmoid-wide, double, every layer as loops.</summary>
[Network<double>(40, Code = CodeShape.Loops)]
[Dense(16, Activation.Sigmoid)]
[Dense(12, Activation.Sigmoid, Bias = false)]
[Dense(3, Activation.Sigmoid)]
public partial class SigmoidWideLoopsDouble;

/// <summary>Fixture Sigmoid-wide, float, every layer as loops.</summary>
[Network(40, Code = CodeShape.Loops)]
[Dense(16, Activation.Sigmoid)]
[Dense(12, Activation.Sigmoid, Bias = false)]
[Dense(3, Activation.Sigmoid)]
public partial class SigmoidWideLoopsFloat;

/// <summary>Fixture Tanh-small, double.</summary>
[Network<double>(3)]
[Dense(5, Activation.Tanh)]
[Dense(2, Activation.Tanh)]
public partial class TanhSmallDouble;

/// <summary>Fixture Tanh-small, float.</summary>
[Network(3)]
[Dense(5, Activation.Tanh)]
[Dense(2, Activation.Tanh)]
public partial class TanhSmallFloat;

/// <summary>Fixture Tanh-wide, double.</summary>
[Network<double>(40)]
[Dense(16, Activation.Tanh)]
[Dense(12, Activation.Tanh, Bias = false)]
[Dense(3, Activation.Tanh)]
public partial class TanhWideDouble;

/// <summary>Fixture Tanh-wide, double, every layer as loops.</summary>
[Network<double>(40, Code = CodeShape.Loops)]
[Dense(16, Activation.Tanh)]
[Dense(12, Activation.Tanh, Bias = false)]
[Dense(3, Activation.Tanh)]
public partial class TanhWideLoopsDouble;

/// <summary>Fixture Tanh-wide, float, every layer as loops.</summary>
[Network(40, Code = CodeShape.Loops)]
[Dense(16, Activation.Tanh)]
[Dense(12, Activation.Tanh, Bias = false)]
[Dense(3, Activation.Tanh)]
public partial class TanhWideLoopsFloat;

/// <summary>Fixture ELU-small, double.</summary>
[Network<double>(3)]
[Dense(5, Activation.ELU)]
[Dense(2, Activation.ELU)]
public partial class ELUSmallDouble;

/// <summary>Fixture ELU-small, float.</summary>
[Network(3)]
[Dense(5, Activation.ELU)]
[Dense(2, Activation.ELU)]
public partial class ELUSmallFloat;

/// <summary>Fixture ELU-wide, double.</summary>
[Network<double>(40)]
[Dense(16, Activation.ELU)]
[Dense(12, Activation.ELU, Bias = false)]
[Dense(3, Activation.ELU)]
public partial class ELUWideDouble;

/// <summary>Fixture ELU-wide, double, every layer as loops.</summary>
[Network<double>(40, Code = CodeShape.Loops)]
[Dense(16, Activation.ELU)]
[Dense(12, Activation.ELU, Bias = false)]
[Dense(3, Activation.ELU)]
public partial class ELUWideLoopsDouble;

/// <summary>Fixture ELU-wide, float, every layer as loops.</summary>
[Network(40, Code = CodeShape.Loops)]
[Dense(16, Activation.ELU)]
[Dense(12, Activation.ELU, Bias = false)]
[Dense(3, Activation.ELU)]
public partial class ELUWideLoopsFloat;

/// <summary>Fixture GELU-small, double.</summary>
[Network<double>(3)]
[Dense(5, Activation.GELU)]
[Dense(2, Activation.GELU)]
public partial class GELUSmallDouble;

/// <summary>Fixture GELU-small, float.</summary>
[Network(3)]
[Dense(5, Activation.GELU)]
[Dense(2, Activation.GELU)]
public partial class GELUSmallFloat;

/// <summary>Fixture GELU-wide, double.</summary>
[Network<double>(40)]
[Dense(16, Activation.GELU)]
[Dense(12, Activation.GELU, Bias = false)]
[Dense(3, Activation.GELU)]
public partial class GELUWideDouble;

/// <summary>Fixture GELU-wide, double, every layer as loops.</summary>
[Network<double>(40, Code = CodeShape.Loops)]
[Dense(16, Activation.GELU)]
[Dense(12, Activation.GELU, Bias = false)]
[Dense(3, Activation.GELU)]
public partial class GELUWideLoopsDouble;

/// <summary>Fixture GELU-wide, float, every layer as loops.</summary>
[Network(40, Code = CodeShape.Loops)]
[Dense(16, Activation.GELU)]
[Dense(12, Activation.GELU, Bias = false)]
[Dense(3, Activation.GELU)]
public partial class GELUWideLoopsFloat;

/// <summary>Fixture SiLU-small, double.</summary>
[Network<double>(3)]
[Dense(5, Activation.SiLU)]
[Dense(2, Activation.SiLU)]
public partial class SiLUSmallDouble;

/// <summary>Fixture SiLU-small, float.</summary>
[Network(3)]
[Dense(5, Activation.SiLU)]
[Dense(2, Activation.SiLU)]
public partial class SiLUSmallFloat;

/// <summary>Fixture SiLU-wide, double.</summary>
[Network<double>(40)]
[Dense(16, Activation.SiLU)]
[Dense(12, Activation.SiLU, Bias = false)]
[Dense(3, Activation.SiLU)]
public partial class SiLUWideDouble;

/// <summary>Fixture SiLU-wide, double, every layer as loops.</summary>
[Network<double>(40, Code = CodeShape.Loops)]
[Dense(16, Activation.SiLU)]
[Dense(12, Activation.SiLU, Bias = false)]
[Dense(3, Activation.SiLU)]
public partial class SiLUWideLoopsDouble;

/// <summary>Fixture SiLU-wide, float, every layer as loops.</summary>
[Network(40, Code = CodeShape.Loops)]
[Dense(16, Activation.SiLU)]
[Dense(12, Activation.SiLU, Bias = false)]
[Dense(3, Activation.SiLU)]
public partial class SiLUWideLoopsFloat;

/// <summary>Fixture Softplus-small, double.</summary>
[Network<double>(3)]
[Dense(5, Activation.Softplus)]
[Dense(2, Activation.Softplus)]
public partial class SoftplusSmallDouble;

/// <summary>Fixture Softplus-small, float.</summary>
[Network(3)]
[Dense(5, Activation.Softplus)]
[Dense(2, Activation.Softplus)]
public partial class SoftplusSmallFloat;

/// <summary>Fixture Softplus-wide, double.</summary>
[Network<double>(40)]
[Dense(16, Activation.Softplus)]
[Dense(12, Activation.Softplus, Bias = false)]
[Dense(3, Activation.Softplus)]
public partial class SoftplusWideDouble;

/// <summary>Fixture Softplus-wide, double, every layer as loops.</summary>
[Network<double>(40, Code = CodeShape.Loops)]
[Dense(16, Activation.Softplus)]
[Dense(12, Activation.Softplus, Bias = false)]
[Dense(3, Activation.Softplus)]
public partial class SoftplusWideLoopsDouble;

/// <summary>Fixture Softplus-wide, float, every layer as loops.</summary>
[Network(40, Code = CodeShape.Loops)]
[Dense(16, Activation.Softplus)]
[Dense(12, Activation.Softplus, Bias = false)]
[Dense(3, Activation.Softplus)]
public partial class SoftplusWideLoopsFloat;

/// <summary>Fixture CrossEntropy-small, double.</summary>
[Network<double>(4, Loss = NetGen.LossFunction.CrossEntropy)]
[Dense(6, Activation.GELU)]
[Dense(3, Activation.Softmax)]
public partial class CrossEntropySmallDouble;

/// <summary>Fixture CrossEntropy-small, float.</summary>
[Network(4, Loss = NetGen.LossFunction.CrossEntropy)]
[Dense(6, Activation.GELU)]
[Dense(3, Activation.Softmax)]
public partial class CrossEntropySmallFloat;

/// <summary>Fixture CrossEntropy-wide, double.</summary>
[Network<double>(40, Loss = NetGen.LossFunction.CrossEntropy)]
[Dense(16, Activation.SiLU)]
[Dense(12, Activation.ELU, Bias = false)]
[Dense(3, Activation.Softmax)]
public partial class CrossEntropyWideDouble;

/// <summary>Fixture CrossEntropy-wide, double, every layer as loops.</summary>
[Network<double>(40, Loss = NetGen.LossFunction.CrossEntropy, Code = CodeShape.Loops)]
[Dense(16, Activation.SiLU)]
[Dense(12, Activation.ELU, Bias = false)]
[Dense(3, Activation.Softmax)]
public partial class CrossEntropyWideLoopsDouble;

/// <summary>Fixture CrossEntropy-wide, float, every layer as loops.</summary>
[Network(40, Loss = NetGen.LossFunction.CrossEntropy, Code = CodeShape.Loops)]
[Dense(16, Activation.SiLU)]
[Dense(12, Activation.ELU, Bias = false)]
[Dense(3, Activation.Softmax)]
public partial class CrossEntropyWideLoopsFloat;

/// <summary>Fixture BinaryCrossEntropy-small, double.</summary>
[Network<double>(3, Loss = NetGen.LossFunction.BinaryCrossEntropy)]
[Dense(5, Activation.Softplus)]
[Dense(2, Activation.Sigmoid)]
public partial class BinaryCrossEntropySmallDouble;

/// <summary>Fixture BinaryCrossEntropy-small, float.</summary>
[Network(3, Loss = NetGen.LossFunction.BinaryCrossEntropy)]
[Dense(5, Activation.Softplus)]
[Dense(2, Activation.Sigmoid)]
public partial class BinaryCrossEntropySmallFloat;

/// <summary>Fixture BinaryCrossEntropy-wide, double.</summary>
[Network<double>(40, Loss = NetGen.LossFunction.BinaryCrossEntropy)]
[Dense(16, Activation.GELU)]
[Dense(12, Activation.Softplus, Bias = false)]
[Dense(3, Activation.Sigmoid)]
public partial class BinaryCrossEntropyWideDouble;

/// <summary>Fixture BinaryCrossEntropy-wide, double, every layer as loops.</summary>
[Network<double>(40, Loss = NetGen.LossFunction.BinaryCrossEntropy, Code = CodeShape.Loops)]
[Dense(16, Activation.GELU)]
[Dense(12, Activation.Softplus, Bias = false)]
[Dense(3, Activation.Sigmoid)]
public partial class BinaryCrossEntropyWideLoopsDouble;

/// <summary>Fixture BinaryCrossEntropy-wide, float, every layer as loops.</summary>
[Network(40, Loss = NetGen.LossFunction.BinaryCrossEntropy, Code = CodeShape.Loops)]
[Dense(16, Activation.GELU)]
[Dense(12, Activation.Softplus, Bias = false)]
[Dense(3, Activation.Sigmoid)]
public partial class BinaryCrossEntropyWideLoopsFloat;
