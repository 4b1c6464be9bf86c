namespace NetGen;

/// <summary>A network's mean loss and accuracy over a dataset, from <see cref="Trainer.Evaluate{TNet, T}"/>.</summary>
/// <param name="Loss">The mean of the samples' losses.</param>
/// <param name="Accuracy">The share of samples predicted correctly, 0 to 1.</param>
/// <param name="Count">The number of samples.</param>
public readonly record struct EvaluationResult(double Loss, double Accuracy, int Count);
