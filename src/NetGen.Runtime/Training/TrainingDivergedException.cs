using System;

namespace NetGen;

/// <summary>
/// Training produced a batch loss, or parameters, that are not finite (NaN or infinity). The network's parameters
/// have been put back as they were after the last finite step, so the network is still usable.
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception for batch <paramref name="batch"/> of epoch <paramref name="epoch"/>.</summary>
    /// <param name="epoch">The 1-based epoch.</param>
    /// <param name="batch">The 1-based batch within the epoch.</param>
    /// <param name="loss">The batch's mean loss (finite when it was a gradient or the step that overflowed).</param>
    public TrainingDivergedException(int epoch, int batch, double loss)
        : base(double.IsFinite(loss)
            ? $"Training diverged in epoch {epoch}, batch {batch}: a gradient or a parameter became NaN or infinite (batch loss {loss}). The parameters are as they were after the last finite step; try a smaller learning rate or standardised inputs."
            : $"Training diverged in epoch {epoch}, batch {batch}: the batch loss is {loss}. The parameters are as they were after the last finite step; try a smaller learning rate or standardised inputs, and check the data for NaN.")
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>The 1-based epoch of the failed batch.</summary>
    public int Epoch { get; }

    /// <summary>The 1-based batch, within its epoch, that failed.</summary>
    public int Batch { get; }

    /// <summary>The failed batch's mean loss.</summary>
    public double Loss { get; }
}
