using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Tests.Support;

/// <summary>Bit-for-bit comparisons of floating-point values, with a message that shows the first difference.</summary>
public static class Bits
{
    /// <summary>The IEEE bits of a float or double, widened to 64 bits.</summary>
    public static ulong Of<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float)
            ? BitConverter.SingleToUInt32Bits(Unsafe.As<T, float>(ref value))
            : BitConverter.DoubleToUInt64Bits(Unsafe.As<T, double>(ref value));

    /// <summary>Asserts that two spans hold the same bits, element by element.</summary>
    public static void Equal<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected length {expected.Length}, actual {actual.Length}");
        if (MemoryMarshal.AsBytes(expected).SequenceEqual(MemoryMarshal.AsBytes(actual)))
        {
            return;
        }

        for (int i = 0; i < expected.Length; i++)
        {
            if (Of(expected[i]) != Of(actual[i]))
            {
                Assert.Fail($"{what}: element {i} differs: expected {expected[i]:R} (bits {Of(expected[i]):X}), actual {actual[i]:R} (bits {Of(actual[i]):X})");
            }
        }
    }

    /// <summary>Asserts that two values have the same bits.</summary>
    public static void Equal<T>(T expected, T actual, string what)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Assert.True(
            Of(expected) == Of(actual),
            $"{what}: expected {expected:R} (bits {Of(expected):X}), actual {actual:R} (bits {Of(actual):X})");
}
