namespace NetGen.Generator.Model;

/// <summary>
/// The shape of the values one image layer takes or puts out, channels x height x width, laid out CHW (PyTorch's
/// layout of one image: channel by channel, each row by row). Default (all 0) where no shape is known: a 2-D layer
/// after a Dense layer, or in a network declared with one number of inputs, which validation refuses (NG0032).
/// </summary>
internal readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Whether every size is 1 or more.</summary>
    public bool IsKnown => Channels >= 1 && Height >= 1 && Width >= 1;

    /// <summary>channels x height x width, in 64 bits and saturating (three sizes near int.MaxValue pass even a long): validation checks that it fits.</summary>
    public long Count => SaturatingProduct(SaturatingProduct(Channels, Height), Width);

    /// <summary>The count as the layers' int sizes carry it: clamped to int.MaxValue, and 0 for an unknown shape.</summary>
    public int ClampedCount => !IsKnown ? 0 : Count > int.MaxValue ? int.MaxValue : (int)Count;

    /// <summary>Rows or columns out of a window sliding over <paramref name="size"/> padded values: floor((size + 2 padding - window) / stride) + 1; 0 or less when the window does not fit.</summary>
    public static int Positions(int size, int window, int stride, int padding)
    {
        long span = (long)size + (2L * padding) - window;
        if (span < 0 || stride < 1)
        {
            return 0;
        }

        long positions = (span / stride) + 1;
        return positions > int.MaxValue ? int.MaxValue : (int)positions;
    }

    /// <summary>a x b for sizes of 0 or more, saturating at long.MaxValue rather than wrapping (a kernel of 2^31 squared, say).</summary>
    public static long SaturatingProduct(long a, long b) =>
        a <= 0 || b <= 0 ? 0 : a > long.MaxValue / b ? long.MaxValue : a * b;

    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
