using System;
using System.Numerics;
using System.Runtime.InteropServices;
using NetGen;
using NetGen.Determinism;

// Trains each network of Networks.cs from a seed on data made by exact arithmetic (no library function whose last
// bit could depend on the platform), then prints one line per network: a hash of its trained parameters and one of
// its outputs on fresh inputs. DeterminismTests runs this program under several JIT configurations and as a
// NativeAOT binary and requires every line to be the same; the first line says which vectors the run had.
Console.WriteLine($"Kernels.VectorBits = {Kernels.VectorBits}");

Report("WideFloat", Dense<WideFloat, float>(new WideFloat(), 64, 10, samples: 256, seed: 11, adam: true));
Report("WideDouble", Dense<WideDouble, double>(new WideDouble(), 40, 5, samples: 200, seed: 12, adam: false));
Report("NarrowDouble", Dense<NarrowDouble, double>(new NarrowDouble(), 4, 3, samples: 300, seed: 13, adam: true));
Report("StreamingFloat", Streaming<StreamingFloat, float>(new StreamingFloat(), 2, 1, seed: 14));
Report("StreamingDouble", Streaming<StreamingDouble, double>(new StreamingDouble(), 3, 2, seed: 15));
Report("ImageFloat", Dense<ImageFloat, float>(new ImageFloat(), 64, 3, samples: 128, seed: 16, adam: true));
return 0;

static void Report(string name, (ulong Parameters, ulong Outputs) hashes) =>
    Console.WriteLine($"{name}: parameters {hashes.Parameters:x16}, outputs {hashes.Outputs:x16}");

// A regression on inputs in [-1, 1): each target a product and a sum of two inputs, so that every layer learns.
static (ulong, ulong) Dense<TNet, T>(TNet network, int inputCount, int outputCount, int samples, int seed, bool adam)
    where TNet : INetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    network.InitializeParameters(seed);
    T[] inputs = Uniform<T>(samples * inputCount, seed);
    var targets = new T[samples * outputCount];
    for (int s = 0; s < samples; s++)
    {
        ReadOnlySpan<T> x = inputs.AsSpan(s * inputCount, inputCount);
        for (int k = 0; k < outputCount; k++)
        {
            T a = x[k % inputCount], b = x[(3 * k + 1) % inputCount];
            targets[(s * outputCount) + k] = (a * b) + (T.CreateTruncating(0.5) * (a - b));
        }
    }

    var options = new TrainingOptions<T>
    {
        Epochs = 4,
        BatchSize = 16,
        Seed = seed,
        LearningRate = 0.05,
        Optimizer = adam ? new AdamOptimizer<T>(network.Parameters.Length, 1e-2) : null,
    };
    Trainer.Fit(network, new Dataset<T>(inputs, targets, inputCount, outputCount), options);

    // Fresh inputs, through Forward one at a time and through ForwardBatch.
    const int tests = 37;
    T[] test = Uniform<T>(tests * inputCount, seed + 1000);
    var outputs = new T[2 * tests * outputCount];
    for (int s = 0; s < tests; s++)
    {
        network.Forward(test.AsSpan(s * inputCount, inputCount), outputs.AsSpan(s * outputCount, outputCount));
    }

    network.ForwardBatch(test, outputs.AsSpan(tests * outputCount));
    return (Hash<T>(network.Parameters), Hash<T>(outputs));
}

// A sequence task: each target step a leaky running sum of the inputs, learned over windows through time.
static (ulong, ulong) Streaming<TNet, T>(TNet network, int inputCount, int outputCount, int seed)
    where TNet : ISequenceNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    const int steps = 24, windows = 32;
    network.InitializeParameters(seed);
    T[] inputs = Uniform<T>(windows * steps * inputCount, seed);
    var targets = new T[windows * steps * outputCount];
    T leak = T.CreateTruncating(0.75);
    for (int w = 0; w < windows; w++)
    {
        T memory = T.Zero;
        for (int t = 0; t < steps; t++)
        {
            int step = (w * steps) + t;
            memory = (leak * memory) + inputs[step * inputCount];
            for (int k = 0; k < outputCount; k++)
            {
                targets[(step * outputCount) + k] = k == 0 ? memory * T.CreateTruncating(0.25) : inputs[(step * inputCount) + 1] * memory;
            }
        }
    }

    var options = new SequenceTrainingOptions<T>
    {
        Epochs = 3,
        BatchSize = 4,
        Seed = seed,
        Optimizer = new AdamOptimizer<T>(network.Parameters.Length, 1e-2),
    };
    SequenceTrainer.Fit(network, new SequenceDataset<T>(inputs, targets, steps, inputCount, outputCount), options);

    // A fresh sequence, step by step and as one block, each from a new state.
    const int testSteps = 50;
    T[] test = Uniform<T>(testSteps * inputCount, seed + 1000);
    var outputs = new T[2 * testSteps * outputCount];
    ISequenceState state = network.CreateState();
    for (int t = 0; t < testSteps; t++)
    {
        network.Forward(test.AsSpan(t * inputCount, inputCount), outputs.AsSpan(t * outputCount, outputCount), state);
    }

    network.ForwardSequence(test, outputs.AsSpan(testSteps * outputCount), network.CreateState());
    return (Hash<T>(network.Parameters), Hash<T>(outputs));
}

// Values in [-1, 1) from the seeded generator, converted from double exactly as Initializers do.
static T[] Uniform<T>(int count, int seed)
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    var random = new DeterministicRandom(seed);
    var values = new T[count];
    for (int i = 0; i < count; i++)
    {
        values[i] = T.CreateTruncating(random.NextDouble(-1, 1));
    }

    return values;
}

// FNV-1a over the values' bytes: any difference in any bit of any value changes it.
static ulong Hash<T>(ReadOnlySpan<T> values)
    where T : unmanaged
{
    ulong hash = 14695981039346656037;
    foreach (byte b in MemoryMarshal.AsBytes(values))
    {
        hash = (hash ^ b) * 1099511628211;
    }

    return hash;
}
