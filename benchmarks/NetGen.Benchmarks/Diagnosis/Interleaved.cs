using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using NetGen.Benchmarks.Comparison;

namespace NetGen.Benchmarks.Diagnosis;

/// <summary>
/// Network C's members before and after the readable-code rewrite, timed in alternating bursts in one process:
/// <c>dotnet run -c Release --project benchmarks/NetGen.Benchmarks -- --interleaved</c>.
/// </summary>
/// <remarks>
/// BenchmarkDotNet measures one method's iterations, then the next method's: on a shared machine whose load changes
/// from minute to minute, two methods of equal speed can come out 15% apart. Here the two run in turns of a few
/// milliseconds each (the order swapped every round), so both see the same load, and the figure is the median of the
/// per-round ratios, with its quartiles. A diagnosis tool beside ReadableCodeExperiments, not a replacement for it.
/// </remarks>
public static class Interleaved
{
    private const int Rounds = 101;
    private const int WarmupRounds = 30;

    public static void Run(TextWriter output)
    {
        var after = (NetC)NetworkCase.C.NewNetGen();
        var before = new NetCBeforeRewrite();
        after.Parameters.CopyTo(before.Parameters);
        (float[] inputs, float[] targets) = NetworkCase.C.Samples(32);
        (float[] input, float[] target) = NetworkCase.C.Samples(1);
        float[] result = new float[NetC.OutputCount];
        const float rate = 1e-7f;

        Compare(output, "C Forward", 20_000,
            n => { for (int i = 0; i < n; i++) { before.Forward(input, result); } },
            n => { for (int i = 0; i < n; i++) { after.Forward(input, result); } });
        Compare(output, "C TrainStep", 20_000,
            n => { for (int i = 0; i < n; i++) { before.TrainStep(input, target, rate); } },
            n => { for (int i = 0; i < n; i++) { after.TrainStep(input, target, rate); } });
        Compare(output, "C TrainBatch(32)", 1_000,
            n => { for (int i = 0; i < n; i++) { before.TrainBatch(inputs, targets, rate); } },
            n => { for (int i = 0; i < n; i++) { after.TrainBatch(inputs, targets, rate); } });
    }

    private static void Compare(TextWriter output, string what, int calls, Action<int> before, Action<int> after)
    {
        for (int r = 0; r < WarmupRounds; r++)
        {
            before(calls);
            after(calls);
        }

        var ratios = new List<double>(Rounds);
        var stopwatch = new Stopwatch();
        for (int r = 0; r < Rounds; r++)
        {
            double b, a;
            if (r % 2 == 0)
            {
                b = Time(stopwatch, before, calls);
                a = Time(stopwatch, after, calls);
            }
            else
            {
                a = Time(stopwatch, after, calls);
                b = Time(stopwatch, before, calls);
            }

            ratios.Add(a / b);
        }

        ratios.Sort();
        output.WriteLine(
            $"{what}: after / before, median of {Rounds} rounds {ratios[Rounds / 2]:F3} " +
            $"(quartiles {ratios[Rounds / 4]:F3} and {ratios[3 * Rounds / 4]:F3})");
    }

    private static double Time(Stopwatch stopwatch, Action<int> run, int calls)
    {
        stopwatch.Restart();
        run(calls);
        return stopwatch.Elapsed.TotalNanoseconds;
    }
}
