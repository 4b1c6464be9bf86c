using System;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using NetGen.Benchmarks.Comparison;

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
if (args.Contains("--interleaved"))
{
    NetGen.Benchmarks.Diagnosis.Interleaved.Run(Console.Out);
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
        .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
        .WithId("Suite"));
}

BenchmarkSwitcher.FromAssembly(typeof(NetworkCase).Assembly).Run(args, config);
return 0;
