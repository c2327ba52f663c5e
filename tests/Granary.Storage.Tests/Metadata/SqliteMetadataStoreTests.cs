using Granary.Storage.Metadata;
using Granary.Storage.Sqlite;

namespace Granary.Storage.Tests.Metadata;

public sealed class SqliteMetadataStoreTests : MetadataStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("granary-sqlite-").FullName;

    protected override async Task<IMetadataStore> CreateStoreAsync()
    {
        var store = new SqliteMetadataStore(Path.Combine(_directory, $"{Guid.NewGuid():N}.db"));
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    [Fact]
    public async Task Reopen_AfterCommit_SeesCommittedVersion()
    {
        var path = Path.Combine(_directory, "reopen.db");
        var first = new SqliteMetadataStore(path);
        await first.MigrateAsync(CancellationToken.None);
        await first.CommitUploadAsync("s", new([new("x", Core.Data.ColumnType.Numeric)]), [new NewChunk("a.parquet", 3, 30)], CancellationToken.None);

        var second = new SqliteMetadataStore(path);
        await second.MigrateAsync(CancellationToken.None);
        Assert.Equal(3, (await second.GetVersionAsync("s", 1, CancellationToken.None))!.RowCount);
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
