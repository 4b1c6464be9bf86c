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
using NetGen.Generator.Validation;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Turns one [Network] declaration into a <see cref="NetworkSpec"/> or diagnostics. Never throws: code that is
/// half-typed (unresolved attributes, missing arguments) gives nothing, and the compiler's own errors speak.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "NetGen.NetworkAttribute";
    public const string GenericNetworkAttributeName = "NetGen.NetworkAttribute`1";
    public const string OnnxNetworkAttributeName = "NetGen.OnnxNetworkAttribute";
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
        bool onnx = network.AttributeClass?.Name == "OnnxNetworkAttribute";

        // A class with two of [Network], [Network<T>] and [OnnxNetwork]: reported once, by the [OnnxNetwork] pipeline
        // if it has one, else by the non-generic one.
        if (type.GetAttributes().Count(a => IsNetworkAttribute(a.AttributeClass)) > 1)
        {
            bool hasOnnx = type.GetAttributes().Any(a => a.AttributeClass?.Name == "OnnxNetworkAttribute" && IsNetworkAttribute(a.AttributeClass));
            return onnx || (!hasOnnx && !generic)
                ? Fail(DiagnosticInfo.Create(DiagnosticDescriptors.MultipleNetworkAttributes, declaration.Identifier.GetLocation(), type.Name))
                : ParseResult.Nothing;
        }

        // An attribute still being typed (NetGen..Network(2)) may bind well enough to be found here, yet not count
        // among the type's attributes: the compiler's own error speaks for it.
        // [OnnxNetwork(path)]: the inputs, element type and layers come from the file, in the import step.
        if (network.AttributeConstructor is null
            || !(network.ConstructorArguments.Length == 1 || (!onnx && network.ConstructorArguments.Length == 3))
            || (onnx ? network.ConstructorArguments[0].Value is not string : network.ConstructorArguments.Any(a => a.Value is not int))
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
        DiagnosticInfo? shadowed = LossSpellingRule.CheckLossName(type.Name, declaration.AttributeLists.SelectMany(list => list.Attributes));
        ParseResult Unreadable() => shadowed is null ? ParseResult.Nothing : Fail(shadowed);

        // [Network(channels, height, width)]: an image, whose values are the inputs in CHW order.
        ImageShape? image = network.ConstructorArguments.Length == 3
            ? new ImageShape((int)network.ConstructorArguments[0].Value!, (int)network.ConstructorArguments[1].Value!, (int)network.ConstructorArguments[2].Value!)
            : null;
        int inputs = onnx ? 0 : image is { } shape ? shape.ClampedCount : (int)network.ConstructorArguments[0].Value!;
        string? model = onnx ? (string)network.ConstructorArguments[0].Value! : null;
        var diagnostics = new List<DiagnosticInfo>();
        DeclarationRules.CheckDeclaration(type, declaration, diagnostics, cancellationToken);
        DeclarationRules.CheckLanguageVersion(declaration, networkSyntax, diagnostics);

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
                if (named.Key == "Loss" && LossSpellingRule.IntendedLoss(networkSyntax) is { } intended)
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
                    break;
                case ("Code", int value):
                    code = (CodeShape)value;
                    break;
                case ("CheckFinite", bool value):
                    checkFinite = value;
                    break;
                case ("MaxUnrolledLayerWeights", int value):
                    maxUnrolledLayerWeights = value;
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

        // The layers: the layer attributes of this declaration, in source order.
        var layers = new List<(LayerSpec Spec, AttributeSyntax Syntax)>();
        foreach (AttributeData attribute in type.GetAttributes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!IsLayerAttribute(attribute.AttributeClass))
            {
                continue;
            }

            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax layerSyntax)
            {
                return ParseResult.Nothing;
            }

            if (layerSyntax.SyntaxTree != declaration.SyntaxTree || !declaration.Span.Contains(layerSyntax.Span))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersSplit, layerSyntax.GetLocation(), type.Name));
                continue;
            }

            if (onnx)
            {
                // The model file is the one source of the layers: a layer declared beside it is an error, not a merge.
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.OnnxNetworkDeclaresLayers, layerSyntax.GetLocation(), type.Name, model!, attribute.AttributeClass!.Name.Replace("Attribute", string.Empty)));
                break;
            }

            if (ReadLayer(attribute) is not { } layer)
            {
                return Unreadable();
            }

            layers.Add((layer, layerSyntax));
        }

        layers.Sort((left, right) => left.Syntax.SpanStart.CompareTo(right.Syntax.SpanStart));
        WithImageShapes(layers, image);

        // The names the generated members (or the stand-ins) need must be free; the values are the validate step's.
        int outputs = layers.Count == 0 ? 0 : Math.Max(layers[layers.Count - 1].Spec.Outputs, 0);
        bool declarationHolds = diagnostics.Count == 0;
        MemberRules.CheckMemberNames(type, element, Math.Max(inputs, 0), outputs, weights is not null || onnx, layers.Any(l => l.Spec.IsStreaming), diagnostics);
        if (diagnostics.Count > 0)
        {
            // Stand-in members, where the class can take them: after NG0005 or NG0006 only, with the names free.
            bool stubbable = diagnostics.All(d => StubbableIds.Contains(d.Descriptor.Id));
            StubSpec? stub = stubbable
                ? new StubSpec(Namespace(type), ContainingTypes(type), type.Name, element, Math.Max(inputs, 0), outputs, weights is not null || onnx)
                : null;
            return new ParseResult(null, (declarationHolds || stubbable ? diagnostics : diagnostics.Where(d => !IsMemberRule(d))).ToEquatableArray(), stub);
        }

        // Still generate: without the members, every use of the network would fail with errors further away.
        EquatableArray<DiagnosticInfo> warnings = shadowed is null
            ? EquatableArray<DiagnosticInfo>.Empty
            : new EquatableArray<DiagnosticInfo>(new[] { shadowed });

        var spec = new NetworkSpec(
            Namespace(type),
            ContainingTypes(type),
            type.Name,
            element,
            inputs,
            loss,
            code,
            checkFinite,
            maxUnrolledLayerWeights,
            layers.Select(l => (LayerSpec)l.Spec).ToEquatableArray(),
            weights,
            model,
            image);
        return new ParseResult(spec, warnings);
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

    /// <summary>[Network], [Network&lt;T&gt;] or [OnnxNetwork]: an attribute that makes a class a network.</summary>
    public static bool IsNetworkAttribute(INamedTypeSymbol? attribute) =>
        attribute is { Name: "NetworkAttribute" or "OnnxNetworkAttribute", ContainingNamespace: { Name: "NetGen", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>
    /// Whether an attribute declares a layer: the one list of layer attributes, which the parser, the finding locator
    /// and the stray-layer analyzer read in the same way (a new kind of layer adds its attribute here).
    /// </summary>
    public static bool IsLayerAttribute(INamedTypeSymbol? attribute) =>
        attribute is { IsGenericType: false, ContainingNamespace: { Name: "NetGen", ContainingNamespace.IsGlobalNamespace: true } }
        && attribute.Name is "DenseAttribute" or "GruAttribute" or "LstmAttribute" or "Conv1DAttribute" or "Conv2DAttribute" or "MaxPool2DAttribute";

    /// <summary>
    /// A layer attribute's constructor arguments and properties as its layer spec; null when they cannot be read
    /// (half-typed code, an argument of the wrong type).
    /// </summary>
    private static LayerSpec? ReadLayer(AttributeData attribute)
    {
        if (attribute.AttributeConstructor is null)
        {
            return null;
        }

        bool bias = true;
        int dilation = 1, stride = 1, padding = 0;
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            switch (named.Key, named.Value.Value)
            {
                case ("Bias", bool value):
                    bias = value;
                    break;
                case ("Dilation", int value):
                    dilation = value;
                    break;
                case ("Stride", int value):
                    stride = value;
                    break;
                case ("Padding", int value):
                    padding = value;
                    break;
                default:
                    return null;
            }
        }

        ImmutableArray<TypedConstant> arguments = attribute.ConstructorArguments;
        switch (attribute.AttributeClass!.Name)
        {
            case "DenseAttribute":
                return arguments.Length == 2 && arguments[0].Value is int units && arguments[1].Value is int activation
                    ? new DenseLayerSpec(units, (Activation)activation, bias)
                    : null;
            case "GruAttribute":
            case "LstmAttribute":
                RecurrentCell cell = attribute.AttributeClass.Name == "GruAttribute" ? RecurrentCell.Gru : RecurrentCell.Lstm;
                return arguments.Length == 1 && arguments[0].Value is int hidden
                    ? new RecurrentLayerSpec(cell, hidden, bias)
                    : null;
            case "Conv1DAttribute":
                return arguments.Length == 3 && arguments[0].Value is int channels && arguments[1].Value is int kernel && arguments[2].Value is int convActivation
                    ? new Conv1DLayerSpec(channels, kernel, (Activation)convActivation, dilation, bias)
                    : null;
            case "Conv2DAttribute":
                return arguments.Length == 3 && arguments[0].Value is int maps && arguments[1].Value is int window && arguments[2].Value is int imageActivation
                    ? new Conv2DLayerSpec(maps, window, (Activation)imageActivation, stride, padding, bias, default)
                    : null;
            case "MaxPool2DAttribute":
                return arguments.Length == 1 && arguments[0].Value is int size
                    ? new MaxPool2DLayerSpec(size, default)
                    : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// Gives each [Conv2D] and [MaxPool2D] the shape of the values feeding it: the network's image for the first layer,
    /// then each 2-D layer's output. After a layer of another kind, or in a network declared with one number of
    /// inputs, the shape is unknown (default), which validation reports (NG0032).
    /// </summary>
    private static void WithImageShapes(List<(LayerSpec Spec, AttributeSyntax Syntax)> layers, ImageShape? image)
    {
        ImageShape shape = image ?? default;
        for (int i = 0; i < layers.Count; i++)
        {
            switch (layers[i].Spec)
            {
                case Conv2DLayerSpec convolution:
                    convolution = convolution with { Input = shape };
                    layers[i] = (convolution, layers[i].Syntax);
                    shape = convolution.Output;
                    break;
                case MaxPool2DLayerSpec pooling:
                    pooling = pooling with { Input = shape };
                    layers[i] = (pooling, layers[i].Syntax);
                    shape = pooling.Output;
                    break;
                default:
                    shape = default;
                    break;
            }
        }
    }

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

    /// <summary>
    /// The parse step's errors after which the class still takes stand-in members (the validate step's all do). Not
    /// NG0001 or NG0010 (the class cannot take a generated partial declaration), nor NG0007 or NG0015 (the members'
    /// names are taken), nor NG0012. NG0029, layers beside [OnnxNetwork], leaves the class as able to take them as NG0005 does.
    /// </summary>
    private static readonly HashSet<string> StubbableIds = new(StringComparer.Ordinal) { "NG0005", "NG0006", "NG0029" };

    /// <summary>NG0007 and NG0015 are reported only for a declaration whose form holds, as they always were.</summary>
    private static bool IsMemberRule(DiagnosticInfo diagnostic) => diagnostic.Descriptor.Id is "NG0007" or "NG0015";

    private static string? Namespace(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null;

    private static ParseResult Fail(DiagnosticInfo diagnostic) =>
        new(null, new EquatableArray<DiagnosticInfo>(new[] { diagnostic }));

}
