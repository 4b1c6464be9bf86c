using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Validation;

/// <summary>NG0001 and NG0010: the declared class must be one NetGen can add a partial declaration to.</summary>
internal static class DeclarationRules
{
    public static void CheckDeclaration(INamedTypeSymbol type, TypeDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        Location identifier = declaration.Identifier.GetLocation();
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, identifier, type.Name));
        }

        string? why = null;
        if (type.IsStatic)
        {
            why = "a static class has no instances; remove 'static'";
        }
        else if (type.Arity > 0)
        {
            why = "generic classes are not supported; declare a non-generic class";
        }
        else if (SyntaxFacts.GetContextualKeywordKind(type.Name) != SyntaxKind.None)
        {
            why = $"'{type.Name}' is a contextual keyword of C#, which a type should not be named; rename the class";
        }
        else if (HiddenNamespace(type) is { } hidden)
        {
            why = $"a type named '{hidden}' in the global namespace hides the {hidden} namespace, which generated code uses; rename that type";
        }
        else if (PolyfilledRuntimeType(type) is { } polyfill)
        {
            why = $"the project declares its own {polyfill}, which hides the .NET type of that name that the generated code calls; remove it or rename it (.NET 8 and later have the real one)";
        }
        else if (HidesRuntimeType(type))
        {
            why = $"the class would be NetGen.{type.Name}, the full name of one of NetGen's own types, which the generated code calls; rename the class or move it to another namespace";
        }
        else if (declaration is RecordDeclarationSyntax)
        {
            why = "a record's 'with' copies and its equality would share the parameter arrays between networks; declare a class";
        }
        else if (declaration.Modifiers.Any(SyntaxKind.FileKeyword))
        {
            why = "a file-local class cannot have a generated partial declaration in another file; remove 'file'";
        }
        else
        {
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (outer.Arity > 0)
                {
                    why = $"it is nested in the generic type '{outer.Name}'; nest it in a non-generic type or move it out";
                    break;
                }

                TypeDeclarationSyntax[] outerDeclarations = outer.DeclaringSyntaxReferences
                    .Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().ToArray();
                if (outerDeclarations.Any(d => d.Modifiers.Any(SyntaxKind.FileKeyword)))
                {
                    why = $"it is nested in the file-local type '{outer.Name}', which a generated declaration in another file cannot extend; remove 'file' from '{outer.Name}'";
                    break;
                }

                if (outerDeclarations.Length != outer.DeclaringSyntaxReferences.Length
                    || !outerDeclarations.All(d => d.Modifiers.Any(SyntaxKind.PartialKeyword)))
                {
                    why = $"it is nested in '{outer.Name}', which is not partial; add 'partial' to '{outer.Name}'";
                    break;
                }
            }
        }

        if (why is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDeclaration, identifier, type.Name, why));
        }
    }

    /// <summary>
    /// The runtime's types that generated code names without a namespace (it is written in NetGen.Generated, where
    /// they resolve through NetGen): a network declared as NetGen.X for one of them would take their place.
    /// </summary>
    private static readonly HashSet<string> RuntimeTypes = new(System.StringComparer.Ordinal)
    {
        "Activation", "Activations", "DeterministicRandom", "Guard", "INetwork", "ISequenceNetwork", "ISequenceState",
        "Initializers", "Kernels", "Losses", "Sgd", "SpecialFunctions", "Generated",
    };

    private static bool HidesRuntimeType(INamedTypeSymbol type) =>
        type.ContainingType is null
        && type.ContainingNamespace is { Name: "NetGen", ContainingNamespace.IsGlobalNamespace: true }
        && RuntimeTypes.Contains(type.Name);

    /// <summary>
    /// NG0024: the generated code is C# 11 (file-local types, ref fields); a compilation on an older language version
    /// gets this, once, instead of compiler errors inside generated code.
    /// </summary>
    public static void CheckLanguageVersion(SyntaxNode declaration, AttributeSyntax network, List<DiagnosticInfo> diagnostics)
    {
        if (declaration.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp11 } options)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LanguageVersionTooOld, network.GetLocation(),
                options.LanguageVersion.ToDisplayString()));
        }
    }

    /// <summary>
    /// System or NetGen when a type of that name is declared in the global namespace: then global::System.Span and
    /// global::NetGen.INetwork find the type, not the namespace, and no generated code can name either.
    /// </summary>
    /// <summary>
    /// The .NET types the generated code names through its usings (Unsafe.Add, MemoryMarshal.GetArrayDataReference,
    /// MethodImplOptions.AggressiveInlining): a type of the same full name declared in the project's own source (a
    /// polyfill kept from netstandard days) wins over the runtime's, and the generated code would fail with CS0117.
    /// </summary>
    private static readonly (string[] Namespace, string Name)[] RuntimeTypesUsed =
    {
        (new[] { "System", "Runtime", "CompilerServices" }, "Unsafe"),
        (new[] { "System", "Runtime", "CompilerServices" }, "MethodImplOptions"),
        (new[] { "System", "Runtime", "InteropServices" }, "MemoryMarshal"),
    };

    private static string? PolyfilledRuntimeType(INamedTypeSymbol type)
    {
        INamespaceSymbol? global = type.ContainingNamespace;
        while (global is { IsGlobalNamespace: false })
        {
            global = global.ContainingNamespace;
        }

        foreach ((string[] path, string name) in RuntimeTypesUsed)
        {
            INamespaceSymbol? ns = global;
            foreach (string part in path)
            {
                ns = ns?.GetNamespaceMembers().FirstOrDefault(n => n.Name == part);
            }

            if (ns is not null && ns.GetTypeMembers(name).Any(t => t.Locations.Any(l => l.IsInSource)))
            {
                return string.Join(".", path) + "." + name;
            }
        }

        return null;
    }

    private static string? HiddenNamespace(INamedTypeSymbol type)
    {
        INamespaceSymbol? global = type.ContainingNamespace;
        while (global is { IsGlobalNamespace: false })
        {
            global = global.ContainingNamespace;
        }

        return global is null ? null
            : !global.GetTypeMembers("System").IsEmpty ? "System"
            : !global.GetTypeMembers("NetGen").IsEmpty ? "NetGen"
            : null;
    }
}
