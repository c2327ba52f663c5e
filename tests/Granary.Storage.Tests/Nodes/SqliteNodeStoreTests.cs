using Granary.Storage.Nodes;

namespace Granary.Storage.Tests.Nodes;

public sealed class SqliteNodeStoreTests : NodeStoreContractTests, IDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override async Task<INodeStore> CreateStoreAsync() => await _databases.CreateAsync();

    public void Dispose() => _databases.Dispose();
}
