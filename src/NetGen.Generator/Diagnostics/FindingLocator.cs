using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// Reports findings at their places: finds the declaration by the type's metadata name, its [Network] attribute and
/// its layer attributes (in source order, as the parser read them), and the argument a <see cref="Site"/> names. It
/// runs only for declarations that have findings, so the steps before it need keep no location.
/// </summary>
internal static class FindingLocator
{
    public static void Report(SourceProductionContext output, Findings findings, Compilation compilation)
    {
        AttributeSyntax? network = null;
        List<AttributeSyntax> layers = new();
        INamedTypeSymbol? type = compilation.GetTypeByMetadataName(findings.MetadataName) ?? Ambiguous(compilation, findings.MetadataName);
        AttributeData? attribute = type?.GetAttributes().FirstOrDefault(a => NetworkParser.IsNetworkAttribute(a.AttributeClass));
        if (attribute?.ApplicationSyntaxReference?.GetSyntax(output.CancellationToken) is AttributeSyntax syntax)
        {
            network = syntax;
            if (syntax.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } declaration)
            {
                foreach (AttributeData layer in type!.GetAttributes())
                {
                    if (NetworkParser.IsLayerAttribute(layer.AttributeClass)
                        && layer.ApplicationSyntaxReference?.GetSyntax(output.CancellationToken) is AttributeSyntax layerSyntax
                        && layerSyntax.SyntaxTree == declaration.SyntaxTree
                        && declaration.Span.Contains(layerSyntax.Span))
                    {
                        layers.Add(layerSyntax);
                    }
                }

                layers.Sort((left, right) => left.SpanStart.CompareTo(right.SpanStart));
            }
        }

        foreach (Finding finding in findings.Items)
        {
            output.ReportDiagnostic(Diagnostic.Create(finding.Descriptor, Locate(finding.Site, network, layers), finding.MessageArgs.ToArray<object>()));
        }
    }

    /// <summary>
    /// Where two types share the name (a class and a record of the same name, an error of its own), the metadata name
    /// finds neither: the class that carries [Network], which is the one NetGen read.
    /// </summary>
    private static INamedTypeSymbol? Ambiguous(Compilation compilation, string metadataName)
    {
        string name = metadataName.Substring(metadataName.LastIndexOfAny(new[] { '.', '+' }) + 1);
        return compilation.GetSymbolsWithName(name, SymbolFilter.Type)
            .OfType<INamedTypeSymbol>()
            .Where(t => t is { TypeKind: TypeKind.Class, IsRecord: false } && MetadataName(t) == metadataName)
            .FirstOrDefault(t => t.GetAttributes().Any(a => NetworkParser.IsNetworkAttribute(a.AttributeClass)));
    }

    private static string MetadataName(INamedTypeSymbol type)
    {
        string name = type.MetadataName;
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
        }

        for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            name = ns.MetadataName + "." + name;
        }

        return name;
    }

    private static Location? Locate(Site site, AttributeSyntax? network, List<AttributeSyntax> layers)
    {
        if (network is null)
        {
            return null;
        }

        switch (site.Kind)
        {
            case SiteKind.NetworkArgument:
                return NetworkParser.ArgumentLocation(network, site.Position, site.Parameter, site.Property);
            case SiteKind.LayerArgument when site.Layer >= 0 && site.Layer < layers.Count:
                return NetworkParser.ArgumentLocation(layers[site.Layer], site.Position, site.Parameter, site.Property);
            default:
                return network.GetLocation();
        }
    }
}
