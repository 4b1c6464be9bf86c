using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// The default initialisers of a generated network (<see cref="Dense{T}"/>): He-uniform for ReLU-like layers
/// (<see cref="UsesHeUniform"/>), Glorot-uniform for the others, biases zero. Both draw from a <see cref="DeterministicRandom"/>, so a seed
/// fixes the result.
/// </summary>
public static class Initializers
{
    /// <summary>The seed a new network instance is initialised with.</summary>
    public const int DefaultSeed = 42;

    /// <summary>
    /// He (Kaiming) uniform: U(-sqrt(6 / fanIn), sqrt(6 / fanIn)), which keeps the variance of a ReLU
    /// layer's output equal to its input's.
    /// </summary>
    public static void HeUniform<T>(Span<T> weights, int fanIn, ref DeterministicRandom random)
        where T : IFloatingPointIeee754<T>
    {
        CheckFan(fanIn, nameof(fanIn));
        Uniform(weights, Math.Sqrt(6.0 / fanIn), ref random);
    }

    /// <summary>Glorot (Xavier) uniform: U(-sqrt(6 / (fanIn + fanOut)), sqrt(6 / (fanIn + fanOut))).</summary>
    public static void GlorotUniform<T>(Span<T> weights, int fanIn, int fanOut, ref DeterministicRandom random)
        where T : IFloatingPointIeee754<T>
    {
        CheckFan(fanIn, nameof(fanIn));
        CheckFan(fanOut, nameof(fanOut));
        Uniform(weights, Math.Sqrt(6.0 / (fanIn + (double)fanOut)), ref random);
    }

    /// <summary>Fills <paramref name="weights"/> with values uniform in [-limit, limit).</summary>
    public static void Uniform<T>(Span<T> weights, double limit, ref DeterministicRandom random)
        where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = T.CreateChecked(random.NextDouble(-limit, limit));
        }
    }

    /// <summary>
    /// The rule that chooses a Dense layer's initialiser, in this one place: He-uniform for the ReLU-like activations,
    /// which are about z for large z and near 0 (or a small value) for negative z, so that about half of the
    /// variance passes a layer, as He et al. derived for ReLU: <see cref="Activation.ReLU"/>,
    /// <see cref="Activation.LeakyReLU"/>, <see cref="Activation.ELU"/>, <see cref="Activation.GELU"/>,
    /// <see cref="Activation.SiLU"/> and <see cref="Activation.Softplus"/>. Glorot-uniform for the others (Identity,
    /// Sigmoid, Tanh, Softmax), which are about linear near 0.
    /// </summary>
    /// <param name="activation">A layer's activation.</param>
    /// <returns>Whether <see cref="Dense{T}"/> draws the layer's weights with <see cref="HeUniform{T}"/>.</returns>
    public static bool UsesHeUniform(Activation activation) =>
        activation is Activation.ReLU or Activation.LeakyReLU or Activation.ELU or Activation.GELU or Activation.SiLU or Activation.Softplus;

    /// <summary>
    /// Fills one Dense layer's weights the default way for its activation, the rule a generated network's
    /// <c>InitializeParameters</c> follows: <see cref="HeUniform{T}"/> where <see cref="UsesHeUniform"/> says so (the
    /// ReLU-like activations), <see cref="GlorotUniform{T}"/> for the others. It draws exactly what that method
    /// draws, value for value, and leaves <paramref name="random"/> where it does.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="weights">The layer's weights, <paramref name="fanOut"/> × <paramref name="fanIn"/> of them; the biases are not touched.</param>
    /// <param name="fanIn">The layer's inputs; at least 1.</param>
    /// <param name="fanOut">The layer's units; at least 1 (Glorot-uniform's limit depends on it, He-uniform's does not).</param>
    /// <param name="activation">The layer's activation.</param>
    /// <param name="random">The generator to draw from; it moves on by one draw per weight.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fanIn"/> or <paramref name="fanOut"/> is below 1.</exception>
    public static void Dense<T>(Span<T> weights, int fanIn, int fanOut, Activation activation, ref DeterministicRandom random)
        where T : IFloatingPointIeee754<T>
    {
        CheckFan(fanIn, nameof(fanIn));
        CheckFan(fanOut, nameof(fanOut));
        if (UsesHeUniform(activation))
        {
            HeUniform(weights, fanIn, ref random);
        }
        else
        {
            GlorotUniform(weights, fanIn, fanOut, ref random);
        }
    }

    /// <summary>
    /// Initialises one layer the default way for its activation: its weights as <see cref="Dense{T}"/> fills them,
    /// its biases zero.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fanIn"/> or <paramref name="fanOut"/> is below 1.</exception>
    public static void InitializeLayer<T>(Span<T> weights, Span<T> biases, int fanIn, int fanOut, Activation activation, ref DeterministicRandom random)
        where T : IFloatingPointIeee754<T>
    {
        Dense(weights, fanIn, fanOut, activation, ref random);
        biases.Clear();
    }

    /// <summary>
    /// Initialises one recurrent layer (GRU or LSTM) as PyTorch does: every one of its parameters, weights and biases
    /// alike, uniform in [-1/sqrt(units), 1/sqrt(units)), drawn in the layer's parameter order.
    /// </summary>
    /// <param name="parameters">All of the layer's parameters.</param>
    /// <param name="units">The layer's hidden values; at least 1.</param>
    /// <param name="random">The generator to draw from; it moves on by one draw per parameter.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is below 1.</exception>
    public static void Recurrent<T>(Span<T> parameters, int units, ref DeterministicRandom random)
        where T : IFloatingPointIeee754<T>
    {
        CheckFan(units, nameof(units));
        Uniform(parameters, 1.0 / Math.Sqrt(units), ref random);
    }

    private static void CheckFan(int fan, string name)
    {
        if (fan < 1)
        {
            throw new ArgumentOutOfRangeException(name, fan, "A layer's fan-in and fan-out must be at least 1.");
        }
    }
}
