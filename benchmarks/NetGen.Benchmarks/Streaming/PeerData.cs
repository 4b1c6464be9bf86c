using System;
using System.IO;
using System.Text.Json;

namespace NetGen.Benchmarks.Streaming;

/// <summary>
/// Writes what the peers (RTNeural, PyTorch) need to run the streaming models with NetGen's weights and to check
/// that they agree: one JSON file per network, <c>DIR/NAME.json</c>, holding the weights as a PyTorch state_dict
/// (<c>rec.weight_ih_l0</c>, <c>rec.weight_hh_l0</c>, <c>rec.bias_ih_l0</c>, <c>rec.bias_hh_l0</c>, ... for each
/// recurrent layer k of one nn.GRU or nn.LSTM with num_layers, then <c>dense.weight</c> [1, units] and
/// <c>dense.bias</c> [1]), the agreement check's input sequence and NetGen's ForwardSequence outputs for it from a
/// zero state.
/// </summary>
/// <remarks>
/// Every float is written as the decimal of its exact double value, so that a reader that parses to double and
/// rounds to float (nlohmann::json, Python's json) gets the float's bits back exactly.
/// </remarks>
public static class PeerData
{
    public static void WriteAll(string directory, TextWriter log)
    {
        Directory.CreateDirectory(directory);
        foreach (StreamingCase c in StreamingCase.All)
        {
            string path = Path.Combine(directory, c.Name + ".json");
            using (FileStream stream = File.Create(path))
            {
                Write(c, stream);
            }

            log.WriteLine($"{c.Name}: {path}");
        }
    }

    public static void Write(StreamingCase c, Stream stream)
    {
        ISequenceNetwork<float> network = c.NewNetGen();
        float[] p = network.Parameters.ToArray();
        float[] inputs = StreamingCase.Inputs(StreamingCase.SequenceLength, StreamingCase.SequenceSeed);
        float[] outputs = new float[inputs.Length];
        network.ForwardSequence(inputs, outputs, network.CreateState());
        CheckSteps(c, network, inputs, outputs);

        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        json.WriteStartObject();
        json.WriteString("network", c.Name);
        json.WriteString("netgen_type", network.GetType().Name);
        json.WriteString("topology", network.Topology);
        json.WriteString("kind", c.Kind);
        json.WriteStartArray("units");
        foreach (int u in c.Units)
        {
            json.WriteNumberValue(u);
        }

        json.WriteEndArray();
        json.WriteNumber("parameter_seed", StreamingCase.ParameterSeed);
        json.WriteNumber("sequence_seed", StreamingCase.SequenceSeed);

        // The state_dict, in the order of NetGen's Parameters: per recurrent layer weight_ih [G*u, in],
        // weight_hh [G*u, u], bias_ih [G*u], bias_hh [G*u]; then the Dense layer's weight [1, u] and bias [1].
        json.WriteStartObject("state_dict");
        int offset = 0;
        int inputs0 = 1;
        for (int k = 0; k < c.Units.Length; k++)
        {
            int u = c.Units[k], rows = c.Gates * u;
            WriteMatrix(json, $"rec.weight_ih_l{k}", p, ref offset, rows, inputs0);
            WriteMatrix(json, $"rec.weight_hh_l{k}", p, ref offset, rows, u);
            WriteVector(json, $"rec.bias_ih_l{k}", p, ref offset, rows);
            WriteVector(json, $"rec.bias_hh_l{k}", p, ref offset, rows);
            inputs0 = u;
        }

        WriteMatrix(json, "dense.weight", p, ref offset, 1, inputs0);
        WriteVector(json, "dense.bias", p, ref offset, 1);
        json.WriteEndObject();
        if (offset != p.Length)
        {
            throw new InvalidOperationException($"{c.Name}: the layout covers {offset} of {p.Length} parameters.");
        }

        json.WritePropertyName("inputs");
        WriteValues(json, inputs);
        json.WritePropertyName("outputs");
        WriteValues(json, outputs);
        json.WriteEndObject();
    }

    /// <summary>ForwardSequence promises the bits of one Forward per step: checked here before anything is written.</summary>
    private static void CheckSteps(StreamingCase c, ISequenceNetwork<float> network, float[] inputs, float[] outputs)
    {
        ISequenceState state = network.CreateState();
        float[] y = new float[1];
        for (int t = 0; t < inputs.Length; t++)
        {
            network.Forward(inputs.AsSpan(t, 1), y, state);
            if (BitConverter.SingleToInt32Bits(y[0]) != BitConverter.SingleToInt32Bits(outputs[t]))
            {
                throw new InvalidOperationException($"{c.Name}: step {t}: Forward gives {y[0]:R}, ForwardSequence {outputs[t]:R}.");
            }
        }
    }

    private static void WriteMatrix(Utf8JsonWriter json, string name, float[] p, ref int offset, int rows, int columns)
    {
        json.WriteStartArray(name);
        for (int r = 0; r < rows; r++)
        {
            WriteValues(json, p.AsSpan(offset, columns));
            offset += columns;
        }

        json.WriteEndArray();
    }

    private static void WriteVector(Utf8JsonWriter json, string name, float[] p, ref int offset, int length)
    {
        json.WritePropertyName(name);
        WriteValues(json, p.AsSpan(offset, length));
        offset += length;
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
}
