using System;
using NetGen;

namespace NetGen.Tests.Reliability;

/// <summary>Checked: inputs, each layer's values and the loss must be finite (unrolled form).</summary>
[Network(3, CheckFinite = true)]
[Dense(4, Activation.Tanh)]
[Dense(2)]
public partial class CheckedUnrolled;

/// <summary>The same checks in the looped form, with a softmax output.</summary>
[Network<double>(3, Loss = NetGen.LossFunction.CrossEntropy, CheckFinite = true, Code = CodeShape.Loops)]
[Dense(4, Activation.ReLU)]
[Dense(2, Activation.Softmax)]
public partial class CheckedLoops;

/// <summary>No checks: NaN flows through, as IEEE arithmetic says.</summary>
[Network(3)]
[Dense(4, Activation.Tanh)]
[Dense(2)]
public partial class Unchecked;

/// <summary>
/// CheckFinite = true: the generated code throws NonFiniteValueException at the first NaN or infinity, naming the
/// member, layer and node, before any parameter or gradient is written. Without it there is no check at all.
/// </summary>
public sealed class CheckFiniteTests
{
    [Fact]
    public void NaN_input_is_reported_as_that_input_by_every_member()
    {
        var net = new CheckedUnrolled();
        float[] input = [0.5f, float.NaN, 1f], target = [0, 0], output = new float[2];

        NonFiniteValueException forward = Assert.Throws<NonFiniteValueException>(() => net.Forward(input, output));
        Assert.Equal(("Forward", 0, 1), (forward.Member, forward.Layer, forward.Node));
        Assert.True(double.IsNaN(forward.Value));
        Assert.Contains("input 1 is NaN", forward.Message, StringComparison.Ordinal);

        Assert.Equal("Loss", Assert.Throws<NonFiniteValueException>(() => net.Loss(input, target)).Member);
        Assert.Equal("Backward", Assert.Throws<NonFiniteValueException>(() => net.Backward(input, target)).Member);
        Assert.Equal("TrainStep", Assert.Throws<NonFiniteValueException>(() => net.TrainStep(input, target, 0.1f)).Member);
    }

    [Fact]
    public void A_layer_that_overflows_is_named_and_nothing_is_written()
    {
        var net = new CheckedLoops();
        // Weights so large that layer 1's sums overflow to infinity for an ordinary input.
        net.Parameters[..12].Fill(double.MaxValue);
        net.Gradients.Fill(7);
        double[] parameters = net.Parameters.ToArray();
        double[] gradients = net.Gradients.ToArray();

        NonFiniteValueException backward = Assert.Throws<NonFiniteValueException>(() => net.Backward([1, 1, 1], [1, 0]));
        Assert.Equal(("Backward", 1, 0), (backward.Member, backward.Layer, backward.Node));
        Assert.True(double.IsPositiveInfinity(backward.Value));
        Assert.Contains("node 0 of layer 1", backward.Message, StringComparison.Ordinal);

        Assert.Throws<NonFiniteValueException>(() => net.TrainStep([1, 1, 1], [1, 0], 0.1));
        Assert.Equal(parameters, net.Parameters.ToArray());
        Assert.Equal(gradients, net.Gradients.ToArray());
    }

    [Fact]
    public void TrainBatch_names_itself_and_the_sample_and_leaves_parameters_and_gradients_as_they_were()
    {
        var net = new CheckedUnrolled();
        net.Gradients.Fill(7);
        float[] parameters = net.Parameters.ToArray();
        float[] gradients = net.Gradients.ToArray();

        // Sample 0 is fine; sample 1's input 2 is NaN; sample 2 would be fine too.
        float[] inputs = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, float.NaN, 0.7f, 0.8f, 0.9f];
        float[] targets = [0, 1, 1, 0, 0.5f, 0.5f];
        NonFiniteValueException e = Assert.Throws<NonFiniteValueException>(() => net.TrainBatch(inputs, targets, 0.1f));

        Assert.Equal(("TrainBatch", 1, 0, 2), (e.Member, e.Sample, e.Layer, e.Node));
        Assert.True(double.IsNaN(e.Value));
        Assert.StartsWith("TrainBatch, sample 1: input 2 is NaN", e.Message, StringComparison.Ordinal);
        Assert.Equal("Backward", Assert.IsType<NonFiniteValueException>(e.InnerException).Member);
        Assert.Equal(parameters, net.Parameters.ToArray());
        Assert.Equal(gradients, net.Gradients.ToArray());

        // With every sample finite, the mean gradient is left in Gradients, as without CheckFinite.
        inputs[5] = 0.6f;
        var reference = new Unchecked();
        parameters.CopyTo(reference.Parameters);
        float loss = net.TrainBatch(inputs, targets, 0.1f);
        Assert.Equal(reference.TrainBatch(inputs, targets, 0.1f), loss);
        Assert.Equal(reference.Parameters.ToArray(), net.Parameters.ToArray());
        Assert.Equal(reference.Gradients.ToArray(), net.Gradients.ToArray());
    }

    [Fact]
    public void TrainBatch_of_a_looped_network_names_the_overflowing_layer_and_sample()
    {
        var net = new CheckedLoops();
        net.Parameters[..12].Fill(double.MaxValue);
        net.Gradients.Fill(7);
        double[] parameters = net.Parameters.ToArray();
        double[] gradients = net.Gradients.ToArray();

        // Sample 0's inputs are zeros (sums of 0); sample 1's are ones, whose layer-1 sums overflow.
        NonFiniteValueException e = Assert.Throws<NonFiniteValueException>(() => net.TrainBatch([0, 0, 0, 1, 1, 1], [1, 0, 0, 1], 0.1));

        Assert.Equal(("TrainBatch", 1, 1), (e.Member, e.Sample, e.Layer));
        Assert.Equal(parameters, net.Parameters.ToArray());
        Assert.Equal(gradients, net.Gradients.ToArray());
    }

    [Fact]
    public void ForwardBatch_names_itself_and_the_sample()
    {
        var net = new CheckedLoops();
        double[] outputs = new double[6];

        NonFiniteValueException e = Assert.Throws<NonFiniteValueException>(
            () => net.ForwardBatch([1, 2, 3, 4, double.PositiveInfinity, 6, 7, 8, 9], outputs));

        Assert.Equal(("ForwardBatch", 1, 0, 1), (e.Member, e.Sample, e.Layer, e.Node));
        Assert.StartsWith("ForwardBatch, sample 1: input 1 is ", e.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, outputs[0] + outputs[1]);
    }

    [Fact]
    public void A_non_finite_target_is_reported_as_the_loss()
    {
        var net = new CheckedUnrolled();
        float[] parameters = net.Parameters.ToArray();

        NonFiniteValueException e = Assert.Throws<NonFiniteValueException>(() => net.TrainStep([1, 2, 3], [float.PositiveInfinity, 0], 0.1f));
        Assert.Equal((-1, 0), (e.Layer, e.Node));
        Assert.Contains("the loss is", e.Message, StringComparison.Ordinal);
        Assert.Equal(parameters, net.Parameters.ToArray());
    }

    [Fact]
    public void Finite_values_pass_and_give_the_same_numbers_as_the_unchecked_network()
    {
        var checkedNet = new CheckedUnrolled();
        var plain = new Unchecked();
        checkedNet.Parameters.CopyTo(plain.Parameters);
        float[] a = new float[2], b = new float[2];

        checkedNet.Forward([0.1f, -2, 3], a);
        plain.Forward([0.1f, -2, 3], b);
        Assert.Equal(b, a);
        Assert.Equal(plain.TrainStep([0.1f, -2, 3], [1, -1], 0.05f), checkedNet.TrainStep([0.1f, -2, 3], [1, -1], 0.05f));
        Assert.Equal(plain.Parameters.ToArray(), checkedNet.Parameters.ToArray());
    }

    [Fact]
    public void Without_the_check_NaN_propagates_to_the_outputs_and_nothing_throws()
    {
        var net = new Unchecked();
        float[] output = new float[2];

        net.Forward([0.5f, float.NaN, 1f], output);

        Assert.All(output, y => Assert.True(float.IsNaN(y)));
    }
}
