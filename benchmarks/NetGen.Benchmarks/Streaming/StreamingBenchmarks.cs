using System;
using BenchmarkDotNet.Attributes;

namespace NetGen.Benchmarks.Streaming;

// The NetGen side of the streaming peer benchmark (docs/benchmarks.md, "Streaming models: NetGen, RTNeural and
// PyTorch"): per network, one time step per call (Step) and ForwardSequence over blocks of 64, 512 and 2,048 steps,
// reported per step (OperationsPerInvoke). One class per network so that every call is to the concrete sealed type
// and its own State class (no interface dispatch, no state cast in the timed code).
//
// Every call reads fresh inputs: the next step(s) of a buffer of 262,144 values uniform in [-1, 1), wrapping around.
// The timed code has data-dependent branches (NetGen's Sigmoid tests the sign of its argument, and the C library's
// expf and tanhf behind MathF branch on the range of theirs), and a predictor with long global history learns a
// short input pattern replayed over and over, which would time a best case that no audio stream gives. At 2^18 values the pattern repeats only after 2^18 steps of dozens of branches each, far past what any
// predictor holds, while the buffer (1 MiB, read in order) stays streaming through the prefetcher. The state
// carries on from call to call, as it would in a stream.

/// <summary>What the streaming classes share: the input buffer, the output buffer and the position in the buffer.</summary>
public abstract class StreamingBenchmarks
{
    /// <summary>2^18: see the note at the top of the file.</summary>
    public const int BufferLength = 1 << 18;

    protected const int Mask = BufferLength - 1;

    protected float[] Inputs = [];
    protected float[] Outputs = [];
    protected int Next;

    protected abstract StreamingCase Case { get; }

    [GlobalSetup]
    public void Setup()
    {
        Inputs = StreamingCase.Inputs(BufferLength, StreamingCase.TimingSeed);
        Outputs = new float[2048];
        Next = 0;
        SetupNetwork();
        Console.WriteLine($"// {Case.Name}: {Case.NewNetGen().Topology}, {Case.NewNetGen().Parameters.Length} parameters");
    }

    /// <summary>Makes the NetGen network with the shared weights, and its state.</summary>
    protected abstract void SetupNetwork();
}

[MemoryDiagnoser]
public class StreamingGru8 : StreamingBenchmarks
{
    private Gru8Net _net = null!;
    private Gru8Net.State _state = null!;

    protected override StreamingCase Case => StreamingCase.Gru8;

    protected override void SetupNetwork()
    {
        _net = (Gru8Net)Case.NewNetGen();
        _state = _net.CreateState();
    }

    [Benchmark(Baseline = true)]
    public float Step()
    {
        int i = Next;
        _net.Forward(Inputs.AsSpan(i, 1), Outputs.AsSpan(0, 1), _state);
        Next = (i + 1) & Mask;
        return Outputs[0];
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public float Block64() => Block(64);

    [Benchmark(OperationsPerInvoke = 512)]
    public float Block512() => Block(512);

    [Benchmark(OperationsPerInvoke = 2048)]
    public float Block2048() => Block(2048);

    private float Block(int steps)
    {
        int i = Next;
        _net.ForwardSequence(Inputs.AsSpan(i, steps), Outputs.AsSpan(0, steps), _state);
        Next = (i + steps) & Mask;
        return Outputs[steps - 1];
    }
}

[MemoryDiagnoser]
public class StreamingLstm8 : StreamingBenchmarks
{
    private Lstm8Net _net = null!;
    private Lstm8Net.State _state = null!;

    protected override StreamingCase Case => StreamingCase.Lstm8;

    protected override void SetupNetwork()
    {
        _net = (Lstm8Net)Case.NewNetGen();
        _state = _net.CreateState();
    }

    [Benchmark(Baseline = true)]
    public float Step()
    {
        int i = Next;
        _net.Forward(Inputs.AsSpan(i, 1), Outputs.AsSpan(0, 1), _state);
        Next = (i + 1) & Mask;
        return Outputs[0];
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public float Block64() => Block(64);

    [Benchmark(OperationsPerInvoke = 512)]
    public float Block512() => Block(512);

    [Benchmark(OperationsPerInvoke = 2048)]
    public float Block2048() => Block(2048);

    private float Block(int steps)
    {
        int i = Next;
        _net.ForwardSequence(Inputs.AsSpan(i, steps), Outputs.AsSpan(0, steps), _state);
        Next = (i + steps) & Mask;
        return Outputs[steps - 1];
    }
}

[MemoryDiagnoser]
public class StreamingGru32 : StreamingBenchmarks
{
    private Gru32Net _net = null!;
    private Gru32Net.State _state = null!;

    protected override StreamingCase Case => StreamingCase.Gru32;

    protected override void SetupNetwork()
    {
        _net = (Gru32Net)Case.NewNetGen();
        _state = _net.CreateState();
    }

    [Benchmark(Baseline = true)]
    public float Step()
    {
        int i = Next;
        _net.Forward(Inputs.AsSpan(i, 1), Outputs.AsSpan(0, 1), _state);
        Next = (i + 1) & Mask;
        return Outputs[0];
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public float Block64() => Block(64);

    [Benchmark(OperationsPerInvoke = 512)]
    public float Block512() => Block(512);

    [Benchmark(OperationsPerInvoke = 2048)]
    public float Block2048() => Block(2048);

    private float Block(int steps)
    {
        int i = Next;
        _net.ForwardSequence(Inputs.AsSpan(i, steps), Outputs.AsSpan(0, steps), _state);
        Next = (i + steps) & Mask;
        return Outputs[steps - 1];
    }
}

[MemoryDiagnoser]
public class StreamingGru16x3 : StreamingBenchmarks
{
    private Gru16x3Net _net = null!;
    private Gru16x3Net.State _state = null!;

    protected override StreamingCase Case => StreamingCase.Gru16x3;

    protected override void SetupNetwork()
    {
        _net = (Gru16x3Net)Case.NewNetGen();
        _state = _net.CreateState();
    }

    [Benchmark(Baseline = true)]
    public float Step()
    {
        int i = Next;
        _net.Forward(Inputs.AsSpan(i, 1), Outputs.AsSpan(0, 1), _state);
        Next = (i + 1) & Mask;
        return Outputs[0];
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public float Block64() => Block(64);

    [Benchmark(OperationsPerInvoke = 512)]
    public float Block512() => Block(512);

    [Benchmark(OperationsPerInvoke = 2048)]
    public float Block2048() => Block(2048);

    private float Block(int steps)
    {
        int i = Next;
        _net.ForwardSequence(Inputs.AsSpan(i, steps), Outputs.AsSpan(0, steps), _state);
        Next = (i + steps) & Mask;
        return Outputs[steps - 1];
    }
}
