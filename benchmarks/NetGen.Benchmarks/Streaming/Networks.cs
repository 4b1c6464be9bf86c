using NetGen;

namespace NetGen.Benchmarks.Streaming;

// The four streaming models of the peer benchmark (docs/benchmarks.md, "Streaming models: NetGen, RTNeural and
// PyTorch"): one input, one output, float, the planner's default rule. RTNeural and PyTorch run the same networks
// with the same weights (PeerData.cs writes them).

/// <summary>(a) 1 -> GRU 8 -> Dense 1.</summary>
[Network(1)]
[Gru(8)]
[Dense(1)]
public sealed partial class Gru8Net;

/// <summary>(b) 1 -> LSTM 8 -> Dense 1.</summary>
[Network(1)]
[Lstm(8)]
[Dense(1)]
public sealed partial class Lstm8Net;

/// <summary>(c) 1 -> GRU 32 -> Dense 1.</summary>
[Network(1)]
[Gru(32)]
[Dense(1)]
public sealed partial class Gru32Net;

/// <summary>(d) 1 -> GRU 16 -> GRU 16 -> GRU 16 -> Dense 1.</summary>
[Network(1)]
[Gru(16)]
[Gru(16)]
[Gru(16)]
[Dense(1)]
public sealed partial class Gru16x3Net;
