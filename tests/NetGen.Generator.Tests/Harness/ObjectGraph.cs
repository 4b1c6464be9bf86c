using System;
using System.Collections.Generic;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Tests.Harness;

/// <summary>
/// Walks an object graph through instance fields (public or not, declared or inherited), array elements and boxed
/// structs, to find Roslyn objects that a pipeline step must not hold: a cached symbol, syntax node, syntax tree,
/// semantic model or compilation keeps a whole compilation alive and breaks the comparison that makes caching work;
/// a Location holds its syntax tree; and a location kept as plain values (a TextSpan, a LinePositionSpan) changes
/// whenever a line is added above the declaration, so a model that holds one is never equal across such an edit.
/// <para>
/// The rule is by origin, not by a list of bad types: any object of a type from Microsoft.CodeAnalysis (its
/// namespaces or its assemblies) is reported, so AttributeData, TypedConstant, SyntaxToken, SyntaxReference,
/// SourceText, Diagnostic and the rest need no entry of their own. The only exception is
/// <see cref="Rules.DiagnosticsStep"/>: in a step that exists to carry diagnostics, plain-value locations
/// (<see cref="LocationValues"/>) and the descriptions of diagnostics (<see cref="DiagnosticDescriptor"/>,
/// <see cref="DiagnosticSeverity"/>) are allowed; a Location, a syntax tree or a symbol is still not.
/// </para>
/// </summary>
internal static class ObjectGraph
{
    /// <summary>What is allowed where.</summary>
    public enum Rules
    {
        /// <summary>No Roslyn object of any kind, and no location kept as plain values.</summary>
        Model,

        /// <summary>As <see cref="Model"/>, but <see cref="LocationValues"/> and diagnostic descriptions are allowed.</summary>
        DiagnosticsStep,
    }

    /// <summary>Location-like value types: a location kept as plain values.</summary>
    public static readonly Type[] LocationValues =
    [
        typeof(TextSpan),
        typeof(LinePosition),
        typeof(LinePositionSpan),
        typeof(FileLinePositionSpan),
    ];

    /// <summary>Named in reports, as the worst offenders (any other Roslyn type is reported as well).</summary>
    private static readonly Type[] Named =
    [
        typeof(ISymbol),
        typeof(SyntaxNode),
        typeof(SyntaxTree),
        typeof(SemanticModel),
        typeof(Compilation),
        typeof(Location),
        typeof(AttributeData),
    ];

    /// <summary>What a diagnostics step may hold besides <see cref="LocationValues"/>; not walked into.</summary>
    private static readonly Type[] DiagnosticDescriptions =
    [
        typeof(DiagnosticDescriptor),
        typeof(DiagnosticSeverity),
    ];

    /// <summary>
    /// The path to every forbidden object reachable from <paramref name="root"/>, each as "root.Spec._items[0]: type",
    /// e.g. "root.Items[1].Payload: Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax".
    /// </summary>
    public static List<string> FindForbidden(object? root, string rootName = "root", Rules rules = Rules.Model)
    {
        var found = new List<string>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(root, rootName, rules, visited, found);
        return found;
    }

    /// <summary>Whether a type comes from Roslyn: its namespace is Microsoft.CodeAnalysis[.*] or its assembly is one of Roslyn's.</summary>
    public static bool IsRoslynType(Type type) =>
        type.Namespace is "Microsoft.CodeAnalysis" || (type.Namespace?.StartsWith("Microsoft.CodeAnalysis.", StringComparison.Ordinal) ?? false)
        || (type.Assembly.GetName().Name?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) ?? false)
        || Array.Exists(Named, named => named.IsAssignableFrom(type));

    private static void Walk(object? value, string path, Rules rules, HashSet<object> visited, List<string> found)
    {
        if (value is null)
        {
            return;
        }

        Type type = value.GetType();
        if (IsRoslynType(type))
        {
            bool allowed = rules == Rules.DiagnosticsStep
                && (Array.IndexOf(LocationValues, type) >= 0 || Array.Exists(DiagnosticDescriptions, d => d.IsAssignableFrom(type)));
            if (!allowed)
            {
                found.Add($"{path}: {type.FullName}");
            }

            return;
        }

        if (IsLeaf(type) || (!type.IsValueType && !visited.Add(value)))
        {
            return;
        }

        if (value is Array array)
        {
            if (IsLeaf(type.GetElementType()!))
            {
                return;
            }

            int index = 0;
            foreach (object? element in array)
            {
                Walk(element, $"{path}[{index++}]", rules, visited, found);
            }

            return;
        }

        for (Type? current = type; current is not null; current = current.BaseType)
        {
            foreach (FieldInfo field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                {
                    continue;
                }

                Walk(field.GetValue(value), $"{path}.{Name(field)}", rules, visited, found);
            }
        }
    }

    /// <summary>A property's name for its backing field ("&lt;Spec&gt;k__BackingField" reads as "Spec").</summary>
    private static string Name(FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.EndsWith(">k__BackingField", StringComparison.Ordinal)
            ? field.Name[1..field.Name.IndexOf('>', StringComparison.Ordinal)]
            : field.Name;

    /// <summary>
    /// Values that hold nothing of interest (and are not Roslyn's: those are checked first). Reflection and delegate
    /// objects are leaves too: walking into them would wander through the runtime's own state, never into a Roslyn
    /// object a step kept.
    /// </summary>
    private static bool IsLeaf(Type type) =>
        (type.IsPrimitive && !IsRoslynType(type))
        || (type.IsEnum && !IsRoslynType(type))
        || type.IsPointer
        || type == typeof(string)
        || type == typeof(decimal)
        || typeof(MemberInfo).IsAssignableFrom(type)
        || typeof(Delegate).IsAssignableFrom(type)
        || type.Namespace == "System.Reflection";
}
