using Granary.Storage.Blobs;
using Granary.Storage.Nodes;

namespace Granary.Storage.Tests.Nodes;

/// <summary>The behaviour every node-directory backend must have.</summary>
public abstract class NodeStoreContractTests
{
    protected abstract Task<INodeStore> CreateStoreAsync();

    [Fact]
    public async Task Write_holds_expire_renew_and_release_per_folder_and_per_owner()
    {
        var holds = (IWriteHoldStore)await CreateStoreAsync();
        var t0 = DateTimeOffset.UnixEpoch.AddDays(20_000);
        await holds.HoldWriteAsync("datasets/a/1", "node-a", t0.AddMinutes(5), CancellationToken.None);
        await holds.HoldWriteAsync("datasets/b/1", "node-b", t0.AddMinutes(1), CancellationToken.None);
        await holds.HoldWriteAsync("datasets/a/2", "node-a", t0.AddMinutes(5), CancellationToken.None);
        Assert.Equal(["datasets/a/1", "datasets/a/2", "datasets/b/1"], await holds.ListHeldWritesAsync(t0, CancellationToken.None));
        Assert.Equal(["datasets/a/1", "datasets/a/2"], await holds.ListHeldWritesAsync(t0.AddMinutes(2), CancellationToken.None));

        await holds.HoldWriteAsync("datasets/b/1", "node-b", t0.AddMinutes(10), CancellationToken.None); // renewed
        await holds.ReleaseWriteAsync("datasets/a/1", CancellationToken.None);
        Assert.Equal(["datasets/a/2", "datasets/b/1"], await holds.ListHeldWritesAsync(t0.AddMinutes(2), CancellationToken.None));
        Assert.Equal(1, await holds.ReleaseWritesOfAsync("node-a", CancellationToken.None));
        Assert.Equal(["datasets/b/1"], await holds.ListHeldWritesAsync(t0, CancellationToken.None));
    }

    [Fact]
    public async Task Publish_replaces_a_node_row_and_forget_drops_stale_ones()
    {
        var store = await CreateStoreAsync();
        var t0 = DateTimeOffset.UnixEpoch.AddDays(20_000);
        var a = new NodeRecord("node-a", "http://127.0.0.1:5101", "S127.0.0.1:11111:1", t0, t0, new NodeLoad(2, 8L << 30, 300 << 20, 0.25, 8, 1, 1234));
        var b = new NodeRecord("node-b", "http://127.0.0.1:5102", "S127.0.0.1:11112:1", t0, t0.AddSeconds(1), new NodeLoad(4, 16L << 30, 100 << 20, 0, 0, 0, 0));

        await store.PublishNodeAsync(a, CancellationToken.None);
        await store.PublishNodeAsync(b, CancellationToken.None);
        var later = a with { SeenAt = t0.AddMinutes(1), Load = a.Load with { Shards = 5, CpuLoad = 0.5 } };
        await store.PublishNodeAsync(later, CancellationToken.None);

        Assert.Equal([later, b], await store.ListNodesAsync(CancellationToken.None));
        Assert.Equal(1, await store.ForgetNodesAsync(t0.AddSeconds(30), CancellationToken.None));
        Assert.Equal([later], await store.ListNodesAsync(CancellationToken.None));
    }
}
