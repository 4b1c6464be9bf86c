using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace NetGen.Benchmarks.Comparison;

// The comparison of the performance issue: networks A to D, NetGen beside a hand-unrolled implementation (A, B),
// plain loops, TensorPrimitives and ONNX Runtime (forward only), in one run; and NetGen compiled by [OnnxNetwork] from
// the very ONNX file ONNX Runtime runs (NetGenFromOnnxForward). One class per network so that every
// call is to a concrete sealed type (no interface dispatch in the timed code). Categories group Forward, TrainStep
// and TrainBatch; the baseline of each category is the reference for that network (hand-unrolled for A and
// B, TensorPrimitives for C and D). TrainBatch runs a batch of 32 and reports per sample (OperationsPerInvoke).
// Every Forward benchmark consumes its result the same way: it writes the shared output array and returns its first
// element (NetGen's Forward returns nothing, so a baseline returning its value from a register would be unfairly quick).

/// <summary>What every comparison class shares: the sample, the baselines, and the check run before timing.</summary>
public abstract class ComparisonBenchmarks
{
    /// <summary>
    /// The learning rate of the timed steps: tiny, so that millions of steps on one sample barely move the parameters
    /// (most updates round away), and every implementation keeps doing the same work on the same values.
    /// </summary>
    protected const float LearningRate = 1e-7f;

    protected const int BatchSize = 32;

    protected float[] Input = [];
    protected float[] Target = [];
    protected float[] Output = [];
    protected float[] BatchInputs = [];
    protected float[] BatchTargets = [];
    protected float[] BatchOutputs = [];
    protected LoopsMlp Loops = null!;
    protected TensorPrimitivesMlp Primitives = null!;
    protected OnnxForward Onnx = null!;

    protected abstract NetworkCase Case { get; }

    [GlobalSetup]
    public void Setup()
    {
        Console.WriteLine("// " + Verification.Check(Case));
        (Input, Target) = Case.Samples(1);
        (BatchInputs, BatchTargets) = Case.Samples(BatchSize);
        BatchOutputs = new float[BatchSize * Case.OutputCount];
        Output = new float[Case.OutputCount];
        Loops = Case.NewLoops();
        Primitives = Case.NewTensorPrimitives();
        Onnx = Case.NewOnnx();
        SetupNetwork();
    }

    [GlobalCleanup]
    public void Cleanup() => Onnx.Dispose();

    /// <summary>Makes the NetGen network (and the hand-unrolled one) with the shared starting parameters.</summary>
    protected abstract void SetupNetwork();
}

[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class NetworkA : ComparisonBenchmarks
{
    private NetA _netgen = null!;
    private OnnxNetA _fromOnnx = null!;
    private HandA _hand = null!;

    protected override NetworkCase Case => NetworkCase.A;

    protected override void SetupNetwork()
    {
        _netgen = (NetA)Case.NewNetGen();
        _fromOnnx = (OnnxNetA)Case.CreateFromOnnx();
        _hand = new HandA();
        _hand.SetParameters(_netgen.Parameters);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public float HandForward()
    {
        _hand.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float NetGenForward()
    {
        _netgen.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float NetGenFromOnnxForward()
    {
        _fromOnnx.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float LoopsForward()
    {
        Loops.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float TensorPrimitivesForward()
    {
        Primitives.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float OnnxRuntimeForward()
    {
        Onnx.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep")]
    public float HandTrainStep() => _hand.TrainStep(Input, Target, LearningRate);

    [Benchmark, BenchmarkCategory("TrainStep")]
    public float NetGenTrainStep() => _netgen.TrainStep(Input, Target, LearningRate);

    [Benchmark, BenchmarkCategory("TrainStep")]
    public float LoopsTrainStep() => Loops.TrainStep(Input, Target, LearningRate);

    [Benchmark, BenchmarkCategory("TrainStep")]
    public float TensorPrimitivesTrainStep() => Primitives.TrainStep(Input, Target, LearningRate);

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("TrainBatch")]
    public float NetGenTrainBatch() => _netgen.TrainBatch(BatchInputs, BatchTargets, LearningRate);
}

[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class NetworkB : ComparisonBenchmarks
{
    private NetB _netgen = null!;
    private OnnxNetB _fromOnnx = null!;
    private HandB _hand = null!;

    protected override NetworkCase Case => NetworkCase.B;

    protected override void SetupNetwork()
    {
        _netgen = (NetB)Case.NewNetGen();
        _fromOnnx = (OnnxNetB)Case.CreateFromOnnx();
        _hand = new HandB();
        _hand.SetParameters(_netgen.Parameters);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public float HandForward()
    {
        _hand.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float NetGenForward()
    {
        _netgen.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float NetGenFromOnnxForward()
    {
        _fromOnnx.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float LoopsForward()
    {
        Loops.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float TensorPrimitivesForward()
    {
        Primitives.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float OnnxRuntimeForward()
    {
        Onnx.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep")]
    public float HandTrainStep() => _hand.TrainStep(Input, Target, LearningRate);

    [Benchmark, BenchmarkCategory("TrainStep")]
    public float NetGenTrainStep() => _netgen.TrainStep(Input, Target, LearningRate);

    [Benchmark, BenchmarkCategory("TrainStep")]
    public float LoopsTrainStep() => Loops.TrainStep(Input, Target, LearningRate);

    [Benchmark, BenchmarkCategory("TrainStep")]
    public float TensorPrimitivesTrainStep() => Primitives.TrainStep(Input, Target, LearningRate);

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("TrainBatch")]
    public float NetGenTrainBatch() => _netgen.TrainBatch(BatchInputs, BatchTargets, LearningRate);
}

[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class NetworkC : ComparisonBenchmarks
{
    private NetC _netgen = null!;
    private OnnxNetC _fromOnnx = null!;

    protected override NetworkCase Case => NetworkCase.C;

    protected override void SetupNetwork()
    {
        _netgen = (NetC)Case.NewNetGen();
        _fromOnnx = (OnnxNetC)Case.CreateFromOnnx();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public float TensorPrimitivesForward()
    {
        Primitives.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float NetGenForward()
    {
        _netgen.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float NetGenFromOnnxForward()
    {
        _fromOnnx.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float LoopsForward()
    {
        Loops.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float OnnxRuntimeForward()
    {
        Onnx.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep")]
    public float TensorPrimitivesTrainStep() => Primitives.TrainStep(Input, Target, LearningRate);

    [Benchmark, BenchmarkCategory("TrainStep")]
    public float NetGenTrainStep() => _netgen.TrainStep(Input, Target, LearningRate);

    [Benchmark, BenchmarkCategory("TrainStep")]
    public float LoopsTrainStep() => Loops.TrainStep(Input, Target, LearningRate);

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("TrainBatch")]
    public float NetGenTrainBatch() => _netgen.TrainBatch(BatchInputs, BatchTargets, LearningRate);

    // The same 32 samples, one Forward call each or one ForwardBatch call, reported per sample.
    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize), BenchmarkCategory("ForwardBatch")]
    public float NetGenForwardPerSample()
    {
        int inputs = Case.InputCount, outputs = Case.OutputCount;
        for (int s = 0; s < BatchSize; s++)
        {
            _netgen.Forward(BatchInputs.AsSpan(s * inputs, inputs), BatchOutputs.AsSpan(s * outputs, outputs));
        }

        return BatchOutputs[0];
    }

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("ForwardBatch")]
    public float NetGenForwardBatch()
    {
        _netgen.ForwardBatch(BatchInputs, BatchOutputs);
        return BatchOutputs[0];
    }
}

[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class NetworkD : ComparisonBenchmarks
{
    private NetD _netgen = null!;
    private OnnxNetD _fromOnnx = null!;

    protected override NetworkCase Case => NetworkCase.D;

    protected override void SetupNetwork()
    {
        _netgen = (NetD)Case.NewNetGen();
        _fromOnnx = (OnnxNetD)Case.CreateFromOnnx();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Forward")]
    public float TensorPrimitivesForward()
    {
        Primitives.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float NetGenForward()
    {
        _netgen.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float NetGenFromOnnxForward()
    {
        _fromOnnx.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float LoopsForward()
    {
        Loops.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward")]
    public float OnnxRuntimeForward()
    {
        Onnx.Forward(Input, Output);
        return Output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep")]
    public float TensorPrimitivesTrainStep() => Primitives.TrainStep(Input, Target, LearningRate);

    [Benchmark, BenchmarkCategory("TrainStep")]
    public float NetGenTrainStep() => _netgen.TrainStep(Input, Target, LearningRate);

    [Benchmark, BenchmarkCategory("TrainStep")]
    public float LoopsTrainStep() => Loops.TrainStep(Input, Target, LearningRate);

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("TrainBatch")]
    public float NetGenTrainBatch() => _netgen.TrainBatch(BatchInputs, BatchTargets, LearningRate);

    // The same 32 samples, one Forward call each or one ForwardBatch call, reported per sample.
    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize), BenchmarkCategory("ForwardBatch")]
    public float NetGenForwardPerSample()
    {
        int inputs = Case.InputCount, outputs = Case.OutputCount;
        for (int s = 0; s < BatchSize; s++)
        {
            _netgen.Forward(BatchInputs.AsSpan(s * inputs, inputs), BatchOutputs.AsSpan(s * outputs, outputs));
        }

        return BatchOutputs[0];
    }

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("ForwardBatch")]
    public float NetGenForwardBatch()
    {
        _netgen.ForwardBatch(BatchInputs, BatchOutputs);
        return BatchOutputs[0];
    }
}
