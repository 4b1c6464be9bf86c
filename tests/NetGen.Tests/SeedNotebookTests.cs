using System;

namespace NetGen.Tests;

/// <summary>
/// The seed notebook's numbers, reproduced by networks generated at build time, in double precision,
/// each within 1e-12.
/// </summary>
public sealed class SeedNotebookTests
{
    private const double Tolerance = 1e-12;

    private static void Near(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance, $"{what}: expected {expected:R}, actual {actual:R}");

    private static void Near(double[] expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Near(expected[i], actual[i], $"{what}[{i}]");
        }
    }

    [Fact]
    public void Example1_TwoTwoOne_prediction_9_error_6_then_prediction_3_error_0()
    {
        var network = new SeedTwoTwoOne();
        new double[] { 2, 1, 1, 2, 1, 1 }.CopyTo(network.Parameters);
        double[] output = new double[1];
        network.Forward([0, 3], output);
        Near(9, output[0], "prediction");
        Near(6, output[0] - 3, "error");
        Near(9, network.Predict(0, 3), "Predict");
        Near(36, network.Loss([0, 3], [3]), "loss = error^2");

        new double[] { 2, 1, 1, 1, 0.5, 0.5 }.CopyTo(network.Parameters);
        network.Forward([0, 3], output);
        Near(3, output[0], "prediction with the second weights");
        Near(0, output[0] - 3, "error with the second weights");
        Near(0, network.Loss([0, 3], [3]), "loss with the second weights");
    }

    [Fact]
    public void Example2_ThreeToOne_prediction_7_gradient_14_28_42_step_to_5_04()
    {
        var network = new SeedThreeToOne();
        new double[] { 0, 2, 1 }.CopyTo(network.Parameters);
        Near(7, network.Predict(1, 2, 3), "prediction");

        network.ZeroGradients();
        double loss = network.Backward([1, 2, 3], [0]);
        Near(49, loss, "loss");
        Near([14, 28, 42], network.Gradients, "gradient");

        double before = network.TrainStep([1, 2, 3], [0], 0.01);
        Near(49, before, "TrainStep's loss before the step");
        Near([-0.14, 1.72, 0.58], network.Parameters, "parameters after one step");
        Near(5.04, network.Predict(1, 2, 3), "prediction after one step");
    }

    [Fact]
    public void Example2_the_same_step_through_Backward_and_Sgd()
    {
        var network = new SeedThreeToOne();
        new double[] { 0, 2, 1 }.CopyTo(network.Parameters);
        network.ZeroGradients();
        network.Backward([1, 2, 3], [0]);
        Sgd.Step(network.Parameters, network.Gradients, 0.01);
        Near([-0.14, 1.72, 0.58], network.Parameters, "parameters after one step");
        Near(5.04, network.Predict(1, 2, 3), "prediction after one step");
    }

    [Fact]
    public void Example3_OneWeight_error_minus_4_gradient_minus_24_weight_2_24()
    {
        var network = new SeedOneWeight();
        network.Parameters[0] = 2;
        Near(-4, network.Predict(3) - 10, "error");

        network.ZeroGradients();
        network.Backward([3], [10]);
        Near(-24, network.Gradients[0], "gradient");

        network.TrainStep([3], [10], 0.01);
        Near(2.24, network.Parameters[0], "weight after one step");
    }

    [Fact]
    public void Example4_backpropagation_hidden_1_and_3_error_3_gradients()
    {
        var network = new SeedReLUNet();
        double[] parameters = [1, 0, 0, 1, 1, 2];

        // The hidden values, read through the public API: with output weights [1, 0] the prediction is the
        // first hidden value, with [0, 1] the second.
        parameters.CopyTo(network.Parameters);
        network.Parameters[4] = 1;
        network.Parameters[5] = 0;
        Near(1, network.Predict(1, 3), "hidden value 1");
        network.Parameters[4] = 0;
        network.Parameters[5] = 1;
        Near(3, network.Predict(1, 3), "hidden value 2");

        parameters.CopyTo(network.Parameters);
        Near(3, network.Predict(1, 3) - 4, "error");
        network.ZeroGradients();
        double loss = network.Backward([1, 3], [4]);
        Near(9, loss, "loss");
        Near([6, 18, 12, 36, 6, 18], network.Gradients, "gradients: first layer [6,18, 12,36], output weights [6, 18]");
    }

    [Fact]
    public void Example4_a_hidden_node_with_negative_input_passes_back_zero()
    {
        var network = new SeedReLUNet();

        // The second hidden node's input is 0 * 1 + (-1) * 3 = -3: its output is 0, and no slope goes back through it.
        new double[] { 1, 0, 0, -1, 1, 2 }.CopyTo(network.Parameters);
        Near(1, network.Predict(1, 3), "prediction (only the first hidden node contributes)");
        network.ZeroGradients();
        network.Backward([1, 3], [4]);

        // Error -3, slope of the loss -6: the first node gets -6 * 1, the blocked node nothing.
        Near([-6, -18, 0, 0, -6, 0], network.Gradients, "gradients");
        Assert.Equal(0.0, network.Gradients[2]);
        Assert.Equal(0.0, network.Gradients[3]);
    }

    [Fact]
    public void Example4_a_hidden_node_with_input_exactly_zero_passes_back_zero_as_PyTorch_does()
    {
        var network = new SeedReLUNet();
        new double[] { 1, 0, 0, 0, 1, 2 }.CopyTo(network.Parameters);
        network.ZeroGradients();
        network.Backward([1, 3], [4]);
        Near([-6, -18, 0, 0, -6, 0], network.Gradients, "gradients");
    }
}
