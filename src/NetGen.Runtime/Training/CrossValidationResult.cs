using System;
using System.Collections.Generic;
using System.Globalization;

namespace NetGen;

/// <summary>
/// What <see cref="Trainer.CrossValidate{TNet, T}(Func{TNet}, Dataset{T}, TrainingOptions{T}, int, int, Func{TNet, Dataset{T}, double}?, System.Threading.CancellationToken)"/>
/// found: one score per fold, their mean and standard deviation, and each fold's split, training history and
/// evaluation.
/// </summary>
public sealed class CrossValidationResult
{
    private readonly Fold[] _folds;
    private readonly double[] _scores;
    private readonly EvaluationResult[] _evaluations;
    private readonly TrainingHistory[] _histories;

    internal CrossValidationResult(TaskKind taskKind, Fold[] folds, double[] scores, EvaluationResult[] evaluations, TrainingHistory[] histories)
    {
        TaskKind = taskKind;
        _folds = folds;
        _scores = scores;
        _evaluations = evaluations;
        _histories = histories;

        double sum = 0;
        foreach (double score in scores)
        {
            sum += score;
        }

        Mean = sum / scores.Length;
        double squares = 0;
        foreach (double score in scores)
        {
            squares += (score - Mean) * (score - Mean);
        }

        StandardDeviation = Math.Sqrt(squares / scores.Length);
    }

    /// <summary>
    /// The task the folds were measured as: it chose the default score (accuracy or R²) and, for the overload that
    /// makes the folds, whether they are stratified.
    /// </summary>
    public TaskKind TaskKind { get; }

    /// <summary>The folds, in order: which samples each trained and validated on.</summary>
    public IReadOnlyList<Fold> Folds => _folds;

    /// <summary>The score of each fold's network on its validation part, in the order of <see cref="Folds"/>.</summary>
    public IReadOnlyList<double> Scores => _scores;

    /// <summary>
    /// <see cref="Trainer.Evaluate{TNet, T}(TNet, Dataset{T}, TaskKind)"/> of each fold's network on its validation
    /// part, with <see cref="TaskKind"/>: the mean loss and the task's measures, whatever the score.
    /// </summary>
    public IReadOnlyList<EvaluationResult> Evaluations => _evaluations;

    /// <summary>Each fold's training history, validated after every epoch on the fold's validation part.</summary>
    public IReadOnlyList<TrainingHistory> Histories => _histories;

    /// <summary>The mean of <see cref="Scores"/>; NaN if a score is NaN.</summary>
    public double Mean { get; }

    /// <summary>
    /// The population standard deviation of <see cref="Scores"/>, √((1/k) Σ (scoreᵢ - mean)²) (NumPy's <c>std</c>,
    /// as reported with scikit-learn's <c>cross_val_score</c>); NaN if a score is NaN.
    /// </summary>
    public double StandardDeviation { get; }

    /// <summary>The mean, standard deviation and number of folds.</summary>
    /// <returns>Such as <c>"0.9612 ± 0.0085 over 5 folds"</c>.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Mean:F4} ± {StandardDeviation:F4} over {_scores.Length} folds");
}
