using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Emitting.Layers;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting;

/// <summary>
/// Writes one network's file, in two parts, as dotnet/runtime's Regex generator does. The user's partial class holds
/// the members of INetwork&lt;T&gt; as one-line calls, and is the only place that names types with global:: (the user's
/// own names could hide any other spelling there). The bodies live in a file-local class in the generator's own
/// namespace, NetGen.Generated, where ordinary usings apply, so the lines that compute read like the worked example:
/// <c>float z1_0 = w1[0, 0] * x0 + w1[0, 1] * x1;</c>. The passes themselves come from <see cref="PassEmitter"/>,
/// <see cref="OutputEmitter"/>, <see cref="BatchEmitter"/> and one <see cref="LayerEmitter"/> per kind of layer.
/// </summary>
internal sealed class NetworkEmitter
{
    /// <summary>NetGen's version, written into [GeneratedCode]: the generator assembly's own (the Version in Directory.Build.props).</summary>
    public static readonly string Version = typeof(NetworkEmitter).Assembly.GetName().Version is { } v
        ? $"{Literals.Int(v.Major)}.{Literals.Int(v.Minor)}.{Literals.Int(v.Build)}"
        : "0.0.0";

    private readonly NetworkPlan _plan;
    private readonly NetworkSpec _spec;
    private readonly SourceWriter _w = new();
    private readonly string _t;
    private readonly EquatableArray<double> _embedded;
    private readonly string _code;
    private readonly string _generatedCode;

    // Full signatures: a user overload of Forward or Backward must not make these references ambiguous (CS0419).
    private readonly string _forward;
    private readonly string _backward;

    private NetworkEmitter(NetworkPlan plan, EquatableArray<double> embedded)
    {
        _plan = plan;
        _embedded = embedded;
        _spec = plan.Spec;
        _t = Literals.TypeName(_spec.Element);
        _code = CodeClassName(_spec);
        _generatedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"NetGen\", \"" + Version + "\")]";
        _forward = $"<see cref=\"Forward(global::System.ReadOnlySpan{{{_t}}}, global::System.Span{{{_t}}})\"/>";
        _backward = $"<see cref=\"Backward(global::System.ReadOnlySpan{{{_t}}}, global::System.ReadOnlySpan{{{_t}}})\"/>";
    }

    public static string Emit(NetworkPlan plan, EquatableArray<double> embedded = default) =>
        new NetworkEmitter(plan, embedded).EmitFile();

    /// <summary>The type's full name: namespace, containing types and name, dotted.</summary>
    public static string FullName(NetworkSpec spec) => FullName(spec.Namespace, spec.ContainingTypes, spec.TypeName);

    /// <summary>The type's full name: namespace, containing types and name, dotted.</summary>
    public static string FullName(string? ns, EquatableArray<ContainingTypeSpec> containingTypes, string typeName)
    {
        var name = new System.Text.StringBuilder();
        if (ns is not null)
        {
            name.Append(ns).Append('.');
        }

        foreach (ContainingTypeSpec type in containingTypes)
        {
            name.Append(type.Name).Append('.');
        }

        return name.Append(typeName).ToString();
    }

    /// <summary>
    /// The file name of the generated source: the type's full name, cleaned; with a hash of the full name when it
    /// would collide with another network's.
    /// </summary>
    public static string HintName(string fullName, bool disambiguate = false) =>
        Identifiers.HintName(fullName) + (disambiguate ? "." + Identifiers.Hash(fullName) : string.Empty) + ".g.cs";

    /// <summary>The full names whose hint names would collide (Roslyn compares them ignoring case), sorted.</summary>
    public static EquatableArray<string> CollidingHintNames(
        IEnumerable<(string? Namespace, EquatableArray<ContainingTypeSpec> ContainingTypes, string TypeName)?> types) =>
        types
            .Where(t => t is not null)
            .Select(t => FullName(t!.Value.Namespace, t.Value.ContainingTypes, t.Value.TypeName))
            .Distinct(StringComparer.Ordinal)
            .GroupBy(n => Identifiers.HintName(n), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .SelectMany(g => g)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToEquatableArray();

    /// <summary>The text of <c>Topology</c>: element type, inputs, each layer, loss.</summary>
    public static string Topology(NetworkSpec spec)
    {
        string layers = string.Join(" | ", spec.Layers.Select(Describe));
        string inputs = spec.Image is { } image
            ? $"{Literals.Int(image.Channels)}x{Literals.Int(image.Height)}x{Literals.Int(image.Width)}"
            : Literals.Int(spec.Inputs);
        return $"{Literals.TypeName(spec.Element)} {inputs} | {layers} | {spec.Loss}";

        static string Describe(LayerSpec layer) => layer switch
        {
            DenseLayerSpec d => $"{Literals.Int(d.Units)} {d.Activation}{(d.Bias ? string.Empty : " nobias")}",
            RecurrentLayerSpec r => $"{Literals.Int(r.Units)} {r.Name.ToUpperInvariant()}{(r.Bias ? string.Empty : " nobias")}",
            Conv1DLayerSpec c => $"{Literals.Int(c.OutChannels)} CONV1D k{Literals.Int(c.KernelSize)}{(c.Dilation == 1 ? string.Empty : " d" + Literals.Int(c.Dilation))} {c.Activation}{(c.Bias ? string.Empty : " nobias")}",
            Conv2DLayerSpec c => $"{Literals.Int(c.OutChannels)} CONV2D k{Literals.Int(c.KernelSize)}{(c.Stride == 1 ? string.Empty : " s" + Literals.Int(c.Stride))}{(c.Padding == 0 ? string.Empty : " p" + Literals.Int(c.Padding))} {c.Activation}{(c.Bias ? string.Empty : " nobias")}",
            MaxPool2DLayerSpec p => $"MAXPOOL2D {Literals.Int(p.Size)}",
            _ => layer.ToString(),
        };
    }

    /// <summary>The file-local class that holds the network's code: the type's name and "Code", unique in its file.</summary>
    private static string CodeClassName(NetworkSpec spec) => spec.TypeName.TrimStart('@') + "Code";

    private string Lit(double value) => Literals.Number(_spec.Element, value);

    private string EmitFile()
    {
        _w.Line("// <auto-generated/>");
        _w.Line($"// Generated by NetGen {Version} from the {AttributeList()} attributes on {_spec.TypeName}.");
        _w.Line("// Edit the attributes, not this file: it is written again on every build.");
        _w.Line("#nullable enable");
        if (IsLowerCaseAscii(_spec.TypeName.TrimStart('@')))
        {
            // The class's own name draws CS8981 here too, where the user's #pragma for their declaration cannot reach.
            _w.Line("#pragma warning disable CS8981 // the type name has only lower-case ASCII characters, as the user declared it");
        }

        _w.Line();
        EmitUserPartial();
        _w.Line();
        EmitCode();
        return _w.ToString();
    }

    private static bool IsLowerCaseAscii(string name) => name.All(c => c is >= 'a' and <= 'z' || c is >= '0' and <= '9' || c == '_');

    /// <summary>The attributes the network is declared with, as the header names them: "[Network] and [Dense]".</summary>
    private string AttributeList()
    {
        string[] names = new[] { "[Network]" }
            .Concat(_spec.Layers.Select(l => l switch
            {
                RecurrentLayerSpec r => $"[{r.Name}]",
                Conv1DLayerSpec => "[Conv1D]",
                Conv2DLayerSpec => "[Conv2D]",
                MaxPool2DLayerSpec => "[MaxPool2D]",
                _ => "[Dense]",
            }).Distinct())
            .ToArray();
        return string.Join(", ", names.Take(names.Length - 1)) + " and " + names[names.Length - 1];
    }

    private bool Streaming => _plan.Sequence is not null;

    // ---- The user's partial class: constants, storage, and one-line members ----

    private void EmitUserPartial()
    {
        if (_spec.Namespace is not null)
        {
            _w.Open($"namespace {Identifiers.EscapeNamespace(_spec.Namespace)}");
        }

        foreach (ContainingTypeSpec outer in _spec.ContainingTypes)
        {
            _w.Open($"partial {outer.Keyword} {Identifiers.Escape(outer.Name)}");
        }

        // [GeneratedCode] goes on each generated member, not on the class: on the class it would also mark the
        // user's own members as generated, and clash with a [GeneratedCode] the user already put there.
        string network = $"global::NetGen.INetwork<{_t}>";
        string code = $"global::NetGen.Generated.{_code}";
        string implemented = Streaming ? $"global::NetGen.ISequenceNetwork<{_t}>" : network;
        _w.Open($"partial class {Identifiers.Escape(_spec.TypeName)} : {implemented}");
        EmitConstants(network);
        _w.Line();
        EmitStorage(code);
        _w.Line();
        EmitMembers(code);
        if (Streaming)
        {
            _w.Line();
            EmitSequenceMembers(code);
        }

        _w.Close();

        foreach (ContainingTypeSpec _ in _spec.ContainingTypes)
        {
            _w.Close();
        }

        if (_spec.Namespace is not null)
        {
            _w.Close();
        }
    }

    private void Member(string declaration)
    {
        _w.Line(_generatedCode);
        _w.Line(declaration);
    }

    /// <summary>An expression body on its own line, one level in.</summary>
    private void Body(string expression)
    {
        _w.Indent();
        EmitContext.WriteCall(_w, expression);
        _w.Unindent();
    }

    private void EmitConstants(string network)
    {
        _w.Line($"/// <summary>The number of inputs: the length {_forward} expects of its input.</summary>");
        Member($"public const int InputCount = {Literals.Int(_spec.Inputs)};");
        _w.Line();
        _w.Line($"/// <summary>The number of outputs: the length {_forward} expects of its output.</summary>");
        Member($"public const int OutputCount = {Literals.Int(_plan.Outputs)};");
        _w.Line();
        _w.Line("/// <summary>The number of weights and biases: the length of <see cref=\"Parameters\"/> and <see cref=\"Gradients\"/>.</summary>");
        Member($"public const int ParameterCount = {Literals.Int(_plan.ParameterCount)};");
        _w.Line();
        _w.Line("/// <summary>The topology as text; networks with the same text have the same parameter layout.</summary>");
        string topology = Literals.String(Topology(_spec));
        if (_w.Column + "public const string Topology = ;".Length + topology.Length <= EmitContext.MaxLineLength)
        {
            Member($"public const string Topology = {topology};");
        }
        else
        {
            Member("public const string Topology =");
            Body(topology + ";");
        }
        _w.Line();
        Member($"int {network}.InputCount => InputCount;");
        _w.Line();
        Member($"int {network}.OutputCount => OutputCount;");
        _w.Line();
        Member($"string {network}.Topology => Topology;");
    }

    private void EmitStorage(string code)
    {
        // Field initialisers run whatever constructors the user writes, so every instance starts initialised.
        Member($"private readonly {_t}[] __parameters = {code}.CreateParameters();");
        _w.Line();
        Member($"private readonly {_t}[] __gradients = new {_t}[ParameterCount];");
        _w.Line();
        if (_spec.CheckFinite && !Streaming)
        {
            _w.Line("// Where TrainBatch adds its samples' slopes, copied into Gradients once every sample has passed.");
            Member($"private readonly {_t}[] __batchGradients = new {_t}[ParameterCount];");
            _w.Line();
        }

        if (Streaming)
        {
            _w.Line("// The record of a sequence's steps for backpropagation through time (grown only for a longer sequence), and");
            _w.Line("// the slopes TrainStep applies, which must not touch Gradients.");
            Member($"private {_t}[] __record = new {_t}[{Literals.Int(_plan.Sequence!.TapePerStep)}];");
            _w.Line();
            Member($"private readonly {_t}[] __stepGradients = new {_t}[ParameterCount];");
            _w.Line();
        }

        _w.Line("/// <summary>");
        bool image = _plan.Layers.Any(layer => layer is Conv2DLayerPlan);
        _w.Line(Streaming
            ? "/// All weights and biases, layer by layer, each in the layout of its PyTorch module (nn.Linear, nn.GRU, nn.LSTM):"
            : image
                ? "/// All weights and biases, layer by layer, each in the layout of its PyTorch module (nn.Conv2d, nn.Linear):"
                : "/// All weights and biases, layer by layer: the layer's weights row-major [unit, input] (the layout of");
        if (!Streaming && !image)
        {
            _w.Line("/// PyTorch's nn.Linear.weight), then its biases:");
        }

        _w.Line("/// <list type=\"bullet\">");
        foreach (LayerPlan layer in _plan.Layers)
        {
            foreach (string item in LayerEmitter.For(layer).DescribeParameters())
            {
                _w.Line($"/// <item><description>{item}</description></item>");
            }
        }

        _w.Line("/// </list>");
        _w.Line("/// </summary>");
        Member($"public global::System.Span<{_t}> Parameters => __parameters;");
        _w.Line();
        _w.Line($"/// <summary>The slopes dLoss/dParameter, same length and layout as <see cref=\"Parameters\"/>: where {_backward} accumulates.</summary>");
        Member($"public global::System.Span<{_t}> Gradients => __gradients;");
        if (_embedded.Count > 0)
        {
            _w.Line();
            _w.Line($"/// <summary>The {Literals.Int(_embedded.Count)} parameters read from {Literals.Xml(_spec.EmbeddedFrom!)} at build time; every new instance starts from them.</summary>");
            Member($"public static global::System.ReadOnlySpan<{_t}> EmbeddedParameters =>");
            Body($"{code}.Embedded;");
        }
    }

    private void EmitMembers(string code)
    {
        string span = $"global::System.Span<{_t}>";
        string readOnly = $"global::System.ReadOnlySpan<{_t}>";

        _w.Line(Streaming
            ? "/// <summary>One time step from a zero state (a sequence of one step). Reads the parameters only: safe from many threads at once.</summary>"
            : "/// <summary>Computes the network's output for one input. Reads the parameters only: safe from many threads at once.</summary>");
        string image = _spec.Image is { } shape
            ? $" (a {Literals.Int(shape.Channels)} x {Literals.Int(shape.Height)} x {Literals.Int(shape.Width)} image, laid out CHW: channel by channel, each row by row)"
            : string.Empty;
        _w.Line($"/// <param name=\"input\">{Plural(_spec.Inputs, "value")}{image}.</param>");
        _w.Line($"/// <param name=\"output\">Receives {Plural(_plan.Outputs, "value")}.</param>");
        _w.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length is wrong; nothing is written.</exception>");
        Member($"public void Forward({readOnly} input, {span} output) =>");
        Body($"{code}.Forward(__parameters, input, output);");

        _w.Line();
        _w.Line("/// <summary>");
        _w.Line(Streaming
            ? "/// Computes the outputs of samples laid out one after another, each a time step from a zero state as Forward"
            : _plan.BlockedForward
                ? "/// Computes the outputs of samples laid out one after another, in blocks of eight, each Forward's to rounding."
                : "/// Computes the outputs of samples laid out one after another, one Forward call each (Forward's bits).");
        _w.Line(Streaming
            ? "/// computes it. Reads the parameters only: safe from many threads at once."
            : "/// Reads the parameters only: safe from many threads at once.");
        _w.Line("/// </summary>");
        _w.Line($"/// <param name=\"inputs\">Zero or more samples of {Plural(_spec.Inputs, "value")}.</param>");
        _w.Line($"/// <param name=\"outputs\">Receives the same number of samples of {Plural(_plan.Outputs, "value")}.</param>");
        _w.Line("/// <exception cref=\"global::System.ArgumentException\">The lengths do not describe the same whole number of samples; nothing is written.</exception>");
        Member($"public void ForwardBatch({readOnly} inputs, {span} outputs) =>");
        Body($"{code}.ForwardBatch(__parameters, inputs, outputs);");

        if (_plan.HasPredict)
        {
            _w.Line();
            EmitPredict();
        }

        _w.Line();
        _w.Line($"/// <summary>The loss ({_spec.Loss}) of one sample. Reads the parameters only.</summary>");
        _w.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length is wrong.</exception>");
        Member($"public {_t} Loss({readOnly} input, {readOnly} target) =>");
        Body($"{code}.Loss(__parameters, input, target);");

        _w.Line();
        _w.Line("/// <summary>");
        _w.Line("/// Runs the forward pass, then adds dLoss/dParameter of this sample into <see cref=\"Gradients\"/>: the chain rule,");
        _w.Line("/// written out slope by slope for this topology.");
        _w.Line("/// </summary>");
        _w.Line("/// <returns>The loss of the sample.</returns>");
        _w.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length is wrong; nothing is written.</exception>");
        Member($"public {_t} Backward({readOnly} input, {readOnly} target) =>");
        Body(Streaming
            ? $"{code}.Backward(__parameters, __gradients, ref __record, input, target);"
            : $"{code}.Backward(__parameters, __gradients, input, target);");

        _w.Line();
        _w.Line("/// <summary>Sets every element of <see cref=\"Gradients\"/> to zero.</summary>");
        Member("public void ZeroGradients() => global::System.Array.Clear(__gradients);");

        _w.Line();
        _w.Line("/// <summary>");
        _w.Line($"/// One fused SGD step on one sample: the same slopes as {_backward}, each applied at once as");
        _w.Line("/// p -= learningRate * slope, after it has been used to pass the slope back. Does not touch <see cref=\"Gradients\"/>.");
        _w.Line("/// </summary>");
        _w.Line("/// <returns>The loss before the step.</returns>");
        _w.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length is wrong; nothing is written.</exception>");
        Member($"public {_t} TrainStep(");
        Body($"{readOnly} input,");
        Body($"{readOnly} target,");
        Body($"{_t} learningRate) =>");
        Body(Streaming
            ? $"{code}.TrainStep(__parameters, __stepGradients, ref __record, input, target, learningRate);"
            : $"{code}.TrainStep(__parameters, input, target, learningRate);");

        _w.Line();
        _w.Line("/// <summary>");
        _w.Line("/// One SGD step on a mini-batch of samples laid out one after another: the mean of their gradients");
        _w.Line("/// (left in <see cref=\"Gradients\"/>), then p -= learningRate * g.");
        _w.Line("/// </summary>");
        _w.Line("/// <returns>The mean loss of the batch before the step.</returns>");
        _w.Line("/// <exception cref=\"global::System.ArgumentException\">The lengths do not describe the same whole number of samples; nothing is written.</exception>");
        Member($"public {_t} TrainBatch(");
        Body($"{readOnly} inputs,");
        Body($"{readOnly} targets,");
        if (_spec.CheckFinite && !Streaming)
        {
            // The slopes go to a buffer of its own, copied into Gradients once every sample has passed its checks, so
            // that a NonFiniteValueException leaves Gradients as they were.
            Body($"{_t} learningRate)");
            _w.Open();
            EmitContext.WriteCall(_w, $"{_t} loss = {code}.TrainBatch(__parameters, __batchGradients, inputs, targets, learningRate);");
            _w.Line("global::System.Array.Copy(__batchGradients, __gradients, ParameterCount);");
            _w.Line("return loss;");
            _w.Close();
        }
        else
        {
            Body($"{_t} learningRate) =>");
            Body(Streaming
                ? $"{code}.TrainBatch(__parameters, __gradients, ref __record, inputs, targets, learningRate);"
                : $"{code}.TrainBatch(__parameters, __gradients, inputs, targets, learningRate);");
        }

        _w.Line();
        _w.Line("/// <summary>");
        _w.Line(Streaming
            ? "/// Deterministic default initialisation: recurrent layers as PyTorch's, every parameter uniform in +-1/sqrt(units);"
            : "/// Deterministic default initialisation: He-uniform weights for ReLU-like layers, Glorot-uniform for the");
        _w.Line(Streaming
            ? "/// other layers' weights He-uniform for ReLU-like activations, Glorot-uniform for the others"
            + " (NetGen.Initializers.UsesHeUniform), their biases zero."
            : "/// others (NetGen.Initializers.UsesHeUniform), biases zero.");
        _w.Line(_embedded.Count > 0
            ? "/// (A new instance starts from EmbeddedParameters instead.)"
            : "/// A new instance starts as if initialised with NetGen.Initializers.DefaultSeed.");
        _w.Line("/// </summary>");
        _w.Line("/// <param name=\"seed\">The same seed gives the same parameters on every machine.</param>");
        Member("public void InitializeParameters(int seed) =>");
        Body($"{code}.Initialize(__parameters, seed);");
    }

    /// <summary>A streaming model's own members: its State, and the stateful and sequence members of ISequenceNetwork.</summary>
    private void EmitSequenceMembers(string code)
    {
        string span = $"global::System.Span<{_t}>";
        string readOnly = $"global::System.ReadOnlySpan<{_t}>";
        string sequence = $"global::NetGen.ISequenceNetwork<{_t}>";
        string state = "global::NetGen.ISequenceState";
        _w.Line("/// <summary>");
        _w.Line("/// The values this network carries from one time step to the next, for one stream: every recurrent layer's hidden");
        _w.Line("/// (and, for an LSTM, cell) values. Allocated once; one network's parameters can serve many streams, each with its");
        _w.Line("/// own state.");
        _w.Line("/// </summary>");
        _w.Line(_generatedCode);
        _w.Open($"public sealed class State : {state}");
        _w.Line($"internal readonly {_t}[] Values = new {_t}[{Literals.Int(_plan.Sequence!.StateSize)}];");
        _w.Line();
        _w.Line("/// <summary>Sets every carried value to zero, as before the first step of a new stream.</summary>");
        _w.Line("public void Reset() => global::System.Array.Clear(Values);");
        _w.Close();
        _w.Line();
        _w.Line("/// <summary>A new state, all zeros: the carried values before the first step.</summary>");
        Member("public State CreateState() => new State();");
        _w.Line();
        Member($"{state} {sequence}.CreateState() => new State();");
        _w.Line();
        _w.Line("/// <summary>One time step: reads the input and the state, writes the output, and advances the state. Reads the parameters only.</summary>");
        _w.Line($"/// <param name=\"input\">{Plural(_spec.Inputs, "value")}.</param>");
        _w.Line($"/// <param name=\"output\">Receives {Plural(_plan.Outputs, "value")}.</param>");
        _w.Line("/// <param name=\"state\">The stream's state, from <see cref=\"CreateState\"/>.</param>");
        _w.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length is wrong; nothing is written.</exception>");
        Signature("public void Forward(", $"{readOnly} input", $"{span} output", "State state");
        Body($"{code}.Forward(__parameters, input, output, StateValues(state));");
        _w.Line();
        Signature($"void {sequence}.Forward(", $"{readOnly} input", $"{span} output", $"{state} state");
        Body($"Forward(input, output, AsState(state));");
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line("/// Steps laid one after another (an audio block, say): the same values, bit for bit, as one");
        _w.Line("/// Forward(input, output, state) call per step. Reads the parameters only.");
        _w.Line("/// </summary>");
        _w.Line("/// <exception cref=\"global::System.ArgumentException\">The lengths do not describe the same whole number of steps; nothing is written.</exception>");
        Signature("public void ForwardSequence(", $"{readOnly} inputs", $"{span} outputs", "State state");
        Body($"{code}.ForwardSequence(__parameters, inputs, outputs, StateValues(state));");
        _w.Line();
        Signature($"void {sequence}.ForwardSequence(", $"{readOnly} inputs", $"{span} outputs", $"{state} state");
        Body($"ForwardSequence(inputs, outputs, AsState(state));");
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line($"/// From a zero state over the steps: the loss ({_spec.Loss}, the mean of the steps' losses) and its slopes with respect to");
        _w.Line("/// every parameter, by backpropagation through time, added into <see cref=\"Gradients\"/>.");
        _w.Line("/// </summary>");
        _w.Line("/// <returns>The mean loss of the steps.</returns>");
        _w.Line("/// <exception cref=\"global::System.ArgumentException\">The lengths do not describe the same whole number of steps; nothing is written.</exception>");
        Signature($"public {_t} BackwardSequence(", $"{readOnly} inputs", $"{readOnly} targets");
        Body($"{code}.BackwardSequence(__parameters, __gradients, ref __record, inputs, targets);");
        _w.Line();
        _w.Line("/// <summary>One SGD step on a sequence: ZeroGradients, BackwardSequence, then p -= learningRate * g.</summary>");
        _w.Line("/// <returns>The mean loss of the steps before the step.</returns>");
        _w.Line("/// <exception cref=\"global::System.ArgumentException\">The lengths do not describe the same whole number of steps; nothing is written.</exception>");
        Signature($"public {_t} TrainSequence(", $"{readOnly} inputs", $"{readOnly} targets", $"{_t} learningRate");
        Body($"{code}.TrainSequence(__parameters, __gradients, ref __record, inputs, targets, learningRate);");
        _w.Line();
        Member($"private static {_t}[] StateValues(State state) =>");
        Body("(state ?? throw new global::System.ArgumentNullException(\"state\")).Values;");
        _w.Line();
        Member($"private static State AsState({state} state) =>");
        Body("state as State ?? (state is null");
        _w.Indent();
        Body("? throw new global::System.ArgumentNullException(\"state\")");
        Body($": throw new global::System.ArgumentException(\"The state was made by another network than {_spec.TypeName.TrimStart('@')}.\", \"state\"));");
        _w.Unindent();
    }

    /// <summary>A generated member's [GeneratedCode] and its expression-bodied signature, wrapped as <see cref="EmitContext.WriteSignature"/> does.</summary>
    private void Signature(string head, params string[] parameters)
    {
        _w.Line(_generatedCode);
        EmitContext.WriteSignature(_w, head, parameters, ") =>");
    }

    private void EmitPredict()
    {
        string[] names = Enumerable.Range(0, _spec.Inputs).Select(i => "x" + Literals.Int(i)).ToArray();
        _w.Line("/// <summary>The network's single output for one input, with the number of inputs checked by the compiler.</summary>");
        for (int i = 0; i < names.Length; i++)
        {
            _w.Line($"/// <param name=\"{names[i]}\">Input {Literals.Int(i)}.</param>");
        }

        _w.Line(_generatedCode);
        _w.Open($"public {_t} Predict({string.Join(", ", names.Select(n => $"{_t} {n}"))})");
        _w.Line($"global::System.Span<{_t}> input = stackalloc {_t}[InputCount];");
        for (int i = 0; i < names.Length; i++)
        {
            _w.Line($"input[{Literals.Int(i)}] = {names[i]};");
        }

        _w.Line($"global::System.Span<{_t}> output = stackalloc {_t}[OutputCount];");
        _w.Line("Forward(input, output);");
        _w.Line("return output[0];");
        _w.Close();
    }

    private static string Plural(int count, string noun) => $"{Literals.Int(count)} {noun}{(count == 1 ? string.Empty : "s")}";

    // ---- The code, in the generator's namespace ----

    private void EmitCode()
    {
        _w.Open("namespace NetGen.Generated");
        _w.Line("using System;");
        _w.Line("using System.Runtime.CompilerServices;");
        _w.Line("using System.Runtime.InteropServices;");
        _w.Line();
        _w.Line("/// <summary>");
        _w.Line($"/// The code of {Literals.Xml(FullName(_spec))}: {Literals.Xml(Topology(_spec))}.");
        _w.Line("/// </summary>");
        _w.Line(_generatedCode.Replace("global::System.CodeDom.Compiler.", "System.CodeDom.Compiler."));
        _w.Open($"file static class {_code}");
        if (Streaming)
        {
            SequenceEmitter.EmitCode(_plan, _w);
            _w.Line();
            EmitInitialization();
            _w.Close();
            _w.Line();
            EmitViewTypes();
            _w.Close();
            return;
        }

        EmitBody(Pass.Forward, $"public static void Forward({_t}[] parameters, ReadOnlySpan<{_t}> input, Span<{_t}> output)");
        _w.Line();
        BatchEmitter.EmitForwardBatch(new EmitContext(_plan, _w, Pass.Forward));
        _w.Line();
        EmitBody(Pass.Loss, $"public static {_t} Loss({_t}[] parameters, ReadOnlySpan<{_t}> input, ReadOnlySpan<{_t}> target)");
        _w.Line();
        EmitBody(Pass.Backward, $"public static {_t} Backward(\n{_t}[] parameters, {_t}[] gradients, ReadOnlySpan<{_t}> input, ReadOnlySpan<{_t}> target)");
        _w.Line();
        EmitBody(Pass.TrainStep, $"public static {_t} TrainStep(\n{_t}[] parameters, ReadOnlySpan<{_t}> input, ReadOnlySpan<{_t}> target, {_t} learningRate)");
        _w.Line();
        BatchEmitter.EmitTrainBatch(new EmitContext(_plan, _w, Pass.Backward));
        if (_plan.BlockedBatch)
        {
            _w.Line();
            EmitBody(Pass.BatchSlopes, BatchEmitter.SlopesSignature(_plan));
        }

        _w.Line();
        EmitInitialization();
        _w.Close();
        _w.Line();
        EmitViewTypes();
        _w.Close();
    }

    private void EmitBody(Pass pass, string signature)
    {
        var c = new EmitContext(_plan, _w, pass);
        string[] lines = signature.Split('\n');
        _w.Line(lines[0]);
        _w.Indent();
        for (int i = 1; i < lines.Length; i++)
        {
            _w.Line(lines[i]);
        }

        _w.Unindent();
        _w.Open();
        PassEmitter.EmitMethod(c);
        _w.Close();
    }

    /// <summary>
    /// The parameters' first values: for [Network(Weights = ...)], the file's, as one static array filled once when the
    /// type is first used (so reading them never allocates, in Debug builds too); else InitializeParameters' with
    /// NetGen.Initializers.DefaultSeed.
    /// </summary>
    private void EmitInitialization()
    {
        if (_embedded.Count > 0)
        {
            _w.Line($"public static {_t}[] CreateParameters() => ({_t}[])Embedded.Clone();");
            _w.Line();
            _w.Line($"/// <summary>The {Literals.Int(_embedded.Count)} parameters read from {Literals.Xml(_spec.EmbeddedFrom!)} at build time.</summary>");
            _w.Line($"public static readonly {_t}[] Embedded = new {_t}[]");
            _w.Open();
            const int PerLine = 8;
            var line = new System.Text.StringBuilder();
            for (int i = 0; i < _embedded.Count; i++)
            {
                line.Append(Constant(_embedded[i])).Append(',');
                if ((i + 1) % PerLine == 0 || i == _embedded.Count - 1)
                {
                    _w.Line(line.ToString());
                    line.Clear();
                }
                else
                {
                    line.Append(' ');
                }
            }

            _w.Close(";");
        }
        else
        {
            _w.Open($"public static {_t}[] CreateParameters()");
            _w.Line($"{_t}[] parameters = new {_t}[{Literals.Int(_plan.ParameterCount)}];");
            _w.Line("Initialize(parameters, Initializers.DefaultSeed);");
            _w.Line("return parameters;");
            _w.Close();
        }

        _w.Line();
        _w.Open($"public static void Initialize(Span<{_t}> p, int seed)");
        _w.Line("DeterministicRandom random = new DeterministicRandom(seed);");
        var c = new EmitContext(_plan, _w, Pass.Forward);
        foreach (LayerPlan layer in _plan.Layers)
        {
            LayerEmitter.For(layer).EmitInitialize(c);
        }

        _w.Close();
    }

    private string Constant(double value) => Lit(value);

    /// <summary>The views the bodies compute through, and the length check that gives a span a length the JIT knows.</summary>
    private void EmitViewTypes()
    {
        _w.Line("/// <summary>");
        _w.Line("/// A layer's weights, or their slopes, as the worked example writes them: m[j, i] is the weight from value i into");
        _w.Line("/// node j, stored row-major. A view of the parameter (or gradient) array with no bounds check: each index the");
        _w.Line("/// generated code uses is a constant or a constant-bound loop's, within the array's ParameterCount values.");
        _w.Line("/// </summary>");
        _w.Open("file readonly ref struct Matrix");
        _w.Line($"private readonly ref {_t} _first;");
        _w.Line("private readonly int _columns;");
        _w.Line();
        _w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        _w.Open($"public Matrix({_t}[] values, int offset, int columns)");
        _w.Line("_first = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), offset);");
        _w.Line("_columns = columns;");
        _w.Close();
        _w.Line();
        _w.Line($"public ref {_t} this[int row, int column]");
        _w.Open();
        _w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        _w.Line("get => ref Unsafe.Add(ref _first, (row * _columns) + column);");
        _w.Close();
        _w.Close();
        _w.Line();
        _w.Line("/// <summary>A layer's biases, or their slopes: v[j] is node j's. A view as <see cref=\"Matrix\"/> is.</summary>");
        _w.Open("file readonly ref struct Vector");
        _w.Line($"private readonly ref {_t} _first;");
        _w.Line();
        _w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        _w.Line($"public Vector({_t}[] values, int offset) =>");
        Body("_first = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(values), offset);");
        _w.Line();
        _w.Line($"public ref {_t} this[int index]");
        _w.Open();
        _w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
        _w.Line("get => ref Unsafe.Add(ref _first, index);");
        _w.Close();
        _w.Close();
        _w.Line();
        if (_plan.Layers.Any(layer => layer is Conv2DLayerPlan))
        {
            Conv2DEmitter.EmitKernelViewType(_w, _t);
            _w.Line();
        }

        _w.Line("/// <summary>");
        _w.Line("/// Checks a span's length (ArgumentException naming it, before anything is written) and gives it back as a span");
        _w.Line("/// of exactly that length, so the JIT drops the bounds check of every constant index into it.");
        _w.Line("/// </summary>");
        _w.Open("file static class Check");
        foreach (string kind in new[] { "ReadOnlySpan", "Span" })
        {
            string create = kind == "Span" ? "CreateSpan" : "CreateReadOnlySpan";
            _w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
            _w.Open($"public static {kind}<{_t}> Length({kind}<{_t}> span, int length, string name)");
            _w.Line("Guard.Length(span.Length, length, name);");
            _w.Line($"return MemoryMarshal.{create}(ref MemoryMarshal.GetReference(span), length);");
            _w.Close();
            if (kind == "ReadOnlySpan")
            {
                _w.Line();
            }
        }

        _w.Close();
    }
}
