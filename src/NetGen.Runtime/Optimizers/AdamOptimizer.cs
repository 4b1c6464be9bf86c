using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// Adam with optional L2 weight decay added to the gradient: the update rule of PyTorch's
/// <c>torch.optim.Adam</c> (without amsgrad). For decoupled weight decay use <see cref="AdamWOptimizer{T}"/>.
/// </summary>
/// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
/// <remarks>
/// <para>At step t = 1, 2, ... for each parameter p with gradient g, with learning rate lr, betas β1 and β2,
/// epsilon ε and weight decay λ (m and v start at 0):</para>
/// <code>
/// g = g + λ p                          (only if λ ≠ 0)
/// m = β1 m + (1 - β1) g
/// v = β2 v + (1 - β2) g²
/// p = p - (lr / (1 - β1^t)) · m / (√v / √(1 - β2^t) + ε)
/// </code>
/// <para>
/// As in PyTorch, the bias corrections and the step size lr / (1 - β1^t) are computed in double precision
/// and then rounded to <typeparamref name="T"/>. The moment buffers are allocated once, in the constructor;
/// <see cref="Step"/> allocates nothing.
/// </para>
/// </remarks>
public sealed class AdamOptimizer<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private AdamState<T> _state;

    /// <summary>Creates the optimizer for <paramref name="parameterCount"/> parameters. The defaults are PyTorch's.</summary>
    /// <param name="parameterCount">The number of parameters, for example a network's <c>ParameterCount</c>.</param>
    /// <param name="learningRate">The step size lr, at least 0. Default 0.001.</param>
    /// <param name="beta1">The decay β1 of the first-moment estimate, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">The decay β2 of the second-moment estimate, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">The ε added to the denominator, at least 0. Default 1e-8.</param>
    /// <param name="weightDecay">The L2 penalty λ added to each gradient as λ p, at least 0. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count or hyper-parameter is out of range, infinite or NaN.</exception>
    public AdamOptimizer(int parameterCount, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    {
        _state = new AdamState<T>(parameterCount, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: false);
    }

    /// <inheritdoc/>
    public int ParameterCount => _state.ParameterCount;

    /// <inheritdoc/>
    public double LearningRate
    {
        get => _state.LearningRate;
        set => _state.LearningRate = OptimizerChecks.NonNegative(value, nameof(value), "learning rate");
    }

    /// <summary>The decay β1 of the first-moment (mean) estimate.</summary>
    public double Beta1 => _state.Beta1;

    /// <summary>The decay β2 of the second-moment (uncentred variance) estimate.</summary>
    public double Beta2 => _state.Beta2;

    /// <summary>The ε added to the denominator for numerical stability.</summary>
    public double Epsilon => _state.Epsilon;

    /// <summary>The L2 penalty λ added to each gradient as λ p.</summary>
    public double WeightDecay => _state.WeightDecay;

    /// <summary>The number of steps taken since construction or the last <see cref="Reset"/>: t of the last step.</summary>
    public long StepCount => _state.StepCount;

    /// <inheritdoc/>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients) => _state.Step(parameters, gradients);

    /// <inheritdoc/>
    public void Reset() => _state.Reset();
}

/// <summary>
/// AdamW: Adam with decoupled weight decay, the update rule of PyTorch's <c>torch.optim.AdamW</c>
/// (without amsgrad). The parameters shrink by the factor 1 - lr λ before the Adam step, instead of λ p being
/// added to the gradient.
/// </summary>
/// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
/// <remarks>
/// <para>At step t = 1, 2, ... for each parameter p with gradient g (m and v start at 0):</para>
/// <code>
/// p = p (1 - lr λ)
/// m = β1 m + (1 - β1) g
/// v = β2 v + (1 - β2) g²
/// p = p - (lr / (1 - β1^t)) · m / (√v / √(1 - β2^t) + ε)
/// </code>
/// <para>The moment buffers are allocated once, in the constructor; <see cref="Step"/> allocates nothing.</para>
/// </remarks>
public sealed class AdamWOptimizer<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private AdamState<T> _state;

    /// <summary>Creates the optimizer for <paramref name="parameterCount"/> parameters. The defaults are PyTorch's.</summary>
    /// <param name="parameterCount">The number of parameters, for example a network's <c>ParameterCount</c>.</param>
    /// <param name="learningRate">The step size lr, at least 0. Default 0.001.</param>
    /// <param name="beta1">The decay β1 of the first-moment estimate, in [0, 1). Default 0.9.</param>
    /// <param name="beta2">The decay β2 of the second-moment estimate, in [0, 1). Default 0.999.</param>
    /// <param name="epsilon">The ε added to the denominator, at least 0. Default 1e-8.</param>
    /// <param name="weightDecay">The decoupled decay λ: each step multiplies p by 1 - lr λ. At least 0. Default 0.01.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count or hyper-parameter is out of range, infinite or NaN.</exception>
    public AdamWOptimizer(int parameterCount, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
    {
        _state = new AdamState<T>(parameterCount, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: true);
    }

    /// <inheritdoc/>
    public int ParameterCount => _state.ParameterCount;

    /// <inheritdoc/>
    public double LearningRate
    {
        get => _state.LearningRate;
        set => _state.LearningRate = OptimizerChecks.NonNegative(value, nameof(value), "learning rate");
    }

    /// <summary>The decay β1 of the first-moment (mean) estimate.</summary>
    public double Beta1 => _state.Beta1;

    /// <summary>The decay β2 of the second-moment (uncentred variance) estimate.</summary>
    public double Beta2 => _state.Beta2;

    /// <summary>The ε added to the denominator for numerical stability.</summary>
    public double Epsilon => _state.Epsilon;

    /// <summary>The decoupled weight decay λ: each step first multiplies every parameter by 1 - lr λ.</summary>
    public double WeightDecay => _state.WeightDecay;

    /// <summary>The number of steps taken since construction or the last <see cref="Reset"/>: t of the last step.</summary>
    public long StepCount => _state.StepCount;

    /// <inheritdoc/>
    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients) => _state.Step(parameters, gradients);

    /// <inheritdoc/>
    public void Reset() => _state.Reset();
}

/// <summary>The state and update shared by <see cref="AdamOptimizer{T}"/> and <see cref="AdamWOptimizer{T}"/>.</summary>
internal struct AdamState<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _firstMoment;
    private readonly T[] _secondMoment;
    private readonly bool _decoupled;

    public AdamState(int parameterCount, double learningRate, double beta1, double beta2, double epsilon, double weightDecay, bool decoupled)
    {
        OptimizerChecks.ParameterCount(parameterCount, nameof(parameterCount));
        LearningRate = OptimizerChecks.NonNegative(learningRate, nameof(learningRate), "learning rate");
        Beta1 = OptimizerChecks.Beta(beta1, nameof(beta1));
        Beta2 = OptimizerChecks.Beta(beta2, nameof(beta2));
        Epsilon = OptimizerChecks.NonNegative(epsilon, nameof(epsilon), "epsilon");
        WeightDecay = OptimizerChecks.NonNegative(weightDecay, nameof(weightDecay), "weight decay");
        ParameterCount = parameterCount;
        _decoupled = decoupled;
        _firstMoment = new T[parameterCount];
        _secondMoment = new T[parameterCount];
    }

    public int ParameterCount { get; }

    public double LearningRate { get; set; }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Epsilon { get; }

    public double WeightDecay { get; }

    public long StepCount { get; private set; }

    public void Step(Span<T> parameters, ReadOnlySpan<T> gradients)
    {
        OptimizerChecks.Spans(parameters.Length, gradients.Length, ParameterCount);
        long t = StepCount + 1;

        // Scalars in double precision, as PyTorch computes them in Python floats, then rounded to T once.
        double biasCorrection1 = 1 - Math.Pow(Beta1, t);
        double biasCorrection2 = 1 - Math.Pow(Beta2, t);
        T stepSize = T.CreateChecked(LearningRate / biasCorrection1);
        T biasCorrection2Sqrt = T.CreateChecked(Math.Sqrt(biasCorrection2));
        T beta1 = T.CreateChecked(Beta1), oneMinusBeta1 = T.CreateChecked(1 - Beta1);
        T beta2 = T.CreateChecked(Beta2), oneMinusBeta2 = T.CreateChecked(1 - Beta2);
        T epsilon = T.CreateChecked(Epsilon);
        T weightDecay = T.CreateChecked(WeightDecay);
        T decayFactor = T.CreateChecked(1 - (LearningRate * WeightDecay));
        bool decay = WeightDecay != 0;

        Span<T> m = _firstMoment;
        Span<T> v = _secondMoment;
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = gradients[i];
            if (decay)
            {
                if (_decoupled)
                {
                    parameters[i] *= decayFactor;
                }
                else
                {
                    g += weightDecay * parameters[i];
                }
            }

            T mi = (beta1 * m[i]) + (oneMinusBeta1 * g);
            T vi = (beta2 * v[i]) + (oneMinusBeta2 * (g * g));
            m[i] = mi;
            v[i] = vi;
            T denominator = (T.Sqrt(vi) / biasCorrection2Sqrt) + epsilon;
            parameters[i] -= stepSize * (mi / denominator);
        }

        StepCount = t;
    }

    public void Reset()
    {
        Array.Clear(_firstMoment);
        Array.Clear(_secondMoment);
        StepCount = 0;
    }
}
