using Granary.Storage.Evaluations;

namespace Granary.Storage.Tests.Evaluations;

public sealed class SqliteEvaluationStoreTests : EvaluationStoreContractTests, IDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override async Task<IEvaluationStore> CreateStoreAsync() => await _databases.CreateAsync();

    protected override async Task<IReadOnlyList<IEvaluationStore>> CreateNodesAsync(int count) => await _databases.CreateNodesAsync(count);

    public void Dispose() => _databases.Dispose();
}
