using System.Collections.Generic;

namespace NetGen.Generator.Onnx;

// What OnnxReader takes from a model file: the parts of onnx.proto's ModelProto that mapping a graph to layers needs,
// and nothing else (doc strings, metadata, training info and functions are passed over). These are short-lived
// values inside one step of the generator, never part of its cached models.

/// <summary>A model: the version of the default operator set it was written for, and its graph.</summary>
internal sealed class OnnxModel(long opset, OnnxGraph graph)
{
    /// <summary>The version of the default domain ("" or "ai.onnx") among the model's opset imports.</summary>
    public long Opset { get; } = opset;

    public OnnxGraph Graph { get; } = graph;
}

/// <summary>A graph: its nodes in file order (which ONNX requires to be topological), initializers, inputs and outputs.</summary>
internal sealed class OnnxGraph(List<OnnxNode> nodes, Dictionary<string, OnnxTensor> initializers, List<OnnxValueInfo> inputs, List<OnnxValueInfo> outputs)
{
    public List<OnnxNode> Nodes { get; } = nodes;

    public Dictionary<string, OnnxTensor> Initializers { get; } = initializers;

    public List<OnnxValueInfo> Inputs { get; } = inputs;

    public List<OnnxValueInfo> Outputs { get; } = outputs;
}

/// <summary>One node: an operator applied to named inputs, giving named outputs.</summary>
internal sealed class OnnxNode(string opType, string domain, string name, List<string> inputs, List<string> outputs, Dictionary<string, OnnxAttribute> attributes)
{
    public string OpType { get; } = opType;

    public string Domain { get; } = domain;

    /// <summary>The node's name, or a made-up one ("node 3, Gemm") when the file gives none, for messages.</summary>
    public string Name { get; set; } = name;

    /// <summary>The input names; an empty name is an optional input left out.</summary>
    public List<string> Inputs { get; } = inputs;

    public List<string> Outputs { get; } = outputs;

    public Dictionary<string, OnnxAttribute> Attributes { get; } = attributes;
}

/// <summary>One attribute of a node; which of the values is set follows its type.</summary>
internal sealed class OnnxAttribute
{
    /// <summary>The attribute's name (the field may come anywhere in its message, so it is set once read).</summary>
    public string Name { get; set; } = string.Empty;

    public float? Float { get; set; }

    public long? Int { get; set; }

    public string? String { get; set; }

    public OnnxTensor? Tensor { get; set; }

    public List<float> Floats { get; } = new();

    public List<long> Ints { get; } = new();

    /// <summary>AttributeProto.strings: a list of names (a GRU's or LSTM's activations).</summary>
    public List<string> Strings { get; } = new();

    /// <summary>A subgraph (If, Loop, Scan): never read, and its operator is refused.</summary>
    public bool HasGraph { get; set; }
}

/// <summary>A tensor: its name, element type, shape, and values converted to double (exact for every type read).</summary>
internal sealed class OnnxTensor(string name, int dataType, long[] dims, double[] values)
{
    public string Name { get; } = name;

    /// <summary>onnx.proto's TensorProto.DataType: 1 float, 6 int32, 7 int64, 9 bool, 11 double.</summary>
    public int DataType { get; } = dataType;

    public long[] Dims { get; } = dims;

    public double[] Values { get; } = values;
}

/// <summary>A graph input or output: its name, element type and shape (a dimension is a number, or null when symbolic).</summary>
internal sealed class OnnxValueInfo(string name, int elementType, List<long?>? shape)
{
    public string Name { get; } = name;

    /// <summary>The element type (TensorProto.DataType), 0 if the file does not say.</summary>
    public int ElementType { get; } = elementType;

    /// <summary>The dimensions (null for a symbolic one such as "batch"), or null if the file gives no shape.</summary>
    public List<long?>? Shape { get; } = shape;
}

/// <summary>The element types of onnx.proto's TensorProto.DataType that NetGen names in its messages.</summary>
internal static class OnnxTypes
{
    public const int Float = 1;
    public const int Int32 = 6;
    public const int Int64 = 7;
    public const int Bool = 9;
    public const int Double = 11;

    public static string Name(int dataType) => dataType switch
    {
        1 => "float32",
        2 => "uint8",
        3 => "int8",
        4 => "uint16",
        5 => "int16",
        6 => "int32",
        7 => "int64",
        8 => "string",
        9 => "bool",
        10 => "float16",
        11 => "float64",
        12 => "uint32",
        13 => "uint64",
        14 => "complex64",
        15 => "complex128",
        16 => "bfloat16",
        _ => "element type " + dataType,
    };
}
