using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Tests.Harness;
using NetGen.Generator.Tests.Topologies;

namespace NetGen.Generator.Tests;

/// <summary>
/// Snapshots (Expected/*.g.cs) of every code form the planner can choose, beside SeedNet's and IrisNet's (all
/// straight-line code): every layer as SIMD loops with a blocked TrainBatch (LoopNet, and BlockedNet, the MNIST shape
/// with softmax and cross-entropy); straight-line code, scalar loops and straight-line code again in one network, with
/// CheckFinite (CheckedNet); and embedded weights (EmbeddedNet).
/// <para>
/// A snapshot written by the code under test proves nothing alone, so each one is also compiled by itself (with the
/// user's declaration, without the generator) against the net8.0 reference assemblies with no diagnostics, loaded,
/// and checked against <see cref="ReferenceForward"/> (an interpreter sharing no code with the generator): Forward and
/// Loss on a few inputs, Backward against central differences of the interpreter's loss, TrainStep and TrainBatch
/// against Backward and one SGD step.
/// </para>
/// <para>
/// To write the snapshots again after a change to the generated code: NETGEN_UPDATE_SNAPSHOTS=1 (see
/// <see cref="ExpectedFiles"/>); every snapshot test then rewrites its file and fails, saying so.
/// </para>
/// </summary>
public sealed class SnapshotTests
{
    /// <summary>One snapshot.</summary>
    /// <param name="Name">Its class, in namespace Snapshots; its file is Expected/Name.g.cs.</param>
    /// <param name="Declaration">The user's source.</param>
    /// <param name="Topology">The same network, for <see cref="ReferenceForward"/>.</param>
    /// <param name="IsDouble">Its element type.</param>
    /// <param name="Looped">Whether Forward has loops.</param>
    /// <param name="Blocked">Whether TrainBatch is blocked: it keeps a block of samples' values on the stack.</param>
    /// <param name="Files">Additional files.</param>
    public sealed record SnapshotCase(string Name, string Declaration, Topology Topology, bool IsDouble, bool Looped, bool Blocked, (string Path, string Text)[] Files)
    {
        public string TypeName => "Snapshots." + Name;

        public string HintName => TypeName + ".g.cs";

        public string ExpectedFile => Name + ".g.cs";
    }

    /// <summary>EmbeddedNet's parameters, in parameter order: layer 1's weights and biases, then layer 2's weights.</summary>
    private static readonly float[] EmbeddedParameters = [1.5f, -2, 0.25f, 3, 0.5f, -0.125f, 0.75f, -1, 2.5f, -0.5f];

    public static readonly SnapshotCase[] Cases =
    [
        new("LoopNet", """
            using NetGen;

            namespace Snapshots;

            /// <summary>64 inputs -> 32 (ReLU) -> 10; every layer as SIMD loops; mean squared error; float.</summary>
            [Network(64, Code = CodeShape.Loops)]
            [Dense(32, Activation.ReLU)]
            [Dense(10)]
            public partial class LoopNet;
            """,
            new Topology(1, 64, [new(32, Activation.ReLU, true), new(10, Activation.Identity, true)]),
            IsDouble: false, Looped: true, Blocked: true, []),

        new("BlockedNet", """
            using NetGen;

            namespace Snapshots;

            /// <summary>784 inputs -> 128 (ReLU) -> 10 class probabilities; cross-entropy; float.</summary>
            [Network(784, Loss = NetGen.LossFunction.CrossEntropy)]
            [Dense(128, Activation.ReLU)]
            [Dense(10, Activation.Softmax)]
            public partial class BlockedNet;
            """,
            new Topology(2, 784, [new(128, Activation.ReLU, true), new(10, Activation.Softmax, true)]) { Loss = LossFunction.CrossEntropy },
            IsDouble: false, Looped: true, Blocked: true, []),

        // Layer 1 (12 weights) and layer 3 (80) are straight-line code; layer 2 (160 weights, 4 inputs) a scalar loop.
        new("CheckedNet", """
            using NetGen;

            namespace Snapshots;

            /// <summary>3 inputs -> 4 (Tanh) -> 40 (ReLU) -> 2; checks that every value is finite; double.</summary>
            [Network<double>(3, CheckFinite = true)]
            [Dense(4, Activation.Tanh)]
            [Dense(40, Activation.ReLU)]
            [Dense(2)]
            public partial class CheckedNet;
            """,
            new Topology(3, 3, [new(4, Activation.Tanh, true), new(40, Activation.ReLU, true), new(2, Activation.Identity, true)]),
            IsDouble: true, Looped: true, Blocked: false, []),

        new("EmbeddedNet", """
            using NetGen;

            namespace Snapshots;

            /// <summary>3 inputs -> 2 (Tanh) -> 1 (no bias); its parameters embedded from w.safetensors; float.</summary>
            [Network(3, Weights = "w.safetensors")]
            [Dense(2, Activation.Tanh)]
            [Dense(1, Bias = false)]
            public partial class EmbeddedNet;
            """,
            new Topology(4, 3, [new(2, Activation.Tanh, true), new(1, Activation.Identity, false)]),
            IsDouble: false, Looped: false, Blocked: false,
            [SafeTensorsFile.AdditionalFile("w.safetensors", SafeTensorsFile.F32(
                ("0.weight", [2, 3], EmbeddedParameters[..6]),
                ("0.bias", [2], EmbeddedParameters[6..8]),
                ("2.weight", [1, 2], EmbeddedParameters[8..])))]),
    ];

    public static TheoryData<string> CaseNames() => new(Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Generated_source_matches_the_expected_file(string name)
    {
        SnapshotCase snapshot = Case(name);
        GeneratorRun run = GeneratorHarness.RunWithFiles(snapshot.Declaration, snapshot.Files);

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.AllDiagnostics());
        Assert.Equal([snapshot.HintName], run.Sources.Select(s => s.HintName));

        // The planner chose the form this snapshot is for (before the comparison, so that an update cannot hide it).
        string source = run.Source(snapshot.HintName);
        AssertForm(snapshot, source);
        ExpectedFiles.AssertMatches(snapshot.ExpectedFile, source);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Expected_file_compiles_alone_against_net80_with_no_diagnostics(string name)
    {
        SnapshotCase snapshot = Case(name);
        Compilation compilation = Compile(snapshot);

        Assert.Empty(compilation.GetDiagnostics());
        Assert.NotEmpty(Emitted.Image(compilation));
        AssertForm(snapshot, ExpectedFiles.Read(snapshot.ExpectedFile));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Expected_file_computes_what_the_reference_interpreter_computes(string name)
    {
        SnapshotCase snapshot = Case(name);
        using LoadedAssembly assembly = Emitted.Load(Emitted.Image(Compile(snapshot)));
        if (snapshot.IsDouble)
        {
            ReferenceCheck<double>.Run(snapshot, assembly);
        }
        else
        {
            ReferenceCheck<float>.Run(snapshot, assembly);
        }
    }

    [Fact]
    public void Expected_EmbeddedNet_starts_from_the_files_parameters()
    {
        SnapshotCase snapshot = Case("EmbeddedNet");
        using LoadedAssembly assembly = Emitted.Load(Emitted.Image(Compile(snapshot)));
        INetwork<float> net = assembly.Create<INetwork<float>>(snapshot.TypeName);

        Assert.Equal(EmbeddedParameters, net.Parameters.ToArray());

        // Changing one instance does not change the next one's start.
        net.Parameters.Clear();
        Assert.Equal(EmbeddedParameters, assembly.Create<INetwork<float>>(snapshot.TypeName).Parameters.ToArray());
    }

    [Fact]
    public void Expected_CheckedNet_throws_on_a_value_that_is_not_finite_and_writes_nothing()
    {
        SnapshotCase snapshot = Case("CheckedNet");
        using LoadedAssembly assembly = Emitted.Load(Emitted.Image(Compile(snapshot)));
        INetwork<double> net = assembly.Create<INetwork<double>>(snapshot.TypeName);
        net.InitializeParameters(3);
        double[] output = new double[2];

        NonFiniteValueException forward = Assert.Throws<NonFiniteValueException>(() => net.Forward([1, double.NaN, 0], output));
        Assert.Equal(0, forward.Layer);
        Assert.Equal(1, forward.Node);

        // Layer 1's first two nodes saturate at tanh = 1 (weights 1e300), and layer 2's first node weighs both with
        // double.MaxValue: its sum overflows to infinity. (Layer 1 holds 12 weights and 4 biases, so layer 2 starts at 16.)
        net.Parameters[0] = 1e300;
        net.Parameters[3] = 1e300;
        net.Parameters[16] = double.MaxValue;
        net.Parameters[17] = double.MaxValue;
        double[] before = net.Parameters.ToArray();
        Assert.Throws<NonFiniteValueException>(() => net.TrainStep([1, 1, 1], [0, 0], 0.1));
        Assert.Equal(before, net.Parameters.ToArray());
    }

    /// <summary>
    /// Every line of every Expected/*.g.cs is at most 120 characters, except lines of XML doc comments (///).
    /// <para>
    /// EXPECTED TO FAIL ON THE CURRENT GENERATOR (not skipped): its explanatory // comments and some statements run
    /// past 120 characters. The rewrite of the generator must make it pass; regenerate the snapshots with
    /// NETGEN_UPDATE_SNAPSHOTS=1 after it.
    /// </para>
    /// </summary>
    [Fact]
    public void Every_line_of_every_expected_file_is_at_most_120_characters_outside_doc_comments()
    {
        const int MaxLength = 120;
        string[] files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Expected"), "*.g.cs").Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length >= 2 + Cases.Length, $"only {files.Length} snapshots found");

        var tooLong = new List<string>();
        foreach (string file in files)
        {
            string[] lines = ExpectedFiles.Normalize(File.ReadAllText(file)).Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length > MaxLength && !lines[i].TrimStart().StartsWith("///", StringComparison.Ordinal))
                {
                    tooLong.Add($"{Path.GetFileName(file)}:{i + 1}: {lines[i].Length} characters: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(
            tooLong.Count == 0,
            $"{tooLong.Count} lines over {MaxLength} characters (outside /// comments) in {tooLong.Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]).Distinct().Count()} files; the first 15:\n"
            + string.Join("\n", tooLong.Take(15)));
    }

    private static SnapshotCase Case(string name) => Cases.Single(c => c.Name == name);

    /// <summary>The user's declaration and the snapshot, compiled without the generator.</summary>
    private static Compilation Compile(SnapshotCase snapshot) =>
        TestCompilation.Create(snapshot.Declaration, ExpectedFiles.Read(snapshot.ExpectedFile));

    /// <summary>
    /// Forward has loops or not, and TrainBatch is blocked or not, as the case says. A blocked TrainBatch keeps a block
    /// of samples' values in stackalloc'd spans (and calls Backward only for the samples after the last whole block);
    /// the other calls Backward for every sample and allocates nothing of its own.
    /// </summary>
    /// <summary>
    /// The method that holds a member's code: the static one in the generated file's NetGen.Generated class, not the
    /// one-line member of the user's partial class that calls it.
    /// </summary>
    internal static bool IsBody(MethodDeclarationSyntax method) =>
        method.Modifiers.Any(m => m.Text == "static") && method.Body is not null;

    private static void AssertForm(SnapshotCase snapshot, string source)
    {
        SyntaxNode root = CSharpSyntaxTree.ParseText(source).GetRoot();
        MethodDeclarationSyntax Method(string name) =>
            root.DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == name && IsBody(m));
        bool looped = Method("Forward").DescendantNodes().Any(n => n is ForStatementSyntax);
        MethodDeclarationSyntax trainBatch = Method("TrainBatch");
        bool blocked = trainBatch.DescendantNodes().Any(n => n is StackAllocArrayCreationExpressionSyntax);
        bool callsBackward = trainBatch.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Any(call => call.Expression is IdentifierNameSyntax { Identifier.Text: "Backward" });
        Assert.True(looped == snapshot.Looped, $"{snapshot.Name}: Forward {(looped ? "has" : "has no")} loops");
        Assert.True(blocked == snapshot.Blocked, $"{snapshot.Name}: TrainBatch {(blocked ? "is" : "is not")} blocked");
        Assert.True(callsBackward, $"{snapshot.Name}: TrainBatch never calls Backward");
    }

    /// <summary>
    /// The reference checks, in the network's element type T. Tolerances: double 1e-12 of the node magnitude for
    /// Forward (the same sums; RandomTopologyTests), float 1e-4 (24-bit sums of up to 784 terms: (784 + 10) u = 5e-5).
    /// Gradients against central differences of the double interpreter (h = 1e-6, so about 1e-10 of noise), relative
    /// 1e-3 in float and 1e-6 in double, measured against at least 1e-2 (float) or 1e-4 (double) of the largest.
    /// Samples next to a ReLU kink are not used (<see cref="ReferenceForward.IsClearOfKinks"/>).
    /// </summary>
    private static class ReferenceCheck<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private const double Step = 1e-6;

        private static readonly bool IsDouble = typeof(T) == typeof(double);

        public static void Run(SnapshotCase snapshot, LoadedAssembly assembly)
        {
            Topology topology = snapshot.Topology;
            INetwork<T> net = assembly.Create<INetwork<T>>(snapshot.TypeName);
            Assert.Equal(topology.Inputs, net.InputCount);
            Assert.Equal(topology.Outputs, net.OutputCount);
            Assert.Equal(topology.ParameterCount, net.Parameters.Length);

            var random = new DeterministicRandom(20 + topology.Id);
            if (snapshot.Files.Length == 0)
            {
                SetParameters(net, topology, random);
            }

            double[] parameters = ToDoubles(net.Parameters);
            var reference = new ReferenceForward(topology, parameters);
            double forwardTolerance = IsDouble ? 1e-12 : 1e-4;
            int gradientChecks = 0;
            for (int attempt = 0; attempt < 40 && gradientChecks < 3; attempt++)
            {
                (double[] input, double[] target) = Sample(topology, random);
                T[] x = FromDoubles(input), t = FromDoubles(target);

                // Forward and Loss.
                double scale = Math.Max(1, reference.LargestMagnitude(ToDoubles(x)));
                double[] expected = reference.Forward(ToDoubles(x));
                var y = new T[topology.Outputs];
                net.Forward(x, y);
                for (int k = 0; k < expected.Length; k++)
                {
                    double error = Math.Abs(double.CreateChecked(y[k]) - expected[k]) / scale;
                    Assert.True(error <= forwardTolerance, $"{snapshot.Name}: output {k} = {y[k]}, reference {expected[k]:R} (scale {scale:G3})");
                }

                double loss = ReferenceLoss(topology, parameters, ToDoubles(x), ToDoubles(t));
                double lossError = Math.Abs(double.CreateChecked(net.Loss(x, t)) - loss) / Math.Max(1, Math.Max(Math.Abs(loss), scale));
                Assert.True(lossError <= forwardTolerance, $"{snapshot.Name}: Loss {net.Loss(x, t)}, reference {loss:R}");

                // Backward against central differences of the reference's loss, where no kink is within reach.
                if (!reference.IsClearOfKinks(ToDoubles(x), Step, IsDouble ? RandomTopologyTests.DoubleRounding : RandomTopologyTests.FloatRounding, out _))
                {
                    continue;
                }

                gradientChecks++;
                net.ZeroGradients();
                double backwardLoss = double.CreateChecked(net.Backward(x, t));
                Assert.True(Math.Abs(backwardLoss - loss) / Math.Max(1, Math.Max(Math.Abs(loss), scale)) <= forwardTolerance, $"{snapshot.Name}: Backward's loss {backwardLoss:R}, reference {loss:R}");
                double[] g = ToDoubles(net.Gradients);
                int[] indices = Indices(topology, random);
                double[] numeric = indices.Select(i => CentralDifference(topology, parameters, ToDoubles(x), ToDoubles(t), i)).ToArray();
                double floor = (IsDouble ? 1e-4 : 1e-2) * Math.Max(numeric.Max(Math.Abs), 1e-300);
                double tolerance = IsDouble ? 1e-6 : 1e-3;
                for (int n = 0; n < indices.Length; n++)
                {
                    double error = Math.Abs(g[indices[n]] - numeric[n]) / Math.Max(Math.Abs(numeric[n]), floor);
                    Assert.True(error <= tolerance, $"{snapshot.Name}: parameter {indices[n]}: Backward {g[indices[n]]:R}, central difference {numeric[n]:R} (relative error {error:G3})");
                }

                Assert.Contains(numeric, v => v != 0);
                AssertTrainStepIsBackwardAndOneStep(snapshot, assembly, net, x, t);
            }

            Assert.True(gradientChecks >= 3, $"{snapshot.Name}: only {gradientChecks} samples clear of kinks");
            AssertTrainBatchIsTheMeanOfBackward(snapshot, assembly, net, topology, random);
        }

        /// <summary>TrainStep's parameters are Backward's and p - learningRate * g (== does not tell +0 from -0).</summary>
        private static void AssertTrainStepIsBackwardAndOneStep(SnapshotCase snapshot, LoadedAssembly assembly, INetwork<T> net, T[] x, T[] t)
        {
            T learningRate = T.CreateChecked(0.05);
            INetwork<T> stepped = Copy(snapshot, assembly, net);
            net.ZeroGradients();
            T loss = net.Backward(x, t);
            Assert.Equal(loss, stepped.TrainStep(x, t, learningRate));
            for (int i = 0; i < net.Parameters.Length; i++)
            {
                T expected = net.Parameters[i] - (learningRate * net.Gradients[i]);
                Assert.True(stepped.Parameters[i] == expected, $"{snapshot.Name}: TrainStep parameter {i}: {stepped.Parameters[i]}, Backward and a step {expected}");
            }
        }

        /// <summary>
        /// TrainBatch over 11 samples (a block of 8 and a partial one, when blocked): its loss is the mean of the
        /// reference's, its Gradients the sum of Backward's times 1/11 to the last bit, and its parameters p - lr * g.
        /// </summary>
        private static void AssertTrainBatchIsTheMeanOfBackward(SnapshotCase snapshot, LoadedAssembly assembly, INetwork<T> net, Topology topology, DeterministicRandom random)
        {
            const int Samples = 11;
            T learningRate = T.CreateChecked(0.05);
            var inputs = new List<T>();
            var targets = new List<T>();
            double referenceLoss = 0;
            double[] parameters = ToDoubles(net.Parameters);
            for (int s = 0; s < Samples; s++)
            {
                (double[] input, double[] target) = Sample(topology, random);
                inputs.AddRange(FromDoubles(input));
                targets.AddRange(FromDoubles(target));
                referenceLoss += ReferenceLoss(topology, parameters, ToDoubles(FromDoubles(input)), ToDoubles(FromDoubles(target))) / Samples;
            }

            INetwork<T> batch = Copy(snapshot, assembly, net);
            net.ZeroGradients();
            for (int s = 0; s < Samples; s++)
            {
                net.Backward(inputs.ToArray().AsSpan(s * topology.Inputs, topology.Inputs), targets.ToArray().AsSpan(s * topology.Outputs, topology.Outputs));
            }

            T loss = batch.TrainBatch(inputs.ToArray(), targets.ToArray(), learningRate);
            Assert.True(Math.Abs(double.CreateChecked(loss) - referenceLoss) <= (IsDouble ? 1e-12 : 1e-4) * Math.Max(1, referenceLoss), $"{snapshot.Name}: TrainBatch loss {loss}, reference {referenceLoss:R}");
            T inverse = T.One / T.CreateChecked(Samples);
            for (int i = 0; i < net.Parameters.Length; i++)
            {
                T g = net.Gradients[i] * inverse;
                Assert.True(batch.Gradients[i] == g, $"{snapshot.Name}: TrainBatch gradient {i}: {batch.Gradients[i]}, Backward's mean {g}");
                T p = net.Parameters[i] - (learningRate * g);
                Assert.True(batch.Parameters[i] == p, $"{snapshot.Name}: TrainBatch parameter {i}: {batch.Parameters[i]}, expected {p}");
            }
        }

        private static INetwork<T> Copy(SnapshotCase snapshot, LoadedAssembly assembly, INetwork<T> net)
        {
            INetwork<T> copy = assembly.Create<INetwork<T>>(snapshot.TypeName);
            net.Parameters.CopyTo(copy.Parameters);
            return copy;
        }

        /// <summary>Weights uniform in +-sqrt(3 / fan-in) (outputs of about the inputs' size), biases in +-0.5.</summary>
        private static void SetParameters(INetwork<T> net, Topology topology, DeterministicRandom random)
        {
            Span<T> p = net.Parameters;
            int offset = 0, fanIn = topology.Inputs;
            foreach (LayerShape layer in topology.Layers)
            {
                double bound = Math.Sqrt(3.0 / fanIn);
                for (int i = 0; i < fanIn * layer.Units; i++)
                {
                    p[offset++] = T.CreateChecked(random.NextDouble(-bound, bound));
                }

                for (int j = 0; layer.Bias && j < layer.Units; j++)
                {
                    p[offset++] = T.CreateChecked(random.NextDouble(-0.5, 0.5));
                }

                fanIn = layer.Units;
            }

            Assert.Equal(p.Length, offset);
        }

        /// <summary>An input in [-1, 1]; a target in [-1, 1], or a probability vector for cross-entropy.</summary>
        private static (double[] Input, double[] Target) Sample(Topology topology, DeterministicRandom random)
        {
            double[] input = Enumerable.Range(0, topology.Inputs).Select(_ => random.NextDouble(-1, 1)).ToArray();
            double[] target = Enumerable.Range(0, topology.Outputs).Select(_ => random.NextDouble(-1, 1)).ToArray();
            if (topology.Loss == LossFunction.CrossEntropy)
            {
                target = target.Select(v => v + 1.1).ToArray();
                double sum = target.Sum();
                target = target.Select(v => v / sum).ToArray();
            }

            return (input, target);
        }

        /// <summary>Every parameter of a small network; of a large one, 60 drawn at random and every one of the last layer's biases.</summary>
        private static int[] Indices(Topology topology, DeterministicRandom random)
        {
            int count = topology.ParameterCount;
            if (count <= 400)
            {
                return Enumerable.Range(0, count).ToArray();
            }

            var drawn = new SortedSet<int>(Enumerable.Range(count - topology.Outputs, topology.Outputs));
            while (drawn.Count < 60 + topology.Outputs)
            {
                drawn.Add((int)Math.Min(count - 1, Math.Floor(random.NextDouble(0, count))));
            }

            return [.. drawn];
        }

        private static double CentralDifference(Topology topology, double[] parameters, double[] input, double[] target, int index)
        {
            double[] moved = (double[])parameters.Clone();
            moved[index] = parameters[index] + Step;
            double up = ReferenceLoss(topology, moved, input, target);
            moved[index] = parameters[index] - Step;
            double down = ReferenceLoss(topology, moved, input, target);
            return (up - down) / (2 * Step);
        }

        /// <summary>The losses by their definitions (PyTorch's): MSE (1/K) sum (y - t)^2; cross-entropy -sum t (z - logsumexp z).</summary>
        private static double ReferenceLoss(Topology topology, double[] parameters, double[] input, double[] target)
        {
            var reference = new ReferenceForward(topology, parameters);
            if (topology.Loss == LossFunction.CrossEntropy)
            {
                double[] z = reference.Logits(input);
                double max = z.Max();
                double logSumExp = max + Math.Log(z.Sum(v => Math.Exp(v - max)));
                return -Enumerable.Range(0, z.Length).Sum(k => target[k] * (z[k] - logSumExp));
            }

            Assert.Equal(LossFunction.MeanSquaredError, topology.Loss);
            double[] y = reference.Forward(input);
            return Enumerable.Range(0, y.Length).Sum(k => (y[k] - target[k]) * (y[k] - target[k])) / y.Length;
        }

        private static double[] ToDoubles(ReadOnlySpan<T> values)
        {
            var result = new double[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                result[i] = double.CreateChecked(values[i]);
            }

            return result;
        }

        private static T[] FromDoubles(double[] values) => values.Select(v => T.CreateChecked(v)).ToArray();
    }
}
