using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>What one run of the generator over a mutant gave, and everything wrong with it.</summary>
/// <param name="Problems">Broken promises of the generator's; empty when the run is fine.</param>
/// <param name="Generated">The hint names of the generated files.</param>
/// <param name="NetGenIds">The ids NetGen reported.</param>
/// <param name="InputHasErrors">Whether the mutant alone (without generated code) has compiler errors.</param>
/// <param name="Elapsed">How long the generator and NetGen's analyzers took (<see cref="GeneratorHarness.Run(Compilation, GeneratorDriver?)"/>).</param>
internal sealed record FuzzOutcome(
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Generated,
    IReadOnlyList<string> NetGenIds,
    bool? InputHasErrors,
    TimeSpan Elapsed);

/// <summary>
/// Runs the generator over a program and checks what the generator promises of any code, however broken:
/// <list type="number">
/// <item><description>no exception escapes: GeneratorRunResult.Exception is null, and neither the driver nor the
/// analyzer reports CS8785 (a generator threw) or AD0001 (an analyzer threw);</description></item>
/// <item><description>NetGen reports only NG diagnostics, each at a place in the user's source;</description></item>
/// <item><description>the run takes less than <see cref="TimeBound"/> (a hang guard, not a performance
/// measure; <see cref="FuzzOutcome.Elapsed"/> is checked by the caller, which can time a slow case again);</description></item>
/// <item><description>when NetGen generates anything, no compiler diagnostic of any severity lies in a generated file
/// (a generated file must compile, whatever the rest of the program does);</description></item>
/// <item><description>a class NetGen reports an error on gets no generated source (NG0016 excepted: by design it
/// comes with the generated members);</description></item>
/// <item><description>and generating adds no error to the user's own files: every error located in the user's files
/// after generation has an error of the mutant alone in the same statement, attribute, base type or member
/// (NG0016's CS0119 excepted). This is what catches an invalid
/// declaration that was generated without a NetGen diagnostic, when the error lands in the user's code instead of the
/// generated file.</description></item>
/// </list>
/// A mutant whose own source has compiler errors is fine, and so is a NetGen error; only the above count.
/// </summary>
internal static class FuzzOracle
{
    /// <summary>Each generator run must finish within this; measured with a Stopwatch as a hang guard only.</summary>
    public static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(2);

    /// <summary>
    /// One compilation with no syntax trees, whose references every case shares: compilations derived from it with
    /// AddSyntaxTrees reuse its reference manager, so the net8.0 reference assemblies are bound once, not per case.
    /// </summary>
    private static readonly CSharpCompilation Empty = TestCompilation.Create(Array.Empty<string>());

    public static CSharpCompilation Compile(IReadOnlyList<string> files) =>
        Empty.AddSyntaxTrees(files.Select((source, i) => TestCompilation.Parse(source, $"Source{i}.cs")));

    public static FuzzOutcome Run(IReadOnlyList<string> files)
    {
        CSharpCompilation compilation = Compile(files);
        var problems = new List<string>();
        var stopwatch = Stopwatch.StartNew();
        GeneratorRun run;
        try
        {
            run = GeneratorHarness.Run(compilation);
        }
        catch (Exception exception)
        {
            problems.Add($"running the generator threw {exception}");
            return new FuzzOutcome(problems, [], [], null, stopwatch.Elapsed);
        }

        TimeSpan elapsed = stopwatch.Elapsed;
        if (run.Result.Exception is { } thrown)
        {
            problems.Add($"the generator threw {thrown.GetType().Name}: {thrown.Message}");
        }

        foreach (Diagnostic crash in run.DriverDiagnostics.Concat(run.AnalyzerDiagnostics).Where(d => d.Id is "CS8785" or "AD0001"))
        {
            problems.Add($"{crash.Id}: {crash.GetMessage(CultureInfo.InvariantCulture)}");
        }

        // The generator reports at a file path and span (kept as plain values, so its model stays cacheable), the
        // analyzer at a syntax tree: either way the place must be inside one of the user's files.
        var userTrees = compilation.SyntaxTrees.ToDictionary(t => t.FilePath);
        foreach (Diagnostic diagnostic in run.Diagnostics)
        {
            if (diagnostic.Id == "CS8785")
            {
                continue; // reported above
            }

            if (!diagnostic.Id.StartsWith("NG", StringComparison.Ordinal))
            {
                problems.Add($"NetGen reported a diagnostic that is not its own: {diagnostic}");
            }
            else if (UserTree(userTrees, diagnostic.Location) is not { } tree || diagnostic.Location.SourceSpan.End > tree.Length)
            {
                problems.Add($"NetGen reported a diagnostic outside the user's source: {diagnostic}");
            }
        }

        List<string> generated = run.Sources.Select(s => s.HintName).ToList();
        List<string> ids = run.Diagnostics.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToList();
        bool? inputHasErrors = null;
        if (run.Sources.Length > 0)
        {
            ImmutableArray<Diagnostic> before = compilation.GetDiagnostics();
            inputHasErrors = before.Any(d => d.Severity == DiagnosticSeverity.Error);
            CheckOutput(run, before, userTrees, problems);
        }

        CheckNothingDropped(compilation, run, userTrees, problems);
        return new FuzzOutcome(problems, generated, ids, inputHasErrors, elapsed);
    }

    /// <summary>
    /// A class that carries NetGen's Network attribute, in a program whose declarations have no compiler error, gets
    /// generated code or a NetGen diagnostic on one of its declarations: never silence. (Errors inside method bodies
    /// do not excuse silence, so only parse and declaration errors, attributes included, count.)
    /// </summary>
    private static void CheckNothingDropped(CSharpCompilation compilation, GeneratorRun run, Dictionary<string, SyntaxTree> userTrees, List<string> problems)
    {
        var generated = run.Sources
            .Select(s => GeneratedType(run.Output, s.SyntaxTree)?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
            .ToHashSet(StringComparer.Ordinal);
        bool? clean = null;
        var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            SemanticModel model = compilation.GetSemanticModel(tree);
            foreach (TypeDeclarationSyntax declaration in tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>())
            {
                if (declaration.AttributeLists.Count == 0
                    || model.GetDeclaredSymbol(declaration) is not INamedTypeSymbol type
                    || !seen.Add(type)
                    || !type.GetAttributes().Any(a => a.AttributeClass is { Name: "NetworkAttribute", ContainingNamespace: { Name: "NetGen", ContainingNamespace.IsGlobalNamespace: true } })
                    || generated.Contains(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)))
                {
                    continue;
                }

                bool reported = run.Diagnostics.Any(d => UserTree(userTrees, d.Location) is { } at
                    && type.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == at && r.Span.Contains(d.Location.SourceSpan)));
                if (reported)
                {
                    continue;
                }

                clean ??= !compilation.GetParseDiagnostics().Concat(compilation.GetDeclarationDiagnostics()).Any(d => d.Severity == DiagnosticSeverity.Error);
                if (clean == true)
                {
                    problems.Add($"NetGen neither generated nor reported anything for '{type.ToDisplayString()}', a [Network] class whose program has no declaration error");
                }
            }
        }
    }

    private static SyntaxTree? UserTree(Dictionary<string, SyntaxTree> userTrees, Location location) =>
        location.Kind is LocationKind.SourceFile or LocationKind.ExternalFile
        && userTrees.TryGetValue(location.GetLineSpan().Path, out SyntaxTree? tree)
        && (location.SourceTree is null || location.SourceTree == tree)
            ? tree
            : null;

    private static void CheckOutput(GeneratorRun run, ImmutableArray<Diagnostic> before, Dictionary<string, SyntaxTree> userTrees, List<string> problems)
    {
        var generatedTrees = run.Sources.Select(s => s.SyntaxTree).ToHashSet();
        ImmutableArray<Diagnostic> after = run.Output.GetDiagnostics();
        foreach (Diagnostic diagnostic in after.Where(d => d.Location.SourceTree is { } tree && generatedTrees.Contains(tree)).Take(5))
        {
            problems.Add($"the generated code has a diagnostic: {diagnostic}");
        }

        // A class with a NetGen error must get no network code: the error is the whole answer (NG0016 comes with code).
        // It may get a stand-in file whose members throw, so that its uses compile; that file must compile too.
        List<Diagnostic> errors = run.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "NG0016" && UserTree(userTrees, d.Location) is not null)
            .ToList();
        if (errors.Count > 0)
        {
            var generatedTypes = run.NetworkSources
                .Select(s => GeneratedType(run.Output, s.SyntaxTree))
                .Where(t => t is not null)
                .ToHashSet(SymbolEqualityComparer.Default);
            foreach (Diagnostic error in errors)
            {
                if (UserType(run.Output, UserTree(userTrees, error.Location)!, error.Location.SourceSpan) is { } type && generatedTypes.Contains(type))
                {
                    problems.Add($"NetGen reported an error and generated source for '{type}' too: {error}");
                }
            }
        }

        // Generating must not add an error to the user's own files.
        if (run.Diagnostics.Any(d => d.Id == "NG0016"))
        {
            return;
        }

        // An error where the user's code named a member that did not exist yet changes once the member exists, and
        // may move within the statement (CS1501 on "Forward" becomes CS1503 on its argument): an error is new when no
        // error of the mutant alone lies in the same statement, attribute, base type or member (or, for an error
        // outside those, at the same place).
        List<Diagnostic> known = before.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        foreach (Diagnostic added in after
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && userTrees.ContainsValue(tree))
            .Where(d => !known.Any(k => k.Location.SourceTree?.FilePath == d.Location.SourceTree!.FilePath
                && (Overlap(k.Location.SourceSpan, d.Location.SourceSpan) || Overlap(k.Location.SourceSpan, Region(d.Location)))))
            .Take(5))
        {
            problems.Add($"generating added an error to the user's code: {added}");
        }
    }

    private static Microsoft.CodeAnalysis.Text.TextSpan Region(Location location)
    {
        SyntaxNode node = location.SourceTree!.GetRoot().FindNode(location.SourceSpan, getInnermostNodeForTie: true);
        SyntaxNode? region = node.AncestorsAndSelf().FirstOrDefault(n => n is StatementSyntax or AttributeSyntax or BaseTypeSyntax
            or (MemberDeclarationSyntax and not BaseTypeDeclarationSyntax and not BaseNamespaceDeclarationSyntax));
        return region?.Span ?? location.SourceSpan;
    }

    private static bool Overlap(Microsoft.CodeAnalysis.Text.TextSpan a, Microsoft.CodeAnalysis.Text.TextSpan b) =>
        a.Start <= b.End && b.Start <= a.End;

    /// <summary>The network type a generated file extends: its innermost type declaration.</summary>
    private static ISymbol? GeneratedType(Compilation output, SyntaxTree tree)
    {
        // The user's partial comes first in a generated file (its code follows, in namespace NetGen.Generated): the
        // network is the first type declaration that implements NetGen's interface (a streaming model's nested State
        // does not), else the first with no type nested in it.
        TypeDeclarationSyntax[] types = tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>().ToArray();
        TypeDeclarationSyntax? innermost = types.FirstOrDefault(t => t.BaseList?.Types.Any(b =>
                b.Type.ToString().Contains("NetGen.INetwork<", StringComparison.Ordinal)
                || b.Type.ToString().Contains("NetGen.ISequenceNetwork<", StringComparison.Ordinal)) == true)
            ?? types.FirstOrDefault(t => !t.Members.OfType<TypeDeclarationSyntax>().Any());
        return innermost is null ? null : output.GetSemanticModel(tree).GetDeclaredSymbol(innermost);
    }

    /// <summary>The type whose declaration holds the location (its attributes, name or members).</summary>
    private static ISymbol? UserType(Compilation output, SyntaxTree tree, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        SyntaxNode node = tree.GetRoot().FindNode(span, getInnermostNodeForTie: true);
        TypeDeclarationSyntax? type = node.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        return type is null ? null : output.GetSemanticModel(tree).GetDeclaredSymbol(type);
    }
}
