using System;

namespace NetGen;

/// <summary>
/// Two-dimensional max pooling over an image, a layer of the network declared by
/// <see cref="NetworkAttribute(int, int, int)"/> on the same class, computed as PyTorch's
/// <c>torch.nn.MaxPool2d(size)</c>: each channel is cut into windows of <paramref name="size"/> x
/// <paramref name="size"/> values, side by side (the stride is the size), and each window puts out its largest value.
/// Rows and columns that do not fill a window are dropped (PyTorch's default <c>ceil_mode=False</c>), so the output has
/// height / size rows and width / size columns, rounded down.
/// </summary>
/// <remarks>
/// No parameters. As in PyTorch, a window holding a NaN puts out NaN, and going back the slope of a window's output
/// goes to one of its values only: the first largest, reading the window row by row, left to right (or, when the
/// window holds a NaN, its last NaN).
/// </remarks>
/// <param name="size">The window's height and width, 1 or more, at most the input's.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class MaxPool2DAttribute(int size) : Attribute
{
    /// <summary>The window's height and width, and the step between windows.</summary>
    public int Size { get; } = size;
}
