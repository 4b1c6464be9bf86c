using System;
using Microsoft.ML.OnnxRuntime;
using NetGen.Onnx;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// ONNX Runtime forward pass of a NetGen network's export (<see cref="OnnxExporter"/>, so the weights are the
/// network's own): the committed file the comparison compiles with [OnnxNetwork] too, or an export made here. One sample per run, one intra-op thread (every other implementation here is single-threaded),
/// input and output bound once to pinned arrays through an <see cref="OrtIoBinding"/>.
/// </summary>
public sealed class OnnxForward : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtIoBinding _binding;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;

    public OnnxForward(INetwork<float> network)
        : this(OnnxExporter.Export(network), network.InputCount, network.OutputCount)
    {
    }

    /// <summary>A session on a model file's bytes, whose input and output are [1, inputs] and [1, outputs].</summary>
    public OnnxForward(byte[] model, int inputs, int outputs)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, options);
        _input = new float[inputs];
        _output = new float[outputs];
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, [1, inputs]);
        _outputValue = OrtValue.CreateTensorValueFromMemory(_output, [1, outputs]);
        _binding = _session.CreateIoBinding();
        _binding.BindInput(OnnxExporter.InputName, _inputValue);
        _binding.BindOutput(OnnxExporter.OutputName, _outputValue);
    }

    public float Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        input.CopyTo(_input);
        _session.RunWithBinding(_runOptions, _binding);
        _output.AsSpan().CopyTo(output);
        return _output[0];
    }

    public void Dispose()
    {
        _binding.Dispose();
        _inputValue.Dispose();
        _outputValue.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }
}
