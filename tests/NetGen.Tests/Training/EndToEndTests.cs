using System;
using System.Globalization;
using System.IO;
using System.Text;
using NetGen;

namespace NetGen.Tests.Training;

/// <summary>The whole path a user takes: CSV, labels, one-hot, split, standardise, train, evaluate, save, load.</summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "netgen-e2e-" + Guid.NewGuid().ToString("N"));

    public EndToEndTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void FromCsvToASavedSoftmaxClassifier()
    {
        string csv = Path.Combine(_directory, "three-classes.csv");
        File.WriteAllText(csv, ThreeClassCsv(300, seed: 1));

        NumericTable<float> table = NumericCsv.Read<float>(csv, hasHeader: true);
        Assert.Equal((300, 5), (table.RowCount, table.ColumnCount));
        NumericTable<float> features = table.SelectColumns(0, 4);
        float[] targets = OneHot.Encode<float>(table.GetLabels(4), 3);
        (Dataset<float> training, Dataset<float> validation) = new Dataset<float>(features.Values, targets, 4, 3).Split(0.2, seed: 2);
        Standardizer<float> standardizer = Standardizer<float>.Fit(training.Inputs.Span, 4);
        training = standardizer.Transform(training);
        validation = standardizer.Transform(validation);

        var network = new ThreeClassNet();
        TrainingHistory history = Trainer.Fit(network, training, new TrainingOptions<float>
        {
            Epochs = 20,
            BatchSize = 16,
            Seed = 3,
            Optimizer = new AdamOptimizer<float>(ThreeClassNet.ParameterCount, learningRate: 0.02),
            Validation = validation,
        });

        Assert.True(history[^1].ValidationAccuracy >= 0.95, $"validation accuracy {history[^1].ValidationAccuracy}");
        Assert.True(history[^1].TrainingLoss < history[0].TrainingLoss);

        string model = Path.Combine(_directory, "three-classes.ngp");
        ModelFile.Save(network, model);
        var restored = new ThreeClassNet();
        ModelFile.Load(restored, model);
        Assert.Equal(Trainer.Evaluate(network, validation), Trainer.Evaluate(restored, validation));
    }

    /// <summary>Three Gaussian-ish classes in 4 features of very different scales, with a header and a label column.</summary>
    private static string ThreeClassCsv(int rows, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("length,width,weight,age,label\n");
        for (int i = 0; i < rows; i++)
        {
            int label = i % 3;
            double Noise() => (random.NextDouble() + random.NextDouble() - 1) * 0.8;
            double[] row =
            [
                (label + Noise()) * 10,
                (label == 1 ? 1 : 0) + Noise(),
                ((label == 2 ? 1 : 0) + Noise()) * 1000,
                50 + (Noise() * 20),
            ];
            text.AppendLine(string.Join(',', Array.ConvertAll(row, v => v.ToString("R", CultureInfo.InvariantCulture))) + "," + label);
        }

        return text.ToString();
    }
}
