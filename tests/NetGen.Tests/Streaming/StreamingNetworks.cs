using NetGen;

namespace NetGen.Tests.Streaming;

// Streaming models (a recurrent layer makes one Forward call one time step), generated at build time by the analyzer
// exactly as in a user's project.

/// <summary>float: GRU then Dense; mean squared error.</summary>
[Network(2)]
[Gru(5)]
[Dense(3, Activation.Tanh)]
public partial class StreamGru;

/// <summary>double: two LSTMs, the second without biases, then a Softmax output on cross-entropy.</summary>
[Network<double>(3, Loss = LossFunction.CrossEntropy)]
[Lstm(4)]
[Lstm(3, Bias = false)]
[Dense(2, Activation.Softmax)]
public partial class StreamLstm;

/// <summary>float: a Dense layer before a GRU whose hidden values are the output; one output, so Predict exists.</summary>
[Network(1)]
[Dense(4, Activation.ReLU)]
[Gru(1)]
public partial class StreamDenseFirst;
