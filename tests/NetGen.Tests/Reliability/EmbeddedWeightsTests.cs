using System;
using System.IO;
using NetGen;

namespace NetGen.Tests.Reliability;

/// <summary>Weights embedded at build time from Weights/embedded.safetensors (an AdditionalFiles item).</summary>
[Network(4, Weights = "Weights/embedded.safetensors")]
[Dense(3, Activation.Tanh)]
[Dense(2)]
public partial class EmbeddedNet;

/// <summary>The same topology without embedded weights, loaded from the same file at run time.</summary>
[Network(4)]
[Dense(3, Activation.Tanh)]
[Dense(2)]
public partial class LoadedTwin;

/// <summary>
/// Compile-time weights on the real build path: build/NetGen.targets encodes the .safetensors additional file, the
/// generator embeds it, and a new instance starts from exactly the parameters that the runtime's own loader
/// (tested separately against files built byte by byte from the specification) reads from the file.
/// </summary>
public sealed class EmbeddedWeightsTests
{
    private static string FilePath => Path.Combine(AppContext.BaseDirectory, "Weights", "embedded.safetensors");

    [Fact]
    public void A_new_instance_starts_from_the_files_parameters()
    {
        var embedded = new EmbeddedNet();
        var loaded = new LoadedTwin();
        SafeTensors.Load(loaded, FilePath);

        Assert.Equal(loaded.Parameters.ToArray(), embedded.Parameters.ToArray());
        Assert.Equal(loaded.Parameters.ToArray(), EmbeddedNet.EmbeddedParameters.ToArray());

        // Biases came from the file too (the default initialisation would leave them 0).
        Assert.NotEqual(0f, embedded.Parameters[12]);
    }

    [Fact]
    public void It_predicts_what_the_loaded_network_predicts_without_allocating()
    {
        var embedded = new EmbeddedNet();
        var loaded = new LoadedTwin();
        SafeTensors.Load(loaded, FilePath);
        float[] input = [0.5f, -1, 2, 0.25f], a = new float[2], b = new float[2];

        embedded.Forward(input, a);
        loaded.Forward(input, b);
        Assert.Equal(b, a);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            embedded.Forward(input, a);
            EmbeddedNet.EmbeddedParameters.CopyTo(embedded.Parameters);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Training_changes_the_instance_not_the_embedded_weights()
    {
        var embedded = new EmbeddedNet();
        float[] original = EmbeddedNet.EmbeddedParameters.ToArray();

        embedded.TrainStep([1, 2, 3, 4], [1, -1], 0.1f);

        Assert.NotEqual(original, embedded.Parameters.ToArray());
        Assert.Equal(original, EmbeddedNet.EmbeddedParameters.ToArray());
        Assert.Equal(original, new EmbeddedNet().Parameters.ToArray());
    }
}
