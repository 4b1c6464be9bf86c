using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.Generator.Tests.Harness;

/// <summary>
/// Compilations as a NetGen user's project would make them, but in memory: the net8.0 reference assemblies
/// (not the test host's runtime, which is newer and would hide an API that net8.0 lacks), NetGen.Runtime, C# 12
/// and nullable enabled, the oldest combination NetGen promises to support.
/// </summary>
internal static class TestCompilation
{
    /// <summary>
    /// DocumentationMode.Diagnose makes the compiler check XML docs as a project with GenerateDocumentationFile
    /// does, so a public generated member without a doc comment shows up as CS1591 (and an unused using in a
    /// test's own source as CS8019, which keeps the test sources honest too).
    /// </summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.CSharp12, DocumentationMode.Diagnose);

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

    public static SyntaxTree Parse(string source, string path) =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path, Encoding.UTF8);

    /// <summary>A compilation of the sources, named Source0.cs, Source1.cs, ... in order.</summary>
    public static CSharpCompilation Create(params string[] sources) =>
        Create(sources.Select((source, i) => ($"Source{i}.cs", source)));

    public static CSharpCompilation Create(IEnumerable<(string Path, string Source)> files) =>
        CSharpCompilation.Create(
            "NetGenUser",
            files.Select(file => Parse(file.Source, file.Path)),
            References,
            Options);
}
