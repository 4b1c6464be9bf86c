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

/// <summary>One tensor a layer of a streaming network needs, named as in the state_dict of a one-layer PyTorch module.</summary>
internal readonly struct StateDictParameter
{
    /// <param name="name"><c>weight</c> or <c>bias</c> (nn.Linear, nn.Conv1d); <c>weight_ih_l0</c>, <c>weight_hh_l0</c>, <c>bias_ih_l0</c> or <c>bias_hh_l0</c> (nn.GRU, nn.LSTM).</param>
    /// <param name="shape">The shape the layer needs, outermost first.</param>
    public StateDictParameter(string name, ulong[] shape)
    {
        Name = name;
        Shape = shape;
    }

    public string Name { get; }

    public ulong[] Shape { get; }

    public bool IsBias => Name.StartsWith("bias", StringComparison.Ordinal);
}

/// <summary>What the module rule needs of one layer of a streaming network (GRU, LSTM, Conv1D and Dense layers).</summary>
internal sealed class StateDictModuleLayer
{
    /// <param name="number">How messages count the layer (the runtime from 0).</param>
    /// <param name="description">What the layer is, for messages: <c>GRU, 8 units, 1 input</c>.</param>
    /// <param name="parameters">Its tensors, weights first, biases (if it has them) last, in the order of the network's parameters.</param>
    public StateDictModuleLayer(int number, string description, IReadOnlyList<StateDictParameter> parameters)
    {
        Number = number;
        Description = description;
        Parameters = parameters;
    }

    public int Number { get; }

    public string Description { get; }

    public IReadOnlyList<StateDictParameter> Parameters { get; }

    /// <summary>Whether the layer is a recurrent module's, whose names end in <c>_l&lt;k&gt;</c>.</summary>
    public bool Recurrent => Parameters[0].Name.StartsWith("weight_ih", StringComparison.Ordinal);

    public bool HasBias => Parameters[Parameters.Count - 1].IsBias;
}

/// <summary>A streaming layer's tensors, as <see cref="ModuleStateDict.Bind{TTensor}"/> matched them.</summary>
internal readonly struct BoundModule<TTensor>
    where TTensor : class, IStateDictTensor
{
    public BoundModule(string module, TTensor[] tensors)
    {
        Module = module;
        Tensors = tensors;
    }

    /// <summary>The module's path in the file: <c>gru</c>, <c>0</c>, <c>layers.2</c>.</summary>
    public string Module { get; }

    /// <summary>The tensors, one for each of the layer's <see cref="StateDictModuleLayer.Parameters"/>, in that order.</summary>
    public TTensor[] Tensors { get; }
}

/// <summary>
/// The rule by which SafeTensors.Load binds a streaming network (one with a GRU, LSTM or Conv1D layer) to the
/// <c>state_dict</c> of a PyTorch model built of <c>nn.GRU</c>, <c>nn.LSTM</c>, <c>nn.Conv1d</c> and
/// <c>nn.Linear</c> modules, whatever its modules are called: <c>gru.weight_ih_l0</c>, <c>conv.weight</c>,
/// <c>0.weight</c>, <c>layers.2.bias_hh_l0</c>.
/// </summary>
/// <remarks>
/// <para>
/// A tensor's name is a module path, a dot, and a parameter name: <c>weight</c> or <c>bias</c> (a Linear or Conv1d
/// module), or <c>weight_ih_l&lt;k&gt;</c>, <c>weight_hh_l&lt;k&gt;</c>, <c>bias_ih_l&lt;k&gt;</c>, <c>bias_hh_l&lt;k&gt;</c>
/// (layer k of a GRU or LSTM module, so that an <c>nn.GRU(num_layers=2)</c> is two modules, k = 0 then 1). Any other
/// name is refused, a bidirectional module's <c>_reverse</c> tensors included.
/// </para>
/// <para>
/// The modules are put in order by their paths, compared part by part between the dots, numbers (nn.Sequential and
/// nn.ModuleList indices) as numbers and before names, names by ordinal; then by k. The network's layers are then
/// bound in order, each to the first module left that fits it exactly: the same parameter names, biases exactly when
/// the layer has them, every shape exactly the layer's. A module of the wrong shape is passed over rather than
/// refused, so a model whose attribute names do not sort in layer order (<c>gru</c> then <c>fc</c>) still binds when
/// its modules' shapes tell them apart; modules of one shape are taken in the order of their paths.
/// </para>
/// <para>
/// When no module fits a layer, the first module left with the layer's kind of parameter names (and, among those,
/// with its weight's number of dimensions, if any has) is held against it, weight before bias, dtype before shape,
/// and the first difference is reported as the Dense rule reports it; modules left after the last layer are refused.
/// </para>
/// </remarks>
internal static class ModuleStateDict
{
    private static readonly string[] RecurrentParameters = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"];

    private static readonly string[] LinearParameters = ["weight", "bias"];

    /// <summary>
    /// Splits a name into its module path, its parameter (<c>weight</c>, <c>bias</c>, <c>weight_ih</c>, ...) and the
    /// layer k of a recurrent parameter (-1 for <c>weight</c> and <c>bias</c>); false for any other name.
    /// </summary>
    public static bool TryParseName(string name, out string module, out string parameter, out int layer)
    {
        module = string.Empty;
        int dot = name.LastIndexOf('.');
        if (dot <= 0 || !TryParseParameter(name.Substring(dot + 1), out parameter, out layer))
        {
            parameter = string.Empty;
            layer = 0;
            return false;
        }

        module = name.Substring(0, dot);
        return true;
    }

    /// <summary>
    /// Matches <paramref name="tensors"/> to <paramref name="layers"/>; on success <paramref name="bound"/> has one
    /// entry per layer and the result is null, otherwise the result says which tensor does not fit.
    /// </summary>
    public static StateDictError? Bind<TTensor>(IReadOnlyList<TTensor> tensors, IReadOnlyList<StateDictModuleLayer> layers, out BoundModule<TTensor>[] bound, Func<string, string>? shown = null)
        where TTensor : class, IStateDictTensor
    {
        shown ??= text => text;
        bound = [];
        var byKey = new Dictionary<string, FileModule<TTensor>>(StringComparer.Ordinal);
        var modules = new List<FileModule<TTensor>>();
        foreach (TTensor tensor in tensors)
        {
            if (!TryParseName(tensor.Name, out string path, out string parameter, out int layer))
            {
                string why = tensor.Name.EndsWith("_reverse", StringComparison.Ordinal)
                    ? "belongs to the reverse direction of a bidirectional nn.GRU or nn.LSTM, which no NetGen layer computes"
                    : "is not a parameter of an nn.Linear, nn.Conv1d, nn.GRU or nn.LSTM: names must end in .weight, .bias, .weight_ih_l0, .weight_hh_l0, .bias_ih_l0 or .bias_hh_l0 (_l1, _l2, ... for the further layers of a recurrent module)";
                return new StateDictError(StateDictErrorKind.UnexpectedTensor, $"tensor \"{shown(tensor.Name)}\" {why}", tensor.Name);
            }

            // A path holds at most one Linear or Conv1d module (k = -1) and one recurrent module layer per k.
            string key = Invariant(layer) + ":" + path;
            if (!byKey.TryGetValue(key, out FileModule<TTensor>? module))
            {
                module = new FileModule<TTensor>(path, layer);
                byKey.Add(key, module);
                modules.Add(module);
            }

            if (module.Tensors.ContainsKey(parameter))
            {
                // Both readers refuse a name given twice, and each parameter has one spelling; kept so that a tensor
                // is never silently dropped.
                return new StateDictError(StateDictErrorKind.UnexpectedTensor, $"tensor \"{shown(tensor.Name)}\" appears twice", tensor.Name);
            }

            module.Tensors.Add(parameter, tensor);
        }

        modules.Sort(CompareModules);
        var used = new bool[modules.Count];
        var result = new BoundModule<TTensor>[layers.Count];
        for (int k = 0; k < layers.Count; k++)
        {
            StateDictModuleLayer layer = layers[k];
            int match = -1;
            for (int m = 0; m < modules.Count && match < 0; m++)
            {
                match = !used[m] && Fits(modules[m], layer) ? m : -1;
            }

            if (match < 0)
            {
                return Mismatch(modules, used, layer, shown);
            }

            used[match] = true;
            FileModule<TTensor> module = modules[match];
            var matched = new TTensor[layer.Parameters.Count];
            for (int p = 0; p < matched.Length; p++)
            {
                matched[p] = module.Tensors[BaseName(layer.Parameters[p].Name)];
                if (!SequentialStateDict.IsConvertibleDtype(matched[p].Dtype))
                {
                    return UnsupportedDtype(matched[p], shown);
                }
            }

            result[k] = new BoundModule<TTensor>(module.Path, matched);
        }

        int extra = Array.IndexOf(used, false);
        if (extra >= 0)
        {
            string name = modules[extra].First.Name;
            return new StateDictError(
                StateDictErrorKind.UnexpectedTensor,
                $"the file holds the parameters of {Invariant(modules.Count)} modules, but the network has only {Count(layers.Count, "layer")}: \"{shown(name)}\" has no layer to go to",
                name);
        }

        bound = result;
        return null;
    }

    private static bool TryParseParameter(string text, out string parameter, out int layer)
    {
        parameter = text;
        layer = -1;
        if (text == "weight" || text == "bias")
        {
            return true;
        }

        foreach (string name in RecurrentParameters)
        {
            if (text.Length > name.Length + 2 && string.CompareOrdinal(text, 0, name + "_l", 0, name.Length + 2) == 0
                && TryParseIndex(text.Substring(name.Length + 2), out layer))
            {
                parameter = name;
                return true;
            }
        }

        return false;
    }

    /// <summary>A non-negative decimal as PyTorch writes one: ASCII digits, no sign, no leading zero, at most int.MaxValue.</summary>
    private static bool TryParseIndex(string text, out int value)
    {
        value = 0;
        if (text.Length == 0 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (char c in text)
        {
            int digit = c - '0';
            if (digit is < 0 or > 9 || value > (int.MaxValue - digit) / 10)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    /// <summary><c>weight_ih_l0</c> as the file's modules key it: <c>weight_ih</c>.</summary>
    private static string BaseName(string parameter) => TryParseParameter(parameter, out string name, out _) ? name : parameter;

    private static bool Fits<TTensor>(FileModule<TTensor> module, StateDictModuleLayer layer)
        where TTensor : class, IStateDictTensor
    {
        if (module.Recurrent != layer.Recurrent || module.Tensors.Count != layer.Parameters.Count)
        {
            return false;
        }

        foreach (StateDictParameter parameter in layer.Parameters)
        {
            if (!module.Tensors.TryGetValue(BaseName(parameter.Name), out TTensor? tensor) || !SameShape(tensor.Shape, parameter.Shape))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Why no module fits <paramref name="layer"/>: the first difference of the module most like it.</summary>
    private static StateDictError Mismatch<TTensor>(List<FileModule<TTensor>> modules, bool[] used, StateDictModuleLayer layer, Func<string, string> shown)
        where TTensor : class, IStateDictTensor
    {
        string described = Describe(layer);
        int rank = layer.Parameters[0].Shape.Length;
        FileModule<TTensor>? candidate = null;
        for (int m = 0; m < modules.Count; m++)
        {
            FileModule<TTensor> module = modules[m];
            if (used[m] || module.Recurrent != layer.Recurrent)
            {
                continue;
            }

            bool sameRank = module.Tensors.TryGetValue(BaseName(layer.Parameters[0].Name), out TTensor? weight) && weight.Shape.Length == rank;
            if (sameRank)
            {
                candidate = module;
                break;
            }

            candidate ??= module;
        }

        if (candidate is null)
        {
            var needs = new StringBuilder();
            foreach (StateDictParameter parameter in layer.Parameters)
            {
                needs.Append(needs.Length == 0 ? string.Empty : ", ").Append(parameter.Name).Append(' ').Append(SequentialStateDict.FormatShape(parameter.Shape));
            }

            return new StateDictError(
                StateDictErrorKind.MissingTensor,
                $"no module of the file is left for layer {described}, which needs the tensors {needs} of {(layer.Recurrent ? "an nn.GRU or nn.LSTM" : "an nn.Linear or nn.Conv1d")}",
                null);
        }

        foreach (StateDictParameter parameter in layer.Parameters)
        {
            string name = candidate.FullName(BaseName(parameter.Name));
            if (!candidate.Tensors.TryGetValue(BaseName(parameter.Name), out TTensor? tensor))
            {
                return new StateDictError(
                    StateDictErrorKind.MissingTensor,
                    parameter.IsBias
                        ? $"layer {described} has biases, but the file has no \"{shown(name)}\""
                        : $"layer {described} is matched to module \"{shown(candidate.Path)}\", which has no \"{shown(name)}\"",
                    name);
            }

            if (!SequentialStateDict.IsConvertibleDtype(tensor.Dtype))
            {
                return UnsupportedDtype(tensor, shown);
            }

            if (!SameShape(tensor.Shape, parameter.Shape))
            {
                return new StateDictError(
                    StateDictErrorKind.ShapeMismatch,
                    $"tensor \"{shown(tensor.Name)}\" has the shape {shown(SequentialStateDict.FormatShape(tensor.Shape))}, but layer {described} needs {SequentialStateDict.FormatShape(parameter.Shape)}",
                    tensor.Name);
            }
        }

        // The module's names are the layer's, but it has biases the layer has not (the only names a module can add):
        // the first in its module's order (bias_ih before bias_hh).
        foreach (string parameter in candidate.Recurrent ? RecurrentParameters : LinearParameters)
        {
            if (!layer.HasBias && parameter.StartsWith("bias", StringComparison.Ordinal) && candidate.Tensors.TryGetValue(parameter, out TTensor? bias))
            {
                return new StateDictError(
                    StateDictErrorKind.UnexpectedTensor,
                    $"tensor \"{shown(bias.Name)}\" is a bias, but layer {described} has none (Bias = false)",
                    bias.Name);
            }
        }

        // Unreachable while Fits and this walk agree; a clear message rather than a crash if they ever do not.
        return new StateDictError(StateDictErrorKind.UnexpectedTensor, $"module \"{shown(candidate.Path)}\" does not fit layer {described}", candidate.First.Name);
    }

    private static StateDictError UnsupportedDtype<TTensor>(TTensor tensor, Func<string, string> shown)
        where TTensor : class, IStateDictTensor => new(
        StateDictErrorKind.UnsupportedDtype,
        $"tensor \"{shown(tensor.Name)}\" has the dtype {shown(tensor.Dtype)}; parameters must be F32, F64, F16 or BF16",
        tensor.Name);

    private static bool SameShape(ulong[] shape, ulong[] expected)
    {
        bool same = shape.Length == expected.Length;
        for (int i = 0; same && i < shape.Length; i++)
        {
            same = shape[i] == expected[i];
        }

        return same;
    }

    /// <summary>
    /// Module paths part by part (numbers as numbers, before names), then the layer k of a recurrent module. The parts
    /// are each module's own, split once: splitting here, at every comparison, made sorting n modules allocate
    /// n log n arrays (729 MB for a 7 MB header of 100,000 modules).
    /// </summary>
    private static int CompareModules<TTensor>(FileModule<TTensor> a, FileModule<TTensor> b)
        where TTensor : class, IStateDictTensor
    {
        string[] left = a.Parts;
        string[] right = b.Parts;
        for (int i = 0; i < left.Length && i < right.Length; i++)
        {
            bool leftNumber = IsNumber(left[i]);
            bool rightNumber = IsNumber(right[i]);
            int order = leftNumber != rightNumber ? (leftNumber ? -1 : 1)
                : leftNumber && left[i].Length != right[i].Length ? left[i].Length.CompareTo(right[i].Length)
                : string.CompareOrdinal(left[i], right[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return left.Length != right.Length ? left.Length.CompareTo(right.Length) : a.Layer.CompareTo(b.Layer);
    }

    /// <summary>
    /// ASCII digits without a leading zero, of any length: a number, and numbers of equal length compare as their
    /// digits do.
    /// </summary>
    private static bool IsNumber(string text)
    {
        if (text.Length == 0 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The layer's number and what it is: <c>0 (GRU, 8 units, 1 input)</c>.</summary>
    private static string Describe(StateDictModuleLayer layer) => $"{Invariant(layer.Number)} ({layer.Description})";

    private static string Count(int count, string noun) => Invariant(count) + " " + noun + (count == 1 ? string.Empty : "s");

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The tensors of one module of the file (one layer k of a recurrent module).</summary>
    private sealed class FileModule<TTensor>
        where TTensor : class, IStateDictTensor
    {
        public FileModule(string path, int layer)
        {
            Path = path;
            Parts = path.Split('.');
            Layer = layer;
        }

        public string Path { get; }

        /// <summary>The path's parts, as <see cref="CompareModules"/> orders them.</summary>
        public string[] Parts { get; }

        /// <summary>k of a recurrent module's <c>_l&lt;k&gt;</c> names; -1 for a Linear or Conv1d module.</summary>
        public int Layer { get; }

        public bool Recurrent => Layer >= 0;

        public Dictionary<string, TTensor> Tensors { get; } = new(StringComparer.Ordinal);

        /// <summary>The module's first tensor in the layer order of its names (weights first).</summary>
        public TTensor First
        {
            get
            {
                foreach (string name in Recurrent ? RecurrentParameters : LinearParameters)
                {
                    if (Tensors.TryGetValue(name, out TTensor? tensor))
                    {
                        return tensor;
                    }
                }

                throw new InvalidOperationException("A module has at least one tensor.");
            }
        }

        /// <summary>The name of the module's tensor for <paramref name="parameter"/>: <c>gru.weight_ih_l0</c>.</summary>
        public string FullName(string parameter) => Path + "." + parameter + (Recurrent ? "_l" + Invariant(Layer) : string.Empty);
    }
}
