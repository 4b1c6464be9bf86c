using System;
using NetGen;

namespace NetGen.Tests.Reliability;

/// <summary>ReLU, straight-line code: a NaN input must reach the outputs.</summary>
[Network(3, Code = CodeShape.Unrolled)]
[Dense(4, Activation.ReLU)]
[Dense(2)]
public partial class NaNReLUUnrolled;

/// <summary>ReLU, scalar loops (rows of fewer than 8 values).</summary>
[Network<double>(3, Code = CodeShape.Loops)]
[Dense(4, Activation.ReLU)]
[Dense(2)]
public partial class NaNReLULoops;

/// <summary>ReLU, SIMD loops with a blocked TrainBatch (every row 8 values or more).</summary>
[Network(12, Code = CodeShape.Loops)]
[Dense(16, Activation.ReLU)]
[Dense(16, Activation.ReLU, Bias = false)]
[Dense(2)]
public partial class NaNReLUKernels;

/// <summary>LeakyReLU, straight-line code and loops in one network.</summary>
[Network<double>(3, MaxUnrolledLayerWeights = 12)]
[Dense(4, Activation.LeakyReLU)]
[Dense(40, Activation.LeakyReLU)]
[Dense(2)]
public partial class NaNLeakyReLUMixed;

/// <summary>
/// A NaN input comes out NaN through every activation, in every code form, as PyTorch gives it (torch.relu(nan) is
/// nan): never as a plausible prediction. ReLU was once written z &gt; 0 ? z : 0, which turns NaN into 0.
/// </summary>
public sealed class NaNPropagationTests
{
    private static void AssertNaNReachesEveryOutput<T>(INetwork<T> network, string what)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(5);
        Support.TestData.RandomizeParameters(network, random);
        T[] input = Support.TestData.Array<T>(network.InputCount, random, -1, 1);
        T[] target = Support.TestData.Array<T>(network.OutputCount, random, -1, 1);
        input[1] = T.NaN;
        var output = new T[network.OutputCount];

        network.Forward(input, output);
        for (int k = 0; k < output.Length; k++)
        {
            Assert.True(T.IsNaN(output[k]), $"{what}: Forward's output {k} is {output[k]}, not NaN");
        }

        Assert.True(T.IsNaN(network.Loss(input, target)), $"{what}: Loss");
        network.ZeroGradients();
        Assert.True(T.IsNaN(network.Backward(input, target)), $"{what}: Backward's loss");
        Assert.True(T.IsNaN(network.TrainStep(input, target, T.CreateChecked(0.01))), $"{what}: TrainStep's loss");
    }

    [Fact]
    public void A_NaN_input_comes_out_NaN_through_ReLU_straight_line_code() =>
        AssertNaNReachesEveryOutput(new NaNReLUUnrolled(), nameof(NaNReLUUnrolled));

    [Fact]
    public void A_NaN_input_comes_out_NaN_through_ReLU_loops() =>
        AssertNaNReachesEveryOutput(new NaNReLULoops(), nameof(NaNReLULoops));

    [Fact]
    public void A_NaN_input_comes_out_NaN_through_ReLU_SIMD_loops() =>
        AssertNaNReachesEveryOutput(new NaNReLUKernels(), nameof(NaNReLUKernels));

    [Fact]
    public void A_NaN_input_comes_out_NaN_through_LeakyReLU() =>
        AssertNaNReachesEveryOutput(new NaNLeakyReLUMixed(), nameof(NaNLeakyReLUMixed));

    [Fact]
    public void A_NaN_sample_makes_the_blocked_TrainBatch_loss_NaN()
    {
        // Eight samples fill one block of NaNReLUKernels' blocked TrainBatch, whose forward pass is its own code.
        var network = new NaNReLUKernels();
        var random = new Random(6);
        Support.TestData.RandomizeParameters(network, random);
        float[] inputs = Support.TestData.Array<float>(8 * NaNReLUKernels.InputCount, random, -1, 1);
        float[] targets = Support.TestData.Array<float>(8 * NaNReLUKernels.OutputCount, random, -1, 1);
        inputs[(3 * NaNReLUKernels.InputCount) + 7] = float.NaN;

        float loss = network.TrainBatch(inputs, targets, 0.01f);

        Assert.True(float.IsNaN(loss), $"TrainBatch's loss is {loss}");
    }
}
