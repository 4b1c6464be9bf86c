using System.Globalization;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emitting;

/// <summary>Numbers and type names as C# source, always in the invariant culture.</summary>
internal static class Literals
{
    public static string TypeName(ElementKind element) => element == ElementKind.Float ? "float" : "double";

    /// <summary>A literal of the element type: <c>2f</c>, <c>0.01f</c>; <c>2.0</c>, <c>0.01</c>.</summary>
    /// <remarks>
    /// A value that is not finite in the element type (NaN, an infinity, or a double beyond float's range in a float
    /// network, which the conversion makes an infinity, as the runtime's loaders do) is written as float.NaN,
    /// float.PositiveInfinity, ...: "Infinityf" is no C#.
    /// </remarks>
    public static string Number(ElementKind element, double value)
    {
        if (element == ElementKind.Float)
        {
            float single = (float)value;
            return float.IsNaN(single) ? "float.NaN"
                : float.IsPositiveInfinity(single) ? "float.PositiveInfinity"
                : float.IsNegativeInfinity(single) ? "float.NegativeInfinity"
                : single.ToString("R", CultureInfo.InvariantCulture) + "f";
        }

        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return double.IsNaN(value) ? "double.NaN" : value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
        }

        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOf('.') >= 0 || text.IndexOf('E') >= 0 ? text : text + ".0";
    }

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Text for an XML doc comment line: markup escaped, and every control or line-breaking character (a newline,
    /// U+0085, U+2028, U+2029) as a character reference, so that the comment cannot end early.
    /// </summary>
    public static string Xml(string value)
    {
        var text = new System.Text.StringBuilder(value.Length);
        foreach (char c in value)
        {
            _ = c switch
            {
                '&' => text.Append("&amp;"),
                '<' => text.Append("&lt;"),
                '>' => text.Append("&gt;"),
                // XML 1.0 has no characters below U+0020 but these three.
                _ when c < ' ' && c is not '\t' and not '\n' and not '\r' => text.Append('\uFFFD'),
                _ when char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029' => text.Append("&#x").Append(((int)c).ToString("X", CultureInfo.InvariantCulture)).Append(';'),
                _ => text.Append(c),
            };
        }

        return text.ToString();
    }

    /// <summary>A C# string literal: quotes and backslashes escaped, control and line-breaking characters as \uXXXX.</summary>
    public static string String(string value)
    {
        var text = new System.Text.StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                _ when char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029' => text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }
}
