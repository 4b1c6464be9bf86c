using System;
using System.Numerics;
using NetGen.Tests.Support;

namespace NetGen.Tests;

/// <summary>
/// No member allocates on the managed heap after construction. Each member is called many times
/// after a warm-up, between two readings of GC.GetAllocatedBytesForCurrentThread, on unrolled and looped
/// networks in float and double. Allocation is asserted; time is not.
/// </summary>
public sealed class AllocationTests
{
    private const int WarmUpRounds = 5;
    private const int Calls = 1_000;

    private static object? _sink;

    public static TheoryData<string> Networks() => new()
    {
        "MixedFloat", "MixedDouble", "WideFloat", "WideDouble", "LoopsFloat", "LoopsDouble", "UnrolledFloat", "UnrolledDouble",
        "CrossEntropyFloat", "CrossEntropyDouble", "BinaryDouble", "BinaryFloat", "BlockedFloat", "BlockedCrossEntropyDouble",
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Members_of_INetwork_allocate_nothing_after_warm_up(string name) =>
        NetworkCatalog.Get(name).Accept(new Visitor());

    [Fact]
    public void Predict_allocates_nothing_after_warm_up()
    {
        var unrolledFloat = new PredictFloat();
        var unrolledDouble = new PredictDouble();
        var loopsFloat = new PredictLoopsFloat();
        var loopsDouble = new PredictLoopsDouble();

        AssertNoAllocation("PredictFloat.Predict", () =>
        {
            float sum = 0;
            for (int c = 0; c < Calls; c++)
            {
                sum += unrolledFloat.Predict(0.1f, c * 1e-3f, -0.3f);
            }

            return sum;
        });
        AssertNoAllocation("PredictDouble.Predict", () =>
        {
            double sum = 0;
            for (int c = 0; c < Calls; c++)
            {
                sum += unrolledDouble.Predict(0.1, c * 1e-3);
            }

            return sum;
        });
        AssertNoAllocation("PredictLoopsFloat.Predict", () =>
        {
            float sum = 0;
            for (int c = 0; c < Calls; c++)
            {
                sum += loopsFloat.Predict(0.1f, c * 1e-3f, -0.3f, 0.4f, 0.5f, -0.6f, 0.7f, 0.8f, 0.9f, -1f, 0.11f, 0.12f, 0.13f, -0.14f, 0.15f, 0.16f);
            }

            return sum;
        });
        AssertNoAllocation("PredictLoopsDouble.Predict", () =>
        {
            double sum = 0;
            for (int c = 0; c < Calls; c++)
            {
                sum += loopsDouble.Predict(0.1, c * 1e-3, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8, 0.9, -1, 0.11, 0.12, 0.13, -0.14, 0.15, 0.16);
            }

            return sum;
        });
    }

    [Fact]
    public void The_measurement_sees_an_allocation()
    {
        // The helper must be able to fail: one escaping allocation of 16 bytes (plus header) per round.
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertNoAllocation("self-test", () => _sink = new byte[16]));
    }

    /// <summary>
    /// Runs <paramref name="calls"/> once to warm up (JIT, tiering, static constructors), then again between two
    /// readings of the thread's allocation counter. The result is kept so that no call can be optimised away.
    /// </summary>
    private static void AssertNoAllocation<TResult>(string what, Func<TResult> calls)
    {
        for (int w = 0; w < WarmUpRounds; w++)
        {
            GC.KeepAlive(calls());
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        TResult result = calls();
        long after = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(result);
        Assert.True(after == before, $"{what}: {after - before} bytes allocated over {Calls} calls");
    }

    private sealed class Visitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(5);
            INetwork<T> net = network.Create();
            TestData.RandomizeParameters(net, random, 0.1);
            T[] input = TestData.Array<T>(network.Inputs, random);
            T[] output = new T[network.Outputs];
            T[] target = TestData.Targets<T>(network, random);
            const int BatchSize = 4;
            T[] inputs = TestData.Array<T>(BatchSize * network.Inputs, random);
            T[] targets = TestData.Targets<T>(network, random, BatchSize);
            T rate = T.CreateChecked(1e-4);
            string name = network.Name;

            Check(name + ".Forward", net, n =>
            {
                T sum = T.Zero;
                for (int c = 0; c < Calls; c++)
                {
                    n.Forward(input, output);
                    sum += output[0];
                }

                return sum;
            });
            // 17 samples: two whole blocks of eight where the network goes in blocks, and one sample after them.
            const int Predicted = 17;
            T[] batchInputs = TestData.Array<T>(Predicted * network.Inputs, random);
            T[] batchOutputs = new T[Predicted * network.Outputs];
            Check(name + ".ForwardBatch", net, n =>
            {
                T sum = T.Zero;
                for (int c = 0; c < Calls / 10; c++)
                {
                    n.ForwardBatch(batchInputs, batchOutputs);
                    sum += batchOutputs[^1];
                }

                return sum;
            });
            Check(name + ".Loss", net, n =>
            {
                T sum = T.Zero;
                for (int c = 0; c < Calls; c++)
                {
                    sum += n.Loss(input, target);
                }

                return sum;
            });
            Check(name + ".Backward", net, n =>
            {
                T sum = T.Zero;
                for (int c = 0; c < Calls; c++)
                {
                    sum += n.Backward(input, target);
                }

                return sum;
            });
            Check(name + ".ZeroGradients", net, n =>
            {
                for (int c = 0; c < Calls; c++)
                {
                    n.ZeroGradients();
                }

                return n.Gradients[0];
            });
            Check(name + ".TrainStep", net, n =>
            {
                T sum = T.Zero;
                for (int c = 0; c < Calls; c++)
                {
                    sum += n.TrainStep(input, target, rate);
                }

                return sum;
            });
            Check(name + ".TrainBatch", net, n =>
            {
                T sum = T.Zero;
                for (int c = 0; c < Calls; c++)
                {
                    sum += n.TrainBatch(inputs, targets, rate);
                }

                return sum;
            });
            Check(name + ".InitializeParameters", net, n =>
            {
                for (int c = 0; c < Calls / 10; c++)
                {
                    n.InitializeParameters(c);
                }

                return n.Parameters[0];
            });
            Check(name + ".Parameters and Gradients", net, n =>
            {
                T sum = T.Zero;
                for (int c = 0; c < Calls; c++)
                {
                    sum += n.Parameters[c % n.Parameters.Length] + n.Gradients[c % n.Gradients.Length];
                }

                return sum;
            });
        }

        private static void Check<T>(string what, INetwork<T> network, Func<INetwork<T>, T> calls)
            where T : unmanaged, IFloatingPointIeee754<T> =>
            AssertNoAllocation(what, () => calls(network));
    }
}
