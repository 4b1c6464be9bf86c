using System;
using System.Numerics;
using System.Threading;
using NetGen.Tests.Support;

namespace NetGen.Tests;

/// <summary>
/// Forward does not change the instance, so it is safe from many threads at once (and INetwork says the
/// same of Loss). Many threads call Forward and Loss on one shared instance, each over all inputs in its own order,
/// and must get exactly (bit for bit) the results of a sequential run.
/// </summary>
public sealed class ThreadSafetyTests
{
    private const int Threads = 8;
    private const int Inputs = 200;
    private const int Rounds = 20;

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Forward_from_many_threads_gives_the_sequential_results(string name) =>
        NetworkCatalog.Get(name).Accept(new Visitor());

    private sealed class Visitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(3);
            INetwork<T> shared = network.Create();
            TestData.RandomizeParameters(shared, random);
            T[] parameters = shared.Parameters.ToArray();
            T[][] inputs = new T[Inputs][];
            T[][] expected = new T[Inputs][];
            T[][] targets = new T[Inputs][];
            T[] losses = new T[Inputs];
            for (int s = 0; s < Inputs; s++)
            {
                inputs[s] = TestData.Array<T>(network.Inputs, random, -2, 2);
                targets[s] = TestData.Targets<T>(network, random);
                expected[s] = new T[network.Outputs];
                shared.Forward(inputs[s], expected[s]);
                losses[s] = shared.Loss(inputs[s], targets[s]);
            }

            var failures = new string?[Threads];
            using var start = new Barrier(Threads);
            var threads = new Thread[Threads];
            for (int t = 0; t < Threads; t++)
            {
                int id = t;
                threads[t] = new Thread(() =>
                {
                    var output = new T[network.Outputs];
                    start.SignalAndWait();
                    for (int round = 0; round < Rounds && failures[id] is null; round++)
                    {
                        for (int k = 0; k < Inputs; k++)
                        {
                            // Each thread walks the inputs in its own order, so that different inputs run at once.
                            int s = ((k * ((2 * id) + 1)) + (round * 7) + id) % Inputs;
                            shared.Forward(inputs[s], output);
                            T loss = shared.Loss(inputs[s], targets[s]);
                            if (Bits.Of(loss) != Bits.Of(losses[s]))
                            {
                                failures[id] = $"thread {id}, input {s}: loss {loss:R}, sequentially {losses[s]:R}";
                                break;
                            }

                            for (int o = 0; o < output.Length; o++)
                            {
                                if (Bits.Of(output[o]) != Bits.Of(expected[s][o]))
                                {
                                    failures[id] = $"thread {id}, input {s}, output {o}: {output[o]:R}, sequentially {expected[s][o]:R}";
                                    break;
                                }
                            }
                        }
                    }
                });
                threads[t].Start();
            }

            foreach (Thread thread in threads)
            {
                thread.Join();
            }

            foreach (string? failure in failures)
            {
                Assert.True(failure is null, $"{network.Name}: {failure}");
            }

            Bits.Equal<T>(parameters, shared.Parameters, $"{network.Name}: Parameters after the threads");
        }
    }
}
