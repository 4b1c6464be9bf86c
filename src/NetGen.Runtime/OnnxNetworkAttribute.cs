using System;

namespace NetGen;

/// <summary>
/// Marks a <c>partial</c> class as a network compiled from a trained ONNX model: the NetGen source generator reads
/// the file at build time, maps its operators to layers (Gemm, or MatMul and Add, as Dense layers; Relu, Sigmoid,
/// Tanh and the other activations as their activations), embeds its weights, and writes the same members an
/// attribute-declared network with those layers gets. The element type is the model's: <c>float</c> for a float32
/// model, <c>double</c> for a float64 one. The model's first input is the network's input (its batch dimension, if
/// any, dropped) and its first output the network's output. An operator NetGen cannot map, or a file it cannot
/// read, is a build error at this attribute (NG0025 to NG0029), never a failure at run time. See docs/interop.md.
/// </summary>
/// <param name="path">
/// The model file, which the project lists as an AdditionalFiles item (<c>&lt;AdditionalFiles Include="mlp.onnx" /&gt;</c>);
/// matched by file name.
/// </param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class OnnxNetworkAttribute(string path) : Attribute
{
    /// <summary>The model file's path, as written.</summary>
    public string Path { get; } = path;

    /// <summary>
    /// The loss the network is trained on, to fine-tune the imported weights. Default
    /// <see cref="NetGen.LossFunction.MeanSquaredError"/>; a model that ends in Softmax needs
    /// <see cref="NetGen.LossFunction.CrossEntropy"/>, as an attribute-declared one does.
    /// </summary>
    public LossFunction Loss { get; set; } = LossFunction.MeanSquaredError;

    /// <summary>How the layers' code is written. Default <see cref="CodeShape.Auto"/>. As <see cref="NetworkAttribute.Code"/>.</summary>
    public CodeShape Code { get; set; } = CodeShape.Auto;

    /// <summary>As <see cref="NetworkAttribute.MaxUnrolledLayerWeights"/>.</summary>
    public int MaxUnrolledLayerWeights { get; set; }

    /// <summary>As <see cref="NetworkAttribute.CheckFinite"/>.</summary>
    public bool CheckFinite { get; set; }
}
