using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Xunit;

namespace NetGen.TestFixtures;

/// <summary>
/// One safetensors file for <see cref="SafeTensorsFixtures.Topology"/>, and what both readers must make of it: the
/// runtime's SafeTensors.Load (tests/NetGen.Interop.Tests/SafeTensorsFixtureTests.cs) and the generator's embedded
/// weights (tests/NetGen.Generator.Tests/WeightsDiagnosticTests.cs).
/// </summary>
/// <param name="Name">What the file is; the test case's name.</param>
/// <param name="File">The file's bytes.</param>
/// <param name="Parameters">The network's parameters after a load, when the file fits; otherwise null.</param>
/// <param name="BuildTimeId">The generator's diagnostic (NG0018 unreadable, NG0019 does not fit), or null when it fits.</param>
/// <param name="RunTimeReason">The name of the SafeTensorsError member SafeTensors.Load refuses it with, or null.</param>
/// <param name="TensorName">The tensor the run-time refusal names, if any.</param>
/// <param name="Layer">The layer the message names, 0 for the first, if any.</param>
/// <param name="Clause">
/// The shared binding rule's message (src/Shared/SequentialStateDict.cs), with <c>{layer}</c> for the layer's number,
/// which each side counts its own way; null when the refusal comes from a reader, whose messages are its own.
/// </param>
internal sealed record BindingFixture(
    string Name,
    byte[] File,
    float[]? Parameters,
    string? BuildTimeId,
    string? RunTimeReason,
    string? TensorName = null,
    int? Layer = null,
    string? Clause = null)
{
    /// <summary>The clause as the side that counts its first layer <paramref name="firstLayer"/> writes it.</summary>
    public string? ExpectedClause(int firstLayer) =>
        Clause?.Replace("{layer}", ((Layer ?? 0) + firstLayer).ToString(CultureInfo.InvariantCulture));

    /// <summary>The clause as an exception message: capitalised, with a full stop.</summary>
    public string? ExpectedSentence(int firstLayer) =>
        ExpectedClause(firstLayer) is { } clause ? char.ToUpperInvariant(clause[0]) + clause[1..] + "." : null;

    public override string ToString() => Name;
}

/// <summary>The safetensors files both readers are tested on, built byte by byte with <see cref="SafeTensorsBytes"/>.</summary>
internal static class SafeTensorsFixtures
{
    /// <summary>
    /// The network of every fixture: nn.Sequential(Linear(3, 2), Tanh(), Linear(2, 1, bias=False)), declared as
    /// [Network(3)] [Dense(2, Activation.Tanh)] [Dense(1, Bias = false)]: 6 + 2 + 2 = 10 parameters.
    /// </summary>
    public const string Topology = "float 3 | 2 Tanh | 1 Identity nobias | MeanSquaredError";

    /// <summary>The nesting of the deep-metadata fixture: 100,000 lists, a 200 KB header.</summary>
    public const int DeepNesting = 100_000;

    // Exact in F32, F64, F16 and BF16: small multiples of powers of two.
    public static readonly float[] Weight0 = [1.5f, -2, 0.25f, 3, 0.5f, -0.125f];
    public static readonly float[] Bias0 = [0.75f, -1];
    public static readonly float[] Weight2 = [2.5f, -0.5f];

    public static readonly float[] Parameters = [.. Weight0, .. Bias0, .. Weight2];

    private static readonly Dictionary<string, BindingFixture> ByName = Create().ToDictionary(f => f.Name);

    /// <summary>Every fixture's name, for [MemberData].</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var names = new TheoryData<string>();
            foreach (string name in ByName.Keys)
            {
                names.Add(name);
            }

            return names;
        }
    }

    public static BindingFixture Get(string name) => ByName[name];

    private static IEnumerable<BindingFixture> Create()
    {
        // ---- Files that fit: every dtype, and modules ordered by number, not as text.
        foreach (string dtype in new[] { "F32", "F64", "F16", "BF16" })
        {
            yield return new BindingFixture(
                $"fits ({dtype})",
                FileOf(("0.weight", dtype, [2, 3], Weight0), ("0.bias", dtype, [2], Bias0), ("2.weight", dtype, [1, 2], Weight2)),
                Parameters,
                null,
                null);
        }

        yield return new BindingFixture(
            "fits (modules 9 and 10, listed 10 first)",
            FileOf(("10.weight", "F32", [1, 2], Weight2), ("9.bias", "F32", [2], Bias0), ("9.weight", "F32", [2, 3], Weight0)),
            Parameters,
            null,
            null);

        // ---- Files that do not fit the layers: the shared rule's refusals, in the same words on both sides.
        yield return Misfit(
            "wrong shape",
            [("0.weight", "F32", [2, 3], Weight0), ("0.bias", "F32", [2], Bias0), ("2.weight", "F32", [2, 1], Weight2)],
            "ShapeMismatch",
            "2.weight",
            1,
            "tensor \"2.weight\" has the shape [2, 1], but layer {layer} (1 unit, 2 inputs, no bias) needs [1, 2]");
        yield return Misfit(
            "transposed weight",
            [("0.weight", "F32", [3, 2], Weight0), ("0.bias", "F32", [2], Bias0), ("2.weight", "F32", [1, 2], Weight2)],
            "ShapeMismatch",
            "0.weight",
            0,
            "tensor \"0.weight\" has the shape [3, 2], but layer {layer} (2 units, 3 inputs) needs [2, 3]");
        yield return Misfit(
            "bias of the wrong shape",
            [("0.weight", "F32", [2, 3], Weight0), ("0.bias", "F32", [1, 2], Bias0), ("2.weight", "F32", [1, 2], Weight2)],
            "ShapeMismatch",
            "0.bias",
            0,
            "tensor \"0.bias\" has the shape [1, 2], but layer {layer} (2 units, 3 inputs) needs [2]");
        yield return Misfit(
            "missing bias",
            [("0.weight", "F32", [2, 3], Weight0), ("2.weight", "F32", [1, 2], Weight2)],
            "MissingTensor",
            "0.bias",
            0,
            "layer {layer} (2 units, 3 inputs) has biases, but the file has no \"0.bias\"");
        yield return Misfit(
            "missing weight",
            [("0.bias", "F32", [2], Bias0), ("2.weight", "F32", [1, 2], Weight2)],
            "MissingTensor",
            "0.weight",
            0,
            "layer {layer} (2 units, 3 inputs) is matched to module 0, which has no \"0.weight\"");
        yield return Misfit(
            "extra bias",
            [("0.weight", "F32", [2, 3], Weight0), ("0.bias", "F32", [2], Bias0), ("2.weight", "F32", [1, 2], Weight2), ("2.bias", "F32", [1], [1])],
            "UnexpectedTensor",
            "2.bias",
            1,
            "tensor \"2.bias\" is a bias, but layer {layer} (1 unit, 2 inputs, no bias) has none (Bias = false)");
        yield return Misfit(
            "one layer short",
            [("0.weight", "F32", [2, 3], Weight0), ("0.bias", "F32", [2], Bias0)],
            "MissingTensor",
            null,
            1,
            "the file holds Linear parameters for 1 layer, but the network has 2: nothing for layer {layer} (1 unit, 2 inputs, no bias)");
        yield return Misfit(
            "one layer too many",
            [("0.weight", "F32", [2, 3], Weight0), ("0.bias", "F32", [2], Bias0), ("2.weight", "F32", [1, 2], Weight2), ("4.weight", "F32", [1, 1], [1])],
            "UnexpectedTensor",
            "4.weight",
            null,
            "the file holds Linear parameters for 3 layers, but the network has only 2: \"4.weight\" has no layer to go to");
        foreach (string name in new[] { "0.running_mean", "fc1.weight", "02.weight", "99999999999.weight", "2.Weight" })
        {
            yield return Misfit(
                $"not a Linear parameter ({name})",
                [("0.weight", "F32", [2, 3], Weight0), ("0.bias", "F32", [2], Bias0), ("2.weight", "F32", [1, 2], Weight2), (name, "F32", [1], [1])],
                "UnexpectedTensor",
                name,
                null,
                $"tensor \"{name}\" is not a Linear layer's parameter: names must be <module>.weight or <module>.bias, as in the state_dict of an nn.Sequential");
        }

        // ---- Files each reader refuses before binding, in its own words: the generator reads F64, F32, F16 and BF16
        // only, the runtime any safetensors dtype until binding; and neither follows a header nested without end.
        yield return new BindingFixture(
            "a dtype neither converts (I8)",
            SafeTensorsBytes.File(
                "{" + SafeTensorsBytes.Entry("0.weight", "I8", "[2,3]", 0, 6) + "," + SafeTensorsBytes.Entry("0.bias", "F32", "[2]", 6, 14) + ","
                    + SafeTensorsBytes.Entry("2.weight", "F32", "[1,2]", 14, 22) + "}",
                new byte[6],
                SafeTensorsBytes.F32(Bias0),
                SafeTensorsBytes.F32(Weight2)),
            null,
            "NG0018",
            "UnsupportedDtype",
            "0.weight");
        yield return new BindingFixture(
            "__metadata__ of 100,000 nested lists",
            FileOf(new string('[', DeepNesting) + new string(']', DeepNesting), ("0.weight", "F32", [2, 3], Weight0), ("0.bias", "F32", [2], Bias0), ("2.weight", "F32", [1, 2], Weight2)),
            null,
            "NG0018",
            "MalformedHeader");
    }

    private static BindingFixture Misfit(string name, (string Name, string Dtype, int[] Shape, float[] Values)[] tensors, string reason, string? tensor, int? layer, string clause) =>
        new(name, FileOf(tensors), null, "NG0019", reason, tensor, layer, clause);

    private static byte[] FileOf(params (string Name, string Dtype, int[] Shape, float[] Values)[] tensors) =>
        FileOf("{\"format\":\"pt\"}", tensors);

    /// <summary>A file with this <c>__metadata__</c> value and the tensors' data one after another, in the order given.</summary>
    private static byte[] FileOf(string metadata, params (string Name, string Dtype, int[] Shape, float[] Values)[] tensors)
    {
        var header = new StringBuilder("{\"__metadata__\":").Append(metadata);
        var data = new List<byte[]>();
        long offset = 0;
        foreach ((string name, string dtype, int[] shape, float[] values) in tensors)
        {
            byte[] bytes = SafeTensorsBytes.Typed(dtype, values);
            header.Append(',').Append(SafeTensorsBytes.Entry(name, dtype, "[" + string.Join(",", shape) + "]", offset, offset + bytes.Length));
            data.Add(bytes);
            offset += bytes.Length;
        }

        return SafeTensorsBytes.File(header.Append('}').ToString(), [.. data]);
    }
}
