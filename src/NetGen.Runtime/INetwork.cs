using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// What every generated network implements, so that helpers (training loops, gradient checks, persistence)
/// can be generic and allocation-free (<c>where TNet : INetwork&lt;T&gt;</c>), and a program can hold and swap
/// models at run time (<c>List&lt;INetwork&lt;float&gt;&gt;</c>). Instance members only, by design: a static
/// abstract member would make the interface unusable as a type argument (CS8920).
/// </summary>
/// <typeparam name="T">The element type: <c>float</c> or <c>double</c>.</typeparam>
public interface INetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The number of inputs (the generated class also has it as a constant).</summary>
    int InputCount { get; }

    /// <summary>The number of outputs (the generated class also has it as a constant).</summary>
    int OutputCount { get; }

    /// <summary>
    /// A description of the topology, such as <c>"float 2 | 2 ReLU nobias | 1 Identity nobias | MeanSquaredError"</c>:
    /// two networks with the same text have the same parameter layout.
    /// </summary>
    string Topology { get; }

    /// <summary>
    /// All weights and biases, layer by layer: the layer's weights row-major <c>[unit][input]</c>
    /// (the layout of PyTorch's <c>nn.Linear.weight</c>), then its biases.
    /// </summary>
    Span<T> Parameters { get; }

    /// <summary>Same length and layout as <see cref="Parameters"/>: where <see cref="Backward"/> accumulates.</summary>
    Span<T> Gradients { get; }

    /// <summary>Computes the network's output for one input. Does not change the instance: safe from many threads at once.</summary>
    /// <remarks>
    /// <para>
    /// <paramref name="input"/> and <paramref name="output"/> must not overlap. Nothing checks it: a network may write
    /// outputs while it still reads inputs, so with shared memory (<c>Forward(buffer, buffer)</c>) the outputs are
    /// wrong, silently. Copy the input first, or use separate buffers.
    /// </para>
    /// <para>
    /// Many threads may call Forward (and <see cref="Loss"/>) at once, but not while a member that writes the
    /// parameters (<see cref="Backward"/>, <see cref="TrainStep"/>, <see cref="TrainBatch"/>,
    /// <see cref="InitializeParameters"/>, loading, an optimizer's step) runs on the same instance: Forward then reads
    /// parameters in the middle of being updated, and its outputs are undefined, each computed from some mix of old
    /// and new values. Nothing else goes wrong: nothing throws or crashes, and the training, which Forward never
    /// writes into, ends exactly as it would alone. To serve predictions while training, train a copy and copy its
    /// <see cref="Parameters"/> into the serving instance while no Forward runs on it.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentException">A span's length is not <see cref="InputCount"/> or <see cref="OutputCount"/>.</exception>
    void Forward(ReadOnlySpan<T> input, Span<T> output);

    /// <summary>
    /// Computes the outputs of n samples laid out one after another: sample s's output
    /// <c>outputs[s * OutputCount .. (s + 1) * OutputCount]</c> is what <see cref="Forward"/> gives for
    /// <c>inputs[s * InputCount .. (s + 1) * InputCount]</c>, to rounding. Does not change the instance, and never
    /// allocates.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Where every layer runs as SIMD loops (layers too wide to write out), the samples go in blocks of eight, held
    /// lane by lane: one SIMD multiply-add serves the eight samples, and each weight is loaded once per block. There a
    /// node's weighted inputs are added in input order, then its bias, one sample per lane, which gives the same bits on
    /// every machine and vector width, and the same bits for a sample wherever it sits in the batch; Forward adds them
    /// in SIMD partial sums of its own, so the two can differ in the last bits. A network of straight-line layers, or
    /// one declared with <c>CheckFinite = true</c> (whose checks name one sample's layer and node), runs its samples
    /// through Forward one by one and gives Forward's bits, as does the interface's default implementation (for a
    /// hand-written network). With <c>CheckFinite = true</c>, a non-finite value throws as in Forward (the exception
    /// names member Forward), after the outputs of the samples before it were written.
    /// </para>
    /// <para>
    /// The same rules as <see cref="Forward"/> hold: <paramref name="inputs"/> and <paramref name="outputs"/> must not
    /// overlap, and many threads may call it at once while nothing writes the parameters.
    /// </para>
    /// </remarks>
    /// <param name="inputs">Zero or more samples of <see cref="InputCount"/> values each.</param>
    /// <param name="outputs">Receives the same number of samples of <see cref="OutputCount"/> values each.</param>
    /// <exception cref="ArgumentException">
    /// The inputs are not whole samples, or the outputs do not hold the same number of samples; nothing is written.
    /// </exception>
    void ForwardBatch(ReadOnlySpan<T> inputs, Span<T> outputs)
    {
        // Generated networks write their own, blocked where it pays; this default keeps a hand-written implementation
        // of the interface compiling, one Forward call per sample.
        int samples = Guard.PredictionBatchSize(inputs.Length, InputCount, outputs.Length, OutputCount);
        for (int s = 0; s < samples; s++)
        {
            Forward(inputs.Slice(s * InputCount, InputCount), outputs.Slice(s * OutputCount, OutputCount));
        }
    }

    /// <summary>The loss of one sample. Does not change the instance.</summary>
    /// <exception cref="ArgumentException">A span's length is not <see cref="InputCount"/> or <see cref="OutputCount"/>.</exception>
    T Loss(ReadOnlySpan<T> input, ReadOnlySpan<T> target);

    /// <summary>Runs the forward pass, then adds dLoss/dParameter of this sample into <see cref="Gradients"/>.</summary>
    /// <returns>The loss of the sample.</returns>
    /// <exception cref="ArgumentException">A span's length is wrong; nothing is written.</exception>
    T Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> target);

    /// <summary>Sets every element of <see cref="Gradients"/> to zero.</summary>
    void ZeroGradients();

    /// <summary>
    /// One fused SGD step on one sample: the parameters end exactly as after <see cref="ZeroGradients"/>,
    /// <see cref="Backward"/> and <c>p -= learningRate * g</c> (bit for bit, but for the sign of a parameter that is
    /// zero: a zero slope from Backward is always +0). Neither reads nor writes <see cref="Gradients"/>.
    /// </summary>
    /// <returns>The loss before the step.</returns>
    /// <exception cref="ArgumentException">A span's length is wrong; nothing is written.</exception>
    T TrainStep(ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate);

    /// <summary>
    /// One SGD step on a mini-batch of n samples laid out one after another: the mean gradient over the
    /// batch, then <c>p -= learningRate * g</c>. Uses <see cref="Gradients"/> as its scratch space.
    /// </summary>
    /// <returns>The mean loss of the batch before the step.</returns>
    /// <exception cref="ArgumentException">
    /// The inputs are empty or not a multiple of <see cref="InputCount"/>, or the targets do not hold the same
    /// number of samples; nothing is written.
    /// </exception>
    T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, T learningRate);

    /// <summary>
    /// Deterministic default initialisation: He-uniform weights for ReLU-like layers (ReLU, LeakyReLU, ELU, GELU, SiLU,
    /// Softplus: <see cref="Initializers.UsesHeUniform"/>), Glorot-uniform for the others, biases zero. The same seed
    /// gives the same parameters on every machine.
    /// </summary>
    void InitializeParameters(int seed);
}
