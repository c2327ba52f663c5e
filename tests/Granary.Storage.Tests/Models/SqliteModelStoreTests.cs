using Granary.Storage.Models;
using Granary.Storage.Sqlite;

namespace Granary.Storage.Tests.Models;

public sealed class SqliteModelStoreTests : ModelStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("granary-sqlite-models-").FullName;

    protected override async Task<IModelStore> CreateStoreAsync()
    {
        var store = new SqliteMetadataStore(Path.Combine(_directory, $"{Guid.NewGuid():N}.db"));
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
