using System;
using System.Numerics;
using System.Threading;
using NetGen.Tests.Support;

namespace NetGen.Tests;

/// <summary>
/// Forward does not change the instance, so it is safe from many threads at once (and INetwork says the
/// same of Loss). Many threads call Forward and Loss on one shared instance, each over all inputs in its own order,
/// and must get exactly (bit for bit) the results of a sequential run. Forward beside training on the same instance
/// is not supported, but must neither throw nor disturb the training.
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

    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Forward_on_other_threads_while_TrainStep_runs_throws_nothing_and_leaves_the_training_as_it_was(string name) =>
        NetworkCatalog.Get(name).Accept(new TrainingVisitor());

    /// <summary>
    /// What docs/reliability.md promises of Forward during training on the same instance: not supported (its outputs
    /// mix old and new parameters), but nothing throws or crashes, and the training, which Forward never writes into,
    /// ends bit for bit where it ends alone.
    /// </summary>
    private sealed class TrainingVisitor : INetworkVisitor
    {
        private const int Steps = 300;
        private const int Readers = 2;

        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(5);
            INetwork<T> alone = network.Create();
            TestData.RandomizeParameters(alone, random);
            INetwork<T> shared = network.Create();
            alone.Parameters.CopyTo(shared.Parameters);
            T[][] inputs = new T[Steps][];
            T[][] targets = new T[Steps][];
            for (int s = 0; s < Steps; s++)
            {
                inputs[s] = TestData.Array<T>(network.Inputs, random, -2, 2);
                targets[s] = TestData.Targets<T>(network, random);
            }

            T rate = T.CreateChecked(0.01);
            for (int s = 0; s < Steps; s++)
            {
                alone.TrainStep(inputs[s], targets[s], rate);
            }

            var errors = new Exception?[Readers];
            int calls = 0;
            using var stop = new CancellationTokenSource();
            var readers = new Thread[Readers];
            for (int t = 0; t < Readers; t++)
            {
                int id = t;
                readers[t] = new Thread(() =>
                {
                    var output = new T[network.Outputs];
                    try
                    {
                        for (int k = 0; !stop.IsCancellationRequested; k++)
                        {
                            shared.Forward(inputs[k % Steps], output);
                            Interlocked.Increment(ref calls);
                        }
                    }
                    catch (Exception e)
                    {
                        errors[id] = e;
                    }
                });
                readers[t].Start();
            }

            // Train only once a reader is calling Forward: on a busy machine the threads can start after a short
            // training has ended, and then nothing would have run beside it.
            SpinWait.SpinUntil(() => Volatile.Read(ref calls) > 0, TimeSpan.FromSeconds(30));
            for (int s = 0; s < Steps; s++)
            {
                shared.TrainStep(inputs[s], targets[s], rate);
            }

            stop.Cancel();
            foreach (Thread reader in readers)
            {
                reader.Join();
            }

            Assert.All(errors, e => Assert.Null(e));
            Assert.True(calls > 0, $"{network.Name}: no Forward ran");
            Bits.Equal<T>(alone.Parameters, shared.Parameters, $"{network.Name}: Parameters after training beside Forward");
        }
    }

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
