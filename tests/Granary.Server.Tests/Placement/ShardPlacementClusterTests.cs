using Granary.Cluster.Datasets;
using Granary.Cluster.Placement;
using Granary.Core.Data;
using Granary.Storage.Blobs;
using Granary.Storage.Parquet;

namespace Granary.Server.Tests.Placement;

/// <summary>Real shard grains on several silos in this process: where they land, and how they move when silos join and leave.</summary>
public sealed class ShardPlacementClusterTests : IAsyncLifetime
{
    private const int Shards = 16;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private readonly string _blobs = Directory.CreateTempSubdirectory("granary-placement-").FullName;
    private readonly List<PlacementSilo> _silos = [];
    private readonly Dictionary<string, long> _sizes = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        var store = new FolderBlobStore(_blobs);
        for (var i = 0; i < Shards; i++)
        {
            var path = $"datasets/placement/20260101t000000-abcd/chunk-{i:d6}.parquet";
            var values = Enumerable.Range(0, 50 + i).Select(v => (double)(v * (i + 1))).ToArray();
            var frame = new Frame(new DatasetSchema([new ColumnSchema("v", ColumnType.Numeric)]), [new NumericColumn("v", values)], values.Length);
            _sizes[path] = await store.WriteAsync(path, (stream, ct) => ParquetChunkCodec.WriteAsync(frame, stream, ct), CancellationToken.None);
        }
    }

    public async Task DisposeAsync()
    {
        // Newest first, so the primary (which holds the development membership table) goes last.
        for (var i = _silos.Count - 1; i >= 0; i--)
        {
            await _silos[i].DisposeAsync();
        }

        Directory.Delete(_blobs, recursive: true);
    }

    [Fact]
    public async Task Shards_LandOnRendezvousOwners_AndMoveMinimallyWhenSilosJoinAndLeave()
    {
        var cluster = $"placement-{Guid.NewGuid():n}";
        var a = await StartSiloAsync(cluster, primary: null);
        var b = await StartSiloAsync(cluster, primary: a);
        await WaitForMembershipAsync([a, b]);

        // Two silos: each shard activates on its rendezvous owner, whichever silo calls.
        await CallAllAsync(a, b);
        AssertPlacedOnOwners([a, b]);
        Assert.All(new[] { a, b }, silo => Assert.Equal(Shards / 2, silo.Registry.Count)); // exactly even within a group
        AssertLoadedExactly(a, Predicted(a, [a, b]));
        AssertLoadedExactly(b, Predicted(b, [a, b]));
        var before = Activations([a, b]);

        // A third silo joins: it takes its even share; shards whose owner did not change stay put, and each
        // silo reads from the blob store only the chunks it newly owns.
        var c = await StartSiloAsync(cluster, primary: a);
        await WaitForMembershipAsync([a, b, c]);
        await EventuallyPlacedOnOwnersAsync([a, b, c], callers: [a, b]);
        var toC = Predicted(c, [a, b, c]);
        Assert.InRange(toC.Count, Shards / 3, (Shards / 3) + 1);
        AssertLoadedExactly(c, toC);
        AssertLoadedExactly(a, [.. Predicted(a, [a, b]), .. Predicted(a, [a, b, c])]);
        AssertLoadedExactly(b, [.. Predicted(b, [a, b]), .. Predicted(b, [a, b, c])]);
        var afterJoin = Activations([a, b, c]);
        var unmoved = before.Where(pair => Predicted(a, [a, b]).Contains(pair.Key) == Predicted(a, [a, b, c]).Contains(pair.Key) &&
            Predicted(b, [a, b]).Contains(pair.Key) == Predicted(b, [a, b, c]).Contains(pair.Key) && !toC.Contains(pair.Key)).ToList();
        foreach (var (key, activation) in unmoved)
        {
            Assert.Equal(activation, afterJoin[key]); // the same activation: it stayed put
        }

        // The third silo stops: its shards reactivate on the survivors, on the owners they had before it came,
        // and every other shard is still on its silo. (Orleans itself restarts activations whose grain-directory
        // entry lived on the departing silo, so activation ids may change here; they restart in place.)
        await c.StopAsync();
        await WaitForMembershipAsync([a, b]);
        await EventuallyPlacedOnOwnersAsync([a, b], callers: [a, b]);
        Assert.Equal(Predicted(a, [a, b]).Order(), a.Registry.Snapshot().Keys.Order());
        Assert.Equal(Predicted(b, [a, b]).Order(), b.Registry.Snapshot().Keys.Order());

        // Their chunks were still in the survivors' caches: leaving cost no blob reads.
        AssertLoadedExactly(a, [.. Predicted(a, [a, b]), .. Predicted(a, [a, b, c])]);
        AssertLoadedExactly(b, [.. Predicted(b, [a, b]), .. Predicted(b, [a, b, c])]);
    }

    private static IEnumerable<string> Keys() =>
        Enumerable.Range(0, Shards).Select(i => $"datasets/placement/20260101t000000-abcd/chunk-{i:d6}.parquet");

    private static HashSet<string> Predicted(PlacementSilo silo, PlacementSilo[] live)
    {
        var nodes = live.Select(s => s.NodeId).ToArray();
        return Keys().Where(key => BalancedRendezvous.TryParse(key, out var group, out var sequence) &&
            BalancedRendezvous.Owner(group, sequence, nodes) == silo.NodeId).ToHashSet(StringComparer.Ordinal);
    }

    private static Dictionary<string, ActivationId> Activations(PlacementSilo[] silos) =>
        silos.SelectMany(s => s.Registry.Snapshot()).ToDictionary(pair => pair.Key, pair => pair.Value.ActivationId, StringComparer.Ordinal);

    private static void AssertPlacedOnOwners(PlacementSilo[] silos)
    {
        foreach (var silo in silos)
        {
            Assert.Equal(Predicted(silo, silos).Order(), silo.Registry.Snapshot().Keys.Order());
        }
    }

    private void AssertLoadedExactly(PlacementSilo silo, HashSet<string> keys)
    {
        Assert.Equal(keys.Count, silo.Chunks.Loads);
        Assert.Equal(keys.Sum(key => _sizes[key]), silo.Chunks.LoadedBytes);
    }

    private async Task<PlacementSilo> StartSiloAsync(string cluster, PlacementSilo? primary)
    {
        var silo = await PlacementSilo.StartAsync(cluster, _blobs, primary);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>Calls every shard, alternating the calling silo.</summary>
    private static async Task CallAllAsync(params PlacementSilo[] callers)
    {
        var calls = Keys().Select((key, i) => callers[i % callers.Length].Grains.GetGrain<IDatasetShardGrain>(key).HeadAsync(1));
        foreach (var rows in await Task.WhenAll(calls))
        {
            Assert.StartsWith("[{", rows, StringComparison.Ordinal);
        }
    }

    private static async Task WaitForMembershipAsync(PlacementSilo[] silos)
    {
        var expected = silos.Select(s => s.Address).ToHashSet();
        await EventuallyAsync(() => Task.FromResult(silos.All(s => s.ActiveSilos().SetEquals(expected) && s.ManifestSilos().SetEquals(expected))), () => "every silo to see the same active members");
    }

    private static Task EventuallyPlacedOnOwnersAsync(PlacementSilo[] silos, PlacementSilo[] callers) =>
        EventuallyAsync(async () =>
        {
            try
            {
                await CallAllAsync(callers);
            }
            catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
            {
                return false; // a call raced a silo leaving; the next round retries
            }

            return silos.All(s => Predicted(s, silos).SetEquals(s.Registry.Snapshot().Keys));
        }, () => $"every shard to sit on its rendezvous owner: {Describe(silos)}");

    private static string Describe(PlacementSilo[] silos) => string.Join("; ", silos.Select(s =>
        $"{s.NodeId} holds [{string.Join(",", s.Registry.Snapshot().Keys.Order().Select(k => k[^10..^8]))}] owns [{string.Join(",", Predicted(s, silos).Order().Select(k => k[^10..^8]))}]"));

    private static async Task EventuallyAsync(Func<Task<bool>> condition, Func<string> what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what()}.");
            await Task.Delay(200);
        }
    }
}
