using System;
using System.Collections.Generic;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Tests.Harness;

/// <summary>
/// Walks an object graph through instance fields (public or not, declared or inherited), array elements and boxed
/// structs, to find Roslyn objects that a pipeline step must not hold: a cached symbol, syntax node, syntax tree,
/// semantic model or compilation keeps a whole compilation alive and breaks the comparison that makes caching work.
/// </summary>
internal static class ObjectGraph
{
    private static readonly Type[] Forbidden =
    [
        typeof(ISymbol),
        typeof(SyntaxNode),
        typeof(SyntaxTree),
        typeof(SemanticModel),
        typeof(Compilation),
    ];

    /// <summary>The path to every forbidden object reachable from <paramref name="root"/>, e.g. "root.Spec._items[0]".</summary>
    public static List<string> FindForbidden(object? root, string rootName = "root")
    {
        var found = new List<string>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(root, rootName, visited, found);
        return found;
    }

    private static void Walk(object? value, string path, HashSet<object> visited, List<string> found)
    {
        if (value is null)
        {
            return;
        }

        Type type = value.GetType();
        foreach (Type forbidden in Forbidden)
        {
            if (forbidden.IsAssignableFrom(type))
            {
                found.Add($"{path}: {type.FullName}");
                return;
            }
        }

        if (IsLeaf(type) || (!type.IsValueType && !visited.Add(value)))
        {
            return;
        }

        if (value is Array array)
        {
            int index = 0;
            foreach (object? element in array)
            {
                Walk(element, $"{path}[{index++}]", visited, found);
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

                Walk(field.GetValue(value), $"{path}.{Name(field)}", visited, found);
            }
        }
    }

    /// <summary>A property's name for its backing field ("&lt;Spec&gt;k__BackingField" reads as "Spec").</summary>
    private static string Name(FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.EndsWith(">k__BackingField", StringComparison.Ordinal)
            ? field.Name[1..field.Name.IndexOf('>', StringComparison.Ordinal)]
            : field.Name;

    /// <summary>
    /// Values that hold nothing of interest. Reflection and delegate objects are leaves too: walking into them
    /// would wander through the runtime's own state, never into a Roslyn object a step kept.
    /// </summary>
    private static bool IsLeaf(Type type) =>
        type.IsPrimitive
        || type.IsEnum
        || type.IsPointer
        || type == typeof(string)
        || type == typeof(decimal)
        || typeof(MemberInfo).IsAssignableFrom(type)
        || typeof(Delegate).IsAssignableFrom(type)
        || type.Namespace == "System.Reflection";
}
