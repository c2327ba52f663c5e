using Granary.Core.Sketches;

namespace Granary.Core.Tests.Sketches;

public sealed class FrequentItemsTests
{
    [Fact]
    public void Merge_SmallCardinality_ExactCounts()
    {
        var a = new FrequentItems();
        var b = new FrequentItems();
        for (var i = 0; i < 10_000; i++)
        {
            (i % 3 == 0 ? a : b).Add("v" + (i % 37));
        }

        a.Merge(b);
        Assert.True(a.IsExact);
        Assert.Equal(0, a.MaxError);
        var top = a.Top(10);
        Assert.Equal(10, top.Count);
        // 10,000 = 37 * 270 + 10: values v0..v9 occur 271 times, the rest 270.
        Assert.All(top, entry => Assert.Equal(271, entry.Value));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "v" + i).Order(StringComparer.Ordinal), top.Select(e => e.Key));
    }

    [Fact]
    public void Merge_LargeCardinality_KeepsHeavyHittersWithinError()
    {
        var random = new Random(9);
        var truth = new Dictionary<string, long>();
        var merged = new FrequentItems();
        for (var chunk = 0; chunk < 4; chunk++)
        {
            var items = new FrequentItems();
            for (var i = 0; i < 100_000; i++)
            {
                // 10 heavy values at ~2% each, the rest unique.
                var value = random.NextDouble() < 0.2 ? "heavy" + random.Next(10) : "u" + chunk + "-" + i;
                items.Add(value);
                truth[value] = truth.GetValueOrDefault(value) + 1;
            }

            merged.Merge(items);
        }

        Assert.False(merged.IsExact);
        var top = merged.Top(10);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "heavy" + i).Order(StringComparer.Ordinal), top.Select(e => e.Key).Order(StringComparer.Ordinal));
        foreach (var (value, count) in top)
        {
            Assert.InRange(truth[value] - count, 0, merged.MaxError);
        }

        Assert.True(merged.MaxError <= 400_000 / (FrequentItems.Capacity + 1), $"max error {merged.MaxError}");
    }
}
