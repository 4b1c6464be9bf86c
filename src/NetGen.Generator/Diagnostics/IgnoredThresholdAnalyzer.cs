using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;
using NetGen.Generator.Validation;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// NG0021: [Network(MaxUnrolledLayerWeights = ..., Code = CodeShape.Unrolled or Loops)], where the threshold has no
/// effect, since only CodeShape.Auto consults it. A warning, so reported here rather than by the generator, for the
/// same reason as NG0014 (<see cref="OrphanDenseAnalyzer"/>): #pragma and .editorconfig apply only to a diagnostic
/// at a location in the syntax tree. A value out of range is the generator's error NG0020 instead, and 0 (the
/// default, written out) asks for nothing, so neither is reported here.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class IgnoredThresholdAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.UnrollThresholdIgnored);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(Analyze, SymbolKind.NamedType);
    }

    private static void Analyze(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;

        // More than one [Network] is NG0012, which is the whole answer for that class.
        AttributeData[] networks = type.GetAttributes().Where(a => NetworkParser.IsNetworkAttribute(a.AttributeClass)).ToArray();
        if (networks.Length != 1)
        {
            return;
        }

        int? threshold = null;
        CodeShape? code = null;
        foreach (KeyValuePair<string, TypedConstant> named in networks[0].NamedArguments)
        {
            if (named.Value.Kind == TypedConstantKind.Error)
            {
                return;
            }

            switch (named.Key, named.Value.Value)
            {
                case ("MaxUnrolledLayerWeights", int value):
                    threshold = value;
                    break;
                case ("Code", int value):
                    code = (CodeShape)value;
                    break;
            }
        }

        if (threshold is not { } set
            || code is not { } shape
            || !ThresholdRules.IsIgnored(set, shape)
            || networks[0].ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not AttributeSyntax syntax
            || syntax.ContainsDiagnostics)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.UnrollThresholdIgnored,
            NetworkParser.ArgumentLocation(syntax, -1, null, "MaxUnrolledLayerWeights"),
            type.Name,
            shape.ToString()));
    }
}
