using Granary.Storage.Nodes;

namespace Granary.Storage.Tests.Nodes;

public sealed class PostgresNodeStoreTests : NodeStoreContractTests, IAsyncDisposable
{
    private readonly PostgresDatabases _databases = new();

    protected override async Task<INodeStore> CreateStoreAsync() => await _databases.CreateAsync();

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}
