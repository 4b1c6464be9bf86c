using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.Generator.Tests.Harness;

/// <summary>Two runs of one generator driver: the first over a compilation, the second over an edit of it.</summary>
/// <param name="First">The first run's result.</param>
/// <param name="Second">The second run's result, on the edited compilation with the same additional texts.</param>
/// <param name="Driver">The driver after the second run.</param>
internal sealed record IncrementalRuns(GeneratorRunResult First, GeneratorRunResult Second, GeneratorDriver Driver)
{
    /// <summary>The names of <see cref="TrackingNames"/> that some step of either run was tracked under.</summary>
    public ImmutableArray<string> TrackedNames =>
        [.. IncrementalAssert.TrackingNames.Where(name => First.TrackedSteps.ContainsKey(name) || Second.TrackedSteps.ContainsKey(name))];

    /// <summary>Every output reason of the steps tracked as <paramref name="name"/> in the second run (empty if none ran).</summary>
    public IEnumerable<IncrementalStepRunReason> SecondReasons(string name) =>
        Second.TrackedSteps.TryGetValue(name, out ImmutableArray<IncrementalGeneratorRunStep> steps)
            ? steps.SelectMany(step => step.Outputs).Select(output => output.Reason)
            : [];

    /// <summary>Every output reason of the second run's source outputs.</summary>
    public IEnumerable<IncrementalStepRunReason> SecondOutputReasons =>
        Second.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs).Select(output => output.Reason);

    /// <summary>The text of the generated file <paramref name="hintName"/> in the given run.</summary>
    public static string Source(GeneratorRunResult run, string hintName) =>
        run.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();
}

/// <summary>
/// Incremental-generation checks in the manner of NetEscapades.EnumGenerators' tests (Andrew Lock): one driver with
/// <c>trackIncrementalGeneratorSteps: true</c> runs over a compilation, then over an edit of it (the driver keeps the
/// same additional texts), and the second run is held to:
/// <list type="number">
/// <item>every output of every step tracked under a name of <see cref="NetGen.Generator.TrackingNames"/> is
/// <see cref="IncrementalStepRunReason.Cached"/> or <see cref="IncrementalStepRunReason.Unchanged"/>;</item>
/// <item>every output of every source output (TrackedOutputSteps) is Cached or Unchanged;</item>
/// <item>the generated sources are the same files with the same text.</item>
/// </list>
/// And in both runs, no output of those named steps, and no input of a source output, holds a Roslyn object, or a
/// location kept as plain values outside a step whose name contains <see cref="DiagnosticsMarker"/>
/// (<see cref="ObjectGraph"/>).
/// <para>
/// The names come from the generator by reflection (every public const string of TrackingNames), so that a step
/// added, renamed or removed there is covered without touching the tests.
/// </para>
/// </summary>
internal static class IncrementalAssert
{
    /// <summary>A step whose tracking name contains this may hold plain-value locations (a diagnostics-only pipeline).</summary>
    public const string DiagnosticsMarker = "Diagnostics";

    /// <summary>The value of every public const string field of <see cref="NetGen.Generator.TrackingNames"/>.</summary>
    public static ImmutableArray<string> TrackingNames { get; } =
    [
        .. typeof(TrackingNames)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral && !field.IsInitOnly && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!),
    ];

    /// <summary>A driver for <see cref="NetworkGenerator"/> with step tracking on.</summary>
    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText>? additionalTexts = null) =>
        CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            additionalTexts: additionalTexts,
            parseOptions: TestCompilation.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>
    /// Runs one driver over <paramref name="compilation"/>, then over <paramref name="edit"/>(compilation), and returns
    /// both results without judging them. Neither run may throw, and the first must generate something (else there is
    /// nothing a cache could keep).
    /// </summary>
    public static IncrementalRuns RunTwice(Compilation compilation, Func<Compilation, Compilation> edit, IEnumerable<AdditionalText>? additionalTexts = null)
    {
        GeneratorDriver driver = CreateDriver(additionalTexts).RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        Compilation edited = edit(compilation);
        driver = driver.RunGenerators(edited);
        GeneratorRunResult second = driver.GetRunResult().Results.Single();

        Assert.True(first.Exception is null, $"first run threw: {first.Exception}");
        Assert.True(second.Exception is null, $"second run threw: {second.Exception}");
        Assert.False(first.GeneratedSources.IsEmpty, "the first run generated nothing, so there is nothing a cache could keep");
        return new IncrementalRuns(first, second, driver);
    }

    /// <summary>
    /// <see cref="RunTwice"/>, then fails with every problem found (see the class remarks) unless the edit reused
    /// everything and no named step holds a Roslyn object.
    /// </summary>
    public static IncrementalRuns EditIsCached(Compilation compilation, Func<Compilation, Compilation> edit, IEnumerable<AdditionalText>? additionalTexts = null)
    {
        IncrementalRuns runs = RunTwice(compilation, edit, additionalTexts);
        var problems = new List<string>();
        problems.AddRange(ReuseProblems(runs.Second));
        problems.AddRange(SourceDifferences(runs.First, runs.Second));
        problems.AddRange(RoslynObjects(runs.First).Select(p => "first run: " + p));
        problems.AddRange(RoslynObjects(runs.Second).Select(p => "second run: " + p));
        Assert.True(problems.Count == 0, $"{problems.Count} problems after the edit:\n" + string.Join("\n", problems.Take(40)));
        return runs;
    }

    /// <summary>
    /// What the run did not reuse: each output of a named step or of a source output that is neither Cached nor
    /// Unchanged, e.g. "NetGen.Resolve[0].Outputs[0]: Modified". Also a problem: no named step ran at all, or no
    /// source output did (a check over nothing would pass vacuously).
    /// </summary>
    public static List<string> ReuseProblems(GeneratorRunResult run)
    {
        var problems = new List<string>();
        bool anyNamed = false;
        foreach (string name in TrackingNames)
        {
            if (!run.TrackedSteps.TryGetValue(name, out ImmutableArray<IncrementalGeneratorRunStep> steps))
            {
                continue;
            }

            anyNamed = true;
            for (int s = 0; s < steps.Length; s++)
            {
                for (int o = 0; o < steps[s].Outputs.Length; o++)
                {
                    IncrementalStepRunReason reason = steps[s].Outputs[o].Reason;
                    if (!IsReused(reason))
                    {
                        problems.Add($"{name}[{s}].Outputs[{o}]: {reason} ({Describe(steps[s].Outputs[o].Value)})");
                    }
                }
            }
        }

        if (!anyNamed)
        {
            problems.Add($"no step was tracked under any of the names in TrackingNames ({string.Join(", ", TrackingNames)})");
        }

        var outputs = run.TrackedOutputSteps.SelectMany(pair => pair.Value.Select(step => (Kind: pair.Key, Step: step))).ToList();
        if (outputs.Count == 0)
        {
            problems.Add("no source output was tracked");
        }

        foreach ((string kind, IncrementalGeneratorRunStep step) in outputs)
        {
            foreach ((object _, IncrementalStepRunReason reason) in step.Outputs)
            {
                if (!IsReused(reason))
                {
                    problems.Add($"source output ({kind}): {reason}");
                }
            }
        }

        return problems;
    }

    /// <summary>How the generated sources differ between the runs: a file added, removed or with other text.</summary>
    public static List<string> SourceDifferences(GeneratorRunResult first, GeneratorRunResult second)
    {
        var problems = new List<string>();
        Dictionary<string, string> before = first.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Dictionary<string, string> after = second.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        foreach (string hint in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            if (!before.TryGetValue(hint, out string? a))
            {
                problems.Add($"generated source {hint}: added by the second run");
            }
            else if (!after.TryGetValue(hint, out string? b))
            {
                problems.Add($"generated source {hint}: missing from the second run");
            }
            else if (a != b)
            {
                problems.Add($"generated source {hint}: its text changed");
            }
        }

        return problems;
    }

    /// <summary>
    /// Every Roslyn object (and plain-value location) held by an output of a step tracked under a name of
    /// TrackingNames, as "name[step].Outputs[output].path: type", or by the input of a source output
    /// (<see cref="SourceOutputInputObjects"/>); see <see cref="ObjectGraph"/>.
    /// </summary>
    public static List<string> RoslynObjects(GeneratorRunResult run)
    {
        var found = new List<string>();
        foreach (string name in TrackingNames)
        {
            if (!run.TrackedSteps.TryGetValue(name, out ImmutableArray<IncrementalGeneratorRunStep> steps))
            {
                continue;
            }

            ObjectGraph.Rules rules = name.Contains(DiagnosticsMarker, StringComparison.Ordinal)
                ? ObjectGraph.Rules.DiagnosticsStep
                : ObjectGraph.Rules.Model;
            for (int s = 0; s < steps.Length; s++)
            {
                for (int o = 0; o < steps[s].Outputs.Length; o++)
                {
                    found.AddRange(ObjectGraph.FindForbidden(steps[s].Outputs[o].Value, $"{name}[{s}].Outputs[{o}]", rules));
                }
            }
        }

        found.AddRange(SourceOutputInputObjects(run));
        return found;
    }

    /// <summary>
    /// Every Roslyn object held by a value handed to a source output (RegisterSourceOutput's input, reached through
    /// unnamed steps such as Combine). The outputs of a source output are Roslyn's own (generated texts, diagnostics),
    /// so what is checked is its input. Plain-value locations are allowed when some step upstream is named
    /// *<see cref="DiagnosticsMarker"/>*.
    /// </summary>
    public static List<string> SourceOutputInputObjects(GeneratorRunResult run)
    {
        var found = new List<string>();
        foreach ((string kind, ImmutableArray<IncrementalGeneratorRunStep> steps) in run.TrackedOutputSteps)
        {
            for (int s = 0; s < steps.Length; s++)
            {
                for (int i = 0; i < steps[s].Inputs.Length; i++)
                {
                    (IncrementalGeneratorRunStep source, int index) = steps[s].Inputs[i];
                    ObjectGraph.Rules rules = HasDiagnosticsUpstream(source, [])
                        ? ObjectGraph.Rules.DiagnosticsStep
                        : ObjectGraph.Rules.Model;
                    found.AddRange(ObjectGraph.FindForbidden(source.Outputs[index].Value, $"source output ({kind})[{s}].Inputs[{i}]", rules));
                }
            }
        }

        return found;
    }

    private static bool HasDiagnosticsUpstream(IncrementalGeneratorRunStep step, HashSet<IncrementalGeneratorRunStep> visited) =>
        visited.Add(step)
        && ((step.Name?.Contains(DiagnosticsMarker, StringComparison.Ordinal) ?? false)
            || step.Inputs.Any(input => HasDiagnosticsUpstream(input.Source, visited)));

    public static bool IsReused(IncrementalStepRunReason reason) =>
        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged;

    /// <summary>An edit that replaces the text of the file at <paramref name="path"/> by <paramref name="change"/> of it.</summary>
    public static Func<Compilation, Compilation> EditFile(string path, Func<string, string> change) => compilation =>
    {
        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        return compilation.ReplaceSyntaxTree(old, TestCompilation.Parse(change(old.GetText().ToString()), path));
    };

    /// <summary>An edit that replaces <paramref name="oldText"/> (which must occur exactly once) in one file.</summary>
    public static Func<Compilation, Compilation> Replace(string path, string oldText, string newText) => EditFile(path, text =>
    {
        int at = text.IndexOf(oldText, StringComparison.Ordinal);
        Assert.True(at >= 0 && text.IndexOf(oldText, at + 1, StringComparison.Ordinal) < 0, $"'{oldText}' does not occur exactly once in {path}");
        return string.Concat(text.AsSpan(0, at), newText, text.AsSpan(at + oldText.Length));
    });

    /// <summary>A short description of a step's output value for messages: its type, and its text if short.</summary>
    private static string Describe(object value)
    {
        string text = value?.ToString() ?? "null";
        return text.Length <= 160 ? text : text[..160] + "...";
    }
}
