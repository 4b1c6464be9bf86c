using System;
using NetGen;

namespace NetGen.Tests.Optimizers;

/// <summary>The optimizers' argument checks, their all-or-nothing behaviour on bad input, and allocation-free steps.</summary>
public class OptimizerContractTests
{
    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void BadLearningRate_Throws(double learningRate)
    {
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer<float>(3, learningRate)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer<float>(3, learningRate)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamWOptimizer<float>(3, learningRate)).ParamName);
    }

    [Fact]
    public void BadLearningRate_ViaTheSetter_ThrowsAndKeepsTheOldValue()
    {
        IOptimizer<double>[] optimizers = [new SgdOptimizer<double>(2, 0.5), new AdamOptimizer<double>(2, 0.5), new AdamWOptimizer<double>(2, 0.5)];
        foreach (IOptimizer<double> optimizer in optimizers)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = -1);
            Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = double.NaN);
            Assert.Equal(0.5, optimizer.LearningRate);
        }
    }

    [Fact]
    public void BadParameterCount_Throws()
    {
        Assert.Equal("parameterCount", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer<float>(0, 0.1)).ParamName);
        Assert.Equal("parameterCount", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer<float>(-1)).ParamName);
        Assert.Equal("parameterCount", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamWOptimizer<float>(0)).ParamName);
    }

    [Fact]
    public void BadSgdHyperParameters_ThrowNamingTheParameter()
    {
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer<float>(3, 0.1, momentum: -0.5)).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer<float>(3, 0.1, momentum: double.NaN)).ParamName);
        Assert.Equal("dampening", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer<float>(3, 0.1, momentum: 0.9, dampening: 1.5)).ParamName);
        Assert.Equal("dampening", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer<float>(3, 0.1, dampening: -0.1)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer<float>(3, 0.1, weightDecay: -1e-4)).ParamName);
    }

    [Fact]
    public void Nesterov_NeedsMomentumAndNoDampening()
    {
        ArgumentException noMomentum = Assert.Throws<ArgumentException>(() => new SgdOptimizer<float>(3, 0.1, nesterov: true));
        Assert.Equal("nesterov", noMomentum.ParamName);
        Assert.Contains("momentum", noMomentum.Message);
        ArgumentException dampened = Assert.Throws<ArgumentException>(() => new SgdOptimizer<float>(3, 0.1, momentum: 0.9, dampening: 0.1, nesterov: true));
        Assert.Equal("nesterov", dampened.ParamName);
    }

    [Fact]
    public void BadAdamHyperParameters_ThrowNamingTheParameter()
    {
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer<float>(3, beta1: 1.0)).ParamName);
        Assert.Equal("beta1", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamWOptimizer<float>(3, beta1: -0.1)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer<float>(3, beta2: 1.5)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamWOptimizer<float>(3, beta2: double.NaN)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer<float>(3, epsilon: -1e-8)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer<float>(3, weightDecay: -0.01)).ParamName);
        Assert.Equal("weightDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamWOptimizer<float>(3, weightDecay: double.PositiveInfinity)).ParamName);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("sgd-momentum")]
    [InlineData("sgd-nesterov")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void WrongLength_ThrowsNamingTheSpan_AndWritesNothing(string kind)
    {
        IOptimizer<double> optimizer = OptimizerRulesTests.Create(kind);
        double[] parameters = [1.0, 2.0, 3.0];
        double[] gradients = [0.5, 0.5, 0.5];

        ArgumentException shortParameters = Assert.Throws<ArgumentException>(() => optimizer.Step(parameters.AsSpan(0, 2), gradients));
        Assert.Equal("parameters", shortParameters.ParamName);
        Assert.Contains("3", shortParameters.Message);
        Assert.Contains("2", shortParameters.Message);
        ArgumentException longGradients = Assert.Throws<ArgumentException>(() => optimizer.Step(parameters, new double[4]));
        Assert.Equal("gradients", longGradients.ParamName);
        Assert.Equal([1.0, 2.0, 3.0], parameters);

        // The state did not move either: the next step is the first step of a fresh optimizer.
        double[] fresh = [1.0, 2.0, 3.0];
        OptimizerRulesTests.Create(kind).Step(fresh, gradients);
        optimizer.Step(parameters, gradients);
        Assert.Equal(fresh, parameters);
    }

    [Fact]
    public void Step_AllocatesNothing()
    {
        const int count = 1000;
        IOptimizer<float>[] floats =
        [
            new SgdOptimizer<float>(count, 0.01),
            new SgdOptimizer<float>(count, 0.01, momentum: 0.9, dampening: 0.1, weightDecay: 1e-4),
            new SgdOptimizer<float>(count, 0.01, momentum: 0.9, nesterov: true),
            new AdamOptimizer<float>(count, weightDecay: 1e-4),
            new AdamWOptimizer<float>(count),
        ];
        IOptimizer<double>[] doubles =
        [
            new SgdOptimizer<double>(count, 0.01),
            new SgdOptimizer<double>(count, 0.01, momentum: 0.9, dampening: 0.1, weightDecay: 1e-4),
            new SgdOptimizer<double>(count, 0.01, momentum: 0.9, nesterov: true),
            new AdamOptimizer<double>(count, weightDecay: 1e-4),
            new AdamWOptimizer<double>(count),
        ];
        float[] pf = new float[count], gf = new float[count];
        double[] pd = new double[count], gd = new double[count];
        gf.AsSpan().Fill(0.25f);
        gd.AsSpan().Fill(0.25);

        foreach (IOptimizer<float> optimizer in floats)
        {
            optimizer.Step(pf, gf); // first step: JIT and the momentum buffer's first fill
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                optimizer.Step(pf, gf);
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        foreach (IOptimizer<double> optimizer in doubles)
        {
            optimizer.Step(pd, gd);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                optimizer.Step(pd, gd);
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }
}
