using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NetGen.Benchmarks.Comparison;

namespace NetGen.Benchmarks.Diagnosis;

// Network C's members as NetGen generates them today (bodies in a file-local static class, reached through one-line
// members of the user's type) beside the code it generated before that rewrite (NetCBeforeRewrite.cs), in one run:
// a before/after ratio of the same methods that two separate builds, timed minutes apart on a shared machine,
// cannot give. Baseline of each category: the code from before the rewrite.

/// <summary>Network C (64-32-10) before and after the readable-code rewrite, member by member.</summary>
[MemoryDiagnoser]
[DisassemblyDiagnoser(maxDepth: 3, printSource: false, exportGithubMarkdown: true)]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class ReadableCodeExperiments
{
    private const int BatchSize = 32;
    private const float LearningRate = 1e-7f;
    private readonly NetC _after = (NetC)NetworkCase.C.NewNetGen();
    private readonly NetCBeforeRewrite _before = new();
    private float[] _input = [], _target = [], _inputs = [], _targets = [];
    private readonly float[] _output = new float[10];

    [GlobalSetup]
    public void Setup()
    {
        _after.Parameters.CopyTo(_before.Parameters);
        (_input, _target) = NetworkCase.C.Samples(1);
        (_inputs, _targets) = NetworkCase.C.Samples(BatchSize);
        VariantCheck.Same("C Forward before", _after.Forward, _before.Forward, _input, 10);
        VariantCheck.SameStep("C TrainStep before", NetworkCase.C, p =>
        {
            var v = new NetCBeforeRewrite();
            p.CopyTo(v.Parameters);
            return (v.TrainStep, () => v.Parameters.ToArray());
        });
        var a = (NetC)NetworkCase.C.NewNetGen();
        var b = new NetCBeforeRewrite();
        a.Parameters.CopyTo(b.Parameters);
        a.TrainBatch(_inputs, _targets, 0.01f);
        b.TrainBatch(_inputs, _targets, 0.01f);
        if (!a.Parameters.SequenceEqual((ReadOnlySpan<float>)b.Parameters))
        {
            throw new InvalidOperationException("C TrainBatch before and after the rewrite give different parameters.");
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public float ForwardBefore()
    {
        _before.Forward(_input, _output);
        return _output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float ForwardAfter()
    {
        _after.Forward(_input, _output);
        return _output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep")]
    public float TrainStepBefore() => _before.TrainStep(_input, _target, LearningRate);

    [Benchmark, BenchmarkCategory("TrainStep")]
    public float TrainStepAfter() => _after.TrainStep(_input, _target, LearningRate);

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize), BenchmarkCategory("TrainBatch")]
    public float TrainBatchBefore() => _before.TrainBatch(_inputs, _targets, LearningRate);

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("TrainBatch")]
    public float TrainBatchAfter() => _after.TrainBatch(_inputs, _targets, LearningRate);
}
