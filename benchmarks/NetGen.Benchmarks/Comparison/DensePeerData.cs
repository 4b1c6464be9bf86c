using System;
using System.IO;
using System.Text.Json;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// Writes what the Dense peers (benchmarks/Peers/dense for RTNeural, benchmarks/Peers/pytorch_dense.py) need to run
/// the Dense NxN networks and A to D with NetGen's parameters and to check that they agree, per network NAME:
/// <list type="bullet">
/// <item><c>DIR/NAME.json</c>: the sizes, which layers have biases, the fresh-input buffer's length
/// (<see cref="NetworkCase.FreshSampleCount"/>), and the parameters as the state_dict of PyTorch's
/// <c>nn.Sequential(nn.Linear, nn.ReLU, nn.Linear)</c>: <c>0.weight</c> [hidden, inputs], <c>0.bias</c>,
/// <c>2.weight</c> [outputs, hidden], <c>2.bias</c> (no bias entries for a layer without biases, as in A); and, for
/// the training check, the parameters in that layout after one NetGen TrainBatch of the first 32 samples at learning
/// rate 0.01 (<c>after_train_batch</c>).</item>
/// <item><c>DIR/NAME.inputs.f32</c>: the first <see cref="CheckSamples"/> samples of the fresh-input buffer, and
/// <c>DIR/NAME.outputs.f32</c>: NetGen's Forward outputs for each; <c>DIR/NAME.targets.f32</c>: the targets of the
/// first 32 samples. Raw little-endian float32, sample after sample (D's inputs alone are 12.8 MB, too many for
/// JSON text).</item>
/// </list>
/// </summary>
/// <remarks>
/// Every float in the JSON is written as the decimal of its exact double value, so that a reader that parses to
/// double and rounds to float (nlohmann::json, Python's json) gets the float's bits back exactly.
/// </remarks>
public static class DensePeerData
{
    /// <summary>The samples of the agreement check.</summary>
    public const int CheckSamples = 4096;

    public static void WriteAll(string directory, TextWriter log)
    {
        Directory.CreateDirectory(directory);
        foreach (NetworkCase c in NetworkCase.Every)
        {
            Write(c, directory);
            log.WriteLine($"{c.Name}: {Path.Combine(directory, c.Name)}.json, .inputs.f32, .outputs.f32, .targets.f32");
        }
    }

    public static void Write(NetworkCase c, string directory)
    {
        if (c.Sizes.Length != 3)
        {
            throw new InvalidOperationException($"{c.Name}: the peers run two Dense layers, this network has {c.Sizes.Length - 1}.");
        }

        INetwork<float> network = c.NewNetGen();
        float[] start = network.Parameters.ToArray();
        (float[] fresh, float[] freshTargets) = c.FreshSamples();
        float[] inputs = fresh.AsSpan(0, CheckSamples * c.InputCount).ToArray();
        float[] outputs = new float[CheckSamples * c.OutputCount];
        for (int s = 0; s < CheckSamples; s++)
        {
            network.Forward(inputs.AsSpan(s * c.InputCount, c.InputCount), outputs.AsSpan(s * c.OutputCount, c.OutputCount));
        }

        float[] targets = freshTargets.AsSpan(0, 32 * c.OutputCount).ToArray();
        INetwork<float> trained = c.NewNetGen();
        trained.TrainBatch(inputs.AsSpan(0, 32 * c.InputCount), targets, Verification.LearningRate);
        float[] after = trained.Parameters.ToArray();

        string path = Path.Combine(directory, c.Name);
        using (FileStream stream = File.Create(path + ".json"))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteString("network", c.Name);
            json.WriteString("netgen_type", network.GetType().Name);
            json.WriteString("topology", network.Topology);
            WriteInts(json, "sizes", c.Sizes);
            json.WriteStartArray("bias");
            foreach (bool b in c.Bias)
            {
                json.WriteBooleanValue(b);
            }

            json.WriteEndArray();
            json.WriteNumber("parameter_seed", NetworkCase.ParameterSeed);
            json.WriteNumber("sample_seed", NetworkCase.SampleSeed);
            json.WriteNumber("fresh_samples", c.FreshSampleCount);
            json.WriteNumber("check_samples", CheckSamples);
            json.WriteNumber("train_batch", 32);
            json.WriteNumber("train_learning_rate", (double)Verification.LearningRate);
            json.WritePropertyName("state_dict");
            WriteStateDict(json, c, start);
            json.WritePropertyName("after_train_batch");
            WriteStateDict(json, c, after);
            json.WriteEndObject();
        }

        WriteFloats(path + ".inputs.f32", inputs);
        WriteFloats(path + ".outputs.f32", outputs);
        WriteFloats(path + ".targets.f32", targets);
    }

    // NetGen's order is, per layer, the weights row-major [unit][input] and then the biases (MlpLayout), which is
    // nn.Linear's weight [out, in] and bias.
    private static void WriteStateDict(Utf8JsonWriter json, NetworkCase c, float[] p)
    {
        json.WriteStartObject();
        int offset = 0;
        for (int l = 0; l < 2; l++)
        {
            int key = 2 * l, rows = c.Sizes[l + 1], columns = c.Sizes[l];
            json.WriteStartArray($"{key}.weight");
            for (int r = 0; r < rows; r++)
            {
                WriteValues(json, p.AsSpan(offset, columns));
                offset += columns;
            }

            json.WriteEndArray();
            if (c.Bias[l])
            {
                json.WritePropertyName($"{key}.bias");
                WriteValues(json, p.AsSpan(offset, rows));
                offset += rows;
            }
        }

        json.WriteEndObject();
        if (offset != p.Length)
        {
            throw new InvalidOperationException($"{c.Name}: the layout covers {offset} of {p.Length} parameters.");
        }
    }

    private static void WriteInts(Utf8JsonWriter json, string name, int[] values)
    {
        json.WriteStartArray(name);
        foreach (int v in values)
        {
            json.WriteNumberValue(v);
        }

        json.WriteEndArray();
    }

    private static void WriteValues(Utf8JsonWriter json, ReadOnlySpan<float> values)
    {
        json.WriteStartArray();
        foreach (float v in values)
        {
            json.WriteNumberValue((double)v);
        }

        json.WriteEndArray();
    }

    private static void WriteFloats(string path, float[] values)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("the .f32 files are little-endian float32, written as this machine's bytes");
        }

        File.WriteAllBytes(path, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }
}
