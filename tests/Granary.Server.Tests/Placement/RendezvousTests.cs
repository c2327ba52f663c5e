using System.Text;
using Granary.Cluster.Placement;

namespace Granary.Server.Tests.Placement;

public sealed class RendezvousTests
{
    private static readonly string[] FiveNodes = ["10.0.0.1:11111", "10.0.0.2:11111", "10.0.0.3:11111", "10.0.0.4:11111", "10.0.0.5:11111"];

    private static IEnumerable<string> Keys(int count) =>
        Enumerable.Range(0, count).Select(i => $"datasets/sales/20260101T000000-{i / 64:x4}/chunk-{i:d6}.parquet");

    [Fact]
    public void Owner_SameInputs_SameOwnerWhateverTheNodeOrder()
    {
        var shuffled = FiveNodes.Reverse().ToArray();
        foreach (var key in Keys(500))
        {
            var owner = Rendezvous.Owner(key, FiveNodes);
            Assert.Equal(owner, Rendezvous.Owner(key, FiveNodes));
            Assert.Equal(owner, Rendezvous.Owner(key, shuffled));
        }
    }

    [Fact]
    public void Weight_IsFixedByTheAlgorithm_NotByTheProcess()
    {
        // XxHash64 of fixed bytes: these values hold on every machine and in every run (string.GetHashCode would not).
        Assert.Equal(0xEF46DB3751D8E999UL, Rendezvous.NodeSeed(""));
        var seed = Rendezvous.NodeSeed("10.0.0.1:11111");
        Assert.Equal(seed, Rendezvous.NodeSeed("10.0.0.1:11111"));
        Assert.NotEqual(seed, Rendezvous.NodeSeed("10.0.0.1:11112"));
        var key = Encoding.UTF8.GetBytes("datasets/a/chunk-000000.parquet");
        Assert.NotEqual(Rendezvous.Weight(key, seed), Rendezvous.Weight(key, Rendezvous.NodeSeed("10.0.0.2:11111")));
    }

    [Fact]
    public void OwnerIndex_BySeeds_AgreesWithOwnerByName()
    {
        var seeds = FiveNodes.Select(Rendezvous.NodeSeed).ToArray();
        foreach (var key in Keys(1_000))
        {
            Assert.Equal(Rendezvous.OwnerIndex(key, FiveNodes), Rendezvous.OwnerIndex(Encoding.UTF8.GetBytes(key), seeds));
        }
    }

    [Fact]
    public void Owner_NoNodes_IsNone()
    {
        Assert.Null(Rendezvous.Owner("k", []));
        Assert.Equal(-1, Rendezvous.OwnerIndex("k"u8, []));
    }

    [Fact]
    public void Owner_LongAndNonAsciiKeys_AreHashedWhole()
    {
        var longKey = new string('x', 5_000) + "é";
        var otherKey = new string('x', 5_000) + "è";
        var seeds = FiveNodes.Select(Rendezvous.NodeSeed).ToArray();
        Assert.Equal(Rendezvous.OwnerIndex(longKey, FiveNodes), Rendezvous.OwnerIndex(Encoding.UTF8.GetBytes(longKey), seeds));
        Assert.NotEqual(Rendezvous.Weight(Encoding.UTF8.GetBytes(longKey), seeds[0]), Rendezvous.Weight(Encoding.UTF8.GetBytes(otherKey), seeds[0]));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Owner_SixteenShards_SpreadOverEveryNode(int nodes)
    {
        var ids = FiveNodes[..nodes];
        var counts = Keys(16).GroupBy(key => Rendezvous.Owner(key, ids)).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(nodes, counts.Count);
        // Each key picks its node independently, so a node's share is binomial: 8 ± 2 of 16 on two nodes,
        // 5.3 ± 1.9 on three. Within three standard deviations, and no node left without work.
        var mean = 16.0 / nodes;
        var sd = Math.Sqrt(16 * (1.0 / nodes) * (1 - 1.0 / nodes));
        Assert.All(counts.Values, count => Assert.InRange(count, Math.Max(1, mean - 3 * sd), mean + 3 * sd));
    }

    [Fact]
    public void Owner_TenThousandKeysOverFiveNodes_WithinTenPercentOfEven()
    {
        var counts = Keys(10_000).GroupBy(key => Rendezvous.Owner(key, FiveNodes)).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(5, counts.Count);
        Assert.All(counts.Values, count => Assert.InRange(count, 1_800, 2_200)); // 2,000 ± 10% (the standard deviation is 40)
    }

    [Fact]
    public void Owner_NodeJoins_OnlyKeysWonByTheNewNodeMove()
    {
        string[] six = [.. FiveNodes, "10.0.0.6:11111"];
        var moved = 0;
        foreach (var key in Keys(10_000))
        {
            var before = Rendezvous.Owner(key, FiveNodes);
            var after = Rendezvous.Owner(key, six);
            if (before != after)
            {
                Assert.Equal("10.0.0.6:11111", after);
                moved++;
            }
        }

        Assert.InRange(moved, 1_500, 1_833); // 1/6 of 10,000 is 1,667
    }

    [Fact]
    public void Owner_NodeLeaves_OnlyItsKeysMove()
    {
        var four = FiveNodes.Where(n => n != "10.0.0.3:11111").ToArray();
        var moved = 0;
        foreach (var key in Keys(10_000))
        {
            var before = Rendezvous.Owner(key, FiveNodes);
            var after = Rendezvous.Owner(key, four);
            if (before == "10.0.0.3:11111")
            {
                Assert.NotEqual(before, after);
                moved++;
            }
            else
            {
                Assert.Equal(before, after);
            }
        }

        Assert.InRange(moved, 1_800, 2_200);
    }
}
