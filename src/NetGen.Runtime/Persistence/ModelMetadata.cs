using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Numerics;

namespace NetGen;

/// <summary>
/// What a trained model needs beside its parameters to be used: the scaling its inputs were trained with, the names
/// of its classes, and any text of the user's own. <see cref="ModelFile.Save{T}(INetwork{T}, string, ModelMetadata{T}?)"/>
/// stores it in the same file as the parameters (format version 2, docs/format.md) and
/// <see cref="ModelFile.LoadWithMetadata{T}(INetwork{T}, string)"/> gives it back.
/// </summary>
/// <remarks>
/// Every part is optional. A loaded file without a part (a version 1 file has none) gives <see langword="null"/> for
/// <see cref="InputStandardizer"/> and <see cref="ClassNames"/> and an empty <see cref="Properties"/>.
/// </remarks>
/// <typeparam name="T">The network's element type: <c>float</c> or <c>double</c>. The standardiser's statistics are stored in it.</typeparam>
public sealed class ModelMetadata<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private static readonly IReadOnlyDictionary<string, string> NoProperties = new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());

    /// <summary>
    /// The standardiser the network's inputs go through, one column per input: its <see cref="Standardizer{T}.ColumnCount"/>
    /// must be the network's <see cref="INetwork{T}.InputCount"/>. Stored bit for bit, so the loaded one transforms
    /// exactly as this one does.
    /// </summary>
    public Standardizer<T>? InputStandardizer { get; init; }

    /// <summary>
    /// The names of the classes, in the order of the labels (class <c>i</c> is <c>ClassNames[i]</c>); any strings,
    /// stored as UTF-8, none <see langword="null"/> or holding a lone surrogate. Their count is not checked against
    /// the network's outputs (one sigmoid output has two classes).
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>
    /// The user's own entries, text to text (a data set's name, a version, hyperparameters as JSON): each key 1 to
    /// 256 bytes of UTF-8, each value any string. Empty by default; saved in ordinal order of the keys.
    /// </summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = NoProperties;

    /// <summary>Wraps loaded values: the list and dictionary are the loader's own, never shared.</summary>
    internal static ModelMetadata<T> Loaded(Standardizer<T>? standardizer, List<string>? classNames, Dictionary<string, string>? properties) => new()
    {
        InputStandardizer = standardizer,
        ClassNames = classNames?.AsReadOnly(),
        Properties = properties is null ? NoProperties : new ReadOnlyDictionary<string, string>(properties),
    };

    /// <summary>The metadata of a file that has none (version 1).</summary>
    internal static ModelMetadata<T> None { get; } = new();
}
