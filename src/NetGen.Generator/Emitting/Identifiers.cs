using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.Generator.Emitting;

/// <summary>Names as C# source and as file names.</summary>
internal static class Identifiers
{
    /// <summary>The name as source: a reserved keyword used as a name (<c>@class</c>) keeps its '@'.</summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>A dotted namespace with each part escaped.</summary>
    public static string EscapeNamespace(string name) =>
        string.Join(".", name.Split('.').Select(Escape));

    /// <summary>A stable 8-hex-digit hash (FNV-1a) of a name, to tell apart names that clean up or fold to the same file name.</summary>
    public static string Hash(string name)
    {
        uint hash = 2166136261;
        foreach (char c in name)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A hint name AddSource accepts: letters, digits and a few punctuation marks only.</summary>
    public static string HintName(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length);
        foreach (char c in name)
        {
            builder.Append(char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or '+' ? c : '_');
        }

        return builder.ToString();
    }
}
