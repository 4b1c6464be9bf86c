using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using NetGen;

namespace NetGen.Tests.Support;

/// <summary>One layer as declared: what an independent reference needs to know about a network.</summary>
public sealed record LayerInfo(int Units, Activation Activation, bool Bias);

/// <summary>
/// One network declared in Networks.cs, with its declaration written out again by hand so that tests can
/// compute what the generated code should do without trusting the generator.
/// </summary>
public abstract record NetworkCase(string Name, int Inputs, LayerInfo[] Layers, CodeShape Code)
{
    /// <summary>The loss the network is declared with.</summary>
    public LossFunction Loss { get; init; } = LossFunction.MeanSquaredError;

    public int Outputs => Layers[^1].Units;

    public int ParameterCount
    {
        get
        {
            int count = 0, fanIn = Inputs;
            foreach (LayerInfo layer in Layers)
            {
                count += (fanIn * layer.Units) + (layer.Bias ? layer.Units : 0);
                fanIn = layer.Units;
            }

            return count;
        }
    }

    public abstract bool IsDouble { get; }

    /// <summary>Calls the visitor's generic method with this network's element type.</summary>
    public abstract void Accept(INetworkVisitor visitor);

    public override string ToString() => Name;
}

/// <summary>A network of element type <typeparamref name="T"/>.</summary>
public sealed record NetworkCase<T>(string Name, Func<INetwork<T>> Create, int Inputs, LayerInfo[] Layers, CodeShape Code)
    : NetworkCase(Name, Inputs, Layers, Code)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override bool IsDouble => typeof(T) == typeof(double);

    public override void Accept(INetworkVisitor visitor) => visitor.Visit(this);
}

/// <summary>Runs a generic test body over a <see cref="NetworkCase"/> whose element type is known only at run time.</summary>
public interface INetworkVisitor
{
    void Visit<T>(NetworkCase<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>Every network of Networks.cs, by name, for theories.</summary>
public static class NetworkCatalog
{
    private static readonly NetworkCase[] AllNetworks =
    [
        Float("MixedFloat", () => new MixedFloat(), 3, CodeShape.Auto,
            L(5, Activation.ReLU), L(4, Activation.LeakyReLU, false), L(3, Activation.Sigmoid), L(2, Activation.Tanh), L(2, Activation.Identity)),
        Double("MixedDouble", () => new MixedDouble(), 4, CodeShape.Auto,
            L(6, Activation.Tanh, false), L(5, Activation.Sigmoid), L(4, Activation.ReLU, false), L(3, Activation.LeakyReLU), L(2, Activation.Identity)),
        Float("PredictFloat", () => new PredictFloat(), 3, CodeShape.Auto, L(4, Activation.Sigmoid), L(1, Activation.Identity)),
        Double("PredictDouble", () => new PredictDouble(), 2, CodeShape.Auto, L(3, Activation.LeakyReLU), L(1, Activation.Tanh)),
        Float("WideFloat", () => new WideFloat(), 70, CodeShape.Auto, L(40, Activation.ReLU), L(3, Activation.Identity)),
        Double("WideDouble", () => new WideDouble(), 70, CodeShape.Auto, L(40, Activation.Tanh, false), L(3, Activation.Sigmoid)),
        Float("ThresholdRaisedFloat", () => new ThresholdRaisedFloat(), 32, CodeShape.Auto, L(16, Activation.ReLU), L(2, Activation.Identity)),
        Double("ThresholdLoweredDouble", () => new ThresholdLoweredDouble(), 8, CodeShape.Auto, L(8, Activation.Tanh), L(2, Activation.Sigmoid, false)),
        Float("LoopsFloat", () => new LoopsFloat(), 4, CodeShape.Loops,
            L(6, Activation.LeakyReLU), L(5, Activation.Sigmoid, false), L(2, Activation.Identity)),
        Double("LoopsDouble", () => new LoopsDouble(), 5, CodeShape.Loops,
            L(7, Activation.ReLU, false), L(4, Activation.Tanh), L(3, Activation.Identity)),
        Float("UnrolledFloat", () => new UnrolledFloat(), 12, CodeShape.Unrolled, L(24, Activation.ReLU, false), L(3, Activation.LeakyReLU)),
        Double("UnrolledDouble", () => new UnrolledDouble(), 20, CodeShape.Unrolled, L(30, Activation.Tanh), L(2, Activation.Sigmoid, false)),
        Float("PredictLoopsFloat", () => new PredictLoopsFloat(), 16, CodeShape.Loops, L(80, Activation.ReLU), L(1, Activation.Identity)),
        Double("PredictLoopsDouble", () => new PredictLoopsDouble(), 16, CodeShape.Loops, L(80, Activation.Tanh), L(1, Activation.Sigmoid)),
        Double("SeedReLUNet", () => new SeedReLUNet(), 2, CodeShape.Auto, L(2, Activation.ReLU, false), L(1, Activation.Identity, false)),
        Float("CrossEntropyFloat", () => new CrossEntropyFloat(), 4, CodeShape.Auto, L(8, Activation.Tanh), L(3, Activation.Softmax))
            with { Loss = LossFunction.CrossEntropy },
        Double("CrossEntropyDouble", () => new CrossEntropyDouble(), 6, CodeShape.Loops, L(10, Activation.LeakyReLU), L(4, Activation.Softmax, false))
            with { Loss = LossFunction.CrossEntropy },
        Double("BinaryDouble", () => new BinaryDouble(), 3, CodeShape.Auto, L(6, Activation.ReLU), L(2, Activation.Sigmoid))
            with { Loss = LossFunction.BinaryCrossEntropy },
        Float("BinaryFloat", () => new BinaryFloat(), 5, CodeShape.Loops, L(7, Activation.Sigmoid, false), L(1, Activation.Sigmoid))
            with { Loss = LossFunction.BinaryCrossEntropy },
        Float("BlockedFloat", () => new BlockedFloat(), 20, CodeShape.Loops,
            L(12, Activation.ReLU), L(9, Activation.LeakyReLU, false), L(3, Activation.Identity)),
        Double("BlockedCrossEntropyDouble", () => new BlockedCrossEntropyDouble(), 10, CodeShape.Loops, L(16, Activation.Tanh), L(4, Activation.Softmax))
            with { Loss = LossFunction.CrossEntropy },
        Float("BlockedBinaryFloat", () => new BlockedBinaryFloat(), 9, CodeShape.Loops, L(8, Activation.Sigmoid, false), L(2, Activation.Sigmoid))
            with { Loss = LossFunction.BinaryCrossEntropy },
        Float("SmoothFloat", () => new SmoothFloat(), 3, CodeShape.Auto,
            L(5, Activation.ELU), L(4, Activation.GELU, false), L(3, Activation.SiLU), L(2, Activation.Softplus), L(2, Activation.Identity)),
        Double("SmoothLoopsDouble", () => new SmoothLoopsDouble(), 5, CodeShape.Loops,
            L(6, Activation.GELU), L(5, Activation.SiLU, false), L(4, Activation.ELU), L(3, Activation.Softplus), L(2, Activation.Identity)),
        Float("BlockedSmoothFloat", () => new BlockedSmoothFloat(), 12, CodeShape.Loops,
            L(16, Activation.GELU), L(10, Activation.SiLU, false), L(8, Activation.ELU), L(9, Activation.Softplus), L(2, Activation.Identity)),
        Double("BlockedSmoothDouble", () => new BlockedSmoothDouble(), 10, CodeShape.Loops,
            L(12, Activation.Softplus), L(9, Activation.ELU, false), L(8, Activation.GELU), L(3, Activation.SiLU)),
        Double("MixedSmoothDouble", () => new MixedSmoothDouble(), 16, CodeShape.Auto,
            L(10, Activation.GELU), L(6, Activation.Softplus), L(3, Activation.Softmax))
            with { Loss = LossFunction.CrossEntropy },
    ];

    public static IReadOnlyList<NetworkCase> All => AllNetworks;

    /// <summary>The names of all networks, for [MemberData].</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (NetworkCase network in AllNetworks)
        {
            data.Add(network.Name);
        }

        return data;
    }

    public static NetworkCase Get(string name) => AllNetworks.Single(n => n.Name == name);

    private static LayerInfo L(int units, Activation activation, bool bias = true) => new(units, activation, bias);

    private static NetworkCase<float> Float(string name, Func<INetwork<float>> create, int inputs, CodeShape code, params LayerInfo[] layers) =>
        new(name, create, inputs, layers, code);

    private static NetworkCase<double> Double(string name, Func<INetwork<double>> create, int inputs, CodeShape code, params LayerInfo[] layers) =>
        new(name, create, inputs, layers, code);
}
