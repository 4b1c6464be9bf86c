using System;
using System.Collections.Generic;
using System.Linq;
using NetGen;

namespace NetGen.Tests.Data;

/// <summary>
/// Dataset.Subset, Concat, StratifiedSplit, KFold and StratifiedKFold, held to their properties over many random
/// cases: every sample exactly once, the size and stratification bounds, the original order, and determinism.
/// </summary>
public class ValidationSplitTests
{
    // ---- Subset and Concat.

    [Fact]
    public void Subset_CopiesTheSamplesInTheGivenOrder_RepeatsIncluded()
    {
        Dataset<double> data = Numbered(6);
        Dataset<double> subset = data.Subset([4, 1, 4, 0]);

        Assert.Equal([4.0, 1, 4, 0], Ids(subset));
        Assert.Equal([104.0, 101, 104, 100], Enumerable.Range(0, 4).Select(i => subset.GetTarget(i)[0]));
        Assert.Equal(-4, subset.GetInput(0)[1]);
        Assert.Equal(0, data.Subset([]).Count);
    }

    [Fact]
    public void Subset_RejectsAnIndexOutOfRange_NamingItsPosition()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(3).Subset([0, 3]));
        Assert.Equal("indices", error.ParamName);
        Assert.Contains("Index 1 is 3", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(3).Subset([-1]));
    }

    [Fact]
    public void Concat_PutsTheDatasetsOneAfterAnother()
    {
        Dataset<double> all = Dataset<double>.Concat(Numbered(3), Numbered(0), Numbered(2));

        Assert.Equal([0.0, 1, 2, 0, 1], Ids(all));
        Assert.Equal(101, all.GetTarget(4)[0]);
        Assert.Equal((2, 1), (all.InputCount, all.OutputCount));
    }

    [Fact]
    public void Concat_RejectsNoDatasets_Null_AndOtherShapes()
    {
        Assert.Throws<ArgumentNullException>(() => Dataset<double>.Concat(null!));
        Assert.Throws<ArgumentNullException>(() => Dataset<double>.Concat(Numbered(1), null!));
        Assert.Equal("datasets", Assert.Throws<ArgumentException>(() => Dataset<double>.Concat()).ParamName);
        var other = new Dataset<double>(new double[3], new double[3], 1, 1);
        Assert.Equal("datasets", Assert.Throws<ArgumentException>(() => Dataset<double>.Concat(Numbered(3), other)).ParamName);
    }

    // ---- StratifiedSplit.

    public static TheoryData<int> Seeds() => new() { 1, 2, 3, 4, 5, 6, 7, 8 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void StratifiedSplit_IsAPartition_InOrder_WithEachClassWithinOneSampleOfItsShare(int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 25; round++)
        {
            int count = random.Next(2, 300);
            int[] labels = RandomLabels(random, count);
            double fraction = 0.05 + (0.9 * random.NextDouble());
            int expectedValidation = (int)Math.Round(count * fraction, MidpointRounding.AwayFromZero);
            if (expectedValidation == 0 || expectedValidation == count)
            {
                continue;
            }

            (Dataset<double> training, Dataset<double> validation) = Numbered(count).StratifiedSplit(labels, fraction, seed: round);

            double[] t = Ids(training), v = Ids(validation);
            Assert.Equal(expectedValidation, v.Length);
            Assert.Equal(Enumerable.Range(0, count).Select(i => (double)i), t.Concat(v).Order());
            Assert.Equal(t.Order(), t);
            Assert.Equal(v.Order(), v);
            foreach (int c in labels.Distinct())
            {
                long inClass = labels.Count(l => l == c);
                long held = v.Count(i => labels[(int)i] == c);

                // |held - inClass * V / n| < 1, in integers.
                Assert.True(Math.Abs((held * count) - (inClass * expectedValidation)) < count, $"n {count}, V {expectedValidation}, class {c}: {held} of {inClass}");
            }
        }
    }

    [Fact]
    public void StratifiedSplit_SameSeedSameSplit_OtherSeedOtherSplit()
    {
        int[] labels = RandomLabels(new Random(9), 60);
        Dataset<double> data = Numbered(60);
        Assert.Equal(Ids(data.StratifiedSplit(labels, 0.3, 5).Validation), Ids(data.StratifiedSplit(labels, 0.3, 5).Validation));
        Assert.NotEqual(Ids(data.StratifiedSplit(labels, 0.3, 5).Validation), Ids(data.StratifiedSplit(labels, 0.3, 6).Validation));
    }

    [Fact]
    public void StratifiedSplit_TakesTheClassesFromOneHotTargets_OrFromOneTargetSplitAtOneHalf()
    {
        var random = new Random(10);
        int[] labels = Enumerable.Range(0, 50).Select(_ => random.Next(4)).ToArray();
        double[] inputs = Enumerable.Range(0, 50).Select(i => (double)i).ToArray();
        var oneHot = new Dataset<double>(inputs, OneHot.Encode<double>(labels, 4), 1, 4);
        Assert.Equal(Ids(oneHot.StratifiedSplit(labels, 0.2, 3).Validation), Ids(oneHot.StratifiedSplit(0.2, 3).Validation));

        int[] binary = labels.Select(l => l % 2).ToArray();
        var single = new Dataset<double>(inputs, binary.Select(b => b == 1 ? 0.9 : 0.1).ToArray(), 1, 1);
        Assert.Equal(Ids(single.StratifiedSplit(binary, 0.2, 3).Validation), Ids(single.StratifiedSplit(0.2, 3).Validation));
    }

    [Fact]
    public void StratifiedSplit_GivesTheLargestRemaindersTheExtraSamples()
    {
        // 10 samples, V = 3: class 7 (5 samples) has quota 1.5, class 2 (3) 0.9, class 9 (2) 0.6. Floors 1, 0, 0
        // leave 2 to give: to 0.9 and 0.6 before 0.5, so 1, 1, 1.
        int[] labels = [7, 7, 2, 7, 9, 2, 7, 2, 9, 7];
        for (int seed = 0; seed < 20; seed++)
        {
            double[] v = Ids(Numbered(10).StratifiedSplit(labels, 0.3, seed).Validation);
            Assert.Equal([1, 1, 1], new[] { 2, 7, 9 }.Select(c => v.Count(i => labels[(int)i] == c)));
        }
    }

    [Fact]
    public void StratifiedSplit_RejectsBadArguments()
    {
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Numbered(4).StratifiedSplit([0, 1, 0], 0.5, 1)).ParamName);
        Assert.Equal("validationFraction", Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(4).StratifiedSplit([0, 1, 0, 1], 1.0, 1)).ParamName);
        Assert.Equal("validationFraction", Assert.Throws<ArgumentException>(() => Numbered(3).StratifiedSplit([0, 1, 0], 0.1, 1)).ParamName);
    }

    // ---- KFold and StratifiedKFold.

    [Theory]
    [MemberData(nameof(Seeds))]
    public void KFold_PutsEverySampleInExactlyOneValidationFold_OfSizesWithinOne(int seed)
    {
        var random = new Random(seed);
        for (int round = 0; round < 25; round++)
        {
            int count = random.Next(2, 200);
            int k = random.Next(2, Math.Min(count, 12) + 1);
            AssertFolds(Numbered(count).KFold(k, seed: round), count, k);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void StratifiedKFold_AlsoSpreadsEachClassOverTheFoldsWithinOne(int seed)
    {
        var random = new Random(seed + 100);
        for (int round = 0; round < 25; round++)
        {
            int count = random.Next(2, 200);
            int k = random.Next(2, Math.Min(count, 12) + 1);
            int[] labels = RandomLabels(random, count);
            IReadOnlyList<Fold> folds = Numbered(count).StratifiedKFold(labels, k, seed: round);
            AssertFolds(folds, count, k);
            foreach (int c in labels.Distinct())
            {
                int inClass = labels.Count(l => l == c);
                foreach (Fold fold in folds)
                {
                    int held = fold.ValidationIndices.ToArray().Count(i => labels[i] == c);
                    Assert.True(held == inClass / k || held == ((inClass + k - 1) / k), $"n {count}, k {k}, class {c} of {inClass}: {held} in {fold}");
                }
            }
        }
    }

    [Fact]
    public void KFold_HoldsOutConsecutiveRunsOfTheSeededFisherYatesPermutation()
    {
        // The documented algorithm, written out: 11 samples in 3 folds of 4, 4 and 3 positions of the permutation.
        int[] order = Enumerable.Range(0, 11).ToArray();
        var random = new DeterministicRandom(21);
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt32(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        IReadOnlyList<Fold> folds = Numbered(11).KFold(3, seed: 21);

        Assert.Equal(order[..4].Order(), folds[0].ValidationIndices.ToArray());
        Assert.Equal(order[4..8].Order(), folds[1].ValidationIndices.ToArray());
        Assert.Equal(order[8..].Order(), folds[2].ValidationIndices.ToArray());
    }

    [Fact]
    public void Folds_SameSeedSameFolds_OtherSeedOtherFolds()
    {
        Dataset<double> data = Numbered(40);
        int[] labels = RandomLabels(new Random(11), 40);
        Assert.Equal(Validation(data.KFold(4, 1)), Validation(data.KFold(4, 1)));
        Assert.NotEqual(Validation(data.KFold(4, 1)), Validation(data.KFold(4, 2)));
        Assert.Equal(Validation(data.StratifiedKFold(labels, 4, 1)), Validation(data.StratifiedKFold(labels, 4, 1)));
        Assert.NotEqual(Validation(data.StratifiedKFold(labels, 4, 1)), Validation(data.StratifiedKFold(labels, 4, 2)));
    }

    [Fact]
    public void StratifiedKFold_TakesTheClassesFromTheTargets()
    {
        var random = new Random(12);
        int[] labels = Enumerable.Range(0, 30).Select(_ => random.Next(3)).ToArray();
        var data = new Dataset<float>(new float[30], OneHot.Encode<float>(labels, 3), 1, 3);
        Assert.Equal(Validation(data.StratifiedKFold(labels, 5, 4)), Validation(data.StratifiedKFold(5, 4)));
    }

    [Fact]
    public void Folds_RejectBadArguments()
    {
        Assert.Equal("foldCount", Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(5).KFold(1, 0)).ParamName);
        Assert.Equal("foldCount", Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(5).KFold(6, 0)).ParamName);
        Assert.Equal("foldCount", Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(5).StratifiedKFold(0, 0)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => Numbered(5).StratifiedKFold([0, 1], 2, 0)).ParamName);
        Assert.Equal(5, Numbered(5).KFold(5, 0).Count); // leave-one-out
    }

    private static void AssertFolds(IReadOnlyList<Fold> folds, int count, int k)
    {
        Assert.Equal(k, folds.Count);
        var seen = new int[count];
        for (int f = 0; f < k; f++)
        {
            Fold fold = folds[f];
            int[] validation = fold.ValidationIndices.ToArray(), training = fold.TrainingIndices.ToArray();
            Assert.Equal(f, fold.Index);
            Assert.True(validation.Length == count / k || validation.Length == (count / k) + 1, $"n {count}, k {k}: {fold}");
            Assert.Equal(validation.Order(), validation);
            Assert.Equal(training.Order(), training);
            Assert.Equal(Enumerable.Range(0, count), validation.Concat(training).Order());
            foreach (int i in validation)
            {
                seen[i]++;
            }
        }

        Assert.All(seen, n => Assert.Equal(1, n));
    }

    /// <summary>Between 1 and 6 classes of uneven sizes, with arbitrary (also negative) label values.</summary>
    private static int[] RandomLabels(Random random, int count)
    {
        int[] values = Enumerable.Range(0, random.Next(1, 7)).Select(_ => random.Next(-5, 50)).Distinct().ToArray();
        double[] weights = values.Select(_ => random.NextDouble() + 0.05).ToArray();
        return Enumerable.Range(0, count).Select(_ =>
        {
            double u = random.NextDouble() * weights.Sum();
            int c = 0;
            while (c < values.Length - 1 && (u -= weights[c]) > 0)
            {
                c++;
            }

            return values[c];
        }).ToArray();
    }

    private static int[][] Validation(IReadOnlyList<Fold> folds) => folds.Select(f => f.ValidationIndices.ToArray()).ToArray();

    /// <summary>Samples numbered 0..n-1 (input [i, -i], target [100 + i]).</summary>
    private static Dataset<double> Numbered(int count) => new(
        Enumerable.Range(0, count).SelectMany(i => new double[] { i, -i }).ToArray(),
        Enumerable.Range(0, count).Select(i => 100.0 + i).ToArray(),
        2,
        1);

    private static double[] Ids(Dataset<double> data) => Enumerable.Range(0, data.Count).Select(i => data.GetInput(i)[0]).ToArray();
}
