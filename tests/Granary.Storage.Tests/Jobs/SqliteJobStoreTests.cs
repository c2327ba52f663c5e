using Granary.Storage.Jobs;

namespace Granary.Storage.Tests.Jobs;

public sealed class SqliteJobStoreTests : JobStoreContractTests, IDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override async Task<IJobStore> CreateStoreAsync() => await _databases.CreateAsync();

    protected override async Task<IReadOnlyList<IJobStore>> CreateNodesAsync(int count) => await _databases.CreateNodesAsync(count);

    public void Dispose() => _databases.Dispose();
}
