using System.Data.Common;
using Granary.Storage.Metadata;
using Microsoft.Data.Sqlite;

namespace Granary.Storage.Sqlite;

/// <summary>
/// The single-node metadata store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so a
/// committed version survives a power cut. Writers take the database lock up front (BEGIN IMMEDIATE)
/// instead of upgrading a read lock, which would deadlock two concurrent commits.
/// </summary>
public sealed class SqliteMetadataStore : SqlMetadataStore
{
    private readonly string _connectionString;
    private readonly string _path;

    public SqliteMetadataStore(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        _path = databasePath;
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        await ApplyMigrationsAsync(connection, transaction, $"SQLite {_path}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000", cancellationToken);
        return connection;
    }

    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ((SqliteConnection)connection).BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
}
