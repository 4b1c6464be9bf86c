using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Turns one [Network] declaration into a <see cref="NetworkSpec"/> or diagnostics. Never throws: code that is
/// half-typed (unresolved attributes, missing arguments) gives nothing, and the compiler's own errors speak.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "NetGen.NetworkAttribute";
    public const string GenericNetworkAttributeName = "NetGen.NetworkAttribute`1";
    public const string DenseAttributeName = "NetGen.DenseAttribute";

    public static bool IsCandidate(SyntaxNode node, CancellationToken cancellationToken) =>
        node is ClassDeclarationSyntax or RecordDeclarationSyntax;

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type
            || context.TargetNode is not TypeDeclarationSyntax declaration
            || type.TypeKind != TypeKind.Class
            || context.Attributes.Length != 1
            || IsHalfTyped(type, declaration))
        {
            return ParseResult.Nothing;
        }

        AttributeData network = context.Attributes[0];
        bool generic = network.AttributeClass is { IsGenericType: true };

        // A class with both [Network] and [Network<T>]: reported once, by the non-generic pipeline.
        if (type.GetAttributes().Count(a => IsNetworkAttribute(a.AttributeClass)) > 1)
        {
            return generic
                ? ParseResult.Nothing
                : Fail(DiagnosticInfo.Create(DiagnosticDescriptors.MultipleNetworkAttributes, declaration.Identifier.GetLocation(), type.Name));
        }

        // An attribute still being typed (NetGen..Network(2)) may bind well enough to be found here, yet not count
        // among the type's attributes: the compiler's own error speaks for it.
        if (network.AttributeConstructor is null
            || network.ConstructorArguments.Length != 1
            || network.ConstructorArguments[0].Value is not int inputs
            || network.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax networkSyntax
            || networkSyntax.ContainsDiagnostics
            || networkSyntax.SyntaxTree != declaration.SyntaxTree
            || !declaration.Span.Contains(networkSyntax.Span))
        {
            // (The last two: a malformed [Network] on another part can bring this part here with the valid
            // attribute of the first part, which that part's own run generates.)
            return ParseResult.Nothing;
        }

        // 'Loss.X' where LossFunction.X is meant binds to nothing (or to the generated Loss method): say so first,
        // since every argument written that way is an error value below.
        DiagnosticInfo? shadowed = CheckLossName(type.Name, declaration.AttributeLists.SelectMany(list => list.Attributes));
        ParseResult Unreadable() => shadowed is null ? ParseResult.Nothing : Fail(shadowed);

        var diagnostics = new List<DiagnosticInfo>();
        CheckDeclaration(type, declaration, diagnostics, cancellationToken);

        ElementKind element = ElementKind.Float;
        if (generic)
        {
            ITypeSymbol argument = network.AttributeClass!.TypeArguments[0];
            if (argument.TypeKind == TypeKind.Error)
            {
                return ParseResult.Nothing;
            }

            switch (argument.SpecialType)
            {
                case SpecialType.System_Single:
                    element = ElementKind.Float;
                    break;
                case SpecialType.System_Double:
                    element = ElementKind.Double;
                    break;
                default:
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.UnsupportedElementType,
                        TypeArgumentLocation(networkSyntax),
                        argument.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)));
                    break;
            }
        }

        if (inputs < 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.InputsBelowOne, ArgumentLocation(networkSyntax, 0, "inputs", null), type.Name, Invariant(inputs)));
        }

        LossFunction loss = LossFunction.MeanSquaredError;
        CodeShape code = CodeShape.Auto;
        bool checkFinite = false;
        int maxUnrolledLayerWeights = 0;
        string? weights = null;
        foreach (KeyValuePair<string, TypedConstant> named in network.NamedArguments)
        {
            if (named.Value.Kind == TypedConstantKind.Error)
            {
                // Loss = Loss.CrossEntropy: the intent is plain, so generate with it beside NG0016, and every use of
                // the network elsewhere still compiles.
                if (named.Key == "Loss" && IntendedLoss(networkSyntax) is { } intended)
                {
                    loss = intended;
                    continue;
                }

                return Unreadable();
            }

            switch (named.Key, named.Value.Value)
            {
                case ("Loss", int value):
                    loss = (LossFunction)value;
                    if (!Enum.IsDefined(typeof(LossFunction), loss))
                    {
                        diagnostics.Add(Undefined(networkSyntax, "Loss", value, typeof(LossFunction)));
                    }

                    break;
                case ("Code", int value):
                    code = (CodeShape)value;
                    if (!Enum.IsDefined(typeof(CodeShape), code))
                    {
                        diagnostics.Add(Undefined(networkSyntax, "Code", value, typeof(CodeShape)));
                    }

                    break;
                case ("CheckFinite", bool value):
                    checkFinite = value;
                    break;
                case ("MaxUnrolledLayerWeights", int value):
                    maxUnrolledLayerWeights = value;
                    if (!Planner.IsAllowedMaxUnrolledLayerWeights(value))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(
                            DiagnosticDescriptors.UnrollThresholdOutOfRange,
                            ArgumentLocation(networkSyntax, -1, null, "MaxUnrolledLayerWeights"),
                            type.Name,
                            Invariant(value),
                            Invariant(Planner.UnrollMaxWeights),
                            Invariant(Planner.AutoUnrollMaxWeightsPerLayer)));
                    }

                    break;
                case ("Weights", string value):
                    weights = value;
                    break;
                case ("Weights", null):
                    break;
                default:
                    return ParseResult.Nothing;
            }
        }

        // The layers: the [Dense] attributes of this declaration, in source order.
        var layers = new List<(DenseLayerSpec Spec, AttributeSyntax Syntax)>();
        foreach (AttributeData attribute in type.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsDense(attribute.AttributeClass))
            {
                continue;
            }

            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax denseSyntax)
            {
                return ParseResult.Nothing;
            }

            if (denseSyntax.SyntaxTree != declaration.SyntaxTree || !declaration.Span.Contains(denseSyntax.Span))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersSplit, denseSyntax.GetLocation(), type.Name));
                continue;
            }

            if (attribute.AttributeConstructor is null
                || attribute.ConstructorArguments.Length != 2
                || attribute.ConstructorArguments[0].Value is not int units
                || attribute.ConstructorArguments[1].Value is not int activation)
            {
                return Unreadable();
            }

            bool bias = true;
            foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
            {
                if (named.Key == "Bias")
                {
                    if (named.Value.Value is not bool value)
                    {
                        return Unreadable();
                    }

                    bias = value;
                }
            }

            layers.Add((new DenseLayerSpec(units, (Activation)activation, bias), denseSyntax));
        }

        layers.Sort((left, right) => left.Syntax.SpanStart.CompareTo(right.Syntax.SpanStart));
        if (layers.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, networkSyntax.GetLocation(), type.Name));
        }

        CheckLayers(type.Name, layers, loss, networkSyntax, diagnostics);
        if (diagnostics.Count == 0)
        {
            CheckSize(type.Name, element, inputs, code, checkFinite, layers, networkSyntax, diagnostics);
        }

        if (diagnostics.Count == 0)
        {
            CheckMemberNames(type, element, inputs, layers[layers.Count - 1].Spec.Units, weights is not null, diagnostics);
        }

        if (diagnostics.Count > 0)
        {
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        // Still generate: without the members, every use of the network would fail with errors further away.
        EquatableArray<DiagnosticInfo> warnings = shadowed is null
            ? EquatableArray<DiagnosticInfo>.Empty
            : new EquatableArray<DiagnosticInfo>(new[] { shadowed });

        var spec = new NetworkSpec(
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            ContainingTypes(type),
            type.Name,
            element,
            inputs,
            loss,
            code,
            checkFinite,
            maxUnrolledLayerWeights,
            layers.Select(l => (LayerSpec)l.Spec).ToEquatableArray(),
            weights);
        return new ParseResult(spec, warnings);
    }

    /// <summary>
    /// <c>Loss = Loss.CrossEntropy</c>: the enum of losses is LossFunction, since inside the class (where attribute
    /// arguments are bound) 'Loss' names the generated Loss method, so 'Loss.X' never compiles there (CS0103 before
    /// generation, CS0119 after). Say what to write instead: LossFunction, qualified as the attribute itself is
    /// (NetGen.Network gives NetGen.LossFunction), so that the advice compiles wherever the attribute does.
    /// </summary>
    private static DiagnosticInfo? CheckLossName(string typeName, IEnumerable<AttributeSyntax> attributes)
    {
        foreach (AttributeSyntax attribute in attributes)
        {
            string? qualifier = NetGenQualifier(attribute.Name);
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

    /// <summary>
    /// For a NetGen attribute's name as written (Network, NetGen.Dense, global::NetGen.NetworkAttribute&lt;double&gt;),
    /// what stands before the name ("", "NetGen.", "global::NetGen."); null for any other attribute.
    /// </summary>
    internal static string? NetGenQualifier(NameSyntax name)
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

    /// <summary>The LossFunction member meant by <c>Loss = Loss.X</c> on [Network], or null when it is written otherwise.</summary>
    private static LossFunction? IntendedLoss(AttributeSyntax network)
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

    /// <summary>
    /// A class or namespace still being typed (`partial class` with no name yet, `namespace A.;`): nothing to
    /// generate, and the compiler already says what is missing.
    /// </summary>
    private static bool IsHalfTyped(INamedTypeSymbol type, TypeDeclarationSyntax declaration)
    {
        if (declaration.Identifier.IsMissing || type.Name.Length == 0)
        {
            return true;
        }

        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.Name.Length == 0)
            {
                return true;
            }
        }

        for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            if (ns.Name.Length == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckDeclaration(INamedTypeSymbol type, TypeDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
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
    /// System or NetGen when a type of that name is declared in the global namespace: then global::System.Span and
    /// global::NetGen.INetwork find the type, not the namespace, and no generated code can name either.
    /// </summary>
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

    private static void CheckLayers(string typeName, List<(DenseLayerSpec Spec, AttributeSyntax Syntax)> layers, LossFunction loss, AttributeSyntax networkSyntax, List<DiagnosticInfo> diagnostics)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            (DenseLayerSpec layer, AttributeSyntax syntax) = layers[i];
            bool last = i == layers.Count - 1;
            if (layer.Units < 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UnitsBelowOne, ArgumentLocation(syntax, 0, "units", null), Invariant(i + 1), typeName, Invariant(layer.Units)));
            }

            Location activation = ArgumentLocation(syntax, 1, "activation", null);
            if (!Enum.IsDefined(typeof(Activation), layer.Activation))
            {
                diagnostics.Add(Undefined(syntax, "activation", (int)layer.Activation, typeof(Activation), 1));
            }
            else if (layer.Activation == Activation.Softmax)
            {
                if (!last)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DisallowedCombination, activation,
                        $"Softmax is allowed only on the last layer, but layer {i + 1} of '{typeName}' uses it; use another activation here"));
                }
                else if (loss != LossFunction.CrossEntropy)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DisallowedCombination, activation,
                        $"A Softmax output needs Loss = LossFunction.CrossEntropy, but '{typeName}' uses Loss.{loss}; set Loss = LossFunction.CrossEntropy on [Network]"));
                }
            }
        }

        if (layers.Count == 0)
        {
            return;
        }

        Activation output = layers[layers.Count - 1].Spec.Activation;
        Location lossLocation = ArgumentLocation(networkSyntax, -1, null, "Loss");
        if (loss == LossFunction.CrossEntropy && output != Activation.Softmax)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DisallowedCombination, lossLocation,
                $"LossFunction.CrossEntropy needs a Softmax last layer, but the last layer of '{typeName}' uses {output}; declare the last layer as [Dense(units, Activation.Softmax)]"));
        }
        else if (loss == LossFunction.BinaryCrossEntropy && output != Activation.Sigmoid)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DisallowedCombination, lossLocation,
                $"LossFunction.BinaryCrossEntropy needs a Sigmoid last layer, but the last layer of '{typeName}' uses {output}; declare the last layer as [Dense(units, Activation.Sigmoid)]"));
        }
    }

    private static void CheckSize(string typeName, ElementKind element, int inputs, CodeShape code, bool checkFinite, List<(DenseLayerSpec Spec, AttributeSyntax Syntax)> layers, AttributeSyntax networkSyntax, List<DiagnosticInfo> diagnostics)
    {
        int[] units = layers.Select(l => l.Spec.Units).ToArray();
        string? why = NetworkLimits.WhyTooLarge(inputs, units, element == ElementKind.Float ? 4 : 8);
        if (why is null && code == CodeShape.Unrolled)
        {
            why = Planner.WhyNotUnrollable(inputs, units, checkFinite);
            if (why is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, ArgumentLocation(networkSyntax, -1, null, "Code"), typeName, why));
                return;
            }
        }

        if (why is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkTooLarge, networkSyntax.GetLocation(), typeName, why));
        }
    }

    private static void CheckMemberNames(INamedTypeSymbol type, ElementKind element, int inputs, int outputs, bool embedded, List<DiagnosticInfo> diagnostics)
    {
        Dictionary<string, int> generated = GeneratedMembers.ParameterCounts(inputs, outputs, embedded);
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
            if (baseType.GetAttributes().Any(a => IsNetworkAttribute(a.AttributeClass)))
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

    private static EquatableArray<ContainingTypeSpec> ContainingTypes(INamedTypeSymbol type)
    {
        var types = new List<ContainingTypeSpec>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            string keyword = outer switch
            {
                { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
                { IsRecord: true } => "record",
                { TypeKind: TypeKind.Struct } => "struct",
                { TypeKind: TypeKind.Interface } => "interface",
                _ => "class",
            };
            types.Insert(0, new ContainingTypeSpec(keyword, outer.Name));
        }

        return types.ToEquatableArray();
    }

    public static bool IsNetworkAttribute(INamedTypeSymbol? attribute) =>
        attribute is { Name: "NetworkAttribute", ContainingNamespace: { Name: "NetGen", ContainingNamespace.IsGlobalNamespace: true } };

    public static bool IsDense(INamedTypeSymbol? attribute) =>
        attribute is { Name: "DenseAttribute", IsGenericType: false, ContainingNamespace: { Name: "NetGen", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>
    /// The location of an attribute argument: by constructor position or name, or by property name. Falls back
    /// on the whole attribute when the argument was not written (a default value).
    /// </summary>
    internal static Location ArgumentLocation(AttributeSyntax attribute, int position, string? parameterName, string? propertyName)
    {
        SeparatedSyntaxList<AttributeArgumentSyntax> arguments = attribute.ArgumentList?.Arguments ?? default;
        for (int i = 0; i < arguments.Count; i++)
        {
            AttributeArgumentSyntax argument = arguments[i];
            if (propertyName is not null && argument.NameEquals?.Name.Identifier.ValueText == propertyName)
            {
                return argument.GetLocation();
            }

            if (parameterName is not null && argument.NameColon?.Name.Identifier.ValueText == parameterName)
            {
                return argument.GetLocation();
            }

            if (position >= 0 && i == position && argument.NameColon is null && argument.NameEquals is null)
            {
                return argument.GetLocation();
            }
        }

        return attribute.GetLocation();
    }

    private static Location TypeArgumentLocation(AttributeSyntax attribute)
    {
        GenericNameSyntax? name = attribute.Name as GenericNameSyntax
            ?? (attribute.Name as QualifiedNameSyntax)?.Right as GenericNameSyntax
            ?? (attribute.Name as AliasQualifiedNameSyntax)?.Name as GenericNameSyntax;
        return name?.TypeArgumentList.Arguments.FirstOrDefault()?.GetLocation() ?? attribute.GetLocation();
    }

    private static DiagnosticInfo Undefined(AttributeSyntax syntax, string argument, int value, Type enumType, int position = -1)
    {
        string enumName = enumType == typeof(Activation) ? "Activation" : enumType == typeof(LossFunction) ? "Loss" : "CodeShape";
        string names = string.Join(", ", Enum.GetNames(enumType));
        Location location = position >= 0 ? ArgumentLocation(syntax, position, argument, null) : ArgumentLocation(syntax, -1, null, argument);
        return DiagnosticInfo.Create(DiagnosticDescriptors.UndefinedEnumValue, location, Invariant(value), enumName, names);
    }

    private static ParseResult Fail(DiagnosticInfo diagnostic) =>
        new(null, new EquatableArray<DiagnosticInfo>(new[] { diagnostic }));

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
