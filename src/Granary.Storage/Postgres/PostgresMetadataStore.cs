using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Granary.Storage.Metadata;
using Npgsql;

namespace Granary.Storage.Postgres;

/// <summary>
/// The cluster's central metadata store: one PostgreSQL database shared by every node. The SQL is the
/// portable subset in <see cref="SqlMetadataStore"/>; this class opens pooled connections, serialises
/// writers and migrates the schema.
/// <para>
/// Writers serialise like SQLite's BEGIN IMMEDIATE: every write transaction first takes a
/// transaction-scoped advisory lock with one fixed key, held until commit or rollback. The shared code reads
/// then writes (next version = latest + 1, claim the first queued job) and is correct under READ COMMITTED
/// only because no other writer can run in between; each statement after the lock sees everything the
/// previous holder committed. Readers take no lock.
/// </para>
/// <para>
/// Migrations take a second advisory lock inside the migration transaction, so nodes starting at once
/// migrate one after another: the first applies the missing versions, the others find nothing to do.
/// </para>
/// </summary>
public sealed class PostgresMetadataStore : SqlMetadataStore, IAsyncDisposable, IDisposable
{
    /// <summary>Advisory lock key taken by every write transaction ("granary\0w" as a 64-bit number).</summary>
    internal const long WriteLockKey = 0x6772616E61727977;

    /// <summary>Advisory lock key taken by a migration transaction ("granary\0m").</summary>
    internal const long MigrationLockKey = 0x6772616E6172796D;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _target;

    /// <param name="connectionString">An Npgsql connection string naming a host and a database.</param>
    /// <exception cref="ArgumentException">The connection string is malformed or names no host or database.</exception>
    public PostgresMetadataStore(string connectionString)
    {
        var error = ValidateConnectionString(connectionString);
        if (error is not null)
        {
            throw new ArgumentException(error, nameof(connectionString));
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        _target = $"{builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>Null when <paramref name="connectionString"/> is usable, otherwise why not (without the password).</summary>
    public static string? ValidateConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "The PostgreSQL connection string is empty.";
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception error) when (error is ArgumentException or FormatException or KeyNotFoundException or InvalidCastException)
        {
            return $"The PostgreSQL connection string is malformed: {error.Message}";
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            return "The PostgreSQL connection string names no Host.";
        }

        return string.IsNullOrWhiteSpace(builder.Database) ? "The PostgreSQL connection string names no Database." : null;
    }

    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, MigrationLockKey, cancellationToken);
        // Under the lock no other node is creating these tables, so IF NOT EXISTS cannot race on the catalog.
        await ApplyMigrationsAsync(connection, transaction, $"PostgreSQL {_target}", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception error) when (error is NpgsqlException or SocketException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"Cannot connect to the PostgreSQL metadata store at {_target}: {error.Message}", error);
        }
    }

    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // READ COMMITTED (the default) on purpose: after the lock each statement takes a fresh snapshot and so
        // sees the previous writer's commit. REPEATABLE READ would keep the snapshot from before the wait.
        var transaction = await ((NpgsqlConnection)connection).BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        try
        {
            await LockAsync(connection, transaction, WriteLockKey, cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    private static async Task LockAsync(DbConnection connection, DbTransaction transaction, long key, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", ("key", key));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
