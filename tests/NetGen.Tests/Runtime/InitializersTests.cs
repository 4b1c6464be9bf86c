using System;
using System.Numerics;
using NetGen;
using NetGen.Tests.Support;

namespace NetGen.Tests.Runtime;

/// <summary>
/// Initializers.Dense, the per-activation rule of InitializeParameters as one call: the very draws of the HeUniform
/// or GlorotUniform call the generated code makes today, bit for bit, with the generator left in the same state.
/// </summary>
public class InitializersTests
{
    public static TheoryData<Activation> AllActivations =>
        [Activation.Identity, Activation.ReLU, Activation.LeakyReLU, Activation.Sigmoid, Activation.Tanh, Activation.Softmax,
            Activation.ELU, Activation.GELU, Activation.SiLU, Activation.Softplus];

    [Fact]
    public void He_uniform_is_for_the_ReLU_like_activations_and_Glorot_uniform_for_the_others()
    {
        // The documented rule, written out here by hand: every member of the enum is named on one side.
        Activation[] he = [Activation.ReLU, Activation.LeakyReLU, Activation.ELU, Activation.GELU, Activation.SiLU, Activation.Softplus];
        Activation[] glorot = [Activation.Identity, Activation.Sigmoid, Activation.Tanh, Activation.Softmax];
        Assert.Equal(Enum.GetValues<Activation>().Length, he.Length + glorot.Length);
        Assert.All(he, a => Assert.True(Initializers.UsesHeUniform(a), $"{a} is He-uniform"));
        Assert.All(glorot, a => Assert.False(Initializers.UsesHeUniform(a), $"{a} is Glorot-uniform"));
    }

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void Dense_equals_the_old_call_bit_for_bit_in_float(Activation activation) => AssertSameAsOldCall<float>(activation);

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void Dense_equals_the_old_call_bit_for_bit_in_double(Activation activation) => AssertSameAsOldCall<double>(activation);

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Dense_layer_by_layer_gives_what_InitializeParameters_gives(string name) =>
        NetworkCatalog.Get(name).Accept(new GeneratedVisitor());

    [Fact]
    public void Dense_checks_both_fans_whatever_the_activation()
    {
        var random = new DeterministicRandom(1);
        float[] weights = new float[4];
        foreach (Activation activation in new[] { Activation.ReLU, Activation.Tanh })
        {
            Assert.Throws<ArgumentOutOfRangeException>("fanIn", () => { var r = random; Initializers.Dense<float>(weights, 0, 2, activation, ref r); });
            Assert.Throws<ArgumentOutOfRangeException>("fanOut", () => { var r = random; Initializers.Dense<float>(weights, 2, 0, activation, ref r); });
        }
    }

    [Fact]
    public void InitializeLayer_is_Dense_and_zero_biases()
    {
        var a = new DeterministicRandom(5);
        var b = new DeterministicRandom(5);
        double[] weights = new double[12], expected = new double[12], biases = [1, 2, 3];

        Initializers.InitializeLayer<double>(weights, biases, 4, 3, Activation.LeakyReLU, ref a);
        Initializers.Dense<double>(expected, 4, 3, Activation.LeakyReLU, ref b);

        Bits.Equal<double>(expected, weights, "weights");
        Assert.Equal([0.0, 0, 0], biases);
        Assert.Equal(b.NextUInt64(), a.NextUInt64());
    }

    private static void AssertSameAsOldCall<T>(Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach ((int fanIn, int fanOut, long seed) in new[] { (1, 1, 42L), (3, 5, 0L), (70, 40, -9L), (16, 3, 123_456_789L) })
        {
            var viaDense = new DeterministicRandom(seed);
            var viaOld = new DeterministicRandom(seed);
            var dense = new T[fanIn * fanOut];
            var old = new T[fanIn * fanOut];

            Initializers.Dense<T>(dense, fanIn, fanOut, activation, ref viaDense);
            if (activation is Activation.ReLU or Activation.LeakyReLU or Activation.ELU or Activation.GELU or Activation.SiLU or Activation.Softplus)
            {
                Initializers.HeUniform<T>(old, fanIn, ref viaOld);
            }
            else
            {
                Initializers.GlorotUniform<T>(old, fanIn, fanOut, ref viaOld);
            }

            Bits.Equal<T>(old, dense, $"{activation} {fanIn}x{fanOut} seed {seed}");
            Assert.Equal(viaOld.NextUInt64(), viaDense.NextUInt64());
        }
    }

    /// <summary>Rebuilds InitializeParameters(seed) from Initializers.Dense over the layers, biases zero.</summary>
    private sealed class GeneratedVisitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            INetwork<T> net = network.Create();
            NetworkTopology topology = NetworkTopology.Of(net);
            foreach (int seed in new[] { Initializers.DefaultSeed, 0, -9 })
            {
                net.InitializeParameters(seed);
                var expected = new T[topology.ParameterCount];
                var random = new DeterministicRandom(seed);
                foreach (LayerTopology layer in topology.Layers)
                {
                    Initializers.Dense(expected.AsSpan(layer.WeightOffset, layer.WeightCount), layer.InputCount, layer.Units, layer.Activation, ref random);
                }

                Bits.Equal<T>(expected, net.Parameters, $"{network.Name}, seed {seed}");
            }
        }
    }
}
