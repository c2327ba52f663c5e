using Granary.Storage.Jobs;

namespace Granary.Storage.Tests.Jobs;

public sealed class PostgresJobStoreTests : JobStoreContractTests, IAsyncDisposable
{
    private readonly PostgresDatabases _databases = new();

    protected override async Task<IJobStore> CreateStoreAsync() => await _databases.CreateAsync();

    protected override async Task<IReadOnlyList<IJobStore>> CreateNodesAsync(int count) => await _databases.CreateNodesAsync(count);

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}
