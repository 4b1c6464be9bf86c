using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Tests.Fuzzing;

/// <summary>A mutated program: its files (Source0.cs, Source1.cs, ...) and the mutations that made it, in order.</summary>
internal sealed record Mutant(IReadOnlyList<string> Files, IReadOnlyList<string> Steps);

/// <summary>
/// Seeded mutations of a network declaration, as an editor sees code between keystrokes and as a confused user
/// writes it.
/// <para>
/// The mutations are text edits chosen from Roslyn's view of the current text: each one parses the text
/// (<see cref="SyntaxFactory.ParseCompilationUnit"/>, which never fails and keeps every character), picks its place
/// from the tokens and nodes it finds there (a token, an attribute argument, an attribute list, the class's keyword,
/// modifiers, base list or body) and splices new text into those spans. Editing text rather than building trees
/// keeps every mutant something a user can type, broken or not (a syntax tree cannot even hold most broken code),
/// while choosing places from the tree makes the edits land where the generator looks (arguments, brackets,
/// attribute targets) instead of mostly in the lexer's way. A few mutations work below the token level on purpose
/// (a character inserted or deleted, the text cut short) because half-typed tokens are what an editor sends most.
/// Combinations come from applying one to six mutations in a row, each on the result of the last.
/// </para>
/// </summary>
internal static class Mutator
{
    private delegate string? Operator(Target target, ref FuzzRandom random);

    private static readonly (string Name, int Weight, Operator Apply)[] Operators =
    [
        ("DeleteToken", 6, DeleteToken),
        ("DuplicateToken", 4, DuplicateToken),
        ("SwapTokens", 4, SwapTokens),
        ("ReplaceToken", 4, ReplaceToken),
        ("InsertToken", 3, InsertToken),
        ("BreakBracket", 5, BreakBracket),
        ("Truncate", 2, Truncate),
        ("ReplaceArgument", 14, ReplaceArgument),
        ("RemoveArgument", 4, RemoveArgument),
        ("AddArgument", 5, AddArgument),
        ("RenameArgument", 2, RenameArgument),
        ("EnumGarbage", 6, EnumGarbage),
        ("TypeArgument", 4, TypeArgument),
        ("AttributeName", 3, AttributeName),
        ("ShuffleAttributes", 4, ShuffleAttributes),
        ("MoveAttributes", 8, MoveAttributes),
        ("ChangeKind", 4, ChangeKind),
        ("ToggleModifier", 5, ToggleModifier),
        ("DuplicateClass", 6, DuplicateClass),
        ("Wrap", 4, Wrap),
        ("Rename", 3, Rename),
        ("AddMember", 4, AddMember),
        ("BaseList", 3, BaseList),
        ("CharEdit", 4, CharEdit),
        ("Directive", 2, Directive),
        ("Usings", 3, Usings),
    ];

    private static readonly int TotalWeight = Operators.Sum(o => o.Weight);

    public static IEnumerable<string> OperatorNames => Operators.Select(o => o.Name);

    /// <summary>The mutant of case seed <paramref name="caseSeed"/> of the entry: the same seed always gives the same mutant.</summary>
    public static Mutant Mutate(string source, ulong caseSeed)
    {
        var random = new FuzzRandom(caseSeed);
        var files = new List<string> { source };
        var steps = new List<string>();
        int count = random.Next(100) switch
        {
            < 50 => 1,
            < 75 => 2,
            < 90 => 3,
            _ => random.Next(4, 7),
        };
        for (int i = 0; i < count; i++)
        {
            // An operator with nothing to work on (no argument to replace, say) gives way to another.
            for (int attempt = 0; attempt < 20; attempt++)
            {
                (string name, _, Operator apply) = PickOperator(ref random);
                var target = new Target(files, files.Count > 1 && random.Chance(30) ? random.Next(files.Count) : 0);
                string? description = apply(target, ref random);
                if (description is not null)
                {
                    steps.Add($"{name}[{target.Index}]: {description}");
                    break;
                }
            }
        }

        return new Mutant(files, steps);
    }

    private static (string Name, int Weight, Operator Apply) PickOperator(ref FuzzRandom random)
    {
        int ticket = random.Next(TotalWeight);
        foreach ((string Name, int Weight, Operator Apply) op in Operators)
        {
            if (ticket < op.Weight)
            {
                return op;
            }

            ticket -= op.Weight;
        }

        throw new InvalidOperationException("unreachable");
    }

    /// <summary>One file of the mutant, parsed on demand, and the list it belongs to (some mutations add a file).</summary>
    private sealed class Target(List<string> files, int index)
    {
        private CompilationUnitSyntax? _root;

        public List<string> Files { get; } = files;

        public int Index { get; } = index;

        public string Text => Files[Index];

        public CompilationUnitSyntax Root => _root ??= SyntaxFactory.ParseCompilationUnit(Text, options: ParseOptions);

        public string Set(string text, string description)
        {
            Files[Index] = text;
            _root = null;
            return description;
        }
    }

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    // ---------------------------------------------------------------------------------------------------------------
    // Token mutations.

    private static readonly string[] TokenVocabulary =
    [
        "(", ")", "[", "]", "{", "}", "<", ">", ",", ";", ":", "=", ".", "?", "!", "-", "+", "*", "=>", "::", "@", "\"",
        "partial", "static", "class", "struct", "record", "interface", "enum", "file", "abstract", "sealed", "public",
        "namespace", "using", "new", "typeof", "default", "null", "true", "assembly", "return", "where", "T",
        "Network", "Dense", "Activation", "Loss", "CodeShape", "Bias", "Code", "NetGen", "global", "INetwork",
        "float", "double", "int", "object", "0", "1", "-1", "2147483647", "2147483648", "99999999999", "1.5", "\"s\"", "'c'",
    ];

    private static string? DeleteToken(Target target, ref FuzzRandom random)
    {
        SyntaxToken token = PickToken(target.Root, ref random);
        return token.Span.IsEmpty ? null : target.Set(Splice(target.Text, token.Span, string.Empty), $"delete '{token}' at {token.SpanStart}");
    }

    private static string? DuplicateToken(Target target, ref FuzzRandom random)
    {
        SyntaxToken token = PickToken(target.Root, ref random);
        return token.Span.IsEmpty ? null : target.Set(Splice(target.Text, new TextSpan(token.Span.End, 0), " " + token), $"duplicate '{token}' at {token.SpanStart}");
    }

    private static string? SwapTokens(Target target, ref FuzzRandom random)
    {
        List<SyntaxToken> tokens = Tokens(target.Root);
        if (tokens.Count < 2)
        {
            return null;
        }

        SyntaxToken first = PickToken(target.Root, ref random);
        int index = tokens.IndexOf(first);
        SyntaxToken second = random.Chance(60)
            ? tokens[index + 1 < tokens.Count ? index + 1 : index - 1]
            : tokens[random.Next(tokens.Count)];
        if (first.Span.OverlapsWith(second.Span) || first.Span == second.Span)
        {
            return null;
        }

        string text = ApplyEdits(target.Text, [(first.Span, second.ToString()), (second.Span, first.ToString())])!;
        return target.Set(text, $"swap '{first}' at {first.SpanStart} and '{second}' at {second.SpanStart}");
    }

    private static string? ReplaceToken(Target target, ref FuzzRandom random)
    {
        SyntaxToken token = PickToken(target.Root, ref random);
        string with = random.Pick(TokenVocabulary);
        return target.Set(Splice(target.Text, token.Span, with), $"replace '{token}' at {token.SpanStart} with '{with}'");
    }

    private static string? InsertToken(Target target, ref FuzzRandom random)
    {
        SyntaxToken token = PickToken(target.Root, ref random);
        string with = random.Pick(TokenVocabulary);
        int at = random.Chance(50) ? token.SpanStart : token.Span.End;
        return target.Set(Splice(target.Text, new TextSpan(at, 0), " " + with + " "), $"insert '{with}' at {at}");
    }

    private static readonly string[] Brackets = ["(", ")", "[", "]", "{", "}", "<", ">"];

    private static string? BreakBracket(Target target, ref FuzzRandom random)
    {
        List<SyntaxToken> brackets = Tokens(target.Root).Where(t => Brackets.Contains(t.Text)).ToList();
        if (brackets.Count == 0)
        {
            return null;
        }

        List<SyntaxToken> inAttributes = brackets.Where(t => t.Parent?.FirstAncestorOrSelf<AttributeListSyntax>() is not null).ToList();
        SyntaxToken token = inAttributes.Count > 0 && random.Chance(70) ? random.Pick(inAttributes) : random.Pick(brackets);
        switch (random.Next(3))
        {
            case 0:
                return target.Set(Splice(target.Text, token.Span, string.Empty), $"delete bracket '{token}' at {token.SpanStart}");
            case 1:
                return target.Set(Splice(target.Text, token.Span, token.Text + token.Text), $"double bracket '{token}' at {token.SpanStart}");
            default:
                string with = random.Pick(Brackets);
                return target.Set(Splice(target.Text, token.Span, with), $"bracket '{token}' at {token.SpanStart} becomes '{with}'");
        }
    }

    private static string? Truncate(Target target, ref FuzzRandom random)
    {
        if (target.Text.Length < 2)
        {
            return null;
        }

        int at = random.Chance(50) ? PickToken(target.Root, ref random).Span.End : random.Next(1, target.Text.Length);
        return target.Set(target.Text[..at], $"cut the text at {at}");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Attribute arguments.

    private static readonly string[] GarbageEnums =
    [
        "(Activation)99", "(Activation)10", "(Activation)(-1)", "(Activation)int.MaxValue", "(Activation)int.MinValue",
        "(Loss)3", "(Loss)(-1)", "(Loss)99", "(CodeShape)3", "(CodeShape)(-7)", "(CodeShape)int.MaxValue",
        "(NetGen.LossFunction)int.MinValue", "(Activation)LossFunction.CrossEntropy", "(LossFunction)Activation.Softmax", "(CodeShape)Activation.Sigmoid",
        "(NetGen.Activation)5", "(Activation)(object)1", "(Activation)1.5", "(Activation)\"1\"", "(Activation)null",
        "~Activation.ReLU", "(Activation)(1 << 31)", "unchecked((Activation)(-1))", "(Activation)byte.MaxValue",
        "(Activation)(-2147483648)", "(global::NetGen.CodeShape)2147483647",
    ];

    private static readonly (int Weight, string[] Values)[] ArgumentValues =
    [
        // Small valid numbers: new topologies that still generate, so generated code of many shapes gets compiled.
        (14, ["1", "2", "3", "5", "8", "13", "17", "31", "64", "100", "129", "300"]),

        // Huge.
        (12, ["int.MaxValue", "2147483647", "0x7FFFFFFF", "1000000", "1_000_000_000", "16385", "16384", "1048577", "1048576", "4097", "65536", "int.MaxValue - 1"]),

        // Negative and zero.
        (10, ["-1", "-16384", "int.MinValue", "-2147483648", "-(1)", "~0", "0", "0x0", "default", "default(int)", "0 * 5"]),

        // Not constant.
        (10, ["M()", "int.Parse(\"2\")", "x", "Count", "System.Environment.ProcessorCount", "new int()", "args.Length",
            "InputCount", "{N}.InputCount", "{N}.OutputCount", "checked(int.MaxValue + 1)", "nameof({N})", "this", "await x",
            "x => x", "new[] { 1, 2 }", "throw null", "(int)M()", "\"abc\".Length", "Count++", "ref x", "out var y",
            "__arglist(1)", "stackalloc int[1]", "(2, 3)", "{N}.ParameterCount", "Activation"]),

        // Wrong type.
        (12, ["\"2\"", "@\"3\"", "$\"4\"", "2.5", "2.5f", "2m", "2L", "2u", "2UL", "true", "false", "null", "typeof(int)",
            "typeof({N})", "'a'", "1e300", "double.NaN", "float.PositiveInfinity", "new object()", "(object)2", "(short)2",
            "(byte)2", "(long)2", "(uint)2", "(int)2.9", "2 * 3 - 1", "1 << 31", "1 << 30", "sizeof(int)",
            "unchecked((int)0xFFFFFFFF)", "(sbyte)-1", "(int)'a'", "0b101", "1_0", "nameof(Activation.ReLU)"]),

        // Enum values, good and bad.
        (10, ["Activation.ReLU", "Activation.Softmax", "Activation.Sigmoid", "Activation.Identity", "Activation.LeakyReLU",
            "NetGen.Activation.Tanh", "LossFunction.CrossEntropy", "NetGen.LossFunction.CrossEntropy", "NetGen.LossFunction.BinaryCrossEntropy",
            "NetGen.LossFunction.MeanSquaredError", "LossFunction.MeanSquaredError", "LossFunction.BinaryCrossEntropy", "CodeShape.Unrolled", "CodeShape.Loops", "CodeShape.Auto", "default(Activation)",
            "Activation.ReLU | Activation.Tanh", "Activation.Softplus + 1", "Loss.Hinge", "Activation.Swish"]),

        // Casts of garbage to the enums.
        (8, GarbageEnums),

        // Missing.
        (4, [string.Empty, " "]),
    ];

    private static readonly string[] ArgumentNames =
    [
        "Loss = ", "Code = ", "MaxUnrolledLayerWeights = ", "Bias = ", "Inputs = ", "Units = ", "Activation = ", "Dropout = ",
        "inputs: ", "units: ", "activation: ", "bias: ", "Loss: ", string.Empty,
    ];

    /// <summary>Arguments as a user writes them, valid or nearly: they keep networks generating in new shapes.</summary>
    private static readonly string[] WholeArguments =
    [
        "Loss = LossFunction.MeanSquaredError", "Loss = LossFunction.CrossEntropy", "Loss = NetGen.LossFunction.BinaryCrossEntropy",
        "Code = CodeShape.Loops", "Code = CodeShape.Unrolled", "MaxUnrolledLayerWeights = 64", "MaxUnrolledLayerWeights = 512", "Bias = false", "Activation.Softmax", "Activation.Sigmoid",
    ];

    private static string? ReplaceArgument(Target target, ref FuzzRandom random)
    {
        AttributeSyntax? attribute = PickNetGenAttribute(target.Root, ref random);
        if (attribute is null)
        {
            return null;
        }

        string value = PickValue(target.Root, ref random);
        if (attribute.ArgumentList is not { Arguments.Count: > 0 } list)
        {
            int at = attribute.ArgumentList?.OpenParenToken.Span.End ?? attribute.Name.Span.End;
            string inserted = attribute.ArgumentList is null ? "(" + value + ")" : value;
            return target.Set(Splice(target.Text, new TextSpan(at, 0), inserted), $"give {attribute.Name} the argument '{value}'");
        }

        AttributeArgumentSyntax argument = random.Pick(list.Arguments);
        return target.Set(Splice(target.Text, argument.Expression.Span, value), $"{attribute.Name} argument '{argument}' becomes '{value}'");
    }

    private static string? RemoveArgument(Target target, ref FuzzRandom random)
    {
        AttributeSyntax? attribute = PickNetGenAttribute(target.Root, ref random);
        if (attribute?.ArgumentList is not { Arguments.Count: > 0 } list)
        {
            return null;
        }

        int index = random.Next(list.Arguments.Count);
        AttributeArgumentSyntax argument = list.Arguments[index];
        switch (random.Next(3))
        {
            case 0:
                // The argument and its comma.
                TextSpan span = index < list.Arguments.SeparatorCount
                    ? TextSpan.FromBounds(argument.SpanStart, list.Arguments.GetSeparator(index).Span.End)
                    : index > 0 ? TextSpan.FromBounds(list.Arguments.GetSeparator(index - 1).SpanStart, argument.Span.End) : argument.Span;
                return target.Set(Splice(target.Text, span, string.Empty), $"remove {attribute.Name} argument '{argument}'");
            case 1:
                // The value only, as when it is about to be typed: "Dense(, Activation.ReLU)", "Loss = ".
                return target.Set(Splice(target.Text, argument.Expression.Span, string.Empty), $"remove the value of {attribute.Name} argument '{argument}'");
            default:
                // Every argument, parentheses and all.
                return target.Set(Splice(target.Text, list.Span, string.Empty), $"remove {attribute.Name}'s argument list");
        }
    }

    private static string? AddArgument(Target target, ref FuzzRandom random)
    {
        AttributeSyntax? attribute = PickNetGenAttribute(target.Root, ref random);
        if (attribute is null)
        {
            return null;
        }

        string argument = random.Chance(15) ? random.Pick(WholeArguments) : random.Pick(ArgumentNames) + PickValue(target.Root, ref random);
        if (attribute.ArgumentList is not { } list)
        {
            return target.Set(Splice(target.Text, new TextSpan(attribute.Name.Span.End, 0), "(" + argument + ")"), $"give {attribute.Name} '({argument})'");
        }

        bool first = random.Chance(30) || list.Arguments.Count == 0;
        int at = first ? list.OpenParenToken.Span.End : list.Arguments.Last().Span.End;
        string inserted = list.Arguments.Count == 0 ? argument : first ? argument + ", " : ", " + argument;
        return target.Set(Splice(target.Text, new TextSpan(at, 0), inserted), $"add '{argument}' to {attribute.Name}");
    }

    private static string? RenameArgument(Target target, ref FuzzRandom random)
    {
        AttributeSyntax? attribute = PickNetGenAttribute(target.Root, ref random);
        if (attribute?.ArgumentList is not { Arguments.Count: > 0 } list)
        {
            return null;
        }

        AttributeArgumentSyntax argument = random.Pick(list.Arguments);
        string name = random.Pick(ArgumentNames);
        TextSpan span = argument.NameEquals?.Span ?? argument.NameColon?.Span ?? new TextSpan(argument.SpanStart, 0);
        return target.Set(Splice(target.Text, span, name), $"{attribute.Name} argument '{argument}' gets the name '{name}'");
    }

    private static string? EnumGarbage(Target target, ref FuzzRandom random)
    {
        AttributeSyntax? attribute = PickNetGenAttribute(target.Root, ref random);
        if (attribute is null)
        {
            return null;
        }

        string garbage = random.Pick(GarbageEnums);
        AttributeArgumentSyntax? enumArgument = attribute.ArgumentList?.Arguments
            .Where(a => a.Expression.ToString().Contains("Activation", StringComparison.Ordinal)
                || a.NameEquals is not null
                || a.Expression.ToString().Contains("Loss", StringComparison.Ordinal))
            .FirstOrDefault();
        if (enumArgument is not null && random.Chance(75))
        {
            return target.Set(Splice(target.Text, enumArgument.Expression.Span, garbage), $"{attribute.Name} argument '{enumArgument}' becomes '{garbage}'");
        }

        // No enum argument yet: add one where it goes.
        string argument = FuzzCorpus.IsDense(attribute)
            ? garbage
            : (random.Chance(50) ? "Loss = " : "Code = ") + garbage;
        if (attribute.ArgumentList is not { Arguments.Count: > 0 } list)
        {
            string inserted = FuzzCorpus.IsDense(attribute) ? "(1, " + argument + ")" : "(2, " + argument + ")";
            TextSpan span = attribute.ArgumentList?.Span ?? new TextSpan(attribute.Name.Span.End, 0);
            return target.Set(Splice(target.Text, span, inserted), $"{attribute.Name} gets '{inserted}'");
        }

        if (FuzzCorpus.IsDense(attribute) && list.Arguments.Count >= 2 && list.Arguments[1].NameEquals is null)
        {
            return target.Set(Splice(target.Text, list.Arguments[1].Expression.Span, garbage), $"{attribute.Name} activation becomes '{garbage}'");
        }

        int at = FuzzCorpus.IsDense(attribute) ? list.Arguments[0].Span.End : list.Arguments.Last().Span.End;
        return target.Set(Splice(target.Text, new TextSpan(at, 0), ", " + argument), $"{attribute.Name} gets ', {argument}'");
    }

    private static readonly string[] TypeArguments =
    [
        "float", "double", "int", "decimal", "System.Half", "string", "object", "T", "float?", "double[]", "Unknown",
        "dynamic", "(int, int)", "float, double", string.Empty, "System.Single", "System.Double", "nint", "void",
        "Activation", "{N}", "global::System.Double", "Float", "byte", "bool", "System.Numerics.Vector<float>",
    ];

    private static string? TypeArgument(Target target, ref FuzzRandom random)
    {
        List<AttributeSyntax> networks = target.Root.DescendantNodes().OfType<AttributeSyntax>().Where(FuzzCorpus.IsNetwork).ToList();
        if (networks.Count == 0)
        {
            return null;
        }

        AttributeSyntax network = random.Pick(networks);
        string type = random.Pick(TypeArguments).Replace("{N}", ClassName(target.Root), StringComparison.Ordinal);
        GenericNameSyntax? generic = network.Name.DescendantNodesAndSelf().OfType<GenericNameSyntax>().FirstOrDefault();
        if (generic is null)
        {
            SimpleNameSyntax simple = network.Name.DescendantNodesAndSelf().OfType<SimpleNameSyntax>().Last();
            return target.Set(Splice(target.Text, new TextSpan(simple.Span.End, 0), "<" + type + ">"), $"{network.Name} becomes generic in '{type}'");
        }

        if (random.Chance(20))
        {
            return target.Set(Splice(target.Text, generic.TypeArgumentList.Span, string.Empty), $"{network.Name} loses its type argument");
        }

        TextSpan inside = TextSpan.FromBounds(generic.TypeArgumentList.LessThanToken.Span.End, generic.TypeArgumentList.GreaterThanToken.SpanStart);
        return target.Set(Splice(target.Text, inside, type), $"{network.Name} type argument becomes '{type}'");
    }

    private static readonly string[] AttributeNames =
    [
        "Network", "Dense", "Network<float>", "Network<double>", "NetGen.Network", "global::NetGen.Network",
        "NetworkAttribute", "NetGen.NetworkAttribute<double>", "global::NetGen.Dense", "DenseAttribute", "Netwrok",
        "Dense<int>", "Network<int, int>", "System.Obsolete", "System.Serializable", "Network.Dense", "NetGen", "network",
    ];

    private static string? AttributeName(Target target, ref FuzzRandom random)
    {
        AttributeSyntax? attribute = PickNetGenAttribute(target.Root, ref random);
        if (attribute is null)
        {
            return null;
        }

        string name = random.Pick(AttributeNames);
        return target.Set(Splice(target.Text, attribute.Name.Span, name), $"{attribute.Name} becomes {name}");
    }

    private static string? ShuffleAttributes(Target target, ref FuzzRandom random)
    {
        List<AttributeListSyntax> lists = target.Root.DescendantNodes().OfType<AttributeListSyntax>()
            .Where(l => l.Attributes.Any(a => FuzzCorpus.IsNetwork(a) || FuzzCorpus.IsDense(a))).ToList();
        if (lists.Count == 0)
        {
            return null;
        }

        AttributeListSyntax list = random.Pick(lists);
        AttributeListSyntax other = random.Pick(lists);
        switch (random.Next(5))
        {
            case 0:
                return target.Set(Splice(target.Text, new TextSpan(list.Span.End, 0), "\n" + list), $"duplicate '{list}'");
            case 1:
                AttributeSyntax attribute = random.Pick(list.Attributes);
                return target.Set(Splice(target.Text, new TextSpan(attribute.Span.End, 0), ", " + attribute), $"repeat '{attribute}' inside its list");
            case 2:
                if (list == other)
                {
                    return null;
                }

                return target.Set(ApplyEdits(target.Text, [(list.Span, other.ToString()), (other.Span, list.ToString())])!, $"swap '{list}' and '{other}'");
            case 3:
                // Two lists become one: "[Network(2), Dense(1)]".
                if (list == other || list.Target is not null || other.Target is not null)
                {
                    return null;
                }

                string merged = "[" + string.Join(", ", list.Attributes.Concat(other.Attributes)) + "]";
                return target.Set(ApplyEdits(target.Text, [(list.Span, merged), (other.Span, string.Empty)])!, $"merge '{list}' and '{other}'");
            default:
                // A copy of the list somewhere else among the lists (a layer declared twice, out of order).
                return target.Set(Splice(target.Text, new TextSpan(other.SpanStart, 0), list + "\n"), $"copy '{list}' before '{other}'");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Attributes on other members.

    private static readonly string[] BodyTargets =
    [
        "{A}\npublic void M() { }",
        "{A}\npublic int P { get; set; }",
        "{A}\npublic int F;",
        "{A}\npublic event System.Action? E;",
        "{A}\npublic enum E { A }",
        "{A}\npublic partial struct S;",
        "{A}\npublic partial interface I;",
        "{A}\npublic delegate void D();",
        "{A}\npublic partial class Inner;",
        "{A}\npublic partial class {N};",
        "{A}\npublic partial record R;",
        "{A}\npublic partial record struct RS;",
        "{A}\npublic {N}() { }",
        "{A}\npublic static implicit operator int({N} n) => 0;",
        "{A}\npublic int this[int i] => i;",
        "{A}\n~{N}() { }",
        "public void M({A} int x) { }",
        "public void M<{A} T>() { }",
        "public void M() { {A} void Local() { } }",
        "public System.Action L = {A} () => { };",
        "public int P { {A} get; set; }",
        "public enum E { {A} A }",
        "{A:return}\npublic int M() => 0;",
        "{A:field}\npublic int P { get; set; }",
        "{A:method}\npublic void M() { }",
        "{A:type}\npublic partial class Inner;",
        "{A:param}\npublic int P { set { } }",
    ];

    private static readonly string[] TopTargets =
    [
        "{A}\npublic enum TopEnum { A }",
        "{A}\npublic struct TopStruct { }",
        "{A}\npublic partial struct TopStruct;",
        "{A}\npublic interface ITop { }",
        "{A}\npublic static partial class TopStatic { }",
        "{A}\npublic delegate void TopDelegate();",
        "{A}\npublic partial class Moved;",
        "{A}\npublic class NotPartial { }",
        "{A}\npublic partial record TopRecord;",
        "{A}\npublic abstract partial class TopAbstract;",
        "{A}\npublic partial class TopGeneric<T>;",
        "{A:assembly}",
        "{A:module}",
        "{A:type}\npublic partial class Targeted;",
        "{A:return}\npublic delegate int TopDelegate2();",
    ];

    private static string? MoveAttributes(Target target, ref FuzzRandom random)
    {
        TypeDeclarationSyntax? type = PickNetworkType(target.Root, ref random);
        if (type is null)
        {
            return null;
        }

        List<AttributeListSyntax> lists = type.AttributeLists.ToList();
        if (lists.Count == 0)
        {
            return null;
        }

        int from = 0, to = lists.Count;
        switch (random.Next(10))
        {
            case < 5:
                break;
            case < 8:
                from = random.Next(lists.Count);
                to = from + 1;
                break;
            default:
                from = random.Next(lists.Count);
                to = random.Next(from + 1, lists.Count + 1);
                break;
        }

        List<AttributeListSyntax> moved = lists.GetRange(from, to - from);
        bool copy = random.Chance(25);
        var edits = new List<(TextSpan Span, string Text)>();
        if (!copy)
        {
            edits.Add((TextSpan.FromBounds(moved[0].FullSpan.Start, moved[^1].FullSpan.End), string.Empty));
        }

        string name = type.Identifier.ValueText.Length > 0 ? type.Identifier.ValueText : "N";
        string where;
        int choice = random.Next(10);
        if (choice < 5)
        {
            string template = random.Pick(BodyTargets);
            edits.Add(InsertIntoBody(type, Fill(template, moved, name)));
            where = template;
        }
        else if (choice < 8)
        {
            string template = random.Pick(TopTargets);
            edits.Add((new TextSpan(target.Text.Length, 0), "\n" + Fill(template, moved, name) + "\n"));
            where = template;
        }
        else
        {
            // An existing member, parameter, accessor or type parameter of the file.
            List<SyntaxNode> members = target.Root.DescendantNodes()
                .Where(n => n is MemberDeclarationSyntax and not BaseNamespaceDeclarationSyntax
                    or AccessorDeclarationSyntax or ParameterSyntax or TypeParameterSyntax or EnumMemberDeclarationSyntax)
                .Where(n => n != type && !n.Span.Contains(type.Span))
                .ToList();
            if (members.Count == 0)
            {
                return null;
            }

            SyntaxNode member = random.Pick(members);
            edits.Add((new TextSpan(member.SpanStart, 0), Fill("{A} ", moved, name)));
            where = $"the {member.Kind()} at {member.SpanStart}";
        }

        string? text = ApplyEdits(target.Text, edits);
        return text is null ? null : target.Set(text, $"{(copy ? "copy" : "move")} {string.Concat(moved)} onto {where.Replace("\n", " ", StringComparison.Ordinal)}");
    }

    /// <summary>The template with {A} the lists (or {A:target} the lists with that target) and {N} the class name.</summary>
    private static string Fill(string template, List<AttributeListSyntax> lists, string name)
    {
        int open = template.IndexOf("{A", StringComparison.Ordinal);
        int close = template.IndexOf('}', open);
        string placeholder = template[open..(close + 1)];
        string attributes = placeholder == "{A}"
            ? string.Join("\n", lists)
            : string.Join("\n", lists.Select(l => "[" + placeholder[3..^1] + ": " + string.Join(", ", l.Attributes) + "]"));
        return template.Replace(placeholder, attributes, StringComparison.Ordinal).Replace("{N}", name, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The class: its kind, modifiers, name, members, base list, copies and containers.

    private static readonly string[] Kinds =
    [
        "class", "struct", "record", "record class", "record struct", "interface", "enum", "delegate", "namespace",
        "static class", "abstract class", "sealed class", "file class", "ref struct", "readonly struct",
        "readonly record struct", "unsafe class", "new class", "class class",
    ];

    private static string? ChangeKind(Target target, ref FuzzRandom random)
    {
        TypeDeclarationSyntax? type = PickNetworkType(target.Root, ref random);
        if (type is null)
        {
            return null;
        }

        int end = type is RecordDeclarationSyntax { ClassOrStructKeyword.Span.IsEmpty: false } record ? record.ClassOrStructKeyword.Span.End : type.Keyword.Span.End;
        string kind = random.Pick(Kinds);
        return target.Set(Splice(target.Text, TextSpan.FromBounds(type.Keyword.SpanStart, end), kind), $"'{type.Identifier}' becomes a {kind}");
    }

    private static readonly string[] Modifiers =
    [
        "partial", "static", "abstract", "sealed", "file", "public", "private", "protected", "internal", "unsafe", "new",
        "readonly", "ref", "async", "extern", "const", "virtual", "override", "required", "volatile", "protected internal",
        "private protected", "partial partial",
    ];

    private static string? ToggleModifier(Target target, ref FuzzRandom random)
    {
        TypeDeclarationSyntax? type = PickNetworkType(target.Root, ref random);
        if (type is null)
        {
            return null;
        }

        SyntaxToken partial = type.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.PartialKeyword));
        if (type.Modifiers.Count > 0 && random.Chance(50))
        {
            SyntaxToken removed = partial != default && random.Chance(60) ? partial : random.Pick(type.Modifiers.ToList());
            return target.Set(Splice(target.Text, removed.Span, string.Empty), $"'{type.Identifier}' loses '{removed}'");
        }

        string modifier = random.Pick(Modifiers);
        int at = random.Chance(50) ? type.Keyword.SpanStart : (type.Modifiers.Count > 0 ? type.Modifiers[0].SpanStart : type.Keyword.SpanStart);
        return target.Set(Splice(target.Text, new TextSpan(at, 0), modifier + " "), $"'{type.Identifier}' gets '{modifier}' at {at}");
    }

    private static string? DuplicateClass(Target target, ref FuzzRandom random)
    {
        TypeDeclarationSyntax? type = PickNetworkType(target.Root, ref random);
        if (type is null)
        {
            return null;
        }

        string name = type.Identifier.ValueText;
        string copy = type.ToFullString();
        TypeDeclarationSyntax WithoutPartial(TypeDeclarationSyntax t) =>
            t.WithModifiers(SyntaxFactory.TokenList(t.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword))));
        string Without(Func<AttributeSyntax, bool> drop) =>
            type.WithAttributeLists(SyntaxFactory.List(type.AttributeLists.Where(l => !l.Attributes.Any(drop)))).ToFullString();
        TextSpan after = new(type.FullSpan.End, 0);
        switch (random.Next(12))
        {
            case 0:
                return target.Set(Splice(target.Text, after, "\n" + copy), $"'{name}' declared twice, attributes and all");
            case 1:
                return target.Set(Splice(target.Text, after, "\n" + Without(_ => true)), $"a second part of '{name}' without attributes");
            case 2:
                return target.Set(Splice(target.Text, after, "\n" + Without(FuzzCorpus.IsNetwork)), $"a second part of '{name}' with the Dense attributes only");
            case 3:
                return target.Set(Splice(target.Text, after, "\n" + Without(FuzzCorpus.IsDense)), $"a second part of '{name}' with the Network attribute only");
            case 4:
                return target.Set(Splice(target.Text, after, "\n" + WithoutPartial(type).ToFullString()), $"a non-partial copy of '{name}'");
            case 5:
                return target.Set(ApplyEdits(target.Text, [(type.FullSpan, WithoutPartial(type).ToFullString()), (after, "\n" + copy)])!, $"'{name}' loses 'partial', its partial copy keeps it");
            case 6:
            case 7:
                string renamed = PickName(name, ref random);
                string other = type.ReplaceToken(type.Identifier, SyntaxFactory.Identifier(renamed).WithTriviaFrom(type.Identifier)).ToFullString();
                return target.Set(Splice(target.Text, after, "\n" + other), $"a copy of '{name}' named '{renamed}'");
            case 8:
                // The same declaration in a second file, with this file's usings and namespace.
                string header = string.Concat(target.Root.Usings.Select(u => u.ToString() + "\n"));
                if (type.FirstAncestorOrSelf<BaseNamespaceDeclarationSyntax>() is { } ns)
                {
                    header += "namespace " + ns.Name + ";\n";
                }

                target.Files.Add(header + "\n" + copy.Trim() + "\n");
                return $"'{name}' declared again in Source{target.Files.Count - 1}.cs";
            case 9:
                return target.Set(ApplyEdits(target.Text, [InsertIntoBody(type, copy.Trim())])!, $"a copy of '{name}' nested inside it");
            case 10:
                return target.Set(Splice(target.Text, new TextSpan(target.Text.Length, 0), "\nnamespace Other\n{\n" + copy + "\n}\n"), $"a copy of '{name}' in namespace Other");
            default:
                string kind = random.Pick(Kinds);
                string changed = Splice(copy, TextSpan.FromBounds(type.Keyword.SpanStart - type.FullSpan.Start, type.Keyword.Span.End - type.FullSpan.Start), kind);
                return target.Set(Splice(target.Text, after, "\n" + changed), $"a copy of '{name}' as a {kind}");
        }
    }

    private static readonly string[] Wrappers =
    [
        "public partial class Outer\n{\n{X}\n}",
        "public class Outer\n{\n{X}\n}",
        "public partial struct Outer\n{\n{X}\n}",
        "public partial class Outer<T>\n{\n{X}\n}",
        "public static partial class Outer\n{\n{X}\n}",
        "file partial class Outer\n{\n{X}\n}",
        "public partial interface IOuter\n{\n{X}\n}",
        "public partial record Outer\n{\n{X}\n}",
        "public partial record struct Outer(int A)\n{\n{X}\n}",
        "public ref partial struct Outer\n{\n{X}\n}",
        "partial class Outer\n{\n    partial class Middle\n    {\n{X}\n    }\n}",
        "partial class Outer\n{\n    class Middle\n    {\n{X}\n    }\n}",
        "public partial class {N}\n{\n{X}\n}",
        "namespace Inner\n{\n{X}\n}",
        "namespace {N}\n{\n{X}\n}",
        "public enum Outer\n{\n{X}\n}",
        "public delegate void Outer(\n{X}\n);",
        "#if DEBUG\n{X}\n#endif",
        "#if false\n{X}\n#endif",
        "/*\n{X}\n*/",
        "#region R\n{X}\n#endregion",
        "public partial class Outer\n{\n    public void M()\n    {\n{X}\n    }\n}",
        "unsafe partial class Outer\n{\n{X}\n}",
        "public partial class @partial\n{\n{X}\n}",
    ];

    private static string? Wrap(Target target, ref FuzzRandom random)
    {
        TypeDeclarationSyntax? type = PickNetworkType(target.Root, ref random);
        if (type is null)
        {
            return null;
        }

        string wrapper = random.Pick(Wrappers);
        string name = type.Identifier.ValueText.Length > 0 ? type.Identifier.ValueText : "N";
        string wrapped = wrapper.Replace("{N}", name, StringComparison.Ordinal).Replace("{X}", type.ToString(), StringComparison.Ordinal);
        return target.Set(Splice(target.Text, type.Span, wrapped), $"'{name}' inside {wrapper.Replace("\n", " ", StringComparison.Ordinal)}");
    }

    private static readonly string[] Names =
    [
        "Forward", "Loss", "Predict", "Topology", "Parameters", "InputCount", "__parameters", "@class", "@Network",
        "Network", "Dense", "NetGen", "Activation", "System", "INetwork", "Attribute", "NetworkAttribute", "var",
        "dynamic", "nameof", "global", "value", "partial", "record", "file", "_", "@_", "\u03A9", "\u01C5", "N1", "Net",
        "Seed", "Outer", "Base",
    ];

    /// <summary>A name for a renamed class or copy: often one close to <paramref name="name"/> (case, a mark or connector more).</summary>
    private static string PickName(string name, ref FuzzRandom random)
    {
        if (name.Length == 0)
        {
            return random.Pick(Names);
        }

        return random.Next(10) switch
        {
            0 => name.ToUpperInvariant() == name ? name.ToLowerInvariant() : name.ToUpperInvariant(),
            1 => (char.IsUpper(name[0]) ? char.ToLowerInvariant(name[0]) : char.ToUpperInvariant(name[0])) + name[1..],
            2 => name + "_",
            3 => name + "\u203F",
            4 => name + "\u0301",
            5 => name + "\u00AD",
            6 => name + "2",
            7 => new string('N', 300 + random.Next(700)),
            _ => random.Pick(Names),
        };
    }

    private static string? Rename(Target target, ref FuzzRandom random)
    {
        TypeDeclarationSyntax? type = PickNetworkType(target.Root, ref random);
        if (type is null)
        {
            return null;
        }

        string name = PickName(type.Identifier.ValueText, ref random);
        return target.Set(Splice(target.Text, type.Identifier.Span, name), $"'{type.Identifier}' renamed '{name}'");
    }

    private static readonly string[] Members =
    [
        "public int Forward;",
        "public void Forward(System.ReadOnlySpan<float> input, System.Span<float> output) { }",
        "public void Forward(System.ReadOnlySpan<double> input, System.Span<double> output) { }",
        "public static void Loss() { }",
        "public float Loss(System.ReadOnlySpan<float> a, System.ReadOnlySpan<float> b) => 0;",
        "public class Topology { }",
        "public int Parameters => 0;",
        "private int __parameters;",
        "private static float[] __CreateParameters() => new float[0];",
        "public float Predict(float a, float b) => a;",
        "public float Predict(float[] x) => 0;",
        "public void TrainStep() { }",
        "public const int InputCount = 3;",
        "public int OutputCount { get; }",
        "public event System.Action? ZeroGradients;",
        "public enum Backward { A }",
        "public delegate void TrainBatch();",
        "public void InitializeParameters(int seed) { }",
        "public void InitializeParameters(ulong seed) { }",
        "public static int UseInputs => InputCount;",
        "public float UsePredict() => Predict(1, 2);",
        "public int UseParameters() => Parameters.Length;",
        "public {N}(int x) { }",
        "private {N}() { }",
        "static {N}() { }",
        "~{N}() { }",
        "public int {N};",
        "public override string ToString() => Topology;",
        "public required int R { get; init; }",
        "public abstract void A();",
        "public partial void PM();",
        "public partial class Nested { }",
        "[Network(3)]\n[Dense(2)]\npublic partial class NestedNet;",
        "public unsafe void U(int* p) { }",
        "public int this[int i] => i;",
        "public static {N} operator +({N} a, {N} b) => a;",
        "public const float InputCount = 1;",
        "public new int GetHashCode() => 0;",
        "public System.Span<float> Gradients;",
        "public void Backward(float[] x, float[] t, bool zero) { }",
        "private readonly float[] p = new float[1], g = new float[1];",
    ];

    private static string? AddMember(Target target, ref FuzzRandom random)
    {
        TypeDeclarationSyntax? type = PickNetworkType(target.Root, ref random);
        if (type is null)
        {
            return null;
        }

        string name = type.Identifier.ValueText.Length > 0 ? type.Identifier.ValueText : "N";
        string member = random.Pick(Members).Replace("{N}", name, StringComparison.Ordinal);
        return target.Set(ApplyEdits(target.Text, [InsertIntoBody(type, member)])!, $"'{name}' gets the member '{member}'");
    }

    private static readonly (string Base, string Declaration)[] Bases =
    [
        ("Base", "public class Base\n{\n    public void ZeroGradients() { }\n}"),
        ("BaseNet", "[Network(2)]\n[Dense(1)]\npublic partial class BaseNet;"),
        ("INetwork<float>", string.Empty),
        ("INetwork<double>", string.Empty),
        ("NetGen.INetwork<int>", string.Empty),
        ("System.Attribute", string.Empty),
        ("System.Exception", string.Empty),
        ("{N}", string.Empty),
        ("Unknown", string.Empty),
        ("System.IDisposable", string.Empty),
        ("System.Collections.Generic.List<int>", string.Empty),
        ("object", string.Empty),
        ("System.ValueType", string.Empty),
        ("string", string.Empty),
        ("Derived", "public class Derived : {N} { }"),
        ("PlainBase", "public abstract class PlainBase\n{\n    protected PlainBase(int x) { }\n}"),
    ];

    private static string? BaseList(Target target, ref FuzzRandom random)
    {
        TypeDeclarationSyntax? type = PickNetworkType(target.Root, ref random);
        if (type is null)
        {
            return null;
        }

        string name = type.Identifier.ValueText.Length > 0 ? type.Identifier.ValueText : "N";
        (string baseType, string declaration) = random.Pick(Bases);
        baseType = baseType.Replace("{N}", name, StringComparison.Ordinal);
        var edits = new List<(TextSpan, string)>();
        if (type.BaseList is { } list && random.Chance(50))
        {
            edits.Add((TextSpan.FromBounds(list.ColonToken.Span.End, list.Span.End), " " + baseType));
        }
        else if (type.BaseList is { } existing)
        {
            edits.Add((new TextSpan(existing.Span.End, 0), ", " + baseType));
        }
        else
        {
            int at = (type as RecordDeclarationSyntax)?.ParameterList?.Span.End ?? type.TypeParameterList?.Span.End ?? type.Identifier.Span.End;
            edits.Add((new TextSpan(at, 0), " : " + baseType));
        }

        if (declaration.Length > 0)
        {
            edits.Add((new TextSpan(target.Text.Length, 0), "\n" + declaration.Replace("{N}", name, StringComparison.Ordinal) + "\n"));
        }

        return target.Set(ApplyEdits(target.Text, edits)!, $"'{name}' derives from {baseType}");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Below and beside the tokens.

    private static readonly string[] Characters =
    [
        "\"", "'", "/", "*", "#", "@", "$", "\\", "\u00A0", "\u200B", "\0", "{", "}", "(", ")", "[", "]", ";", ",", "<",
        ">", "\n", "\u03A9", "\uFEFF", "\uD800", "//", "/*", "\r", "\t", "0", "a", "_",
    ];

    private static string? CharEdit(Target target, ref FuzzRandom random)
    {
        if (target.Text.Length == 0)
        {
            return null;
        }

        int at = random.Chance(70) ? PickToken(target.Root, ref random).SpanStart + random.Next(3) : random.Next(target.Text.Length);
        at = Math.Min(at, target.Text.Length - 1);
        string character = random.Pick(Characters);
        switch (random.Next(3))
        {
            case 0:
                int length = Math.Min(random.Next(1, 4), target.Text.Length - at);
                return target.Set(target.Text.Remove(at, length), $"delete {length} characters at {at}");
            case 1:
                return target.Set(target.Text.Insert(at, character), $"insert U+{(int)character[0]:X4} at {at}");
            default:
                return target.Set(target.Text.Remove(at, 1).Insert(at, character), $"character at {at} becomes U+{(int)character[0]:X4}");
        }
    }

    private static readonly string[] Directives =
    [
        "#if X", "#endif", "#else", "#region R", "#endregion", "#line hidden", "#line 100 \"Other.cs\"", "#line default",
        "#nullable disable", "#pragma warning disable", "#pragma warning disable NG0014", "#define X", "#error oops",
        "#warning careful", "#if true", "#elif", "#line (1, 1) - (1, 5) \"Mapped.cs\"",
    ];

    private static string? Directive(Target target, ref FuzzRandom random)
    {
        var lineStarts = new List<int> { 0 };
        for (int i = 0; i < target.Text.Length; i++)
        {
            if (target.Text[i] == '\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        int at = random.Pick(lineStarts);
        string directive = random.Pick(Directives);
        return target.Set(target.Text.Insert(at, directive + "\n"), $"'{directive}' on line {lineStarts.IndexOf(at) + 1}");
    }

    private static readonly (string Directive, string? Rename, string? To)[] UsingDirectives =
    [
        ("using Net = NetGen.NetworkAttribute;", "Network", "Net"),
        ("using DoubleNet = NetGen.NetworkAttribute<double>;", "Network", "DoubleNet"),
        ("using Layer = NetGen.DenseAttribute;", "Dense", "Layer"),
        ("using Dense = NetGen.NetworkAttribute;", null, null),
        ("using Network = NetGen.DenseAttribute;", null, null),
        ("using Activation = NetGen.LossFunction;", null, null),
        ("using Loss = NetGen.Activation;", null, null),
        ("using CodeShape = NetGen.Activation;", null, null),
        ("using NetGen = System;", null, null),
        ("using T = float;", "Network", "Network<T>"),
        ("using static NetGen.Activation;", "Activation.", string.Empty),
        ("using static NetGen.LossFunction;", "LossFunction.", string.Empty),
        ("using static NetGen.CodeShape;", "CodeShape.", string.Empty),
        ("global using NetGen;", null, null),
        ("using NetGen.Extra;", null, null),
        ("extern alias Other;", null, null),
    ];

    /// <summary>A using directive at the top of the file (and the names it brings used), or the file's usings gone.</summary>
    private static string? Usings(Target target, ref FuzzRandom random)
    {
        if (target.Root.Usings.Count > 0 && random.Chance(15))
        {
            UsingDirectiveSyntax removed = random.Pick(target.Root.Usings.ToList());
            return target.Set(Splice(target.Text, removed.Span, string.Empty), $"remove '{removed}'");
        }

        (string directive, string? rename, string? to) = random.Pick(UsingDirectives);
        string text = target.Text;
        if (rename is not null && random.Chance(70))
        {
            // Every use of the name, as a search and replace would.
            text = rename.EndsWith('.')
                ? text.Replace(rename, to, StringComparison.Ordinal)
                : System.Text.RegularExpressions.Regex.Replace(text, $@"(?<=\[\s*){rename}\b(?!<)", to!);
        }

        return target.Set(directive + "\n" + text, $"'{directive}'{(text == target.Text ? string.Empty : $" and '{rename}' written '{to}'")}");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers.

    private static List<SyntaxToken> Tokens(CompilationUnitSyntax root) =>
        root.DescendantTokens().Where(t => !t.IsKind(SyntaxKind.EndOfFileToken)).ToList();

    /// <summary>A token; seven times in ten one of an attribute list or of a class header when there are any.</summary>
    private static SyntaxToken PickToken(CompilationUnitSyntax root, ref FuzzRandom random)
    {
        List<SyntaxToken> tokens = Tokens(root);
        if (tokens.Count == 0)
        {
            return root.EndOfFileToken;
        }

        if (random.Chance(70))
        {
            List<SyntaxToken> interesting = tokens.Where(IsInteresting).ToList();
            if (interesting.Count > 0)
            {
                return random.Pick(interesting);
            }
        }

        return random.Pick(tokens);
    }

    private static bool IsInteresting(SyntaxToken token)
    {
        if (token.Parent?.FirstAncestorOrSelf<AttributeListSyntax>() is not null)
        {
            return true;
        }

        return token.Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } type
            && token.SpanStart >= type.SpanStart
            && token.SpanStart <= (type.OpenBraceToken.Span.IsEmpty ? type.Span.End : type.OpenBraceToken.SpanStart);
    }

    private static AttributeSyntax? PickNetGenAttribute(CompilationUnitSyntax root, ref FuzzRandom random)
    {
        List<AttributeSyntax> attributes = root.DescendantNodes().OfType<AttributeSyntax>()
            .Where(a => FuzzCorpus.IsNetwork(a) || FuzzCorpus.IsDense(a)).ToList();
        return attributes.Count == 0 ? null : random.Pick(attributes);
    }

    /// <summary>A type declaration with a NetGen attribute, or else any type declaration, or null.</summary>
    private static TypeDeclarationSyntax? PickNetworkType(CompilationUnitSyntax root, ref FuzzRandom random)
    {
        List<TypeDeclarationSyntax> types = root.DescendantNodes().OfType<TypeDeclarationSyntax>().ToList();
        List<TypeDeclarationSyntax> networks = types
            .Where(t => t.AttributeLists.SelectMany(l => l.Attributes).Any(a => FuzzCorpus.IsNetwork(a) || FuzzCorpus.IsDense(a)))
            .ToList();
        return networks.Count > 0 ? random.Pick(networks) : types.Count > 0 ? random.Pick(types) : null;
    }

    private static string ClassName(CompilationUnitSyntax root) =>
        root.DescendantNodes().OfType<TypeDeclarationSyntax>().Select(t => t.Identifier.ValueText).FirstOrDefault(n => n.Length > 0) ?? "N";

    private static string PickValue(CompilationUnitSyntax root, ref FuzzRandom random)
    {
        int ticket = random.Next(ArgumentValues.Sum(v => v.Weight));
        foreach ((int weight, string[] values) in ArgumentValues)
        {
            if (ticket < weight)
            {
                return random.Pick(values).Replace("{N}", ClassName(root), StringComparison.Ordinal);
            }

            ticket -= weight;
        }

        throw new InvalidOperationException("unreachable");
    }

    /// <summary>An edit that puts <paramref name="member"/> in the type's body, making a body if it has none.</summary>
    private static (TextSpan Span, string Text) InsertIntoBody(TypeDeclarationSyntax type, string member)
    {
        if (!type.OpenBraceToken.IsMissing && type.OpenBraceToken.Span.Length > 0)
        {
            return (new TextSpan(type.OpenBraceToken.Span.End, 0), "\n" + member + "\n");
        }

        if (!type.SemicolonToken.IsMissing && type.SemicolonToken.Span.Length > 0)
        {
            return (type.SemicolonToken.Span, "\n{\n" + member + "\n}");
        }

        return (new TextSpan(type.Span.End, 0), "\n{\n" + member + "\n}");
    }

    private static string Splice(string text, TextSpan span, string with) =>
        string.Concat(text.AsSpan(0, span.Start), with, text.AsSpan(span.End));

    /// <summary>The edits applied from the last to the first; null when two overlap.</summary>
    private static string? ApplyEdits(string text, IEnumerable<(TextSpan Span, string Text)> edits)
    {
        List<(TextSpan Span, string Text)> ordered = edits.OrderByDescending(e => e.Span.Start).ThenByDescending(e => e.Span.End).ToList();
        for (int i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Span.End > ordered[i - 1].Span.Start)
            {
                return null;
            }
        }

        foreach ((TextSpan span, string with) in ordered)
        {
            text = Splice(text, span, with);
        }

        return text;
    }
}
