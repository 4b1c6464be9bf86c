using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Text.Json;
using NetGen.Shared;

namespace NetGen;

/// <summary>
/// Loads and saves a network's parameters as a safetensors file (https://github.com/huggingface/safetensors) laid out
/// like the <c>state_dict</c> of a PyTorch <c>nn.Sequential</c> of <c>nn.Linear</c> layers and activations, so that
/// weights trained in PyTorch run in NetGen and NetGen's run in PyTorch. See docs/interop.md.
/// </summary>
/// <remarks>
/// <para>
/// <b>Matching.</b> A tensor named <c>&lt;index&gt;.weight</c> or <c>&lt;index&gt;.bias</c> belongs to the Linear
/// module at that index of the Sequential. The indices need not be contiguous (activations have no parameters, so
/// <c>nn.Sequential(Linear, ReLU, Linear)</c> gives <c>0.*</c> and <c>2.*</c>): the Linear modules are taken in
/// ascending numeric order and matched to the network's layers in order. Each layer needs a weight of shape
/// <c>[units, inputs]</c> (<c>nn.Linear.weight</c>, the layout of <see cref="INetwork{T}.Parameters"/>) and, exactly
/// when it has biases, a bias of shape <c>[units]</c>. Any other tensor is refused. Dtypes F32, F64, F16 and BF16 are
/// converted to the network's element type (F64 to <c>float</c> rounds to nearest; the others are exact).
/// </para>
/// <para>
/// <b>Streaming models</b> (a GRU, LSTM or Conv1D layer) bind the <c>state_dict</c> of a model of <c>nn.GRU</c>,
/// <c>nn.LSTM</c>, <c>nn.Conv1d</c> and <c>nn.Linear</c> modules under any module names (<c>gru.weight_ih_l0</c>,
/// <c>conv.weight</c>, <c>0.bias</c>, and <c>_l1</c> for the second layer of an <c>nn.GRU(num_layers=2)</c>): the
/// modules are ordered by their paths (numbers as numbers) and each layer, in order, takes the first module left whose
/// tensors have exactly its names and shapes (<see cref="LayerTopology.Tensors"/>), so attribute names that sort
/// against the layer order still bind when the shapes tell the modules apart. The refusals are the same as for Dense
/// layers: a wrong shape, a missing tensor, a bias for a layer without, a module too many.
/// </para>
/// <para>
/// <b>Loading</b> reads and checks everything (header, offsets, names, shapes, dtypes, data) into a buffer before it
/// writes a single parameter, so a refused file (a <see cref="SafeTensorsException"/> with its
/// <see cref="SafeTensorsException.Reason"/>) leaves the network exactly as it was. Nothing is allocated from an
/// unchecked length: the header is at most 100,000,000 bytes (the reference implementation's limit) and is read only as
/// far as the data goes, and the tensor data is read only once the header has matched the network.
/// </para>
/// <para>
/// <b>Saving</b> writes F32 for a <c>float</c> network and F64 for a <c>double</c> one, layer <c>i</c>'s tensors named
/// <c>{2 i}.weight</c> and <c>{2 i}.bias</c>, as <c>nn.Sequential(Linear, activation, Linear, ...)</c> names them
/// (an Identity layer counts as an <c>nn.Identity()</c> module); a recurrent layer's <c>{2 i}.weight_ih_l0</c>,
/// <c>{2 i}.weight_hh_l0</c>, <c>{2 i}.bias_ih_l0</c>, <c>{2 i}.bias_hh_l0</c>, as an <c>nn.ModuleList</c> of each
/// layer's module followed by its activation module (<c>nn.Identity()</c> after a GRU or LSTM) names them; with <c>__metadata__</c>
/// <c>{"format": "pt", "netgen.topology": "&lt;the network's Topology&gt;"}</c>; the JSON header is padded with spaces
/// to a multiple of 8 bytes, and the tensors follow in layer order.
/// </para>
/// </remarks>
public static class SafeTensors
{
    /// <summary>The metadata key under which <see cref="Save{T}(INetwork{T}, Stream)"/> records the network's topology text.</summary>
    public const string TopologyMetadataKey = "netgen.topology";

    private const int HeaderReadChunk = 1 << 16;

    /// <summary>
    /// Reads a safetensors file from <paramref name="stream"/>, from its current position to its end, into
    /// <paramref name="network"/>'s parameters. The stream is not closed.
    /// </summary>
    /// <remarks>
    /// The stream must end where the byte buffer the header describes ends: the format requires every byte of the
    /// buffer to belong to a tensor. A seekable stream's length is used to refuse impossible lengths before reading.
    /// </remarks>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="network">The network whose parameters are replaced.</param>
    /// <param name="stream">The stream to read.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="stream"/> cannot be read, or the network's <see cref="INetwork{T}.Topology"/> does not describe it.
    /// </exception>
    /// <exception cref="SafeTensorsException">
    /// The data is not a valid safetensors file, or does not fit the network (see <see cref="SafeTensorsException.Reason"/>);
    /// the network's parameters are unchanged.
    /// </exception>
    public static void Load<T>(INetwork<T> network, Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream cannot be read.", nameof(stream));
        }

        NetworkTopology topology = NetworkTopology.Of(network);
        long? available = stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : null;
        T[] parameters = Decode<T>(topology, stream, available);
        parameters.CopyTo(network.Parameters);
    }

    /// <summary>Reads the safetensors file at <paramref name="path"/> into <paramref name="network"/>'s parameters.</summary>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="network">The network whose parameters are replaced.</param>
    /// <param name="path">The file to read.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="path"/> is empty, or the network's <see cref="INetwork{T}.Topology"/> does not describe it.
    /// </exception>
    /// <exception cref="SafeTensorsException">
    /// The file is not a valid safetensors file, or does not fit the network (see <see cref="SafeTensorsException.Reason"/>);
    /// the network's parameters are unchanged.
    /// </exception>
    /// <exception cref="IOException">
    /// The file does not exist (<see cref="FileNotFoundException"/>), is a directory, or cannot be read (access denied
    /// included: the <see cref="UnauthorizedAccessException"/> is the inner exception).
    /// </exception>
    /// <remarks>
    /// A file that cannot seek, such as a named pipe, is read as a stream that cannot seek is: to its end, with the
    /// header read in growing chunks as far as the data goes.
    /// </remarks>
    public static void Load<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        NetworkTopology topology = NetworkTopology.Of(network);
        T[] parameters;
        using (FileStream file = ReadableFile.Open(path))
        {
            // A named pipe or a character device has no length to ask for (FileStream.Length throws).
            parameters = Decode<T>(topology, file, file.CanSeek ? file.Length : null);
        }

        parameters.CopyTo(network.Parameters);
    }

    /// <summary>Writes <paramref name="network"/>'s parameters to <paramref name="stream"/> as a safetensors file, from its current position. The stream is not closed.</summary>
    /// <typeparam name="T">The element type: <c>float</c> (saved as F32) or <c>double</c> (saved as F64).</typeparam>
    /// <param name="network">The network to save.</param>
    /// <param name="stream">The stream to write.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="stream"/> cannot be written, or the network's <see cref="INetwork{T}.Topology"/> does not describe it.
    /// </exception>
    public static void Save<T>(INetwork<T> network, Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream cannot be written.", nameof(stream));
        }

        stream.Write(Encode(network));
    }

    /// <summary>
    /// Writes <paramref name="network"/>'s parameters to the file at <paramref name="path"/> as a safetensors file,
    /// atomically: the data goes to a temporary file beside the target, is flushed to disk, then renamed over it, so
    /// after an exception whatever was there before is left untouched.
    /// </summary>
    /// <typeparam name="T">The element type: <c>float</c> (saved as F32) or <c>double</c> (saved as F64).</typeparam>
    /// <param name="network">The network to save.</param>
    /// <param name="path">The file to write.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="path"/> is empty or names a directory (an existing one included), or the network's
    /// <see cref="INetwork{T}.Topology"/> does not describe it.
    /// </exception>
    /// <exception cref="IOException">The file cannot be written or replaced.</exception>
    /// <exception cref="UnauthorizedAccessException">Access to the file or directory is denied.</exception>
    public static void Save<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, Encode(network));
    }

    /// <summary>The name <see cref="Save{T}(INetwork{T}, Stream)"/> gives a layer's weight: <c>{2 layer}.weight</c>.</summary>
    /// <param name="layer">The layer's index, 0 for the first.</param>
    /// <returns>The tensor name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is negative or too large.</exception>
    public static string WeightName(int layer) => ModuleIndex(layer) + ".weight";

    /// <summary>The name <see cref="Save{T}(INetwork{T}, Stream)"/> gives a layer's bias: <c>{2 layer}.bias</c>.</summary>
    /// <param name="layer">The layer's index, 0 for the first.</param>
    /// <returns>The tensor name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is negative or too large.</exception>
    public static string BiasName(int layer) => ModuleIndex(layer) + ".bias";

    private static string ModuleIndex(int layer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(layer, int.MaxValue / 2);
        return (2 * layer).ToString(CultureInfo.InvariantCulture);
    }

    // ---- Saving.

    private static byte[] Encode<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        NetworkTopology topology = NetworkTopology.Of(network);
        bool isFloat = typeof(T) == typeof(float);
        int size = isFloat ? 4 : 8;
        string dtype = isFloat ? "F32" : "F64";

        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("__metadata__");
            writer.WriteString("format", "pt");
            writer.WriteString(TopologyMetadataKey, topology.ToString());
            writer.WriteEndObject();
            long offset = 0;
            foreach (LayerTopology layer in topology.Layers)
            {
                // {2 i}.weight and {2 i}.bias for a Dense layer, {2 i}.weight_ih_l0 ... for a recurrent one.
                foreach (ParameterTensor tensor in layer.Tensors)
                {
                    offset = WriteEntry(writer, ModuleIndex(layer.Index) + "." + tensor.Name, dtype, tensor.Shape, offset, (long)tensor.Length * size);
                }
            }

            writer.WriteEndObject();
        }

        // The header is padded with spaces so that the buffer starts 8-byte aligned, as the reference writer does.
        int headerLength = (json.WrittenCount + 7) / 8 * 8;
        ReadOnlySpan<T> parameters = network.Parameters;
        var bytes = new byte[checked(8 + headerLength + ((long)parameters.Length * size))];
        Span<byte> span = bytes;
        BinaryPrimitives.WriteUInt64LittleEndian(span, (ulong)headerLength);
        json.WrittenSpan.CopyTo(span[8..]);
        span.Slice(8 + json.WrittenCount, headerLength - json.WrittenCount).Fill((byte)' ');

        // Every tensor in layer order, each layer's in the order of LayerTopology.Tensors: exactly the order of Parameters.
        Span<byte> data = span[(8 + headerLength)..];
        for (int i = 0; i < parameters.Length; i++)
        {
            if (isFloat)
            {
                BinaryPrimitives.WriteSingleLittleEndian(data[(i * 4)..], float.CreateTruncating(parameters[i]));
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(data[(i * 8)..], double.CreateTruncating(parameters[i]));
            }
        }

        return bytes;
    }

    private static long WriteEntry(Utf8JsonWriter writer, string name, string dtype, IReadOnlyList<int> shape, long begin, long length)
    {
        writer.WriteStartObject(name);
        writer.WriteString("dtype", dtype);
        writer.WriteStartArray("shape");
        foreach (int dimension in shape)
        {
            writer.WriteNumberValue(dimension);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("data_offsets");
        writer.WriteNumberValue(begin);
        writer.WriteNumberValue(begin + length);
        writer.WriteEndArray();
        writer.WriteEndObject();
        return begin + length;
    }

    // ---- Loading.

    /// <summary>Reads and checks a whole file into a new array of parameters; throws before returning anything partial.</summary>
    /// <param name="topology">The network's topology.</param>
    /// <param name="stream">Positioned at the file's first byte.</param>
    /// <param name="available">The number of bytes left in the stream, when known.</param>
    private static T[] Decode<T>(NetworkTopology topology, Stream stream, long? available)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<byte> prefix = stackalloc byte[8];
        int read = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (read < prefix.Length)
        {
            throw new SafeTensorsException(SafeTensorsError.Truncated, $"The data ends after {read} bytes, inside the 8-byte header length.");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength == 0 || headerLength > SafeTensorsHeader.MaxLength)
        {
            throw new SafeTensorsException(
                SafeTensorsError.MalformedHeader,
                $"The header length is {headerLength} bytes; it must be between 1 and 100,000,000 (the reference implementation's limit).");
        }

        ulong? afterPrefix = available is long total ? (ulong)Math.Max(0, total - 8) : null;
        if (afterPrefix < headerLength)
        {
            throw new SafeTensorsException(
                SafeTensorsError.Truncated,
                $"The header length is {headerLength} bytes, but only {afterPrefix} bytes follow it.");
        }

        byte[] headerBytes = ReadHeader(stream, (int)headerLength, lengthKnown: afterPrefix is not null);
        SafeTensorsHeader header = SafeTensorsHeader.Parse(headerBytes);
        (SafeTensorInfo Tensor, int Offset, int Length)[] copies = Match(header, topology);

        // The header fits the network, so the buffer holds exactly the network's parameters: its length is bounded.
        ulong bufferLength = header.BufferLength;
        ulong? afterHeader = afterPrefix - headerLength;
        if (afterHeader < bufferLength)
        {
            SafeTensorInfo last = LastTensor(header);
            throw new SafeTensorsException(
                SafeTensorsError.Truncated,
                $"Tensor \"{SafeTensorsHeader.Shown(last.Name)}\" ends at byte {last.End} of the buffer, but the data holds only {afterHeader} bytes after the header.",
                last.Name);
        }

        if (afterHeader > bufferLength)
        {
            throw TrailingBytes(bufferLength);
        }

        var buffer = new byte[bufferLength];
        read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
        {
            SafeTensorInfo last = LastTensor(header);
            throw new SafeTensorsException(
                SafeTensorsError.Truncated,
                $"Tensor \"{SafeTensorsHeader.Shown(last.Name)}\" ends at byte {last.End} of the buffer, but the data ends {read} bytes after the header.",
                last.Name);
        }

        if (afterHeader is null && stream.ReadByte() >= 0)
        {
            throw TrailingBytes(bufferLength);
        }

        var parameters = new T[topology.ParameterCount];
        foreach ((SafeTensorInfo tensor, int offset, int length) in copies)
        {
            Convert(buffer, tensor, parameters.AsSpan(offset, length));
        }

        return parameters;
    }

    /// <summary>Reads the header, allocating no more than the data actually present when the stream's length is unknown.</summary>
    private static byte[] ReadHeader(Stream stream, int length, bool lengthKnown)
    {
        byte[] buffer = new byte[lengthKnown ? length : Math.Min(length, HeaderReadChunk)];
        int filled = 0;
        while (filled < length)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(length, 2L * buffer.Length));
            }

            int read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                throw new SafeTensorsException(
                    SafeTensorsError.Truncated,
                    $"The header length is {length} bytes, but the data ends {filled} bytes into the header.");
            }

            filled += read;
        }

        return buffer;
    }

    private static SafeTensorInfo LastTensor(SafeTensorsHeader header)
    {
        SafeTensorInfo last = header.Tensors[0];
        foreach (SafeTensorInfo tensor in header.Tensors)
        {
            last = tensor.End > last.End ? tensor : last;
        }

        return last;
    }

    private static SafeTensorsException TrailingBytes(ulong bufferLength) => new(
        SafeTensorsError.InvalidOffsets,
        $"Bytes follow the end of the last tensor (byte {bufferLength} of the buffer): every byte of the buffer must belong to a tensor.");

    /// <summary>
    /// Matches the header's tensors to the network's layers: a network of Dense layers by the rule the generator's
    /// embedded weights follow too (src/Shared/SequentialStateDict.cs: names, module order, dtypes, shapes, and the
    /// messages), a streaming model by the module rule beside it (ModuleStateDict). Returns where each tensor goes.
    /// </summary>
    private static (SafeTensorInfo Tensor, int Offset, int Length)[] Match(SafeTensorsHeader header, NetworkTopology topology)
    {
        IReadOnlyList<LayerTopology> layers = topology.Layers;
        var copies = new List<(SafeTensorInfo Tensor, int Offset, int Length)>();
        StateDictError? error;
        if (topology.IsStreaming)
        {
            var modules = new StateDictModuleLayer[layers.Count];
            for (int k = 0; k < modules.Length; k++)
            {
                modules[k] = ModuleLayer(layers[k]);
            }

            error = ModuleStateDict.Bind(header.Tensors, modules, out BoundModule<SafeTensorInfo>[] boundModules, SafeTensorsHeader.Shown);
            for (int k = 0; error is null && k < boundModules.Length; k++)
            {
                for (int j = 0; j < boundModules[k].Tensors.Length; j++)
                {
                    ParameterTensor tensor = layers[k].Tensors[j];
                    copies.Add((boundModules[k].Tensors[j], tensor.Offset, tensor.Length));
                }
            }
        }
        else
        {
            var shapes = new StateDictLayer[layers.Count];
            for (int k = 0; k < shapes.Length; k++)
            {
                shapes[k] = new StateDictLayer(layers[k].Index, layers[k].InputCount, layers[k].Units, layers[k].HasBias);
            }

            error = SequentialStateDict.Bind(header.Tensors, shapes, out BoundLayer<SafeTensorInfo>[] bound, SafeTensorsHeader.Shown);
            for (int k = 0; error is null && k < bound.Length; k++)
            {
                LayerTopology layer = layers[k];
                copies.Add((bound[k].Weight, layer.WeightOffset, layer.WeightCount));
                if (bound[k].Bias is { } bias)
                {
                    copies.Add((bias, layer.BiasOffset, layer.Units));
                }
            }
        }

        if (error is not null)
        {
            SafeTensorsError reason = error.Kind switch
            {
                StateDictErrorKind.UnexpectedTensor => SafeTensorsError.UnexpectedTensor,
                StateDictErrorKind.MissingTensor => SafeTensorsError.MissingTensor,
                StateDictErrorKind.UnsupportedDtype => SafeTensorsError.UnsupportedDtype,
                _ => SafeTensorsError.ShapeMismatch,
            };
            throw new SafeTensorsException(reason, error.Sentence, error.TensorName);
        }

        return [.. copies];
    }

    /// <summary>A layer of a streaming model as the module rule sees it: what it is, and its tensors' names and shapes.</summary>
    private static StateDictModuleLayer ModuleLayer(LayerTopology layer)
    {
        string kind = layer.Kind switch
        {
            LayerKind.Gru => "GRU",
            LayerKind.Lstm => "LSTM",
            LayerKind.Conv1D => "Conv1D",
            _ => "Dense",
        };
        string outputs = layer.Kind == LayerKind.Conv1D ? Count(layer.Units, "channel") : Count(layer.Units, "unit");
        string description = $"{kind}, {outputs}, {Count(layer.InputCount, "input")}";
        if (layer.Kind == LayerKind.Conv1D)
        {
            description += $", kernel {layer.KernelSize}" + (layer.Dilation == 1 ? string.Empty : $", dilation {layer.Dilation}");
        }

        description += layer.HasBias ? string.Empty : ", no bias";
        var parameters = new StateDictParameter[layer.Tensors.Count];
        for (int j = 0; j < parameters.Length; j++)
        {
            ParameterTensor tensor = layer.Tensors[j];
            var shape = new ulong[tensor.Shape.Count];
            for (int d = 0; d < shape.Length; d++)
            {
                shape[d] = (ulong)tensor.Shape[d];
            }

            parameters[j] = new StateDictParameter(tensor.Name, shape);
        }

        return new StateDictModuleLayer(layer.Index, description, parameters);
    }

    private static string Count(int count, string noun) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");

    /// <summary>Converts one tensor's little-endian data to <typeparamref name="T"/>.</summary>
    private static void Convert<T>(byte[] buffer, SafeTensorInfo tensor, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<byte> data = buffer.AsSpan((int)tensor.Begin, (int)(tensor.End - tensor.Begin));
        switch (tensor.Dtype)
        {
            case "F32":
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = T.CreateTruncating(BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]));
                }

                break;
            case "F64":
                // To float: rounded to nearest, as (float)d does.
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = T.CreateTruncating(BinaryPrimitives.ReadDoubleLittleEndian(data[(i * 8)..]));
                }

                break;
            case "F16":
                // Every half is exactly a float.
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = T.CreateTruncating((float)BinaryPrimitives.ReadHalfLittleEndian(data[(i * 2)..]));
                }

                break;
            default:
                // BF16 is the upper half of a float32: shifting it back up is exact, NaN payloads included.
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = T.CreateTruncating(BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..]) << 16));
                }

                break;
        }
    }
}
