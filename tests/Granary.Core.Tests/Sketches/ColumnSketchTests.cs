using Granary.Core.Data;
using Granary.Core.Sketches;

namespace Granary.Core.Tests.Sketches;

public sealed class ColumnSketchTests
{
    [Fact]
    public void ToProfile_NumericSplits_ExactFiguresMatchSinglePass()
    {
        const int n = 600_000;
        var values = SketchTestData.Mixed(n, 11);
        values[10] = double.NaN;
        values[500_000] = double.NaN;
        var single = SketchTestData.SketchOf(ColumnType.Numeric, new NumericColumn("c", values)).ToProfile();
        var merged = ColumnSketch.Create(new ColumnSchema("c", ColumnType.Numeric));
        foreach (var (start, length) in SketchTestData.UnevenSplits(n, 12))
        {
            // Each chunk sketched separately and sent through bytes, as between nodes.
            var chunk = SketchTestData.SketchOf(ColumnType.Numeric, SketchTestData.Numeric(values, start, length));
            merged.Merge(ColumnSketch.Deserialize(chunk.Serialize()));
        }

        var profile = merged.ToProfile();
        var finite = values.Where(double.IsFinite).ToArray();
        var mean = finite.Average();
        var std = Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / (finite.Length - 1));
        foreach (var p in new[] { single, profile })
        {
            Assert.Equal(n - 2, p.Count);
            Assert.Equal(2, p.Missing);
            Assert.Equal(finite.Min(), p.Min);
            Assert.Equal(finite.Max(), p.Max);
            Assert.True(Math.Abs(p.Mean!.Value - mean) <= 1e-9 * Math.Abs(mean));
            Assert.True(Math.Abs(p.Std!.Value - std) <= 1e-9 * std);
            Assert.InRange(p.QuantileRankError!.Value, 0, 0.01);
            Assert.Equal(n - 2, p.Histogram!.Counts.Sum());
            Assert.Equal(21, p.Histogram.Edges.Count);
        }

        var distinct = finite.Distinct().Count();
        Assert.True(Math.Abs(profile.Distinct - distinct) <= 3 * profile.DistinctRelativeError * distinct);
    }

    [Fact]
    public void ToProfile_SmallNumeric_QuantilesAndHistogramExact()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        var profile = SketchTestData.SketchOf(ColumnType.Numeric, new NumericColumn("c", values)).ToProfile();

        Assert.Equal(0, profile.QuantileRankError);
        Assert.Equal([1, 5, 10, 25, 50, 75, 90, 95, 99], profile.Quantiles!.Select(q => q.Value));
        Assert.Equal(["p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99"], profile.Quantiles!.Select(q => q.Label));
        Assert.True(profile.Histogram!.Exact);
        Assert.Equal(Enumerable.Repeat(5L, 20), profile.Histogram.Counts);
        Assert.Equal(100, profile.Distinct);
        Assert.True(profile.DistinctExact);
        Assert.Equal(50.5, profile.Mean);
    }

    [Fact]
    public void ToProfile_Infinities_CountedAsValuesExcludedFromMean()
    {
        double[] values = [1, 2, double.PositiveInfinity, 3, double.NegativeInfinity, double.NaN, double.PositiveInfinity];
        var profile = SketchTestData.SketchOf(ColumnType.Numeric, new NumericColumn("c", values)).ToProfile();

        Assert.Equal(6, profile.Count);
        Assert.Equal(1, profile.Missing);
        Assert.Equal(2.0, profile.Mean);
        Assert.Equal(1.0, profile.Std);
        Assert.Equal(double.NegativeInfinity, profile.Min);
        Assert.Equal(double.PositiveInfinity, profile.Max);
        Assert.Equal((1.0, 3.0), (profile.FiniteMin, profile.FiniteMax));
        Assert.Equal((2L, 1L), (profile.PositiveInfinityCount, profile.NegativeInfinityCount));
        Assert.Equal(5, profile.Distinct);
        Assert.Equal(3, profile.Histogram!.Counts.Sum());
        Assert.Equal(double.PositiveInfinity, profile.Quantiles![^1].Value);
    }

    [Fact]
    public void Merge_InfinitiesInOneChunkOnly_ExactFiguresMatchSinglePass()
    {
        var values = SketchTestData.Mixed(5_000, 15);
        values[4_500] = double.PositiveInfinity;
        values[4_600] = double.NegativeInfinity;
        values[4_700] = double.NaN;
        var single = SketchTestData.SketchOf(ColumnType.Numeric, new NumericColumn("c", values)).ToProfile();
        var merged = SketchTestData.SketchOf(ColumnType.Numeric, SketchTestData.Numeric(values, 0, 4_000));
        merged.Merge(SketchTestData.SketchOf(ColumnType.Numeric, SketchTestData.Numeric(values, 4_000, 1_000)));
        var profile = merged.ToProfile();

        Assert.Equal((single.Count, single.Missing, single.Min, single.Max), (profile.Count, profile.Missing, profile.Min, profile.Max));
        Assert.Equal((single.FiniteMin, single.FiniteMax), (profile.FiniteMin, profile.FiniteMax));
        Assert.Equal((1L, 1L), (profile.PositiveInfinityCount, profile.NegativeInfinityCount));
        Assert.Equal(single.Mean!.Value, profile.Mean!.Value, 1e-9);
        Assert.Equal(single.Std!.Value, profile.Std!.Value, 1e-9);
        Assert.Equal(single.Distinct, profile.Distinct, 3 * profile.DistinctRelativeError * single.Distinct);
    }

    [Theory]
    [InlineData(ColumnType.Numeric)]
    [InlineData(ColumnType.Boolean)]
    [InlineData(ColumnType.String)]
    [InlineData(ColumnType.Timestamp)]
    public void ToProfile_AllMissingAndEmpty_CountsOnly(ColumnType type)
    {
        Column allMissing = type switch
        {
            ColumnType.Numeric => new NumericColumn("c", [double.NaN, double.NaN, double.NaN]),
            ColumnType.Boolean => new BooleanColumn("c", [255, 255, 255]),
            ColumnType.String => new StringColumn("c", [null, null, null]),
            _ => new TimestampColumn("c", [TimestampColumn.Missing, TimestampColumn.Missing, TimestampColumn.Missing]),
        };
        var empty = SketchTestData.SketchOf(type);
        var missing = SketchTestData.SketchOf(type, allMissing);
        missing.Merge(empty);

        var profile = ColumnSketch.Deserialize(missing.Serialize()).ToProfile();
        Assert.Equal((0L, 3L, 0L), (profile.Count, profile.Missing, profile.Distinct));
        Assert.Null(profile.Mean);
        Assert.Null(profile.Quantiles);
        Assert.Null(profile.Histogram);
        Assert.Equal((0L, 0L), (empty.ToProfile().Count, empty.ToProfile().Missing));
    }

    [Fact]
    public void Serialize_SameInput_SameBytesAndProfile()
    {
        var values = SketchTestData.Mixed(300_000, 13);
        var a = SketchTestData.SketchOf(ColumnType.Numeric, new NumericColumn("c", values));
        var b = SketchTestData.SketchOf(ColumnType.Numeric, new NumericColumn("c", values.ToArray()));
        var bytes = a.Serialize();

        Assert.Equal(bytes, b.Serialize());
        Assert.Equal(ColumnSketch.FormatVersion, bytes[0]);
        var copy = ColumnSketch.Deserialize(bytes);
        Assert.Equal(SketchTestData.ToJson(a.ToProfile()), SketchTestData.ToJson(copy.ToProfile()));
        Assert.Equal(bytes, copy.Serialize());
        Assert.True(bytes.Length < 80_000, $"{bytes.Length} bytes");
    }

    [Fact]
    public void Deserialize_WrongVersion_Throws()
    {
        var bytes = SketchTestData.SketchOf(ColumnType.Boolean, new BooleanColumn("c", [1, 0])).Serialize();
        bytes[0] = 99;
        Assert.Throws<InvalidDataException>(() => ColumnSketch.Deserialize(bytes));
        Assert.Throws<InvalidDataException>(() => ColumnSketch.Deserialize(bytes.AsSpan(0, 3)));
    }

    [Fact]
    public void ToProfile_Boolean_ExactCountsAndTopValues()
    {
        var a = SketchTestData.SketchOf(ColumnType.Boolean, new BooleanColumn("c", [1, 1, 0, 255, 1]));
        a.Merge(SketchTestData.SketchOf(ColumnType.Boolean, new BooleanColumn("c", Enumerable.Repeat((byte)0, 100).ToArray(), 3)));
        var profile = a.ToProfile();

        Assert.Equal((3L, 4L, 7L, 1L, 2L), (profile.TrueCount!.Value, profile.FalseCount!.Value, profile.Count, profile.Missing, profile.Distinct));
        Assert.Equal([new TopValueProfile("false", 4, true), new TopValueProfile("true", 3, true)], profile.TopValues!);
    }

    [Fact]
    public void ToProfile_StringSplits_ExactTopValuesAndDistinct()
    {
        var values = Enumerable.Range(0, 50_000).Select(i => i % 10 == 0 ? null : "level" + (i * 7 % 123)).ToArray();
        var merged = SketchTestData.SketchOf(ColumnType.String);
        foreach (var (start, length) in SketchTestData.UnevenSplits(values.Length, 14))
        {
            merged.Merge(SketchTestData.SketchOf(ColumnType.String, new StringColumn("c", values.AsSpan(start, length).ToArray())));
        }

        var profile = merged.ToProfile();
        var truth = values.OfType<string>().GroupBy(v => v).Select(g => (g.Key, Count: (long)g.Count()))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Key, StringComparer.Ordinal).Take(ColumnSketch.TopValueCount).ToList();
        Assert.Equal((45_000L, 5_000L), (profile.Count, profile.Missing));
        Assert.Equal(values.OfType<string>().Distinct().Count(), profile.Distinct);
        Assert.True(profile.DistinctExact && profile.TopValuesExact);
        Assert.Equal(truth, profile.TopValues!.Select(t => (t.Value, t.Count)));
    }

    [Fact]
    public void ToProfile_Timestamps_ExactMinMaxAndQuantilesInMicroseconds()
    {
        var start = 1_700_000_000_000_000L;
        var values = Enumerable.Range(0, 10_000).Select(i => i == 5 ? TimestampColumn.Missing : start + (i * 1_000_000L)).ToArray();
        var a = SketchTestData.SketchOf(ColumnType.Timestamp, new TimestampColumn("c", values[..4000]));
        a.Merge(SketchTestData.SketchOf(ColumnType.Timestamp, new TimestampColumn("c", values[4000..])));
        var profile = ColumnSketch.Deserialize(a.Serialize()).ToProfile();

        Assert.Equal((9_999L, 1L), (profile.Count, profile.Missing));
        Assert.Equal(start, profile.MinTimestamp);
        Assert.Equal(start + (9_999 * 1_000_000L), profile.MaxTimestamp);
        // p50 is the 5000th of 9999 values, i.e. i = 5000 (i = 5 is missing); allow the stated rank error.
        var p50Index = (profile.Quantiles![4].Timestamp!.Value - start) / 1_000_000L;
        Assert.InRange(Math.Abs(p50Index - 5_000), 0, profile.QuantileRankError!.Value * 9_999);
        Assert.Equal((double)profile.Quantiles[4].Timestamp!.Value, profile.Quantiles[4].Value);
        Assert.Equal(9_999, profile.Distinct, 3 * 0.0082 * 9_999);
    }
}
