using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// A gradient-descent update rule with its own state (momentum buffers, moment estimates), sized once for a
/// fixed number of parameters. <see cref="Step"/> allocates nothing, so an optimizer can run inside a
/// training loop that allocates nothing per batch.
/// </summary>
/// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
/// <remarks>
/// The optimizers follow the update rules of PyTorch's <c>torch.optim</c> classes of the same name, so that
/// PyTorch can serve as an oracle. Hyper-parameters are <see cref="double"/>s, as in PyTorch, and are rounded to
/// <typeparamref name="T"/> where they meet the parameters.
/// </remarks>
public interface IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of parameters this optimizer updates: the length <see cref="Step"/> expects of both spans.</summary>
    int ParameterCount { get; }

    /// <summary>
    /// The learning rate used by the next <see cref="Step"/>. Settable between steps, for learning-rate schedules.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    double LearningRate { get; set; }

    /// <summary>
    /// Updates <paramref name="parameters"/> in place from <paramref name="gradients"/>, which must already be
    /// the gradient to descend (for a mini-batch, the mean over its samples), and advances the optimizer's state.
    /// </summary>
    /// <param name="parameters">The parameters to update, <see cref="ParameterCount"/> of them.</param>
    /// <param name="gradients">dLoss/dParameter, same length and layout as <paramref name="parameters"/>.</param>
    /// <exception cref="ArgumentException">
    /// A span's length is not <see cref="ParameterCount"/>; nothing is written and the state is unchanged.
    /// </exception>
    void Step(Span<T> parameters, ReadOnlySpan<T> gradients);

    /// <summary>
    /// Forgets the state built up by earlier steps (momentum buffers, moment estimates, step count), as if the
    /// optimizer had just been constructed. The hyper-parameters, including <see cref="LearningRate"/>, are kept.
    /// </summary>
    void Reset();
}
