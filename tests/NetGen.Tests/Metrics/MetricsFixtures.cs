using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace NetGen.Tests.Metrics;

/// <summary>
/// The cases of Fixtures/metrics.json, written by Fixtures/make_metrics_fixtures.py: inputs, and scikit-learn's
/// answers for them. Nothing here computes an expected value; it only reads them.
/// </summary>
internal static class MetricsFixtures
{
    private static readonly Lazy<JsonElement> Root = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Metrics", "Fixtures", "metrics.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    });

    /// <summary>The scikit-learn version that computed the answers.</summary>
    public static string SklearnVersion => Root.Value.GetProperty("sklearn").GetString()!;

    /// <summary>The names of a section's cases, for [MemberData].</summary>
    public static TheoryData<string> Names(string section)
    {
        var names = new TheoryData<string>();
        foreach (JsonElement c in Root.Value.GetProperty(section).EnumerateArray())
        {
            names.Add(c.GetProperty("name").GetString()!);
        }

        return names;
    }

    /// <summary>The case of <paramref name="section"/> named <paramref name="name"/>.</summary>
    public static JsonElement Case(string section, string name) =>
        Root.Value.GetProperty(section).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>A number, or NaN written as the string "NaN".</summary>
    public static double Number(this JsonElement element, string property)
    {
        JsonElement value = element.GetProperty(property);
        return value.ValueKind == JsonValueKind.String
            ? double.Parse(value.GetString()!, CultureInfo.InvariantCulture)
            : value.GetDouble();
    }

    public static double[] Doubles(this JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static int[] Ints(this JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static int[][] IntRows(this JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();

    /// <summary>
    /// Holds <paramref name="actual"/> to <paramref name="expected"/> within 1e-12 relative (so a 0 must be exactly 0),
    /// or to NaN when NaN is expected.
    /// </summary>
    public static void Close(double expected, double actual, string what)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: expected NaN, got {actual:R}");
            return;
        }

        Assert.True(
            Math.Abs(actual - expected) <= 1e-12 * Math.Abs(expected),
            $"{what}: expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):E2})");
    }

    public static IEnumerable<int> Classes(int count) => Enumerable.Range(0, count);
}
