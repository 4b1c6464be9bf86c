using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// NG0014: [Dense] on a class without [Network] does nothing. A warning, and so one a user may silence with
/// #pragma or .editorconfig; the compiler honours those for an analyzer's diagnostics at a location in the
/// syntax tree, which a generator cannot give without keeping the tree in its cached model.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OrphanDenseAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.DenseWithoutNetwork);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(Analyze, SymbolKind.NamedType);
    }

    private static void Analyze(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        ImmutableArray<AttributeData> attributes = type.GetAttributes();
        if (attributes.Any(a => NetworkParser.IsNetworkAttribute(a.AttributeClass)))
        {
            return;
        }

        // Once per class, on its first [Dense] in source order.
        Location? first = attributes
            .Where(a => NetworkParser.IsLayerAttribute(a.AttributeClass) && a.ApplicationSyntaxReference is not null)
            .Select(a => a.ApplicationSyntaxReference!.GetSyntax(context.CancellationToken).GetLocation())
            .OrderBy(l => l.SourceTree?.FilePath, System.StringComparer.Ordinal)
            .ThenBy(l => l.SourceSpan.Start)
            .FirstOrDefault();
        if (first is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DenseWithoutNetwork, first, type.Name));
        }
    }
}
