using Granary.Core.Sketches;

namespace Granary.Core.Tests.Sketches;

public sealed class KllSketchTests
{
    private static readonly double[] Probabilities = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];

    [Fact]
    public void Quantile_MillionValuesInUnevenChunks_WithinStatedBound()
    {
        const int n = 1_000_000;
        var values = SketchTestData.Mixed(n, 1);
        var merged = new KllSketch();
        foreach (var (start, length) in SketchTestData.UnevenSplits(n, 2))
        {
            var chunk = new KllSketch();
            var keys = values.AsSpan(start, length).ToArray().Select(SortableKeys.FromDouble).ToArray();
            Array.Sort(keys);
            chunk.AddSorted(keys);
            merged.Merge(chunk);
        }

        AssertWithinBound(merged, values);
    }

    [Fact]
    public void Quantile_ManySmallUnsortedBatches_WithinStatedBound()
    {
        // Worst case for error: thousands of small updates force many low-level compactions.
        const int n = 1_000_000;
        var values = SketchTestData.Mixed(n, 3);
        var sketch = new KllSketch();
        for (var start = 0; start < n; start += 997)
        {
            var length = Math.Min(997, n - start);
            sketch.AddUnsorted(values.AsSpan(start, length).ToArray().Select(SortableKeys.FromDouble).ToArray());
        }

        AssertWithinBound(sketch, values);
        Assert.True(sketch.RetainedItems < 4 * KllSketch.K, $"retained {sketch.RetainedItems}");
    }

    [Fact]
    public void Quantile_SmallInput_IsExact()
    {
        var values = SketchTestData.Mixed(1000, 4);
        var sketch = new KllSketch();
        sketch.AddUnsorted(values.Select(SortableKeys.FromDouble).ToArray());
        var sorted = values.Order().ToArray();

        Assert.Equal(0, sketch.RankErrorBound);
        foreach (var p in Probabilities)
        {
            var expected = sorted[(int)Math.Ceiling(p * sorted.Length) - 1];
            Assert.Equal(expected, SortableKeys.ToDouble(sketch.Quantile(p)));
        }
    }

    [Fact]
    public void Write_SameInput_SameBytes()
    {
        static byte[] Build()
        {
            var sketch = new KllSketch();
            var keys = SketchTestData.Mixed(300_000, 5).Select(SortableKeys.FromDouble).Order().ToArray();
            sketch.AddSorted(keys);
            var writer = new SketchWriter();
            sketch.Write(writer);
            return writer.ToArray();
        }

        Assert.Equal(Build(), Build());
    }

    [Fact]
    public void Read_Written_SameQuantilesAndBound()
    {
        var sketch = new KllSketch();
        sketch.AddSorted(SketchTestData.Mixed(100_000, 6).Select(SortableKeys.FromDouble).Order().ToArray());
        var writer = new SketchWriter();
        sketch.Write(writer);
        var reader = new SketchReader(writer.ToArray());
        var copy = KllSketch.Read(ref reader);

        Assert.Equal(sketch.Count, copy.Count);
        Assert.Equal(sketch.RankErrorBound, copy.RankErrorBound);
        foreach (var p in Probabilities)
        {
            Assert.Equal(sketch.Quantile(p), copy.Quantile(p));
        }
    }

    private static void AssertWithinBound(KllSketch sketch, double[] values)
    {
        var sorted = values.Order().ToArray();
        var n = sorted.Length;
        Assert.Equal(n, sketch.Count);
        Assert.InRange(sketch.RankErrorBound, 1e-9, 0.01);
        foreach (var p in Probabilities)
        {
            var value = SortableKeys.ToDouble(sketch.Quantile(p));
            var below = LowerBound(sorted, value);          // values < v
            var atMost = UpperBound(sorted, value);         // values <= v
            var target = (long)Math.Ceiling(p * n);
            var error = Math.Max(0, Math.Max(below + 1 - target, target - atMost));
            Assert.True(error <= sketch.RankErrorBound * n, $"p={p}: rank error {error} > bound {sketch.RankErrorBound * n:F0}");
        }
    }

    private static long LowerBound(double[] sorted, double value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }

        while (index > 0 && sorted[index - 1] == value)
        {
            index--;
        }

        return index;
    }

    private static long UpperBound(double[] sorted, double value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0)
        {
            return ~index;
        }

        while (index < sorted.Length - 1 && sorted[index + 1] == value)
        {
            index++;
        }

        return index + 1;
    }
}
