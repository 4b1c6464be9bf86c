using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace NetGen.Generator.Tests.Topologies;

/// <summary>One parameter tensor of an image network: PyTorch's name, its offset in the flat parameters, its shape.</summary>
public readonly record struct CnnTensor(string Label, int Offset, int[] Shape)
{
    public int Length => Shape.Aggregate(1, (a, b) => a * b);
}

/// <summary>
/// One image network ([Conv2D] and [MaxPool2D] layers, then [Dense] layers) with PyTorch's answers for it, read from
/// Fixtures/Cnn/cnn-*.json and ties.json (written by make_cnn_fixtures.py beside them, which says what every field
/// is): its C# declaration, the parameters in NetGen's flat layout, a batch of inputs and targets, and torch's outputs,
/// the loss and gradients of the first sample, and the loss and gradients of the whole batch.
/// </summary>
public sealed class CnnCase
{
    private CnnCase(JsonElement e)
    {
        Name = e.GetProperty("name").GetString()!;
        Declaration = e.GetProperty("declaration").GetString()!;
        int[] image = [.. e.GetProperty("image").EnumerateArray().Select(v => v.GetInt32())];
        (Channels, Height, Width) = (image[0], image[1], image[2]);
        OutputCount = e.GetProperty("outputs_count").GetInt32();
        Loss = Enum.Parse<LossFunction>(e.GetProperty("loss").GetString()!);
        Samples = e.GetProperty("samples").GetInt32();
        Float = e.GetProperty("float").GetBoolean();
        FiniteDifferences = e.GetProperty("fd").GetBoolean();
        LogitScale = e.GetProperty("logit_scale").GetDouble();
        JsonElement margin = e.GetProperty("kink_margin");
        KinkMargin = margin.ValueKind == JsonValueKind.Null ? null : margin.GetDouble();
        Tensors = [.. e.GetProperty("tensors").EnumerateArray().Select(t => new CnnTensor(t[0].GetString()!, t[1].GetInt32(), [.. t[2].EnumerateArray().Select(v => v.GetInt32())]))];
        Parameters = Numbers(e, "parameters");
        Inputs = Numbers(e, "inputs");
        Targets = Numbers(e, "targets");
        Outputs = Numbers(e, "outputs");
        LossValue = e.GetProperty("loss_value").GetDouble();
        Gradients = Numbers(e, "gradients");
        BatchLoss = e.GetProperty("batch_loss").GetDouble();
        BatchGradients = Numbers(e, "batch_gradients");
        GradientScales = Scales(Gradients);
        BatchGradientScales = Scales(BatchGradients);
        OutputScale = Outputs.Max(Math.Abs);
    }

    /// <summary>The directory the build copies the fixtures to.</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Cnn");

    /// <summary>The class name: K001 to K120, or Ties.</summary>
    public string Name { get; }

    /// <summary>The attribute lines and the class line, exactly as a user writes them (<c>[Network&lt;double&gt;(c, h, w)]</c>).</summary>
    public string Declaration { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public int InputCount => Channels * Height * Width;

    public int OutputCount { get; }

    public LossFunction Loss { get; }

    /// <summary>The samples of the batch; the first is the one of <see cref="LossValue"/> and <see cref="Gradients"/>.</summary>
    public int Samples { get; }

    public bool Float { get; }

    public bool FiniteDifferences { get; }

    public double LogitScale { get; }

    public double? KinkMargin { get; }

    public CnnTensor[] Tensors { get; }

    public double[] Parameters { get; }

    public double[] Inputs { get; }

    public double[] Targets { get; }

    /// <summary>torch's outputs of every sample.</summary>
    public double[] Outputs { get; }

    public double LossValue { get; }

    public double[] Gradients { get; }

    public double BatchLoss { get; }

    public double[] BatchGradients { get; }

    /// <summary>For each parameter, the largest |gradient| of its tensor (sample 0).</summary>
    public double[] GradientScales { get; }

    /// <summary>For each parameter, the largest |batch gradient| of its tensor.</summary>
    public double[] BatchGradientScales { get; }

    public double OutputScale { get; }

    public string FloatName => Name + "F";

    public string FloatDeclaration()
    {
        const string DoubleAttribute = "[Network<double>(";
        string classLine = $"public partial class {Name};";
        Assert.True(Declaration.StartsWith(DoubleAttribute, StringComparison.Ordinal) && Declaration.EndsWith(classLine, StringComparison.Ordinal), $"{Name}: unexpected declaration\n{Declaration}");
        return "[Network(" + Declaration[DoubleAttribute.Length..^classLine.Length] + $"public partial class {FloatName};";
    }

    public ReadOnlySpan<double> Input(int sample) => Inputs.AsSpan(sample * InputCount, InputCount);

    public ReadOnlySpan<double> Target(int sample) => Targets.AsSpan(sample * OutputCount, OutputCount);

    /// <summary>Where parameter <paramref name="index"/> is, as "layer 1 Conv2D weight[3, 0, 2, 1]".</summary>
    public string DescribeParameter(int index)
    {
        foreach (CnnTensor t in Tensors)
        {
            if (index >= t.Offset && index < t.Offset + t.Length)
            {
                int local = index - t.Offset;
                var at = new int[t.Shape.Length];
                for (int d = t.Shape.Length - 1; d >= 0; d--)
                {
                    at[d] = local % t.Shape[d];
                    local /= t.Shape[d];
                }

                return string.Create(CultureInfo.InvariantCulture, $"{t.Label}[{string.Join(", ", at)}]");
            }
        }

        return "outside every tensor";
    }

    public override string ToString() => Name;

    /// <summary>Every case of cnn-*.json, in order; the ties case is <see cref="LoadTies"/>'s.</summary>
    public static List<CnnCase> LoadAll()
    {
        var cases = new List<CnnCase>();
        foreach (string file in System.IO.Directory.GetFiles(Directory, "cnn-*.json").Order(StringComparer.Ordinal))
        {
            cases.AddRange(Read(file));
        }

        return cases;
    }

    public static CnnCase LoadTies() => Load("ties.json");

    /// <summary>The one case of a fixture file beside the others (ties.json, snapshot.json).</summary>
    public static CnnCase Load(string fileName) => Read(Path.Combine(Directory, fileName)).Single();

    private static IEnumerable<CnnCase> Read(string file)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(file));
        return [.. document.RootElement.GetProperty("cases").EnumerateArray().Select(e => new CnnCase(e))];
    }

    private double[] Scales(double[] gradients)
    {
        var scales = new double[gradients.Length];
        foreach (CnnTensor tensor in Tensors)
        {
            double largest = gradients.AsSpan(tensor.Offset, tensor.Length).ToArray().Max(Math.Abs);
            scales.AsSpan(tensor.Offset, tensor.Length).Fill(largest);
        }

        return scales;
    }

    private static double[] Numbers(JsonElement e, string name) =>
        [.. e.GetProperty(name).EnumerateArray().Select(v => v.GetDouble())];
}
