using System;
using System.IO;
using NetGen;

namespace Digits;

/// <summary>The optdigits files: 64 block counts (0..16) of an 8x8 image, then the digit.</summary>
internal static class DigitsData
{
    public const int Pixels = 64;
    public const int Classes = 10;

    public static string DataDirectory => Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>The images (row after row) and their labels.</summary>
    public static (float[] Images, int[] Labels) Read(string file)
    {
        NumericTable<float> table = NumericCsv.Read<float>(Path.Combine(DataDirectory, file), hasHeader: true);
        if (table.ColumnCount != Pixels + 1)
        {
            throw new InvalidDataException($"{file} has {table.ColumnCount} columns; optdigits has {Pixels + 1}.");
        }

        return (table.SelectColumns(0, Pixels).Values, table.GetLabels(Pixels));
    }

    /// <summary>
    /// The images, and each moved by one block up, down, left and right (blank blocks coming in at the edge):
    /// five times the training data, teaching the network that a digit is the same digit a little off centre.
    /// </summary>
    public static (float[] Images, int[] Labels) WithShifts(ReadOnlySpan<float> images, ReadOnlySpan<int> labels)
    {
        (int Rows, int Columns)[] shifts = [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)];
        int count = labels.Length;
        var shifted = new float[shifts.Length * count * Pixels];
        var shiftedLabels = new int[shifts.Length * count];
        for (int s = 0; s < shifts.Length; s++)
        {
            for (int i = 0; i < count; i++)
            {
                int target = (s * count) + i;
                shiftedLabels[target] = labels[i];
                for (int row = 0; row < 8; row++)
                {
                    for (int column = 0; column < 8; column++)
                    {
                        int fromRow = row - shifts[s].Rows, fromColumn = column - shifts[s].Columns;
                        shifted[(target * Pixels) + (row * 8) + column] = fromRow is >= 0 and < 8 && fromColumn is >= 0 and < 8
                            ? images[(i * Pixels) + (fromRow * 8) + fromColumn]
                            : 0f;
                    }
                }
            }
        }

        return (shifted, shiftedLabels);
    }
}
