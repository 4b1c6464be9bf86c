using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.Benchmarks.CompileTime;

/// <summary>
/// The compile-time cost of the generator itself (docs/benchmarks.md, "Compile-time cost"): Roslyn's
/// <see cref="GeneratorDriver"/> running <c>NetworkGenerator</c> in this process over a compilation that holds one
/// network declaration. Parsing the declaration and creating the compilation happen in the setup, never in the
/// measured part. The setup also checks what is timed: one generated file, no diagnostic, output that compiles, and
/// an incremental run that reuses every output.
/// </summary>
[MemoryDiagnoser]
public class GeneratorCostBenchmarks
{
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warm = null!;

    [ParamsSource(nameof(AllNetworks))]
    public string Network { get; set; } = "A";

    public static IEnumerable<string> AllNetworks => GeneratorInputs.Networks;

    [GlobalSetup]
    public void Setup()
    {
        _compilation = GeneratorInputs.Compilation(Network);
        _edited = GeneratorInputs.WithComment(_compilation);
        _warm = GeneratorInputs.CreateDriver().RunGenerators(_compilation);
        Check();
    }

    /// <summary>
    /// A first run, as in a build: a new driver and generator over a compilation whose source symbols are not bound
    /// yet. <c>Clone()</c> makes that compilation without parsing or loading anything (it shares the syntax trees
    /// and the already bound references), so binding the declaration's attributes is measured, as the compiler
    /// charges it to the generator.
    /// </summary>
    [Benchmark]
    public GeneratorDriver Cold() => GeneratorInputs.CreateDriver().RunGenerators(_compilation.Clone());

    /// <summary>A new driver over a compilation already bound by earlier runs: the generator's own work alone.</summary>
    [Benchmark]
    public GeneratorDriver ColdBound() => GeneratorInputs.CreateDriver().RunGenerators(_compilation);

    /// <summary>
    /// What any generator driven by the same attribute pays, not NetGen's own work: a generator that finds the
    /// [Network] and [Network&lt;T&gt;] declarations with <c>ForAttributeWithMetadataName</c>, as NetGen does, and
    /// does nothing with them, run as <see cref="Cold"/> (new driver, compilation not bound yet).
    /// </summary>
    [Benchmark]
    public GeneratorDriver FindOnlyCold() => GeneratorInputs.CreateFindOnlyDriver().RunGenerators(_compilation.Clone());

    /// <summary>
    /// The warm driver after an unrelated edit (a comment at the top of the network's file), as the IDE runs it on
    /// a keystroke: the declaration is found and bound again in the new compilation, and everything after it is
    /// cached.
    /// </summary>
    [Benchmark]
    public GeneratorDriver Incremental() => _warm.RunGenerators(_edited.Clone());

    /// <summary>
    /// The warm driver after the same edit, on a compilation already bound by earlier runs: the generator's own
    /// incremental work alone (finding the declaration again, comparing the parsed model, reusing the output).
    /// </summary>
    [Benchmark]
    public GeneratorDriver IncrementalBound() => _warm.RunGenerators(_edited);

    private void Check()
    {
        GeneratorRunResult cold = _warm.GetRunResult().Results.Single();
        if (cold.Exception is not null || !cold.Diagnostics.IsEmpty || cold.GeneratedSources.Length != 1
            || cold.GeneratedSources[0].HintName != GeneratorInputs.HintName(Network))
        {
            throw new InvalidOperationException(
                $"Net{Network}: expected one file {GeneratorInputs.HintName(Network)} and no diagnostic, got "
                + $"[{string.Join(", ", cold.GeneratedSources.Select(s => s.HintName))}], "
                + $"[{string.Join(", ", cold.Diagnostics)}], {cold.Exception}");
        }

        Compilation output = _compilation.AddSyntaxTrees(cold.GeneratedSources[0].SyntaxTree);
        Diagnostic[] errors = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        if (errors.Length > 0)
        {
            throw new InvalidOperationException($"Net{Network}: the generated code does not compile cleanly:\n{string.Join("\n", errors.Take(10))}");
        }

        GeneratorDriver tracked = GeneratorInputs.CreateDriver(trackSteps: true).RunGenerators(_compilation).RunGenerators(_edited);
        GeneratorRunResult again = tracked.GetRunResult().Results.Single();
        ImmutableArray<IncrementalStepRunReason> reasons =
        [
            .. again.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs).Select(o => o.Reason),
        ];
        if (reasons.IsEmpty || reasons.Any(r => r is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            || again.GeneratedSources.Single().SourceText.ToString() != cold.GeneratedSources[0].SourceText.ToString())
        {
            throw new InvalidOperationException($"Net{Network}: the edit was not incremental: [{string.Join(", ", reasons)}]");
        }

        string text = cold.GeneratedSources[0].SourceText.ToString();
        Console.WriteLine(
            $"// Net{Network}: {GeneratorInputs.HintName(Network)} is {text.Length} characters, "
            + $"{text.Count(c => c == '\n')} lines; the edited compilation reused every output ({string.Join(", ", reasons)})");
    }
}
