using Granary.Core.Data;
using Granary.Storage.Metadata;

namespace Granary.Storage.Tests.Metadata;

/// <summary>The behaviour every metadata backend must have. Each backend derives and supplies a fresh, empty store.</summary>
public abstract class MetadataStoreContractTests
{
    private static readonly DatasetSchema Schema = new([new ColumnSchema("x", ColumnType.Numeric), new ColumnSchema("label", ColumnType.Boolean)]);

    protected abstract Task<IMetadataStore> CreateStoreAsync();

    /// <summary><paramref name="count"/> stores over one fresh database, each as a separate node would open it.</summary>
    protected abstract Task<IReadOnlyList<IMetadataStore>> CreateNodesAsync(int count);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task MigrateAsync_CalledTwice_IsIdempotent()
    {
        var store = await CreateStoreAsync();
        await store.MigrateAsync(Ct);
        Assert.Empty(await store.ListDatasetsAsync(Ct));
    }

    [Fact]
    public async Task CommitUploadAsync_NewDataset_CreatesVersionOneWithChunks()
    {
        var store = await CreateStoreAsync();
        var version = await store.CommitUploadAsync("iris", Schema, [new NewChunk("d/iris/a/0.parquet", 100, 1000), new NewChunk("d/iris/a/1.parquet", 50, 600)], Ct);

        Assert.Equal(1, version.Version);
        Assert.Equal(150, version.RowCount);
        Assert.Equal(1600, version.ByteCount);
        Assert.Equal(2, version.ChunkCount);
        Assert.Equal(Schema, version.Schema);
        var chunks = await store.ListChunksAsync("iris", 1, Ct);
        Assert.Equal(["d/iris/a/0.parquet", "d/iris/a/1.parquet"], chunks.Select(c => c.Path));
        Assert.Equal(1, (await store.GetDatasetAsync("iris", Ct))!.LatestVersion);
    }

    [Fact]
    public async Task CommitAppendAsync_AfterUpload_AddsChunksAndKeepsOlderVersionsImmutable()
    {
        var store = await CreateStoreAsync();
        await store.CommitUploadAsync("s", Schema, [new NewChunk("a.parquet", 10, 100)], Ct);
        var v2 = await store.CommitAppendAsync("s", Schema, [new NewChunk("b.parquet", 5, 50)], Ct);
        var v3 = await store.CommitAppendAsync("s", Schema, [new NewChunk("c.parquet", 1, 10)], Ct);

        Assert.Equal((2, 15L, 5L, VersionKind.Append), (v2.Version, v2.RowCount, v2.AddedRows, v2.Kind));
        Assert.Equal((3, 16L, 3), (v3.Version, v3.RowCount, v3.ChunkCount));
        Assert.Equal(["a.parquet"], (await store.ListChunksAsync("s", 1, Ct)).Select(c => c.Path));
        Assert.Equal(["a.parquet", "b.parquet"], (await store.ListChunksAsync("s", 2, Ct)).Select(c => c.Path));
        Assert.Equal(["a.parquet", "b.parquet", "c.parquet"], (await store.ListChunksAsync("s", 3, Ct)).Select(c => c.Path));
        Assert.Equal(3, (await store.GetVersionAsync("s", null, Ct))!.Version);
        Assert.Equal(10, (await store.GetVersionAsync("s", 1, Ct))!.RowCount);
    }

    [Fact]
    public async Task CommitUploadAsync_OverExistingDataset_StartsNewLineage()
    {
        var store = await CreateStoreAsync();
        await store.CommitUploadAsync("s", Schema, [new NewChunk("a.parquet", 10, 100)], Ct);
        await store.CommitAppendAsync("s", Schema, [new NewChunk("b.parquet", 5, 50)], Ct);
        var other = new DatasetSchema([new ColumnSchema("y", ColumnType.String)]);
        var v3 = await store.CommitUploadAsync("s", other, [new NewChunk("c.parquet", 7, 70)], Ct);

        Assert.Equal((3, 7L, 1), (v3.Version, v3.RowCount, v3.ChunkCount));
        Assert.Equal(["c.parquet"], (await store.ListChunksAsync("s", 3, Ct)).Select(c => c.Path));
        Assert.Equal(other, (await store.GetVersionAsync("s", null, Ct))!.Schema);
        Assert.Equal(3, (await store.ListVersionsAsync("s", Ct)).Count);
    }

    [Fact]
    public async Task CommitAppendAsync_UnknownDataset_ThrowsNotFoundConflict()
    {
        var store = await CreateStoreAsync();
        var error = await Assert.ThrowsAsync<MetadataConflictException>(() => store.CommitAppendAsync("nope", Schema, [new NewChunk("a.parquet", 1, 1)], Ct));
        Assert.Equal("dataset_not_found", error.Code);
    }

    [Fact]
    public async Task CommitAppendAsync_DifferentSchema_ThrowsSchemaChangedAndChangesNothing()
    {
        var store = await CreateStoreAsync();
        await store.CommitUploadAsync("s", Schema, [new NewChunk("a.parquet", 1, 1)], Ct);
        var other = new DatasetSchema([new ColumnSchema("x", ColumnType.String), new ColumnSchema("label", ColumnType.Boolean)]);
        var error = await Assert.ThrowsAsync<MetadataConflictException>(() => store.CommitAppendAsync("s", other, [new NewChunk("b.parquet", 1, 1)], Ct));
        Assert.Equal("schema_changed", error.Code);
        Assert.Equal(1, (await store.GetDatasetAsync("s", Ct))!.LatestVersion);
        Assert.DoesNotContain("b.parquet", await store.ListReferencedBlobsAsync(Ct));
    }

    [Fact]
    public async Task CommitAppendAsync_Concurrent_EveryAppendGetsItsOwnVersion()
    {
        var store = await CreateStoreAsync();
        await store.CommitUploadAsync("s", Schema, [new NewChunk("base.parquet", 1, 1)], Ct);
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => store.CommitAppendAsync("s", Schema, [new NewChunk($"c{i}.parquet", 1, 1)], Ct))));

        var latest = (await store.GetVersionAsync("s", null, Ct))!;
        Assert.Equal(17, latest.Version);
        Assert.Equal(17, latest.RowCount);
        Assert.Equal(17, (await store.ListChunksAsync("s", 17, Ct)).Count);
        Assert.Equal(Enumerable.Range(1, 17), (await store.ListVersionsAsync("s", Ct)).Select(v => v.Version));
    }

    [Fact]
    public async Task DeleteDatasetAsync_Existing_ReturnsItsPathsAndRemovesEverything()
    {
        var store = await CreateStoreAsync();
        await store.CommitUploadAsync("s", Schema, [new NewChunk("a.parquet", 1, 1)], Ct);
        await store.CommitAppendAsync("s", Schema, [new NewChunk("b.parquet", 1, 1)], Ct);
        await store.PutProfileAsync("s", 2, "{}", Ct);
        await store.CommitUploadAsync("keep", Schema, [new NewChunk("k.parquet", 1, 1)], Ct);

        var paths = await store.DeleteDatasetAsync("s", Ct);

        Assert.Equal(["a.parquet", "b.parquet"], paths!.Order());
        Assert.Null(await store.GetDatasetAsync("s", Ct));
        Assert.Null(await store.GetProfileAsync("s", 2, Ct));
        Assert.Equal(["k.parquet"], await store.ListReferencedBlobsAsync(Ct));
        Assert.Null(await store.DeleteDatasetAsync("s", Ct));
        var again = await store.CommitUploadAsync("s", Schema, [new NewChunk("n.parquet", 1, 1)], Ct);
        Assert.Equal(1, again.Version);
    }

    [Fact]
    public async Task PutProfileAsync_ThenGet_ReturnsLatestJson()
    {
        var store = await CreateStoreAsync();
        await store.CommitUploadAsync("s", Schema, [new NewChunk("a.parquet", 1, 1)], Ct);
        Assert.Null(await store.GetProfileAsync("s", 1, Ct));
        await store.PutProfileAsync("s", 1, "{\"a\":1}", Ct);
        await store.PutProfileAsync("s", 1, "{\"a\":2}", Ct);
        Assert.Equal("{\"a\":2}", await store.GetProfileAsync("s", 1, Ct));
    }

    [Fact]
    public async Task PutProfileAsync_UnknownVersion_StoresNothing()
    {
        var store = await CreateStoreAsync();
        await store.PutProfileAsync("ghost", 1, "{}", Ct);
        Assert.Null(await store.GetProfileAsync("ghost", 1, Ct));
    }

    [Fact]
    public async Task ListDatasetsAsync_SeveralDatasets_SortedWithLatestVersion()
    {
        var store = await CreateStoreAsync();
        await store.CommitUploadAsync("b", Schema, [new NewChunk("b.parquet", 2, 20)], Ct);
        await store.CommitUploadAsync("a", Schema, [new NewChunk("a.parquet", 1, 10)], Ct);
        await store.CommitAppendAsync("a", Schema, [new NewChunk("a2.parquet", 1, 10)], Ct);

        var list = await store.ListDatasetsAsync(Ct);

        Assert.Equal(["a", "b"], list.Select(d => d.Dataset.Name));
        Assert.Equal(2, list[0].Latest.Version);
        Assert.Equal(2, list[0].Latest.RowCount);
    }

    [Fact]
    public async Task ApiKeys_AddFindListDelete_RoundTrip()
    {
        var store = await CreateStoreAsync();
        var key = new ApiKeyRecord("ci", new string('a', 64), DateTimeOffset.UnixEpoch.AddDays(1));
        await store.AddApiKeyAsync(key, Ct);

        Assert.Equal(key, await store.FindApiKeyAsync(key.Sha256Hex, Ct));
        Assert.Null(await store.FindApiKeyAsync(new string('b', 64), Ct));
        Assert.Equal("api_key_exists", (await Assert.ThrowsAsync<MetadataConflictException>(() => store.AddApiKeyAsync(key, Ct))).Code);
        Assert.Single(await store.ListApiKeysAsync(Ct));
        Assert.True(await store.DeleteApiKeyAsync("ci", Ct));
        Assert.False(await store.DeleteApiKeyAsync("ci", Ct));
        Assert.Empty(await store.ListApiKeysAsync(Ct));
    }

    [Fact]
    public async Task CommitAppendAsync_ManyNodesRacing_VersionsAreConsecutiveAndDistinct()
    {
        var nodes = await CreateNodesAsync(4);
        await nodes[0].CommitUploadAsync("s", Schema, [new NewChunk("base.parquet", 1, 1)], Ct);
        var versions = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            Task.Run(() => nodes[i % nodes.Count].CommitAppendAsync("s", Schema, [new NewChunk($"c{i}.parquet", 1, 1)], Ct))));

        Assert.Equal(Enumerable.Range(2, 24), versions.Select(v => v.Version).Order());
        // Each append saw its predecessor: version v holds exactly v rows and v chunks.
        var stored = await nodes[1].ListVersionsAsync("s", Ct);
        Assert.Equal(Enumerable.Range(1, 25), stored.Select(v => v.Version));
        Assert.All(stored, v => Assert.Equal((v.Version, (long)v.Version), (v.ChunkCount, v.RowCount)));
        var chunks = await nodes[2].ListChunksAsync("s", 25, Ct);
        Assert.Equal(Enumerable.Range(0, 25), chunks.Select(c => c.Sequence));
        Assert.Equal(25, chunks.Select(c => c.Path).Distinct().Count());
        Assert.Equal(25, (await nodes[3].GetDatasetAsync("s", Ct))!.LatestVersion);
    }

    [Fact]
    public async Task CommitUploadAsync_ManyNodesCreatingOneDataset_EachGetsItsOwnVersion()
    {
        var nodes = await CreateNodesAsync(4);
        var versions = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => nodes[i % nodes.Count].CommitUploadAsync("fresh", Schema, [new NewChunk($"u{i}.parquet", 1, 1)], Ct))));

        Assert.Equal(Enumerable.Range(1, 8), versions.Select(v => v.Version).Order());
        Assert.All(versions, v => Assert.Equal(v.Version, v.BaseVersion));
        Assert.Equal(8, (await nodes[0].GetDatasetAsync("fresh", Ct))!.LatestVersion);
    }
}
