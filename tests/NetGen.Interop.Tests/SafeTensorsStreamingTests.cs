using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using NetGen;
using static NetGen.TestFixtures.SafeTensorsBytes;

namespace NetGen.Interop.Tests;

/// <summary>
/// SafeTensors.Load and Save on streaming models, with files built byte by byte from the format: the state_dict
/// names of nn.GRU, nn.LSTM, nn.Conv1d and nn.Linear modules under any module names, bound by module order and shape;
/// and the refusals, each with its reason, tensor and sentence, leaving the network as it was.
/// </summary>
public class SafeTensorsStreamingTests
{
    // StreamGruNet, [Network(2)] [Gru(4)]: nn.GRU(2, 4), 12 rows (r, z, n).
    private static readonly float[] WeightIh = Counting(1, 24), WeightHh = Counting(100, 48), BiasIh = Counting(200, 12), BiasHh = Counting(300, 12);

    [Fact]
    public void Load_Gru_PutsEachTensorInPyTorchsPlace_WhateverTheFileOrder()
    {
        // Name order, as safetensors.torch.save_file writes: bias_hh, bias_ih, weight_hh, weight_ih.
        byte[] file = StreamFile(
            ("gru.bias_hh_l0", [12], BiasHh),
            ("gru.bias_ih_l0", [12], BiasIh),
            ("gru.weight_hh_l0", [12, 4], WeightHh),
            ("gru.weight_ih_l0", [12, 2], WeightIh));

        var network = new StreamGruNet();
        SafeTensors.Load(network, new MemoryStream(file));

        Assert.Equal([.. WeightIh, .. WeightHh, .. BiasIh, .. BiasHh], network.Parameters.ToArray());
    }

    [Fact]
    public void Load_ReachesTheRightGate_ByPyTorchsEquations()
    {
        // nn.GRU(1, 1) with W_ir = 1, W_iz = 0, W_in = 2, W_h* = 0 and b_in = 0.5 (bias_ih row 2): at the first step
        // from h = 0, z = sigmoid(0) = 1/2 and n = tanh(2 x + 0.5), so h' = (1 - z) n = tanh(2 x + 0.5) / 2.
        byte[] file = StreamFile(
            ("0.weight_ih_l0", [3, 1], [1f, 0f, 2f]),
            ("0.weight_hh_l0", [3, 1], [0f, 0f, 0f]),
            ("0.bias_ih_l0", [3], [0f, 0f, 0.5f]),
            ("0.bias_hh_l0", [3], [0f, 0f, 0f]));
        var network = new OneUnitGruNet();
        SafeTensors.Load(network, new MemoryStream(file));

        float[] output = new float[1];
        network.Forward([0.25f], output, network.CreateState());

        Assert.Equal(Math.Tanh(1.0) / 2, output[0], 6);
    }

    [Fact]
    public void Load_BindsModulesByShape_WhenTheirNamesSortAgainstTheLayerOrder()
    {
        // TorchGruFcNet: [Gru(6)] then [Dense(1)]; "fc" sorts before "gru", but only the GRU module fits layer 0.
        float[] wih = Counting(1, 36), whh = Counting(100, 108), bih = Counting(300, 18), bhh = Counting(400, 18);
        byte[] file = StreamFile(
            ("fc.bias", [1], [-1f]),
            ("fc.weight", [1, 6], Counting(500, 6)),
            ("gru.bias_hh_l0", [18], bhh),
            ("gru.bias_ih_l0", [18], bih),
            ("gru.weight_hh_l0", [18, 6], whh),
            ("gru.weight_ih_l0", [18, 2], wih));

        var network = new TorchGruFcNet();
        SafeTensors.Load(network, new MemoryStream(file));

        Assert.Equal([.. wih, .. whh, .. bih, .. bhh, .. Counting(500, 6), -1f], network.Parameters.ToArray());
    }

    [Theory]
    [InlineData("b", "a")] // names: a before b
    [InlineData("layers.10", "layers.2")] // numbers as numbers: 2 before 10
    [InlineData("x", "0")] // a number before a name
    [InlineData("layers.0.gru", "layers.0")] // a path before the longer one under it
    public void Load_ModulesOfOneShape_GoInTheOrderOfTheirPaths(string second, string first)
    {
        // StreamTwinGruNet: two GRU(3, 3) layers without biases; the file lists the second module first.
        byte[] file = StreamFile(
            (second + ".weight_ih_l0", [9, 3], Counting(500, 27)),
            (second + ".weight_hh_l0", [9, 3], Counting(600, 27)),
            (first + ".weight_ih_l0", [9, 3], Counting(1, 27)),
            (first + ".weight_hh_l0", [9, 3], Counting(100, 27)));

        var network = new StreamTwinGruNet();
        SafeTensors.Load(network, new MemoryStream(file));

        Assert.Equal([.. Counting(1, 27), .. Counting(100, 27), .. Counting(500, 27), .. Counting(600, 27)], network.Parameters.ToArray());
    }

    [Fact]
    public void Load_AMultiLayerGru_GivesLayerKToTheKthGruLayer()
    {
        // nn.GRU(3, 3, num_layers=2, bias=False): rnn.*_l0 and rnn.*_l1, listed l1 first.
        byte[] file = StreamFile(
            ("rnn.weight_hh_l1", [9, 3], Counting(600, 27)),
            ("rnn.weight_ih_l1", [9, 3], Counting(500, 27)),
            ("rnn.weight_hh_l0", [9, 3], Counting(100, 27)),
            ("rnn.weight_ih_l0", [9, 3], Counting(1, 27)));

        var network = new StreamTwinGruNet();
        SafeTensors.Load(network, new MemoryStream(file));

        Assert.Equal([.. Counting(1, 27), .. Counting(100, 27), .. Counting(500, 27), .. Counting(600, 27)], network.Parameters.ToArray());
    }

    [Fact]
    public void Load_ConvThenLstmThenLinear_FromAModuleList()
    {
        // TorchConvLstmNet: Conv1d(2, 4, 3) weight [4, 2, 3] and bias; LSTM(4, 5) 20 rows; Linear(5, 2).
        (string, int[], float[])[] tensors =
        [
            ("0.weight", [4, 2, 3], Counting(1, 24)),
            ("0.bias", [4], Counting(30, 4)),
            ("2.weight_ih_l0", [20, 4], Counting(100, 80)),
            ("2.weight_hh_l0", [20, 5], Counting(200, 100)),
            ("2.bias_ih_l0", [20], Counting(400, 20)),
            ("2.bias_hh_l0", [20], Counting(500, 20)),
            ("4.weight", [2, 5], Counting(600, 10)),
            ("4.bias", [2], Counting(700, 2)),
        ];

        var network = new TorchConvLstmNet();
        SafeTensors.Load(network, new MemoryStream(StreamFile(tensors)));

        Assert.Equal(tensors.SelectMany(t => t.Item3).ToArray(), network.Parameters.ToArray());
    }

    [Fact]
    public void Load_ConvertsDtypes_AsForDenseNetworks()
    {
        // F64 rounds to the nearest float; F16 and BF16 are exact.
        double third = 1.0 / 3;
        byte[] file = File(
            "{" + Entry("gru.weight_ih_l0", "F64", "[12,2]", 0, 192) + ","
            + Entry("gru.weight_hh_l0", "F16", "[12,4]", 192, 288) + ","
            + Entry("gru.bias_ih_l0", "BF16", "[12]", 288, 312) + ","
            + Entry("gru.bias_hh_l0", "F32", "[12]", 312, 360) + "}",
            F64(Enumerable.Repeat(third, 24).ToArray()), F16(Counting(1, 48)), BF16(Counting(-6, 12)), F32(BiasHh));

        var network = new StreamGruNet();
        SafeTensors.Load(network, new MemoryStream(file));

        Assert.Equal([.. Enumerable.Repeat((float)third, 24), .. Counting(1, 48), .. Counting(-6, 12), .. BiasHh], network.Parameters.ToArray());
    }

    public static TheoryData<string, byte[], SafeTensorsError, string?, string> GruRefusals() => new()
    {
        {
            "a weight of the wrong shape",
            StreamFile(("gru.weight_ih_l0", [12, 3], Counting(1, 36)), ("gru.weight_hh_l0", [12, 4], WeightHh), ("gru.bias_ih_l0", [12], BiasIh), ("gru.bias_hh_l0", [12], BiasHh)),
            SafeTensorsError.ShapeMismatch, "gru.weight_ih_l0",
            "Tensor \"gru.weight_ih_l0\" has the shape [12, 3], but layer 0 (GRU, 4 units, 2 inputs) needs [12, 2]."
        },
        {
            "a transposed weight_hh",
            StreamFile(("gru.weight_ih_l0", [12, 2], WeightIh), ("gru.weight_hh_l0", [4, 12], WeightHh), ("gru.bias_ih_l0", [12], BiasIh), ("gru.bias_hh_l0", [12], BiasHh)),
            SafeTensorsError.ShapeMismatch, "gru.weight_hh_l0",
            "Tensor \"gru.weight_hh_l0\" has the shape [4, 12], but layer 0 (GRU, 4 units, 2 inputs) needs [12, 4]."
        },
        {
            "an LSTM's tensors (4 gates) for a GRU layer (3)",
            StreamFile(("lstm.weight_ih_l0", [16, 2], Counting(1, 32)), ("lstm.weight_hh_l0", [16, 4], Counting(1, 64)), ("lstm.bias_ih_l0", [16], Counting(1, 16)), ("lstm.bias_hh_l0", [16], Counting(1, 16))),
            SafeTensorsError.ShapeMismatch, "lstm.weight_ih_l0",
            "Tensor \"lstm.weight_ih_l0\" has the shape [16, 2], but layer 0 (GRU, 4 units, 2 inputs) needs [12, 2]."
        },
        {
            "a bias of the wrong shape",
            StreamFile(("gru.weight_ih_l0", [12, 2], WeightIh), ("gru.weight_hh_l0", [12, 4], WeightHh), ("gru.bias_ih_l0", [12], BiasIh), ("gru.bias_hh_l0", [1, 12], BiasHh)),
            SafeTensorsError.ShapeMismatch, "gru.bias_hh_l0",
            "Tensor \"gru.bias_hh_l0\" has the shape [1, 12], but layer 0 (GRU, 4 units, 2 inputs) needs [12]."
        },
        {
            "no weight_hh",
            StreamFile(("gru.weight_ih_l0", [12, 2], WeightIh), ("gru.bias_ih_l0", [12], BiasIh), ("gru.bias_hh_l0", [12], BiasHh)),
            SafeTensorsError.MissingTensor, "gru.weight_hh_l0",
            "Layer 0 (GRU, 4 units, 2 inputs) is matched to module \"gru\", which has no \"gru.weight_hh_l0\"."
        },
        {
            "bias_ih without bias_hh",
            StreamFile(("gru.weight_ih_l0", [12, 2], WeightIh), ("gru.weight_hh_l0", [12, 4], WeightHh), ("gru.bias_ih_l0", [12], BiasIh)),
            SafeTensorsError.MissingTensor, "gru.bias_hh_l0",
            "Layer 0 (GRU, 4 units, 2 inputs) has biases, but the file has no \"gru.bias_hh_l0\"."
        },
        {
            "no biases at all",
            StreamFile(("gru.weight_ih_l0", [12, 2], WeightIh), ("gru.weight_hh_l0", [12, 4], WeightHh)),
            SafeTensorsError.MissingTensor, "gru.bias_ih_l0",
            "Layer 0 (GRU, 4 units, 2 inputs) has biases, but the file has no \"gru.bias_ih_l0\"."
        },
        {
            "only a Linear module",
            StreamFile(("fc.weight", [4, 2], Counting(1, 8)), ("fc.bias", [4], Counting(1, 4))),
            SafeTensorsError.MissingTensor, null,
            "No module of the file is left for layer 0 (GRU, 4 units, 2 inputs), which needs the tensors weight_ih_l0 [12, 2], weight_hh_l0 [12, 4], bias_ih_l0 [12], bias_hh_l0 [12] of an nn.GRU or nn.LSTM."
        },
        {
            "an empty file",
            File("{}", []),
            SafeTensorsError.MissingTensor, null,
            "No module of the file is left for layer 0 (GRU, 4 units, 2 inputs), which needs the tensors weight_ih_l0 [12, 2], weight_hh_l0 [12, 4], bias_ih_l0 [12], bias_hh_l0 [12] of an nn.GRU or nn.LSTM."
        },
        {
            "a module too many",
            StreamFile(("gru.weight_ih_l0", [12, 2], WeightIh), ("gru.weight_hh_l0", [12, 4], WeightHh), ("gru.bias_ih_l0", [12], BiasIh), ("gru.bias_hh_l0", [12], BiasHh), ("fc.weight", [1, 4], Counting(1, 4))),
            SafeTensorsError.UnexpectedTensor, "fc.weight",
            "The file holds the parameters of 2 modules, but the network has only 1 layer: \"fc.weight\" has no layer to go to."
        },
        {
            "a second layer of the GRU module",
            StreamFile(("gru.weight_ih_l0", [12, 2], WeightIh), ("gru.weight_hh_l0", [12, 4], WeightHh), ("gru.bias_ih_l0", [12], BiasIh), ("gru.bias_hh_l0", [12], BiasHh), ("gru.weight_ih_l1", [12, 4], Counting(1, 48)), ("gru.weight_hh_l1", [12, 4], Counting(1, 48))),
            SafeTensorsError.UnexpectedTensor, "gru.weight_ih_l1",
            "The file holds the parameters of 2 modules, but the network has only 1 layer: \"gru.weight_ih_l1\" has no layer to go to."
        },
        {
            "a bidirectional GRU's reverse direction",
            StreamFile(("gru.weight_ih_l0", [12, 2], WeightIh), ("gru.weight_ih_l0_reverse", [12, 2], WeightIh)),
            SafeTensorsError.UnexpectedTensor, "gru.weight_ih_l0_reverse",
            "Tensor \"gru.weight_ih_l0_reverse\" belongs to the reverse direction of a bidirectional nn.GRU or nn.LSTM, which no NetGen layer computes."
        },
        {
            "a parameter of another module (BatchNorm)",
            StreamFile(("gru.weight_ih_l0", [12, 2], WeightIh), ("bn.running_mean", [4], Counting(1, 4))),
            SafeTensorsError.UnexpectedTensor, "bn.running_mean",
            "Tensor \"bn.running_mean\" is not a parameter of an nn.Linear, nn.Conv1d, nn.GRU or nn.LSTM: names must end in .weight, .bias, .weight_ih_l0, .weight_hh_l0, .bias_ih_l0 or .bias_hh_l0 (_l1, _l2, ... for the further layers of a recurrent module)."
        },
        {
            "an integer weight",
            File(
                "{" + Entry("gru.weight_ih_l0", "I32", "[12,2]", 0, 96) + "," + Entry("gru.weight_hh_l0", "F32", "[12,4]", 96, 288) + ","
                + Entry("gru.bias_ih_l0", "F32", "[12]", 288, 336) + "," + Entry("gru.bias_hh_l0", "F32", "[12]", 336, 384) + "}",
                new byte[96], F32(WeightHh), F32(BiasIh), F32(BiasHh)),
            SafeTensorsError.UnsupportedDtype, "gru.weight_ih_l0",
            "Tensor \"gru.weight_ih_l0\" has the dtype I32; parameters must be F32, F64, F16 or BF16."
        },
    };

    [Theory]
    [MemberData(nameof(GruRefusals))]
    public void Load_RefusesWhatDoesNotFitAGru(string why, byte[] file, SafeTensorsError reason, string? tensor, string message) =>
        AssertRefused(new StreamGruNet(), file, reason, tensor, message, why);

    [Theory]
    [InlineData("gru.weight_ih")]
    [InlineData("gru.weight_ih_l")]
    [InlineData("gru.weight_ih_l01")]
    [InlineData("gru.weight_ih_l-1")]
    [InlineData("gru.weight_ih_l+1")]
    [InlineData("gru.weight_ih_l2147483648")]
    [InlineData("gru.weight_hr_l0")] // an LSTM's projection (proj_size > 0)
    [InlineData("gru.Weight_ih_l0")]
    [InlineData("weight_ih_l0")] // no module
    [InlineData(".weight")]
    [InlineData("conv.weight_g")] // weight normalisation
    [InlineData("gru.weight_ih_l0.x")]
    public void Load_RefusesNamesNoModuleWrites(string name)
    {
        byte[] file = StreamFile((name, [12, 2], WeightIh), ("gru.weight_hh_l0", [12, 4], WeightHh), ("gru.bias_ih_l0", [12], BiasIh), ("gru.bias_hh_l0", [12], BiasHh));

        AssertRefused(new StreamGruNet(), file, SafeTensorsError.UnexpectedTensor, name, null, name);
    }

    [Fact]
    public void Load_RefusesABiasForALayerWithout()
    {
        // bias_hh listed first: the message names the first bias in nn.GRU's order, whatever the file's.
        byte[] file = StreamFile(("gru.weight_ih_l0", [12, 2], WeightIh), ("gru.weight_hh_l0", [12, 4], WeightHh), ("gru.bias_hh_l0", [12], BiasHh), ("gru.bias_ih_l0", [12], BiasIh));

        AssertRefused(
            new StreamGruNoBiasNet(), file, SafeTensorsError.UnexpectedTensor, "gru.bias_ih_l0",
            "Tensor \"gru.bias_ih_l0\" is a bias, but layer 0 (GRU, 4 units, 2 inputs, no bias) has none (Bias = false).", "biases");
    }

    [Fact]
    public void Load_RefusesAConvolutionOfTheWrongShape_NamingItsKernel()
    {
        // StreamConvNet: Conv1d(2, 3, 3) weight [3, 2, 3]; a Linear's [3, 6] (the same count) does not do.
        byte[] file = StreamFile(("conv.weight", [3, 6], Counting(1, 18)), ("conv.bias", [3], Counting(1, 3)));
        AssertRefused(
            new StreamConvNet(), file, SafeTensorsError.ShapeMismatch, "conv.weight",
            "Tensor \"conv.weight\" has the shape [3, 6], but layer 0 (Conv1D, 3 channels, 2 inputs, kernel 3) needs [3, 2, 3].", "conv");

        // StreamConvDilatedNoBiasNet: the kernel of 3 taps the other way round.
        byte[] dilated = StreamFile(("conv.weight", [3, 3, 2], Counting(1, 18)));
        AssertRefused(
            new StreamConvDilatedNoBiasNet(), dilated, SafeTensorsError.ShapeMismatch, "conv.weight",
            "Tensor \"conv.weight\" has the shape [3, 3, 2], but layer 0 (Conv1D, 3 channels, 2 inputs, kernel 3, dilation 2, no bias) needs [3, 2, 3].", "dilated");
    }

    [Fact]
    public void Load_ALaterLayerThatDoesNotFit_IsNamed()
    {
        // TorchConvLstmNet, with the Linear module of the wrong shape: the convolution and the LSTM bind, layer 2 does not.
        byte[] file = StreamFile(
            ("conv.weight", [4, 2, 3], Counting(1, 24)), ("conv.bias", [4], Counting(30, 4)),
            ("lstm.weight_ih_l0", [20, 4], Counting(100, 80)), ("lstm.weight_hh_l0", [20, 5], Counting(200, 100)),
            ("lstm.bias_ih_l0", [20], Counting(400, 20)), ("lstm.bias_hh_l0", [20], Counting(500, 20)),
            ("out.weight", [5, 2], Counting(600, 10)), ("out.bias", [2], Counting(700, 2)));

        AssertRefused(
            new TorchConvLstmNet(), file, SafeTensorsError.ShapeMismatch, "out.weight",
            "Tensor \"out.weight\" has the shape [5, 2], but layer 2 (Dense, 2 units, 5 inputs) needs [2, 5].", "transposed Linear");
    }

    [Fact]
    public void Load_DenseNetworks_KeepTheSequentialRule()
    {
        // A Dense network still takes only <index>.weight and <index>.bias (the rule embedded weights share).
        string json = "{" + Entry("fc.weight", "F32", "[3,2]", 0, 24) + "," + Entry("fc.bias", "F32", "[3]", 24, 36) + "}";
        SafeTensorsException e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(new TinyNet(), new MemoryStream(File(json, new byte[36]))));

        Assert.Equal(SafeTensorsError.UnexpectedTensor, e.Reason);
        Assert.Equal("fc.weight", e.TensorName);
    }

    [Fact]
    public void Save_Gru_WritesTheDocumentedBytes()
    {
        var network = new StreamGruNoBiasNet();
        float[] values = Enumerable.Range(0, 72).Select(i => (i - 36) * 0.125f).ToArray();
        values.CopyTo(network.Parameters);

        // Written out by hand: the layer is module 0 of the list [GRU, Identity], its tensors nn.GRU's, in its order.
        string json = "{\"__metadata__\":{\"format\":\"pt\",\"netgen.topology\":\"float 2 | 4 GRU nobias | MeanSquaredError\"},"
            + "\"0.weight_ih_l0\":{\"dtype\":\"F32\",\"shape\":[12,2],\"data_offsets\":[0,96]},"
            + "\"0.weight_hh_l0\":{\"dtype\":\"F32\",\"shape\":[12,4],\"data_offsets\":[96,288]}}";
        string padded = json + new string(' ', (8 - (Encoding.UTF8.GetByteCount(json) % 8)) % 8);

        var stream = new MemoryStream();
        SafeTensors.Save(network, stream);

        Assert.Equal(File(padded, F32(values)), stream.ToArray());
    }

    [Fact]
    public void Save_AMixedStack_NamesEachLayersModule_2IApart()
    {
        var network = new StreamMixedNet();
        network.InitializeParameters(seed: 4);
        var stream = new MemoryStream();
        SafeTensors.Save(network, stream);

        (string Name, int[] Shape)[] expected =
        [
            ("0.weight", [4, 2, 3]), ("0.bias", [4]),
            ("2.weight_ih_l0", [15, 4]), ("2.weight_hh_l0", [15, 5]), ("2.bias_ih_l0", [15]), ("2.bias_hh_l0", [15]),
            ("4.weight_ih_l0", [12, 5]), ("4.weight_hh_l0", [12, 3]),
            ("6.weight", [2, 3]), ("6.bias", [2]),
        ];
        Assert.Equal(expected.Select(e => e.Name + " " + string.Join("x", e.Shape)), ReadHeader(stream.ToArray()).Select(e => e.Name + " " + string.Join("x", e.Shape)));
    }

    public static TheoryData<string> RoundTripNetworks => new(RoundTrip.Keys);

    private static readonly System.Collections.Generic.Dictionary<string, Func<INetwork<float>>> RoundTrip = new()
    {
        ["GRU"] = () => new StreamGruNet(),
        ["GRU, no bias"] = () => new StreamGruNoBiasNet(),
        ["LSTM"] = () => new StreamLstmNet(),
        ["LSTM, no bias"] = () => new StreamLstmNoBiasNet(),
        ["Conv1D"] = () => new StreamConvNet(),
        ["Conv1D dilated, no bias"] = () => new StreamConvDilatedNoBiasNet(),
        ["mixed"] = () => new StreamMixedNet(),
        ["mixed, no bias"] = () => new StreamMixedNoBiasNet(),
        ["softmax"] = () => new StreamSoftmaxNet(),
        ["twin GRUs"] = () => new StreamTwinGruNet(),
        ["smooth activations"] = () => new StreamSmoothNet(),
    };

    [Theory]
    [MemberData(nameof(RoundTripNetworks))]
    public void SaveThenLoad_GivesTheParametersBack(string name)
    {
        INetwork<float> source = RoundTrip[name]();
        source.InitializeParameters(seed: name.Length);
        var stream = new MemoryStream();
        SafeTensors.Save(source, stream);

        INetwork<float> target = RoundTrip[name]();
        target.InitializeParameters(seed: name.Length + 1);
        Assert.NotEqual(source.Parameters.ToArray(), target.Parameters.ToArray());
        SafeTensors.Load(target, new MemoryStream(stream.ToArray()));

        Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());
    }

    [Fact]
    public void SaveThenLoad_Double_GivesTheParametersBack()
    {
        var source = new StreamDoubleNet();
        source.InitializeParameters(seed: 3);
        var stream = new MemoryStream();
        SafeTensors.Save(source, stream);
        var target = new StreamDoubleNet();
        SafeTensors.Load(target, new MemoryStream(stream.ToArray()));

        Assert.Equal(source.Parameters.ToArray(), target.Parameters.ToArray());
        Assert.All(ReadHeader(stream.ToArray()), e => Assert.Equal("F64", e.Dtype));
    }

    // ---- Helpers.

    /// <summary>A file of F32 tensors, their data in the order given, the header listing them in that order.</summary>
    internal static byte[] StreamFile(params (string Name, int[] Shape, float[] Values)[] tensors)
    {
        var json = new StringBuilder("{");
        long offset = 0;
        foreach ((string name, int[] shape, float[] values) in tensors)
        {
            json.Append(json.Length == 1 ? string.Empty : ",").Append(Entry(name, "F32", "[" + string.Join(",", shape) + "]", offset, offset + (4L * values.Length)));
            offset += 4L * values.Length;
        }

        return File(json.Append('}').ToString(), tensors.Select(t => F32(t.Values)).ToArray());
    }

    /// <summary>The tensors of a safetensors file's header in its order, read with System.Text.Json alone.</summary>
    internal static (string Name, string Dtype, int[] Shape, int Begin, int End)[] ReadHeader(byte[] file)
    {
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(file);
        using JsonDocument document = JsonDocument.Parse(file.AsMemory(8, (int)length));
        return document.RootElement.EnumerateObject()
            .Where(p => p.Name != "__metadata__")
            .Select(p => (
                p.Name,
                p.Value.GetProperty("dtype").GetString()!,
                p.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray(),
                p.Value.GetProperty("data_offsets")[0].GetInt32(),
                p.Value.GetProperty("data_offsets")[1].GetInt32()))
            .ToArray();
    }

    private static void AssertRefused(INetwork<float> network, byte[] file, SafeTensorsError reason, string? tensor, string? message, string why)
    {
        network.InitializeParameters(seed: 7);
        float[] before = network.Parameters.ToArray();
        foreach (Stream stream in new Stream[] { new MemoryStream(file), new TrickleStream(file, chunk: 5) })
        {
            SafeTensorsException e = Assert.Throws<SafeTensorsException>(() => SafeTensors.Load(network, stream));
            Assert.True(reason == e.Reason, $"{why}: {e.Reason}, {e.Message}");
            Assert.Equal(tensor, e.TensorName);
            if (message is not null)
            {
                Assert.Equal(message, e.Message);
            }

            Assert.Equal(before, network.Parameters.ToArray());
        }
    }
}
