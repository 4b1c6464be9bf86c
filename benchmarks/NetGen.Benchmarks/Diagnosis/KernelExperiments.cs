using System;
using BenchmarkDotNet.Attributes;

namespace NetGen.Benchmarks.Diagnosis;

/// <summary>
/// The runtime's row kernels on network D's first layer (128 rows of 784 weights) against a block of 8 samples, as
/// the blocked TrainBatch uses them: one Dot per row and sample against DotRows (each weight vector loaded once for
/// four samples), and the weight slopes as one MultiplyAdd per sample against MultiplyAddRows (each gradient row read
/// and written once per block). Per block of 8 samples.
/// </summary>
[MemoryDiagnoser]
public class KernelExperiments
{
    private const int Rows = 128, Inputs = 784, Block = 8;
    private readonly float[] _w = new float[Rows * Inputs];
    private readonly float[] _g = new float[Rows * Inputs];
    private readonly float[] _x = new float[Block * Inputs];
    private readonly float[] _sums = new float[Rows * Block];
    private readonly float[] _slopes = new float[Block];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        foreach (float[] a in new[] { _w, _x, _slopes })
        {
            for (int i = 0; i < a.Length; i++)
            {
                a[i] = (float)((random.NextDouble() * 2) - 1);
            }
        }
    }

    [Benchmark(Baseline = true)]
    public float OneDotPerRowAndSample()
    {
        for (int j = 0; j < Rows; j++)
        {
            ReadOnlySpan<float> w = _w.AsSpan(j * Inputs, Inputs);
            for (int k = 0; k < Block; k++)
            {
                _sums[(j * Block) + k] = global::NetGen.Kernels.Dot<float>(w, _x.AsSpan(k * Inputs, Inputs));
            }
        }

        return _sums[0];
    }

    [Benchmark]
    public float DotRows()
    {
        for (int j = 0; j < Rows; j++)
        {
            global::NetGen.Kernels.DotRows<float>(_w.AsSpan(j * Inputs, Inputs), _x, _sums.AsSpan(j * Block, Block));
        }

        return _sums[0];
    }

    [Benchmark]
    public float OneMultiplyAddPerSample()
    {
        for (int j = 0; j < Rows; j++)
        {
            Span<float> g = _g.AsSpan(j * Inputs, Inputs);
            for (int k = 0; k < Block; k++)
            {
                global::NetGen.Kernels.MultiplyAdd<float>(_x.AsSpan(k * Inputs, Inputs), _slopes[k], g);
            }
        }

        return _g[0];
    }

    [Benchmark]
    public float MultiplyAddRows()
    {
        for (int j = 0; j < Rows; j++)
        {
            global::NetGen.Kernels.MultiplyAddRows<float>(_x, [0, 1, 2, 3, 4, 5, 6, 7], _slopes, _g.AsSpan(j * Inputs, Inputs));
        }

        return _g[0];
    }
}
