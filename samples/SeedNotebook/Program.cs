using System;
using System.Globalization;
using System.Linq;
using SeedNotebook;

// Walks through the seed notebook with generated networks, printing each figure beside the notebook's.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int mismatches = 0;

Console.WriteLine("NetGen seed notebook: every figure computed by generated code, beside the notebook's value.");
Console.WriteLine();

Console.WriteLine("1. A 2 -> 2 -> 1 network, weights [2,1, 1,2, 1,1], input [0,3], target 3");
var first = new TwoTwoOne();
new double[] { 2, 1, 1, 2, 1, 1 }.CopyTo(first.Parameters);
double prediction = first.Predict(0, 3);
Show("prediction", prediction, 9);
Show("error (prediction - target)", prediction - 3, 6);
new double[] { 2, 1, 1, 1, 0.5, 0.5 }.CopyTo(first.Parameters);
prediction = first.Predict(0, 3);
Console.WriteLine("   with weights [2,1, 1,1, 0.5,0.5]:");
Show("prediction", prediction, 3);
Show("error", prediction - 3, 0);
Console.WriteLine();

Console.WriteLine("2. A 3 -> 1 network, weights [0,2,1], input [1,2,3], target 0, learning rate 0.01");
var second = new ThreeToOne();
new double[] { 0, 2, 1 }.CopyTo(second.Parameters);
Show("prediction", second.Predict(1, 2, 3), 7);
second.ZeroGradients();
second.Backward([1, 2, 3], [0]);
ShowAll("slopes of the loss", second.Gradients.ToArray(), [14, 28, 42]);
second.TrainStep([1, 2, 3], [0], 0.01);
ShowAll("weights after one step", second.Parameters.ToArray(), [-0.14, 1.72, 0.58]);
Show("prediction after one step", second.Predict(1, 2, 3), 5.04);
Console.WriteLine();

Console.WriteLine("3. One weight, 2, input 3, target 10, learning rate 0.01");
var third = new OneWeight();
third.Parameters[0] = 2;
Show("error", third.Predict(3) - 10, -4);
third.ZeroGradients();
third.Backward([3], [10]);
Show("slope of the loss", third.Gradients[0], -24);
third.TrainStep([3], [10], 0.01);
Show("new weight", third.Parameters[0], 2.24);
Console.WriteLine();

Console.WriteLine("4. Backpropagation: 2 -> 2 (ReLU) -> 1, first layer [1,0, 0,1], output weights [1,2], input [1,3], target 4");
var seed = new SeedNet();
new double[] { 1, 0, 0, 1, 1, 2 }.CopyTo(seed.Parameters);
prediction = seed.Predict(1, 3);
Show("error", prediction - 4, 3);
seed.ZeroGradients();
seed.Backward([1, 3], [4]);
ShowAll("output-weight slopes", seed.Gradients[4..].ToArray(), [6, 18]);
ShowAll("first-layer slopes", seed.Gradients[..4].ToArray(), [6, 18, 12, 36]);
new double[] { 1, 0, 0, -1, 1, 2 }.CopyTo(seed.Parameters);
seed.ZeroGradients();
seed.Backward([1, 3], [4]);
Console.WriteLine("   with the second hidden node's weight -1 its input is -3, so it passes back 0:");
ShowAll("its weights' slopes", seed.Gradients[2..4].ToArray(), [0, 0]);
Console.WriteLine();

Console.WriteLine(mismatches == 0 ? "Every figure matches the notebook." : $"{mismatches} figure(s) differ from the notebook.");
return mismatches == 0 ? 0 : 1;

void Show(string what, double actual, double notebook)
{
    bool same = Math.Abs(actual - notebook) <= 1e-12;
    mismatches += same ? 0 : 1;
    Console.WriteLine($"   {what,-30} {Round(actual),12}   notebook {Round(notebook),8}   {(same ? "ok" : "DIFFERENT")}");
}

void ShowAll(string what, double[] actual, double[] notebook)
{
    bool same = actual.Length == notebook.Length && actual.Zip(notebook).All(p => Math.Abs(p.First - p.Second) <= 1e-12);
    mismatches += same ? 0 : 1;
    Console.WriteLine($"   {what,-30} [{string.Join(", ", actual.Select(Round))}]   notebook [{string.Join(", ", notebook)}]   {(same ? "ok" : "DIFFERENT")}");
}

static string Round(double value) => Math.Round(value, 10).ToString(CultureInfo.InvariantCulture);
