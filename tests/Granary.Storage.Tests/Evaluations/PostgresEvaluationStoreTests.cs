using Granary.Storage.Evaluations;

namespace Granary.Storage.Tests.Evaluations;

public sealed class PostgresEvaluationStoreTests : EvaluationStoreContractTests, IAsyncDisposable
{
    private readonly PostgresDatabases _databases = new();

    protected override async Task<IEvaluationStore> CreateStoreAsync() => await _databases.CreateAsync();

    protected override async Task<IReadOnlyList<IEvaluationStore>> CreateNodesAsync(int count) => await _databases.CreateNodesAsync(count);

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}
