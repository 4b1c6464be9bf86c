namespace NetGen;

/// <summary>
/// What a network predicts, which decides the measures <see cref="Trainer.Evaluate{TNet, T}(TNet, Dataset{T})"/>
/// and the training history report besides the loss: the accuracy of a classifier, or R² and the root mean
/// squared error of a regression. Set through <see cref="TrainingOptions{T}.TaskKind"/> or the
/// <see cref="Trainer.Evaluate{TNet, T}(TNet, Dataset{T}, TaskKind)"/> overload; <see cref="Auto"/> (the default)
/// decides from the network and the data.
/// </summary>
public enum TaskKind
{
    /// <summary>
    /// Decide: <see cref="Classification"/> when the network's loss (read from its
    /// <see cref="INetwork{T}.Topology"/>) is <see cref="LossFunction.CrossEntropy"/> or
    /// <see cref="LossFunction.BinaryCrossEntropy"/>; otherwise (mean squared error, or a topology that cannot be
    /// read) <see cref="Classification"/> when every target of the data measured is a class code, a one-hot row
    /// (exactly one 1, the rest 0) or with one output 0 or 1, and <see cref="Regression"/> when any is not, or
    /// there are no samples.
    /// </summary>
    Auto,

    /// <summary>
    /// The outputs are class scores or probabilities: the accuracy is reported, the share of samples whose output's
    /// class is the target's (<see cref="Metrics.ClassOf{T}"/>, as <see cref="Trainer.IsCorrect{T}"/>).
    /// </summary>
    Classification,

    /// <summary>
    /// The outputs are values: R² (<see cref="Metrics.RSquared{T}"/>) and the root mean squared error
    /// (<see cref="Metrics.RootMeanSquaredError{T}"/>) are reported, both averaged over the outputs, and the
    /// accuracy is NaN.
    /// </summary>
    Regression,
}
