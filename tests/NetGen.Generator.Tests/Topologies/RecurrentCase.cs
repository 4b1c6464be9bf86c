using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace NetGen.Generator.Tests.Topologies;

/// <summary>
/// One parameter tensor's place in a network's flat parameters: PyTorch's name, offset and row-major shape; a Conv1D
/// weight [out, in, k] is <paramref name="Rows"/> = out, <paramref name="Columns"/> = in * k and <paramref name="Taps"/> = k
/// (0 for the other tensors).
/// </summary>
public readonly record struct TensorRange(string Label, int Offset, int Rows, int Columns, int Taps = 0)
{
    public int Length => Rows * Columns;
}

/// <summary>
/// One streaming stack (GRU, LSTM, Conv1D and Dense layers) with PyTorch's answers for it, read from
/// Fixtures/Recurrent/recurrent-*.json and conv-*.json (written by make_recurrent_fixtures.py beside them, which says
/// what every field is): its C# declaration, the parameters in NetGen's flat layout, a sequence of inputs and targets,
/// and torch's outputs from a zero state, loss and gradients.
/// </summary>
public sealed class RecurrentCase
{
    private RecurrentCase(JsonElement e)
    {
        Name = e.GetProperty("name").GetString()!;
        Summary = e.GetProperty("summary").GetString()!;
        Declaration = e.GetProperty("declaration").GetString()!;
        InputsPerStep = e.GetProperty("inputs_per_step").GetInt32();
        OutputsPerStep = e.GetProperty("outputs_per_step").GetInt32();
        Steps = e.GetProperty("steps").GetInt32();
        Loss = Enum.Parse<LossFunction>(e.GetProperty("loss").GetString()!);
        Float = e.GetProperty("float").GetBoolean();
        FiniteDifferences = e.GetProperty("fd").GetBoolean();
        LogitScale = e.GetProperty("logit_scale").GetDouble();
        JsonElement margin = e.GetProperty("kink_margin");
        KinkMargin = margin.ValueKind == JsonValueKind.Null ? null : margin.GetDouble();
        Tensors = [.. e.GetProperty("tensors").EnumerateArray().Select(t => new TensorRange(t[0].GetString()!, t[1].GetInt32(), t[2].GetInt32(), t[3].GetInt32(), t.GetArrayLength() > 4 ? t[4].GetInt32() : 0))];
        Parameters = Numbers(e, "parameters");
        Inputs = Numbers(e, "inputs");
        Targets = Numbers(e, "targets");
        Outputs = Numbers(e, "outputs");
        LossValue = e.GetProperty("loss_value").GetDouble();
        Gradients = Numbers(e, "gradients");

        OutputScale = Outputs.Max(Math.Abs);
        GradientScales = new double[Gradients.Length];
        foreach (TensorRange tensor in Tensors)
        {
            double largest = Gradients.AsSpan(tensor.Offset, tensor.Length).ToArray().Max(Math.Abs);
            GradientScales.AsSpan(tensor.Offset, tensor.Length).Fill(largest);
        }
    }

    /// <summary>The directory the build copies the fixtures to.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Recurrent");

    /// <summary>The class name, such as R017 (C017 for a stack from conv-*.json).</summary>
    public string Name { get; }

    /// <summary>A one-line description: element type, inputs, layers, loss and steps.</summary>
    public string Summary { get; }

    /// <summary>The attribute lines and the class line, exactly as a user writes them (<c>[Network&lt;double&gt;(...)]</c>).</summary>
    public string Declaration { get; }

    public int InputsPerStep { get; }

    public int OutputsPerStep { get; }

    public int Steps { get; }

    public LossFunction Loss { get; }

    /// <summary>Whether the tests also compile the stack with float elements.</summary>
    public bool Float { get; }

    /// <summary>Whether the tests check its gradients against central differences.</summary>
    public bool FiniteDifferences { get; }

    /// <summary>For the cross-entropies, max(1, |z|) over the last layer's pre-activations in torch; 0 for mean squared error.</summary>
    public double LogitScale { get; }

    /// <summary>The smallest |z| of any ReLU / LeakyReLU pre-activation in torch, or null when there is none.</summary>
    public double? KinkMargin { get; }

    public TensorRange[] Tensors { get; }

    public double[] Parameters { get; }

    public double[] Inputs { get; }

    public double[] Targets { get; }

    /// <summary>torch's outputs over the steps from a zero state.</summary>
    public double[] Outputs { get; }

    /// <summary>torch's loss: the mean of the per-step losses.</summary>
    public double LossValue { get; }

    /// <summary>torch's dLoss/dParameter, in the layout of <see cref="Parameters"/>.</summary>
    public double[] Gradients { get; }

    /// <summary>The largest |output| of the sequence.</summary>
    public double OutputScale { get; }

    /// <summary>For each parameter, the largest |gradient| of its tensor.</summary>
    public double[] GradientScales { get; }

    /// <summary>The same stack with float elements: <c>[Network(...)]</c>, class <see cref="Name"/> + "F".</summary>
    public string FloatName => Name + "F";

    public string FloatDeclaration()
    {
        const string DoubleAttribute = "[Network<double>(";
        string classLine = $"public partial class {Name};";
        Assert.True(Declaration.StartsWith(DoubleAttribute, StringComparison.Ordinal) && Declaration.EndsWith(classLine, StringComparison.Ordinal), $"{Name}: unexpected declaration\n{Declaration}");
        return "[Network(" + Declaration[DoubleAttribute.Length..^classLine.Length] + $"public partial class {FloatName};";
    }

    /// <summary>Whether the stack has a [Conv1D] layer.</summary>
    public bool HasConvolution => Declaration.Contains("[Conv1D(", StringComparison.Ordinal);

    /// <summary>Where parameter <paramref name="index"/> is, as "layer 2 Lstm weight_hh_l0[12, 3]" or "layer 1 Conv1D weight[4, 2, 0]".</summary>
    public string DescribeParameter(int index)
    {
        foreach (TensorRange t in Tensors)
        {
            if (index >= t.Offset && index < t.Offset + t.Length)
            {
                int local = index - t.Offset;
                if (t.Taps > 0)
                {
                    int column = local % t.Columns;
                    return string.Create(CultureInfo.InvariantCulture, $"{t.Label}[{local / t.Columns}, {column / t.Taps}, {column % t.Taps}]");
                }

                return t.Columns == 1
                    ? string.Create(CultureInfo.InvariantCulture, $"{t.Label}[{local}]")
                    : string.Create(CultureInfo.InvariantCulture, $"{t.Label}[{local / t.Columns}, {local % t.Columns}]");
            }
        }

        return "outside every tensor";
    }

    /// <summary>Where output <paramref name="index"/> is, as "step 12, output 1" (both from 0).</summary>
    public string DescribeOutput(int index) =>
        string.Create(CultureInfo.InvariantCulture, $"step {index / OutputsPerStep}, output {index % OutputsPerStep}");

    public override string ToString() => $"{Name} ({Summary})";

    /// <summary>Every fixture of every recurrent-*.json file, then of every conv-*.json file, in file order; and the learning rate they share.</summary>
    public static List<RecurrentCase> LoadAll(out double learningRate)
    {
        string[] recurrent = System.IO.Directory.GetFiles(Directory, "recurrent-*.json");
        string[] convolution = System.IO.Directory.GetFiles(Directory, "conv-*.json");
        Assert.True(recurrent.Length > 0, $"no recurrent-*.json in {Directory}");
        Assert.True(convolution.Length > 0, $"no conv-*.json in {Directory}");
        Array.Sort(recurrent, StringComparer.Ordinal);
        Array.Sort(convolution, StringComparer.Ordinal);
        string[] files = [.. recurrent, .. convolution];
        var cases = new List<RecurrentCase>();
        double? rate = null;
        foreach (string file in files)
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(file));
            double fileRate = document.RootElement.GetProperty("learning_rate").GetDouble();
            Assert.True(rate is null || rate == fileRate, $"{file}: learning rate {fileRate} differs from the other files' {rate}");
            rate = fileRate;
            cases.AddRange(document.RootElement.GetProperty("fixtures").EnumerateArray().Select(e => new RecurrentCase(e)));
        }

        learningRate = rate!.Value;
        return cases;
    }

    private static double[] Numbers(JsonElement e, string name) =>
        [.. e.GetProperty(name).EnumerateArray().Select(v => v.GetDouble())];
}
