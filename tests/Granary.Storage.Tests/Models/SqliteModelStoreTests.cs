using Granary.Storage.Models;

namespace Granary.Storage.Tests.Models;

public sealed class SqliteModelStoreTests : ModelStoreContractTests, IDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override async Task<IModelStore> CreateStoreAsync() => await _databases.CreateAsync();

    protected override async Task<IReadOnlyList<IModelStore>> CreateNodesAsync(int count) => await _databases.CreateNodesAsync(count);

    public void Dispose() => _databases.Dispose();
}
