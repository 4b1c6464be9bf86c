namespace NetGen;

/// <summary>
/// A measure of the validation set after an epoch, which <see cref="EarlyStopping"/>, <see cref="Checkpoint"/> and
/// <see cref="ReduceLearningRateOnPlateau"/> watch: the loss for any network, the accuracy for a classification, R²
/// or the root mean squared error for a regression (see <see cref="TaskKind"/>). Lower is better for
/// <see cref="Loss"/> and <see cref="RootMeanSquaredError"/>, higher for <see cref="Accuracy"/> and
/// <see cref="RSquared"/>.
/// </summary>
public enum ValidationMetric
{
    /// <summary>The mean validation loss (<see cref="TrainingEpoch.ValidationLoss"/>); lower is better. Any task.</summary>
    Loss,

    /// <summary>The validation accuracy (<see cref="TrainingEpoch.ValidationAccuracy"/>); higher is better. Classification only.</summary>
    Accuracy,

    /// <summary>R² of the validation set (<see cref="TrainingEpoch.ValidationRSquared"/>); higher is better. Regression only.</summary>
    RSquared,

    /// <summary>
    /// The root mean squared error of the validation set (<see cref="TrainingEpoch.ValidationRootMeanSquaredError"/>);
    /// lower is better. Regression only.
    /// </summary>
    RootMeanSquaredError,
}
