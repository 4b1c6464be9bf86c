namespace NetGen;

/// <summary>
/// A network's mean loss over a dataset, and the measures that fit its task: the accuracy of a classifier, or R² and
/// the root mean squared error of a regression (see <see cref="NetGen.TaskKind"/>). From
/// <see cref="Trainer.Evaluate{TNet, T}(TNet, Dataset{T})"/>.
/// </summary>
/// <param name="Loss">The mean of the samples' losses.</param>
/// <param name="Accuracy">
/// For a classification, the share of samples predicted correctly, 0 to 1 (see <see cref="Trainer.IsCorrect{T}"/>);
/// NaN for a regression, where it would mean nothing.
/// </param>
/// <param name="Count">The number of samples.</param>
public readonly record struct EvaluationResult(double Loss, double Accuracy, int Count)
{
    /// <summary>The task the measures were chosen for: <see cref="TaskKind.Classification"/> or <see cref="TaskKind.Regression"/>.</summary>
    public TaskKind TaskKind { get; init; }

    /// <summary>
    /// For a regression, the root mean squared error of the outputs, per output and averaged over them
    /// (<see cref="Metrics.RootMeanSquaredError{T}"/>); NaN for a classification.
    /// </summary>
    public double RootMeanSquaredError { get; init; } = double.NaN;

    /// <summary>
    /// For a regression, the coefficient of determination R² of the outputs, averaged over them
    /// (<see cref="Metrics.RSquared{T}"/>: 1 is a perfect fit, 0 no better than the targets' mean, NaN below two
    /// samples); NaN for a classification.
    /// </summary>
    public double RSquared { get; init; } = double.NaN;
}
