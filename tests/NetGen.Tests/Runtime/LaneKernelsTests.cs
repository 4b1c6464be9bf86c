using System;
using System.Numerics;
using NetGen.Tests.Support;

namespace NetGen.Tests.Runtime;

/// <summary>
/// The lane kernels of ForwardBatch: DotLanes gives each node and lane the left-to-right sum of its products, the
/// scalar loop below computes it independently, on every vector width this machine runs (so the bits are the same on
/// every machine); ToLanes turns samples into lanes and zeroes the lanes past the last sample.
/// </summary>
public sealed class LaneKernelsTests
{
    private static readonly int[] Inputs = [1, 2, 3, 7, 8, 9, 16, 31, 64, 130, 784];
    private static readonly int[] Units = [1, 2, 3, 4, 5, 7, 8, 9, 17];
    private static readonly int[] LaneCounts = [1, 2, 3, 4, 8, 16];

    [Theory]
    [MemberData(nameof(KernelsTests.Widths), MemberType = typeof(KernelsTests))]
    public void DotLanes_is_the_left_to_right_sum_of_each_lane_bit_for_bit(int bits)
    {
        int compared = Compare<float>(bits, new Random(bits + 11)) + Compare<double>(bits, new Random(bits + 12));
        Assert.True(compared > 40_000, $"only {compared} sums compared");
    }

    [Fact]
    public void ToLanes_puts_value_i_of_sample_k_at_i_times_lanes_plus_k_and_zeroes_the_rest()
    {
        // Two samples of three values into four lanes.
        float[] rows = [1, 2, 3, 4, 5, 6];
        float[] lanes = new float[12];
        lanes.AsSpan().Fill(99);

        Kernels.ToLanes<float>(rows, lanes, 4);

        Assert.Equal([1, 4, 0, 0, 2, 5, 0, 0, 3, 6, 0, 0], lanes);

        // A full block leaves no lane to clear.
        float[] full = new float[6];
        Kernels.ToLanes<float>(rows, full, 2);
        Assert.Equal([1, 4, 2, 5, 3, 6], full);
    }

    [Fact]
    public void The_lane_kernels_refuse_lengths_that_do_not_fit()
    {
        Assert.Throws<ArgumentException>("rows", () => Kernels.ToLanes<float>(new float[7], new float[12], 4));
        Assert.Throws<ArgumentException>("rows", () => Kernels.ToLanes<float>(new float[15], new float[12], 4));
        Assert.Throws<ArgumentOutOfRangeException>("laneCount", () => Kernels.ToLanes<float>(new float[3], new float[12], 0));
        Assert.Throws<ArgumentException>("sums", () => Kernels.DotLanes<float>(new float[6], new float[24], new float[15], 3));
        Assert.Throws<ArgumentException>("sums", () => Kernels.DotLanes<float>(new float[7], new float[24], new float[16], 3));
        Assert.Throws<ArgumentException>("sums", () => Kernels.DotLanes<float>(new float[6], new float[25], new float[16], 3));
        Assert.Throws<ArgumentOutOfRangeException>("inputs", () => Kernels.DotLanes<float>(new float[6], new float[24], new float[16], 0));
    }

    private static int Compare<T>(int bits, Random random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int compared = 0;
        foreach (int n in Inputs)
        {
            foreach (int units in Units)
            {
                foreach (int lanes in LaneCounts)
                {
                    T[] weights = TestData.Array<T>(units * n, random, -2, 2);
                    T[] values = TestData.Array<T>(n * lanes, random, -2, 2);
                    T[] sums = new T[units * lanes];
                    TestData.FillSentinel<T>(sums);

                    Kernels.DotLanes<T>(weights, values, sums, n, bits);

                    for (int j = 0; j < units; j++)
                    {
                        for (int k = 0; k < lanes; k++)
                        {
                            T expected = T.Zero;
                            for (int i = 0; i < n; i++)
                            {
                                expected += weights[(j * n) + i] * values[(i * lanes) + k];
                            }

                            Bits.Equal(expected, sums[(j * lanes) + k], $"{typeof(T).Name}, {bits} bits, {units} x {n}, {lanes} lanes: node {j}, lane {k}");
                            compared++;
                        }
                    }
                }
            }
        }

        return compared;
    }
}
