using NetGen;

namespace NetGen.Tests;

// The networks these tests run, generated at build time by the analyzer exactly as in a user's project.

// ---- The seed notebook, in double precision. ----

/// <summary>Seed example 1: 2 -> 2 -> 1, identity, no biases.</summary>
[Network<double>(2)]
[Dense(2, Bias = false)]
[Dense(1, Bias = false)]
public partial class SeedTwoTwoOne;

/// <summary>Seed example 2: 3 -> 1, identity, no bias.</summary>
[Network<double>(3)]
[Dense(1, Bias = false)]
public partial class SeedThreeToOne;

/// <summary>Seed example 3: one weight.</summary>
[Network<double>(1)]
[Dense(1, Bias = false)]
public partial class SeedOneWeight;

/// <summary>Seed example 4: 2 -> 2 (ReLU) -> 1, no biases.</summary>
[Network<double>(2)]
[Dense(2, Activation.ReLU, Bias = false)]
[Dense(1, Bias = false)]
public partial class SeedReLUNet;

// ---- Small networks, straight-line code under CodeShape.Auto. Every activation, with and without bias. ----

/// <summary>float, unrolled: every activation, one layer without bias.</summary>
[Network(3)]
[Dense(5, Activation.ReLU)]
[Dense(4, Activation.LeakyReLU, Bias = false)]
[Dense(3, Activation.Sigmoid)]
[Dense(2, Activation.Tanh)]
[Dense(2)]
public partial class MixedFloat;

/// <summary>double, unrolled: every activation, in another order, other layers without bias.</summary>
[Network<double>(4)]
[Dense(6, Activation.Tanh, Bias = false)]
[Dense(5, Activation.Sigmoid)]
[Dense(4, Activation.ReLU, Bias = false)]
[Dense(3, Activation.LeakyReLU)]
[Dense(2, Activation.Identity)]
public partial class MixedDouble;

/// <summary>float, unrolled, one output (so it has Predict).</summary>
[Network(3)]
[Dense(4, Activation.Sigmoid)]
[Dense(1)]
public partial class PredictFloat;

/// <summary>double, unrolled, one output (so it has Predict).</summary>
[Network<double>(2)]
[Dense(3, Activation.LeakyReLU)]
[Dense(1, Activation.Tanh)]
public partial class PredictDouble;

// ---- Wide enough that CodeShape.Auto writes loops for the first layer and straight-line code for the last. ----

/// <summary>float 70 -> 40 (ReLU) -> 3: the first layer (2,800 weights) is looped, the last (120) unrolled.</summary>
[Network(70)]
[Dense(40, Activation.ReLU)]
[Dense(3)]
public partial class WideFloat;

/// <summary>double 70 -> 40 (Tanh, no bias) -> 3 (Sigmoid): looped, then unrolled (120 weights).</summary>
[Network<double>(70)]
[Dense(40, Activation.Tanh, Bias = false)]
[Dense(3, Activation.Sigmoid)]
public partial class WideDouble;

// ---- Auto with the network's own threshold (MaxUnrolledLayerWeights) instead of the planner's 128. ----

/// <summary>float 32 -> 16 (ReLU) -> 2: the first layer (512 weights) is unrolled, over the default threshold.</summary>
[Network(32, MaxUnrolledLayerWeights = 512)]
[Dense(16, Activation.ReLU)]
[Dense(2)]
public partial class ThresholdRaisedFloat;

/// <summary>double 8 -> 8 (Tanh) -> 2 (Sigmoid, no bias): the first layer (64 weights) loops, the last (16) is unrolled.</summary>
[Network<double>(8, MaxUnrolledLayerWeights = 16)]
[Dense(8, Activation.Tanh)]
[Dense(2, Activation.Sigmoid, Bias = false)]
public partial class ThresholdLoweredDouble;

// ---- Forced shapes. ----

/// <summary>float, every layer as loops, though small.</summary>
[Network(4, Code = CodeShape.Loops)]
[Dense(6, Activation.LeakyReLU)]
[Dense(5, Activation.Sigmoid, Bias = false)]
[Dense(2)]
public partial class LoopsFloat;

/// <summary>double, every layer as loops, though small.</summary>
[Network<double>(5, Code = CodeShape.Loops)]
[Dense(7, Activation.ReLU, Bias = false)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Identity)]
public partial class LoopsDouble;

/// <summary>float, every layer unrolled: 288 + 72 weights, the first layer over Auto's 128-weight threshold.</summary>
[Network(12, Code = CodeShape.Unrolled)]
[Dense(24, Activation.ReLU, Bias = false)]
[Dense(3, Activation.LeakyReLU)]
public partial class UnrolledFloat;

/// <summary>double, every layer unrolled: 600 + 60 weights, the first layer over Auto's 128-weight threshold.</summary>
[Network<double>(20, Code = CodeShape.Unrolled)]
[Dense(30, Activation.Tanh)]
[Dense(2, Activation.Sigmoid, Bias = false)]
public partial class UnrolledDouble;

/// <summary>float, loops, one output and 16 inputs (so it has Predict).</summary>
[Network(16, Code = CodeShape.Loops)]
[Dense(80, Activation.ReLU)]
[Dense(1)]
public partial class PredictLoopsFloat;

/// <summary>double, loops, one output and 16 inputs (so it has Predict).</summary>
[Network<double>(16, Code = CodeShape.Loops)]
[Dense(80, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class PredictLoopsDouble;

// ---- The cross-entropy losses: Softmax with CrossEntropy, Sigmoid with BinaryCrossEntropy. ----

/// <summary>float, unrolled, Softmax output with cross-entropy.</summary>
[Network(4, Loss = NetGen.LossFunction.CrossEntropy)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class CrossEntropyFloat;

/// <summary>double, loops, Softmax output (no bias) with cross-entropy.</summary>
[Network<double>(6, Loss = NetGen.LossFunction.CrossEntropy, Code = CodeShape.Loops)]
[Dense(10, Activation.LeakyReLU)]
[Dense(4, Activation.Softmax, Bias = false)]
public partial class CrossEntropyDouble;

/// <summary>double, unrolled, Sigmoid outputs with binary cross-entropy.</summary>
[Network<double>(3, Loss = NetGen.LossFunction.BinaryCrossEntropy)]
[Dense(6, Activation.ReLU)]
[Dense(2, Activation.Sigmoid)]
public partial class BinaryDouble;

/// <summary>float, loops, one Sigmoid output with binary cross-entropy.</summary>
[Network(5, Loss = NetGen.LossFunction.BinaryCrossEntropy, Code = CodeShape.Loops)]
[Dense(7, Activation.Sigmoid, Bias = false)]
[Dense(1, Activation.Sigmoid)]
public partial class BinaryFloat;

// ---- Every layer SIMD loops (8 inputs or more per node), so TrainBatch runs in blocks of samples. ----

/// <summary>float, mean squared error, three looped layers of 20, 12 and 9 inputs.</summary>
[Network(20, Code = CodeShape.Loops)]
[Dense(12, Activation.ReLU)]
[Dense(9, Activation.LeakyReLU, Bias = false)]
[Dense(3)]
public partial class BlockedFloat;

/// <summary>double, Softmax output with cross-entropy, looped layers of 10 and 16 inputs.</summary>
[Network<double>(10, Loss = NetGen.LossFunction.CrossEntropy, Code = CodeShape.Loops)]
[Dense(16, Activation.Tanh)]
[Dense(4, Activation.Softmax)]
public partial class BlockedCrossEntropyDouble;

/// <summary>float, Sigmoid outputs with binary cross-entropy, looped layers of 9 and 8 inputs.</summary>
[Network(9, Loss = NetGen.LossFunction.BinaryCrossEntropy, Code = CodeShape.Loops)]
[Dense(8, Activation.Sigmoid, Bias = false)]
[Dense(2, Activation.Sigmoid)]
public partial class BlockedBinaryFloat;

// ---- A user's own constructors: a new instance must start initialised whatever they are. ----

/// <summary>float, with constructors of its own that do not chain to a parameterless one.</summary>
[Network(2)]
[Dense(3, Activation.ReLU)]
[Dense(1)]
public partial class ConstructedNet
{
    public ConstructedNet(int tag) => Tag = tag;

    public ConstructedNet(string name)
        : this(name.Length)
    {
    }

    public int Tag { get; }
}

// ---- ELU, GELU, SiLU and Softplus, whose slopes are computed from z: every code form. ----

/// <summary>float, unrolled: each of the four, one layer without bias.</summary>
[Network(3)]
[Dense(5, Activation.ELU)]
[Dense(4, Activation.GELU, Bias = false)]
[Dense(3, Activation.SiLU)]
[Dense(2, Activation.Softplus)]
[Dense(2)]
public partial class SmoothFloat;

/// <summary>double, scalar loops (rows under 8 values), keeping z for the slopes.</summary>
[Network<double>(5, Code = CodeShape.Loops)]
[Dense(6, Activation.GELU)]
[Dense(5, Activation.SiLU, Bias = false)]
[Dense(4, Activation.ELU)]
[Dense(3, Activation.Softplus)]
[Dense(2)]
public partial class SmoothLoopsDouble;

/// <summary>float, SIMD loops with a blocked TrainBatch that keeps a block of z per layer.</summary>
[Network(12, Code = CodeShape.Loops)]
[Dense(16, Activation.GELU)]
[Dense(10, Activation.SiLU, Bias = false)]
[Dense(8, Activation.ELU)]
[Dense(9, Activation.Softplus)]
[Dense(2)]
public partial class BlockedSmoothFloat;

/// <summary>double, SIMD loops and blocked, the last layer SiLU under mean squared error (its z kept for its slope).</summary>
[Network<double>(10, Code = CodeShape.Loops)]
[Dense(12, Activation.Softplus)]
[Dense(9, Activation.ELU, Bias = false)]
[Dense(8, Activation.GELU)]
[Dense(3, Activation.SiLU)]
public partial class BlockedSmoothDouble;

/// <summary>double, Auto: a looped GELU layer (160 weights) before an unrolled Softplus one, and cross-entropy.</summary>
[Network<double>(16, Loss = NetGen.LossFunction.CrossEntropy)]
[Dense(10, Activation.GELU)]
[Dense(6, Activation.Softplus)]
[Dense(3, Activation.Softmax)]
public partial class MixedSmoothDouble;
