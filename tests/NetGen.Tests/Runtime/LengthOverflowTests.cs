using System;

namespace NetGen.Tests.Runtime;

/// <summary>
/// Length checks whose product of two lengths would wrap in 32 bits. 65,536 × 65,536 is 2^32, which wraps to 0, and
/// 65,536 × 65,537 is 2^32 + 65,536, which wraps to 65,536: a check done in 32 bits then accepts spans far too short,
/// and a kernel that reads through refs reads past them. Each case here costs a few hundred kilobytes.
/// </summary>
public sealed class LengthOverflowTests
{
    private const int Big = 65_536;

    [Theory]
    [InlineData(Big, 0)]
    [InlineData(Big + 1, Big)]
    public void DotRows_whose_row_count_times_width_wraps_throws_ArgumentException(int width, int rowsLength)
    {
        // sums.Length * w.Length is 2^32 (+ 65,536): the rows needed are 2^32 values or more, never rowsLength.
        float[] w = new float[width];
        float[] rows = new float[rowsLength];
        float[] sums = new float[Big];

        Assert.Throws<ArgumentException>(() => Kernels.DotRows<float>(w, rows, sums));
        Assert.All(sums, s => Assert.Equal(0f, s));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void DotRows_at_every_width_refuses_a_wrapped_product(int bits)
    {
        double[] w = new double[Big];
        double[] sums = new double[Big];
        Assert.Throws<ArgumentException>(() => Kernels.DotRows<double>(w, ReadOnlySpan<double>.Empty, sums, bits));
    }

    [Fact]
    public void BatchSize_whose_samples_times_outputs_wraps_refuses_the_targets()
    {
        // 65,536 samples of 1 input need 65,536 × 65,536 = 2^32 target values: 0 or 65,536 targets are wrong.
        ArgumentException none = Assert.Throws<ArgumentException>(() => Guard.BatchSize(Big, 1, 0, Big));
        Assert.Equal("targets", none.ParamName);
        Assert.Contains("4294967296", none.Message);
        Assert.Equal("targets", Assert.Throws<ArgumentException>(() => Guard.BatchSize(Big, 1, Big, Big + 1)).ParamName);
    }

    [Fact]
    public void OneHot_whose_labels_times_classes_does_not_fit_an_int_throws_the_documented_exceptions()
    {
        // 65,536 labels of 65,536 classes would be 2^32 values: no array holds them and no span has that length.
        int[] labels = new int[Big];

        Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode<float>(labels, Big));
        float[] destination = new float[Big];
        Assert.Throws<ArgumentException>(() => OneHot.Encode<float>(labels, Big + 1, destination));
        Assert.All(destination, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(10, 4, 3)]
    [InlineData(12, 4, 3)]
    [InlineData(int.MaxValue, 1, int.MaxValue)]
    [InlineData(int.MaxValue, 2, 1_073_741_824)]
    [InlineData(int.MaxValue, int.MaxValue, 1)]
    [InlineData(int.MaxValue - 1, int.MaxValue, 1)]
    public void Trainer_counts_batches_as_the_ceiling_of_samples_over_batch_size_without_wrapping(int samples, int batchSize, int expected)
    {
        // ceil(n / b), computed in arbitrary precision from its definition: (n + b - 1) / b as 64-bit integers.
        Assert.Equal((int)(((long)samples + batchSize - 1) / batchSize), expected);
        Assert.Equal(expected, Trainer.BatchCount(samples, batchSize));
    }
}
