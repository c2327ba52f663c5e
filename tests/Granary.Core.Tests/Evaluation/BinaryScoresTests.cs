using Granary.Core.Evaluation;

namespace Granary.Core.Tests.Evaluation;

public sealed class BinaryScoresTests
{
    /// <summary>Scores on a coarse grid (many ties) with random 0/1 labels.</summary>
    private static (double[] Scores, double[] Labels) TiedData(int n, int seed, int levels = 7)
    {
        var random = new Random(seed);
        var scores = new double[n];
        var labels = new double[n];
        for (var i = 0; i < n; i++)
        {
            var level = random.Next(levels);
            scores[i] = (double)level / (levels - 1);
            labels[i] = random.NextDouble() < 0.25 + (0.5 * level / levels) ? 1 : 0;
        }

        return (scores, labels);
    }

    /// <summary>O(n²) Mann–Whitney: pairs ordered correctly count 1, tied pairs ½.</summary>
    private static double PairCountAuc(double[] scores, double[] labels)
    {
        double pairs = 0, positives = 0, negatives = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            positives += labels[i];
            negatives += 1 - labels[i];
            for (var j = 0; j < scores.Length; j++)
            {
                if (labels[i] == 1 && labels[j] == 0)
                {
                    pairs += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }

        return pairs / (positives * negatives);
    }

    /// <summary>Splits rows into chunks at the given cut points (cuts may repeat, giving empty chunks) and merges.</summary>
    private static BinaryScores Chunked(double[] scores, double[] labels, int[] cuts, double[]? weights = null)
    {
        var parts = new List<BinaryScores>();
        var start = 0;
        foreach (var end in cuts.Append(scores.Length))
        {
            parts.Add(BinaryScores.FromChunk(scores.AsSpan(start, end - start), labels.AsSpan(start, end - start), weights is null ? default : weights.AsSpan(start, end - start)));
            start = end;
        }

        return BinaryScores.Merge(parts);
    }

    [Fact]
    public void RocAuc_SmallDataWithTies_EqualsPairCount()
    {
        var (scores, labels) = TiedData(300, seed: 1);

        var merged = Chunked(scores, labels, [17, 17, 150, 299]);

        Assert.True(merged.DistinctScores <= 7);
        Assert.Equal(PairCountAuc(scores, labels), merged.RocAuc());
    }

    [Fact]
    public void RocAuc_AnyChunkSplit_IdenticalBits()
    {
        var (scores, labels) = TiedData(2_000, seed: 2, levels: 50);
        var whole = BinaryScores.FromChunk(scores, labels).RocAuc();
        var random = new Random(3);

        for (var trial = 0; trial < 20; trial++)
        {
            // Uneven cut points, some repeated (empty chunks); 12+ chunks exercise the heap merge.
            var cuts = Enumerable.Range(0, 1 + random.Next(20)).Select(_ => random.Next(scores.Length + 1)).Order().ToArray();
            var merged = Chunked(scores, labels, cuts);
            Assert.Equal(whole, merged.RocAuc());
            Assert.Equal(BinaryScores.FromChunk(scores, labels).PrAuc(), merged.PrAuc());
        }
    }

    [Fact]
    public void Merge_NestedMerges_SameRunAsFlatMerge()
    {
        var (scores, labels) = TiedData(500, seed: 4, levels: 30);
        var parts = Enumerable.Range(0, 12).Select(k => BinaryScores.FromChunk(scores.AsSpan(k * 40, 40), labels.AsSpan(k * 40, 40))).ToList();

        var flat = BinaryScores.Merge(parts);
        var nested = BinaryScores.Merge([BinaryScores.Merge(parts[..5]), BinaryScores.Merge(parts[5..])]);

        // Unit weights sum exactly in any association; the log-loss sums need not, so compare the runs.
        Assert.Equal(flat.Scores.ToArray(), nested.Scores.ToArray());
        Assert.Equal(flat.PositiveWeights.ToArray(), nested.PositiveWeights.ToArray());
        Assert.Equal(flat.NegativeWeights.ToArray(), nested.NegativeWeights.ToArray());
        Assert.Equal(flat.RocAuc(), nested.RocAuc());
    }

    [Fact]
    public void RocAuc_IntegerWeights_EqualsReplicatedRows()
    {
        double[] scores = [0.1, 0.4, 0.4, 0.8, 0.35];
        double[] labels = [0, 1, 0, 1, 0];
        double[] weights = [2, 3, 1, 1, 0];
        var replicated = scores.SelectMany((s, i) => Enumerable.Repeat(s, (int)weights[i])).ToArray();
        var replicatedLabels = labels.SelectMany((y, i) => Enumerable.Repeat(y, (int)weights[i])).ToArray();

        var weighted = BinaryScores.FromChunk(scores, labels, weights);

        Assert.Equal(PairCountAuc(replicated, replicatedLabels), weighted.RocAuc());
        Assert.Equal(4, weighted.Rows); // the zero-weight row is dropped
    }

    [Fact]
    public void PrAuc_HandExample_IsAveragePrecision()
    {
        // Descending: 0.9+ | 0.8− | 0.7+,0.7− (tie) | 0.3+ | 0.1−; P = 3.
        // AP = ⅓·1 + ⅓·(2/4) + ⅓·(3/5) = 0.7.
        double[] scores = [0.7, 0.1, 0.9, 0.3, 0.8, 0.7];
        double[] labels = [1, 0, 1, 1, 0, 0];

        var partial = Chunked(scores, labels, [2, 2, 5]);

        Assert.Equal(0.7, partial.PrAuc()!.Value, 1e-15);
        Assert.Equal(DirectAveragePrecision(scores, labels), partial.PrAuc()!.Value, 1e-15);
    }

    private static double DirectAveragePrecision(double[] scores, double[] labels)
    {
        var positives = labels.Sum();
        double ap = 0, previousRecall = 0;
        foreach (var t in scores.Distinct().OrderDescending())
        {
            var tp = scores.Where((s, i) => s >= t && labels[i] == 1).Count();
            var fp = scores.Where((s, i) => s >= t && labels[i] == 0).Count();
            var recall = tp / positives;
            ap += (recall - previousRecall) * tp / (tp + fp);
            previousRecall = recall;
        }

        return ap;
    }

    [Fact]
    public void LogLoss_Probabilities_EqualsDirectClippedSum()
    {
        double[] scores = [0.0, 1.0, 0.3, 0.99, 0.5, 1e-20];
        double[] labels = [1, 1, 0, 1, 0, 0];
        double[] weights = [1, 2, 0.5, 1, 3, 1];
        double direct = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var p = Math.Min(Math.Max(scores[i], 1e-15), 1 - 1e-15);
            direct -= weights[i] * (labels[i] == 1 ? Math.Log(p) : Math.Log(1 - p));
        }

        var partial = Chunked(scores, labels, [1, 4], weights);

        Assert.Equal(direct / weights.Sum(), partial.LogLoss!.Value, 1e-12);
    }

    [Fact]
    public void LogLoss_ScoresOutsideUnitInterval_IsNull()
    {
        var margins = BinaryScores.FromChunk([-2.0, 3.0], [0, 1]);
        var merged = BinaryScores.Merge([margins, BinaryScores.FromChunk([0.2], [1])]);

        Assert.Null(merged.LogLoss);
        Assert.Equal(1.0, merged.RocAuc());
    }

    [Fact]
    public void ConfusionAt_ScoreEqualToThreshold_CountsAsPositive()
    {
        var partial = BinaryScores.FromChunk([0.2, 0.5, 0.5, 0.7, 0.4], [0, 1, 0, 1, 1]);

        var confusion = partial.ConfusionAt(0.5);

        Assert.Equal(new BinaryConfusion(0.5, TruePositive: 2, FalsePositive: 1, TrueNegative: 1, FalseNegative: 1), confusion);
    }

    [Fact]
    public void RocAuc_SingleClassOrEmpty_IsNull()
    {
        var allPositive = BinaryScores.FromChunk([0.1, 0.9], [1, 1]);
        var allNegative = BinaryScores.FromChunk([0.1, 0.9], [0, 0]);

        Assert.Null(allPositive.RocAuc());
        Assert.Equal(1.0, allPositive.PrAuc());
        Assert.Empty(allPositive.RocCurve());
        Assert.Null(allNegative.RocAuc());
        Assert.Null(allNegative.PrAuc());
        Assert.Empty(allNegative.PrCurve());
        Assert.Null(BinaryScores.Empty.RocAuc());
        Assert.Null(BinaryScores.Empty.LogLoss);
    }

    [Fact]
    public void FromChunk_NegativeAndPositiveZero_FormOneTie()
    {
        var partial = BinaryScores.FromChunk([-0.0, 0.0], [1, 0]);

        Assert.Equal(1, partial.DistinctScores);
        Assert.Equal(0.5, partial.RocAuc());
    }

    [Fact]
    public void FromChunk_InvalidLabelOrNaN_Throws()
    {
        Assert.Throws<ArgumentException>(() => BinaryScores.FromChunk([0.5], [2]));
        Assert.Throws<ArgumentException>(() => BinaryScores.FromChunk([double.NaN], [1]));
        Assert.Throws<ArgumentException>(() => BinaryScores.FromChunk([0.5], [1], [-1]));
    }

    [Fact]
    public void RocCurve_Thinned_KeepsEndsAndFullCurveMatchesAuc()
    {
        var (scores, labels) = TiedData(5_000, seed: 5, levels: 1_000);
        var partial = BinaryScores.FromChunk(scores, labels);

        var thin = partial.RocCurve(50);
        var full = partial.RocCurve(int.MaxValue);
        double trapezoid = 0;
        for (var k = 1; k < full.Count; k++)
        {
            trapezoid += (full[k].FalsePositiveRate - full[k - 1].FalsePositiveRate) * (full[k].TruePositiveRate + full[k - 1].TruePositiveRate) / 2;
        }

        Assert.Equal(50, thin.Count);
        Assert.Equal(new RocPoint(0, 0, null), thin[0]);
        Assert.Equal((1.0, 1.0), (thin[^1].FalsePositiveRate, thin[^1].TruePositiveRate));
        Assert.Equal(partial.RocAuc()!.Value, trapezoid, 1e-12);
        Assert.True(partial.PrCurve(50).Count <= 50);
    }

    [Fact]
    public void Serialize_RoundTrip_PreservesRunAndMetrics()
    {
        var (scores, labels) = TiedData(1_000, seed: 6, levels: 100);
        var partial = BinaryScores.FromChunk(scores, labels);

        var bytes = partial.Serialize();
        var copy = BinaryScores.Deserialize(bytes);

        Assert.Equal(bytes, copy.Serialize());
        Assert.True(bytes.Length < 30 + (24 * partial.DistinctScores));
        Assert.Equal(partial.RocAuc(), copy.RocAuc());
        Assert.Equal(partial.PrAuc(), copy.PrAuc());
        Assert.Equal(partial.LogLoss, copy.LogLoss);
        Assert.Equal(partial.Rows, copy.Rows);
    }

    [Fact]
    public void Deserialize_WrongVersionOrTruncated_Throws()
    {
        var bytes = BinaryScores.FromChunk([0.1, 0.2], [0, 1]).Serialize();
        var badVersion = bytes.ToArray();
        badVersion[0] = 99;

        Assert.Throws<InvalidDataException>(() => BinaryScores.Deserialize(badVersion));
        Assert.Throws<InvalidDataException>(() => BinaryScores.Deserialize(bytes.AsSpan(0, bytes.Length - 1)));
    }

    [Fact]
    public void Merge_FewSharedScores_SerializesOnlyTheRun()
    {
        var merged = BinaryScores.Merge([BinaryScores.FromChunk([0.1, 0.2, 0.3], [0, 1, 0]), BinaryScores.FromChunk([0.3, 0.4], [1, 1])]);

        var copy = BinaryScores.Deserialize(merged.Serialize());

        Assert.Equal([0.1, 0.2, 0.3, 0.4], copy.Scores.ToArray());
        Assert.Equal([0.0, 1.0, 1.0, 1.0], copy.PositiveWeights.ToArray());
        Assert.Equal(merged.RocAuc(), copy.RocAuc());
        Assert.Equal(5, copy.Rows);
    }

    [Fact]
    public void RocAuc_LargeTiedData_EqualsIntegerMannWhitney()
    {
        var (scores, labels) = TiedData(200_000, seed: 12, levels: 1_000);
        // Independent exact count in integers: 2U = Σ over negatives of (2·positives above + positives tied).
        var positivesAt = new long[1_000];
        var negativesAt = new long[1_000];
        for (var i = 0; i < scores.Length; i++)
        {
            var level = (int)Math.Round(scores[i] * 999);
            _ = labels[i] == 1 ? positivesAt[level]++ : negativesAt[level]++;
        }

        long twiceU = 0, above = 0;
        for (var level = 999; level >= 0; level--)
        {
            twiceU += negativesAt[level] * ((2 * above) + positivesAt[level]);
            above += positivesAt[level];
        }

        var expected = twiceU / (2.0 * positivesAt.Sum() * negativesAt.Sum());

        Assert.Equal(expected, Chunked(scores, labels, [1, 65_536, 65_536, 150_000]).RocAuc());
    }

    [Fact]
    public void RocAuc_FractionalWeights_MatchesWeightedPairCountInAnySplit()
    {
        var (scores, labels) = TiedData(400, seed: 13, levels: 9);
        var random = new Random(14);
        var weights = scores.Select(_ => random.NextDouble() * 3).ToArray();
        double pairs = 0, positive = 0, negative = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            positive += labels[i] * weights[i];
            negative += (1 - labels[i]) * weights[i];
            for (var j = 0; j < scores.Length; j++)
            {
                if (labels[i] == 1 && labels[j] == 0)
                {
                    pairs += weights[i] * weights[j] * (scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0);
                }
            }
        }

        var expected = pairs / (positive * negative);

        Assert.Equal(expected, BinaryScores.FromChunk(scores, labels, weights).RocAuc()!.Value, 1e-12);
        Assert.Equal(expected, Chunked(scores, labels, [0, 3, 3, 200, 399], weights).RocAuc()!.Value, 1e-12);
    }
}
