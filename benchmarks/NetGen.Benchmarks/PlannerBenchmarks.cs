using System;
using BenchmarkDotNet.Attributes;

namespace NetGen.Benchmarks.Planner;

/// <summary>
/// The measurement behind Planner.AutoUnrollMaxWeightsPerLayer: one ReLU layer of inputs x units weights,
/// generated as straight-line code and as loops, Forward and TrainStep; and a stack of three 16x16 layers,
/// for the budget across a whole method. Compare the two columns' ratio per size.
/// </summary>
[MemoryDiagnoser]
public class PlannerBenchmarks
{
    private readonly float[] _input = new float[32];
    private readonly float[] _output = new float[32];
    private readonly float[] _target = new float[32];
    private INetwork<float> _unrolled = null!;
    private INetwork<float> _loops = null!;

    [Params("4x4", "8x8", "16x8", "16x16", "32x16", "3x16x16")]
    public string Layer { get; set; } = "4x4";

    [GlobalSetup]
    public void Setup()
    {
        (_unrolled, _loops) = Layer switch
        {
            "4x4" => ((INetwork<float>)new Layer4x4Unrolled(), (INetwork<float>)new Layer4x4Loops()),
            "8x8" => (new Layer8x8Unrolled(), new Layer8x8Loops()),
            "16x8" => (new Layer16x8Unrolled(), new Layer16x8Loops()),
            "16x16" => (new Layer16x16Unrolled(), new Layer16x16Loops()),
            "32x16" => (new Layer32x16Unrolled(), new Layer32x16Loops()),
            "3x16x16" => (new Deep3x256Unrolled(), new Deep3x256Loops()),
            _ => throw new ArgumentException(Layer),
        };
        var random = new DeterministicRandom(1);
        for (int i = 0; i < _input.Length; i++)
        {
            _input[i] = (float)random.NextDouble(-1, 1);
            _target[i] = (float)random.NextDouble(-1, 1);
        }
    }

    [Benchmark]
    public float ForwardUnrolled()
    {
        _unrolled.Forward(_input.AsSpan(0, _unrolled.InputCount), _output.AsSpan(0, _unrolled.OutputCount));
        return _output[0];
    }

    [Benchmark]
    public float ForwardLoops()
    {
        _loops.Forward(_input.AsSpan(0, _loops.InputCount), _output.AsSpan(0, _loops.OutputCount));
        return _output[0];
    }

    // A tiny learning rate keeps the parameters from drifting over millions of steps.
    [Benchmark]
    public float TrainStepUnrolled() =>
        _unrolled.TrainStep(_input.AsSpan(0, _unrolled.InputCount), _target.AsSpan(0, _unrolled.OutputCount), 1e-7f);

    [Benchmark]
    public float TrainStepLoops() =>
        _loops.TrainStep(_input.AsSpan(0, _loops.InputCount), _target.AsSpan(0, _loops.OutputCount), 1e-7f);
}
