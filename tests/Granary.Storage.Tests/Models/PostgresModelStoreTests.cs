using Granary.Storage.Models;

namespace Granary.Storage.Tests.Models;

public sealed class PostgresModelStoreTests : ModelStoreContractTests, IAsyncDisposable
{
    private readonly PostgresDatabases _databases = new();

    protected override async Task<IModelStore> CreateStoreAsync() => await _databases.CreateAsync();

    protected override async Task<IReadOnlyList<IModelStore>> CreateNodesAsync(int count) => await _databases.CreateNodesAsync(count);

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}
