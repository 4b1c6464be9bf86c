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
//
// Each Forward, TrainStep and TrainBatch benchmark comes twice: on the one fixed sample (categories Forward, TrainStep,
// TrainBatch), and with fresh inputs (categories "Forward fresh", "TrainStep fresh", "TrainBatch fresh"), each call
// taking the next sample (or the next 32) of a buffer of distinct samples, in order, wrapping around. On one fixed
// sample every data-dependent branch (ReLU's sign, TrainStep's skipped rows) takes the same way every call and the
// predictor learns it, so the fixed figures are a best case; the fresh ones are what a program fed new data sees.
// The buffer's length is NetworkCase.FreshSampleCount (why that length: see there). A fresh benchmark also pays for
// moving its position (a load, an add, a mask and a store): the same for every implementation, so ratios in a fresh
// category compare like with like.

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
    protected float[] FreshInputs = [];
    protected float[] FreshTargets = [];
    protected int FreshMask;
    protected int InputCount;
    protected int OutputCount;
    protected int Next;
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
        (FreshInputs, FreshTargets) = Case.FreshSamples();
        FreshMask = Case.FreshSampleCount - 1;
        InputCount = Case.InputCount;
        OutputCount = Case.OutputCount;
        Next = 0;
        Loops = Case.NewLoops();
        Primitives = Case.NewTensorPrimitives();
        Onnx = Case.NewOnnx();
        SetupNetwork();
    }

    [GlobalCleanup]
    public void Cleanup() => Onnx.Dispose();

    /// <summary>Makes the NetGen network (and the hand-unrolled one) with the shared starting parameters.</summary>
    protected abstract void SetupNetwork();

    /// <summary>The index of the next fresh sample, moving the position on by one.</summary>
    protected int NextSample()
    {
        int i = Next;
        Next = (i + 1) & FreshMask;
        return i;
    }

    /// <summary>The index of the first of the next <see cref="BatchSize"/> fresh samples (the count is a multiple of it).</summary>
    protected int NextBatch()
    {
        int i = Next;
        Next = (i + BatchSize) & FreshMask;
        return i;
    }

    protected ReadOnlySpan<float> FreshInput(int sample) => FreshInputs.AsSpan(sample * InputCount, InputCount);

    protected ReadOnlySpan<float> FreshTarget(int sample) => FreshTargets.AsSpan(sample * OutputCount, OutputCount);

    protected ReadOnlySpan<float> FreshBatchInputs(int first) => FreshInputs.AsSpan(first * InputCount, BatchSize * InputCount);

    protected ReadOnlySpan<float> FreshBatchTargets(int first) => FreshTargets.AsSpan(first * OutputCount, BatchSize * OutputCount);
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
        _fromOnnx = (OnnxNetA)Case.CreateFromOnnx!();
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

    [Benchmark(Baseline = true), BenchmarkCategory("Forward fresh")]
    public float HandForwardFresh()
    {
        _hand.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float NetGenForwardFresh()
    {
        _netgen.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float NetGenFromOnnxForwardFresh()
    {
        _fromOnnx.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float LoopsForwardFresh()
    {
        Loops.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float TensorPrimitivesForwardFresh()
    {
        Primitives.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float OnnxRuntimeForwardFresh()
    {
        Onnx.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep fresh")]
    public float HandTrainStepFresh()
    {
        int i = NextSample();
        return _hand.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float NetGenTrainStepFresh()
    {
        int i = NextSample();
        return _netgen.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float LoopsTrainStepFresh()
    {
        int i = NextSample();
        return Loops.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float TensorPrimitivesTrainStepFresh()
    {
        int i = NextSample();
        return Primitives.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("TrainBatch fresh")]
    public float NetGenTrainBatchFresh()
    {
        int i = NextBatch();
        return _netgen.TrainBatch(FreshBatchInputs(i), FreshBatchTargets(i), LearningRate);
    }
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
        _fromOnnx = (OnnxNetB)Case.CreateFromOnnx!();
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

    [Benchmark(Baseline = true), BenchmarkCategory("Forward fresh")]
    public float HandForwardFresh()
    {
        _hand.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float NetGenForwardFresh()
    {
        _netgen.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float NetGenFromOnnxForwardFresh()
    {
        _fromOnnx.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float LoopsForwardFresh()
    {
        Loops.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float TensorPrimitivesForwardFresh()
    {
        Primitives.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float OnnxRuntimeForwardFresh()
    {
        Onnx.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep fresh")]
    public float HandTrainStepFresh()
    {
        int i = NextSample();
        return _hand.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float NetGenTrainStepFresh()
    {
        int i = NextSample();
        return _netgen.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float LoopsTrainStepFresh()
    {
        int i = NextSample();
        return Loops.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float TensorPrimitivesTrainStepFresh()
    {
        int i = NextSample();
        return Primitives.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("TrainBatch fresh")]
    public float NetGenTrainBatchFresh()
    {
        int i = NextBatch();
        return _netgen.TrainBatch(FreshBatchInputs(i), FreshBatchTargets(i), LearningRate);
    }
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
        _fromOnnx = (OnnxNetC)Case.CreateFromOnnx!();
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

    [Benchmark(Baseline = true), BenchmarkCategory("Forward fresh")]
    public float TensorPrimitivesForwardFresh()
    {
        Primitives.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float NetGenForwardFresh()
    {
        _netgen.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float NetGenFromOnnxForwardFresh()
    {
        _fromOnnx.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float LoopsForwardFresh()
    {
        Loops.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float OnnxRuntimeForwardFresh()
    {
        Onnx.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep fresh")]
    public float TensorPrimitivesTrainStepFresh()
    {
        int i = NextSample();
        return Primitives.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float NetGenTrainStepFresh()
    {
        int i = NextSample();
        return _netgen.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float LoopsTrainStepFresh()
    {
        int i = NextSample();
        return Loops.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("TrainBatch fresh")]
    public float NetGenTrainBatchFresh()
    {
        int i = NextBatch();
        return _netgen.TrainBatch(FreshBatchInputs(i), FreshBatchTargets(i), LearningRate);
    }

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
        _fromOnnx = (OnnxNetD)Case.CreateFromOnnx!();
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

    [Benchmark(Baseline = true), BenchmarkCategory("Forward fresh")]
    public float TensorPrimitivesForwardFresh()
    {
        Primitives.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float NetGenForwardFresh()
    {
        _netgen.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float NetGenFromOnnxForwardFresh()
    {
        _fromOnnx.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float LoopsForwardFresh()
    {
        Loops.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float OnnxRuntimeForwardFresh()
    {
        Onnx.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep fresh")]
    public float TensorPrimitivesTrainStepFresh()
    {
        int i = NextSample();
        return Primitives.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float NetGenTrainStepFresh()
    {
        int i = NextSample();
        return _netgen.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float LoopsTrainStepFresh()
    {
        int i = NextSample();
        return Loops.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("TrainBatch fresh")]
    public float NetGenTrainBatchFresh()
    {
        int i = NextBatch();
        return _netgen.TrainBatch(FreshBatchInputs(i), FreshBatchTargets(i), LearningRate);
    }

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

/// <summary>Dense 4x4: 4-4-4, ReLU hidden, biases (ONNX Runtime on an export made in memory).</summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class NetworkDense4 : ComparisonBenchmarks
{
    private NetDense4 _netgen = null!;

    protected override NetworkCase Case => NetworkCase.Dense4;

    protected override void SetupNetwork() => _netgen = (NetDense4)Case.NewNetGen();

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

    [Benchmark(Baseline = true), BenchmarkCategory("Forward fresh")]
    public float TensorPrimitivesForwardFresh()
    {
        Primitives.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float NetGenForwardFresh()
    {
        _netgen.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float LoopsForwardFresh()
    {
        Loops.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float OnnxRuntimeForwardFresh()
    {
        Onnx.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep fresh")]
    public float TensorPrimitivesTrainStepFresh()
    {
        int i = NextSample();
        return Primitives.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float NetGenTrainStepFresh()
    {
        int i = NextSample();
        return _netgen.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float LoopsTrainStepFresh()
    {
        int i = NextSample();
        return Loops.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("TrainBatch fresh")]
    public float NetGenTrainBatchFresh()
    {
        int i = NextBatch();
        return _netgen.TrainBatch(FreshBatchInputs(i), FreshBatchTargets(i), LearningRate);
    }
}

/// <summary>Dense 8x8: 8-8-8, ReLU hidden, biases (ONNX Runtime on an export made in memory).</summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class NetworkDense8 : ComparisonBenchmarks
{
    private NetDense8 _netgen = null!;

    protected override NetworkCase Case => NetworkCase.Dense8;

    protected override void SetupNetwork() => _netgen = (NetDense8)Case.NewNetGen();

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

    [Benchmark(Baseline = true), BenchmarkCategory("Forward fresh")]
    public float TensorPrimitivesForwardFresh()
    {
        Primitives.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float NetGenForwardFresh()
    {
        _netgen.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float LoopsForwardFresh()
    {
        Loops.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float OnnxRuntimeForwardFresh()
    {
        Onnx.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep fresh")]
    public float TensorPrimitivesTrainStepFresh()
    {
        int i = NextSample();
        return Primitives.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float NetGenTrainStepFresh()
    {
        int i = NextSample();
        return _netgen.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float LoopsTrainStepFresh()
    {
        int i = NextSample();
        return Loops.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("TrainBatch fresh")]
    public float NetGenTrainBatchFresh()
    {
        int i = NextBatch();
        return _netgen.TrainBatch(FreshBatchInputs(i), FreshBatchTargets(i), LearningRate);
    }
}

/// <summary>Dense 16x16: 16-16-16, ReLU hidden, biases (ONNX Runtime on an export made in memory).</summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class NetworkDense16 : ComparisonBenchmarks
{
    private NetDense16 _netgen = null!;

    protected override NetworkCase Case => NetworkCase.Dense16;

    protected override void SetupNetwork() => _netgen = (NetDense16)Case.NewNetGen();

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

    [Benchmark(Baseline = true), BenchmarkCategory("Forward fresh")]
    public float TensorPrimitivesForwardFresh()
    {
        Primitives.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float NetGenForwardFresh()
    {
        _netgen.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float LoopsForwardFresh()
    {
        Loops.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float OnnxRuntimeForwardFresh()
    {
        Onnx.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep fresh")]
    public float TensorPrimitivesTrainStepFresh()
    {
        int i = NextSample();
        return Primitives.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float NetGenTrainStepFresh()
    {
        int i = NextSample();
        return _netgen.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float LoopsTrainStepFresh()
    {
        int i = NextSample();
        return Loops.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("TrainBatch fresh")]
    public float NetGenTrainBatchFresh()
    {
        int i = NextBatch();
        return _netgen.TrainBatch(FreshBatchInputs(i), FreshBatchTargets(i), LearningRate);
    }
}

/// <summary>Dense 32x32: 32-32-32, ReLU hidden, biases (ONNX Runtime on an export made in memory).</summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class NetworkDense32 : ComparisonBenchmarks
{
    private NetDense32 _netgen = null!;

    protected override NetworkCase Case => NetworkCase.Dense32;

    protected override void SetupNetwork() => _netgen = (NetDense32)Case.NewNetGen();

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

    [Benchmark(Baseline = true), BenchmarkCategory("Forward fresh")]
    public float TensorPrimitivesForwardFresh()
    {
        Primitives.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float NetGenForwardFresh()
    {
        _netgen.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float LoopsForwardFresh()
    {
        Loops.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float OnnxRuntimeForwardFresh()
    {
        Onnx.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep fresh")]
    public float TensorPrimitivesTrainStepFresh()
    {
        int i = NextSample();
        return Primitives.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float NetGenTrainStepFresh()
    {
        int i = NextSample();
        return _netgen.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float LoopsTrainStepFresh()
    {
        int i = NextSample();
        return Loops.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("TrainBatch fresh")]
    public float NetGenTrainBatchFresh()
    {
        int i = NextBatch();
        return _netgen.TrainBatch(FreshBatchInputs(i), FreshBatchTargets(i), LearningRate);
    }
}

/// <summary>Dense 64x64: 64-64-64, ReLU hidden, biases (ONNX Runtime on an export made in memory).</summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class NetworkDense64 : ComparisonBenchmarks
{
    private NetDense64 _netgen = null!;

    protected override NetworkCase Case => NetworkCase.Dense64;

    protected override void SetupNetwork() => _netgen = (NetDense64)Case.NewNetGen();

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

    [Benchmark(Baseline = true), BenchmarkCategory("Forward fresh")]
    public float TensorPrimitivesForwardFresh()
    {
        Primitives.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float NetGenForwardFresh()
    {
        _netgen.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float LoopsForwardFresh()
    {
        Loops.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark, BenchmarkCategory("Forward fresh")]
    public float OnnxRuntimeForwardFresh()
    {
        Onnx.Forward(FreshInput(NextSample()), Output);
        return Output[0];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("TrainStep fresh")]
    public float TensorPrimitivesTrainStepFresh()
    {
        int i = NextSample();
        return Primitives.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float NetGenTrainStepFresh()
    {
        int i = NextSample();
        return _netgen.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark, BenchmarkCategory("TrainStep fresh")]
    public float LoopsTrainStepFresh()
    {
        int i = NextSample();
        return Loops.TrainStep(FreshInput(i), FreshTarget(i), LearningRate);
    }

    [Benchmark(OperationsPerInvoke = BatchSize), BenchmarkCategory("TrainBatch fresh")]
    public float NetGenTrainBatchFresh()
    {
        int i = NextBatch();
        return _netgen.TrainBatch(FreshBatchInputs(i), FreshBatchTargets(i), LearningRate);
    }
}
