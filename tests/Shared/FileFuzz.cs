using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading;
using Xunit;

namespace NetGen.TestFixtures;

/// <summary>
/// SplitMix64: a generator whose sequence is fixed by this file alone, so that a case printed today replays the same
/// input on any .NET version (System.Random promises no such thing across versions).
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The seed of case <paramref name="index"/> of a campaign: a hash of both, so that neighbouring cases differ.</summary>
    public static ulong CaseSeed(ulong masterSeed, int index)
    {
        var mixer = new SplitMix64(masterSeed ^ (0xD1B54A32D192ED03UL * (ulong)(index + 1)));
        return mixer.NextULong();
    }

    public ulong NextULong()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, <paramref name="count"/>).</summary>
    public int Next(int count) => count <= 1 ? 0 : (int)(NextULong() % (ulong)count);

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public int Next(int min, int max) => min + Next(max - min);

    /// <summary>True with probability <paramref name="percent"/>/100.</summary>
    public bool Chance(int percent) => Next(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}

/// <summary>
/// What the file-reader fuzz targets read from the environment, in one place for every test project:
/// <list type="bullet">
/// <item><c>NETGEN_FUZZ_ITERATIONS</c>: the number of random mutants each target tries (the CI count otherwise);</item>
/// <item><c>NETGEN_FUZZ_SEED</c>: another master seed, decimal or 0x hex (the same variable gives the generator's
/// source fuzzer, GeneratorFuzzTests, its master seed);</item>
/// <item><c>NETGEN_FUZZ_FILE_CASE</c>: the index of one random mutant to run alone, as a failure names it.</item>
/// </list>
/// The truncations, the nesting and the huge sizes are fixed lists, run in full whatever the count.
/// </summary>
internal static class FileFuzzSettings
{
    public const string IterationsVariable = "NETGEN_FUZZ_ITERATIONS";
    public const string SeedVariable = "NETGEN_FUZZ_SEED";
    public const string CaseVariable = "NETGEN_FUZZ_FILE_CASE";

    /// <summary>The master seed of the CI campaigns.</summary>
    public const ulong DefaultSeed = 0x4E47_4649_4C45_5321UL;

    /// <summary>The number of random mutants to try: <c>NETGEN_FUZZ_ITERATIONS</c> if set, else <paramref name="ciCount"/>.</summary>
    public static int Iterations(int ciCount) =>
        int.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count > 0
            ? count
            : ciCount;

    public static ulong Seed => ParseSeed(Environment.GetEnvironmentVariable(SeedVariable)) ?? DefaultSeed;

    public static int? Case =>
        int.TryParse(Environment.GetEnvironmentVariable(CaseVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? index : null;

    private static ulong? ParseSeed(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : ulong.Parse(text, CultureInfo.InvariantCulture);
    }
}

/// <summary>One mutation step of a format that knows its own structure; it may return a new array or change none.</summary>
internal delegate byte[] StructuredMutation(byte[] input, ref SplitMix64 random, List<string> steps);

/// <summary>A valid file a campaign starts from, and its name in messages.</summary>
internal sealed record FuzzSeed(string Name, byte[] Bytes, object? Tag = null)
{
    public override string ToString() => $"{Name} ({Bytes.Length} bytes)";
}

/// <summary>
/// Mutations of bytes that know nothing of the format: bit flips, bytes and little-endian integers overwritten with
/// values that sit on a boundary, ranges deleted, inserted, duplicated, the file cut or extended.
/// </summary>
internal static class ByteMutator
{
    /// <summary>Integers on the boundaries a reader checks: signs, 16, 32 and 64 bits, the documented limits.</summary>
    public static readonly ulong[] InterestingIntegers =
    [
        0, 1, 2, 7, 8, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000,
        (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 16 * 1024 * 1024, (16 * 1024 * 1024) + 1,
        100_000_000, 100_000_001, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFFFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFE,
    ];

    /// <summary>Applies one to eight mutations (one in half the cases), each on the result of the last.</summary>
    public static byte[] MutateSeveral(byte[] input, ref SplitMix64 random, List<string> steps, StructuredMutation? structured, int structuredPercent)
    {
        int roll = random.Next(100);
        int count = roll < 50 ? 1 : roll < 75 ? 2 : roll < 90 ? 3 : random.Next(4, 9);
        for (int i = 0; i < count; i++)
        {
            input = structured is not null && random.Chance(structuredPercent)
                ? structured(input, ref random, steps)
                : Mutate(input, ref random, steps);
        }

        return input;
    }

    /// <summary>One mutation of any bytes.</summary>
    public static byte[] Mutate(byte[] input, ref SplitMix64 random, List<string> steps)
    {
        if (input.Length == 0)
        {
            byte[] fresh = Random(ref random, random.Next(1, 16));
            steps.Add($"empty, given {fresh.Length} random bytes");
            return fresh;
        }

        byte[] bytes = (byte[])input.Clone();
        int at = random.Next(bytes.Length);
        int roll = random.Next(100);
        if (roll < 30)
        {
            int bit = random.Next(8);
            bytes[at] ^= (byte)(1 << bit);
            steps.Add($"flip bit {bit} of byte {at}");
            return bytes;
        }

        if (roll < 45)
        {
            int flips = random.Next(2, 9);
            var where = new List<string>();
            for (int i = 0; i < flips; i++)
            {
                int position = random.Next(bytes.Length);
                int bit = random.Next(8);
                bytes[position] ^= (byte)(1 << bit);
                where.Add($"{position}.{bit}");
            }

            steps.Add($"flip bits (byte.bit) {string.Join(", ", where)}");
            return bytes;
        }

        if (roll < 55)
        {
            byte value = random.Pick<byte>([0x00, 0xFF, 0x7F, 0x80, 0x01, (byte)random.Next(256)]);
            bytes[at] = value;
            steps.Add($"byte {at} set to 0x{value:X2}");
            return bytes;
        }

        if (roll < 70)
        {
            int width = random.Pick([2, 4, 8]);
            ulong value = random.Pick(InterestingIntegers);
            if (random.Chance(20))
            {
                value = unchecked(value + (ulong)random.Next(-2, 3));
            }

            at = Math.Min(at, Math.Max(0, bytes.Length - width));
            for (int i = 0; i < width && at + i < bytes.Length; i++)
            {
                bytes[at + i] = (byte)(value >> (8 * i));
            }

            steps.Add($"{width * 8}-bit little-endian 0x{value:X} written at byte {at}");
            return bytes;
        }

        if (roll < 78)
        {
            int length = Math.Min(bytes.Length - at, random.Next(1, 17));
            steps.Add($"delete {length} bytes at {at}");
            return [.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + length)];
        }

        if (roll < 86)
        {
            byte[] inserted;
            if (random.Chance(50))
            {
                inserted = Random(ref random, random.Next(1, 17));
            }
            else
            {
                int from = random.Next(bytes.Length);
                inserted = bytes.AsSpan(from, Math.Min(bytes.Length - from, random.Next(1, 33))).ToArray();
            }

            steps.Add($"insert {inserted.Length} bytes at {at}");
            return [.. bytes.AsSpan(0, at), .. inserted, .. bytes.AsSpan(at)];
        }

        if (roll < 91)
        {
            int length = Math.Min(bytes.Length - at, random.Next(1, 65));
            int times = random.Next(1, 4);
            var copy = new List<byte>(bytes.Length + (length * times));
            copy.AddRange(bytes.AsSpan(0, at + length).ToArray());
            for (int i = 0; i < times; i++)
            {
                copy.AddRange(bytes.AsSpan(at, length).ToArray());
            }

            copy.AddRange(bytes.AsSpan(at + length).ToArray());
            steps.Add($"bytes {at} to {at + length} repeated {times} more times");
            return copy.ToArray();
        }

        if (roll < 95)
        {
            steps.Add($"cut to {at} bytes");
            return bytes.AsSpan(0, at).ToArray();
        }

        byte[] tail = random.Chance(50) ? Random(ref random, random.Next(1, 17)) : new byte[random.Next(1, 17)];
        steps.Add($"{tail.Length} bytes appended");
        return [.. bytes, .. tail];
    }

    private static byte[] Random(ref SplitMix64 random, int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)random.Next(256);
        }

        return bytes;
    }
}

/// <summary>
/// Runs a file reader over inputs and holds it to its promises, counting what it saw: each input must end in an
/// outcome the reader documents (the target's <c>run</c> returns its label, and throws, or lets the reader's
/// exception through, for anything else), allocate at most the target's bound in each read (<see cref="Bounded"/>),
/// and finish; the first failures are kept with the input's description and bytes, so that each can be replayed.
/// </summary>
/// <remarks>
/// <para>
/// <b>Memory.</b> <see cref="Bounded"/> reads <see cref="GC.GetAllocatedBytesForCurrentThread"/> before and after one
/// read: everything the reader allocated on the thread, the buffers it read into and the exception it threw included.
/// The first run of a code path can allocate for the runtime's one-time work (type loading, an exception type's
/// resources), so a read over the bound is run once more and the second count is the one held to it.
/// </para>
/// <para>
/// <b>Hangs.</b> <see cref="Guarded"/> runs a campaign on a thread of its own (1 MB of stack, less than the compiler's
/// threads have) and fails the test, naming the input, if one input runs longer than the limit.
/// </para>
/// </remarks>
internal sealed class FileFuzzer(string target, Func<byte[], string> run)
{
    private const int MaxKeptFailures = 12;
    private const int StopAfterFailures = 200;

    private readonly List<string> _failures = new();
    private readonly Stopwatch _clock = new();
    private string _current = string.Empty;
    private long _currentStart;

    public string Target { get; } = target;

    public int Inputs { get; private set; }

    public int Reads { get; private set; }

    public int Failures { get; private set; }

    public SortedDictionary<string, int> Outcomes { get; } = new(StringComparer.Ordinal);

    /// <summary>The most one read allocated, the input's length and its description.</summary>
    public (long Bytes, long Length, string What) MostAllocated { get; private set; } = (0, 0, string.Empty);

    /// <summary>The largest allocated / bound of one read, and the input it was.</summary>
    public (double Ratio, long Bytes, long Length, string What) ClosestToBound { get; private set; } = (0, 0, 0, string.Empty);

    public (TimeSpan Time, string What) Slowest { get; private set; } = (TimeSpan.Zero, string.Empty);

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Runs one input; a broken promise is recorded, not thrown (see <see cref="AssertNoFailures"/>).</summary>
    public void Feed(byte[] input, string what)
    {
        if (Failures >= StopAfterFailures)
        {
            return;
        }

        Inputs++;
        _clock.Start();
        Volatile.Write(ref _current, what);
        long start = Stopwatch.GetTimestamp();
        Volatile.Write(ref _currentStart, start);
        try
        {
            string outcome = run(input);
            Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;
        }
        catch (Exception e)
        {
            Failures++;
            if (_failures.Count < MaxKeptFailures)
            {
                _failures.Add($"{what}\n  gave {e.GetType().FullName}: {Shorten(e.Message)}\n  {Describe(input)}\n  at {FirstFrames(e)}");
            }
        }
        finally
        {
            Volatile.Write(ref _currentStart, 0);
            _clock.Stop();
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            if (elapsed > Slowest.Time)
            {
                Slowest = (elapsed, what);
            }
        }
    }

    /// <summary>
    /// One read of an input of <paramref name="inputLength"/> bytes, which must allocate at most <paramref name="bound"/>
    /// bytes on this thread (run a second time if the first is over, see the remarks); throws if it does not.
    /// </summary>
    public T Bounded<T>(long inputLength, long bound, Func<T> read)
    {
        Reads++;
        long before = GC.GetAllocatedBytesForCurrentThread();
        T result = read();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > bound)
        {
            long first = allocated;
            before = GC.GetAllocatedBytesForCurrentThread();
            T again = read();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (!EqualityComparer<T>.Default.Equals(again, result))
            {
                throw new InvalidOperationException($"a second read gave '{again}', the first '{result}'");
            }

            if (allocated > bound)
            {
                throw new InvalidOperationException(
                    $"a read allocated {allocated:N0} bytes (on a second run; {first:N0} on the first), over the bound of {bound:N0} for {inputLength:N0} bytes");
            }
        }

        string what = Volatile.Read(ref _current);
        if (allocated > MostAllocated.Bytes)
        {
            MostAllocated = (allocated, inputLength, what);
        }

        double ratio = (double)allocated / bound;
        if (ratio > ClosestToBound.Ratio)
        {
            ClosestToBound = (ratio, allocated, inputLength, what);
        }

        return result;
    }

    /// <summary>Every proper prefix of <paramref name="seed"/>: the file cut at each byte offset, 0 to length - 1.</summary>
    public void Truncations(FuzzSeed seed)
    {
        for (int length = 0; length < seed.Bytes.Length; length++)
        {
            Feed(seed.Bytes.AsSpan(0, length).ToArray(), $"{seed.Name} cut to its first {length} of {seed.Bytes.Length} bytes");
        }
    }

    /// <summary>
    /// <paramref name="count"/> random mutants (or only the case <c>NETGEN_FUZZ_FILE_CASE</c> names): case <c>i</c> has the
    /// seed <see cref="SplitMix64.CaseSeed"/>(master, i), which picks the seed file and drives every mutation. With
    /// <paramref name="repair"/>, half the mutants are repaired afterwards (checksums or lengths made to fit again), so
    /// that the checks behind the first ones see them.
    /// </summary>
    public void Mutants(IReadOnlyList<FuzzSeed> seeds, int count, StructuredMutation? structured = null, int structuredPercent = 50, Func<byte[], byte[]>? repair = null)
    {
        ulong master = FileFuzzSettings.Seed;
        int? only = FileFuzzSettings.Case;
        for (int i = only ?? 0; i < (only is { } o ? o + 1 : count); i++)
        {
            ulong caseSeed = SplitMix64.CaseSeed(master, i);
            var random = new SplitMix64(caseSeed);
            FuzzSeed seed = random.Pick(seeds);
            var steps = new List<string>();
            byte[] bytes = ByteMutator.MutateSeveral(seed.Bytes, ref random, steps, structured, structuredPercent);
            if (repair is not null && random.Chance(50))
            {
                bytes = repair(bytes);
                steps.Add("repaired");
            }

            Feed(bytes, $"case {i} (master seed 0x{master:X16}; replay with {FileFuzzSettings.CaseVariable}={i}) of {seed.Name}: {Shorten(string.Join("; ", steps))}");
        }
    }

    /// <summary>Runs <paramref name="campaign"/> on a thread of its own, failing if one input runs longer than <paramref name="limit"/>.</summary>
    public void Guarded(TimeSpan limit, Action campaign)
    {
        ExceptionDispatchInfo? thrown = null;
        var worker = new Thread(
            () =>
            {
                try
                {
                    campaign();
                }
                catch (Exception e)
                {
                    thrown = ExceptionDispatchInfo.Capture(e);
                }
            },
            maxStackSize: 1024 * 1024)
        {
            IsBackground = true,
            Name = "fuzz " + Target,
        };
        worker.Start();
        while (!worker.Join(100))
        {
            long start = Volatile.Read(ref _currentStart);
            if (start != 0 && Stopwatch.GetElapsedTime(start) > limit)
            {
                Assert.Fail($"{Target}: an input has run for more than {limit.TotalSeconds} s, a hang: {Volatile.Read(ref _current)}");
            }
        }

        thrown?.Throw();
    }

    /// <summary>The counts, for the test's output.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Target}: {Inputs:N0} inputs ({Reads:N0} bounded reads) in {Elapsed.TotalSeconds:F1} s, {Failures} broke a promise\n");
        foreach ((string outcome, int count) in Outcomes)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {count,9:N0}  {outcome}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"  most allocated by one read: {MostAllocated.Bytes:N0} bytes, for an input of {MostAllocated.Length:N0} bytes ({Shorten(MostAllocated.What)})\n");
        text.Append(CultureInfo.InvariantCulture, $"  closest to the bound: {ClosestToBound.Ratio:P1} ({ClosestToBound.Bytes:N0} bytes for {ClosestToBound.Length:N0}; {Shorten(ClosestToBound.What)})\n");
        text.Append(CultureInfo.InvariantCulture, $"  slowest input: {Slowest.Time.TotalMilliseconds:F1} ms ({Shorten(Slowest.What)})");
        return text.ToString();
    }

    public void AssertNoFailures()
    {
        if (Failures > 0)
        {
            Assert.Fail($"{Failures} of {Inputs} inputs broke a promise{(Failures >= StopAfterFailures ? " (stopped counting)" : string.Empty)}; the first {_failures.Count}:\n\n{string.Join("\n\n", _failures)}\n\n{Summary()}");
        }
    }

    /// <summary>The input, to replay it: whole in base64 when short, else its length and first bytes.</summary>
    public static string Describe(byte[] input) => input.Length <= 4096
        ? $"input ({input.Length} bytes, base64): {Convert.ToBase64String(input)}"
        : $"input ({input.Length:N0} bytes; first 64 in hex): {Convert.ToHexString(input.AsSpan(0, 64))}";

    private static string Shorten(string text) => text.Length <= 600 ? text : string.Concat(text.AsSpan(0, 600), "…");

    private static string FirstFrames(Exception e)
    {
        string[] lines = (e.StackTrace ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join("\n     ", lines.Take(6));
    }
}
