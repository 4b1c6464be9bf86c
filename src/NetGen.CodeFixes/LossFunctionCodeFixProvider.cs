using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>
/// NG0016: <c>Loss.CrossEntropy</c> written in a [Network] or [Dense] argument, for the enum of losses that is now
/// <c>LossFunction</c> (inside the class, <c>Loss</c> is the generated Loss method). Replaces that <c>Loss</c> with
/// <c>LossFunction</c>, qualified as the attribute's own name is (<c>[NetGen.Network]</c> gives
/// <c>NetGen.LossFunction</c>, <c>[global::NetGen.Dense]</c> gives <c>global::NetGen.LossFunction</c>): exactly
/// what the diagnostic's message says to write.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LossFunctionCodeFixProvider))]
[Shared]
public sealed class LossFunctionCodeFixProvider : CodeFixProvider
{
    /// <summary>The one equivalence key of this fix, so that Fix All applies it to every NG0016 in scope.</summary>
    public const string EquivalenceKey = "NetGen.NG0016.UseLossFunction";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.LossNameShadowed);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (FindLoss(root, diagnostic) is not { } loss
                || loss.FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute
                || NetGen.Shared.AttributeNames.NetGenQualifier(attribute.Name) is not { } qualifier)
            {
                continue;
            }

            ExpressionSyntax replacement = SyntaxFactory.ParseExpression(qualifier + "LossFunction").WithTriviaFrom(loss);
            string written = loss.Parent is MemberAccessExpressionSyntax access && access.Expression == loss
                ? replacement + "." + access.Name.Identifier.ValueText
                : replacement.ToString();
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Write '{written}'",
                    cancellationToken => ReplaceAsync(context.Document, loss, replacement, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>
    /// The identifier 'Loss' the diagnostic is about: the left of <c>Loss.X</c> when it covers that member access, or
    /// the identifier itself when it covers a bare <c>Loss</c>; null for any other span.
    /// </summary>
    private static IdentifierNameSyntax? FindLoss(SyntaxNode root, Diagnostic diagnostic)
    {
        SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        IdentifierNameSyntax? loss = node switch
        {
            MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax left } => left,
            IdentifierNameSyntax identifier => identifier,
            _ => null,
        };
        return loss is { Identifier.ValueText: "Loss" } && node.Span == diagnostic.Location.SourceSpan ? loss : null;
    }

    private static async Task<Document> ReplaceAsync(Document document, IdentifierNameSyntax loss, ExpressionSyntax replacement, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return root is null ? document : document.WithSyntaxRoot(root.ReplaceNode(loss, replacement));
    }
}
