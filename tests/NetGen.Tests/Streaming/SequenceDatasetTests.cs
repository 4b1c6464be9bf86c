using System;
using System.Linq;
using Xunit;

namespace NetGen.Tests.Streaming;

/// <summary>
/// SequenceDataset: the windows FromRecording cuts (offsets, overlap, gaps, the dropped tail), the constructor's and
/// Split's layout, and the argument checks, with every expected value written out by hand from the definitions.
/// </summary>
public sealed class SequenceDatasetTests
{
    /// <summary>A recording whose values name their step: input channel c of step s is 10 s + c, the target of step s is -s.</summary>
    private static (double[] Inputs, double[] Targets) Recording(int steps)
    {
        double[] inputs = Enumerable.Range(0, steps).SelectMany(s => new double[] { 10 * s, (10 * s) + 1 }).ToArray();
        double[] targets = Enumerable.Range(0, steps).Select(s => (double)-s).ToArray();
        return (inputs, targets);
    }

    /// <summary>The step numbers a window holds, read back from its values, checked against its targets.</summary>
    private static int[] StepsOf(SequenceDataset<double> data, int window)
    {
        double[] inputs = data.Inputs(window).ToArray();
        double[] targets = data.Targets(window).ToArray();
        Assert.Equal(data.Steps * 2, inputs.Length);
        Assert.Equal(data.Steps, targets.Length);
        int[] steps = new int[data.Steps];
        for (int t = 0; t < data.Steps; t++)
        {
            steps[t] = (int)(inputs[2 * t] / 10);
            Assert.Equal((10 * steps[t]) + 1, inputs[(2 * t) + 1]);
            Assert.Equal(-steps[t], targets[t]);
        }

        return steps;
    }

    [Fact]
    public void FromRecording_starts_a_window_every_hop_steps_and_drops_the_tail()
    {
        // 11 steps, windows of 4 every 3 steps: starts 0, 3, 6 (ends 3, 6, 9); a window at 9 would need steps 9..12,
        // so step 10 is dropped: (11 - 4) / 3 + 1 = 3 windows.
        (double[] x, double[] y) = Recording(11);
        var data = SequenceDataset<double>.FromRecording(x, y, inputCount: 2, outputCount: 1, windowSteps: 4, hopSteps: 3);

        Assert.Equal((3, 4, 2, 1), (data.Count, data.Steps, data.InputCount, data.OutputCount));
        Assert.Equal([0, 1, 2, 3], StepsOf(data, 0));
        Assert.Equal([3, 4, 5, 6], StepsOf(data, 1));
        Assert.Equal([6, 7, 8, 9], StepsOf(data, 2));
    }

    [Fact]
    public void FromRecording_with_a_hop_of_one_gives_every_overlapping_window()
    {
        (double[] x, double[] y) = Recording(5);
        var data = SequenceDataset<double>.FromRecording(x, y, 2, 1, windowSteps: 3, hopSteps: 1);

        Assert.Equal(3, data.Count);
        Assert.Equal([0, 1, 2], StepsOf(data, 0));
        Assert.Equal([1, 2, 3], StepsOf(data, 1));
        Assert.Equal([2, 3, 4], StepsOf(data, 2));
    }

    [Fact]
    public void FromRecording_that_fits_exactly_drops_nothing_and_a_hop_longer_than_the_window_skips_steps()
    {
        (double[] x, double[] y) = Recording(12);
        var exact = SequenceDataset<double>.FromRecording(x, y, 2, 1, windowSteps: 4, hopSteps: 4);
        Assert.Equal(3, exact.Count);
        Assert.Equal([8, 9, 10, 11], StepsOf(exact, 2));

        // Windows of 2 every 5 steps: starts 0, 5, 10 (10 + 2 = 12 fits); steps 2-4 and 7-9 are in no window.
        var gaps = SequenceDataset<double>.FromRecording(x, y, 2, 1, windowSteps: 2, hopSteps: 5);
        Assert.Equal(3, gaps.Count);
        Assert.Equal([0, 1], StepsOf(gaps, 0));
        Assert.Equal([5, 6], StepsOf(gaps, 1));
        Assert.Equal([10, 11], StepsOf(gaps, 2));

        // A recording of exactly one window.
        var one = SequenceDataset<double>.FromRecording(x, y, 2, 1, windowSteps: 12, hopSteps: 7);
        Assert.Equal(1, one.Count);
        Assert.Equal(Enumerable.Range(0, 12).ToArray(), StepsOf(one, 0));
    }

    [Fact]
    public void FromRecording_copies_so_that_later_changes_to_the_recording_do_not_show()
    {
        (double[] x, double[] y) = Recording(6);
        var data = SequenceDataset<double>.FromRecording(x, y, 2, 1, windowSteps: 3, hopSteps: 2);
        x.AsSpan().Fill(double.NaN);
        y.AsSpan().Fill(double.NaN);

        Assert.Equal(2, data.Count);
        Assert.Equal([0, 1, 2], StepsOf(data, 0));
        Assert.Equal([2, 3, 4], StepsOf(data, 1));
    }

    [Fact]
    public void FromRecording_rejects_bad_arguments_with_the_parameter_named()
    {
        (double[] x, double[] y) = Recording(10);
        Assert.Equal("inputCount", Assert.Throws<ArgumentOutOfRangeException>(() => SequenceDataset<double>.FromRecording(x, y, 0, 1, 4, 1)).ParamName);
        Assert.Equal("outputCount", Assert.Throws<ArgumentOutOfRangeException>(() => SequenceDataset<double>.FromRecording(x, y, 2, 0, 4, 1)).ParamName);
        Assert.Equal("windowSteps", Assert.Throws<ArgumentOutOfRangeException>(() => SequenceDataset<double>.FromRecording(x, y, 2, 1, 0, 1)).ParamName);
        Assert.Equal("hopSteps", Assert.Throws<ArgumentOutOfRangeException>(() => SequenceDataset<double>.FromRecording(x, y, 2, 1, 4, 0)).ParamName);

        // 20 input values are not whole steps of 3; 10 steps need 10 targets, not 9; 10 steps hold no window of 11.
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => SequenceDataset<double>.FromRecording(x, y, 3, 1, 4, 1)).ParamName);
        ArgumentException targets = Assert.Throws<ArgumentException>(() => SequenceDataset<double>.FromRecording(x, y.AsSpan(0, 9), 2, 1, 4, 1));
        Assert.Equal("targets", targets.ParamName);
        Assert.Contains("10 steps", targets.Message);
        ArgumentException tooShort = Assert.Throws<ArgumentException>(() => SequenceDataset<double>.FromRecording(x, y, 2, 1, 11, 1));
        Assert.Equal("windowSteps", tooShort.ParamName);
        Assert.Contains("fewer than one window of 11", tooShort.Message);
    }

    [Fact]
    public void FromRecording_refuses_windows_that_would_not_fit_in_an_array_before_allocating_them()
    {
        // 100,000 steps in windows of 50,000 every step: 50,001 windows of 50,000 values, 2,500,050,000 in all, more
        // than an array holds (and past int.MaxValue, where 32-bit sizes would wrap to a small, wrong length).
        var x = new float[100_000];
        var y = new float[100_000];
        long before = GC.GetAllocatedBytesForCurrentThread();
        ArgumentException e = Assert.Throws<ArgumentException>(() => SequenceDataset<float>.FromRecording(x, y, 1, 1, 50_000, 1));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal("hopSteps", e.ParamName);
        Assert.Contains("2500050000", e.Message);
        Assert.True(allocated < 100_000, $"{allocated} bytes allocated before refusing");
    }

    [Fact]
    public void The_constructor_wraps_windows_laid_out_one_after_another()
    {
        // 3 windows of 2 steps, 2 inputs and 1 target a step.
        double[] inputs = [1, 2, 3, 4, /**/ 5, 6, 7, 8, /**/ 9, 10, 11, 12];
        double[] targets = [-1, -2, /**/ -3, -4, /**/ -5, -6];
        var data = new SequenceDataset<double>(inputs, targets, steps: 2, inputCount: 2, outputCount: 1);

        Assert.Equal((3, 2, 2, 1), (data.Count, data.Steps, data.InputCount, data.OutputCount));
        Assert.Equal([5.0, 6, 7, 8], data.Inputs(1).ToArray());
        Assert.Equal([-5.0, -6], data.Targets(2).ToArray());
        Assert.Equal("window", Assert.Throws<ArgumentOutOfRangeException>(() => data.Inputs(3)).ParamName);
        Assert.Equal("window", Assert.Throws<ArgumentOutOfRangeException>(() => data.Targets(-1)).ParamName);

        var empty = new SequenceDataset<double>([], [], 5, 2, 1);
        Assert.Equal(0, empty.Count);
    }

    [Fact]
    public void The_constructor_checks_whole_windows_in_64_bits()
    {
        Assert.Throws<ArgumentNullException>("inputs", () => new SequenceDataset<float>(null!, [], 1, 1, 1));
        Assert.Throws<ArgumentNullException>("targets", () => new SequenceDataset<float>([], null!, 1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>("steps", () => new SequenceDataset<float>([], [], 0, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>("inputCount", () => new SequenceDataset<float>([], [], 1, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>("outputCount", () => new SequenceDataset<float>([], [], 1, 1, 0));

        // 10 inputs are not whole windows of 2 steps of 2 values; 2 windows of 2 steps need 4 targets, not 3.
        Assert.Throws<ArgumentException>("inputs", () => new SequenceDataset<float>(new float[10], new float[5], 2, 2, 1));
        ArgumentException targets = Assert.Throws<ArgumentException>("targets", () => new SequenceDataset<float>(new float[8], new float[3], 2, 2, 1));
        Assert.Contains("length 4", targets.Message);

        // A window of 2^20 steps of 2^12 values is 2^32 values: in 32 bits that wraps to 0 (a division by zero) and
        // 8 values would pass as whole windows. In 64 bits it is simply not whole windows.
        ArgumentException wrapped = Assert.Throws<ArgumentException>("inputs", () => new SequenceDataset<float>(new float[8], new float[8], 1 << 20, 1 << 12, 1));
        Assert.Contains("4294967296", wrapped.Message);

        // Targets of 2^20 steps of 2^12 values a window, for one window of 2^20 single inputs: 2^32 targets, which
        // wraps to 0 in 32 bits and would match an empty array.
        ArgumentException wrappedTargets = Assert.Throws<ArgumentException>("targets", () => new SequenceDataset<float>(new float[1 << 20], [], 1 << 20, 1, 1 << 12));
        Assert.Contains("4294967296", wrappedTargets.Message);
    }

    [Fact]
    public void Split_keeps_the_windows_in_order_and_rounds_halves_up()
    {
        (double[] x, double[] y) = Recording(7);
        var data = SequenceDataset<double>.FromRecording(x, y, 2, 1, windowSteps: 1, hopSteps: 1);

        // 7 windows x 0.5 = 3.5, rounded up: the first 4 windows, then the last 3.
        (SequenceDataset<double> first, SequenceDataset<double> second) = data.Split(0.5);
        Assert.Equal((4, 3), (first.Count, second.Count));
        Assert.Equal([0, 1, 2, 3], Enumerable.Range(0, 4).Select(w => StepsOf(first, w)[0]).ToArray());
        Assert.Equal([4, 5, 6], Enumerable.Range(0, 3).Select(w => StepsOf(second, w)[0]).ToArray());
        Assert.Equal((1, 2, 1), (second.Steps, second.InputCount, second.OutputCount));

        // 7 x 0.8 = 5.6: 6 and 1.
        (first, second) = data.Split(0.8);
        Assert.Equal((6, 1), (first.Count, second.Count));
        Assert.Equal([6], StepsOf(second, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => second.Inputs(1));
    }

    [Fact]
    public void Split_rejects_fractions_that_leave_a_part_empty()
    {
        (double[] x, double[] y) = Recording(4);
        var data = SequenceDataset<double>.FromRecording(x, y, 2, 1, 1, 1);
        foreach (double fraction in new[] { 0.0, 1.0, -0.5, 1.5, double.NaN })
        {
            Assert.Equal("firstFraction", Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(fraction)).ParamName);
        }

        // 4 x 0.1 = 0.4 rounds to 0 windows; 4 x 0.9 = 3.6 rounds to all 4.
        Assert.Equal("firstFraction", Assert.Throws<ArgumentException>(() => data.Split(0.1)).ParamName);
        Assert.Equal("firstFraction", Assert.Throws<ArgumentException>(() => data.Split(0.9)).ParamName);
    }
}
