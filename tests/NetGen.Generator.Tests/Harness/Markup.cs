using Microsoft.CodeAnalysis.Text;

namespace NetGen.Generator.Tests.Harness;

/// <summary>
/// Source with the span a diagnostic must cover written inside <c>[|</c> and <c>|]</c>, the convention of Roslyn's
/// own tests: <c>[Network([|0|])]</c> says the diagnostic covers exactly the argument <c>0</c>.
/// </summary>
internal static class Markup
{
    private const string Open = "[|";
    private const string Close = "|]";

    public static bool HasSpan(string marked) => marked.Contains(Open, System.StringComparison.Ordinal);

    /// <summary>The source without the markers, and the span they enclosed.</summary>
    public static (string Source, TextSpan Span) Parse(string marked)
    {
        int start = marked.IndexOf(Open, System.StringComparison.Ordinal);
        int end = marked.IndexOf(Close, start + Open.Length, System.StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "the source has no [|...|] span");
        string source = marked.Remove(end, Close.Length).Remove(start, Open.Length);
        Assert.False(HasSpan(source), "the source has more than one [|...|] span");
        return (source, TextSpan.FromBounds(start, end - Open.Length));
    }

    /// <summary>The source without markers (for files of a test that carry none).</summary>
    public static string Strip(string marked) => HasSpan(marked) ? Parse(marked).Source : marked;
}
