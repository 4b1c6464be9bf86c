using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// One-hot encoding of class labels into targets (label k of C classes becomes C values, 1 at index k and 0
/// elsewhere), and back: the index of the largest value.
/// </summary>
public static class OneHot
{
    /// <summary>Encodes <paramref name="labels"/> as one-hot rows, one after another.</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="labels">Class labels, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">The number of classes, 1 or more: the network's <c>OutputCount</c>.</param>
    /// <returns>A new array of <c>labels.Length * classCount</c> values.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="classCount"/> is less than 1, or so large that <c>labels.Length * classCount</c> values do not
    /// fit in one array, or a label is out of range.
    /// </exception>
    public static T[] Encode<T>(ReadOnlySpan<int> labels, int classCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        long length = (long)labels.Length * classCount;
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(classCount), classCount, $"{labels.Length} labels of {classCount} classes need {length} values, more than one array holds.");
        }

        var targets = new T[length];
        Encode(labels, classCount, targets.AsSpan());
        return targets;
    }

    /// <summary>Encodes <paramref name="labels"/> as one-hot rows into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="labels">Class labels, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">The number of classes, 1 or more.</param>
    /// <param name="destination">Receives <c>labels.Length * classCount</c> values.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="classCount"/> is less than 1, or a label is out of range (the message gives its index); nothing is written.
    /// </exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong length.</exception>
    public static void Encode<T>(ReadOnlySpan<int> labels, int classCount, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        long length = (long)labels.Length * classCount;
        if (destination.Length != length)
        {
            throw new ArgumentException(
                $"The span must have length {length}, but its length is {destination.Length}.", nameof(destination));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(labels), labels[i], $"Label {i} is {labels[i]}, but labels must be in [0, {classCount}).");
            }
        }

        destination.Clear();
        for (int i = 0; i < labels.Length; i++)
        {
            destination[(i * classCount) + labels[i]] = T.One;
        }
    }

    /// <summary>
    /// The index of the largest value: the class a network's output predicts, or the label of a one-hot target.
    /// On a tie the first wins; NaN never wins.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static int Decode<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("There must be at least one value.", nameof(values));
        }

        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best] || (T.IsNaN(values[best]) && !T.IsNaN(values[i])))
            {
                best = i;
            }
        }

        return best;
    }
}
