using Granary.Core.Evaluation;

namespace Granary.Core.Tests.Evaluation;

public sealed class CalibrationBinsTests
{
    [Fact]
    public void FromChunk_HandExample_BinsByLowerEdge()
    {
        // 0.05 → bin 0; 0.1 and 0.15 → bin 1; 0.95 and 1.0 → bin 9 (1.0 joins the last bin).
        var bins = CalibrationBins.FromChunk([0.05, 0.15, 0.95, 1.0, 0.1], [0, 1, 1, 1, 0], [1, 1, 1, 3, 1]);

        Assert.Equal(1.0, bins.Weight(0));
        Assert.Equal(2.0, bins.Weight(1));
        Assert.Equal(0.125, bins.MeanPredicted(1)!.Value, 1e-15);
        Assert.Equal(0.5, bins.ObservedRate(1));
        Assert.Equal(4.0, bins.Weight(9));
        Assert.Equal((0.95 + 3.0) / 4, bins.MeanPredicted(9)!.Value, 1e-15);
        Assert.Equal(1.0, bins.ObservedRate(9));
        Assert.Null(bins.MeanPredicted(5));
        Assert.Null(bins.ObservedRate(5));
        Assert.Equal((0.05 + Math.Abs(0.25 - 1) + Math.Abs(3.95 - 4)) / 7, bins.ExpectedCalibrationError!.Value, 1e-15);
    }

    [Fact]
    public void Add_Chunks_EqualsWholeAndRoundTrips()
    {
        var random = new Random(7);
        var p = Enumerable.Range(0, 1_000).Select(_ => random.NextDouble()).ToArray();
        var y = p.Select(v => random.NextDouble() < v ? 1.0 : 0.0).ToArray();
        var whole = CalibrationBins.FromChunk(p, y, bins: 20);

        var merged = CalibrationBins.FromChunk(p.AsSpan(0, 333), y.AsSpan(0, 333), bins: 20);
        merged.Add(CalibrationBins.FromChunk(p.AsSpan(333), y.AsSpan(333), bins: 20));
        var copy = CalibrationBins.Deserialize(merged.Serialize());

        for (var b = 0; b < 20; b++)
        {
            Assert.Equal(whole.Weight(b), merged.Weight(b));
            Assert.Equal(whole.ObservedRate(b)!.Value, copy.ObservedRate(b)!.Value, 1e-12);
            Assert.Equal(whole.MeanPredicted(b)!.Value, copy.MeanPredicted(b)!.Value, 1e-12);
        }
    }

    [Fact]
    public void FromChunk_ProbabilityOutsideUnitInterval_Throws()
    {
        Assert.Throws<ArgumentException>(() => CalibrationBins.FromChunk([1.5], [1]));
        Assert.Throws<ArgumentException>(() => new CalibrationBins(10).Add(new CalibrationBins(5)));
    }
}
