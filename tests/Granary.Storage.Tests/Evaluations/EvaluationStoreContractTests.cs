using Granary.Storage.Evaluations;

namespace Granary.Storage.Tests.Evaluations;

/// <summary>The behaviour every evaluation-store backend must have.</summary>
public abstract class EvaluationStoreContractTests
{
    protected abstract Task<IEvaluationStore> CreateStoreAsync();

    /// <summary><paramref name="count"/> stores over one fresh database, each as a separate node would open it.</summary>
    protected abstract Task<IReadOnlyList<IEvaluationStore>> CreateNodesAsync(int count);

    [Fact]
    public async Task SaveThenGet_KeepsModelsInOrderAndLinksThem()
    {
        var store = await CreateStoreAsync();
        var evaluation = new EvaluationRecord("eval-1", "job-1", "d@2",
            [new EvaluatedModel("m", 2, "{\"a\":1}"), new EvaluatedModel("m", 1, "{\"a\":2}")], DateTimeOffset.UnixEpoch.AddDays(3));

        await store.SaveEvaluationAsync(evaluation, CancellationToken.None);
        await store.SaveEvaluationAsync(evaluation with { Models = [] }, CancellationToken.None);
        var read = await store.GetEvaluationAsync("eval-1", CancellationToken.None);

        Assert.Equal(("job-1", "d@2", evaluation.CreatedAt), (read!.JobId, read.Dataset, read.CreatedAt));
        Assert.Equal(evaluation.Models, read.Models);
        Assert.Equal(["eval-1"], await store.ListEvaluationsOfAsync("m", 1, CancellationToken.None));
        Assert.Empty(await store.ListEvaluationsOfAsync("m", 3, CancellationToken.None));
        Assert.Null(await store.GetEvaluationAsync("missing", CancellationToken.None));
    }

    [Fact]
    public async Task Save_SameIdFromManyNodesAtOnce_KeepsExactlyOneWholeRecord()
    {
        var nodes = await CreateNodesAsync(4);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => nodes[i % nodes.Count].SaveEvaluationAsync(
            new EvaluationRecord("eval", $"job-{i}", "d@1", [.. Enumerable.Range(0, i + 1).Select(p => new EvaluatedModel($"m{i}", p + 1, "{}"))],
                DateTimeOffset.UnixEpoch), CancellationToken.None))));

        var read = await nodes[0].GetEvaluationAsync("eval", CancellationToken.None);
        var writer = int.Parse(read!.JobId!["job-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(writer + 1, read.Models.Count);
        Assert.All(read.Models, m => Assert.Equal($"m{writer}", m.Model));
    }
}
