using System.Collections.Generic;
using System.Text;
using NetGen.Generator.Model;
using NetGen.Generator.Planning;

namespace NetGen.Generator.Emitting;

/// <summary>Which method a pass is written for: each writes the same passes, keeping or dropping parts.</summary>
internal enum Pass
{
    Forward,
    Loss,
    Backward,
    TrainStep,

    /// <summary>TrainBatch's per-sample part: the loss and every layer's dL/dz, without the weights' slopes.</summary>
    BatchSlopes,
}

/// <summary>
/// What every part of a method body shares: the plan, the writer, the element type, and the names the generated
/// code gives the network's vectors. Vector 0 is the input, vector l layer l's output. A vector held in locals
/// (straight-line code on both sides) names value i x{i} or a{l}_{i}; one held in a span names it input[i],
/// output[i] or a{l}[i]. Slopes are da{l}_{i} or da{l}[i].
/// </summary>
internal sealed class EmitContext
{
    /// <summary>The longest line the generated code is written to (XML comments aside).</summary>
    public const int MaxLineLength = 120;

    public EmitContext(NetworkPlan plan, SourceWriter writer, Pass pass)
    {
        Plan = plan;
        W = writer;
        Pass = pass;
        T = Literals.TypeName(plan.Spec.Element);
    }

    public NetworkPlan Plan { get; }

    public SourceWriter W { get; }

    public Pass Pass { get; }

    /// <summary>The element type as C#: float or double.</summary>
    public string T { get; }

    public int LayerCount => Plan.Layers.Count;

    /// <summary>Whether the pass computes slopes (everything but Forward and Loss).</summary>
    public bool Backward => Pass is Pass.Backward or Pass.TrainStep or Pass.BatchSlopes;

    public string Lit(double value) => Literals.Number(Plan.Spec.Element, value);

    public bool IsLocal(int vector) => Plan.LocalVectors[vector];

    /// <summary>The span that holds vector v when it is stored as a span.</summary>
    public string SpanName(int vector) =>
        vector == 0 ? "input" : Pass == Pass.Forward && vector == LayerCount ? "output" : "a" + Literals.Int(vector);

    /// <summary>Value i of vector v (v = 0: the input; v = l: layer l's outputs).</summary>
    public string Value(int vector, int i) =>
        IsLocal(vector)
            ? vector == 0 ? "x" + Literals.Int(i) : $"a{Literals.Int(vector)}_{Literals.Int(i)}"
            : $"{SpanName(vector)}[{Literals.Int(i)}]";

    /// <summary>dL/d(value i of vector v).</summary>
    public string Slope(int vector, int i) =>
        IsLocal(vector) ? $"da{Literals.Int(vector)}_{Literals.Int(i)}" : $"da{Literals.Int(vector)}[{Literals.Int(i)}]";

    /// <summary>A span of n values on the stack, for a looped layer's vector.</summary>
    public void StackSpan(string name, int length) =>
        W.Line($"Span<{T}> {name} = stackalloc {T}[{Literals.Int(length)}];");

    /// <summary>
    /// Writes a call statement (<c>Kernels.DotRows&lt;float&gt;(x, w, sums);</c>); when it would pass
    /// <see cref="MaxLineLength"/> characters, with one argument a line, one level further in.
    /// </summary>
    public void WriteCall(string statement) => WriteCall(W, statement);

    /// <inheritdoc cref="WriteCall(string)"/>
    public static void WriteCall(SourceWriter w, string statement)
    {
        int open = statement.IndexOf('(');
        if (w.Column + statement.Length <= MaxLineLength || open < 0 || !statement.EndsWith(");", System.StringComparison.Ordinal))
        {
            w.Line(statement);
            return;
        }

        var arguments = new List<string>();
        int depth = 0, start = open + 1;
        for (int i = open + 1; i < statement.Length - 2; i++)
        {
            char ch = statement[i];
            if (ch is '(' or '<' or '[')
            {
                depth++;
            }
            else if (ch is ')' or '>' or ']')
            {
                depth--;
            }
            else if (ch == ',' && depth == 0)
            {
                arguments.Add(statement.Substring(start, i - start).Trim());
                start = i + 1;
            }
        }

        arguments.Add(statement.Substring(start, statement.Length - 2 - start).Trim());
        w.Line(statement.Substring(0, open + 1));
        w.Indent();
        for (int i = 0; i < arguments.Count; i++)
        {
            w.Line(arguments[i] + (i == arguments.Count - 1 ? ");" : ","));
        }

        w.Unindent();
    }

    /// <summary>
    /// Writes a method's signature, <paramref name="head"/> (up to and with its "("), the parameters and
    /// <paramref name="tail"/> (")", ") =>"): on one line when it fits in <see cref="MaxLineLength"/> characters, else
    /// with one parameter a line, one level further in.
    /// </summary>
    public static void WriteSignature(SourceWriter w, string head, IReadOnlyList<string> parameters, string tail = ")")
    {
        string single = head + string.Join(", ", parameters) + tail;
        if (w.Column + single.Length <= MaxLineLength)
        {
            w.Line(single);
            return;
        }

        w.Line(head);
        w.Indent();
        for (int i = 0; i < parameters.Count; i++)
        {
            w.Line(parameters[i] + (i == parameters.Count - 1 ? tail : ","));
        }

        w.Unindent();
    }

    /// <summary>Writes <paramref name="text"/> as // comment lines, wrapped between words at <see cref="MaxLineLength"/> characters.</summary>
    public static void WriteComment(SourceWriter w, string text)
    {
        var line = new StringBuilder("//");
        foreach (string word in text.Split(' '))
        {
            if (line.Length > 2 && w.Column + line.Length + 1 + word.Length > MaxLineLength)
            {
                w.Line(line.ToString());
                line.Clear().Append("//");
            }

            line.Append(' ').Append(word);
        }

        w.Line(line.ToString());
    }

    /// <summary>
    /// Writes prefix + terms joined by " + " + suffix + ";", wrapping so that no line passes
    /// <see cref="MaxLineLength"/> characters: continuation lines start with "+ ", one level further in.
    /// </summary>
    public void WriteSum(string prefix, IReadOnlyList<string> terms, string suffix = "")
    {
        string single = prefix + string.Join(" + ", terms) + suffix + ";";
        if (W.Column + single.Length <= MaxLineLength)
        {
            W.Line(single);
            return;
        }

        var line = new StringBuilder(prefix);
        bool first = true;
        bool indented = false;
        foreach (string term in terms)
        {
            string piece = first ? term : " + " + term;
            int indent = W.Column + (indented ? 4 : 0);
            if (!first && indent + line.Length + piece.Length + 1 > MaxLineLength)
            {
                W.Line(line.ToString());
                if (!indented)
                {
                    W.Indent();
                    indented = true;
                }

                line.Clear().Append("+ ").Append(term);
            }
            else
            {
                line.Append(piece);
            }

            first = false;
        }

        W.Line(line.Append(suffix).Append(';').ToString());
        if (indented)
        {
            W.Unindent();
        }
    }
}
