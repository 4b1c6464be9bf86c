using System.Collections.Generic;
using NetGen.Generator.Emitting.Layers;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting;

/// <summary>
/// TrainBatch: sample by sample through Backward, or, where the plan says so (every layer SIMD loops), in blocks of
/// samples. Sample by sample, Backward reads every weight in the forward pass and reads and writes every gradient, so a
/// wide layer streams its weights and gradients through the cache once per sample. In blocks, each row of weights is
/// read from memory once per block and then from the L1 cache for the block's other samples; the same for each row of
/// gradients. Every value gets exactly the operations, in the same order, that n calls of Backward give it, so the
/// result is the same to the last bit (TrainStepTests checks it).
/// </summary>
internal static class BatchEmitter
{
    public static void EmitTrainBatch(EmitContext c)
    {
        string t = c.T;
        c.W.Line($"public static {t} TrainBatch(");
        c.W.Indent();
        c.W.Line($"{t}[] parameters, {t}[] gradients,");
        c.W.Line($"ReadOnlySpan<{t}> inputs, ReadOnlySpan<{t}> targets, {t} learningRate)");
        c.W.Unindent();
        c.W.Open();
        c.W.Line($"int samples = Guard.BatchSize(inputs.Length, {Literals.Int(c.Plan.Inputs)}, targets.Length, {Literals.Int(c.Plan.Outputs)});");
        c.W.Line("Array.Clear(gradients);");
        c.W.Line($"{t} total = {c.Lit(0)};");
        if (c.Plan.BlockedBatch)
        {
            EmitBlocks(c);
        }
        else
        {
            c.W.Open("for (int s = 0; s < samples; s++)");
            EmitNamingTheSample(c, "TrainBatch", "total += Backward(parameters, gradients, Sample(inputs, s), Target(targets, s));");
            c.W.Close();
        }

        c.W.Line();
        c.W.Line($"{t} inverse = {c.Lit(1)} / samples;");
        c.W.Line("// g *= inverse, then p -= learningRate * g, element by element (SIMD).");
        c.W.Line($"Kernels.ScaleAndStep<{t}>(parameters, gradients, inverse, learningRate);");
        c.W.Line();
        c.W.Line("return total / samples;");
        c.W.Close();
        c.W.Line();
        c.W.Line($"private static ReadOnlySpan<{t}> Sample(ReadOnlySpan<{t}> inputs, int s) =>");
        c.W.Indent();
        c.W.Line($"inputs.Slice(s * {Literals.Int(c.Plan.Inputs)}, {Literals.Int(c.Plan.Inputs)});");
        c.W.Unindent();
        c.W.Line();
        c.W.Line($"private static ReadOnlySpan<{t}> Target(ReadOnlySpan<{t}> targets, int s) =>");
        c.W.Indent();
        c.W.Line($"targets.Slice(s * {Literals.Int(c.Plan.Outputs)}, {Literals.Int(c.Plan.Outputs)});");
        c.W.Unindent();
    }

    /// <summary>
    /// ForwardBatch: n samples' outputs, in blocks where the plan says so (every layer SIMD loops), else sample by
    /// sample through Forward. A block holds its samples lane by lane (value i of sample k at [i * block + k]), so that
    /// one SIMD multiply-add serves every sample of the block and no sum ends in a horizontal add: each lane adds its
    /// node's products in input order, then the bias, the same on every machine. Forward adds them in SIMD partial
    /// sums, so the two agree to rounding, not to the bit.
    /// </summary>
    public static void EmitForwardBatch(EmitContext c)
    {
        NetworkPlan plan = c.Plan;
        string t = c.T;
        string inputs = Literals.Int(plan.Inputs);
        string outputs = Literals.Int(plan.Outputs);
        c.W.Line($"public static void ForwardBatch({t}[] parameters, ReadOnlySpan<{t}> inputs, Span<{t}> outputs)");
        c.W.Open();
        c.W.Line($"int samples = Guard.PredictionBatchSize(inputs.Length, {inputs}, outputs.Length, {outputs});");
        if (plan.BlockedForward)
        {
            EmitForwardBlocks(c);
        }
        else
        {
            c.W.Open("for (int s = 0; s < samples; s++)");
            EmitNamingTheSample(c, "ForwardBatch", $"Forward(parameters, inputs.Slice(s * {inputs}, {inputs}), outputs.Slice(s * {outputs}, {outputs}));");
            c.W.Close();
        }

        c.W.Close();
    }

    /// <summary>
    /// One sample's call; with CheckFinite, in a try that names the batch member and the sample s in the exception
    /// (the per-sample member's own exception becomes its inner exception).
    /// </summary>
    private static void EmitNamingTheSample(EmitContext c, string member, string call)
    {
        if (!c.Plan.Spec.CheckFinite)
        {
            c.W.Line(call);
            return;
        }

        c.W.Open("try");
        c.W.Line(call);
        c.W.Close();
        c.W.Open("catch (NonFiniteValueException e)");
        c.W.Line($"throw new NonFiniteValueException(\"{member}\", s, e);");
        c.W.Close();
    }

    private static void EmitForwardBlocks(EmitContext c)
    {
        NetworkPlan plan = c.Plan;
        string t = c.T;
        int blockSize = plan.BatchBlock;
        string block = Literals.Int(blockSize);
        LayerPlan last = plan.Last;
        string l = Literals.Int(last.Number);
        string units = Literals.Int(last.Outputs);
        string inputs = Literals.Int(plan.Inputs);
        c.W.Line($"ReadOnlySpan<{t}> p = parameters;");
        c.W.Line();
        c.W.Line($"// Blocks of {block} samples, held lane by lane: a<l>Lanes[(i * {block}) + k] is value i of layer l (layer 0");
        c.W.Line("// the inputs) for sample k of the block, so one SIMD multiply-add serves every sample. A last, partial");
        c.W.Line("// block fills its unused lanes with zeros, computed and thrown away, so that every sample takes the");
        c.W.Line("// same path wherever it sits.");
        c.StackSpan(Lanes(0), blockSize * plan.Inputs);
        foreach (LayerPlan layer in plan.Layers)
        {
            c.StackSpan(Lanes(layer.Number), blockSize * layer.Outputs);
        }

        if (plan.Output.Softmax)
        {
            c.StackSpan($"z{l}", last.Outputs);
        }

        c.W.Open($"for (int s = 0; s < samples; s += {block})");
        c.W.Line($"int count = Math.Min({block}, samples - s);");
        c.WriteCall($"Kernels.ToLanes<{t}>(inputs.Slice(s * {inputs}, count * {inputs}), {Lanes(0)}, {block});");
        foreach (LayerPlan layer in plan.Layers)
        {
            c.W.Line();
            LayerEmitter.For(layer).EmitLanesForward(c, Lanes(layer.Number - 1), Lanes(layer.Number));
        }

        c.W.Line();
        c.W.Line("// Each sample's outputs, from its lane back to its place in the outputs.");
        c.W.Open("for (int k = 0; k < count; k++)");
        c.W.Line($"Span<{t}> output = outputs.Slice((s + k) * {units}, {units});");
        if (plan.Output.Softmax)
        {
            c.W.Open($"for (int j = 0; j < {units}; j++)");
            c.W.Line($"z{l}[j] = {Lanes(last.Number)}[(j * {block}) + k];");
            c.W.Close();
            c.W.Line();
            c.W.Line($"Activations.Softmax<{t}>(z{l}, output);");
        }
        else
        {
            c.W.Open($"for (int j = 0; j < {units}; j++)");
            c.W.Line($"output[j] = {Lanes(last.Number)}[(j * {block}) + k];");
            c.W.Close();
        }

        c.W.Close();
        c.W.Close();
    }

    private static string Lanes(int vector) => $"a{Literals.Int(vector)}Lanes";

    private static string Block(int vector) => $"a{Literals.Int(vector)}Block";

    private static void EmitBlocks(EmitContext c)
    {
        NetworkPlan plan = c.Plan;
        string t = c.T;
        string block = Literals.Int(plan.BatchBlock);
        LayerPlan last = plan.Last;
        bool keepZ = last.KeepsLogits;
        string l = Literals.Int(last.Number);
        string inputs = Literals.Int(plan.Inputs);
        string outputs = Literals.Int(plan.Outputs);
        c.W.Line($"ReadOnlySpan<{t}> p = parameters;");
        c.W.Line($"Span<{t}> g = gradients;");
        c.W.Line();
        c.W.Line($"// Blocks of {block} samples. Each row of weights is read from memory once per block, then from");
        c.W.Line("// the L1 cache for the block's other samples; the same for each row of gradients. Every value gets");
        c.W.Line("// the operations, in the order, that one Backward call per sample gives it, so the result is the");
        c.W.Line("// same to the last bit. Sample k of a block keeps its layer-l values at al_Block[k * (units of l) + j].");
        foreach (LayerPlan layer in plan.Layers)
        {
            c.StackSpan(Block(layer.Number), plan.BatchBlock * layer.Outputs);
            c.StackSpan($"dz{Literals.Int(layer.Number)}Block", plan.BatchBlock * layer.Outputs);
            if (layer.KeepsPreActivations)
            {
                c.StackSpan($"z{Literals.Int(layer.Number)}Block", plan.BatchBlock * layer.Outputs);
            }
        }

        if (keepZ)
        {
            c.StackSpan($"z{l}Block", plan.BatchBlock * last.Outputs);
        }

        if (plan.Output.Softmax)
        {
            // The cross-entropy is computed from z with the softmax's m and s (no log of a rounded probability).
            c.StackSpan($"m{l}Block", plan.BatchBlock);
            c.StackSpan($"s{l}Block", plan.BatchBlock);
        }

        c.StackSpan("sums", plan.BatchBlock);
        c.StackSpan("slopes", plan.BatchBlock);
        c.W.Line($"Span<int> which = stackalloc int[{block}];");
        c.W.Line("int s = 0;");
        c.W.Open($"for (; s + {block} <= samples; s += {block})");
        c.W.Line($"ReadOnlySpan<{t}> a0Block = inputs.Slice(s * {inputs}, {block} * {inputs});");
        c.W.Line($"ReadOnlySpan<{t}> targetBlock = targets.Slice(s * {outputs}, {block} * {outputs});");
        foreach (LayerPlan layer in plan.Layers)
        {
            c.W.Line();
            bool isLast = layer.Number == plan.Layers.Count;
            string? z = (isLast && keepZ) || layer.KeepsPreActivations ? $"z{Literals.Int(layer.Number)}Block" : null;
            LayerEmitter.For(layer).EmitBlockForward(c, Block(layer.Number - 1), Block(layer.Number), z);
            if (isLast)
            {
                OutputEmitter.EmitBlockOutputActivation(c, Block(layer.Number));
            }
        }

        c.W.Line();
        c.W.Line("// Each sample's loss and the slopes dL/dz of every layer's nodes:");
        c.W.Line("// the backward pass without the weights' slopes.");
        c.W.Open($"for (int k = 0; k < {block}; k++)");
        var arguments = new List<string> { "parameters", $"targetBlock.Slice(k * {outputs}, {outputs})" };
        foreach (LayerPlan layer in plan.Layers)
        {
            arguments.Add($"{Block(layer.Number)}.Slice(k * {Literals.Int(layer.Outputs)}, {Literals.Int(layer.Outputs)})");
        }

        foreach (LayerPlan layer in plan.Layers)
        {
            if (layer.KeepsPreActivations || (layer.Number == last.Number && keepZ))
            {
                string units = Literals.Int(layer.Outputs);
                arguments.Add($"z{Literals.Int(layer.Number)}Block.Slice(k * {units}, {units})");
            }
        }

        if (plan.Output.Softmax)
        {
            arguments.Add($"m{l}Block[k]");
            arguments.Add($"s{l}Block[k]");
        }

        foreach (LayerPlan layer in plan.Layers)
        {
            arguments.Add($"dz{Literals.Int(layer.Number)}Block.Slice(k * {Literals.Int(layer.Outputs)}, {Literals.Int(layer.Outputs)})");
        }

        c.W.Line("total += BatchSlopes(");
        c.W.Indent();
        for (int i = 0; i < arguments.Count; i++)
        {
            c.W.Line(arguments[i] + (i == arguments.Count - 1 ? ");" : ","));
        }

        c.W.Unindent();
        c.W.Close();
        for (int index = plan.Layers.Count - 1; index >= 0; index--)
        {
            LayerPlan layer = plan.Layers[index];
            c.W.Line();
            LayerEmitter.For(layer).EmitBlockGradients(c, Block(layer.Number - 1), $"dz{Literals.Int(layer.Number)}Block");
        }

        c.W.Close();
        c.W.Line();
        c.W.Line("// The samples after the last whole block, one by one.");
        c.W.Open("for (; s < samples; s++)");
        c.W.Line("total += Backward(parameters, gradients, Sample(inputs, s), Target(targets, s));");
        c.W.Close();
    }

    /// <summary>
    /// The signature of one sample's loss and slopes dL/dz from its layers' values: the loss and backward passes of
    /// Backward, with the weights' slopes left to the blocked loops of TrainBatch.
    /// </summary>
    public static string SlopesSignature(NetworkPlan plan)
    {
        string t = Literals.TypeName(plan.Spec.Element);
        LayerPlan last = plan.Last;
        var parameters = new List<string> { $"{t}[] parameters", $"ReadOnlySpan<{t}> target" };
        foreach (LayerPlan layer in plan.Layers)
        {
            parameters.Add($"ReadOnlySpan<{t}> a{Literals.Int(layer.Number)}");
        }

        foreach (LayerPlan layer in plan.Layers)
        {
            if (layer.KeepsPreActivations || (layer.Number == last.Number && last.KeepsLogits))
            {
                parameters.Add($"ReadOnlySpan<{t}> z{Literals.Int(layer.Number)}");
            }
        }

        if (plan.Output.Softmax)
        {
            parameters.Add($"{t} m{Literals.Int(last.Number)}");
            parameters.Add($"{t} s{Literals.Int(last.Number)}");
        }

        foreach (LayerPlan layer in plan.Layers)
        {
            parameters.Add($"Span<{t}> dz{Literals.Int(layer.Number)}Out");
        }

        return $"private static {t} BatchSlopes(\n{string.Join(",\n", parameters)})";
    }

    /// <summary>The end of BatchSlopes: every layer's dL/dz handed back to the block.</summary>
    public static void EmitSlopesOut(EmitContext c)
    {
        c.W.Line();
        foreach (LayerPlan layer in c.Plan.Layers)
        {
            string n = Literals.Int(layer.Number);
            c.W.Line($"dz{n}.CopyTo(dz{n}Out);");
        }
    }
}
