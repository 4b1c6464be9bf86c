using System;
using NetGen.Tests.Support;

namespace NetGen.Tests;

/// <summary>
/// Cross-entropy is computed from the logits, without the logarithm of a rounded probability, so logits of
/// +-1000 give the exact loss and slope, with no NaN or infinity, in float and double. The logits are set through the
/// last layer's biases (its weights zero).
/// </summary>
public sealed class StabilityTests
{
    [Fact]
    public void Cross_entropy_of_logits_1000_minus_1000_and_0_is_exact_in_float()
    {
        var network = new CrossEntropyFloat();
        SetLogits<float>(network.Parameters, weights: 3 * 8, [1000f, -1000f, 0f]);
        float[] input = [0.5f, -0.25f, 1f, 0.75f];

        var output = new float[3];
        network.Forward(input, output);
        Assert.Equal([1f, 0f, 0f], output);

        // Target on the logit -1000: L = logsumexp(z) - z_1 = 1000 + 1000 (e^-1000 and e^-2000 vanish beside 1).
        Assert.Equal(2000f, network.Loss(input, [0f, 1f, 0f]));
        Assert.Equal(0f, network.Loss(input, [1f, 0f, 0f]));

        // The slope at the logits is p - t = [1, -1, 0]: it is the biases' gradient.
        network.ZeroGradients();
        Assert.Equal(2000f, network.Backward(input, [0f, 1f, 0f]));
        Assert.Equal([1f, -1f, 0f], network.Gradients[^3..].ToArray());
        foreach (float g in network.Gradients)
        {
            Assert.True(float.IsFinite(g), $"gradient {g}");
        }
    }

    [Theory]
    [InlineData(1000.0, 0.25, 750.0, 0.375)]
    [InlineData(-1000.0, 0.25, 250.0, -0.125)]
    [InlineData(1000.0, 1.0, 0.0, 0.0)]
    [InlineData(-1000.0, 0.0, 0.0, 0.0)]
    public void Binary_cross_entropy_of_logits_of_1000_is_exact(double logit, double target, double expectedLoss, double expectedSlope)
    {
        // Two outputs with the same logit and target: L = (1/2) * 2 * [max(z, 0) - z t + ln(1 + e^-|z|)], and the slope
        // at each logit (s(z) - t) / 2.
        var network = new BinaryDouble();
        SetLogits<double>(network.Parameters, weights: 2 * 6, [logit, logit]);
        double[] input = [0.5, -0.25, 1];
        Assert.Equal(expectedLoss, network.Loss(input, [target, target]));
        network.ZeroGradients();
        Assert.Equal(expectedLoss, network.Backward(input, [target, target]));
        Assert.Equal([expectedSlope, expectedSlope], network.Gradients[^2..].ToArray());

        var single = new BinaryFloat();
        SetLogits<float>(single.Parameters, weights: 7, [(float)logit]);
        float[] inputF = [0.5f, -0.25f, 1f, 0.75f, -1f];
        Assert.Equal((float)expectedLoss, single.Loss(inputF, [(float)target]));
        single.ZeroGradients();
        single.Backward(inputF, [(float)target]);
        Assert.Equal(2 * (float)expectedSlope, single.Gradients[^1]);
        foreach (float g in single.Gradients)
        {
            Assert.True(float.IsFinite(g), $"gradient {g}");
        }
    }

    [Fact]
    public void Saturated_Sigmoid_and_Tanh_layers_stay_finite()
    {
        // Inputs of +-1000 drive every hidden node of MixedFloat and WideDouble deep into saturation.
        var mixed = new MixedFloat();
        float[] input = [1000f, -1000f, 1000f];
        var output = new float[2];
        mixed.Forward(input, output);
        mixed.ZeroGradients();
        float loss = mixed.Backward(input, [0.5f, -0.5f]);
        Assert.True(float.IsFinite(loss) && float.IsFinite(output[0]) && float.IsFinite(output[1]), $"loss {loss}, output {output[0]}, {output[1]}");
        foreach (float g in mixed.Gradients)
        {
            Assert.True(float.IsFinite(g), $"gradient {g}");
        }

        var wide = new WideDouble();
        double[] wideInput = new double[70];
        for (int i = 0; i < wideInput.Length; i++)
        {
            wideInput[i] = i % 2 == 0 ? 1000 : -1000;
        }

        var wideOutput = new double[3];
        wide.Forward(wideInput, wideOutput);
        Assert.All(wideOutput, y => Assert.InRange(y, 0.0, 1.0));
        wide.ZeroGradients();
        wide.Backward(wideInput, [0, 1, 0.5]);
        foreach (double g in wide.Gradients)
        {
            Assert.True(double.IsFinite(g), $"gradient {g}");
        }
    }

    /// <summary>Zeroes the last layer's weights (the <paramref name="weights"/> before its biases) and sets its biases.</summary>
    private static void SetLogits<T>(Span<T> parameters, int weights, T[] logits)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Span<T> last = parameters[^(weights + logits.Length)..];
        last[..weights].Clear();
        logits.CopyTo(last[weights..]);
    }
}
