using System;
using System.Numerics.Tensors;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// The TensorPrimitives baseline: the same MLP as <see cref="LoopsMlp"/>, each row of a layer one vectorised call
/// (Dot for the forward sums, MultiplyAdd for the slopes passed back and for the fused SGD update), ReLU as Max.
/// </summary>
public sealed class TensorPrimitivesMlp
{
    private readonly int[] _sizes;
    private readonly bool[] _bias;
    private readonly int[] _weightOffset;
    private readonly int[] _biasOffset;
    private readonly float[] _p;
    private readonly float[][] _a;
    private readonly float[][] _d;

    public TensorPrimitivesMlp(int[] sizes, bool[] bias)
    {
        var layout = new MlpLayout(sizes, bias);
        _sizes = layout.Sizes;
        _bias = layout.Bias;
        _weightOffset = layout.WeightOffset;
        _biasOffset = layout.BiasOffset;
        _a = layout.Activations;
        _d = layout.Slopes;
        _p = layout.Parameters;
    }

    public Span<float> Parameters => _p;

    public float Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        float[] last = Propagate(input);
        last.AsSpan().CopyTo(output);
        return last[0];
    }

    private float[] Propagate(ReadOnlySpan<float> input)
    {
        int layers = _sizes.Length - 1;
        ReadOnlySpan<float> x = input;
        for (int l = 0; l < layers; l++)
        {
            int n = _sizes[l], m = _sizes[l + 1];
            Span<float> a = _a[l];
            Span<float> weights = _p.AsSpan(_weightOffset[l], n * m);
            for (int j = 0; j < m; j++)
            {
                a[j] = TensorPrimitives.Dot(weights.Slice(j * n, n), x);
            }

            if (_bias[l])
            {
                TensorPrimitives.Add(a, _p.AsSpan(_biasOffset[l], m), a);
            }

            if (l < layers - 1)
            {
                TensorPrimitives.Max(a, 0f, a);
            }

            x = a;
        }

        return _a[layers - 1];
    }

    public float TrainStep(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        int layers = _sizes.Length - 1;
        Span<float> y = Propagate(input);
        Span<float> dz = _d[layers - 1];
        int k = y.Length;
        TensorPrimitives.Subtract(y, target, dz);
        float loss = TensorPrimitives.SumOfSquares(dz) / k;
        TensorPrimitives.Multiply(dz, 2f / k, dz);

        for (int l = layers - 1; l >= 0; l--)
        {
            int n = _sizes[l], m = _sizes[l + 1];
            Span<float> weights = _p.AsSpan(_weightOffset[l], n * m);
            ReadOnlySpan<float> x = l == 0 ? input : _a[l - 1];
            Span<float> below = l == 0 ? default : _d[l - 1];
            below.Clear();
            for (int j = 0; j < m; j++)
            {
                Span<float> row = weights.Slice(j * n, n);
                float d = dz[j];
                if (l > 0)
                {
                    // The slope passed back uses the weights before their step.
                    TensorPrimitives.MultiplyAdd(row, d, below, below);
                }

                TensorPrimitives.MultiplyAdd(x, -learningRate * d, row, row);
            }

            if (_bias[l])
            {
                Span<float> biases = _p.AsSpan(_biasOffset[l], m);
                TensorPrimitives.MultiplyAdd(dz, -learningRate, biases, biases);
            }

            if (l > 0)
            {
                // ReLU slope: keep the slope where the hidden value is positive. TensorPrimitives has no
                // masked select for this, so it is a scalar loop over the layer's units.
                float[] a = _a[l - 1];
                for (int i = 0; i < below.Length; i++)
                {
                    if (a[i] <= 0f)
                    {
                        below[i] = 0f;
                    }
                }

                dz = below;
            }
        }

        return loss;
    }
}
