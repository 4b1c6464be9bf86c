using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// Windows of a signal for a streaming model (<see cref="ISequenceNetwork{T}"/>): a set of equal-length sequences,
/// each <see cref="Steps"/> time steps of <see cref="InputCount"/> input values and <see cref="OutputCount"/> target
/// values, laid out step after step (the layout of <see cref="ISequenceNetwork{T}.BackwardSequence"/>), window after
/// window. <see cref="SequenceTrainer"/> trains on it.
/// </summary>
/// <remarks>
/// Cut a long recording into windows with <see cref="FromRecording"/>; wrap windows already laid out with the
/// constructor. A dataset never changes the values it holds, so one dataset can serve many training runs at once.
/// </remarks>
/// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
public sealed class SequenceDataset<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ReadOnlyMemory<T> _inputs;
    private readonly ReadOnlyMemory<T> _targets;
    private readonly int _windowInputs;
    private readonly int _windowTargets;

    /// <summary>Wraps windows already laid out one after another (not copied) as a dataset.</summary>
    /// <param name="inputs">
    /// The windows' inputs: window after window, each <paramref name="steps"/> steps of <paramref name="inputCount"/>
    /// values, step after step. Empty for a dataset of no windows.
    /// </param>
    /// <param name="targets">The windows' targets, <paramref name="outputCount"/> values a step, in the same order.</param>
    /// <param name="steps">The number of time steps of every window, 1 or more.</param>
    /// <param name="inputCount">The number of input values of one step, 1 or more: the network's <c>InputCount</c>.</param>
    /// <param name="outputCount">The number of target values of one step, 1 or more: the network's <c>OutputCount</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inputs"/> or <paramref name="targets"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/>, <paramref name="inputCount"/> or <paramref name="outputCount"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">
    /// The inputs are not a whole number of windows, or the targets do not hold the same number of windows.
    /// </exception>
    public SequenceDataset(T[] inputs, T[] targets, int steps, int inputCount, int outputCount)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);

        // In 64 bits: steps * inputCount can pass int.MaxValue (and wrap to 0, or to a length some array has).
        long windowInputs = (long)steps * inputCount, windowTargets = (long)steps * outputCount;
        if (inputs.Length % windowInputs != 0)
        {
            throw new ArgumentException(
                $"The inputs must hold whole windows of {steps} steps of {inputCount} values ({windowInputs} values a window), but their length is {inputs.Length}.",
                nameof(inputs));
        }

        // count * steps * inputCount is the inputs' length, so count * steps fits in an int, and times outputCount in a long.
        long count = inputs.Length / windowInputs;
        long expectedTargets = count * steps * outputCount;
        if (expectedTargets != targets.Length)
        {
            throw new ArgumentException(
                $"The inputs hold {count} windows, so the targets must have length {expectedTargets} ({steps} steps of {outputCount} values a window), but their length is {targets.Length}.",
                nameof(targets));
        }

        // A window of more than int.MaxValue values is only possible with no windows at all; keep 0 then.
        _inputs = inputs;
        _targets = targets;
        _windowInputs = count == 0 ? 0 : (int)windowInputs;
        _windowTargets = count == 0 ? 0 : (int)windowTargets;
        Count = (int)count;
        Steps = steps;
        InputCount = inputCount;
        OutputCount = outputCount;
    }

    private SequenceDataset(ReadOnlyMemory<T> inputs, ReadOnlyMemory<T> targets, int count, int steps, int inputCount, int outputCount)
    {
        _inputs = inputs;
        _targets = targets;
        _windowInputs = steps * inputCount;
        _windowTargets = steps * outputCount;
        Count = count;
        Steps = steps;
        InputCount = inputCount;
        OutputCount = outputCount;
    }

    /// <summary>The number of windows.</summary>
    public int Count { get; }

    /// <summary>The number of time steps of every window.</summary>
    public int Steps { get; }

    /// <summary>The number of input values of one step.</summary>
    public int InputCount { get; }

    /// <summary>The number of target values of one step.</summary>
    public int OutputCount { get; }

    /// <summary>Every window's targets, window after window: <see cref="Count"/> × <see cref="Steps"/> × <see cref="OutputCount"/> values.</summary>
    internal ReadOnlySpan<T> AllTargets => _targets.Span;

    /// <summary>
    /// Cuts a long recording into windows of <paramref name="windowSteps"/> steps, one starting every
    /// <paramref name="hopSteps"/> steps, and copies them into a new dataset (one array of inputs, one of targets).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Window i holds steps i × hop to i × hop + window - 1 of the recording, for every i whose window ends within it:
    /// a recording of n steps gives ⌊(n - window) / hop⌋ + 1 windows. The steps after the last whole window (fewer
    /// than a hop's worth, and none when the windows fit exactly) are dropped, not padded: a window is always made of
    /// real steps. A hop shorter than the window makes the windows overlap, so every step is trained on in several
    /// windows, at several distances from a window's start; a hop longer than the window leaves the steps between
    /// windows out.
    /// </para>
    /// <para>
    /// Overlapping windows hold copies of the same steps, so the dataset holds about window / hop times the
    /// recording. For validation, cut the held-out stretch of the recording off first and window it with a separate
    /// call, rather than <see cref="Split"/> the windows of one recording: with overlap, the windows either side of
    /// the split share steps.
    /// </para>
    /// </remarks>
    /// <param name="inputs">The recording's inputs, <paramref name="inputCount"/> values a step, step after step.</param>
    /// <param name="targets">The recording's targets, <paramref name="outputCount"/> values a step, for the same steps.</param>
    /// <param name="inputCount">The number of input values of one step, 1 or more.</param>
    /// <param name="outputCount">The number of target values of one step, 1 or more.</param>
    /// <param name="windowSteps">The number of steps of a window, 1 or more.</param>
    /// <param name="hopSteps">The number of steps from one window's start to the next's, 1 or more.</param>
    /// <returns>The windows, in the order of their starts.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count, the window or the hop is less than 1.</exception>
    /// <exception cref="ArgumentException">
    /// The inputs are not a whole number of steps, the targets do not hold the same number of steps, the recording is
    /// shorter than one window, or the windows would hold more values than an array can.
    /// </exception>
    public static SequenceDataset<T> FromRecording(
        ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int inputCount, int outputCount, int windowSteps, int hopSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSteps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hopSteps, 1);
        if (inputs.Length % inputCount != 0)
        {
            throw new ArgumentException(
                $"The inputs must hold whole steps of {inputCount} values each, but their length is {inputs.Length}.", nameof(inputs));
        }

        int recordingSteps = inputs.Length / inputCount;
        if ((long)recordingSteps * outputCount != targets.Length)
        {
            throw new ArgumentException(
                $"The inputs hold {recordingSteps} steps, so the targets must have length {(long)recordingSteps * outputCount} ({outputCount} values a step), but their length is {targets.Length}.",
                nameof(targets));
        }

        if (recordingSteps < windowSteps)
        {
            throw new ArgumentException(
                $"The recording has {recordingSteps} steps, fewer than one window of {windowSteps}.", nameof(windowSteps));
        }

        int count = ((recordingSteps - windowSteps) / hopSteps) + 1;

        // In 64 bits, and without multiplying three numbers up to int.MaxValue: count * window fits in a long.
        long totalSteps = (long)count * windowSteps;
        int widest = Math.Max(inputCount, outputCount);
        if (totalSteps > Array.MaxLength / widest)
        {
            throw new ArgumentException(
                $"{count} windows of {windowSteps} steps of {widest} values would be {totalSteps * widest} values, more than an array holds ({Array.MaxLength}); use a longer hop or a shorter recording.",
                nameof(hopSteps));
        }

        var windowInputs = new T[totalSteps * inputCount];
        var windowTargets = new T[totalSteps * outputCount];
        int inputsPerWindow = windowSteps * inputCount, targetsPerWindow = windowSteps * outputCount;
        for (int i = 0; i < count; i++)
        {
            int start = i * hopSteps;
            inputs.Slice(start * inputCount, inputsPerWindow).CopyTo(windowInputs.AsSpan(i * inputsPerWindow));
            targets.Slice(start * outputCount, targetsPerWindow).CopyTo(windowTargets.AsSpan(i * targetsPerWindow));
        }

        return new SequenceDataset<T>(windowInputs, windowTargets, count, windowSteps, inputCount, outputCount);
    }

    /// <summary>The inputs of window <paramref name="window"/>: <see cref="Steps"/> × <see cref="InputCount"/> values, step after step.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is not in [0, <see cref="Count"/>).</exception>
    public ReadOnlySpan<T> Inputs(int window)
    {
        CheckWindow(window);
        return _inputs.Span.Slice(window * _windowInputs, _windowInputs);
    }

    /// <summary>The targets of window <paramref name="window"/>: <see cref="Steps"/> × <see cref="OutputCount"/> values, step after step.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is not in [0, <see cref="Count"/>).</exception>
    public ReadOnlySpan<T> Targets(int window)
    {
        CheckWindow(window);
        return _targets.Span.Slice(window * _windowTargets, _windowTargets);
    }

    /// <summary>
    /// Splits the windows, in order and without shuffling, into the first round(<see cref="Count"/> ×
    /// <paramref name="firstFraction"/>) windows (halves round up) and the rest. Both parts share this dataset's
    /// values (nothing is copied).
    /// </summary>
    /// <remarks>
    /// The split keeps time in order, so that the second part can be a later stretch of the signal, never seen in
    /// training. But windows that overlap (<see cref="FromRecording"/> with a hop shorter than the window) share steps
    /// across the split; to hold out a stretch of a recording with nothing shared, cut the recording first and call
    /// <see cref="FromRecording"/> on each part.
    /// </remarks>
    /// <param name="firstFraction">The share of windows for the first part, strictly between 0 and 1.</param>
    /// <returns>The two parts.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstFraction"/> is not strictly between 0 and 1.</exception>
    /// <exception cref="ArgumentException">One of the parts would be empty.</exception>
    public (SequenceDataset<T> First, SequenceDataset<T> Second) Split(double firstFraction)
    {
        if (!(firstFraction > 0 && firstFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(firstFraction), firstFraction, "The first part's fraction must be strictly between 0 and 1.");
        }

        int first = (int)Math.Round(Count * firstFraction, MidpointRounding.AwayFromZero);
        if (first == 0 || first == Count)
        {
            throw new ArgumentException(
                $"Splitting {Count} windows with fraction {firstFraction} would leave one part empty.", nameof(firstFraction));
        }

        int second = Count - first;
        return (
            new SequenceDataset<T>(_inputs[..(first * _windowInputs)], _targets[..(first * _windowTargets)], first, Steps, InputCount, OutputCount),
            new SequenceDataset<T>(_inputs[(first * _windowInputs)..], _targets[(first * _windowTargets)..], second, Steps, InputCount, OutputCount));
    }

    private void CheckWindow(int window)
    {
        if ((uint)window >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, $"The dataset has {Count} windows.");
        }
    }
}
