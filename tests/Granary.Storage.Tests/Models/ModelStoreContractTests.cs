using Granary.Storage.Metadata;
using Granary.Storage.Models;

namespace Granary.Storage.Tests.Models;

/// <summary>The behaviour every model registry backend must have. Each backend derives and supplies a fresh, empty store.</summary>
public abstract class ModelStoreContractTests
{
    private static CancellationToken Ct => CancellationToken.None;

    /// <summary>A fresh store; it also serves <see cref="IMetadataStore"/> (the orphan sweep reads references through it).</summary>
    protected abstract Task<IModelStore> CreateStoreAsync();

    /// <summary><paramref name="count"/> stores over one fresh database, each as a separate node would open it.</summary>
    protected abstract Task<IReadOnlyList<IModelStore>> CreateNodesAsync(int count);

    private static NewModelVersion Version(string artifact, string dataset = "iris", int datasetVersion = 1, string? job = "job-1") =>
        new("logistic", """{"l2":0.1}""", """[{"name":"x","type":"numeric"}]""", """{"auc":0.9}""", "[0.7,0.5]", dataset, datasetVersion, job, artifact);

    [Fact]
    public async Task RegisterVersionAsync_NewModel_CreatesVersionOneWithAllFields()
    {
        var store = await CreateStoreAsync();
        var v1 = await store.RegisterVersionAsync("churn", Version("m/churn/1.json", job: null), Ct);

        Assert.Equal(1, v1.Version);
        var read = await store.GetModelVersionAsync("churn", 1, Ct);
        Assert.Equal(v1, read);
        Assert.Null(read!.JobId);
        Assert.Equal(("logistic", """{"l2":0.1}""", "iris", 1, "m/churn/1.json"), (read.Algorithm, read.ParametersJson, read.DatasetName, read.DatasetVersion, read.ArtifactPath));
        var model = await store.GetModelAsync("churn", Ct);
        Assert.Equal(1, model!.LatestVersion);
        Assert.Equal(["churn"], (await store.ListModelsAsync(Ct)).Select(m => m.Name));
    }

    [Fact]
    public async Task RegisterVersionAsync_Repeated_NumbersIncreaseAndLatestFollows()
    {
        var store = await CreateStoreAsync();
        await store.RegisterVersionAsync("m", Version("a"), Ct);
        var v2 = await store.RegisterVersionAsync("m", Version("b", datasetVersion: 2), Ct);

        Assert.Equal(2, v2.Version);
        Assert.Equal(2, (await store.GetModelVersionAsync("m", null, Ct))!.Version);
        Assert.Equal("a", (await store.GetModelVersionAsync("m", 1, Ct))!.ArtifactPath);
        Assert.Equal([1, 2], (await store.ListModelVersionsAsync("m", Ct)).Select(v => v.Version));
    }

    [Fact]
    public async Task RegisterVersionAsync_Concurrent_EveryRegistrationGetsItsOwnNumber()
    {
        var store = await CreateStoreAsync();
        var versions = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => store.RegisterVersionAsync("m", Version($"a{i}"), Ct))));

        Assert.Equal(Enumerable.Range(1, 16), versions.Select(v => v.Version).Order());
        Assert.Equal(16, (await store.GetModelAsync("m", Ct))!.LatestVersion);
        Assert.Equal(16, (await store.ListModelVersionsAsync("m", Ct)).Select(v => v.ArtifactPath).Distinct().Count());
    }

    [Fact]
    public async Task Get_UnknownModelOrVersion_ReturnsNullOrEmpty()
    {
        var store = await CreateStoreAsync();
        await store.RegisterVersionAsync("m", Version("a"), Ct);

        Assert.Null(await store.GetModelAsync("nope", Ct));
        Assert.Null(await store.GetModelVersionAsync("nope", null, Ct));
        Assert.Null(await store.GetModelVersionAsync("m", 2, Ct));
        Assert.Empty(await store.ListModelVersionsAsync("nope", Ct));
        Assert.Empty(await store.ListAliasesAsync("m", Ct));
        Assert.Null(await store.GetAliasAsync("m", "production", Ct));
        Assert.Empty(await store.ListAliasHistoryAsync("m", Ct));
    }

    [Fact]
    public async Task SetAliasAsync_CreateThenMove_PointsAtVersionAndRecordsHistoryInOrder()
    {
        var store = await CreateStoreAsync();
        await store.RegisterVersionAsync("m", Version("a"), Ct);
        await store.RegisterVersionAsync("m", Version("b"), Ct);

        var created = await store.SetAliasAsync("m", "production", 1, "alice", Ct);
        await store.SetAliasAsync("m", "staging", 2, "bob", Ct);
        var moved = await store.SetAliasAsync("m", "production", 2, "carol", Ct);

        Assert.Equal((1, "alice"), (created.Version, created.UpdatedBy));
        Assert.Equal((2, "carol"), (moved.Version, moved.UpdatedBy));
        Assert.Equal(moved, await store.GetAliasAsync("m", "production", Ct));
        Assert.Equal(["production", "staging"], (await store.ListAliasesAsync("m", Ct)).Select(a => a.Alias));
        var history = await store.ListAliasHistoryAsync("m", Ct);
        Assert.Equal(
            [("production", (int?)null, (int?)1, "alice"), ("staging", null, 2, "bob"), ("production", 1, 2, "carol")],
            history.Select(h => (h.Alias, h.FromVersion, h.ToVersion, h.ChangedBy)));
        Assert.True(history.Zip(history.Skip(1)).All(p => p.First.ChangedAt <= p.Second.ChangedAt));
        Assert.Equal(moved.UpdatedAt, history[^1].ChangedAt);
    }

    [Fact]
    public async Task SetAliasAsync_SameVersionAgain_RecordsNoMove()
    {
        var store = await CreateStoreAsync();
        await store.RegisterVersionAsync("m", Version("a"), Ct);
        var first = await store.SetAliasAsync("m", "production", 1, "alice", Ct);

        var again = await store.SetAliasAsync("m", "production", 1, "bob", Ct);

        Assert.Equal(first, again);
        Assert.Single(await store.ListAliasHistoryAsync("m", Ct));
    }

    [Fact]
    public async Task SetAliasAsync_UnknownModelOrVersion_ThrowsWithCodeAndChangesNothing()
    {
        var store = await CreateStoreAsync();
        await store.RegisterVersionAsync("m", Version("a"), Ct);

        var noModel = await Assert.ThrowsAsync<MetadataConflictException>(() => store.SetAliasAsync("nope", "production", 1, "alice", Ct));
        var noVersion = await Assert.ThrowsAsync<MetadataConflictException>(() => store.SetAliasAsync("m", "production", 7, "alice", Ct));

        Assert.Equal("model_not_found", noModel.Code);
        Assert.Equal("version_not_found", noVersion.Code);
        Assert.Empty(await store.ListAliasesAsync("m", Ct));
        Assert.Empty(await store.ListAliasHistoryAsync("m", Ct));
    }

    [Fact]
    public async Task DeleteAliasAsync_Existing_RemovesAndRecordsRemoval()
    {
        var store = await CreateStoreAsync();
        await store.RegisterVersionAsync("m", Version("a"), Ct);
        await store.SetAliasAsync("m", "production", 1, "alice", Ct);

        Assert.True(await store.DeleteAliasAsync("m", "production", "bob", Ct));
        Assert.False(await store.DeleteAliasAsync("m", "production", "bob", Ct));

        Assert.Null(await store.GetAliasAsync("m", "production", Ct));
        var last = (await store.ListAliasHistoryAsync("m", Ct))[^1];
        Assert.Equal(("production", (int?)1, (int?)null, "bob"), (last.Alias, last.FromVersion, last.ToVersion, last.ChangedBy));
        Assert.Equal(2, (await store.ListAliasHistoryAsync("m", Ct)).Count);
    }

    [Fact]
    public async Task DeleteModelVersionAsync_Aliased_RefusesWithVersionHasAlias()
    {
        var store = await CreateStoreAsync();
        await store.RegisterVersionAsync("m", Version("a"), Ct);
        await store.SetAliasAsync("m", "production", 1, "alice", Ct);

        var error = await Assert.ThrowsAsync<MetadataConflictException>(() => store.DeleteModelVersionAsync("m", 1, Ct));

        Assert.Equal("version_has_alias", error.Code);
        Assert.Contains("production", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await store.GetModelVersionAsync("m", 1, Ct));
    }

    [Fact]
    public async Task DeleteModelVersionAsync_Latest_ReturnsArtifactAndLatestFallsBackToHighestRemaining()
    {
        var store = await CreateStoreAsync();
        await store.RegisterVersionAsync("m", Version("a"), Ct);
        await store.RegisterVersionAsync("m", Version("b"), Ct);
        await store.RegisterVersionAsync("m", Version("c"), Ct);

        Assert.Equal("b", await store.DeleteModelVersionAsync("m", 2, Ct));
        Assert.Equal(3, (await store.GetModelAsync("m", Ct))!.LatestVersion);
        Assert.Equal("c", await store.DeleteModelVersionAsync("m", 3, Ct));

        Assert.Equal(1, (await store.GetModelAsync("m", Ct))!.LatestVersion);
        Assert.Equal("a", (await store.GetModelVersionAsync("m", null, Ct))!.ArtifactPath);
        Assert.Equal([1], (await store.ListModelVersionsAsync("m", Ct)).Select(v => v.Version));
        Assert.Null(await store.DeleteModelVersionAsync("m", 3, Ct));
    }

    [Fact]
    public async Task DeleteModelVersionAsync_LastRemaining_RemovesTheModelAndItsHistory()
    {
        var store = await CreateStoreAsync();
        await store.RegisterVersionAsync("m", Version("a"), Ct);
        await store.RegisterVersionAsync("m", Version("b"), Ct);
        await store.SetAliasAsync("m", "production", 2, "alice", Ct);
        await store.DeleteAliasAsync("m", "production", "alice", Ct);
        await store.DeleteModelVersionAsync("m", 1, Ct);

        Assert.Equal("b", await store.DeleteModelVersionAsync("m", 2, Ct));

        Assert.Null(await store.GetModelAsync("m", Ct));
        Assert.Empty(await store.ListModelsAsync(Ct));
        Assert.Empty(await store.ListAliasHistoryAsync("m", Ct));
        Assert.Equal(1, (await store.RegisterVersionAsync("m", Version("new"), Ct)).Version);
    }

    [Fact]
    public async Task ListReferencedBlobsAsync_IncludesModelArtifactsUntilDeleted()
    {
        var store = await CreateStoreAsync();
        await store.RegisterVersionAsync("m", Version("models/m/a.json"), Ct);
        await store.RegisterVersionAsync("m", Version("models/m/b.json"), Ct);
        var metadata = (IMetadataStore)store;

        Assert.Superset(new HashSet<string> { "models/m/a.json", "models/m/b.json" }, (await metadata.ListReferencedBlobsAsync(Ct)).ToHashSet());
        await store.DeleteModelVersionAsync("m", 1, Ct);
        Assert.DoesNotContain("models/m/a.json", await metadata.ListReferencedBlobsAsync(Ct));
    }

    [Fact]
    public async Task Models_AreIndependentByName()
    {
        var store = await CreateStoreAsync();
        await store.RegisterVersionAsync("a", Version("a1"), Ct);
        await store.RegisterVersionAsync("b", Version("b1"), Ct);
        await store.RegisterVersionAsync("b", Version("b2"), Ct);
        await store.SetAliasAsync("a", "production", 1, "x", Ct);
        await store.SetAliasAsync("b", "production", 2, "y", Ct);

        Assert.Equal([("a", 1), ("b", 2)], (await store.ListModelsAsync(Ct)).Select(m => (m.Name, m.LatestVersion)));
        Assert.Equal(1, (await store.GetAliasAsync("a", "production", Ct))!.Version);
        Assert.Single(await store.ListAliasHistoryAsync("b", Ct));
    }

    [Fact]
    public async Task RegisterAndMoveAlias_ManyNodesRacing_NumbersDistinctAndHistoryUnbroken()
    {
        var nodes = await CreateNodesAsync(4);
        var registered = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => nodes[i % nodes.Count].RegisterVersionAsync("m", Version($"a{i}"), Ct))));
        Assert.Equal(Enumerable.Range(1, 16), registered.Select(v => v.Version).Order());
        Assert.Equal(16, (await nodes[0].GetModelAsync("m", Ct))!.LatestVersion);

        await Task.WhenAll(Enumerable.Range(0, nodes.Count).Select(n => Task.Run(async () =>
        {
            for (var k = 0; k < 6; k++)
            {
                await nodes[n].SetAliasAsync("m", "production", 1 + ((n * 6) + k) % 16, $"node-{n}", Ct);
            }
        })));

        // Every move starts where the previous one ended: no lost update, no duplicate history sequence.
        var history = await nodes[1].ListAliasHistoryAsync("m", Ct);
        Assert.NotEmpty(history);
        Assert.Null(history[0].FromVersion);
        for (var i = 1; i < history.Count; i++)
        {
            Assert.Equal(history[i - 1].ToVersion, history[i].FromVersion);
            Assert.NotEqual(history[i].FromVersion, history[i].ToVersion);
        }

        Assert.Equal(history[^1].ToVersion, (await nodes[2].GetAliasAsync("m", "production", Ct))!.Version);
    }
}
