using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Validation;

/// <summary>NG0016: <c>Loss = Loss.X</c>, the old name of the enum of losses, which cannot compile inside the class.</summary>
internal static class LossSpellingRule
{
    /// <summary>
    /// <c>Loss = Loss.CrossEntropy</c>: the enum of losses is LossFunction, since inside the class (where attribute
    /// arguments are bound) 'Loss' names the generated Loss method, so 'Loss.X' never compiles there (CS0103 before
    /// generation, CS0119 after). Say what to write instead: LossFunction, qualified as the attribute itself is
    /// (NetGen.Network gives NetGen.LossFunction), so that the advice compiles wherever the attribute does.
    /// </summary>
    public static DiagnosticInfo? CheckLossName(string typeName, IEnumerable<AttributeSyntax> attributes)
    {
        foreach (AttributeSyntax attribute in attributes)
        {
            string? qualifier = NetGen.Shared.AttributeNames.NetGenQualifier(attribute.Name);
            if (qualifier is null)
            {
                continue;
            }

            foreach (AttributeArgumentSyntax argument in attribute.ArgumentList?.Arguments ?? default)
            {
                // 'Loss' as the start of an expression (Loss.X, (Activation)Loss.X, ...), not as a property name.
                IdentifierNameSyntax? loss = argument.Expression.DescendantNodesAndSelf()
                    .OfType<IdentifierNameSyntax>()
                    .FirstOrDefault(n => n.Identifier.ValueText == "Loss"
                        && !(n.Parent is MemberAccessExpressionSyntax member && member.Name == n)
                        && n.Parent is not QualifiedNameSyntax);
                if (loss is not null)
                {
                    SyntaxNode shown = loss.Parent is MemberAccessExpressionSyntax access ? access : loss;
                    string advice = qualifier + "LossFunction" + (shown is MemberAccessExpressionSyntax written ? "." + written.Name.Identifier.ValueText : string.Empty);
                    return DiagnosticInfo.Create(DiagnosticDescriptors.LossNameShadowed, shown.GetLocation(), typeName, shown.ToString(), advice);
                }
            }
        }

        return null;
    }

    /// <summary>The LossFunction member meant by <c>Loss = Loss.X</c> on [Network], or null when it is written otherwise.</summary>
    public static LossFunction? IntendedLoss(AttributeSyntax network)
    {
        foreach (AttributeArgumentSyntax argument in network.ArgumentList?.Arguments ?? default)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText == "Loss"
                && argument.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Loss" } } access
                && Enum.TryParse(access.Name.Identifier.ValueText, out LossFunction loss)
                && Enum.IsDefined(typeof(LossFunction), loss))
            {
                return loss;
            }
        }

        return null;
    }
}
