using Granary.Storage.Metadata;
using Granary.Storage.Sqlite;

namespace Granary.Storage.Tests.Metadata;

public sealed class SqliteMetadataStoreTests : MetadataStoreContractTests, IDisposable
{
    private readonly SqliteDatabases _databases = new();

    protected override async Task<IMetadataStore> CreateStoreAsync() => await _databases.CreateAsync();

    protected override async Task<IReadOnlyList<IMetadataStore>> CreateNodesAsync(int count) => await _databases.CreateNodesAsync(count);

    [Fact]
    public async Task Reopen_AfterCommit_SeesCommittedVersion()
    {
        var path = _databases.PathFor("reopen.db");
        var first = new SqliteMetadataStore(path);
        await first.MigrateAsync(CancellationToken.None);
        await first.CommitUploadAsync("s", new([new("x", Core.Data.ColumnType.Numeric)]), [new NewChunk("a.parquet", 3, 30)], CancellationToken.None);

        var second = new SqliteMetadataStore(path);
        await second.MigrateAsync(CancellationToken.None);
        Assert.Equal(3, (await second.GetVersionAsync("s", 1, CancellationToken.None))!.RowCount);
    }

    [Fact]
    public async Task MigrateAsync_SchemaNewerThanThisNode_IsRefused()
    {
        var path = _databases.PathFor("newer.db");
        await new SqliteMetadataStore(path).MigrateAsync(CancellationToken.None);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var bump = connection.CreateCommand();
            bump.CommandText = "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)";
            await bump.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new SqliteMetadataStore(path).MigrateAsync(CancellationToken.None));
        Assert.Contains("schema version 999, newer than this node's", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _databases.Dispose();
}
