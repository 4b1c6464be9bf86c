using System;
using System.Collections.Generic;

namespace NetGen.Generator.Onnx;

/// <summary>
/// Reads an ONNX model file (onnx.proto's ModelProto, protobuf-encoded) into an <see cref="OnnxModel"/>, refusing with
/// an <see cref="OnnxFormatException"/> whatever is malformed or past a limit. Field numbers are onnx.proto's, written
/// beside each.
/// </summary>
/// <remarks>
/// The nesting it follows is fixed: model, graph, node, attribute, tensor; and graph, value info, type, shape,
/// dimension. A subgraph (an attribute of If, Loop or Scan) is passed over unread, so no file can make the reader go
/// deeper than that, and the generator's stack is safe whatever the file holds.
/// </remarks>
internal static class OnnxReader
{
    /// <summary>
    /// The largest file read. NetGen embeds at most 2,000,000 parameters (8 MB of float32, 16 MB of float64); a model
    /// file more than twice the larger cannot be one NetGen can compile, and reading it would only cost the build time.
    /// </summary>
    public const int MaxFileBytes = 32 * 1024 * 1024;

    /// <summary>The most nodes in a graph: far more than any chain of layers NetGen compiles, and a bound on the mapping's work.</summary>
    public const int MaxNodes = 10_000;

    /// <summary>The most dimensions a tensor may have (ONNX's own checker allows any; no model NetGen compiles needs more than 8).</summary>
    public const int MaxDims = 16;

    /// <summary>The longest name or string attribute read, in UTF-8 bytes.</summary>
    public const int MaxStringBytes = 4096;

    public static OnnxModel Read(byte[] file)
    {
        if (file.Length == 0)
        {
            throw new OnnxFormatException("the file is empty");
        }

        if (file.Length > MaxFileBytes)
        {
            throw new OnnxFormatException($"the file has {file.Length} bytes, more than the {MaxFileBytes} NetGen reads (it embeds at most 2,000,000 parameters)");
        }

        var reader = new ProtobufReader(file, 0, file.Length);
        long? opset = null;
        OnnxGraph? graph = null;
        while (reader.NextField(out int field, out int wire))
        {
            switch (field)
            {
                case 7: // ModelProto.graph
                    if (graph is not null)
                    {
                        throw reader.Malformed("the model has two graphs");
                    }

                    graph = ReadGraph(reader.ReadMessage(wire));
                    break;
                case 8: // ModelProto.opset_import
                    (string domain, long version) = ReadOpset(reader.ReadMessage(wire));
                    if (domain is "" or "ai.onnx")
                    {
                        opset = version;
                    }

                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (graph is null)
        {
            throw new OnnxFormatException("the file holds no graph (is it an ONNX model?)");
        }

        if (opset is null)
        {
            throw new OnnxFormatException("the model imports no version of the default operator set");
        }

        return new OnnxModel(opset.Value, graph);
    }

    private static (string Domain, long Version) ReadOpset(ProtobufReader reader)
    {
        string domain = string.Empty;
        long version = 0;
        while (reader.NextField(out int field, out int wire))
        {
            switch (field)
            {
                case 1: // OperatorSetIdProto.domain
                    domain = reader.ReadString(wire, MaxStringBytes);
                    break;
                case 2: // OperatorSetIdProto.version
                    reader.ExpectWireType(wire, 0);
                    version = reader.ReadInt64();
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return (domain, version);
    }

    private static OnnxGraph ReadGraph(ProtobufReader reader)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        while (reader.NextField(out int field, out int wire))
        {
            switch (field)
            {
                case 1: // GraphProto.node
                    if (nodes.Count == MaxNodes)
                    {
                        throw reader.Malformed($"the graph has more than {MaxNodes} nodes, the most NetGen reads");
                    }

                    nodes.Add(ReadNode(reader.ReadMessage(wire), nodes.Count));
                    break;
                case 5: // GraphProto.initializer
                    OnnxTensor tensor = ReadTensor(reader.ReadMessage(wire));
                    if (initializers.ContainsKey(tensor.Name))
                    {
                        throw reader.Malformed($"two initializers are named '{Shorten(tensor.Name)}'");
                    }

                    initializers.Add(tensor.Name, tensor);
                    break;
                case 11: // GraphProto.input
                    inputs.Add(ReadValueInfo(reader.ReadMessage(wire)));
                    break;
                case 12: // GraphProto.output
                    outputs.Add(ReadValueInfo(reader.ReadMessage(wire)));
                    break;
                case 15: // GraphProto.sparse_initializer
                    throw reader.Malformed("the graph has a sparse initializer, which NetGen does not read");
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return new OnnxGraph(nodes, initializers, inputs, outputs);
    }

    private static OnnxNode ReadNode(ProtobufReader reader, int index)
    {
        string opType = string.Empty, domain = string.Empty, name = string.Empty;
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        while (reader.NextField(out int field, out int wire))
        {
            switch (field)
            {
                case 1: // NodeProto.input
                    inputs.Add(reader.ReadString(wire, MaxStringBytes));
                    break;
                case 2: // NodeProto.output
                    outputs.Add(reader.ReadString(wire, MaxStringBytes));
                    break;
                case 3: // NodeProto.name
                    name = reader.ReadString(wire, MaxStringBytes);
                    break;
                case 4: // NodeProto.op_type
                    opType = reader.ReadString(wire, MaxStringBytes);
                    break;
                case 5: // NodeProto.attribute
                    OnnxAttribute attribute = ReadAttribute(reader.ReadMessage(wire));
                    attributes[attribute.Name] = attribute;
                    break;
                case 7: // NodeProto.domain
                    domain = reader.ReadString(wire, MaxStringBytes);
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (opType.Length == 0)
        {
            throw new OnnxFormatException($"node {index + 1} has no operator type");
        }

        return new OnnxNode(opType, domain, name.Length > 0 ? name : $"node {index + 1} ({opType})", inputs, outputs, attributes);
    }

    private static OnnxAttribute ReadAttribute(ProtobufReader reader)
    {
        string? name = null;
        var attribute = new OnnxAttribute();
        while (reader.NextField(out int field, out int wire))
        {
            switch (field)
            {
                case 1: // AttributeProto.name
                    name = reader.ReadString(wire, MaxStringBytes);
                    break;
                case 2: // AttributeProto.f
                    reader.ExpectWireType(wire, 5);
                    attribute.Float = reader.ReadFloat();
                    break;
                case 3: // AttributeProto.i
                    reader.ExpectWireType(wire, 0);
                    attribute.Int = reader.ReadInt64();
                    break;
                case 4: // AttributeProto.s
                    attribute.String = reader.ReadString(wire, MaxStringBytes);
                    break;
                case 5: // AttributeProto.t
                    attribute.Tensor = ReadTensor(reader.ReadMessage(wire));
                    break;
                case 6: // AttributeProto.g: a subgraph, passed over unread (see the remarks above)
                case 11: // AttributeProto.graphs
                    reader.Skip(wire);
                    attribute.HasGraph = true;
                    break;
                case 7: // AttributeProto.floats, packed or one by one
                    ReadFloats(ref reader, wire, attribute.Floats);
                    break;
                case 8: // AttributeProto.ints, packed or one by one
                    ReadInt64s(ref reader, wire, attribute.Ints);
                    break;
                case 9: // AttributeProto.strings (a recurrent node's activations), each as bounded as a name
                    attribute.Strings.Add(reader.ReadString(wire, MaxStringBytes));
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        if (name is null)
        {
            throw reader.Malformed("an attribute has no name");
        }

        attribute.Name = name;
        return attribute;
    }

    private static OnnxTensor ReadTensor(ProtobufReader reader)
    {
        string name = string.Empty;
        int dataType = 0;
        var dims = new List<long>();
        var floats = new List<float>();
        var doubles = new List<double>();
        var integers = new List<long>();
        (int Start, int End)? raw = null;
        while (reader.NextField(out int field, out int wire))
        {
            switch (field)
            {
                case 1: // TensorProto.dims
                    ReadInt64s(ref reader, wire, dims);
                    if (dims.Count > MaxDims)
                    {
                        throw reader.Malformed($"a tensor has more than {MaxDims} dimensions, the most NetGen reads");
                    }

                    break;
                case 2: // TensorProto.data_type
                    reader.ExpectWireType(wire, 0);
                    dataType = (int)Math.Min(reader.ReadVarint(), int.MaxValue);
                    break;
                case 3: // TensorProto.segment
                    throw reader.Malformed("a tensor is stored in segments, which NetGen does not read");
                case 4: // TensorProto.float_data
                    ReadFloats(ref reader, wire, floats);
                    break;
                case 5: // TensorProto.int32_data (int32, bool, float16 and others as int32s)
                case 7: // TensorProto.int64_data
                    ReadInt64s(ref reader, wire, integers);
                    break;
                case 8: // TensorProto.name
                    name = reader.ReadString(wire, MaxStringBytes);
                    break;
                case 9: // TensorProto.raw_data
                    raw = reader.ReadBytes(wire);
                    break;
                case 10: // TensorProto.double_data
                    ReadDoubles(ref reader, wire, doubles);
                    break;
                case 13: // TensorProto.external_data
                    reader.Skip(wire);
                    break;
                case 14: // TensorProto.data_location
                    reader.ExpectWireType(wire, 0);
                    if (reader.ReadVarint() == 1)
                    {
                        throw new OnnxFormatException(
                            $"the tensor '{Shorten(name)}' keeps its data in an external file; export the model with its weights inside the file (torch.onnx.export does so for models under 2 GB)");
                    }

                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        long count = 1;
        foreach (long dim in dims)
        {
            if (dim < 0)
            {
                throw new OnnxFormatException($"the tensor '{Shorten(name)}' has a negative dimension {dim}");
            }

            // Compared before multiplying: the product of two dimensions can pass 2^63 and wrap, to 0 for [4, 2^62],
            // which let a tensor of no data declare 2^64 values (and the mapping allocate a bias of 2^62).
            if (count != 0 && dim > int.MaxValue / count)
            {
                throw new OnnxFormatException($"the tensor '{Shorten(name)}' declares more than {int.MaxValue} values");
            }

            count *= dim;
        }

        double[] values = Values(name, dataType, (int)count, floats, doubles, integers, raw, reader.Bytes);
        return new OnnxTensor(name, dataType, dims.ToArray(), values);
    }

    /// <summary>
    /// A tensor's values as doubles: from raw_data (little-endian, its length checked first) or from the typed list.
    /// Types NetGen never computes with (strings, float16 and the rest) are kept without values: using one is refused
    /// where it is used, naming the type.
    /// </summary>
    private static double[] Values(string name, int dataType, int count, List<float> floats, List<double> doubles, List<long> integers, (int Start, int End)? raw, byte[] bytes)
    {
        int size = dataType switch
        {
            OnnxTypes.Float or OnnxTypes.Int32 => 4,
            OnnxTypes.Double or OnnxTypes.Int64 => 8,
            OnnxTypes.Bool => 1,
            _ => 0,
        };
        if (size == 0)
        {
            return Array.Empty<double>();
        }

        // The data's length is checked against the shape before anything is allocated: a shape alone cannot make the
        // reader allocate more than the file holds.
        if (raw is { } span)
        {
            if ((long)(span.End - span.Start) != (long)count * size)
            {
                throw new OnnxFormatException($"the tensor '{Shorten(name)}' has {span.End - span.Start} bytes of data where its shape needs {(long)count * size}");
            }

            var values = new double[count];
            for (int i = 0, at = span.Start; i < count; i++, at += size)
            {
                values[i] = dataType switch
                {
                    OnnxTypes.Float => BitConverter.ToSingle(bytes, at),
                    OnnxTypes.Double => BitConverter.ToDouble(bytes, at),
                    OnnxTypes.Int32 => BitConverter.ToInt32(bytes, at),
                    OnnxTypes.Int64 => BitConverter.ToInt64(bytes, at),
                    _ => bytes[at],
                };
            }

            return values;
        }

        int available = dataType switch
        {
            OnnxTypes.Float => floats.Count,
            OnnxTypes.Double => doubles.Count,
            _ => integers.Count,
        };
        if (available != count)
        {
            throw new OnnxFormatException($"the tensor '{Shorten(name)}' has {available} values where its shape needs {count}");
        }

        var typed = new double[count];
        for (int i = 0; i < count; i++)
        {
            typed[i] = dataType switch
            {
                OnnxTypes.Float => floats[i],
                OnnxTypes.Double => doubles[i],
                OnnxTypes.Int32 => unchecked((int)integers[i]),
                _ => integers[i],
            };
        }

        return typed;
    }

    private static OnnxValueInfo ReadValueInfo(ProtobufReader reader)
    {
        string name = string.Empty;
        int elementType = 0;
        List<long?>? shape = null;
        while (reader.NextField(out int field, out int wire))
        {
            switch (field)
            {
                case 1: // ValueInfoProto.name
                    name = reader.ReadString(wire, MaxStringBytes);
                    break;
                case 2: // ValueInfoProto.type (TypeProto)
                    ProtobufReader type = reader.ReadMessage(wire);
                    while (type.NextField(out int typeField, out int typeWire))
                    {
                        if (typeField != 1) // TypeProto.tensor_type; sequences, maps and optionals are not tensors
                        {
                            type.Skip(typeWire);
                            continue;
                        }

                        ProtobufReader tensor = type.ReadMessage(typeWire);
                        while (tensor.NextField(out int tensorField, out int tensorWire))
                        {
                            switch (tensorField)
                            {
                                case 1: // TypeProto.Tensor.elem_type
                                    tensor.ExpectWireType(tensorWire, 0);
                                    elementType = (int)Math.Min(tensor.ReadVarint(), int.MaxValue);
                                    break;
                                case 2: // TypeProto.Tensor.shape
                                    shape = ReadShape(tensor.ReadMessage(tensorWire));
                                    break;
                                default:
                                    tensor.Skip(tensorWire);
                                    break;
                            }
                        }
                    }

                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }

        return new OnnxValueInfo(name, elementType, shape);
    }

    private static List<long?> ReadShape(ProtobufReader reader)
    {
        var dims = new List<long?>();
        while (reader.NextField(out int field, out int wire))
        {
            if (field != 1) // TensorShapeProto.dim
            {
                reader.Skip(wire);
                continue;
            }

            if (dims.Count == MaxDims)
            {
                throw reader.Malformed($"a value has more than {MaxDims} dimensions, the most NetGen reads");
            }

            long? value = null;
            ProtobufReader dim = reader.ReadMessage(wire);
            while (dim.NextField(out int dimField, out int dimWire))
            {
                if (dimField == 1) // Dimension.dim_value; dim_param (2), a symbolic size such as "batch", stays null
                {
                    dim.ExpectWireType(dimWire, 0);
                    value = dim.ReadInt64();
                }
                else
                {
                    dim.Skip(dimWire);
                }
            }

            dims.Add(value);
        }

        return dims;
    }

    private static void ReadFloats(ref ProtobufReader reader, int wire, List<float> into)
    {
        if (wire == 5)
        {
            into.Add(reader.ReadFloat());
            return;
        }

        ProtobufReader packed = reader.ReadMessage(wire);
        while (!packed.AtEnd)
        {
            into.Add(packed.ReadFloat());
        }
    }

    private static void ReadDoubles(ref ProtobufReader reader, int wire, List<double> into)
    {
        if (wire == 1)
        {
            into.Add(reader.ReadDouble());
            return;
        }

        ProtobufReader packed = reader.ReadMessage(wire);
        while (!packed.AtEnd)
        {
            into.Add(packed.ReadDouble());
        }
    }

    private static void ReadInt64s(ref ProtobufReader reader, int wire, List<long> into)
    {
        if (wire == 0)
        {
            into.Add(reader.ReadInt64());
            return;
        }

        ProtobufReader packed = reader.ReadMessage(wire);
        while (!packed.AtEnd)
        {
            into.Add(packed.ReadInt64());
        }
    }

    /// <summary>A name from the file as a message shows it: at most 100 characters, so that a huge name cannot flood the build log.</summary>
    public static string Shorten(string name) => name.Length <= 100 ? name : name.Substring(0, 100) + "...";
}
