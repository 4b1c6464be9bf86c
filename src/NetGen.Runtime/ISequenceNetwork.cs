using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// What every generated streaming model implements (a network with a recurrent layer): one <see cref="INetwork{T}.Forward"/>
/// call is one time step, the values that carry from step to step live in a state the caller holds, and training runs
/// backpropagation through time over whole sequences. Helpers can be generic over it
/// (<c>where TNet : ISequenceNetwork&lt;T&gt;</c>).
/// </summary>
/// <remarks>
/// The members of <see cref="INetwork{T}"/> that take no state treat one sample as a sequence of one step from a zero
/// state. One network's parameters can serve many streams at once, each with its own state: the stateful Forward
/// reads the parameters only.
/// </remarks>
/// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
public interface ISequenceNetwork<T> : INetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A new state, all zeros: every recurrent layer's values before the first step. Allocates once.</summary>
    ISequenceState CreateState();

    /// <summary>One time step: reads <paramref name="input"/> and the state, writes <paramref name="output"/> and advances the state.</summary>
    /// <exception cref="ArgumentException">A span's length is wrong, or the state was made by another network type; nothing is written.</exception>
    void Forward(ReadOnlySpan<T> input, Span<T> output, ISequenceState state);

    /// <summary>
    /// Steps laid one after another (an audio block, say): the same values, bit for bit, as one
    /// <see cref="Forward(ReadOnlySpan{T}, Span{T}, ISequenceState)"/> call per step.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not describe the same whole number of steps, or the state is another network's; nothing is written.</exception>
    void ForwardSequence(ReadOnlySpan<T> inputs, Span<T> outputs, ISequenceState state);

    /// <summary>
    /// From a zero state over the steps of <paramref name="inputs"/>: the loss, the mean of the steps' losses, and its
    /// slopes with respect to every parameter, by backpropagation through time, added into
    /// <see cref="INetwork{T}.Gradients"/>.
    /// </summary>
    /// <returns>The mean loss of the steps.</returns>
    /// <exception cref="ArgumentException">The lengths do not describe the same whole number of steps; nothing is written.</exception>
    T BackwardSequence(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets);

    /// <summary>
    /// One SGD step on a sequence: <see cref="INetwork{T}.ZeroGradients"/>, <see cref="BackwardSequence"/>, then
    /// <c>p -= learningRate * g</c>.
    /// </summary>
    /// <returns>The mean loss of the steps before the step.</returns>
    /// <exception cref="ArgumentException">The lengths do not describe the same whole number of steps; nothing is written.</exception>
    T TrainSequence(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, T learningRate);
}

/// <summary>The values a streaming model carries from one time step to the next, for one stream.</summary>
public interface ISequenceState
{
    /// <summary>Sets every carried value to zero, as before the first step of a new stream.</summary>
    void Reset();
}
