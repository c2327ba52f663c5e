using Granary.Core.Sketches;

namespace Granary.Core.Tests.Sketches;

public sealed class RadixSortTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(100_003)]
    public void Sort_DoubleKeys_MatchesComparisonSort(int n)
    {
        var values = SketchTestData.Mixed(n, n);
        if (n > 20)
        {
            values[3] = double.NegativeInfinity;
            values[5] = double.PositiveInfinity;
            values[7] = -0.0;
            values[9] = 0.0;
            values[11] = double.Epsilon;
        }

        var keys = values.Select(SortableKeys.FromDouble).ToArray();
        RadixSort.Sort(keys, new ulong[n]);
        var decoded = keys.Select(SortableKeys.ToDouble).ToArray();
        var expected = values.Order().ToArray();
        // Order() sorts -0.0 and 0.0 as equal; compare by value.
        Assert.Equal(expected, decoded);
        Assert.True(keys.SequenceEqual(keys.Order()));
    }

    [Fact]
    public void Sort_ConstantKeys_LeavesThemUnchanged()
    {
        var keys = Enumerable.Repeat(SortableKeys.FromInt64(42), 5000).ToArray();
        RadixSort.Sort(keys, new ulong[keys.Length]);
        Assert.All(keys, key => Assert.Equal(42, SortableKeys.ToInt64(key)));
    }
}
