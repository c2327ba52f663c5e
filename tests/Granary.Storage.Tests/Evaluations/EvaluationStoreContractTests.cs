using Granary.Storage.Evaluations;

namespace Granary.Storage.Tests.Evaluations;

/// <summary>The behaviour every evaluation-store backend must have.</summary>
public abstract class EvaluationStoreContractTests
{
    protected abstract Task<IEvaluationStore> CreateStoreAsync();

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
}
