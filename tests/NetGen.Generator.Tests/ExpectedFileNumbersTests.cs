using System;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Harness;

namespace NetGen.Generator.Tests;

/// <summary>
/// A snapshot written by the code under test proves nothing by itself, so this compiles Expected/SeedNet.g.cs
/// (with the user's declaration, without the generator), loads it and checks the seed notebook's backpropagation
/// example (the seed notebook's example 4) with it. The numbers are exact in float too.
/// </summary>
public sealed class ExpectedFileNumbersTests : IDisposable
{
    private readonly LoadedAssembly _assembly;
    private readonly INetwork<float> _net;

    public ExpectedFileNumbersTests()
    {
        Compilation compilation = TestCompilation.Create(SeedNetwork.Declaration, ExpectedFiles.Read(SeedNetwork.ExpectedFile));
        Assert.Empty(compilation.GetDiagnostics());
        _assembly = Emitted.Load(Emitted.Image(compilation));
        _net = _assembly.Create<INetwork<float>>(SeedNetwork.TypeName);

        // First layer [1,0, 0,1], output weights [1,2].
        SetParameters(1, 0, 0, 1, 1, 2);
    }

    public void Dispose() => _assembly.Dispose();

    [Fact]
    public void Hidden_values_are_1_and_3()
    {
        // The hidden values are not visible from outside; an output weight of 1 on one hidden node and 0 on the
        // other makes the prediction that node's value.
        SetParameters(1, 0, 0, 1, 1, 0);
        Assert.Equal(1f, Predict(1, 3));
        SetParameters(1, 0, 0, 1, 0, 1);
        Assert.Equal(3f, Predict(1, 3));
    }

    [Fact]
    public void Prediction_is_7_so_the_error_is_3_and_the_loss_9()
    {
        Assert.Equal(7f, Predict(1, 3));
        Assert.Equal(9f, _net.Loss([1, 3], [4]));
    }

    [Fact]
    public void Backward_gives_output_weight_gradients_6_and_18_and_first_layer_6_18_12_36()
    {
        _net.ZeroGradients();
        float loss = _net.Backward([1, 3], [4]);

        Assert.Equal(9f, loss);
        Assert.Equal([6f, 18f, 12f, 36f, 6f, 18f], _net.Gradients.ToArray());
    }

    [Fact]
    public void A_hidden_node_whose_input_is_negative_passes_back_0()
    {
        // Input [-1, 3]: hidden 0 has input -1 (ReLU gives 0), hidden 1 has 3; prediction 1*0 + 2*3 = 6, target 4,
        // so dL/dy = 2 * 2 = 4; output gradients [4*0, 4*3]; hidden 1's slope 4*2 = 8 reaches inputs -1 and 3.
        _net.ZeroGradients();
        _net.Backward([-1, 3], [4]);

        Assert.Equal([0f, 0f, -8f, 24f, 0f, 12f], _net.Gradients.ToArray());
    }

    [Fact]
    public void TrainStep_ends_where_Backward_and_one_SGD_step_end()
    {
        float[] before = _net.Parameters.ToArray();
        float[] gradients = [6, 18, 12, 36, 6, 18];
        const float learningRate = 0.01f;

        float loss = _net.TrainStep([1, 3], [4], learningRate);

        Assert.Equal(9f, loss);
        float[] expected = new float[before.Length];
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] = before[i] - (learningRate * gradients[i]);
        }

        Assert.Equal(expected, _net.Parameters.ToArray());
    }

    private void SetParameters(params float[] values)
    {
        Assert.Equal(values.Length, _net.Parameters.Length);
        values.CopyTo(_net.Parameters);
    }

    private float Predict(float x0, float x1)
    {
        Span<float> output = stackalloc float[1];
        _net.Forward([x0, x1], output);
        return output[0];
    }
}
