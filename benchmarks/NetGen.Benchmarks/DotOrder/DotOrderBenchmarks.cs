using System;
using System.Globalization;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;

namespace NetGen.Benchmarks.DotOrder;

// What the fixed summation order of Kernels.Dot (commit 94e7ab9) costs, in one run: Kernels.DotRows against the
// pre-change copy in OldKernels, at the shapes networks C and D of the comparison call it with. Each shape is
// "n x rows": DotRows(w, rows, sums) with w of n values and rows of that many rows of n values. Forward, Loss and
// TrainStep call it once per layer with w = the layer's input and rows = its weight matrix (C: 64 x 32 then
// 32 x 10; D: 784 x 128 then 128 x 10); TrainBatch once per node and block of eight samples with w = the node's
// weights and rows = the block's inputs (n x 8). Below 512-bit vectors DotRows is one Dot per row, so this times
// Dot as well. Run with `-- --dot-order` (Program.cs), which adds a second job with DOTNET_EnableAVX2=0 (128-bit
// vectors).

/// <summary>Kernels.DotRows (fixed order) against OldKernels.DotRows (the order before 94e7ab9), C and D's shapes.</summary>
[MemoryDiagnoser]
public class DotOrderBenchmarks
{
    private float[] _w = [];
    private float[] _rows = [];
    private float[] _sums = [];

    /// <summary>Which network and layer, then n x rows.</summary>
    [Params(
        "C.1 64x32",
        "C.2 32x10",
        "D.1 784x128",
        "D.2 128x10",
        "C.1 batch 64x8",
        "C.2 batch 32x8",
        "D.1 batch 784x8",
        "D.2 batch 128x8")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        string[] size = Shape[(Shape.LastIndexOf(' ') + 1)..].Split('x');
        int n = int.Parse(size[0], CultureInfo.InvariantCulture);
        int rows = int.Parse(size[1], CultureInfo.InvariantCulture);
        var random = new DeterministicRandom(7);
        _w = new float[n];
        _rows = new float[n * rows];
        _sums = new float[rows];
        for (int i = 0; i < _w.Length; i++)
        {
            _w[i] = (float)random.NextDouble(-1, 1);
        }

        for (int i = 0; i < _rows.Length; i++)
        {
            _rows[i] = (float)random.NextDouble(-1, 1);
        }

        // Which path runs, and that the two orders agree to rounding (they need not agree to the bit).
        float[] old = new float[rows];
        OldKernels.DotRows<float>(_w, _rows, old);
        Kernels.DotRows<float>(_w, _rows, _sums);
        double largest = 0;
        int same = 0;
        for (int k = 0; k < rows; k++)
        {
            largest = Math.Max(largest, Math.Abs(old[k] - _sums[k]) / Math.Max(1, Math.Abs(old[k])));
            same += BitConverter.SingleToInt32Bits(old[k]) == BitConverter.SingleToInt32Bits(_sums[k]) ? 1 : 0;
        }

        if (largest > 1e-5)
        {
            throw new InvalidOperationException($"Old and new DotRows differ by {largest} at {Shape}.");
        }

        Console.WriteLine(
            $"// Kernels.VectorBits = {Kernels.VectorBits} (Vector512 {Vector512.IsHardwareAccelerated}, " +
            $"Vector256 {Vector256.IsHardwareAccelerated}, Vector128 {Vector128.IsHardwareAccelerated}); {Shape}: " +
            $"old and new agree to {largest:g3}, {same} of {rows} sums bit for bit");
    }

    [Benchmark(Baseline = true)]
    public float OldDotRows()
    {
        OldKernels.DotRows<float>(_w, _rows, _sums);
        return _sums[0];
    }

    [Benchmark]
    public float NewDotRows()
    {
        Kernels.DotRows<float>(_w, _rows, _sums);
        return _sums[0];
    }
}
