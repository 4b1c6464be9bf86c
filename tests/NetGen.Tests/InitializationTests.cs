using System;
using System.Numerics;
using NetGen.Tests.Support;

namespace NetGen.Tests;

/// <summary>
/// InitializeParameters(seed) is deterministic (He-uniform for ReLU and LeakyReLU layers, Glorot-uniform
/// for the others, biases zero), and a new instance starts as InitializeParameters(Initializers.DefaultSeed).
/// </summary>
public sealed class InitializationTests
{
    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Same_seed_gives_the_same_bits_and_different_seeds_differ(string name) =>
        NetworkCatalog.Get(name).Accept(new DeterminismVisitor());

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void A_new_instance_equals_InitializeParameters_with_the_default_seed(string name) =>
        NetworkCatalog.Get(name).Accept(new NewInstanceVisitor());

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Weights_lie_within_He_or_Glorot_bounds_and_biases_are_zero(string name) =>
        NetworkCatalog.Get(name).Accept(new BoundsVisitor());

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Parameters_equal_an_independent_SplitMix64_He_Glorot_computation(string name) =>
        NetworkCatalog.Get(name).Accept(new ExactVisitor());

    [Fact]
    public void A_new_instance_is_initialised_whatever_constructor_the_user_wrote()
    {
        var reference = new ConstructedNet(0);
        reference.InitializeParameters(Initializers.DefaultSeed);
        float[] expected = Array.ConvertAll(
            ReferenceNetwork.ExpectedInitialParameters(
                new NetworkCase<float>("ConstructedNet", () => new ConstructedNet(0), 2, [new(3, Activation.ReLU, true), new(1, Activation.Identity, true)], CodeShape.Auto),
                Initializers.DefaultSeed),
            p => (float)p);
        foreach (ConstructedNet network in new[] { new ConstructedNet(7), new ConstructedNet("name") })
        {
            Bits.Equal<float>(expected, network.Parameters, $"ConstructedNet (tag {network.Tag})");
            Bits.Equal<float>(reference.Parameters, network.Parameters, $"ConstructedNet (tag {network.Tag}) vs InitializeParameters(DefaultSeed)");
            Assert.True(network.Parameters.ContainsAnyExcept(0f), "the weights are not all zero");
        }
    }

    [Fact]
    public void A_wide_ReLU_layer_uses_the_He_limit_not_the_Glorot_one()
    {
        // 70 -> 40 ReLU: He's limit sqrt(6/70) = 0.293 is wider than Glorot's sqrt(6/110) = 0.234. Of 2,800 uniform
        // draws, the chance that none exceeds 0.234 under He is (0.234/0.293)^2800: nil. So the largest weight
        // tells which one was used.
        var network = new WideFloat();
        double he = Math.Sqrt(6.0 / 70), glorot = Math.Sqrt(6.0 / (70 + 40));
        double largest = 0;
        foreach (float w in network.Parameters[..(70 * 40)])
        {
            largest = Math.Max(largest, Math.Abs(w));
        }

        Assert.InRange(largest, glorot, he);
    }

    [Fact]
    public void A_wide_Tanh_layer_uses_the_Glorot_limit()
    {
        // 70 -> 40 Tanh: the largest of 2,800 draws lies within Glorot's limit and close to it (below 0.99 of it with
        // probability 0.99^2800, about 1e-12).
        var network = new WideDouble();
        double glorot = Math.Sqrt(6.0 / (70 + 40));
        double largest = 0;
        foreach (double w in network.Parameters[..(70 * 40)])
        {
            largest = Math.Max(largest, Math.Abs(w));
        }

        Assert.InRange(largest, 0.99 * glorot, glorot);
    }

    private sealed class DeterminismVisitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            INetwork<T> a = network.Create(), b = network.Create();
            TestData.RandomizeParameters(b, new Random(1));
            foreach (int seed in new[] { 0, 1, 7, -5, int.MaxValue, int.MinValue })
            {
                a.InitializeParameters(seed);
                b.InitializeParameters(seed);
                Bits.Equal<T>(a.Parameters, b.Parameters, $"{network.Name}, seed {seed}, two instances");
                T[] first = a.Parameters.ToArray();
                a.InitializeParameters(seed + 1);
                a.InitializeParameters(seed);
                Bits.Equal<T>(first, a.Parameters, $"{network.Name}, seed {seed}, again on the same instance");
                a.InitializeParameters(unchecked(seed + 1));
                Assert.False(
                    first.AsSpan().SequenceEqual(a.Parameters),
                    $"{network.Name}: seeds {seed} and {unchecked(seed + 1)} give the same parameters");
            }
        }
    }

    private sealed class NewInstanceVisitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            INetwork<T> fresh = network.Create();
            INetwork<T> reset = network.Create();
            TestData.RandomizeParameters(reset, new Random(2));
            reset.InitializeParameters(Initializers.DefaultSeed);
            Bits.Equal<T>(reset.Parameters, fresh.Parameters, $"{network.Name}: new instance vs InitializeParameters(DefaultSeed)");
            foreach (T g in fresh.Gradients)
            {
                Assert.True(g == T.Zero, $"{network.Name}: a new instance's gradient is {g}");
            }
        }
    }

    private sealed class BoundsVisitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            INetwork<T> net = network.Create();
            foreach (int seed in new[] { Initializers.DefaultSeed, 3, 1_000_003 })
            {
                net.InitializeParameters(seed);
                ReadOnlySpan<T> p = net.Parameters;
                int offset = 0, fanIn = network.Inputs;
                foreach (LayerInfo layer in network.Layers)
                {
                    double limit = ReferenceNetwork.Limit(layer.Activation, fanIn, layer.Units);

                    // In float, a weight is the double draw rounded, so it may round up to the rounded limit.
                    T bound = T.CreateChecked(limit);
                    int weights = fanIn * layer.Units;
                    for (int w = 0; w < weights; w++)
                    {
                        T value = p[offset + w];
                        Assert.True(T.Abs(value) <= bound, $"{network.Name}, seed {seed}: weight {offset + w} = {value}, limit {limit}");
                    }

                    for (int b = 0; layer.Bias && b < layer.Units; b++)
                    {
                        Assert.True(Bits.Of(p[offset + weights + b]) == 0, $"{network.Name}, seed {seed}: bias {offset + weights + b} = {p[offset + weights + b]}");
                    }

                    offset += weights + (layer.Bias ? layer.Units : 0);
                    fanIn = layer.Units;
                }

                Assert.Equal(p.Length, offset);
            }
        }
    }

    private sealed class ExactVisitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            INetwork<T> net = network.Create();
            foreach (int seed in new[] { Initializers.DefaultSeed, 0, -9, 123_456_789 })
            {
                net.InitializeParameters(seed);
                double[] expected = ReferenceNetwork.ExpectedInitialParameters(network, seed);
                var rounded = new T[expected.Length];
                for (int i = 0; i < expected.Length; i++)
                {
                    rounded[i] = T.CreateChecked(expected[i]);
                }

                Bits.Equal<T>(rounded, net.Parameters, $"{network.Name}, seed {seed}");
            }
        }
    }
}
