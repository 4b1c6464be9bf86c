using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace NetGen.Generator.Tests.Harness;

/// <summary>
/// Builds ONNX model files byte by byte from onnx.proto's published field numbers, independently of NetGen's reader,
/// so that tests can make any graph (including ones no exporter writes, and broken ones) without Python. The field
/// numbers are written beside each use; the wire format is protobuf's (varint tags, length-delimited messages).
/// </summary>
internal sealed class OnnxFile
{
    /// <summary>TensorProto.DataType values.</summary>
    public const int Float = 1, Int64 = 7, Bool = 9, Double = 11, Float16 = 10, Int32 = 6;

    private readonly List<byte[]> _nodes = new();
    private readonly List<byte[]> _initializers = new();
    private readonly List<byte[]> _inputs = new();
    private readonly List<byte[]> _outputs = new();
    private readonly List<(string Domain, long Version)> _opsets = new();

    public OnnxFile(long opset) => _opsets.Add((string.Empty, opset));

    /// <summary>An extra opset import, e.g. ("com.microsoft", 1).</summary>
    public OnnxFile Opset(string domain, long version)
    {
        _opsets.Add((domain, version));
        return this;
    }

    /// <summary>A graph input; a null dimension is symbolic ("batch").</summary>
    public OnnxFile Input(string name, int elementType, params long?[] dims)
    {
        _inputs.Add(ValueInfo(name, elementType, dims));
        return this;
    }

    public OnnxFile Output(string name, int elementType, params long?[] dims)
    {
        _outputs.Add(ValueInfo(name, elementType, dims));
        return this;
    }

    /// <summary>A float32 initializer, its data as raw_data (as torch writes it) or as float_data.</summary>
    public OnnxFile Initializer(string name, long[] dims, float[] values, bool raw = true)
    {
        _initializers.Add(Tensor(name, Float, dims, values.Select(v => (double)v).ToArray(), raw));
        return this;
    }

    public OnnxFile Initializer(string name, long[] dims, double[] values, bool raw = true)
    {
        _initializers.Add(Tensor(name, Double, dims, values, raw));
        return this;
    }

    public OnnxFile Int64Initializer(string name, long[] dims, long[] values)
    {
        _initializers.Add(Tensor(name, Int64, dims, values.Select(v => (double)v).ToArray(), raw: true));
        return this;
    }

    /// <summary>
    /// A node. Attribute values: float, long (or int), string, float[], long[], or a tensor from <see cref="Tensor"/>
    /// given as byte[].
    /// </summary>
    public OnnxFile Node(string op, string[] inputs, string[] outputs, string? name = null, string domain = "", params (string Name, object Value)[] attributes)
    {
        var node = new Writer();
        foreach (string input in inputs)
        {
            node.String(1, input); // NodeProto.input
        }

        foreach (string output in outputs)
        {
            node.String(2, output); // NodeProto.output
        }

        if (name is not null)
        {
            node.String(3, name); // NodeProto.name
        }

        node.String(4, op); // NodeProto.op_type
        foreach ((string attributeName, object value) in attributes)
        {
            node.Message(5, Attribute(attributeName, value)); // NodeProto.attribute
        }

        if (domain.Length > 0)
        {
            node.String(7, domain); // NodeProto.domain
        }

        _nodes.Add(node.ToArray());
        return this;
    }

    /// <summary>A Constant node holding a float32 scalar (as a 0-dimensional tensor, the way torch writes one).</summary>
    public OnnxFile Constant(string output, float value) =>
        Node("Constant", [], [output], attributes: ("value", Tensor(output, Float, [], [value], raw: true)));

    public byte[] ToArray()
    {
        var graph = new Writer();
        foreach (byte[] node in _nodes)
        {
            graph.Message(1, node); // GraphProto.node
        }

        graph.String(2, "test"); // GraphProto.name
        foreach (byte[] initializer in _initializers)
        {
            graph.Message(5, initializer); // GraphProto.initializer
        }

        foreach (byte[] input in _inputs)
        {
            graph.Message(11, input); // GraphProto.input
        }

        foreach (byte[] output in _outputs)
        {
            graph.Message(12, output); // GraphProto.output
        }

        var model = new Writer();
        model.Varint(1, 8); // ModelProto.ir_version
        model.String(2, "NetGen.Generator.Tests"); // ModelProto.producer_name
        model.Message(7, graph.ToArray()); // ModelProto.graph
        foreach ((string domain, long version) in _opsets)
        {
            var opset = new Writer();
            if (domain.Length > 0)
            {
                opset.String(1, domain); // OperatorSetIdProto.domain
            }

            opset.Varint(2, (ulong)version); // OperatorSetIdProto.version
            model.Message(8, opset.ToArray()); // ModelProto.opset_import
        }

        return model.ToArray();
    }

    /// <summary>The additional file the generator sees for <paramref name="fileName"/>: its base64 copy, as the build targets write it.</summary>
    public static (string Path, string Text) AdditionalFile(string fileName, byte[] bytes) =>
        ("obj/netgen/" + fileName + ".b64", Convert.ToBase64String(bytes));

    /// <summary>A TensorProto: its dims, type, name, and data as raw_data or as the typed field.</summary>
    public static byte[] Tensor(string name, int dataType, long[] dims, double[] values, bool raw)
    {
        var tensor = new Writer();
        foreach (long dim in dims)
        {
            tensor.Varint(1, (ulong)dim); // TensorProto.dims (unpacked, which parsers must accept too)
        }

        tensor.Varint(2, (ulong)dataType); // TensorProto.data_type
        tensor.String(8, name); // TensorProto.name
        if (raw)
        {
            var bytes = new List<byte>();
            foreach (double value in values)
            {
                bytes.AddRange(dataType switch
                {
                    Float => BitConverter.GetBytes((float)value),
                    Double => BitConverter.GetBytes(value),
                    Int64 => BitConverter.GetBytes((long)value),
                    Int32 => BitConverter.GetBytes((int)value),
                    _ => [(byte)value],
                });
            }

            tensor.Bytes(9, bytes.ToArray()); // TensorProto.raw_data
        }
        else
        {
            var packed = new Writer();
            foreach (double value in values)
            {
                switch (dataType)
                {
                    case Float:
                        packed.Raw(BitConverter.GetBytes((float)value));
                        break;
                    case Double:
                        packed.Raw(BitConverter.GetBytes(value));
                        break;
                    default:
                        packed.RawVarint((ulong)(long)value);
                        break;
                }
            }

            int field = dataType switch { Float => 4, Double => 10, Int64 => 7, _ => 5 }; // float_data, double_data, int64_data, int32_data
            tensor.Bytes(field, packed.ToArray());
        }

        return tensor.ToArray();
    }

    private static byte[] Attribute(string name, object value)
    {
        var attribute = new Writer();
        attribute.String(1, name); // AttributeProto.name
        switch (value)
        {
            case float f:
                attribute.Fixed32(2, BitConverter.ToUInt32(BitConverter.GetBytes(f))); // AttributeProto.f
                attribute.Varint(20, 1); // AttributeProto.type = FLOAT
                break;
            case int or long:
                attribute.Varint(3, (ulong)Convert.ToInt64(value)); // AttributeProto.i
                attribute.Varint(20, 2); // INT
                break;
            case string s:
                attribute.String(4, s); // AttributeProto.s
                attribute.Varint(20, 3); // STRING
                break;
            case byte[] tensor:
                attribute.Message(5, tensor); // AttributeProto.t
                attribute.Varint(20, 4); // TENSOR
                break;
            case float[] floats:
                var packedFloats = new Writer();
                foreach (float f in floats)
                {
                    packedFloats.Raw(BitConverter.GetBytes(f));
                }

                attribute.Bytes(7, packedFloats.ToArray()); // AttributeProto.floats
                attribute.Varint(20, 6); // FLOATS
                break;
            case long[] ints:
                var packedInts = new Writer();
                foreach (long i in ints)
                {
                    packedInts.RawVarint((ulong)i);
                }

                attribute.Bytes(8, packedInts.ToArray()); // AttributeProto.ints
                attribute.Varint(20, 7); // INTS
                break;
            default:
                throw new ArgumentException($"no attribute of {value.GetType()}");
        }

        return attribute.ToArray();
    }

    private static byte[] ValueInfo(string name, int elementType, long?[] dims)
    {
        var shape = new Writer();
        foreach (long? dim in dims)
        {
            var dimension = new Writer();
            if (dim is { } value)
            {
                dimension.Varint(1, (ulong)value); // Dimension.dim_value
            }
            else
            {
                dimension.String(2, "batch"); // Dimension.dim_param
            }

            shape.Message(1, dimension.ToArray()); // TensorShapeProto.dim
        }

        var tensorType = new Writer();
        tensorType.Varint(1, (ulong)elementType); // TypeProto.Tensor.elem_type
        tensorType.Message(2, shape.ToArray()); // TypeProto.Tensor.shape
        var type = new Writer();
        type.Message(1, tensorType.ToArray()); // TypeProto.tensor_type
        var info = new Writer();
        info.String(1, name); // ValueInfoProto.name
        info.Message(2, type.ToArray()); // ValueInfoProto.type
        return info.ToArray();
    }

    /// <summary>protobuf's wire format, written.</summary>
    internal sealed class Writer
    {
        private readonly List<byte> _bytes = new();

        public void Varint(int field, ulong value)
        {
            Tag(field, 0);
            RawVarint(value);
        }

        public void Fixed32(int field, uint value)
        {
            Tag(field, 5);
            Raw(BitConverter.GetBytes(value));
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Message(int field, byte[] message) => Bytes(field, message);

        public void Bytes(int field, byte[] bytes)
        {
            Tag(field, 2);
            RawVarint((ulong)bytes.Length);
            Raw(bytes);
        }

        public void Tag(int field, int wireType) => RawVarint(((ulong)field << 3) | (uint)wireType);

        public void RawVarint(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }

            _bytes.Add((byte)value);
        }

        public void Raw(byte[] bytes) => _bytes.AddRange(bytes);

        public byte[] ToArray() => _bytes.ToArray();
    }
}
