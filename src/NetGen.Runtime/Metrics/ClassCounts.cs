using System;

namespace NetGen;

/// <summary>
/// Per-class counts that precision, recall, F1 and balanced accuracy are made of, in one span of 3 × K: true
/// positives at [0, K), actual (support) at [K, 2K), predicted at [2K, 3K).
/// </summary>
internal static class ClassCounts
{
    /// <summary>The most classes counted in a stack buffer; more are counted in an array.</summary>
    public const int StackClasses = 128;

    /// <summary>Samples decoded per chunk when the classes come from rows of network outputs.</summary>
    public const int Chunk = 128;

    public enum Measure
    {
        Precision,
        Recall,
        F1,
    }

    /// <summary>Throws unless every label is in [0, <paramref name="classCount"/>).</summary>
    public static void CheckLabels(ReadOnlySpan<int> labels, int classCount, string parameterName)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(
                    parameterName, labels[i], $"Sample {i} is of class {labels[i]}, but classes must be in [0, {classCount}).");
            }
        }
    }

    /// <summary>Adds the samples' counts into <paramref name="counts"/>; the labels must have been checked.</summary>
    public static void Add(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount, Span<int> counts)
    {
        Span<int> truePositives = counts[..classCount];
        Span<int> actualCounts = counts.Slice(classCount, classCount);
        Span<int> predictedCounts = counts.Slice(2 * classCount, classCount);
        for (int i = 0; i < actual.Length; i++)
        {
            int a = actual[i], p = predicted[i];
            actualCounts[a]++;
            predictedCounts[p]++;
            if (a == p)
            {
                truePositives[a]++;
            }
        }
    }

    /// <summary>The counts of a confusion matrix (row-major [actual, predicted]).</summary>
    public static void FromMatrix(ReadOnlySpan<int> matrix, int classCount, Span<int> counts)
    {
        counts.Clear();
        for (int a = 0; a < classCount; a++)
        {
            for (int p = 0; p < classCount; p++)
            {
                int n = matrix[(a * classCount) + p];
                counts[classCount + a] += n;
                counts[(2 * classCount) + p] += n;
            }

            counts[a] = matrix[(a * classCount) + a];
        }
    }

    /// <summary>The share of samples whose predicted class is the actual one; NaN without samples.</summary>
    public static double Accuracy(ReadOnlySpan<int> counts, int classCount)
    {
        long correct = 0, total = 0;
        for (int k = 0; k < classCount; k++)
        {
            correct += counts[k];
            total += counts[classCount + k];
        }

        return total == 0 ? double.NaN : (double)correct / total;
    }

    /// <summary>The mean recall over the classes that occur among the actual classes; NaN without samples.</summary>
    public static double BalancedAccuracy(ReadOnlySpan<int> counts, int classCount)
    {
        double sum = 0;
        int classes = 0;
        for (int k = 0; k < classCount; k++)
        {
            int support = counts[classCount + k];
            if (support > 0)
            {
                sum += (double)counts[k] / support;
                classes++;
            }
        }

        return classes == 0 ? double.NaN : sum / classes;
    }

    /// <summary>One class's precision, recall or F1; 0 where it would be 0/0 (scikit-learn's zero_division=0).</summary>
    public static double Of(ReadOnlySpan<int> counts, int classCount, int k, Measure measure) =>
        Ratio(counts[k], counts[classCount + k], counts[(2 * classCount) + k], measure);

    /// <summary>The average of a measure over the classes that occur; NaN without samples.</summary>
    public static double Average(ReadOnlySpan<int> counts, int classCount, Measure measure, MetricAverage average)
    {
        long truePositives = 0, actual = 0, predicted = 0;
        double sum = 0, weighted = 0;
        int classes = 0;
        for (int k = 0; k < classCount; k++)
        {
            int tp = counts[k], a = counts[classCount + k], p = counts[(2 * classCount) + k];
            if (a == 0 && p == 0)
            {
                continue;
            }

            double value = Ratio(tp, a, p, measure);
            classes++;
            sum += value;
            weighted += value * a;
            truePositives += tp;
            actual += a;
            predicted += p;
        }

        if (classes == 0)
        {
            return double.NaN;
        }

        return average switch
        {
            MetricAverage.Macro => sum / classes,
            MetricAverage.Micro => Ratio(truePositives, actual, predicted, measure),
            MetricAverage.Weighted => actual == 0 ? 0 : weighted / actual,
            _ => throw new ArgumentOutOfRangeException(nameof(average), average, "Not a MetricAverage."),
        };
    }

    /// <summary>Throws unless <paramref name="average"/> is a member of <see cref="MetricAverage"/>.</summary>
    public static void CheckAverage(MetricAverage average)
    {
        if (average is not (MetricAverage.Macro or MetricAverage.Micro or MetricAverage.Weighted))
        {
            throw new ArgumentOutOfRangeException(nameof(average), average, "Not a MetricAverage.");
        }
    }

    // F1 from the counts, 2 tp / (2 tp + fp + fn) = 2 tp / (actual + predicted): equal to 2 P R / (P + R) but for
    // rounding, and defined (as 0) where P or R is 0/0 but the other is not.
    private static double Ratio(long truePositives, long actual, long predicted, Measure measure)
    {
        long denominator = measure switch
        {
            Measure.Precision => predicted,
            Measure.Recall => actual,
            _ => actual + predicted,
        };
        long numerator = measure == Measure.F1 ? 2 * truePositives : truePositives;
        return denominator == 0 ? 0 : (double)numerator / denominator;
    }
}
