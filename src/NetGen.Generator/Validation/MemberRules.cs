using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator.Validation;

/// <summary>NG0007 and NG0015: names the generated members need must be free in the class and its bases.</summary>
internal static class MemberRules
{
    public static void CheckMemberNames(INamedTypeSymbol type, ElementKind element, int inputs, int outputs, bool embedded, bool streaming, List<DiagnosticInfo> diagnostics)
    {
        Dictionary<string, int> generated = GeneratedMembers.ParameterCounts(inputs, outputs, embedded, streaming);
        if (generated.ContainsKey(type.Name))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDeclaration, type.Locations.FirstOrDefault(), type.Name,
                $"a class named '{type.Name}' cannot hold the generated member of the same name; rename the class"));
            return;
        }

        foreach (ISymbol member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared || !generated.TryGetValue(member.Name, out int parameters))
            {
                continue;
            }

            // A method with another number of parameters is an overload the user may keep.
            if (member is IMethodSymbol method && parameters >= 0 && method.Parameters.Length != parameters)
            {
                continue;
            }

            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MemberNameTaken, member.Locations.FirstOrDefault(), type.Name, member.Name));
        }

        for (INamedTypeSymbol? baseType = type.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
        {
            // A base network of this compilation has no generated members yet while generating, but will have.
            if (baseType.GetAttributes().Any(a => NetworkParser.IsNetworkAttribute(a.AttributeClass)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InheritedMemberConflict,
                    type.Locations.FirstOrDefault(), type.Name, "Forward", baseType.Name));
                return;
            }

            foreach (ISymbol member in baseType.GetMembers())
            {
                if (member.DeclaredAccessibility != Accessibility.Private && !member.IsImplicitlyDeclared && generated.ContainsKey(member.Name))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InheritedMemberConflict,
                        type.Locations.FirstOrDefault(), type.Name, member.Name, baseType.Name));
                    return;
                }
            }
        }
    }
}
