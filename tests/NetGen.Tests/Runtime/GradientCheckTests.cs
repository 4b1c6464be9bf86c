using System;
using System.Numerics;
using NetGen.Tests.Support;

namespace NetGen.Tests.Runtime;

/// <summary>
/// GradientCheck.Run against a hand-written network whose Backward can be made wrong by a known amount at a known
/// index: the check must report that index and that error, and leave the parameters bit for bit as they were.
/// </summary>
public sealed class GradientCheckTests
{
    private static readonly double[] SampleInput = [0.5, -1.25, 2.0, 0.0];
    private static readonly double[] SampleParameters = [0.1, 1.0 / 3, -1e-7, 0.7, -0.2];

    [Fact]
    public void A_correct_backward_passes_with_a_tiny_error()
    {
        // Double, h = 1e-6: truncation h^2/6 * |f'''| ~ 1e-13, rounding ~ eps * L / h ~ 1e-10, on slopes of size
        // 0.1 to 1: relative errors near 1e-9. 1e-7 leaves a margin and is still far below any real mistake.
        var network = TanhUnit<double>.Create(SampleParameters);
        GradientCheckResult result = GradientCheck.Run<TanhUnit<double>, double>(network, SampleInput, [0.25], 1e-6);
        Assert.True(result.WorstRelativeError < 1e-7, result.ToString());
        Assert.Equal(5, result.ParametersChecked);
        Assert.InRange(result.WorstIndex, 0, 4);
    }

    [Theory]
    [InlineData(0, 1e-3)]
    [InlineData(2, -0.05)]
    [InlineData(4, 0.5)]
    public void A_gradient_off_by_a_known_amount_is_found_at_its_index(int index, double offset)
    {
        var correct = TanhUnit<double>.Create(SampleParameters);
        correct.ZeroGradients();
        correct.Backward(SampleInput, [0.25]);
        double trueSlope = correct.Gradients[index];

        var wrong = TanhUnit<double>.Create(SampleParameters);
        wrong.WrongIndex = index;
        wrong.WrongBy = offset;
        GradientCheckResult result = GradientCheck.Run<TanhUnit<double>, double>(wrong, SampleInput, [0.25], 1e-6);

        Assert.Equal(index, result.WorstIndex);
        Assert.Equal(trueSlope + offset, result.Analytic, 1e-15);
        Assert.True(Math.Abs(result.Numeric - trueSlope) < 1e-8, $"numeric {result.Numeric:R}, true {trueSlope:R}");
        double expectedError = Math.Abs(offset) / Math.Max(Math.Abs(trueSlope + offset), Math.Abs(trueSlope));
        Assert.True(Math.Abs(result.WorstRelativeError - expectedError) <= 1e-6 * expectedError, $"{result}; expected error {expectedError:R}");
    }

    [Fact]
    public void Parameters_are_restored_bit_for_bit_and_each_was_perturbed_both_ways()
    {
        // 3e-7 and -1e-7 are values where (p + h) - h, or (p - h) + h, is not p: restoring by arithmetic would show.
        double[] parameters = [0.1, 3e-7, -1e-7, 12345.678, -0.2];
        Assert.NotEqual(parameters[1], (parameters[1] + 1e-6) - 1e-6);
        Assert.NotEqual(parameters[2], (parameters[2] - 1e-6) + 1e-6);
        var network = TanhUnit<double>.Create(parameters);
        GradientCheck.Run<TanhUnit<double>, double>(network, SampleInput, [0.25], 1e-6);
        Bits.Equal<double>(parameters, network.Parameters, "parameters after the check");

        // Each Loss call saw one parameter moved up or down by h, the others as they were.
        Assert.Equal(2 * parameters.Length, network.LossCalls);
        for (int i = 0; i < parameters.Length; i++)
        {
            Assert.Equal(1, network.SawAbove[i]);
            Assert.Equal(1, network.SawBelow[i]);
        }
    }

    [Fact]
    public void Gradients_are_left_holding_the_sample_gradient()
    {
        var network = TanhUnit<double>.Create(SampleParameters);
        TestData.FillSentinel(network.Gradients);
        GradientCheck.Run<TanhUnit<double>, double>(network, SampleInput, [0.25], 1e-6);
        var reference = TanhUnit<double>.Create(SampleParameters);
        reference.ZeroGradients();
        reference.Backward(SampleInput, [0.25]);
        Bits.Equal<double>(reference.Gradients, network.Gradients, "gradients after the check");
    }

    [Fact]
    public void The_floor_bounds_the_relative_error_of_slopes_that_are_zero()
    {
        // Input 3 is 0: weight 3's slope is exactly 0 both ways, and counts as no error.
        var exact = TanhUnit<double>.Create(SampleParameters);
        exact.WrongIndex = 3;
        exact.WrongBy = 1e-12;

        // Off by 1e-12 where the true slope is 0: relative to the floor, 1e-12 / 1e-8 = 1e-4 with the default floor,
        // 1e-12 / 1e-3 = 1e-9 with floor 1e-3.
        GradientCheckResult byDefault = GradientCheck.Run<TanhUnit<double>, double>(exact, SampleInput, [0.25], 1e-6);
        Assert.Equal(3, byDefault.WorstIndex);
        Assert.Equal(1e-4, byDefault.WorstRelativeError, 1e-12);
        GradientCheckResult floored = GradientCheck.Run<TanhUnit<double>, double>(exact, SampleInput, [0.25], 1e-6, floor: 1e-3);
        Assert.True(floored.WorstRelativeError < 1e-7, floored.ToString());
    }

    [Fact]
    public void A_NaN_gradient_is_reported()
    {
        var network = TanhUnit<double>.Create(SampleParameters);
        network.WrongIndex = 1;
        network.WrongBy = double.NaN;
        GradientCheckResult result = GradientCheck.Run<TanhUnit<double>, double>(network, SampleInput, [0.25], 1e-6);
        Assert.True(double.IsNaN(result.WorstRelativeError), result.ToString());
        Assert.Equal(1, result.WorstIndex);
        Bits.Equal<double>(SampleParameters, network.Parameters, "parameters after the check");
    }

    [Fact]
    public void Works_in_float_and_finds_a_wrong_float_gradient()
    {
        // Float, h = 1e-3: rounding ~ 1.2e-7 * L / h ~ 1e-4 relative to slopes near 1, so the right gradient
        // passes 1e-2, and a gradient off by 0.5 (about 20% of that slope, -2.25) does not.
        float[] parameters = Array.ConvertAll(SampleParameters, p => (float)p);
        float[] input = Array.ConvertAll(SampleInput, x => (float)x);
        var network = TanhUnit<float>.Create(parameters);
        GradientCheckResult result = GradientCheck.Run<TanhUnit<float>, float>(network, input, [0.25f], 1e-3f);
        Assert.True(result.WorstRelativeError < 1e-2, result.ToString());
        Bits.Equal<float>(parameters, network.Parameters, "float parameters after the check");

        network.WrongIndex = 2;
        network.WrongBy = 0.5f;
        result = GradientCheck.Run<TanhUnit<float>, float>(network, input, [0.25f], 1e-3f);
        Assert.Equal(2, result.WorstIndex);
        Assert.True(result.WorstRelativeError > 0.1, result.ToString());
    }

    [Fact]
    public void Works_on_a_generated_network()
    {
        // MixedDouble: every activation, biases and none. Double, h = 1e-6; see RandomTopologyTests for the
        // tolerance's reasoning. Kinks of ReLU / LeakyReLU: with this seed no pre-activation lies within 1e-3 of 0.
        var network = new MixedDouble();
        var random = new Random(8);
        TestData.RandomizeParameters(network, random, 0.8);
        double[] input = TestData.Array<double>(4, random);
        var z = new System.Collections.Generic.List<double[]>();
        ReferenceNetwork.Forward(NetworkCatalog.Get("MixedDouble"), network.Parameters, input, z);
        foreach (double[] layer in z)
        {
            foreach (double value in layer)
            {
                Assert.True(Math.Abs(value) > 1e-3, $"pre-activation {value} near a kink: choose another seed");
            }
        }

        GradientCheckResult result = GradientCheck.Run<MixedDouble, double>(network, input, [0.3, -0.6], 1e-6, floor: 1e-4);
        Assert.True(result.WorstRelativeError < 1e-6, result.ToString());
    }

    [Fact]
    public void Refuses_a_step_that_is_not_positive_and_a_null_network()
    {
        var network = TanhUnit<double>.Create(SampleParameters);
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Run<TanhUnit<double>, double>(network, SampleInput, [0.25], 0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Run<TanhUnit<double>, double>(network, SampleInput, [0.25], -1e-6));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientCheck.Run<TanhUnit<double>, double>(network, SampleInput, [0.25], double.NaN));
        Assert.Throws<ArgumentNullException>(() => GradientCheck.Run<TanhUnit<double>, double>(null!, SampleInput, [0.25], 1e-6));
    }

    /// <summary>
    /// A hand-written network: 4 inputs, y = tanh(w · x + b), loss (y - t)^2. Its Backward can be made wrong by
    /// <see cref="WrongBy"/> at <see cref="WrongIndex"/>; its Loss records which parameters it saw moved.
    /// </summary>
    private sealed class TanhUnit<T> : INetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T[] _parameters = new T[5];
        private readonly T[] _gradients = new T[5];
        private T[] _original = new T[5];

        public int WrongIndex { get; set; } = -1;

        public T WrongBy { get; set; }

        public int LossCalls { get; private set; }

        public int[] SawAbove { get; } = new int[5];

        public int[] SawBelow { get; } = new int[5];

        public int InputCount => 4;

        public int OutputCount => 1;

        public string Topology => "hand-written tanh unit";

        public Span<T> Parameters => _parameters;

        public Span<T> Gradients => _gradients;

        public static TanhUnit<T> Create(ReadOnlySpan<T> parameters)
        {
            var network = new TanhUnit<T>();
            parameters.CopyTo(network._parameters);
            network._original = parameters.ToArray();
            return network;
        }

        public static TanhUnit<T> Create(double[] parameters) =>
            Create(Array.ConvertAll(parameters, p => T.CreateChecked(p)));

        public void Forward(ReadOnlySpan<T> input, Span<T> output) => output[0] = Output(input);

        public T Loss(ReadOnlySpan<T> input, ReadOnlySpan<T> target)
        {
            LossCalls++;
            int moved = 0;
            for (int i = 0; i < 5; i++)
            {
                if (_parameters[i] > _original[i])
                {
                    SawAbove[i]++;
                    moved++;
                }
                else if (_parameters[i] < _original[i])
                {
                    SawBelow[i]++;
                    moved++;
                }
            }

            Assert.Equal(1, moved);
            T e = Output(input) - target[0];
            return e * e;
        }

        public T Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> target)
        {
            T y = Output(input);
            T e = y - target[0];
            T dz = T.CreateChecked(2) * e * (T.One - (y * y));
            for (int i = 0; i < 4; i++)
            {
                _gradients[i] += dz * input[i];
            }

            _gradients[4] += dz;
            if (WrongIndex >= 0)
            {
                _gradients[WrongIndex] += WrongBy;
            }

            return e * e;
        }

        public void ZeroGradients() => Array.Clear(_gradients);

        public T TrainStep(ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate) => throw new NotSupportedException();

        public T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, T learningRate) => throw new NotSupportedException();

        public void InitializeParameters(int seed) => throw new NotSupportedException();

        private T Output(ReadOnlySpan<T> input)
        {
            T z = _parameters[4];
            for (int i = 0; i < 4; i++)
            {
                z += _parameters[i] * input[i];
            }

            return T.Tanh(z);
        }
    }
}
