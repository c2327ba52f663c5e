using Granary.Core.Sketches;

namespace Granary.Core.Tests.Sketches;

public sealed class MomentsTests
{
    [Fact]
    public void Merge_UnevenChunks_MatchesExactTwoPass()
    {
        // Large offset relative to the spread: a naive sum-of-squares formula would lose most digits here.
        var random = new Random(7);
        var values = Enumerable.Range(0, 200_001).Select(_ => 1e9 + SketchTestData.Normal(random)).ToArray();
        var moments = new Moments();
        foreach (var (start, length) in SketchTestData.UnevenSplits(values.Length, 8))
        {
            var chunk = values.AsSpan(start, length);
            Moments.Scan(chunk, out var nan, out var inf, out var sum, out var min, out var max);
            Assert.Equal(0, nan + inf);
            var mean = sum / length;
            var m2 = Moments.CorrectedM2(chunk, ref mean);
            moments.Merge(length, mean, m2, min, max);
        }

        // Reference: the mean in decimal arithmetic, then an exact-as-possible two-pass variance.
        var exactMean = (double)(values.Sum(v => (decimal)v) / values.Length);
        var exactVariance = values.Sum(v => (v - exactMean) * (v - exactMean)) / (values.Length - 1);
        Assert.Equal(values.Length, moments.Count);
        Assert.Equal(exactMean, moments.Mean, 1e-9 * exactMean);
        Assert.True(Math.Abs(moments.Variance!.Value - exactVariance) <= 1e-9 * exactVariance, $"{moments.Variance} vs {exactVariance}");
        Assert.Equal(values.Min(), moments.Min);
        Assert.Equal(values.Max(), moments.Max);
    }

    [Fact]
    public void Scan_NaNAndInfinities_CountsThem()
    {
        double[] values = [1, double.NaN, 2, double.PositiveInfinity, 3, 4, 5, double.NegativeInfinity, double.NaN, 6, 7];
        Moments.Scan(values, out var nan, out var inf, out _, out _, out _);
        Assert.Equal(2, nan);
        Assert.Equal(2, inf);
    }

    [Fact]
    public void Scan_NoSpecialValues_SumMinMaxExact()
    {
        var values = Enumerable.Range(1, 1001).Select(i => (double)i).ToArray();
        Moments.Scan(values, out var nan, out var inf, out var sum, out var min, out var max);
        Assert.Equal((0, 0, 501501.0, 1.0, 1001.0), (nan, inf, sum, min, max));
    }
}
