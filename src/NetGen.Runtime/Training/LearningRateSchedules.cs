using System;

namespace NetGen;

/// <summary>
/// Ready learning-rate schedules for <see cref="TrainingOptions{T}.LearningRateSchedule"/>: functions of the 1-based
/// epoch number that return that epoch's rate, following PyTorch's schedulers (<c>StepLR</c>,
/// <c>CosineAnnealingLR</c>, <c>LinearLR</c> then another through <c>SequentialLR</c>) stepped once per epoch.
/// </summary>
/// <remarks>
/// PyTorch counts the scheduler's steps from 0 (<c>last_epoch</c>, the number of <c>scheduler.step()</c> calls made,
/// one after each epoch); here epochs count from 1, so epoch e is PyTorch's step t = e - 1, and each formula below is
/// PyTorch's closed form at that t. The functions allocate nothing when called, and throw
/// <see cref="ArgumentOutOfRangeException"/> for an epoch below 1. For the rate of a plateau, which needs the
/// validation loss, see <see cref="ReduceLearningRateOnPlateau"/>.
/// </remarks>
public static class LearningRateSchedules
{
    /// <summary>The same rate at every epoch: for <see cref="WarmUp"/> in front of a fixed rate.</summary>
    /// <param name="rate">The rate: finite, at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is out of range.</exception>
    public static Func<int, double> Constant(double rate)
    {
        CheckRate(rate, nameof(rate));
        return epoch =>
        {
            CheckEpoch(epoch);
            return rate;
        };
    }

    /// <summary>
    /// PyTorch's <c>StepLR(step_size, gamma)</c>: <paramref name="initial"/> multiplied by <paramref name="gamma"/>
    /// once every <paramref name="stepSize"/> epochs, <c>initial * gamma^floor((epoch - 1) / stepSize)</c>. With
    /// stepSize 10: epochs 1 to 10 at initial, 11 to 20 at initial * gamma, and so on.
    /// </summary>
    /// <param name="initial">The rate of the first epoch: finite, at least 0.</param>
    /// <param name="stepSize">The number of epochs at each rate: 1 or more.</param>
    /// <param name="gamma">The factor at each step: finite, at least 0. Default 0.1, as PyTorch's.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static Func<int, double> Step(double initial, int stepSize, double gamma = 0.1)
    {
        CheckRate(initial, nameof(initial));
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        if (!double.IsFinite(gamma) || gamma < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "The factor must be a finite number of at least 0.");
        }

        return epoch =>
        {
            CheckEpoch(epoch);
            return initial * Math.Pow(gamma, (epoch - 1) / stepSize);
        };
    }

    /// <summary>
    /// PyTorch's <c>CosineAnnealingLR(T_max, eta_min)</c>, its closed form: from <paramref name="initial"/> down to
    /// <paramref name="minimum"/> along half a cosine over <paramref name="period"/> epochs,
    /// <c>minimum + (initial - minimum) * (1 + cos(π (epoch - 1) / period)) / 2</c>. Epoch 1 is at initial and epoch
    /// period + 1 at minimum; past that the formula, as PyTorch's, rises again (a cosine of period 2 · period), so
    /// set period to Epochs - 1 to end at the minimum, or to Epochs as PyTorch users usually do (the last epoch
    /// then ends just above it).
    /// </summary>
    /// <param name="initial">The rate of the first epoch: finite, at least 0.</param>
    /// <param name="period">PyTorch's T_max: the number of epochs from initial to minimum, 1 or more.</param>
    /// <param name="minimum">PyTorch's eta_min: finite, at least 0. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static Func<int, double> Cosine(double initial, int period, double minimum = 0)
    {
        CheckRate(initial, nameof(initial));
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        CheckRate(minimum, nameof(minimum));
        return epoch =>
        {
            CheckEpoch(epoch);
            return minimum + ((initial - minimum) * (1 + Math.Cos(Math.PI * (epoch - 1) / period)) / 2);
        };
    }

    /// <summary>
    /// A linear warm-up in front of another schedule: over the first <paramref name="epochs"/> epochs the rate climbs
    /// from <paramref name="startFactor"/> times the following schedule's first rate, <c>then(1)</c>, towards it,
    /// <c>then(1) * (startFactor + (1 - startFactor) * (epoch - 1) / epochs)</c>; from epoch epochs + 1 on it is
    /// <c>then(epoch - epochs)</c>, the following schedule starting from its own epoch 1. This is PyTorch's
    /// <c>SequentialLR([LinearLR(start_factor, end_factor=1, total_iters=epochs), then], milestones=[epochs])</c>
    /// with the base rate <c>then(1)</c>. Schedules compose: <c>WarmUp(5, 0.1, Cosine(1e-3, 45))</c>.
    /// </summary>
    /// <param name="epochs">The number of warm-up epochs: 1 or more.</param>
    /// <param name="startFactor">The share of <c>then(1)</c> at epoch 1: more than 0 and at most 1 (PyTorch's
    /// <c>LinearLR</c> default is 1/3).</param>
    /// <param name="then">The schedule after the warm-up, counted from its own epoch 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="then"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static Func<int, double> WarmUp(int epochs, double startFactor, Func<int, double> then)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        if (!(startFactor > 0 && startFactor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "The start factor must be more than 0 and at most 1.");
        }

        ArgumentNullException.ThrowIfNull(then);
        return epoch =>
        {
            CheckEpoch(epoch);
            return epoch <= epochs
                ? then(1) * (startFactor + ((1 - startFactor) * (epoch - 1) / epochs))
                : then(epoch - epochs);
        };
    }

    private static void CheckRate(double rate, string parameterName)
    {
        if (!double.IsFinite(rate) || rate < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, rate, "The learning rate must be a finite number of at least 0.");
        }
    }

    private static void CheckEpoch(int epoch)
    {
        if (epoch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "Epochs count from 1.");
        }
    }
}
