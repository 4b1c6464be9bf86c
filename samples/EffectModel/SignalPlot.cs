using System;

namespace EffectModel;

/// <summary>A stretch of input, target and the model's output, as a PNG.</summary>
internal static class SignalPlot
{
    /// <summary>Plots 10 ms around the loudest sample of the target (the hardest-driven stretch).</summary>
    public static void Save(float[] input, float[] target, float[] output, string path, string title)
    {
        const int Length = Audio.SampleRate / 100;
        int loudest = 0;
        for (int i = 1; i < target.Length; i++)
        {
            if (Math.Abs(target[i]) > Math.Abs(target[loudest]))
            {
                loudest = i;
            }
        }

        int start = Math.Clamp(loudest - (Length / 2), 0, Math.Max(0, target.Length - Length));
        int count = Math.Min(Length, target.Length - start);
        var milliseconds = new double[count];
        double[] x = new double[count], y = new double[count], yhat = new double[count];
        for (int i = 0; i < count; i++)
        {
            milliseconds[i] = 1000.0 * (start + i) / Audio.SampleRate;
            x[i] = input[start + i];
            y[i] = target[start + i];
            yhat[i] = output[start + i];
        }

        var plot = new ScottPlot.Plot();
        plot.Title(title);
        plot.XLabel("time in the held-out audio (ms)");
        plot.YLabel("sample value");
        Add(plot, milliseconds, x, "input (clean)", 1);
        Add(plot, milliseconds, y, "target (sox overdrive 20 lowpass 3000)", 2);
        Add(plot, milliseconds, yhat, "model output", 1.5f).LinePattern = ScottPlot.LinePattern.Dashed;
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(path, 1000, 500);
    }

    private static ScottPlot.Plottables.Scatter Add(ScottPlot.Plot plot, double[] xs, double[] ys, string label, float width)
    {
        ScottPlot.Plottables.Scatter line = plot.Add.Scatter(xs, ys);
        line.LegendText = label;
        line.MarkerSize = 0;
        line.LineWidth = width;
        return line;
    }
}
