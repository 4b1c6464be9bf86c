using System;
using System.Numerics;
using System.Text.RegularExpressions;
using NetGen.Tests.Support;

namespace NetGen.Tests;

/// <summary>
/// A wrong span length throws ArgumentException naming the expected and the actual length, before
/// anything is written: Parameters, Gradients and the caller's output stay bit for bit as they were.
/// </summary>
public sealed class ArgumentTests
{
    [Theory]
    [MemberData(nameof(NetworkCatalog.Names), MemberType = typeof(NetworkCatalog))]
    public void Wrong_lengths_throw_naming_expected_and_actual_and_change_nothing(string name) =>
        NetworkCatalog.Get(name).Accept(new Visitor());

    [Fact]
    public void The_check_would_see_a_message_without_the_actual_length()
    {
        // The assertion helper itself must be able to fail.
        var e = new ArgumentException("The span must have length 3.", "input");
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertNames(e, "input", expected: 3, actual: 4, "self-test"));
    }

    private static void AssertNames(ArgumentException e, string parameter, int expected, int actual, string where)
    {
        Assert.True(e.ParamName == parameter, $"{where}: ParamName '{e.ParamName}', expected '{parameter}'");
        Assert.True(HasNumber(e.Message, expected), $"{where}: the message does not name the expected length {expected}: {e.Message}");
        Assert.True(HasNumber(e.Message, actual), $"{where}: the message does not name the actual length {actual}: {e.Message}");
    }

    private static bool HasNumber(string message, int number) =>
        Regex.IsMatch(message, $@"(?<![\d.]){number}(?![\d])");

    private sealed class Visitor : INetworkVisitor
    {
        public void Visit<T>(NetworkCase<T> network)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new Random(11);
            INetwork<T> net = network.Create();
            TestData.RandomizeParameters(net, random);
            TestData.Fill(net.Gradients, random);
            T[] parameters = net.Parameters.ToArray();
            T[] gradients = net.Gradients.ToArray();
            int inputs = network.Inputs, outputs = network.Outputs;
            T rate = T.CreateChecked(0.1);

            void Expect(string what, string parameter, int expected, int actual, Action call, T[]? untouched = null)
            {
                T[]? before = untouched?.Clone() as T[];
                ArgumentException e = Assert.Throws<ArgumentException>(call);
                string where = $"{network.Name}.{what}";
                AssertNames(e, parameter, expected, actual, where);
                Bits.Equal<T>(parameters, net.Parameters, $"{where}: Parameters");
                Bits.Equal<T>(gradients, net.Gradients, $"{where}: Gradients");
                if (untouched is not null)
                {
                    Bits.Equal<T>(before!, untouched, $"{where}: the output span");
                }
            }

            foreach (int wrong in new[] { 0, inputs - 1, inputs + 1, 2 * inputs })
            {
                T[] x = TestData.Array<T>(wrong, random);
                T[] y = new T[outputs];
                T[] t = TestData.Array<T>(outputs, random);
                TestData.FillSentinel<T>(y);
                Expect($"Forward(input of {wrong})", "input", inputs, wrong, () => net.Forward(x, y), y);
                Expect($"Loss(input of {wrong})", "input", inputs, wrong, () => net.Loss(x, t));
                Expect($"Backward(input of {wrong})", "input", inputs, wrong, () => net.Backward(x, t));
                Expect($"TrainStep(input of {wrong})", "input", inputs, wrong, () => net.TrainStep(x, t, rate));
            }

            foreach (int wrong in new[] { 0, outputs + 1, outputs + 2 })
            {
                T[] x = TestData.Array<T>(inputs, random);
                T[] y = new T[wrong];
                T[] t = TestData.Array<T>(wrong, random);
                TestData.FillSentinel<T>(y);
                Expect($"Forward(output of {wrong})", "output", outputs, wrong, () => net.Forward(x, y), y);
                Expect($"Loss(target of {wrong})", "target", outputs, wrong, () => net.Loss(x, t));
                Expect($"Backward(target of {wrong})", "target", outputs, wrong, () => net.Backward(x, t));
                Expect($"TrainStep(target of {wrong})", "target", outputs, wrong, () => net.TrainStep(x, t, rate));
            }

            // A batch: the inputs must be a positive multiple of InputCount (the message names InputCount and the
            // length given); the targets must hold as many samples (it names the length they need and the length given).
            foreach (int wrong in new[] { 0, inputs + 1, (3 * inputs) - 1 })
            {
                T[] x = TestData.Array<T>(wrong, random);
                T[] t = TestData.Array<T>(outputs, random);
                Expect($"TrainBatch(inputs of {wrong})", "inputs", inputs, wrong, () => net.TrainBatch(x, t, rate));
            }

            foreach ((int samples, int wrong) in new[] { (1, 0), (1, outputs + 1), (2, outputs), (3, (3 * outputs) + 1) })
            {
                T[] x = TestData.Array<T>(samples * inputs, random);
                T[] t = TestData.Array<T>(wrong, random);
                Expect($"TrainBatch({samples} samples, targets of {wrong})", "targets", samples * outputs, wrong, () => net.TrainBatch(x, t, rate));
            }
        }
    }
}
