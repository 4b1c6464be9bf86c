using System.Globalization;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emitting;

/// <summary>Numbers and type names as C# source, always in the invariant culture.</summary>
internal static class Literals
{
    public static string TypeName(ElementKind element) => element == ElementKind.Float ? "float" : "double";

    /// <summary>A literal of the element type: <c>2f</c>, <c>0.01f</c>; <c>2.0</c>, <c>0.01</c>.</summary>
    public static string Number(ElementKind element, double value)
    {
        if (element == ElementKind.Float)
        {
            return ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";
        }

        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOf('.') >= 0 || text.IndexOf('E') >= 0 ? text : text + ".0";
    }

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Xml(string value) => value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    public static string String(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
