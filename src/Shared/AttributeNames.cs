using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.Shared;

// Compiled into NetGen.Generator and NetGen.CodeFixes (both reference Roslyn), so that NG0016's advice and its code fix
// follow one rule.

/// <summary>How NetGen's attributes are written in source.</summary>
internal static class AttributeNames
{
    /// <summary>
    /// For a NetGen attribute's name as written (<c>Network</c>, <c>NetGen.Dense</c>,
    /// <c>global::NetGen.NetworkAttribute&lt;double&gt;</c>), what stands before the name ("", "NetGen.",
    /// "global::NetGen."); null for any other attribute. NG0016's message says what to write by this rule, and its
    /// code fix writes exactly that.
    /// </summary>
    public static string? NetGenQualifier(NameSyntax name)
    {
        SimpleNameSyntax? simple = name switch
        {
            QualifiedNameSyntax qualified => qualified.Right,
            AliasQualifiedNameSyntax alias => alias.Name,
            _ => name as SimpleNameSyntax,
        };
        if (simple is null || simple.Identifier.ValueText is not ("Network" or "NetworkAttribute" or "Dense" or "DenseAttribute"))
        {
            return null;
        }

        string text = name.ToString();
        return text.Substring(0, text.Length - simple.ToString().Length);
    }
}
