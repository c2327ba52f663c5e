using System.Net;
using System.Net.Sockets;
using Granary.Core.Data;
using Granary.Storage.Metadata;
using Granary.Storage.Postgres;
using Npgsql;

namespace Granary.Storage.Tests.Metadata;

public sealed class PostgresMetadataStoreTests : MetadataStoreContractTests, IAsyncDisposable
{
    private readonly PostgresDatabases _databases = new();

    protected override async Task<IMetadataStore> CreateStoreAsync() => await _databases.CreateAsync();

    protected override async Task<IReadOnlyList<IMetadataStore>> CreateNodesAsync(int count) => await _databases.CreateNodesAsync(count);

    [Fact]
    public async Task MigrateAsync_EightNodesAtOnceOnFreshDatabase_AllSucceedOnce()
    {
        var connectionString = await _databases.CreateEmptyAsync();
        var stores = Enumerable.Range(0, 8).Select(_ => _databases.Open(connectionString)).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync(CancellationToken.None))));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations ORDER BY version", connection);
        var versions = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                versions.Add(reader.GetInt32(0));
            }
        }

        Assert.Equal(Enumerable.Range(1, SqlMetadataStore.SchemaVersion), versions);
        // Every node can use the schema at once.
        await Task.WhenAll(stores.Select((s, i) => s.CommitUploadAsync($"d{i}", new([new("x", ColumnType.Numeric)]), [new NewChunk($"{i}.parquet", 1, 1)], CancellationToken.None)));
        Assert.Equal(8, (await stores[0].ListDatasetsAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Reopen_AfterCommit_SeesCommittedVersion()
    {
        var connectionString = await _databases.CreateEmptyAsync();
        var first = _databases.Open(connectionString);
        await first.MigrateAsync(CancellationToken.None);
        await first.CommitUploadAsync("s", new([new("x", ColumnType.Numeric)]), [new NewChunk("a.parquet", 3, 30)], CancellationToken.None);
        await first.DisposeAsync();

        var second = _databases.Open(connectionString);
        await second.MigrateAsync(CancellationToken.None);
        Assert.Equal(3, (await second.GetVersionAsync("s", 1, CancellationToken.None))!.RowCount);
    }

    [Fact]
    public async Task MigrateAsync_SchemaNewerThanThisNode_IsRefused()
    {
        var connectionString = await _databases.CreateEmptyAsync();
        await using (var store = _databases.Open(connectionString))
        {
            await store.MigrateAsync(CancellationToken.None);
        }

        await using (var connection = new Npgsql.NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var bump = new Npgsql.NpgsqlCommand("INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)", connection);
            await bump.ExecuteNonQueryAsync();
        }

        await using var older = _databases.Open(connectionString);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => older.MigrateAsync(CancellationToken.None));
        Assert.Contains("schema version 999, newer than this node's", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_WhileAnotherHoldsTheWriteLock_WaitsForIt()
    {
        var connectionString = await _databases.CreateEmptyAsync();
        var store = _databases.Open(connectionString);
        await store.MigrateAsync(CancellationToken.None);

        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PostgresMetadataStore.WriteLockKey})", holder, transaction))
        {
            await take.ExecuteNonQueryAsync();
        }

        var write = store.AddApiKeyAsync(new ApiKeyRecord("k", "00", DateTimeOffset.UtcNow), CancellationToken.None);
        await Task.Delay(300);
        Assert.False(write.IsCompleted);
        Assert.Empty(await store.ListApiKeysAsync(CancellationToken.None)); // readers are not blocked
        await transaction.CommitAsync();
        await write.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(await store.ListApiKeysAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Host=127.0.0.1")]
    [InlineData("Database=granary")]
    [InlineData("Host=127.0.0.1;Database=granary;Port=not-a-number")]
    [InlineData("this is not a connection string")]
    public void Constructor_UnusableConnectionString_IsRefusedWithReason(string connectionString)
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgresMetadataStore(connectionString));
        Assert.Contains("PostgreSQL connection string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_UnreachableServer_FailsNamingTheServer()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var store = new PostgresMetadataStore($"Host=127.0.0.1;Port={port};Database=nowhere;Username=u;Password=secret;Timeout=5");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync(CancellationToken.None));
        Assert.Contains($"127.0.0.1:{port}/nowhere", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}
