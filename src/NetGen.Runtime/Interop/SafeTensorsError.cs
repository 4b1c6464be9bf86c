namespace NetGen;

/// <summary>Why <see cref="SafeTensors"/> refused a file: the <see cref="SafeTensorsException.Reason"/>.</summary>
public enum SafeTensorsError
{
    /// <summary>
    /// The 8-byte header length or the JSON header is not valid safetensors: a length of zero or over the 100,000,000
    /// byte limit, bytes that are not UTF-8, text that is not JSON or does not start with <c>{</c>, a duplicate key,
    /// a value of the wrong JSON type, a missing or unknown field, or a shape that is not a list of non-negative integers.
    /// </summary>
    MalformedHeader,

    /// <summary>The data ends before the 8-byte length, the header or the byte buffer the header describes.</summary>
    Truncated,

    /// <summary>
    /// The tensors' <c>data_offsets</c> do not tile the byte buffer exactly: they overlap, leave a hole, end before they
    /// begin, disagree with shape × dtype size, or bytes follow the last tensor.
    /// </summary>
    InvalidOffsets,

    /// <summary>A tensor's dtype is not one this library converts (F32, F64, F16, BF16), or not a safetensors dtype at all.</summary>
    UnsupportedDtype,

    /// <summary>A layer's weight or bias tensor is not in the file.</summary>
    MissingTensor,

    /// <summary>
    /// The file holds a tensor the network has no place for: a name other than <c>&lt;index&gt;.weight</c> or
    /// <c>&lt;index&gt;.bias</c>, a bias for a layer without biases, or more layers than the network has.
    /// </summary>
    UnexpectedTensor,

    /// <summary>A tensor's shape is not the layer's: <c>[units, inputs]</c> for a weight, <c>[units]</c> for a bias.</summary>
    ShapeMismatch,
}
