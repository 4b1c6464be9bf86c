using System;

namespace NetGen.Benchmarks.Comparison;

/// <summary>
/// The plain-loops baseline: an MLP over float[] arrays with nested for loops, ReLU hidden layers and an identity
/// output, mean squared error, fused SGD step. The sizes are fields, not constants, as in a general-purpose class.
/// One parameter array in NetGen's layout (per layer: weights row-major [unit][input], then biases).
/// </summary>
public sealed class LoopsMlp
{
    private readonly int[] _sizes;
    private readonly bool[] _bias;
    private readonly int[] _weightOffset;
    private readonly int[] _biasOffset;
    private readonly float[] _p;
    private readonly float[][] _a;
    private readonly float[][] _d;

    public LoopsMlp(int[] sizes, bool[] bias)
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
        float[] p = _p;
        int layers = _sizes.Length - 1;
        ReadOnlySpan<float> x = input;
        for (int l = 0; l < layers; l++)
        {
            int n = _sizes[l], m = _sizes[l + 1];
            float[] a = _a[l];
            int w = _weightOffset[l], b = _biasOffset[l];
            for (int j = 0; j < m; j++)
            {
                float z = 0f;
                for (int i = 0; i < n; i++)
                {
                    z += p[w + j * n + i] * x[i];
                }

                if (_bias[l])
                {
                    z += p[b + j];
                }

                a[j] = l < layers - 1 && z <= 0f ? 0f : z;
            }

            x = a;
        }

        return _a[layers - 1];
    }

    public float TrainStep(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        float[] p = _p;
        int layers = _sizes.Length - 1;
        float[] y = Propagate(input);
        float[] dz = _d[layers - 1];
        int k = y.Length;
        float loss = 0f;
        for (int o = 0; o < k; o++)
        {
            float e = y[o] - target[o];
            loss += e * e;
            dz[o] = 2f / k * e;
        }

        for (int l = layers - 1; l >= 0; l--)
        {
            int n = _sizes[l], m = _sizes[l + 1];
            int w = _weightOffset[l], b = _biasOffset[l];
            ReadOnlySpan<float> x = l == 0 ? input : _a[l - 1];
            float[]? below = l == 0 ? null : _d[l - 1];
            if (below != null)
            {
                Array.Clear(below);
            }

            for (int j = 0; j < m; j++)
            {
                float d = dz[j];
                for (int i = 0; i < n; i++)
                {
                    int q = w + j * n + i;
                    if (below != null)
                    {
                        below[i] += d * p[q];
                    }

                    p[q] -= learningRate * (d * x[i]);
                }

                if (_bias[l])
                {
                    p[b + j] -= learningRate * d;
                }
            }

            if (below != null)
            {
                // ReLU slope: the hidden value is positive exactly where its input was.
                float[] a = _a[l - 1];
                for (int i = 0; i < n; i++)
                {
                    if (a[i] <= 0f)
                    {
                        below[i] = 0f;
                    }
                }

                dz = below;
            }
        }

        return loss / k;
    }
}
