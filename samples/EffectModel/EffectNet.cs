using NetGen;

namespace EffectModel;

/// <summary>
/// One audio sample in, one out, at 48 kHz: a GRU of 8 hidden values (its memory: the effect's filters and the
/// state of its distortion), then a linear read-out; mean squared error. 273 parameters.
/// </summary>
[Network(1)]
[Gru(8)]
[Dense(1)]
public sealed partial class EffectNet;
