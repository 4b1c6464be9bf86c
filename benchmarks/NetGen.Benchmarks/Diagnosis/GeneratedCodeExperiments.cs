using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NetGen.Benchmarks.Comparison;

namespace NetGen.Benchmarks.Diagnosis;

// What the generated code would gain from each change: the methods NetGen generates today beside hand-edited copies
// (SmallNetworkVariants.cs, WideNetworkVariants.cs), with their machine code (DisassemblyDiagnoser, written to
// BenchmarkDotNet.Artifacts/results/*-asm.md). Baseline of each category: the generated method itself.
// Every variant starts from the same parameters and is checked against the generated method before timing.

/// <summary>Bounds checks, and where the parameters live, in the straight-line code of networks A and B.</summary>
[MemoryDiagnoser]
[DisassemblyDiagnoser(maxDepth: 2, printSource: false, exportGithubMarkdown: true)]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class SmallNetworkExperiments
{
    private const float LearningRate = 1e-7f;
    private readonly NetA _a = (NetA)NetworkCase.A.NewNetGen();
    private readonly NetB _b = (NetB)NetworkCase.B.NewNetGen();
    private readonly NetAVariants _av = new();
    private readonly NetBVariants _bv = new();
    private readonly NetAInlineVariant _ai = new();
    private float[] _inputA = [], _targetA = [], _inputB = [], _targetB = [];
    private readonly float[] _output = new float[3];

    [GlobalSetup]
    public void Setup()
    {
        (_inputA, _targetA) = NetworkCase.A.Samples(1);
        (_inputB, _targetB) = NetworkCase.B.Samples(1);
        _a.Parameters.CopyTo(_av.Parameters);
        _b.Parameters.CopyTo(_bv.Parameters);
        _a.Parameters.CopyTo(_ai.Parameters);
        VariantCheck.Same("A Forward inline", _a.Forward, _ai.Forward, _inputA, 1);
        VariantCheck.SameStep("A TrainStep inline", NetworkCase.A, p => { var v = new NetAInlineVariant(); p.CopyTo(v.Parameters); return (v.TrainStep, () => v.Parameters.ToArray()); });
        VariantCheck.Same("A Forward hint", _a.Forward, _av.ForwardHint, _inputA, 1);
        VariantCheck.Same("A Forward ref", _a.Forward, _av.ForwardRef, _inputA, 1);
        VariantCheck.Same("B Forward hint", _b.Forward, _bv.ForwardHint, _inputB, 3);
        VariantCheck.Same("B Forward ref", _b.Forward, _bv.ForwardRef, _inputB, 3);
        VariantCheck.SameStep("A TrainStep hint", NetworkCase.A, p => { var v = new NetAVariants(); p.CopyTo(v.Parameters); return (v.TrainStepHint, () => v.Parameters.ToArray()); });
        VariantCheck.SameStep("A TrainStep ref", NetworkCase.A, p => { var v = new NetAVariants(); p.CopyTo(v.Parameters); return (v.TrainStepRef, () => v.Parameters.ToArray()); });
        VariantCheck.SameStep("B TrainStep hint", NetworkCase.B, p => { var v = new NetBVariants(); p.CopyTo(v.Parameters); return (v.TrainStepHint, () => v.Parameters.ToArray()); });
        VariantCheck.SameStep("B TrainStep ref", NetworkCase.B, p => { var v = new NetBVariants(); p.CopyTo(v.Parameters); return (v.TrainStepRef, () => v.Parameters.ToArray()); });
    }

    [Benchmark(Baseline = true), BenchmarkCategory("A Forward")]
    public float AForwardGenerated()
    {
        _a.Forward(_inputA, _output.AsSpan(0, 1));
        return _output[0];
    }

    [Benchmark, BenchmarkCategory("A Forward")]
    public float AForwardHint()
    {
        _av.ForwardHint(_inputA, _output.AsSpan(0, 1));
        return _output[0];
    }

    [Benchmark, BenchmarkCategory("A Forward")]
    public float AForwardRef()
    {
        _av.ForwardRef(_inputA, _output.AsSpan(0, 1));
        return _output[0];
    }

    [Benchmark, BenchmarkCategory("A Forward")]
    public float AForwardInlineArray()
    {
        _ai.Forward(_inputA, _output.AsSpan(0, 1));
        return _output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("A TrainStep")]
    public float ATrainStepGenerated() => _a.TrainStep(_inputA, _targetA, LearningRate);

    [Benchmark, BenchmarkCategory("A TrainStep")]
    public float ATrainStepHint() => _av.TrainStepHint(_inputA, _targetA, LearningRate);

    [Benchmark, BenchmarkCategory("A TrainStep")]
    public float ATrainStepRef() => _av.TrainStepRef(_inputA, _targetA, LearningRate);

    [Benchmark, BenchmarkCategory("A TrainStep")]
    public float ATrainStepInlineArray() => _ai.TrainStep(_inputA, _targetA, LearningRate);

    [Benchmark(Baseline = true), BenchmarkCategory("B Forward")]
    public float BForwardGenerated()
    {
        _b.Forward(_inputB, _output);
        return _output[0];
    }

    [Benchmark, BenchmarkCategory("B Forward")]
    public float BForwardHint()
    {
        _bv.ForwardHint(_inputB, _output);
        return _output[0];
    }

    [Benchmark, BenchmarkCategory("B Forward")]
    public float BForwardRef()
    {
        _bv.ForwardRef(_inputB, _output);
        return _output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("B TrainStep")]
    public float BTrainStepGenerated() => _b.TrainStep(_inputB, _targetB, LearningRate);

    [Benchmark, BenchmarkCategory("B TrainStep")]
    public float BTrainStepHint() => _bv.TrainStepHint(_inputB, _targetB, LearningRate);

    [Benchmark, BenchmarkCategory("B TrainStep")]
    public float BTrainStepRef() => _bv.TrainStepRef(_inputB, _targetB, LearningRate);
}

/// <summary>Bounds checks and scalar loops in the loops code of networks C and D.</summary>
[MemoryDiagnoser]
[DisassemblyDiagnoser(maxDepth: 1, printSource: false, exportGithubMarkdown: true)]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class WideNetworkExperiments
{
    private const float LearningRate = 1e-7f;
    private readonly NetC _c = (NetC)NetworkCase.C.NewNetGen();
    private readonly NetD _d = (NetD)NetworkCase.D.NewNetGen();
    private readonly NetCVariants _cv = new();
    private readonly NetDVariants _dv = new();
    private float[] _inputC = [], _targetC = [], _inputD = [], _targetD = [];
    private readonly float[] _output = new float[10];

    [GlobalSetup]
    public void Setup()
    {
        (_inputC, _targetC) = NetworkCase.C.Samples(1);
        (_inputD, _targetD) = NetworkCase.D.Samples(1);
        _c.Parameters.CopyTo(_cv.Parameters);
        _d.Parameters.CopyTo(_dv.Parameters);
        VariantCheck.Same("C Forward ref", _c.Forward, _cv.ForwardRef, _inputC, 10);
        VariantCheck.Same("C Forward SIMD", _c.Forward, _cv.ForwardSimd, _inputC, 10);
        VariantCheck.Same("D Forward ref", _d.Forward, _dv.ForwardRef, _inputD, 10);
        VariantCheck.Same("D Forward SIMD", _d.Forward, _dv.ForwardSimd, _inputD, 10);
        VariantCheck.SameStep("C TrainStep ref", NetworkCase.C, p => { var v = new NetCVariants(); p.CopyTo(v.Parameters); return (v.TrainStepRef, () => v.Parameters.ToArray()); });
        VariantCheck.SameStep("C TrainStep split", NetworkCase.C, p => { var v = new NetCVariants(); p.CopyTo(v.Parameters); return (v.TrainStepSplit, () => v.Parameters.ToArray()); });
        VariantCheck.SameStep("C TrainStep SIMD", NetworkCase.C, p => { var v = new NetCVariants(); p.CopyTo(v.Parameters); return (v.TrainStepSimd, () => v.Parameters.ToArray()); });
        VariantCheck.SameStep("D TrainStep ref", NetworkCase.D, p => { var v = new NetDVariants(); p.CopyTo(v.Parameters); return (v.TrainStepRef, () => v.Parameters.ToArray()); });
        VariantCheck.SameStep("D TrainStep split", NetworkCase.D, p => { var v = new NetDVariants(); p.CopyTo(v.Parameters); return (v.TrainStepSplit, () => v.Parameters.ToArray()); });
        VariantCheck.SameStep("D TrainStep SIMD", NetworkCase.D, p => { var v = new NetDVariants(); p.CopyTo(v.Parameters); return (v.TrainStepSimd, () => v.Parameters.ToArray()); });
    }

    [Benchmark(Baseline = true), BenchmarkCategory("C Forward")]
    public float CForwardGenerated()
    {
        _c.Forward(_inputC, _output);
        return _output[0];
    }

    [Benchmark, BenchmarkCategory("C Forward")]
    public float CForwardRef()
    {
        _cv.ForwardRef(_inputC, _output);
        return _output[0];
    }

    [Benchmark, BenchmarkCategory("C Forward")]
    public float CForwardSimd()
    {
        _cv.ForwardSimd(_inputC, _output);
        return _output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("C TrainStep")]
    public float CTrainStepGenerated() => _c.TrainStep(_inputC, _targetC, LearningRate);

    [Benchmark, BenchmarkCategory("C TrainStep")]
    public float CTrainStepRef() => _cv.TrainStepRef(_inputC, _targetC, LearningRate);

    [Benchmark, BenchmarkCategory("C TrainStep")]
    public float CTrainStepSplit() => _cv.TrainStepSplit(_inputC, _targetC, LearningRate);

    [Benchmark, BenchmarkCategory("C TrainStep")]
    public float CTrainStepSimd() => _cv.TrainStepSimd(_inputC, _targetC, LearningRate);

    [Benchmark(Baseline = true), BenchmarkCategory("D Forward")]
    public float DForwardGenerated()
    {
        _d.Forward(_inputD, _output);
        return _output[0];
    }

    [Benchmark, BenchmarkCategory("D Forward")]
    public float DForwardRef()
    {
        _dv.ForwardRef(_inputD, _output);
        return _output[0];
    }

    [Benchmark, BenchmarkCategory("D Forward")]
    public float DForwardSimd()
    {
        _dv.ForwardSimd(_inputD, _output);
        return _output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("D TrainStep")]
    public float DTrainStepGenerated() => _d.TrainStep(_inputD, _targetD, LearningRate);

    [Benchmark, BenchmarkCategory("D TrainStep")]
    public float DTrainStepRef() => _dv.TrainStepRef(_inputD, _targetD, LearningRate);

    [Benchmark, BenchmarkCategory("D TrainStep")]
    public float DTrainStepSplit() => _dv.TrainStepSplit(_inputD, _targetD, LearningRate);

    [Benchmark, BenchmarkCategory("D TrainStep")]
    public float DTrainStepSimd() => _dv.TrainStepSimd(_inputD, _targetD, LearningRate);
}

/// <summary>Checks that a hand-edited variant computes what the generated method computes, within the comparison's tolerance.</summary>
public static class VariantCheck
{
    public delegate void ForwardAction(ReadOnlySpan<float> input, Span<float> output);

    public static void Same(string what, ForwardAction generated, ForwardAction variant, float[] input, int outputs)
    {
        float[] expected = new float[outputs], actual = new float[outputs];
        generated(input, expected);
        variant(input, actual);
        Compare(what, expected, actual);
    }

    /// <summary>One TrainStep (learning rate 0.01) from the same parameters: the loss and every parameter after it.</summary>
    public static void SameStep(string what, NetworkCase c, Func<float[], (TrainStepFunc Step, Func<float[]> Parameters)> variantFrom)
    {
        (float[] input, float[] target) = c.Samples(1);
        INetwork<float> generated = c.NewNetGen();
        (TrainStepFunc step, Func<float[]> parameters) = variantFrom(generated.Parameters.ToArray());
        float expectedLoss = generated.TrainStep(input, target, Verification.LearningRate);
        float actualLoss = step(input, target, Verification.LearningRate);
        Compare(what + " loss", [expectedLoss], [actualLoss]);
        Compare(what + " parameters", generated.Parameters.ToArray(), parameters());
    }

    private static void Compare(string what, float[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            float scaled = Math.Abs(expected[i] - actual[i]) / Math.Max(1f, Math.Abs(expected[i]));
            if (!(scaled <= Verification.Tolerance))
            {
                throw new InvalidOperationException($"{what}: the variant gives {actual[i]} at [{i}], the generated code {expected[i]}.");
            }
        }
    }
}
