using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>
/// Tests that measure time run alone, after the tests that run in parallel, so that no other test class shares the
/// two cores with them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "Fuzzing";
}

/// <summary>
/// Issue 7, item 1: seeded mutation fuzzing of the generator. Every network declaration of the tests and samples
/// (<see cref="FuzzCorpus"/>) is mutated (<see cref="Mutator"/>) and the generator run over each mutant
/// (<see cref="FuzzOracle"/> says what must hold). The campaign is fixed by <see cref="MasterSeed"/> and the number of
/// cases, so a run in CI tries the same mutants every time; a failure prints each failing case's seed and mutant.
/// <para>
/// Environment variables: NETGEN_FUZZ_CASES (default <see cref="DefaultCases"/>) runs a longer campaign, e.g.
/// <c>NETGEN_FUZZ_CASES=100000 dotnet test tests/NetGen.Generator.Tests -c Release --filter FullyQualifiedName~Fuzz</c>;
/// NETGEN_FUZZ_SEED another master seed (decimal or 0x hex); NETGEN_FUZZ_CASE=0x... replays the one case with that
/// case seed and prints its mutant; NETGEN_FUZZ_THREADS the number of worker threads (default: one per core).
/// </para>
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class GeneratorFuzzTests(ITestOutputHelper output)
{
    public const ulong MasterSeed = 0x4E6574_47656E_07UL;

    /// <summary>Tuned so the campaign stays near a minute on CI's two cores; see docs/reliability.md.</summary>
    public const int DefaultCases = 5_000;

    /// <summary>A case still running after this long is reported as a hang, and the campaign stops waiting for it.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    [Fact]
    public void The_corpus_holds_the_declarations_of_the_tests_and_samples()
    {
        IReadOnlyList<CorpusEntry> corpus = FuzzCorpus.Entries;
        foreach (CorpusEntry entry in corpus)
        {
            output.WriteLine(entry.Origin);
        }

        Assert.True(corpus.Count >= 60, $"only {corpus.Count} declarations found under tests/ and samples/");

        // Declarations written as code, in the samples and in NetGen.Tests.
        Assert.Contains(corpus, e => e.Origin.StartsWith("samples/Digits/DigitsNet.cs", StringComparison.Ordinal) && e.Source.Contains("class DigitsNet", StringComparison.Ordinal));
        Assert.Contains(corpus, e => e.Origin.StartsWith("samples/SeedNotebook/Networks.cs", StringComparison.Ordinal));
        Assert.Contains(corpus, e => e.Origin.StartsWith("tests/NetGen.Tests/", StringComparison.Ordinal));

        // Declarations written as test data: raw and regular string literals, and interpolated templates.
        Assert.Contains(corpus, e => e.Origin.StartsWith("tests/NetGen.Generator.Tests/Harness/SeedNetwork.cs", StringComparison.Ordinal));
        Assert.Contains(corpus, e => e.Origin.StartsWith("tests/NetGen.Generator.Tests/EditorSnippetTests.cs", StringComparison.Ordinal));
        Assert.Contains(corpus, e => e.Origin.StartsWith("tests/NetGen.Generator.Tests/CompileTests.cs", StringComparison.Ordinal));
        Assert.Contains(corpus, e => e.Origin.StartsWith("tests/NetGen.Generator.Tests/DiagnosticTests.cs", StringComparison.Ordinal));
        Assert.DoesNotContain(corpus, e => e.Origin.Contains("/Fuzzing/", StringComparison.Ordinal));
        Assert.All(corpus, e => Assert.DoesNotContain("[|", e.Source, StringComparison.Ordinal));
    }

    /// <summary>The oracle holds of the declarations as written: what the campaign finds, the mutations caused.</summary>
    [Fact]
    public void Every_corpus_declaration_passes_the_checks_unmutated()
    {
        var failures = new List<string>();
        foreach (CorpusEntry entry in FuzzCorpus.Entries)
        {
            FuzzOutcome outcome = FuzzOracle.Run([entry.Source]);
            if (outcome.Problems.Count > 0)
            {
                failures.Add($"{entry.Origin}:\n  {string.Join("\n  ", outcome.Problems)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void A_case_seed_gives_the_same_mutant_every_time()
    {
        for (int i = 0; i < 200; i++)
        {
            ulong seed = FuzzRandom.CaseSeed(MasterSeed, i);
            CorpusEntry entry = EntryOf(seed);
            Mutant first = Mutator.Mutate(entry.Source, seed);
            Mutant second = Mutator.Mutate(entry.Source, seed);
            Assert.Equal(first.Files, second.Files);
            Assert.Equal(first.Steps, second.Steps);
            Assert.NotEmpty(first.Steps);
        }
    }

    [Fact]
    public void Mutants_of_every_declaration_never_crash_the_generator()
    {
        ulong master = ReadSeed("NETGEN_FUZZ_SEED") ?? MasterSeed;
        if (ReadSeed("NETGEN_FUZZ_CASE") is { } replay)
        {
            Replay(replay);
            return;
        }

        int cases = int.TryParse(Environment.GetEnvironmentVariable("NETGEN_FUZZ_CASES"), out int requested) && requested > 0 ? requested : DefaultCases;
        int threads = int.TryParse(Environment.GetEnvironmentVariable("NETGEN_FUZZ_THREADS"), out int t) && t > 0 ? t : Environment.ProcessorCount;

        // Warm up the JIT on a few unmutated declarations, so that the time bound measures the generator, not the JIT.
        foreach (CorpusEntry entry in FuzzCorpus.Entries.Take(4))
        {
            FuzzOracle.Run([entry.Source]);
        }

        var stopwatch = Stopwatch.StartNew();
        var results = new CaseResult?[cases];
        int next = -1;
        var current = new int[threads];
        var started = new long[threads];
        var workers = new Thread[threads];
        bool stop = false;
        for (int w = 0; w < threads; w++)
        {
            int worker = w;
            workers[w] = new Thread(() =>
            {
                while (!Volatile.Read(ref stop))
                {
                    int index = Interlocked.Increment(ref next);
                    if (index >= cases)
                    {
                        break;
                    }

                    Volatile.Write(ref current[worker], index);
                    Volatile.Write(ref started[worker], Stopwatch.GetTimestamp());
                    results[index] = RunCase(FuzzRandom.CaseSeed(master, index));
                    Volatile.Write(ref started[worker], 0);
                }
            })
            {
                IsBackground = true,
                Name = $"fuzz worker {w}",
            };
            workers[w].Start();
        }

        // The watchdog: a hung case fails the test with its seed, instead of hanging the test run.
        string? hang = null;
        while (hang is null && !workers.All(w => w.Join(100)))
        {
            for (int w = 0; w < threads; w++)
            {
                long start = Volatile.Read(ref started[w]);
                if (start != 0 && Stopwatch.GetElapsedTime(start) > HangLimit)
                {
                    int index = Volatile.Read(ref current[w]);
                    ulong seed = FuzzRandom.CaseSeed(master, index);
                    hang = $"case {index} (case seed 0x{seed:X16}) has run for more than {HangLimit.TotalSeconds} s: a hang\n"
                        + Describe(seed, Mutator.Mutate(EntryOf(seed).Source, seed), null);
                    Volatile.Write(ref stop, true);
                }
            }
        }

        stopwatch.Stop();
        Assert.True(hang is null, hang);
        CheckTimes(master, results!);
        Report(master, cases, threads, results!, stopwatch.Elapsed);

        List<(int Index, CaseResult Result)> failures = results.Select((r, i) => (i, r!)).Where(f => f.Item2.Problems.Count > 0).ToList();
        if (failures.Count > 0)
        {
            var message = new StringBuilder();
            message.Append(CultureInfo.InvariantCulture, $"{failures.Count} of {cases} mutants broke a promise (master seed 0x{master:X16}). ");
            message.Append("Replay one with NETGEN_FUZZ_CASE=<case seed>.\n");
            foreach ((int index, CaseResult result) in failures)
            {
                message.Append(CultureInfo.InvariantCulture, $"  case {index}: {result.Description[..result.Description.IndexOf(',', StringComparison.Ordinal)]}: {FirstLine(result.Problems[0])}\n");
            }

            message.Append("The first ones in full:\n\n");
            foreach ((int index, CaseResult result) in failures.Take(8))
            {
                message.Append(CultureInfo.InvariantCulture, $"case {index}, ").Append(result.Description).Append("\n\n");
            }

            Assert.Fail(message.ToString());
        }
    }

    private static string FirstLine(string text)
    {
        int end = text.IndexOf('\n', StringComparison.Ordinal);
        string line = end < 0 ? text : text[..end];
        return line.Length > 200 ? line[..200] + "..." : line;
    }

    private sealed record CaseResult(IReadOnlyList<string> Problems, FuzzOutcome? Outcome, IReadOnlyList<string> Operators, string Description);

    /// <summary>
    /// The time bound, as a hang guard: a case over it is run twice more, alone, and fails if even its fastest run is
    /// over. A generator that is really slow on a declaration is slow every time; a thread that the shared CI machine
    /// did not schedule for a moment is not.
    /// </summary>
    private static void CheckTimes(ulong master, CaseResult?[] results)
    {
        for (int i = 0; i < results.Length; i++)
        {
            if (results[i] is not { Outcome: { } outcome } result || outcome.Elapsed <= FuzzOracle.TimeBound)
            {
                continue;
            }

            ulong seed = FuzzRandom.CaseSeed(master, i);
            Mutant mutant = Mutator.Mutate(EntryOf(seed).Source, seed);
            TimeSpan fastest = new[] { outcome.Elapsed, FuzzOracle.Run(mutant.Files).Elapsed, FuzzOracle.Run(mutant.Files).Elapsed }.Min();
            if (fastest > FuzzOracle.TimeBound)
            {
                string problem = $"the generator took {fastest.TotalMilliseconds:F0} ms at best of three runs, more than the {FuzzOracle.TimeBound.TotalMilliseconds:F0} ms bound";
                FuzzOutcome slow = outcome with { Problems = [.. outcome.Problems, problem] };
                results[i] = result with { Problems = slow.Problems, Outcome = slow, Description = Describe(seed, mutant, slow) };
            }
        }
    }

    private static CorpusEntry EntryOf(ulong caseSeed) =>
        FuzzCorpus.Entries[(int)(caseSeed % (ulong)FuzzCorpus.Entries.Count)];

    private static CaseResult RunCase(ulong seed)
    {
        Mutant? mutant = null;
        try
        {
            mutant = Mutator.Mutate(EntryOf(seed).Source, seed);
            FuzzOutcome outcome = FuzzOracle.Run(mutant.Files);
            string description = outcome.Problems.Count > 0 ? Describe(seed, mutant, outcome) : string.Empty;
            return new CaseResult(outcome.Problems, outcome, mutant.Steps.Select(s => s[..s.IndexOf('[', StringComparison.Ordinal)]).ToList(), description);
        }
        catch (Exception exception)
        {
            // Only the fuzzer's own code can get here (the oracle catches what the generator throws): still a failure.
            return new CaseResult([$"the fuzzer threw {exception}"], null, [], $"case seed 0x{seed:X16}: the fuzzer threw {exception}");
        }
    }

    private static string Describe(ulong seed, Mutant mutant, FuzzOutcome? outcome)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"case seed 0x{seed:X16}, from {EntryOf(seed).Origin}\n");
        text.Append("mutations:\n  ").Append(string.Join("\n  ", mutant.Steps)).Append('\n');
        if (outcome is not null)
        {
            text.Append("problems:\n  ").Append(string.Join("\n  ", outcome.Problems)).Append('\n');
            text.Append("generated: [").Append(string.Join(", ", outcome.Generated)).Append("], NetGen: [").Append(string.Join(", ", outcome.NetGenIds)).Append("]\n");
        }

        for (int i = 0; i < mutant.Files.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"--- Source{i}.cs\n").Append(mutant.Files[i]).Append('\n');
        }

        return text.ToString();
    }

    private void Replay(ulong seed)
    {
        Mutant mutant = Mutator.Mutate(EntryOf(seed).Source, seed);
        FuzzOutcome outcome = FuzzOracle.Run(mutant.Files);
        string description = Describe(seed, mutant, outcome);
        output.WriteLine(description);
        Assert.True(outcome.Problems.Count == 0, description);
    }

    private void Report(ulong master, int cases, int threads, CaseResult[] results, TimeSpan elapsed)
    {
        List<FuzzOutcome> outcomes = results.Select(r => r.Outcome).OfType<FuzzOutcome>().ToList();
        int steps = results.Sum(r => r.Operators.Count);
        int generated = outcomes.Count(o => o.Generated.Count > 0);
        int reported = outcomes.Count(o => o.NetGenIds.Count > 0);
        int generatedOverErrors = outcomes.Count(o => o.InputHasErrors == true);
        FuzzOutcome slowest = outcomes.MaxBy(o => o.Elapsed)!;
        var perEntry = results.Select((_, i) => EntryOf(FuzzRandom.CaseSeed(master, i)).Origin).GroupBy(o => o).Select(g => g.Count()).ToList();

        output.WriteLine($"master seed 0x{master:X16}: {cases} mutants ({steps} mutations) of {FuzzCorpus.Entries.Count} declarations, on {threads} threads, in {elapsed.TotalSeconds:F1} s");
        output.WriteLine($"mutants per declaration: {perEntry.Min()} to {perEntry.Max()}; declarations never mutated: {FuzzCorpus.Entries.Count - perEntry.Count}");
        output.WriteLine($"generated code: {generated} mutants ({generatedOverErrors} of them while the mutant itself has compiler errors)");
        output.WriteLine($"NetGen diagnostics: {reported} mutants; neither code nor a NetGen diagnostic: {outcomes.Count(o => o.Generated.Count == 0 && o.NetGenIds.Count == 0)}");
        output.WriteLine($"slowest generator run: {slowest.Elapsed.TotalMilliseconds:F0} ms; median {outcomes.Select(o => o.Elapsed.TotalMilliseconds).Order().ElementAt(outcomes.Count / 2):F1} ms");
        output.WriteLine("mutations: " + string.Join(", ", results.SelectMany(r => r.Operators).GroupBy(o => o).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} x{g.Count()}")));
        output.WriteLine("NetGen ids reported: " + string.Join(", ", outcomes.SelectMany(o => o.NetGenIds).GroupBy(id => id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}")));
    }

    private static ulong? ReadSeed(string variable)
    {
        string? text = Environment.GetEnvironmentVariable(variable)?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.Parse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : ulong.Parse(text, CultureInfo.InvariantCulture);
    }
}
