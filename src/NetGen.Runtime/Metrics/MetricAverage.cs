namespace NetGen;

/// <summary>
/// How <see cref="Metrics"/> and <see cref="ConfusionMatrix"/> combine a per-class precision, recall or F1 into one
/// number, as scikit-learn's <c>average</c> argument does. The classes averaged over are those that occur among the
/// actual or the predicted classes (scikit-learn's default when it is not given <c>labels</c>): a class of
/// <c>[0, classCount)</c> that occurs in neither is left out.
/// </summary>
public enum MetricAverage
{
    /// <summary>The unweighted mean of the classes' values (<c>average="macro"</c>).</summary>
    Macro,

    /// <summary>
    /// The value of the pooled counts: all true positives over all predictions (precision) or over all actual
    /// samples (recall) (<c>average="micro"</c>). With one class per sample, all three equal the accuracy.
    /// </summary>
    Micro,

    /// <summary>The mean of the classes' values weighted by their support, the number of samples actually in each (<c>average="weighted"</c>).</summary>
    Weighted,
}
