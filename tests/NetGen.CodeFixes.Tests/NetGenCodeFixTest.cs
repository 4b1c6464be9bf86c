using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using NetGen.Generator;

namespace NetGen.CodeFixes.Tests;

/// <summary>
/// A code fix test whose diagnostics come from the NetGen generator (there is no analyzer to run: the framework's
/// EmptyDiagnosticAnalyzer stands in), compiled as a NetGen user's project is: the net8.0 reference assemblies of
/// Basic.Reference.Assemblies (no download at test time), NetGen.Runtime, C# 12 and nullable enabled.
/// <para>
/// The generated sources are not compared (tests/NetGen.Generator.Tests does that); compiler errors are, in the test
/// state and in the fixed state alike, so a fix that leaves code that does not compile fails here.
/// </para>
/// <para>
/// The generator reports its diagnostics at a file path and span (Location.Create(path, span, lines): a location kept
/// as plain values, so that its model stays cacheable), which Roslyn calls an external-file location. The IDE gives
/// such a diagnostic to the document with that file path, and so to its code fixes; the test framework offers fixes
/// only for a diagnostic in a syntax tree of the project. <see cref="GetProjectCompilationAsync"/> therefore gives
/// each generator diagnostic the same span in the tree of that path, as the IDE does, and changes nothing else.
/// </para>
/// </summary>
internal sealed class NetGenCodeFixTest<TCodeFix> : CSharpCodeFixTest<EmptyDiagnosticAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    public NetGenCodeFixTest()
    {
        // No reference assembly package: net8.0's come from Basic.Reference.Assemblies below.
        ReferenceAssemblies = new ReferenceAssemblies("net8.0");
        TestState.AdditionalReferences.AddRange(Net80.References.All);
        TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(INetwork<>).Assembly.Location));
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;

        // Compiler warnings too (such as CS1591 for a generated public member without a doc comment, which
        // DocumentationMode.Diagnose reports), so that a fixed source must compile as cleanly as a user's build.
        CompilerDiagnostics = CompilerDiagnostics.Warnings;
    }

    protected override IEnumerable<Type> GetSourceGenerators() => [typeof(NetworkGenerator)];

    protected override async Task<(Compilation compilation, ImmutableArray<Diagnostic> generatorDiagnostics)> GetProjectCompilationAsync(
        Project project, IVerifier verifier, CancellationToken cancellationToken)
    {
        (Compilation compilation, ImmutableArray<Diagnostic> diagnostics) =
            await base.GetProjectCompilationAsync(project, verifier, cancellationToken).ConfigureAwait(false);
        return (compilation, diagnostics.Select(d => InSourceTree(compilation, d)).ToImmutableArray());
    }

    /// <summary>
    /// The diagnostic at the same span of the syntax tree whose path its external-file location names, with the same
    /// id, severity and message (the message as reported, its braces escaped, since the arguments are not public).
    /// </summary>
    private static Diagnostic InSourceTree(Compilation compilation, Diagnostic diagnostic)
    {
        if (diagnostic.Location.Kind != LocationKind.ExternalFile)
        {
            return diagnostic;
        }

        string path = diagnostic.Location.GetLineSpan().Path;
        SyntaxTree? tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == path);
        if (tree is null)
        {
            return diagnostic;
        }

        DiagnosticDescriptor reported = diagnostic.Descriptor;
        string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)
            .Replace("{", "{{", StringComparison.Ordinal)
            .Replace("}", "}}", StringComparison.Ordinal);
        var descriptor = new DiagnosticDescriptor(
            reported.Id, reported.Title, message, reported.Category, reported.DefaultSeverity, reported.IsEnabledByDefault,
            reported.Description, reported.HelpLinkUri, reported.CustomTags.ToArray());
        return Diagnostic.Create(descriptor, Location.Create(tree, diagnostic.Location.SourceSpan), diagnostic.Severity, additionalLocations: null, diagnostic.Properties);
    }

    protected override ParseOptions CreateParseOptions() =>
        new CSharpParseOptions(LanguageVersion.CSharp12, DocumentationMode.Diagnose);

    protected override CompilationOptions CreateCompilationOptions() =>
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);
}
