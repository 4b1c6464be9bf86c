using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using NetGen;
using NetGen.Onnx;
using Xunit.Abstractions;

namespace NetGen.Interop.Tests;

/// <summary>
/// SafeTensors.Load on state_dicts saved from PyTorch 1.13 models of nn.GRU, nn.LSTM, nn.Conv1d and nn.Linear modules
/// (Fixtures/Streaming, written by make_streaming_fixtures.py in the layout of safetensors' reference writer): the
/// loaded network's ForwardSequence gives torch's outputs, so does its ONNX export in ONNX Runtime, and
/// SafeTensors.Save writes torch's tensors back.
/// </summary>
/// <remarks>
/// Float outputs agree when |a - b| &lt;= 1e-5 * max(|a|, |b|, 0.1), as the ONNX tests compare; torch itself in float32
/// is within 6e-8 of torch in float64 on these models (the script prints it). Double outputs agree within 1e-12
/// relative.
/// </remarks>
public class SafeTensorsStreamingFixtureTests(ITestOutputHelper output)
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Streaming");

    private static readonly Dictionary<string, Func<object>> Networks = new()
    {
        ["gru_fc"] = () => new TorchGruFcNet(),
        ["conv_lstm"] = () => new TorchConvLstmNet(),
        ["module_list"] = () => new TorchModuleListNet(),
        ["two_layer_gru"] = () => new TorchTwoLayerGruNet(),
        ["lstm_double"] = () => new TorchLstmDoubleNet(),
    };

    public static TheoryData<string> Names => new(Networks.Keys);

    [Fact]
    public void EveryFixtureHasItsNetwork() => Assert.Equal(Networks.Keys.Order(), Fixtures().Select(f => f.Name).Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void Load_ThenForwardSequence_GivesTorchsOutputs(string name)
    {
        Fixture fixture = Fixtures().Single(f => f.Name == name);
        object network = Networks[name]();
        if (network is ISequenceNetwork<float> single)
        {
            Check(single, fixture, tolerance: 1e-5);
        }
        else
        {
            Check((ISequenceNetwork<double>)network, fixture, tolerance: 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Save_WritesTorchsTensors_InTheModelsOrder(string name)
    {
        // The k-th tensor NetGen writes is the k-th of torch's state_dict (its modules' order), with its shape and
        // its bytes; the names are module 2 i's (SafeTensors.Save), so for the ModuleList model they are torch's own.
        Fixture fixture = Fixtures().Single(f => f.Name == name);
        string path = Path.Combine(Directory, fixture.File);
        byte[] torchFile = File.ReadAllBytes(path);
        var stream = new MemoryStream();
        switch (Networks[name]())
        {
            case INetwork<float> single:
                SafeTensors.Load(single, path);
                SafeTensors.Save(single, stream);
                break;
            case INetwork<double> twice:
                SafeTensors.Load(twice, path);
                SafeTensors.Save(twice, stream);
                break;
        }

        byte[] saved = stream.ToArray();
        var written = SafeTensorsStreamingTests.ReadHeader(saved);
        var torch = SafeTensorsStreamingTests.ReadHeader(torchFile).ToDictionary(t => t.Name);
        Assert.Equal(fixture.StateDict.Length, written.Length);
        for (int k = 0; k < written.Length; k++)
        {
            (string torchName, int[] shape) = fixture.StateDict[k];
            Assert.Equal(shape, written[k].Shape);
            Assert.Equal(fixture.Dtype, written[k].Dtype);
            if (name == "module_list")
            {
                Assert.Equal(torchName, written[k].Name);
            }

            Assert.Equal(Data(torchFile, torch[torchName].Begin, torch[torchName].End), Data(saved, written[k].Begin, written[k].End));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Load_ThenExportToOnnx_OnnxRuntimeGivesTorchsOutputs(string name)
    {
        // PyTorch's parameters in, ONNX Runtime's outputs out, held to PyTorch's: the export's gate orders, reset
        // placement and padding against torch itself. A double network exports as float, so float's tolerance.
        Fixture fixture = Fixtures().Single(f => f.Name == name);
        string path = Path.Combine(Directory, fixture.File);
        object network = Networks[name]();
        byte[] model;
        int inputs, outputs;
        if (network is INetwork<float> single)
        {
            SafeTensors.Load(single, path);
            (model, inputs, outputs) = (OnnxExporter.Export(single), single.InputCount, single.OutputCount);
        }
        else
        {
            var twice = (INetwork<double>)network;
            SafeTensors.Load(twice, path);
            (model, inputs, outputs) = (OnnxExporter.Export(twice), twice.InputCount, twice.OutputCount);
        }

        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(fixture.Inputs.Select(v => (float)v).ToArray(), [fixture.Steps, 1, inputs]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, ["input"], [input], ["output"]);
        float[] actual = results[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal(fixture.Steps * outputs, actual.Length);
        double worst = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double expected = fixture.Outputs[i];
            double ratio = Math.Abs(actual[i] - expected) / (1e-5 * Math.Max(Math.Max(Math.Abs(actual[i]), Math.Abs(expected)), 0.1));
            worst = Math.Max(worst, ratio);
            Assert.True(ratio <= 1, $"{name}: output {i} is {actual[i]:R} in ONNX Runtime, torch gives {expected:R}");
        }

        output.WriteLine($"{name}: ONNX Runtime against torch, worst {worst:E2} of the tolerance");
    }

    [Fact]
    public void Load_FromAStreamThatCannotSeek()
    {
        Fixture fixture = Fixtures().Single(f => f.Name == "conv_lstm");
        var network = new TorchConvLstmNet();
        SafeTensors.Load(network, new TrickleStream(File.ReadAllBytes(Path.Combine(Directory, fixture.File)), chunk: 3));
        var reference = new TorchConvLstmNet();
        SafeTensors.Load(reference, Path.Combine(Directory, fixture.File));

        Assert.Equal(reference.Parameters.ToArray(), network.Parameters.ToArray());
    }

    private void Check<T>(ISequenceNetwork<T> network, Fixture fixture, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(fixture.Topology, network.Topology);
        network.InitializeParameters(seed: 1);
        SafeTensors.Load(network, Path.Combine(Directory, fixture.File));

        T[] inputs = fixture.Inputs.Select(T.CreateTruncating).ToArray();
        var outputs = new T[fixture.Steps * network.OutputCount];
        network.ForwardSequence(inputs, outputs, network.CreateState());

        double worst = 0, worstAbsolute = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            double actual = double.CreateTruncating(outputs[i]), expected = fixture.Outputs[i];
            double ratio = Math.Abs(actual - expected) / (tolerance * Math.Max(Math.Max(Math.Abs(actual), Math.Abs(expected)), 0.1));
            worst = Math.Max(worst, ratio);
            worstAbsolute = Math.Max(worstAbsolute, Math.Abs(actual - expected));
            Assert.True(ratio <= 1, $"{fixture.Name}: output {i} (step {i / network.OutputCount}) is {actual:R}, torch gives {expected:R}");
        }

        output.WriteLine($"{fixture.Name}: {outputs.Length} outputs over {fixture.Steps} steps, worst absolute difference {worstAbsolute:E2}, worst {worst:E2} of the tolerance");
    }

    private static byte[] Data(byte[] file, int begin, int end)
    {
        int start = 8 + (int)BitConverter.ToUInt64(file, 0);
        return file[(start + begin)..(start + end)];
    }

    private sealed record Fixture(string Name, string File, string Dtype, string Topology, int Steps, double[] Inputs, double[] Outputs, (string Name, int[] Shape)[] StateDict);

    private static Fixture[] Fixtures()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, "streaming-fixtures.json")));
        return document.RootElement.GetProperty("fixtures").EnumerateArray().Select(f => new Fixture(
            f.GetProperty("name").GetString()!,
            f.GetProperty("file").GetString()!,
            f.GetProperty("dtype").GetString()!,
            f.GetProperty("topology").GetString()!,
            f.GetProperty("steps").GetInt32(),
            f.GetProperty("inputs").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            f.GetProperty("outputs").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            f.GetProperty("state_dict").EnumerateArray()
                .Select(e => (e[0].GetString()!, e[1].EnumerateArray().Select(d => d.GetInt32()).ToArray())).ToArray())).ToArray();
    }
}
