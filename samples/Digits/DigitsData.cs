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
    /// The images, and each moved by one block up, down, left and right (blank blocks coming in at the edge), with
    /// their targets: five times the training data, teaching the network that a digit is the same digit a little
    /// off centre.
    /// </summary>
    public static Dataset<float> WithShifts(Dataset<float> data)
    {
        (int Rows, int Columns)[] shifts = [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)];
        int count = data.Count;
        var images = new float[shifts.Length * count * Pixels];
        var targets = new float[shifts.Length * count * data.OutputCount];
        for (int s = 0; s < shifts.Length; s++)
        {
            for (int i = 0; i < count; i++)
            {
                int copy = (s * count) + i;
                data.GetTarget(i).CopyTo(targets.AsSpan(copy * data.OutputCount, data.OutputCount));
                ReadOnlySpan<float> image = data.GetInput(i);
                Span<float> shifted = images.AsSpan(copy * Pixels, Pixels);
                for (int row = 0; row < 8; row++)
                {
                    for (int column = 0; column < 8; column++)
                    {
                        int fromRow = row - shifts[s].Rows, fromColumn = column - shifts[s].Columns;
                        shifted[(row * 8) + column] = fromRow is >= 0 and < 8 && fromColumn is >= 0 and < 8
                            ? image[(fromRow * 8) + fromColumn]
                            : 0f;
                    }
                }
            }
        }

        return new Dataset<float>(images, targets, Pixels, data.OutputCount);
    }
}
