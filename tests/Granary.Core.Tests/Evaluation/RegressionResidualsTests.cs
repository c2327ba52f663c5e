using Granary.Core.Evaluation;

namespace Granary.Core.Tests.Evaluation;

public sealed class RegressionResidualsTests
{
    private static (double[] Predictions, double[] Labels, double[] Weights) Data(int n, int seed, double offset = 0)
    {
        var random = new Random(seed);
        var labels = Enumerable.Range(0, n).Select(_ => offset + (random.NextDouble() * 10)).ToArray();
        var predictions = labels.Select(y => y + ((random.NextDouble() - 0.5) * 4)).ToArray();
        var weights = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2).ToArray();
        return (predictions, labels, weights);
    }

    [Fact]
    public void Metrics_ChunkedAndMerged_MatchDirectTwoPass()
    {
        var (pred, y, w) = Data(3_000, seed: 8, offset: 1e6);
        var weight = w.Sum();
        var mean = y.Select((v, i) => w[i] * v).Sum() / weight;
        var sst = y.Select((v, i) => w[i] * (v - mean) * (v - mean)).Sum();
        var sse = y.Select((v, i) => w[i] * (pred[i] - v) * (pred[i] - v)).Sum();
        var sae = y.Select((v, i) => w[i] * Math.Abs(pred[i] - v)).Sum();

        var merged = RegressionResiduals.ForLabelStd(2.9);
        foreach (var (start, length) in new[] { (0, 1), (1, 0), (1, 1_500), (1_501, 1_499) })
        {
            merged.AddChunk(pred.AsSpan(start, length), y.AsSpan(start, length), w.AsSpan(start, length));
        }

        Assert.Equal(Math.Sqrt(sse / weight), merged.Rmse!.Value, 1e-12);
        Assert.Equal(sae / weight, merged.Mae!.Value, 1e-12);
        Assert.Equal(1 - (sse / sst), merged.R2!.Value, 1e-10);
        Assert.Equal(pred.Select((p, i) => p - y[i]).Min(), merged.MinResidual);
        Assert.Equal(3_000, merged.Rows);
    }

    [Fact]
    public void Histogram_Merged_EqualsDirectBinning()
    {
        var (pred, y, _) = Data(2_000, seed: 9);
        var merged = new RegressionResiduals(-1.5, 1.5, 6);
        merged.AddChunk(pred.AsSpan(0, 700), y.AsSpan(0, 700));
        var second = new RegressionResiduals(-1.5, 1.5, 6);
        second.AddChunk(pred.AsSpan(700), y.AsSpan(700));
        merged.Add(second);

        var residuals = pred.Select((p, i) => p - y[i]).ToArray();
        Assert.Equal(residuals.Count(r => r < -1.5), merged.Underflow);
        Assert.Equal(residuals.Count(r => r >= 1.5), merged.Overflow);
        for (var b = 0; b < 6; b++)
        {
            var lower = -1.5 + (b * 0.5);
            Assert.Equal(residuals.Count(r => r >= lower && r < lower + 0.5), merged.BinWeight(b));
        }
    }

    [Fact]
    public void R2_ConstantLabels_IsNull()
    {
        var residuals = RegressionResiduals.ForLabelStd(0);
        residuals.AddChunk([1.0, 2.0], [3.0, 3.0]);

        Assert.Null(residuals.R2);
        Assert.Equal(Math.Sqrt(2.5), residuals.Rmse);
        Assert.Null(new RegressionResiduals(-1, 1).Rmse);
    }

    [Fact]
    public void Serialize_RoundTrip_PreservesEverything()
    {
        var (pred, y, w) = Data(100, seed: 10);
        var residuals = RegressionResiduals.ForLabelStd(3);
        residuals.AddChunk(pred, y, w);

        var copy = RegressionResiduals.Deserialize(residuals.Serialize());

        Assert.Equal(residuals.Serialize(), copy.Serialize());
        Assert.Equal(residuals.R2, copy.R2);
        Assert.Equal(residuals.BinWeight(20), copy.BinWeight(20));
    }

    [Fact]
    public void Add_DifferentRange_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RegressionResiduals(-1, 1).Add(new RegressionResiduals(-2, 2)));
    }
}
