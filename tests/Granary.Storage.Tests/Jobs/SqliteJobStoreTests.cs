using Granary.Storage.Jobs;
using Granary.Storage.Sqlite;

namespace Granary.Storage.Tests.Jobs;

public sealed class SqliteJobStoreTests : JobStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("granary-jobs-").FullName;

    protected override async Task<IJobStore> CreateStoreAsync()
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
