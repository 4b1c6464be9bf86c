using System;
using System.Linq;
using NetGen;

namespace NetGen.Interop.Tests;

/// <summary>
/// NetworkTopology on the texts of streaming models: GRU, LSTM and CONV1D sections, their offsets and tensor shapes
/// (counted by hand from the layouts of nn.GRU, nn.LSTM and nn.Conv1d), the round trip, and hostile texts.
/// </summary>
public class NetworkTopologyStreamingTests
{
    [Fact]
    public void Parse_Gru_ThenDense()
    {
        // GRU(1 -> 8): 24 rows (r, z, n); weight_ih 24 x 1 at 0, weight_hh 24 x 8 at 24, bias_ih at 216, bias_hh at 240.
        // Then Linear(8 -> 1) at 264: weight 8, bias 1. 273 in all.
        var topology = NetworkTopology.Parse("float 1 | 8 GRU | 1 Identity | MeanSquaredError");

        Assert.True(topology.IsStreaming);
        Assert.Equal(273, topology.ParameterCount);
        Assert.Equal(1, topology.OutputCount);
        LayerTopology gru = topology.Layers[0];
        AssertLayer(gru, LayerKind.Gru, inputs: 1, units: 8, Activation.Identity, hasBias: true, kernel: 0, dilation: 0, offset: 0, weights: 216, biases: 48);
        AssertTensors(gru, ("weight_ih_l0", 0, [24, 1]), ("weight_hh_l0", 24, [24, 8]), ("bias_ih_l0", 216, [24]), ("bias_hh_l0", 240, [24]));
        LayerTopology dense = topology.Layers[1];
        AssertLayer(dense, LayerKind.Dense, inputs: 8, units: 1, Activation.Identity, hasBias: true, kernel: 0, dilation: 0, offset: 264, weights: 8, biases: 1);
        AssertTensors(dense, ("weight", 264, [1, 8]), ("bias", 272, [1]));
    }

    [Fact]
    public void Parse_GruWithoutBias()
    {
        var topology = NetworkTopology.Parse("float 2 | 4 GRU nobias | MeanSquaredError");

        // 12 rows: weight_ih 12 x 2, weight_hh 12 x 4.
        Assert.Equal(72, topology.ParameterCount);
        AssertLayer(topology.Layers[0], LayerKind.Gru, inputs: 2, units: 4, Activation.Identity, hasBias: false, kernel: 0, dilation: 0, offset: 0, weights: 72, biases: 0);
        AssertTensors(topology.Layers[0], ("weight_ih_l0", 0, [12, 2]), ("weight_hh_l0", 24, [12, 4]));
    }

    [Fact]
    public void Parse_Lstm()
    {
        // LSTM(3 -> 4): 16 rows (i, f, g, o); weight_ih 16 x 3 at 0, weight_hh 16 x 4 at 48, biases at 112 and 128.
        var topology = NetworkTopology.Parse("double 3 | 4 LSTM | MeanSquaredError");

        Assert.Equal(typeof(double), topology.ElementType);
        Assert.Equal(144, topology.ParameterCount);
        AssertLayer(topology.Layers[0], LayerKind.Lstm, inputs: 3, units: 4, Activation.Identity, hasBias: true, kernel: 0, dilation: 0, offset: 0, weights: 112, biases: 32);
        AssertTensors(topology.Layers[0], ("weight_ih_l0", 0, [16, 3]), ("weight_hh_l0", 48, [16, 4]), ("bias_ih_l0", 112, [16]), ("bias_hh_l0", 128, [16]));
    }

    [Fact]
    public void Parse_LstmWithoutBias()
    {
        var topology = NetworkTopology.Parse("float 3 | 2 LSTM nobias | MeanSquaredError");

        Assert.Equal(40, topology.ParameterCount);
        AssertTensors(topology.Layers[0], ("weight_ih_l0", 0, [8, 3]), ("weight_hh_l0", 24, [8, 2]));
        Assert.False(topology.Layers[0].HasBias);
    }

    [Fact]
    public void Parse_Conv1D_WithoutDilation()
    {
        // Conv1d(2 -> 3, kernel 4): weight 3 x 2 x 4 at 0, bias 3 at 24.
        var topology = NetworkTopology.Parse("float 2 | 3 CONV1D k4 Tanh | MeanSquaredError");

        Assert.Equal(27, topology.ParameterCount);
        AssertLayer(topology.Layers[0], LayerKind.Conv1D, inputs: 2, units: 3, Activation.Tanh, hasBias: true, kernel: 4, dilation: 1, offset: 0, weights: 24, biases: 3);
        AssertTensors(topology.Layers[0], ("weight", 0, [3, 2, 4]), ("bias", 24, [3]));
    }

    [Fact]
    public void Parse_Conv1D_Dilated_WithoutBias()
    {
        var topology = NetworkTopology.Parse("float 2 | 3 CONV1D k3 d2 Identity nobias | MeanSquaredError");

        Assert.Equal(18, topology.ParameterCount);
        AssertLayer(topology.Layers[0], LayerKind.Conv1D, inputs: 2, units: 3, Activation.Identity, hasBias: false, kernel: 3, dilation: 2, offset: 0, weights: 18, biases: 0);
        AssertTensors(topology.Layers[0], ("weight", 0, [3, 2, 3]));
    }

    [Fact]
    public void Parse_AStackOfEveryKind_OffsetsFollowOneAnother()
    {
        // GRU(1 -> 8) 264 at 0; LSTM(8 -> 8) no bias 4 * 8 * 16 = 512 at 264; Conv1d(8 -> 3, k3) 72 + 3 at 776;
        // Linear(3 -> 1) 3 + 1 at 851; 855 in all.
        var topology = NetworkTopology.Parse("float 1 | 8 GRU | 8 LSTM nobias | 3 CONV1D k3 d2 Tanh | 1 Identity | MeanSquaredError");

        Assert.Equal(855, topology.ParameterCount);
        Assert.Equal([LayerKind.Gru, LayerKind.Lstm, LayerKind.Conv1D, LayerKind.Dense], topology.Layers.Select(l => l.Kind).ToArray());
        Assert.Equal([0, 264, 776, 851], topology.Layers.Select(l => l.WeightOffset).ToArray());
        Assert.Equal([0, 1, 2, 3], topology.Layers.Select(l => l.Index).ToArray());
        AssertTensors(topology.Layers[1], ("weight_ih_l0", 264, [32, 8]), ("weight_hh_l0", 520, [32, 8]));
        AssertTensors(topology.Layers[2], ("weight", 776, [3, 8, 3]), ("bias", 848, [3]));
        Assert.Equal((3, 2), (topology.Layers[2].KernelSize, topology.Layers[2].Dilation));
        AssertTensors(topology.Layers[3], ("weight", 851, [1, 3]), ("bias", 854, [1]));
    }

    [Fact]
    public void DenseNetworks_AreNotStreaming_AndTheirTensorsAreWeightAndBias()
    {
        var topology = NetworkTopology.Parse("double 3 | 4 Tanh | 2 Softmax nobias | CrossEntropy");

        Assert.False(topology.IsStreaming);
        Assert.All(topology.Layers, l => Assert.Equal((LayerKind.Dense, 0, 0), (l.Kind, l.KernelSize, l.Dilation)));
        AssertTensors(topology.Layers[0], ("weight", 0, [4, 3]), ("bias", 12, [4]));
        AssertTensors(topology.Layers[1], ("weight", 16, [2, 4]));
        Assert.Equal(4, topology.Layers[0].BiasCount);
        Assert.Equal(0, topology.Layers[1].BiasCount);
    }

    [Theory]
    [InlineData("float 1 | 8 GRU | 8 LSTM nobias | 3 CONV1D k3 d2 Tanh | 1 Identity | MeanSquaredError")]
    [InlineData("float 2 | 4 GRU nobias | MeanSquaredError")]
    [InlineData("double 3 | 4 LSTM | 2 Softmax | CrossEntropy")]
    [InlineData("float 2 | 3 CONV1D k1 Sigmoid | 1 Sigmoid | BinaryCrossEntropy")]
    [InlineData("float 2 | 3 CONV1D k3 ReLU nobias | 5 CONV1D k2 d10 LeakyReLU | 3 GRU | MeanSquaredError")]
    [InlineData("double 4 | 6 ReLU nobias | 5 LSTM | 4 CONV1D k12 d1000 Identity nobias | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k2 d2 GELU | 4 GRU | 3 SiLU | 3 CONV1D k2 ELU | 1 Softplus | MeanSquaredError")]
    public void ToString_GivesTheTextBack_AndSoDoTheLayers(string text)
    {
        NetworkTopology topology = NetworkTopology.Parse(text);

        Assert.Equal(text, topology.ToString());
        string head = text[..text.IndexOf(" | ", StringComparison.Ordinal)];
        string[] sections = [head, .. topology.Layers.Select(l => l.ToString()), topology.Loss.ToString()];
        Assert.Equal(text, string.Join(" | ", sections));
    }

    [Fact]
    public void LayerToString_IsItsSection()
    {
        var topology = NetworkTopology.Parse("float 1 | 8 GRU | 8 LSTM nobias | 3 CONV1D k3 d2 Tanh | 2 CONV1D k5 ReLU nobias | 1 Identity | MeanSquaredError");

        Assert.Equal(["8 GRU", "8 LSTM nobias", "3 CONV1D k3 d2 Tanh", "2 CONV1D k5 ReLU nobias", "1 Identity"], topology.Layers.Select(l => l.ToString()).ToArray());
        Assert.Equal("weight_ih_l0 [24, 1]", topology.Layers[0].Tensors[0].ToString());
        Assert.Equal("weight [3, 8, 3]", topology.Layers[2].Tensors[0].ToString());
    }

    [Fact]
    public void Of_GeneratedStreamingNetworks_WriteTheGrammar_AndAgreeWithTheirParameters()
    {
        // The generator's texts, written out from the grammar: the parser reads what the generator writes.
        Assert.Equal("float 3 | 4 ReLU | 5 GRU nobias | 3 LSTM | 2 CONV1D k2 d3 Sigmoid nobias | 2 Identity | MeanSquaredError", TorchModuleListNet.Topology);
        Assert.Equal("float 2 | 3 CONV1D k3 Tanh | MeanSquaredError", StreamConvNet.Topology);
        Assert.Equal("double 2 | 3 LSTM | 2 CONV1D k2 d3 Tanh | 1 Identity | MeanSquaredError", StreamDoubleNet.Topology);

        AssertAgrees(new StreamGruNet(), StreamGruNet.ParameterCount);
        AssertAgrees(new StreamLstmNoBiasNet(), StreamLstmNoBiasNet.ParameterCount);
        AssertAgrees(new StreamConvDilatedNoBiasNet(), StreamConvDilatedNoBiasNet.ParameterCount);
        AssertAgrees(new StreamMixedNet(), StreamMixedNet.ParameterCount);
        AssertAgrees(new StreamMixedNoBiasNet(), StreamMixedNoBiasNet.ParameterCount);
        AssertAgrees(new StreamSoftmaxNet(), StreamSoftmaxNet.ParameterCount);
        AssertAgrees(new StreamDoubleNet(), StreamDoubleNet.ParameterCount);
        AssertAgrees(new TorchModuleListNet(), TorchModuleListNet.ParameterCount);
        AssertAgrees(new StreamSmoothNet(), StreamSmoothNet.ParameterCount);
        Assert.Equal("float 2 | 3 CONV1D k2 d2 GELU | 4 GRU | 3 SiLU | 3 CONV1D k2 ELU | 1 Softplus | MeanSquaredError", StreamSmoothNet.Topology);

        // Linear(3, 4) 16; GRU(4, 5) no bias 15 * 9 = 135; LSTM(5, 3) 12 * 8 + 24 = 120; Conv1d(3, 2, 2) no bias 12;
        // Linear(2, 2) 6: 289, counted by hand.
        Assert.Equal(289, NetworkTopology.Of(new TorchModuleListNet()).ParameterCount);
    }

    [Fact]
    public void Parse_TakesParametersUpToTheLargestArray_AndNoMore()
    {
        // One convolution of Array.MaxLength weights is a topology (nothing is allocated to parse it); one more is not,
        // nor is a second layer that would end past it.
        string largest = $"float 1 | 1 CONV1D k{Array.MaxLength} Identity nobias | MeanSquaredError";
        Assert.Equal(Array.MaxLength, NetworkTopology.Parse(largest).ParameterCount);
        Assert.False(NetworkTopology.TryParse($"float 1 | 1 CONV1D k{Array.MaxLength + 1L} Identity nobias | MeanSquaredError", out _));
        Assert.False(NetworkTopology.TryParse("float 1 | 1 CONV1D k1500000000 Identity nobias | 1 CONV1D k1500000000 Identity nobias | MeanSquaredError", out _));
    }

    [Theory]
    // GRU and LSTM: units, the kind, an optional "nobias", nothing else.
    [InlineData("float 2 | 8 GRU ReLU | MeanSquaredError")]
    [InlineData("float 2 | 8 GRU bias | MeanSquaredError")]
    [InlineData("float 2 | 8 GRU nobias nobias | MeanSquaredError")]
    [InlineData("float 2 | 8 LSTM nobias extra | MeanSquaredError")]
    [InlineData("float 2 | 8 Gru | MeanSquaredError")]
    [InlineData("float 2 | 8 lstm | MeanSquaredError")]
    [InlineData("float 2 | 0 GRU | MeanSquaredError")]
    [InlineData("float 2 | 08 LSTM | MeanSquaredError")]
    [InlineData("float 2 | -8 LSTM | MeanSquaredError")]
    [InlineData("float 2 | GRU | MeanSquaredError")]
    [InlineData("float 2 | GRU 8 | MeanSquaredError")]
    [InlineData("float 2 | 8  GRU | MeanSquaredError")]
    [InlineData("float 2 | 8 GRU  | MeanSquaredError")]
    [InlineData("float 2 | 8 GRU k3 | MeanSquaredError")]
    [InlineData("float 2 | 8 LSTM | 8 GRU")]
    [InlineData("float 2 | 8 LSTM | GRU")]
    // CONV1D: channels, CONV1D, k<kernel>, d<dilation> only when it is not 1, the activation, an optional "nobias".
    [InlineData("float 2 | 3 CONV1D | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 d2 | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 nobias | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k0 Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k03 Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k-3 Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k+3 Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D K3 Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D 3 Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3.0 Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k\u0663 Tanh | MeanSquaredError")] // ARABIC-INDIC DIGIT THREE: a digit, but not ASCII
    [InlineData("float 2 | 3 CONV1D k99999999999 Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 d1 Tanh | MeanSquaredError")] // a dilation of 1 is written by leaving it out
    [InlineData("float 2 | 3 CONV1D k3 d0 Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 d02 Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 d Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D d2 k3 Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 d2 d2 Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 k3 Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 GRU | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 nobias Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 d2 Tanh bias | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 d2 Tanh nobias extra | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 d2 Tanh nobias nobias | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 d2  Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3 d2 Tanh  | MeanSquaredError")]
    [InlineData("float 2 | 3 CONV1D k3\u00a0Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 conv1d k3 Tanh | MeanSquaredError")]
    [InlineData("float 2 | 0 CONV1D k3 Tanh | MeanSquaredError")]
    [InlineData("float 2 | 3 Tanh k3 | MeanSquaredError")]
    // Parameters past the largest array, where a 64-bit product of the int fields would overflow.
    [InlineData("float 100000 | 100000 GRU | MeanSquaredError")]
    [InlineData("float 2147483647 | 2147483647 LSTM | MeanSquaredError")]
    [InlineData("float 2147483647 | 2147483647 CONV1D k2147483647 Identity | MeanSquaredError")]
    [InlineData("float 65536 | 65536 CONV1D k65536 d2 Identity nobias | MeanSquaredError")]
    public void Parse_RefusesWhatIsNotATopology(string text)
    {
        FormatException e = Assert.Throws<FormatException>(() => NetworkTopology.Parse(text));
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
        Assert.False(NetworkTopology.TryParse(text, out NetworkTopology? topology));
        Assert.Null(topology);
    }

    [Theory]
    [InlineData("float 2 | 3 CONV1D k3 d1 Tanh | MeanSquaredError", "d and the dilation unless it is 1")]
    [InlineData("float 2 | 8 GRU ReLU | MeanSquaredError", "must be the units and GRU, optionally followed by \"nobias\"")]
    [InlineData("float 2 | 0 CONV1D k3 Tanh | MeanSquaredError", "the channels \"0\" of layer 0 are not a positive integer")]
    [InlineData("float 2 | 3 CONV1D k3 Relu | MeanSquaredError", "the activation \"Relu\" of layer 0 is not one of Identity, ReLU")]
    [InlineData("float 100000 | 100000 GRU | MeanSquaredError", "its parameters do not fit in one array")]
    public void Parse_SaysWhatIsWrong(string text, string expected)
    {
        FormatException e = Assert.Throws<FormatException>(() => NetworkTopology.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private static void AssertAgrees<T>(INetwork<T> network, int parameterCount)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        NetworkTopology topology = NetworkTopology.Of(network);
        Assert.True(topology.IsStreaming);
        Assert.Equal(network.Topology, topology.ToString());
        Assert.Equal(parameterCount, topology.ParameterCount);

        // The tensors tile the parameters with no gap: each starts where the one before ended.
        int next = 0;
        foreach (ParameterTensor tensor in topology.Layers.SelectMany(l => l.Tensors))
        {
            Assert.Equal(next, tensor.Offset);
            Assert.Equal(tensor.Shape.Aggregate(1, (a, b) => a * b), tensor.Length);
            next += tensor.Length;
        }

        Assert.Equal(parameterCount, next);
    }

    private static void AssertLayer(
        LayerTopology layer, LayerKind kind, int inputs, int units, Activation activation, bool hasBias, int kernel, int dilation, int offset, int weights, int biases)
    {
        Assert.Equal(kind, layer.Kind);
        Assert.Equal(inputs, layer.InputCount);
        Assert.Equal(units, layer.Units);
        Assert.Equal(activation, layer.Activation);
        Assert.Equal(hasBias, layer.HasBias);
        Assert.Equal(kernel, layer.KernelSize);
        Assert.Equal(dilation, layer.Dilation);
        Assert.Equal(offset, layer.WeightOffset);
        Assert.Equal(weights, layer.WeightCount);
        Assert.Equal(offset + weights, layer.BiasOffset);
        Assert.Equal(biases, layer.BiasCount);
        Assert.Equal(weights + biases, layer.ParameterCount);
    }

    private static void AssertTensors(LayerTopology layer, params (string Name, int Offset, int[] Shape)[] expected)
    {
        Assert.Equal(expected.Length, layer.Tensors.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            ParameterTensor tensor = layer.Tensors[i];
            Assert.Equal(expected[i].Name, tensor.Name);
            Assert.Equal(expected[i].Offset, tensor.Offset);
            Assert.Equal(expected[i].Shape, tensor.Shape.ToArray());
            Assert.Equal(expected[i].Shape.Aggregate(1, (a, b) => a * b), tensor.Length);
        }
    }
}
