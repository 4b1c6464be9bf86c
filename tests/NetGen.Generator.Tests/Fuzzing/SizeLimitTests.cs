using System;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Tests.Harness;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>
/// Issue 7, item 2: declarations that would make absurd code (a million units, a billion inputs or parameters,
/// hundreds of layers, stack buffers that overflow) get NG0011 with the limit and the reason, and no generated
/// source, at once: each generator run stays under <see cref="TimeBound"/> (a Stopwatch, as a hang guard) and
/// allocates less than <see cref="AllocationBound"/> (GC.GetAllocatedBytesForCurrentThread: the driver runs the
/// generator on the calling thread, and <see cref="Just_under_each_limit_the_network_generates"/> checks that the
/// counter sees the generator's work). Just under
/// each limit, the network generates; those small enough to compile in a moment are compiled too.
/// <para>The limits are NetworkLimits' and Planner's (docs/diagnostics.md#ng0011): 26 layers, 16,384 units per layer,
/// 1,048,576 inputs, 16,777,216 parameters, 256 KiB of stack (3 x units x element size, summed over layers), and for
/// Code = CodeShape.Unrolled 768 weights.</para>
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class SizeLimitTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(1);

    private const long AllocationBound = 200L * 1024 * 1024;

    [Theory]
    [InlineData("[[|Network(2)|]]", "[Dense(1000000)]", "layer 1 has 1000000 units", "at most 16384 per layer")]
    [InlineData("[[|Network(2)|]]", "[Dense(int.MaxValue)]", "layer 1 has 2147483647 units", "at most 16384 per layer")]
    [InlineData("[[|Network(2)|]]", "[Dense(3)]\n[Dense(16385)]", "layer 2 has 16385 units", "at most 16384 per layer")]
    [InlineData("[[|Network(1_000_000_000)|]]", "[Dense(1)]", "it has 1000000000 inputs", "at most 1048576")]
    [InlineData("[[|Network(int.MaxValue)|]]", "[Dense(int.MaxValue)]", "it has 2147483647 inputs", "at most 1048576")]
    [InlineData("[[|Network(1048577)|]]", "[Dense(1)]", "it has 1048577 inputs", "at most 1048576")]
    [InlineData("[[|Network(1048576)|]]", "[Dense(1000)]", "about 1048577000 parameters", "at most 16777216")]
    [InlineData("[[|Network(16384)|]]", "[Dense(16384)]\n[Dense(16384)]\n[Dense(16384)]", "about 805355520 parameters", "at most 16777216")]
    [InlineData("[[|Network(1024)|]]", "[Dense(16384)]", "about 16793600 parameters", "at most 16777216")]
    [InlineData("[[|Network(1)|]]", "[Dense(16384)]\n[Dense(1)]\n[Dense(5461)]", "need 262152 bytes of stack", "at most 262144")]
    [InlineData("[[|Network<double>(1)|]]", "[Dense(10923)]", "need 262152 bytes of stack", "at most 262144")]
    [InlineData("[[|Network<double>(2)|]]", "[Dense(16384)]", "need 393216 bytes of stack", "at most 262144")]
    [InlineData("[Network<double>(16, [|Code = CodeShape.Unrolled|])]", "[Dense(24)]\n[Dense(16)]\n[Dense(1)]", "would write 784 weights", "more than the 768")]
    [InlineData("[Network(1, [|Code = CodeShape.Unrolled|])]", "[Dense(16384)]", "would write 16384 weights", "more than the 768")]
    public void A_network_past_a_limit_gets_NG0011_with_the_limit_and_the_reason_at_once(string network, string layers, string reason, string limit)
    {
        AssertTooLarge($"{network}\n{layers}", reason, limit);
    }

    [Theory]
    [InlineData(27)]
    [InlineData(500)]
    public void Hundreds_of_layers_get_NG0011_at_once(int layers)
    {
        AssertTooLarge(
            "[[|Network(2)|]]\n" + string.Join("\n", Enumerable.Repeat("[Dense(4, Activation.Tanh)]", layers)),
            $"it has {layers} layers",
            "at most 26");
    }

    /// <summary>
    /// Each limit reached exactly (or as near as whole units allow), without going over: no NG0011, and the network
    /// generates. Networks whose generated code compiles in a moment are compiled, and must have no diagnostic; the
    /// generated code is looped for wide layers, so its size does not grow with the units, and all of these qualify.
    /// </summary>
    [Theory]
    [InlineData("[Network(2)]", "26 x [Dense(2)]")]
    [InlineData("[Network(1)]", "[Dense(16384)]")]
    [InlineData("[Network(1048576)]", "[Dense(1)]")]
    [InlineData("[Network(1023)]", "[Dense(16384)]")]
    [InlineData("[Network(1)]", "[Dense(16384)]\n[Dense(1)]\n[Dense(5460)]")]
    [InlineData("[Network<double>(1)]", "[Dense(10922)]")]
    [InlineData("[Network<double>(16, Code = CodeShape.Unrolled)]", "[Dense(24, Activation.LeakyReLU)]\n[Dense(16, Activation.LeakyReLU)]")]
    public void Just_under_each_limit_the_network_generates(string network, string layers)
    {
        if (layers.StartsWith("26 x ", StringComparison.Ordinal))
        {
            layers = string.Join("\n", Enumerable.Repeat(layers[5..], 26));
        }

        (GeneratorRun run, TimeSpan elapsed, long allocated) = Measure($"using NetGen;\n\n{network}\n{layers}\ninternal partial class Limit;\n");
        output.WriteLine($"{elapsed.TotalMilliseconds:F1} ms, {allocated / 1024.0 / 1024.0:F1} MB, {run.Sources.Sum(s => s.SourceText.Length)} characters generated");

        EditorSnippetTests.AssertNeverThrew(run);
        Assert.Empty(run.Diagnostics);
        GeneratedSourceResult source = Assert.Single(run.Sources);
        Assert.True(elapsed < TimeBound, $"the generator took {elapsed.TotalMilliseconds:F0} ms");
        Assert.True(allocated < AllocationBound, $"the generator allocated {allocated} bytes");

        // The counter sees the generator's work: writing the source allocates at least its characters.
        Assert.True(allocated > 2L * source.SourceText.Length, $"{allocated} bytes counted for {source.SourceText.Length} characters generated");

        ImmutableArray<Diagnostic> diagnostics = run.AllDiagnostics();
        Assert.True(diagnostics.IsEmpty, string.Join("\n", diagnostics));
    }

    private void AssertTooLarge(string declaration, string reason, string limit)
    {
        (string source, TextSpan span) = Markup.Parse($"using NetGen;\n\n{declaration}\ninternal partial class Huge;\n");
        (GeneratorRun run, TimeSpan elapsed, long allocated) = Measure(source);
        output.WriteLine($"{elapsed.TotalMilliseconds:F1} ms, {allocated / 1024.0:F0} KB");

        EditorSnippetTests.AssertNeverThrew(run);
        Diagnostic diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("NG0011", diagnostic.Id);
        string message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        Assert.StartsWith("The network 'Huge' is too large: ", message, StringComparison.Ordinal);
        Assert.Contains(reason, message, StringComparison.Ordinal);
        Assert.Contains(limit, message, StringComparison.Ordinal);
        Assert.Equal(source[span.Start..span.End], source[diagnostic.Location.SourceSpan.Start..diagnostic.Location.SourceSpan.End]);
        Assert.Empty(run.NetworkSources);
        Assert.True(elapsed < TimeBound, $"the generator took {elapsed.TotalMilliseconds:F0} ms to refuse the network");
        Assert.True(allocated < AllocationBound, $"the generator allocated {allocated} bytes to refuse the network");

        // NetGen's diagnostic is the only error: nothing generated, nothing confusing.
        Assert.DoesNotContain(run.Output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
    }

    /// <summary>
    /// One run of the generator driver over the source, timed, and its allocations on this thread counted (the driver
    /// runs the generator on the calling thread); then the harness's run, for the assertions. The compilation is made
    /// beforehand and the driver warmed up on a small network, so that neither parsing nor the JIT is counted.
    /// </summary>
    private static (GeneratorRun Run, TimeSpan Elapsed, long Allocated) Measure(string source)
    {
        WarmUp.Value.ToString(CultureInfo.InvariantCulture);
        CSharpCompilation compilation = TestCompilation.Create(source);
        compilation.GetParseDiagnostics();
        GeneratorDriver driver = GeneratorHarness.CreateDriver();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var stopwatch = Stopwatch.StartNew();
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out _, out _);
        stopwatch.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        GeneratorRun run = GeneratorHarness.Run(compilation);
        Assert.Equal(driver.GetRunResult().GeneratedTrees.Length, run.Sources.Length);
        return (run, stopwatch.Elapsed, allocated);
    }

    private static readonly Lazy<int> WarmUp = new(() =>
    {
        GeneratorHarness.Run(SeedNetwork.Declaration);
        GeneratorHarness.Run("using NetGen;\n[Network(2)]\n[Dense(1000000)]\ninternal partial class Huge;\n");
        return 0;
    });
}
