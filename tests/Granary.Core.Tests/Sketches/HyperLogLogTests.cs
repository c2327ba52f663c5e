using Granary.Core.Sketches;

namespace Granary.Core.Tests.Sketches;

public sealed class HyperLogLogTests
{
    [Theory]
    [InlineData(1_000)]
    [InlineData(5_000)]
    [InlineData(20_000)]
    [InlineData(50_000)]
    [InlineData(200_000)]
    [InlineData(2_000_000)]
    public void Estimate_KnownCardinality_WithinThreeStandardErrors(int cardinality)
    {
        var hll = new HyperLogLog();
        for (var i = 0; i < cardinality; i++)
        {
            hll.Add(Hash64.HashDouble(i * 1.5));
            hll.Add(Hash64.HashDouble(i * 1.5)); // duplicates must not count
        }

        var relative = Math.Abs(hll.Estimate() - cardinality) / (double)cardinality;
        Assert.False(hll.IsExact);
        Assert.True(relative <= 3 * HyperLogLog.RelativeStandardError, $"relative error {relative:P2}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(HyperLogLog.ExactLimit)]
    public void Estimate_SmallSet_IsExact(int cardinality)
    {
        var hll = new HyperLogLog();
        for (var repeat = 0; repeat < 3; repeat++)
        {
            for (var i = 0; i < cardinality; i++)
            {
                hll.Add(Hash64.HashString("value-" + i));
            }
        }

        Assert.True(hll.IsExact);
        Assert.Equal(cardinality, hll.Estimate());
    }

    [Fact]
    public void Merge_OverlappingSets_EstimatesUnion()
    {
        var a = new HyperLogLog();
        var b = new HyperLogLog();
        var small = new HyperLogLog();
        for (var i = 0; i < 60_000; i++)
        {
            a.Add(Hash64.HashDouble(i));
            b.Add(Hash64.HashDouble(i + 30_000));
        }

        for (var i = 0; i < 300; i++)
        {
            small.Add(Hash64.HashDouble(-1 - i));
        }

        a.Merge(b);
        a.Merge(small);
        var relative = Math.Abs(a.Estimate() - 90_300) / 90_300.0;
        Assert.True(relative <= 3 * HyperLogLog.RelativeStandardError, $"relative error {relative:P2}");
    }

    [Fact]
    public void HashString_FixedInput_IsStableAcrossProcesses()
    {
        // Frozen values: these must never change, or sketches from different versions would not merge.
        Assert.Equal(
            "A49EF0E4C05FEA71,2FEC1602BD97D5AA,3918566E5920B6B8,012BE34A00FF9DCA",
            $"{Hash64.HashString("granary"):X16},{Hash64.HashString(""):X16},{Hash64.HashString("a somewhat longer string of text"):X16},{Hash64.HashDouble(1.5):X16}");
        Assert.NotEqual(Hash64.HashString("ab"), Hash64.HashString("ba"));
        Assert.NotEqual(Hash64.HashString(""), Hash64.HashString("\0"));
        Assert.Equal(Hash64.HashDouble(0.0), Hash64.HashDouble(-0.0));
    }
}
