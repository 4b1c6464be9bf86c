using System.Linq;
using NetGen;

namespace Digits;

/// <summary>Loss and accuracy per epoch, as a PNG.</summary>
internal static class TrainingPlot
{
    public static void Save(TrainingHistory history, string path, string title)
    {
        double[] epochs = history.Select(e => (double)e.Epoch).ToArray();
        var plot = new ScottPlot.Plot();
        plot.Title(title);
        plot.XLabel("epoch");

        var trainingLoss = plot.Add.Scatter(epochs, history.Select(e => e.TrainingLoss).ToArray());
        trainingLoss.LegendText = "training loss";
        var heldOutLoss = plot.Add.Scatter(epochs, history.Select(e => e.ValidationLoss).ToArray());
        heldOutLoss.LegendText = "held-out loss";
        plot.Axes.Left.Label.Text = "cross-entropy loss";

        // Accuracy on the right-hand axis, in percent.
        var accuracy = plot.Add.Scatter(epochs, history.Select(e => 100 * e.ValidationAccuracy).ToArray());
        accuracy.LegendText = "held-out accuracy (%)";
        accuracy.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.Label.Text = "accuracy (%)";

        plot.ShowLegend(ScottPlot.Alignment.MiddleRight);
        plot.SavePng(path, 900, 500);
    }
}
