using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NetGen.Shared;

// Compiled into NetGen.Runtime (net8.0, SafeTensors.Load) and NetGen.Generator (netstandard2.0, embedded weights):
// plain C#, no dependencies. Each side reads the file's bytes with its own reader and hands the tensors it found here.

/// <summary>What the binding rule needs of one tensor of a safetensors file; each reader's tensor type has it.</summary>
internal interface IStateDictTensor
{
    /// <summary>The tensor's name in the file, such as <c>2.weight</c>.</summary>
    string Name { get; }

    /// <summary>The safetensors dtype, such as <c>F32</c>.</summary>
    string Dtype { get; }

    /// <summary>The dimensions, outermost first.</summary>
    ulong[] Shape { get; }
}

/// <summary>What the binding rule needs of one Dense layer.</summary>
internal readonly struct StateDictLayer
{
    /// <param name="number">
    /// How the caller's messages count this layer: the runtime from 0 (LayerTopology.Index), the generator from 1
    /// (the order of the [Dense] attributes), as each side's other messages do.
    /// </param>
    /// <param name="inputs">The layer's inputs (fan-in).</param>
    /// <param name="units">The layer's units.</param>
    /// <param name="hasBias">Whether the layer has biases.</param>
    public StateDictLayer(int number, int inputs, int units, bool hasBias)
    {
        Number = number;
        Inputs = inputs;
        Units = units;
        HasBias = hasBias;
    }

    public int Number { get; }

    public int Inputs { get; }

    public int Units { get; }

    public bool HasBias { get; }
}

/// <summary>Why a file's tensors do not fit the layers; the runtime maps these onto SafeTensorsError.</summary>
internal enum StateDictErrorKind
{
    /// <summary>A tensor the layers have no place for: a name that is not a Linear parameter, a bias for a layer without biases, a module past the last layer.</summary>
    UnexpectedTensor,

    /// <summary>A layer's weight or bias is not in the file, or the file has fewer modules than the network has layers.</summary>
    MissingTensor,

    /// <summary>A tensor's dtype is not one that both readers convert: F32, F64, F16 or BF16.</summary>
    UnsupportedDtype,

    /// <summary>A tensor's shape is not the layer's: <c>[units, inputs]</c> for a weight, <c>[units]</c> for a bias.</summary>
    ShapeMismatch,
}

/// <summary>Which tensor does not fit, and the text that says so, the same at build time and at run time.</summary>
internal sealed class StateDictError
{
    public StateDictError(StateDictErrorKind kind, string message, string? tensorName)
    {
        Kind = kind;
        Message = message;
        TensorName = tensorName;
    }

    public StateDictErrorKind Kind { get; }

    /// <summary>
    /// What was found and what was expected, as a clause that starts in lower case and has no final stop, to follow
    /// a colon (the generator's NG0019: "The weights file 'w.safetensors' does not fit 'Net': ...").
    /// </summary>
    public string Message { get; }

    /// <summary>The tensor concerned, or null when the error is not about one tensor.</summary>
    public string? TensorName { get; }

    /// <summary>The same text as a sentence on its own, as an exception message: capitalised, with a full stop.</summary>
    public string Sentence => char.ToUpperInvariant(Message[0]) + Message.Substring(1) + ".";
}

/// <summary>A layer's tensors, as <see cref="SequentialStateDict.Bind{TTensor}"/> matched them.</summary>
internal readonly struct BoundLayer<TTensor>
    where TTensor : class, IStateDictTensor
{
    public BoundLayer(int module, TTensor weight, TTensor? bias)
    {
        Module = module;
        Weight = weight;
        Bias = bias;
    }

    /// <summary>The module number of the tensors: the index in the nn.Sequential.</summary>
    public int Module { get; }

    /// <summary>The weight, of shape <c>[units, inputs]</c>.</summary>
    public TTensor Weight { get; }

    /// <summary>The bias, of shape <c>[units]</c>, exactly when the layer has biases.</summary>
    public TTensor? Bias { get; }
}

/// <summary>
/// The rule by which both safetensors readers, SafeTensors.Load at run time and the generator's embedded weights at
/// build time, bind the <c>state_dict</c> of a PyTorch <c>nn.Sequential</c> of <c>nn.Linear</c> layers and
/// activations (<c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, ...) to a network's Dense layers.
/// </summary>
/// <remarks>
/// <para>
/// Every tensor must be named <c>&lt;module&gt;.weight</c> or <c>&lt;module&gt;.bias</c>, the module number in
/// plain decimal as PyTorch writes it (ASCII digits, no sign, no leading zero, at most int.MaxValue). The numbers
/// need not be contiguous (activations have no parameters, so <c>nn.Sequential(Linear, ReLU, Linear)</c> gives 0 and
/// 2): the modules are taken in ascending numeric order and matched to the layers in order, one module per layer.
/// </para>
/// <para>
/// Each layer needs a weight of shape <c>[units, inputs]</c> and, exactly when it has biases, a bias of shape
/// <c>[units]</c>, both of dtype F32, F64, F16 or BF16. The checks run layer by layer, weight before bias, dtype
/// before shape, and the first failure is the one reported; modules beyond the last layer are reported after all
/// layers matched.
/// </para>
/// </remarks>
internal static class SequentialStateDict
{
    /// <summary>The dtypes both readers convert to a network's element type.</summary>
    public static bool IsConvertibleDtype(string dtype) => dtype is "F32" or "F64" or "F16" or "BF16";

    /// <summary>Parses <c>&lt;module&gt;.weight</c> or <c>&lt;module&gt;.bias</c>; false for any other name.</summary>
    public static bool TryParseName(string name, out int module, out bool isWeight)
    {
        module = 0;
        isWeight = false;
        int dot = name.IndexOf('.');
        if (dot <= 0 || (dot > 1 && name[0] == '0'))
        {
            return false;
        }

        int suffix = name.Length - dot - 1;
        if (suffix == 6 && string.CompareOrdinal(name, dot + 1, "weight", 0, 6) == 0)
        {
            isWeight = true;
        }
        else if (suffix != 4 || string.CompareOrdinal(name, dot + 1, "bias", 0, 4) != 0)
        {
            return false;
        }

        int value = 0;
        for (int i = 0; i < dot; i++)
        {
            int digit = name[i] - '0';
            if (digit is < 0 or > 9 || value > (int.MaxValue - digit) / 10)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        module = value;
        return true;
    }

    /// <summary>
    /// Matches <paramref name="tensors"/> to <paramref name="layers"/> (in order); on success
    /// <paramref name="bound"/> has one entry per layer and the result is null, otherwise the result says which tensor
    /// does not fit and <paramref name="bound"/> is empty.
    /// </summary>
    /// <param name="tensors">The file's tensors, in the file's order.</param>
    /// <param name="layers">The network's layers, in order.</param>
    /// <param name="bound">Each layer's tensors, on success.</param>
    /// <param name="shown">
    /// How a message quotes a tensor's name or shape, both taken from the file (the runtime shortens long ones);
    /// null quotes them whole.
    /// </param>
    public static StateDictError? Bind<TTensor>(IReadOnlyList<TTensor> tensors, IReadOnlyList<StateDictLayer> layers, out BoundLayer<TTensor>[] bound, Func<string, string>? shown = null)
        where TTensor : class, IStateDictTensor
    {
        shown ??= text => text;
        bound = [];
        var modules = new SortedDictionary<int, Module<TTensor>>();
        for (int t = 0; t < tensors.Count; t++)
        {
            TTensor tensor = tensors[t];
            if (!TryParseName(tensor.Name, out int number, out bool isWeight))
            {
                return new StateDictError(
                    StateDictErrorKind.UnexpectedTensor,
                    $"tensor \"{shown(tensor.Name)}\" is not a Linear layer's parameter: names must be <module>.weight or <module>.bias, as in the state_dict of an nn.Sequential",
                    tensor.Name);
            }

            modules.TryGetValue(number, out Module<TTensor> module);
            if ((isWeight ? module.Weight : module.Bias) is not null)
            {
                // Both readers refuse a name given twice, and each module and suffix has one spelling; kept so that
                // a tensor is never silently dropped.
                return new StateDictError(StateDictErrorKind.UnexpectedTensor, $"tensor \"{shown(tensor.Name)}\" appears twice", tensor.Name);
            }

            modules[number] = isWeight ? new Module<TTensor>(tensor, module.Bias) : new Module<TTensor>(module.Weight, tensor);
        }

        var found = new List<KeyValuePair<int, Module<TTensor>>>(modules);
        var result = new BoundLayer<TTensor>[layers.Count];
        for (int k = 0; k < layers.Count; k++)
        {
            StateDictLayer layer = layers[k];
            if (k >= found.Count)
            {
                return new StateDictError(
                    StateDictErrorKind.MissingTensor,
                    $"the file holds Linear parameters for {Count(found.Count, "layer")}, but the network has {Invariant(layers.Count)}: nothing for layer {Describe(layer)}",
                    null);
            }

            int number = found[k].Key;
            Module<TTensor> module = found[k].Value;
            string weightName = Invariant(number) + ".weight";
            string biasName = Invariant(number) + ".bias";
            if (module.Weight is null)
            {
                return new StateDictError(
                    StateDictErrorKind.MissingTensor,
                    $"layer {Describe(layer)} is matched to module {Invariant(number)}, which has no \"{weightName}\"",
                    weightName);
            }

            StateDictError? error = Check(module.Weight, layer, [(ulong)layer.Units, (ulong)layer.Inputs], shown);
            if (error is not null)
            {
                return error;
            }

            if (module.Bias is not null && !layer.HasBias)
            {
                return new StateDictError(
                    StateDictErrorKind.UnexpectedTensor,
                    $"tensor \"{biasName}\" is a bias, but layer {Describe(layer)} has none (Bias = false)",
                    biasName);
            }

            if (module.Bias is null && layer.HasBias)
            {
                return new StateDictError(
                    StateDictErrorKind.MissingTensor,
                    $"layer {Describe(layer)} has biases, but the file has no \"{biasName}\"",
                    biasName);
            }

            if (module.Bias is not null && Check(module.Bias, layer, [(ulong)layer.Units], shown) is { } biasError)
            {
                return biasError;
            }

            result[k] = new BoundLayer<TTensor>(number, module.Weight, module.Bias);
        }

        if (found.Count > layers.Count)
        {
            Module<TTensor> extra = found[layers.Count].Value;
            string name = (extra.Weight ?? extra.Bias)!.Name;
            return new StateDictError(
                StateDictErrorKind.UnexpectedTensor,
                $"the file holds Linear parameters for {Invariant(found.Count)} layers, but the network has only {Invariant(layers.Count)}: \"{shown(name)}\" has no layer to go to",
                name);
        }

        bound = result;
        return null;
    }

    /// <summary>A shape as PyTorch prints it: <c>[4, 3]</c>.</summary>
    public static string FormatShape(IReadOnlyList<ulong> shape)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < shape.Count; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(shape[i].ToString(CultureInfo.InvariantCulture));
        }

        return text.Append(']').ToString();
    }

    private static StateDictError? Check<TTensor>(TTensor tensor, StateDictLayer layer, ulong[] expected, Func<string, string> shown)
        where TTensor : class, IStateDictTensor
    {
        if (!IsConvertibleDtype(tensor.Dtype))
        {
            return new StateDictError(
                StateDictErrorKind.UnsupportedDtype,
                $"tensor \"{shown(tensor.Name)}\" has the dtype {shown(tensor.Dtype)}; parameters must be F32, F64, F16 or BF16",
                tensor.Name);
        }

        ulong[] shape = tensor.Shape;
        bool same = shape.Length == expected.Length;
        for (int i = 0; same && i < shape.Length; i++)
        {
            same = shape[i] == expected[i];
        }

        return same
            ? null
            : new StateDictError(
                StateDictErrorKind.ShapeMismatch,
                $"tensor \"{shown(tensor.Name)}\" has the shape {shown(FormatShape(shape))}, but layer {Describe(layer)} needs {FormatShape(expected)}",
                tensor.Name);
    }

    /// <summary>The layer's number and shape: <c>2 (1 unit, 2 inputs, no bias)</c>.</summary>
    private static string Describe(StateDictLayer layer) =>
        $"{Invariant(layer.Number)} ({Count(layer.Units, "unit")}, {Count(layer.Inputs, "input")}{(layer.HasBias ? string.Empty : ", no bias")})";

    private static string Count(int count, string noun) => Invariant(count) + " " + noun + (count == 1 ? string.Empty : "s");

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The tensors found for one module number.</summary>
    private readonly struct Module<TTensor>
        where TTensor : class
    {
        public Module(TTensor? weight, TTensor? bias)
        {
            Weight = weight;
            Bias = bias;
        }

        public TTensor? Weight { get; }

        public TTensor? Bias { get; }
    }
}
