using System.Collections.Generic;

namespace NetGen.Generator.Model;

/// <summary>
/// The names of the members NetGen writes into a network class: validation refuses a declaration that already uses
/// one (NG0007, NG0015) instead of leaving the user a C# error inside generated code, and the planner decides
/// Predict by the same rule.
/// </summary>
internal static class GeneratedMembers
{
    /// <summary>Predict(x0, ..., xN) is generated for one output and at most this many inputs.</summary>
    public const int MaxPredictInputs = 16;

    /// <summary>Each generated name, with its number of parameters for methods, or -1 for other members.</summary>
    /// <param name="inputs">The network's inputs (for Predict).</param>
    /// <param name="outputs">The network's outputs (for Predict).</param>
    /// <param name="embedded">Whether it embeds its weights.</param>
    /// <param name="streaming">Whether it is a streaming model, which also gets State and the sequence members.</param>
    public static Dictionary<string, int> ParameterCounts(int inputs, int outputs, bool embedded = false, bool streaming = false)
    {
        var members = new Dictionary<string, int>
        {
            ["InputCount"] = -1,
            ["OutputCount"] = -1,
            ["ParameterCount"] = -1,
            ["Topology"] = -1,
            ["Parameters"] = -1,
            ["Gradients"] = -1,
            ["Forward"] = 2,
            ["ForwardBatch"] = 2,
            ["Loss"] = 2,
            ["Backward"] = 2,
            ["ZeroGradients"] = 0,
            ["TrainStep"] = 3,
            ["TrainBatch"] = 3,
            ["InitializeParameters"] = 1,
            ["__parameters"] = -1,
            ["__gradients"] = -1,
            ["__batchGradients"] = -1,
            ["__CreateParameters"] = -1,
            ["__Initialize"] = -1,
        };
        if (embedded)
        {
            members["EmbeddedParameters"] = -1;
            members["__embeddedParameters"] = -1;
        }

        if (streaming)
        {
            members["State"] = -1;
            members["CreateState"] = 0;
            members["ForwardSequence"] = 3;
            members["BackwardSequence"] = 2;
            members["TrainSequence"] = 3;
            members["StateValues"] = 1;
            members["AsState"] = 1;
            members["__record"] = -1;
            members["__stepGradients"] = -1;
        }

        if (HasPredict(inputs, outputs))
        {
            members["Predict"] = inputs;
        }

        return members;
    }

    public static bool HasPredict(int inputs, int outputs) => outputs == 1 && inputs <= MaxPredictInputs;
}
