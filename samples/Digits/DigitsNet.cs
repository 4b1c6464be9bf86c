using NetGen;

namespace Digits;

/// <summary>
/// 8x8 images of handwritten digits (64 block counts, standardised) -> 128 ReLU nodes -> 10 class probabilities.
/// The first layer (8,192 weights) is written as loops, the second (1,280) too; see docs/planner.md.
/// </summary>
[Network(64, Loss = NetGen.LossFunction.CrossEntropy)]
[Dense(128, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public sealed partial class DigitsNet;
