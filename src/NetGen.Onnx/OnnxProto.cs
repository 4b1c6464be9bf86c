using System;
using System.IO;
using Google.Protobuf;

namespace NetGen.Onnx;

/// <summary>
/// The field numbers of the few ONNX messages the exporter writes, from the official schema onnx/onnx.proto
/// (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto, syntax proto2, package onnx). Only what NetGen needs is
/// here; the numbers are the schema's and never change between ONNX versions.
/// </summary>
internal static class OnnxProto
{
    /// <summary><c>message ModelProto</c>.</summary>
    public static class Model
    {
        public const int IrVersion = 1;        // optional int64 ir_version = 1;
        public const int ProducerName = 2;     // optional string producer_name = 2;
        public const int ProducerVersion = 3;  // optional string producer_version = 3;
        public const int Domain = 4;           // optional string domain = 4;
        public const int ModelVersion = 5;     // optional int64 model_version = 5;
        public const int DocString = 6;        // optional string doc_string = 6;
        public const int Graph = 7;            // optional GraphProto graph = 7;
        public const int OpsetImport = 8;      // repeated OperatorSetIdProto opset_import = 8;
        public const int MetadataProps = 14;   // repeated StringStringEntryProto metadata_props = 14;
    }

    /// <summary><c>message OperatorSetIdProto</c>.</summary>
    public static class OperatorSetId
    {
        public const int Domain = 1;   // optional string domain = 1;  ("" is the default ONNX operator set)
        public const int Version = 2;  // optional int64 version = 2;
    }

    /// <summary><c>message StringStringEntryProto</c>.</summary>
    public static class StringStringEntry
    {
        public const int Key = 1;    // optional string key = 1;
        public const int Value = 2;  // optional string value = 2;
    }

    /// <summary><c>message GraphProto</c>.</summary>
    public static class Graph
    {
        public const int Node = 1;          // repeated NodeProto node = 1;  (sorted topologically)
        public const int Name = 2;          // optional string name = 2;
        public const int Initializer = 5;   // repeated TensorProto initializer = 5;
        public const int DocString = 10;    // optional string doc_string = 10;
        public const int Input = 11;        // repeated ValueInfoProto input = 11;
        public const int Output = 12;       // repeated ValueInfoProto output = 12;
    }

    /// <summary><c>message NodeProto</c>.</summary>
    public static class Node
    {
        public const int Input = 1;       // repeated string input = 1;
        public const int Output = 2;      // repeated string output = 2;
        public const int Name = 3;        // optional string name = 3;
        public const int OpType = 4;      // optional string op_type = 4;
        public const int Attribute = 5;   // repeated AttributeProto attribute = 5;
    }

    /// <summary><c>message AttributeProto</c>.</summary>
    public static class Attribute
    {
        public const int Name = 1;   // optional string name = 1;
        public const int F = 2;      // optional float f = 2;
        public const int I = 3;      // optional int64 i = 3;
        public const int Ints = 8;   // repeated int64 ints = 8;
        public const int Type = 20;  // optional AttributeType type = 20;

        /// <summary><c>enum AttributeType { FLOAT = 1; INT = 2; ... }</c>.</summary>
        public const int TypeFloat = 1;

        /// <summary><c>AttributeType.INT</c>.</summary>
        public const int TypeInt = 2;

        /// <summary><c>AttributeType.INTS</c>.</summary>
        public const int TypeInts = 7;
    }

    /// <summary><c>message TensorProto</c>.</summary>
    public static class Tensor
    {
        public const int Dims = 1;      // repeated int64 dims = 1;
        public const int DataType = 2;  // optional int32 data_type = 2;
        public const int Name = 8;      // optional string name = 8;
        public const int RawData = 9;   // optional bytes raw_data = 9;  (fixed-width, little-endian, IEEE 754)

        /// <summary><c>enum DataType { FLOAT = 1; ... }</c>.</summary>
        public const int DataTypeFloat = 1;

        /// <summary><c>DataType.INT64</c>.</summary>
        public const int DataTypeInt64 = 7;
    }

    /// <summary><c>message ValueInfoProto</c>.</summary>
    public static class ValueInfo
    {
        public const int Name = 1;  // optional string name = 1;
        public const int Type = 2;  // optional TypeProto type = 2;
    }

    /// <summary><c>message TypeProto</c> and its nested <c>message Tensor</c>.</summary>
    public static class TypeInfo
    {
        public const int TensorType = 1;    // TypeProto: oneof value { Tensor tensor_type = 1; ... }
        public const int ElemType = 1;      // TypeProto.Tensor: optional int32 elem_type = 1;
        public const int Shape = 2;         // TypeProto.Tensor: optional TensorShapeProto shape = 2;
    }

    /// <summary><c>message TensorShapeProto</c> and its nested <c>message Dimension</c>.</summary>
    public static class TensorShape
    {
        public const int Dim = 1;        // TensorShapeProto: repeated Dimension dim = 1;
        public const int DimValue = 1;   // Dimension: oneof value { int64 dim_value = 1; string dim_param = 2; }
        public const int DimParam = 2;
    }
}

/// <summary>
/// Writes one protobuf message into memory with <see cref="CodedOutputStream"/>; a nested message is written
/// first and then embedded as a length-delimited field, which is how protobuf encodes sub-messages.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _output;

    public ProtoWriter() => _output = new CodedOutputStream(_buffer, leaveOpen: true);

    public ProtoWriter String(int field, string value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteString(value);
        return this;
    }

    public ProtoWriter Int64(int field, long value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt64(value);
        return this;
    }

    public ProtoWriter Int32(int field, int value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt32(value);
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed32);
        _output.WriteFloat(value);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlyMemory<byte> value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(UnsafeByteOperations.UnsafeWrap(value));
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToMemory());

    public ReadOnlyMemory<byte> ToMemory()
    {
        _output.Flush();
        return _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length);
    }
}
