using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator;

namespace NetGen.Benchmarks.CompileTime;

/// <summary>
/// What <see cref="GeneratorCostBenchmarks"/> runs the generator over. The declarations are the very files that
/// benchmarks/CompileCost builds (embedded into this assembly from benchmarks/CompileCost/Networks), so the in-memory
/// runs and the real build see the same source. A compilation holds one declaration and is made as that project is
/// compiled: net8.0 reference assemblies, NetGen.Runtime, C# 12, nullable enabled, optimised.
/// </summary>
internal static class GeneratorInputs
{
    /// <summary>A to D as in Comparison/Networks.cs; E is 256 inputs and five 256-unit layers (four ReLU, identity last).</summary>
    public static IReadOnlyList<string> Networks { get; } = ["A", "B", "C", "D", "E"];

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.CSharp12);

    public static ImmutableArray<MetadataReference> References { get; } =
    [
        .. Net80.References.All,
        MetadataReference.CreateFromFile(typeof(INetwork<>).Assembly.Location),
    ];

    public static CSharpCompilationOptions Options { get; } = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        optimizationLevel: OptimizationLevel.Release,
        deterministic: true);

    /// <summary>The text of benchmarks/CompileCost/Networks/Net<paramref name="network"/>.cs.</summary>
    public static string Source(string network)
    {
        string name = $"NetGen.Benchmarks.CompileTime.Net{network}.cs";
        using Stream stream = typeof(GeneratorInputs).Assembly.GetManifestResourceStream(name)
            ?? throw new ArgumentException($"no embedded resource {name}", nameof(network));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The hint name the generator gives the network's file (namespace CompileCost, class Net<paramref name="network"/>).</summary>
    public static string HintName(string network) => $"CompileCost.Net{network}.g.cs";

    /// <summary>A compilation of the one declaration, parsed and with its references, nothing bound yet.</summary>
    public static CSharpCompilation Compilation(string network) =>
        CSharpCompilation.Create(
            "CompileCost",
            [CSharpSyntaxTree.ParseText(Source(network), ParseOptions, $"Net{network}.cs", Encoding.UTF8)],
            References,
            Options);

    /// <summary>
    /// The compilation after an edit that changes nothing the generator reads: a comment added at the top of the
    /// network's own file (so every position in it moves). The tree is reparsed incrementally, as the IDE does.
    /// </summary>
    public static CSharpCompilation WithComment(CSharpCompilation compilation)
    {
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        SourceText edited = tree.GetText().WithChanges(new TextChange(new TextSpan(0, 0), "// An unrelated comment.\n"));
        return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(edited));
    }

    /// <summary>A new driver holding a new generator, with the compiler's options; step tracking only for checks.</summary>
    public static GeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>A new driver holding <see cref="FindOnlyGenerator"/>, with the same options as <see cref="CreateDriver"/>.</summary>
    public static GeneratorDriver CreateFindOnlyDriver() =>
        CSharpGeneratorDriver.Create(
            [new FindOnlyGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    /// <summary>
    /// The least a generator driven by NetGen's attributes does: find the declarations the way NetworkGenerator
    /// does (the same two <c>ForAttributeWithMetadataName</c> calls and syntax test) and count their attributes.
    /// Never registered with a compiler, only run by <see cref="GeneratorCostBenchmarks.FindOnlyCold"/>.
    /// </summary>
    private sealed class FindOnlyGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<int> networks = context.SyntaxProvider.ForAttributeWithMetadataName(
                "NetGen.NetworkAttribute", IsCandidate, static (found, _) => found.Attributes.Length);
            IncrementalValuesProvider<int> genericNetworks = context.SyntaxProvider.ForAttributeWithMetadataName(
                "NetGen.NetworkAttribute`1", IsCandidate, static (found, _) => found.Attributes.Length);
            context.RegisterSourceOutput(networks.Collect().Combine(genericNetworks.Collect()), static (_, _) => { });
        }

        private static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
            node is ClassDeclarationSyntax or RecordDeclarationSyntax;
    }
}
