using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Threading;

namespace NetGen;

public static partial class Trainer
{
    /// <summary>
    /// k-fold cross-validation: splits <paramref name="data"/> into <paramref name="foldCount"/> folds, and for each
    /// trains a fresh network from <paramref name="createNetwork"/> on the other folds with
    /// <see cref="Fit{TNet, T}"/> and scores it on the held-out one. The folds are stratified
    /// (<see cref="Dataset{T}.StratifiedKFold(int, int)"/>) for a classifier and plain
    /// (<see cref="Dataset{T}.KFold"/>) for a regression, as scikit-learn's <c>cross_val_score</c> chooses them;
    /// the task is <see cref="TrainingOptions{T}.TaskKind"/>, or for <see cref="TaskKind.Auto"/> decided from the first
    /// network and all of <paramref name="data"/>.
    /// </summary>
    /// <remarks>
    /// The same factory, data, options and seed give the same scores on every run, provided the factory makes the
    /// same network every time (a generated network's constructor does, and so does
    /// <see cref="INetwork{T}.InitializeParameters"/> with a fixed seed). See
    /// <see cref="CrossValidate{TNet, T}(Func{TNet}, Dataset{T}, IReadOnlyList{Fold}, TrainingOptions{T}, Func{TNet, Dataset{T}, double}?, CancellationToken)"/>
    /// for how each fold is trained.
    /// </remarks>
    /// <typeparam name="TNet">The network's type.</typeparam>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="createNetwork">Makes a new, untrained network; called once per fold.</param>
    /// <param name="data">All the samples, shaped for the network.</param>
    /// <param name="options">How each fold's network is trained; its <see cref="TrainingOptions{T}.Validation"/> is replaced by the fold's held-out part.</param>
    /// <param name="foldCount">The number of folds k, from 2 to the number of samples. Default 5.</param>
    /// <param name="seed">Fixes the folds (not the training, which <see cref="TrainingOptions{T}.Seed"/> fixes). Default 0.</param>
    /// <param name="score">
    /// The measure of a trained network on a held-out part, higher or lower as you like; <see langword="null"/>
    /// (the default) for the accuracy of a classifier and R² of a regression, from
    /// <see cref="Evaluate{TNet, T}(TNet, Dataset{T}, TaskKind)"/>.
    /// </param>
    /// <param name="cancellationToken">Stops training between two batches.</param>
    /// <returns>The scores, their mean and standard deviation, and each fold's split, history and evaluation.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>, or the factory returned <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="foldCount"/> is out of range, or an option is (see <see cref="Fit{TNet, T}"/>).</exception>
    /// <exception cref="ArgumentException">
    /// The data does not fit the network, the factory returned a network it had returned before, a checkpoint's path has
    /// no <c>{fold}</c>, or an option is wrong (see <see cref="Fit{TNet, T}"/>).
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">A fold's training diverged.</exception>
    public static CrossValidationResult CrossValidate<TNet, T>(
        Func<TNet> createNetwork,
        Dataset<T> data,
        TrainingOptions<T> options,
        int foldCount = 5,
        int seed = 0,
        Func<TNet, Dataset<T>, double>? score = null,
        CancellationToken cancellationToken = default)
        where TNet : INetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(createNetwork);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        Evaluation.Check(options.TaskKind, nameof(options));
        TNet first = Created(createNetwork);
        CheckShape(first, data, nameof(data));
        TaskKind task = Evaluation.Resolve(options.TaskKind, first, data);
        IReadOnlyList<Fold> folds = task == TaskKind.Classification ? data.StratifiedKFold(foldCount, seed) : data.KFold(foldCount, seed);
        return CrossValidateCore(first, createNetwork, data, folds, options, task, score, cancellationToken);
    }

    /// <summary>
    /// Cross-validation over the given <paramref name="folds"/> (from <see cref="Dataset{T}.KFold"/>,
    /// <see cref="Dataset{T}.StratifiedKFold(ReadOnlySpan{int}, int, int)"/>, or your own): for each fold, a fresh
    /// network from <paramref name="createNetwork"/> is trained with <see cref="Fit{TNet, T}"/> on the fold's
    /// training samples and scored on its validation samples.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Each fold's network is trained with <paramref name="options"/> but for <see cref="TrainingOptions{T}.Validation"/>,
    /// which becomes the fold's validation part, so that each history shows the held-out loss after every epoch.
    /// <see cref="TrainingOptions{T}.Progress"/> receives every fold's reports, each fold starting again from epoch 1.
    /// An <see cref="TrainingOptions{T}.Optimizer"/> is shared by the folds: it is <see cref="IOptimizer{T}.Reset"/>
    /// before each fold, so that no fold starts from another's moments, and is left as after the last. A
    /// <see cref="TrainingOptions{T}.Checkpoint"/> must hold <c>{fold}</c> in its path, replaced by each fold's number
    /// (1-based), so that each fold writes files of its own: <c>"cv/model-{fold}.netgen"</c>.
    /// </para>
    /// <para>
    /// The task (<see cref="TrainingOptions{T}.TaskKind"/>, or for <see cref="TaskKind.Auto"/> decided from the
    /// first network and all of <paramref name="data"/>) is the same for every fold, and picks the default score:
    /// accuracy or R².
    /// </para>
    /// </remarks>
    /// <typeparam name="TNet">The network's type.</typeparam>
    /// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
    /// <param name="createNetwork">Makes a new, untrained network; called once per fold.</param>
    /// <param name="data">All the samples, shaped for the network.</param>
    /// <param name="folds">One or more folds of <paramref name="data"/>.</param>
    /// <param name="options">How each fold's network is trained; its <see cref="TrainingOptions{T}.Validation"/> is replaced by the fold's held-out part.</param>
    /// <param name="score">The measure of a trained network on a held-out part; <see langword="null"/> (the default) for accuracy or R².</param>
    /// <param name="cancellationToken">Stops training between two batches.</param>
    /// <returns>The scores, their mean and standard deviation, and each fold's split, history and evaluation.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>, or the factory returned <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A fold's index is out of range for <paramref name="data"/>, or an option is (see <see cref="Fit{TNet, T}"/>).</exception>
    /// <exception cref="ArgumentException">
    /// There are no folds, a fold trains on no samples, the data does not fit the network, the factory returned a
    /// network it had returned before, a checkpoint's path has no <c>{fold}</c>, or an option is wrong (see
    /// <see cref="Fit{TNet, T}"/>).
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">A fold's training diverged.</exception>
    public static CrossValidationResult CrossValidate<TNet, T>(
        Func<TNet> createNetwork,
        Dataset<T> data,
        IReadOnlyList<Fold> folds,
        TrainingOptions<T> options,
        Func<TNet, Dataset<T>, double>? score = null,
        CancellationToken cancellationToken = default)
        where TNet : INetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(createNetwork);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(options);
        if (folds.Count == 0)
        {
            throw new ArgumentException("There must be at least one fold.", nameof(folds));
        }

        foreach (Fold? fold in folds)
        {
            ArgumentNullException.ThrowIfNull(fold, nameof(folds));
        }

        Evaluation.Check(options.TaskKind, nameof(options));
        TNet first = Created(createNetwork);
        CheckShape(first, data, nameof(data));
        TaskKind task = Evaluation.Resolve(options.TaskKind, first, data);
        return CrossValidateCore(first, createNetwork, data, folds, options, task, score, cancellationToken);
    }

    private static CrossValidationResult CrossValidateCore<TNet, T>(
        TNet first,
        Func<TNet> createNetwork,
        Dataset<T> data,
        IReadOnlyList<Fold> folds,
        TrainingOptions<T> options,
        TaskKind task,
        Func<TNet, Dataset<T>, double>? score,
        CancellationToken cancellationToken)
        where TNet : INetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckFoldCheckpoint(options.Checkpoint);
        var foldArray = new Fold[folds.Count];
        var scores = new double[folds.Count];
        var evaluations = new EvaluationResult[folds.Count];
        var histories = new TrainingHistory[folds.Count];
        var networks = new List<object>();
        for (int f = 0; f < foldArray.Length; f++)
        {
            Fold fold = folds[f];
            TNet network = f == 0 ? first : Created(createNetwork);
            if (!typeof(TNet).IsValueType)
            {
                foreach (object earlier in networks)
                {
                    if (ReferenceEquals(earlier, network))
                    {
                        throw new ArgumentException(
                            "The factory returned a network it had returned before: each fold needs a fresh network.", nameof(createNetwork));
                    }
                }

                networks.Add(network);
            }

            CheckShape(network, data, nameof(data));
            Dataset<T> training = data.Subset(fold.TrainingIndices);
            Dataset<T> validation = data.Subset(fold.ValidationIndices);
            if (training.Count == 0)
            {
                throw new ArgumentException($"Fold {f} trains on no samples.", nameof(folds));
            }

            options.Optimizer?.Reset();
            histories[f] = Fit(network, training, options.WithValidation(validation, ForFold(options.Checkpoint, f)), cancellationToken);
            evaluations[f] = Evaluate(network, validation, task);
            scores[f] = score is not null
                ? score(network, validation)
                : task == TaskKind.Classification ? evaluations[f].Accuracy : evaluations[f].RSquared;
            foldArray[f] = fold;
        }

        return new CrossValidationResult(task, foldArray, scores, evaluations, histories);
    }

    /// <summary>
    /// A checkpoint's path in cross-validation must hold <c>{fold}</c>: without it every fold would write the same file,
    /// and what is left there at the end would be the last fold's, whatever the first ones saved.
    /// </summary>
    private static void CheckFoldCheckpoint(Checkpoint? checkpoint)
    {
        if (checkpoint?.Path is { } path && !path.Contains(FoldPlaceholder, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The checkpoint's path '{path}' has no {FoldPlaceholder}: in cross-validation each fold needs a file of its own, such as \"model-{FoldPlaceholder}.netgen\".",
                "options");
        }
    }

    /// <summary>The fold's checkpoint: <c>{fold}</c> in the path replaced by the fold's number, 1-based.</summary>
    private static Checkpoint? ForFold(Checkpoint? checkpoint, int fold) => checkpoint is null ? null : new Checkpoint
    {
        Path = checkpoint.Path.Replace(FoldPlaceholder, (fold + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
        EveryEpochs = checkpoint.EveryEpochs,
        Metric = checkpoint.Metric,
    };

    private const string FoldPlaceholder = "{fold}";

    private static TNet Created<TNet>(Func<TNet> createNetwork)
    {
        TNet network = createNetwork();
        return network is null
            ? throw new ArgumentNullException(nameof(createNetwork), "The network factory returned null.")
            : network;
    }
}
