using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay:
/// the update rule of PyTorch's <c>torch.optim.SGD</c>.
/// </summary>
/// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
/// <remarks>
/// <para>For each parameter p with gradient g, with learning rate lr, momentum μ, dampening τ and weight decay λ:</para>
/// <code>
/// g = g + λ p                          (only if λ ≠ 0)
/// if μ ≠ 0:
///     b = g                            (on the first step after construction or Reset)
///     b = μ b + (1 - τ) g              (on every later step)
///     g = nesterov ? g + μ b : b
/// p = p - lr g
/// </code>
/// <para>
/// With no momentum and no weight decay this is exactly <see cref="Sgd.Step{T}"/>, bit for bit. The momentum
/// buffer is allocated once, in the constructor; <see cref="Step"/> allocates nothing.
/// </para>
/// </remarks>
public sealed class SgdOptimizer<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _momentumBuffer;
    private readonly T _momentum;
    private readonly T _oneMinusDampening;
    private readonly T _weightDecay;
    private double _learningRate;
    private bool _hasMomentumBuffer;

    /// <summary>Creates the optimizer for <paramref name="parameterCount"/> parameters.</summary>
    /// <param name="parameterCount">The number of parameters, for example a network's <c>ParameterCount</c>.</param>
    /// <param name="learningRate">The step size lr, at least 0.</param>
    /// <param name="momentum">The momentum factor μ, at least 0. Default 0 (no momentum).</param>
    /// <param name="dampening">The dampening τ of the momentum, in [0, 1]. Default 0.</param>
    /// <param name="nesterov">Whether to use Nesterov momentum; needs a positive momentum and zero dampening.</param>
    /// <param name="weightDecay">The L2 penalty λ, at least 0. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count or hyper-parameter is out of range, infinite or NaN.</exception>
    /// <exception cref="ArgumentException"><paramref name="nesterov"/> is set without momentum, or with dampening.</exception>
    public SgdOptimizer(int parameterCount, double learningRate, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
    {
        OptimizerChecks.ParameterCount(parameterCount, nameof(parameterCount));
        _learningRate = OptimizerChecks.NonNegative(learningRate, nameof(learningRate), "learning rate");
        Momentum = OptimizerChecks.NonNegative(momentum, nameof(momentum), "momentum");
        if (!(dampening >= 0 && dampening <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "The dampening must be between 0 and 1.");
        }

        Dampening = dampening;
        WeightDecay = OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay), "weight decay");
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum needs a positive momentum and zero dampening.", nameof(nesterov));
        }

        Nesterov = nesterov;
        ParameterCount = parameterCount;
        _momentum = T.CreateChecked(momentum);
        _oneMinusDampening = T.CreateChecked(1 - dampening);
        _weightDecay = T.CreateChecked(weightDecay);
        _momentumBuffer = momentum != 0 ? new T[parameterCount] : [];
    }

    /// <inheritdoc/>
    public int ParameterCount { get; }

    /// <inheritdoc/>
    public double LearningRate
    {
        get => _learningRate;
        set => _learningRate = OptimizerChecks.NonNegative(value, nameof(value), "learning rate");
    }

    /// <summary>The momentum factor μ; 0 means no momentum.</summary>
    public double Momentum { get; }

    /// <summary>The dampening τ: the momentum buffer takes (1 - τ) of each new gradient.</summary>
    public double Dampening { get; }

    /// <summary>Whether the step uses Nesterov momentum, g + μ b, rather than the buffer b itself.</summary>
    public bool Nesterov { get; }

    /// <summary>The L2 penalty λ added to each gradient as λ p.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients)
    {
        OptimizerChecks.Spans(parameters.Length, gradients.Length, ParameterCount);
        T learningRate = T.CreateChecked(_learningRate);
        bool decay = WeightDecay != 0;

        if (Momentum == 0)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                T g = gradients[i];
                if (decay)
                {
                    g += _weightDecay * parameters[i];
                }

                parameters[i] -= learningRate * g;
            }

            return;
        }

        Span<T> buffer = _momentumBuffer;
        bool first = !_hasMomentumBuffer;
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = gradients[i];
            if (decay)
            {
                g += _weightDecay * parameters[i];
            }

            // PyTorch starts the buffer at the first gradient itself, not at (1 - dampening) times it.
            T b = first ? g : (_momentum * buffer[i]) + (_oneMinusDampening * g);
            buffer[i] = b;
            g = Nesterov ? g + (_momentum * b) : b;
            parameters[i] -= learningRate * g;
        }

        _hasMomentumBuffer = true;
    }

    /// <inheritdoc/>
    public void Reset()
    {
        Array.Clear(_momentumBuffer);
        _hasMomentumBuffer = false;
    }
}
