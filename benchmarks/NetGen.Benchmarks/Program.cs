using System;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NetGen.Benchmarks.Comparison;
using Perfolizer.Horology;

// The whole comparison suite (docs/benchmarks.md), about 6 minutes on 2 cores, build included:
//   dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- --filter '*Comparison*'
// A quick look (BenchmarkDotNet's ShortRun: 3 warm-up and 3 measured iterations):
//   dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- --filter '*Comparison*' --job short
// Only the agreement check, no timing:
//   dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- --verify
// Network C before and after the readable-code rewrite, in alternating bursts (Diagnosis/Interleaved.cs):
//   dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- --interleaved
// The generator's own cost at compile time (CompileTime/, and benchmarks/CompileCost for the real build):
//   dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- --filter '*GeneratorCost*' --job short
// Only the streaming models (Streaming/, the NetGen side of benchmarks/Peers/run_streaming.sh), times in ns:
//   dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- --streaming
// The streaming models' weights, input sequence and NetGen outputs for the peers' agreement check (one JSON a network):
//   dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- --write-streaming DIR
// The Dense networks' parameters, check inputs and NetGen outputs for the Dense peers (benchmarks/Peers/dense,
// pytorch_dense.py; one JSON and three .f32 files a network):
//   dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- --write-dense DIR
// Only the fresh-input comparison (the NetGen side of benchmarks/Peers/run_dense.sh), times in ns:
//   dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- --filter '*Comparison*' --anyCategories 'Forward fresh' 'TrainStep fresh' 'TrainBatch fresh'
// The fixed summation order of Kernels.Dot against the order before it (DotOrder/), at C and D's shapes, with this
// machine's vectors and with DOTNET_EnableAVX2=0 (128-bit vectors) in one run, about 12 minutes:
//   dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- --dot-order
if (args.Contains("--interleaved"))
{
    NetGen.Benchmarks.Diagnosis.Interleaved.Run(Console.Out);
    return 0;
}

int write = Array.IndexOf(args, "--write-streaming");
if (write >= 0)
{
    if (write + 1 >= args.Length)
    {
        Console.Error.WriteLine("--write-streaming needs a directory.");
        return 2;
    }

    NetGen.Benchmarks.Streaming.PeerData.WriteAll(args[write + 1], Console.Out);
    return 0;
}

int writeDense = Array.IndexOf(args, "--write-dense");
if (writeDense >= 0)
{
    if (writeDense + 1 >= args.Length)
    {
        Console.Error.WriteLine("--write-dense needs a directory.");
        return 2;
    }

    DensePeerData.WriteAll(args[writeDense + 1], Console.Out);
    return 0;
}

// Networks A-D exported to ONNX with the shared starting parameters, for [OnnxNetwork] and ONNX Runtime:
//   dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- --write-onnx benchmarks/NetGen.Benchmarks/Comparison/Onnx
int writeOnnx = Array.IndexOf(args, "--write-onnx");
if (writeOnnx >= 0)
{
    if (writeOnnx + 1 >= args.Length)
    {
        Console.Error.WriteLine("--write-onnx needs a directory.");
        return 2;
    }

    System.IO.Directory.CreateDirectory(args[writeOnnx + 1]);
    foreach (NetworkCase c in NetworkCase.All)
    {
        string path = System.IO.Path.Combine(args[writeOnnx + 1], c.OnnxFileName);
        NetGen.Onnx.OnnxExporter.Export(c.NewNetGen(), path);
        Console.WriteLine($"wrote {path}");
    }

    return 0;
}

if (args.Contains("--verify"))
{
    Verification.CheckAll(Console.Out);
    return 0;
}

// Without --job, one launch of 6 warm-up and 15 measured iterations of 250 ms each: enough for a median on this
// machine, and the whole comparison stays well under 15 minutes. With --job, BenchmarkDotNet's job is used alone.
IConfig config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median);
if (!args.Any(a => a.StartsWith("--job", StringComparison.Ordinal) || a == "-j"))
{
    config = config.AddJob(Job.Default
        .WithLaunchCount(1)
        .WithWarmupCount(6)
        .WithIterationCount(15)
        .WithIterationTime(TimeInterval.FromMilliseconds(250))
        .WithId("Suite"));
}

// --dot-order: the DotOrder/ class alone, in two jobs: the machine's own vectors, and
// DOTNET_EnableAVX2=0 (Vector256 not accelerated: the 128-bit path). Each job's ratios compare old and new in it.
if (args.Contains("--dot-order"))
{
    args = ["--filter", "NetGen.Benchmarks.DotOrder.*", .. args.Where(a => a != "--dot-order")];
    // Three launches: on this machine one process's times can sit 30 % away from the next one's with a small
    // StdDev inside each (the JIT's code for the same method differs between launches), so one launch a benchmark
    // gives ratios that do not repeat.
    Job suite = Job.Default
        .WithLaunchCount(3)
        .WithWarmupCount(4)
        .WithIterationCount(8)
        .WithIterationTime(TimeInterval.FromMilliseconds(250));
    config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median)
        .AddJob(suite.WithId("Machine"))
        .AddJob(suite.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_EnableAVX2", "0")).WithId("NoAVX2"));
}

// --streaming: the Streaming/ classes alone, every time in nanoseconds (so that the CSV report reads as numbers).
if (args.Contains("--streaming"))
{
    args = ["--filter", "NetGen.Benchmarks.Streaming.*", .. args.Where(a => a != "--streaming")];
    config = config.WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Nanosecond));
}

BenchmarkSwitcher.FromAssembly(typeof(NetworkCase).Assembly).Run(args, config);
return 0;
