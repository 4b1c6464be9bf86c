using System;
using NetGen;

namespace NetGen.Interop.Tests;

/// <summary>NetworkTopology: the topology text the generator writes, parsed and checked.</summary>
public class NetworkTopologyTests
{
    [Fact]
    public void Parse_TheSeedText()
    {
        var topology = NetworkTopology.Parse("float 2 | 2 ReLU nobias | 1 Identity nobias | MeanSquaredError");

        Assert.Equal(typeof(float), topology.ElementType);
        Assert.Equal(2, topology.InputCount);
        Assert.Equal(1, topology.OutputCount);
        Assert.Equal(LossFunction.MeanSquaredError, topology.Loss);
        Assert.Equal(6, topology.ParameterCount);
        Assert.Equal(2, topology.Layers.Count);
        AssertLayer(topology.Layers[0], index: 0, inputs: 2, units: 2, Activation.ReLU, hasBias: false, weightOffset: 0, parameterCount: 4);
        AssertLayer(topology.Layers[1], index: 1, inputs: 2, units: 1, Activation.Identity, hasBias: false, weightOffset: 4, parameterCount: 2);
    }

    [Fact]
    public void Parse_OffsetsFollowTheParameterLayout()
    {
        // 3 -> 4 Tanh (weights 0..11, biases 12..15) -> 2 Softmax no bias (weights 16..23).
        var topology = NetworkTopology.Parse("double 3 | 4 Tanh | 2 Softmax nobias | CrossEntropy");

        Assert.Equal(typeof(double), topology.ElementType);
        Assert.Equal(LossFunction.CrossEntropy, topology.Loss);
        Assert.Equal(24, topology.ParameterCount);
        AssertLayer(topology.Layers[0], index: 0, inputs: 3, units: 4, Activation.Tanh, hasBias: true, weightOffset: 0, parameterCount: 16);
        Assert.Equal(12, topology.Layers[0].WeightCount);
        Assert.Equal(12, topology.Layers[0].BiasOffset);
        AssertLayer(topology.Layers[1], index: 1, inputs: 4, units: 2, Activation.Softmax, hasBias: false, weightOffset: 16, parameterCount: 8);
    }

    [Theory]
    [InlineData("float 1 | 1 Identity | MeanSquaredError")]
    [InlineData("double 7 | 3 LeakyReLU | 5 Sigmoid nobias | 2 Softmax | CrossEntropy")]
    [InlineData("float 4 | 1 Sigmoid | BinaryCrossEntropy")]
    [InlineData("float 12 | 120 Tanh | 1 Sigmoid | MeanSquaredError")]
    [InlineData("double 3 | 4 ELU | 4 GELU nobias | 4 SiLU | 2 Softplus | MeanSquaredError")]
    public void ToString_GivesTheTextBack(string text) => Assert.Equal(text, NetworkTopology.Parse(text).ToString());

    [Theory]
    [InlineData("Identity", Activation.Identity)]
    [InlineData("ReLU", Activation.ReLU)]
    [InlineData("LeakyReLU", Activation.LeakyReLU)]
    [InlineData("Sigmoid", Activation.Sigmoid)]
    [InlineData("Tanh", Activation.Tanh)]
    [InlineData("ELU", Activation.ELU)]
    [InlineData("GELU", Activation.GELU)]
    [InlineData("SiLU", Activation.SiLU)]
    [InlineData("Softplus", Activation.Softplus)]
    public void Parse_ReadsEveryActivationByItsExactName(string name, Activation activation)
    {
        Assert.Equal(activation, NetworkTopology.Parse($"float 2 | 3 {name} | MeanSquaredError").Layers[0].Activation);
        FormatException e = Assert.Throws<FormatException>(() => NetworkTopology.Parse($"float 2 | 3 {name.ToLowerInvariant()}x | MeanSquaredError"));
        Assert.Contains("ELU, GELU, SiLU, Softplus", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_NetworksWithTheAddedActivations_AgreeWithTheirParameters()
    {
        AssertAgrees(new DeepSmoothNet(), DeepSmoothNet.ParameterCount);
        AssertAgrees(new WideSmoothNet(), WideSmoothNet.ParameterCount);
        Assert.Equal(Activation.GELU, NetworkTopology.Of(new DeepSmoothNet()).Layers[2].Activation);
    }

    [Fact]
    public void LayerToString_IsItsSection()
    {
        var topology = NetworkTopology.Parse("float 3 | 8 ReLU | 1 Identity nobias | MeanSquaredError");

        Assert.Equal("8 ReLU", topology.Layers[0].ToString());
        Assert.Equal("1 Identity nobias", topology.Layers[1].ToString());
    }

    [Fact]
    public void Of_GeneratedNetworks_AgreeWithTheirParameters()
    {
        AssertAgrees(new SeedShapeNet(), SeedShapeNet.ParameterCount);
        AssertAgrees(new TwoLayerNet(), TwoLayerNet.ParameterCount);
        AssertAgrees(new TwoLayerDoubleNet(), TwoLayerDoubleNet.ParameterCount);
        AssertAgrees(new MixedBiasNet(), MixedBiasNet.ParameterCount);
        AssertAgrees(new DeepMixedNet(), DeepMixedNet.ParameterCount);
        AssertAgrees(new WideNet(), WideNet.ParameterCount);

        // 10*128 + 128 + 128*110 + 110 + 110*5 + 5, counted by hand.
        Assert.Equal(16_153, NetworkTopology.Of(new WideNet()).ParameterCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("float 2")]
    [InlineData("float 2 | MeanSquaredError")]
    [InlineData("int 2 | 2 ReLU | MeanSquaredError")]
    [InlineData("Float 2 | 2 ReLU | MeanSquaredError")]
    [InlineData("float 0 | 2 ReLU | MeanSquaredError")]
    [InlineData("float -2 | 2 ReLU | MeanSquaredError")]
    [InlineData("float +2 | 2 ReLU | MeanSquaredError")]
    [InlineData("float 02 | 2 ReLU | MeanSquaredError")]
    [InlineData("float 2.0 | 2 ReLU | MeanSquaredError")]
    [InlineData("float 2 | 0 ReLU | MeanSquaredError")]
    [InlineData("float 2 | 2 Relu | MeanSquaredError")]
    [InlineData("float 2 | 2 1 | MeanSquaredError")]
    [InlineData("float 2 | 2 ReLU bias | MeanSquaredError")]
    [InlineData("float 2 | 2 ReLU nobias extra | MeanSquaredError")]
    [InlineData("float 2 | 2 ReLU | MSE")]
    [InlineData("float 2 | 2 ReLU | 0")]
    [InlineData("float 2|2 ReLU|MeanSquaredError")]
    [InlineData("float 2 | 2  ReLU | MeanSquaredError")]
    [InlineData("float  2 | 2 ReLU | MeanSquaredError")]
    [InlineData(" float 2 | 2 ReLU | MeanSquaredError")]
    [InlineData("float 2 | 2 ReLU | MeanSquaredError ")]
    [InlineData("float 2 | 2 ReLU | | MeanSquaredError")]
    [InlineData("float 99999999999 | 2 ReLU | MeanSquaredError")]
    [InlineData("float 100000 | 100000 Identity | 100000 Identity | MeanSquaredError")]
    public void Parse_RefusesWhatIsNotATopology(string text)
    {
        FormatException e = Assert.Throws<FormatException>(() => NetworkTopology.Parse(text));
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
        Assert.False(NetworkTopology.TryParse(text, out NetworkTopology? topology));
        Assert.Null(topology);
    }

    [Fact]
    public void TryParse_NullIsFalse_ParseNullThrows()
    {
        Assert.False(NetworkTopology.TryParse(null, out NetworkTopology? topology));
        Assert.Null(topology);
        Assert.Throws<ArgumentNullException>(() => NetworkTopology.Parse(null!));
    }

    [Fact]
    public void TryParse_AcceptsATopology()
    {
        Assert.True(NetworkTopology.TryParse("float 2 | 3 Sigmoid | BinaryCrossEntropy", out NetworkTopology? topology));
        Assert.Equal(9, topology.ParameterCount);
    }

    [Theory]
    [InlineData("double 2 | 3 Identity | MeanSquaredError", 9, "element type")]
    [InlineData("float 2 | 3 Identity nobias | MeanSquaredError", 9, "parameters")]
    [InlineData("float 4 | 3 Identity | MeanSquaredError", 15, "inputs")]
    [InlineData("float 2 | 3 Identity", 9, "at least one layer")]
    public void Of_RefusesANetworkItsTopologyDoesNotDescribe(string text, int parameters, string expected)
    {
        // A hand-written network with 2 inputs and 3 outputs whose Topology text is given by the test.
        var network = new HandWrittenNetwork(text, inputs: 2, outputs: 3, parameters);

        ArgumentException e = Assert.Throws<ArgumentException>(() => NetworkTopology.Of(network));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_AcceptsAHandWrittenNetworkThatAgrees()
    {
        var network = new HandWrittenNetwork("float 2 | 3 Identity | MeanSquaredError", inputs: 2, outputs: 3, parameters: 9);

        Assert.Equal(9, NetworkTopology.Of(network).ParameterCount);
    }

    private static void AssertAgrees<T>(INetwork<T> network, int parameterCount)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        NetworkTopology topology = NetworkTopology.Of(network);
        Assert.Equal(network.Topology, topology.ToString());
        Assert.Equal(parameterCount, topology.ParameterCount);
        Assert.Equal(network.InputCount, topology.InputCount);
        Assert.Equal(network.OutputCount, topology.OutputCount);

        // The layers tile the parameters with no gap: each starts where the one before ended.
        int next = 0;
        foreach (LayerTopology layer in topology.Layers)
        {
            Assert.Equal(next, layer.WeightOffset);
            next += layer.ParameterCount;
        }

        Assert.Equal(parameterCount, next);
    }

    private static void AssertLayer(LayerTopology layer, int index, int inputs, int units, Activation activation, bool hasBias, int weightOffset, int parameterCount)
    {
        Assert.Equal(index, layer.Index);
        Assert.Equal(inputs, layer.InputCount);
        Assert.Equal(units, layer.Units);
        Assert.Equal(activation, layer.Activation);
        Assert.Equal(hasBias, layer.HasBias);
        Assert.Equal(weightOffset, layer.WeightOffset);
        Assert.Equal(parameterCount, layer.ParameterCount);
    }
}

/// <summary>An INetwork written by hand (not generated), whose Topology text may disagree with it.</summary>
internal sealed class HandWrittenNetwork(string topology, int inputs, int outputs, int parameters) : INetwork<float>
{
    private readonly float[] _parameters = new float[parameters];
    private readonly float[] _gradients = new float[parameters];

    public int InputCount => inputs;

    public int OutputCount => outputs;

    public string Topology => topology;

    public Span<float> Parameters => _parameters;

    public Span<float> Gradients => _gradients;

    public void Forward(ReadOnlySpan<float> input, Span<float> output) => throw new NotSupportedException();

    public float Loss(ReadOnlySpan<float> input, ReadOnlySpan<float> target) => throw new NotSupportedException();

    public float Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> target) => throw new NotSupportedException();

    public void ZeroGradients() => Array.Clear(_gradients);

    public float TrainStep(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate) => throw new NotSupportedException();

    public float TrainBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, float learningRate) => throw new NotSupportedException();

    public void InitializeParameters(int seed) => Array.Clear(_parameters);
}
