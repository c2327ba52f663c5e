using System.Data.Common;
using Granary.Core.Data;

namespace Granary.Storage.Metadata;

/// <summary>
/// The metadata store over any ADO.NET provider whose SQL accepts the portable subset used here
/// (SQLite and PostgreSQL both do). Subclasses open connections, start write transactions and provide
/// their migrations; everything else is shared so both backends behave identically.
/// Times are stored as Unix microseconds (BIGINT) to stay portable.
/// </summary>
public abstract partial class SqlMetadataStore : IMetadataStore
{
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Starts a transaction that may write; it must serialise with other writers of the same dataset.</summary>
    protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    public abstract Task MigrateAsync(CancellationToken cancellationToken);

    public async Task<DatasetRecord?> GetDatasetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadDatasetAsync(connection, null, name, cancellationToken);
    }

    public async Task<IReadOnlyList<DatasetListing>> ListDatasetsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            $"SELECT d.name, d.latest_version, d.created_at, d.updated_at, {VersionColumns("v")} " +
            "FROM datasets d JOIN dataset_versions v ON v.name = d.name AND v.version = d.latest_version ORDER BY d.name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<DatasetListing>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var dataset = new DatasetRecord(reader.GetString(0), reader.GetInt32(1), FromMicros(reader.GetInt64(2)), FromMicros(reader.GetInt64(3)));
            list.Add(new DatasetListing(dataset, ReadVersion(reader, 4)));
        }

        return list;
    }

    public async Task<IReadOnlyList<DatasetVersionRecord>> ListVersionsAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            $"SELECT {VersionColumns("v")} FROM dataset_versions v WHERE v.name = @name ORDER BY v.version", ("name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<DatasetVersionRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(ReadVersion(reader, 0));
        }

        return list;
    }

    public async Task<DatasetVersionRecord?> GetVersionAsync(string name, int? version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadVersionAsync(connection, null, name, version, cancellationToken);
    }

    public async Task<IReadOnlyList<ChunkRecord>> ListChunksAsync(string name, int version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var record = await ReadVersionAsync(connection, null, name, version, cancellationToken);
        if (record is null)
        {
            return [];
        }

        await using var command = Command(connection, null,
            "SELECT seq, path, row_count, byte_count, added_in_version FROM dataset_chunks " +
            "WHERE name = @name AND added_in_version >= @base AND added_in_version <= @version ORDER BY seq",
            ("name", name), ("base", record.BaseVersion), ("version", version));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<ChunkRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            // seq is BIGINT: PostgreSQL returns int8 there, which not every provider narrows to Int32.
            list.Add(new ChunkRecord(checked((int)reader.GetInt64(0)), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt32(4)));
        }

        return list;
    }

    public Task<DatasetVersionRecord> CommitUploadAsync(string name, DatasetSchema schema, IReadOnlyList<NewChunk> chunks, CancellationToken cancellationToken) =>
        CommitAsync(name, schema, chunks, VersionKind.Upload, cancellationToken);

    public Task<DatasetVersionRecord> CommitAppendAsync(string name, DatasetSchema schema, IReadOnlyList<NewChunk> chunks, CancellationToken cancellationToken) =>
        CommitAsync(name, schema, chunks, VersionKind.Append, cancellationToken);

    private async Task<DatasetVersionRecord> CommitAsync(
        string name, DatasetSchema schema, IReadOnlyList<NewChunk> chunks, VersionKind kind, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var dataset = await ReadDatasetAsync(connection, transaction, name, cancellationToken);
        DatasetVersionRecord? latest = dataset is null ? null : await ReadVersionAsync(connection, transaction, name, dataset.LatestVersion, cancellationToken);

        if (kind == VersionKind.Append)
        {
            if (dataset is null || latest is null)
            {
                throw new MetadataConflictException("dataset_not_found", $"Dataset '{name}' does not exist.");
            }

            if (!latest.Schema.Equals(schema))
            {
                throw new MetadataConflictException("schema_changed", $"The schema of dataset '{name}' changed while the rows were being written; send them again.");
            }
        }

        var version = (dataset?.LatestVersion ?? 0) + 1;
        var baseVersion = kind == VersionKind.Upload ? version : latest!.BaseVersion;
        var addedRows = chunks.Sum(c => c.RowCount);
        var addedBytes = chunks.Sum(c => c.ByteCount);
        var rows = addedRows + (kind == VersionKind.Append ? latest!.RowCount : 0);
        var bytes = addedBytes + (kind == VersionKind.Append ? latest!.ByteCount : 0);
        var chunkCount = chunks.Count + (kind == VersionKind.Append ? latest!.ChunkCount : 0);

        if (dataset is null)
        {
            await ExecuteAsync(connection, transaction,
                "INSERT INTO datasets (name, latest_version, created_at, updated_at, next_seq) VALUES (@name, @version, @now, @now, 0)",
                cancellationToken, ("name", name), ("version", version), ("now", ToMicros(now)));
        }
        else
        {
            await ExecuteAsync(connection, transaction,
                "UPDATE datasets SET latest_version = @version, updated_at = @now WHERE name = @name",
                cancellationToken, ("name", name), ("version", version), ("now", ToMicros(now)));
        }

        await ExecuteAsync(connection, transaction,
            "INSERT INTO dataset_versions (name, version, base_version, kind, schema_json, row_count, added_rows, byte_count, chunk_count, created_at) " +
            "VALUES (@name, @version, @base, @kind, @schema, @rows, @added, @bytes, @chunks, @now)",
            cancellationToken,
            ("name", name), ("version", version), ("base", baseVersion), ("kind", kind == VersionKind.Upload ? "upload" : "append"),
            ("schema", SchemaJson.Serialize(schema)), ("rows", rows), ("added", addedRows), ("bytes", bytes), ("chunks", chunkCount), ("now", ToMicros(now)));

        var seq = await ScalarLongAsync(connection, transaction, "SELECT next_seq FROM datasets WHERE name = @name", cancellationToken, ("name", name));
        foreach (var chunk in chunks)
        {
            await ExecuteAsync(connection, transaction,
                "INSERT INTO dataset_chunks (name, seq, path, row_count, byte_count, added_in_version) VALUES (@name, @seq, @path, @rows, @bytes, @version)",
                cancellationToken, ("name", name), ("seq", seq++), ("path", chunk.Path), ("rows", chunk.RowCount), ("bytes", chunk.ByteCount), ("version", version));
        }

        await ExecuteAsync(connection, transaction, "UPDATE datasets SET next_seq = @seq WHERE name = @name", cancellationToken, ("name", name), ("seq", seq));
        await transaction.CommitAsync(cancellationToken);
        return new DatasetVersionRecord(name, version, baseVersion, kind, schema, rows, addedRows, bytes, chunkCount, FromMicros(ToMicros(now)));
    }

    public async Task<IReadOnlyList<string>?> DeleteDatasetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        if (await ReadDatasetAsync(connection, transaction, name, cancellationToken) is null)
        {
            return null;
        }

        var paths = new List<string>();
        await using (var command = Command(connection, transaction, "SELECT path FROM dataset_chunks WHERE name = @name", ("name", name)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                paths.Add(reader.GetString(0));
            }
        }

        foreach (var table in (string[])["dataset_chunks", "dataset_profiles", "dataset_versions", "datasets"])
        {
            await ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE name = @name", cancellationToken, ("name", name));
        }

        await transaction.CommitAsync(cancellationToken);
        return paths;
    }

    public async Task<IReadOnlySet<string>> ListReferencedBlobsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // Model artifacts are referenced too, or the orphan sweep would delete every registered model's file.
        await using var command = Command(connection, null, "SELECT path FROM dataset_chunks UNION SELECT artifact_path FROM model_versions");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            set.Add(reader.GetString(0));
        }

        return set;
    }

    public async Task<string?> GetProfileAsync(string name, int version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT profile_json FROM dataset_profiles WHERE name = @name AND version = @version", ("name", name), ("version", version));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task PutProfileAsync(string name, int version, string profileJson, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        // Only for a version that still exists: a profile computed while the dataset was deleted is dropped.
        await ExecuteAsync(connection, transaction,
            "INSERT INTO dataset_profiles (name, version, profile_json, created_at) " +
            "SELECT @name, @version, @json, @now WHERE EXISTS (SELECT 1 FROM dataset_versions WHERE name = @name AND version = @version) " +
            "ON CONFLICT (name, version) DO UPDATE SET profile_json = excluded.profile_json, created_at = excluded.created_at",
            cancellationToken, ("name", name), ("version", version), ("json", profileJson), ("now", ToMicros(DateTimeOffset.UtcNow)));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var exists = await ScalarLongAsync(connection, transaction, "SELECT COUNT(*) FROM api_keys WHERE name = @name", cancellationToken, ("name", key.Name));
        if (exists > 0)
        {
            throw new MetadataConflictException("api_key_exists", $"An API key named '{key.Name}' already exists.");
        }

        await ExecuteAsync(connection, transaction,
            "INSERT INTO api_keys (name, sha256, created_at) VALUES (@name, @hash, @now)",
            cancellationToken, ("name", key.Name), ("hash", key.Sha256Hex), ("now", ToMicros(key.CreatedAt)));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ApiKeyRecord?> FindApiKeyAsync(string sha256Hex, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT name, sha256, created_at FROM api_keys WHERE sha256 = @hash", ("hash", sha256Hex));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ApiKeyRecord(reader.GetString(0), reader.GetString(1), FromMicros(reader.GetInt64(2)))
            : null;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT name, sha256, created_at FROM api_keys ORDER BY name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<ApiKeyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new ApiKeyRecord(reader.GetString(0), reader.GetString(1), FromMicros(reader.GetInt64(2))));
        }

        return list;
    }

    public async Task<bool> DeleteApiKeyAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var deleted = await ExecuteAsync(connection, transaction, "DELETE FROM api_keys WHERE name = @name", cancellationToken, ("name", name));
        await transaction.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    private static readonly string[] SchemaV1 =
    [
        "CREATE TABLE IF NOT EXISTS datasets (name TEXT PRIMARY KEY, latest_version INTEGER NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, next_seq BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS dataset_versions (name TEXT NOT NULL, version INTEGER NOT NULL, base_version INTEGER NOT NULL, kind TEXT NOT NULL, schema_json TEXT NOT NULL, " +
            "row_count BIGINT NOT NULL, added_rows BIGINT NOT NULL, byte_count BIGINT NOT NULL, chunk_count INTEGER NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (name, version))",
        "CREATE TABLE IF NOT EXISTS dataset_chunks (name TEXT NOT NULL, seq BIGINT NOT NULL, path TEXT NOT NULL, row_count BIGINT NOT NULL, byte_count BIGINT NOT NULL, " +
            "added_in_version INTEGER NOT NULL, PRIMARY KEY (name, seq))",
        "CREATE TABLE IF NOT EXISTS dataset_profiles (name TEXT NOT NULL, version INTEGER NOT NULL, profile_json TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (name, version))",
        "CREATE TABLE IF NOT EXISTS api_keys (name TEXT PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL)",
    ];

    /// <summary>The model registry and durable jobs.</summary>
    private static readonly string[] SchemaV2 =
    [
        "CREATE TABLE IF NOT EXISTS models (name TEXT PRIMARY KEY, latest_version INTEGER NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS model_versions (name TEXT NOT NULL, version INTEGER NOT NULL, algorithm TEXT NOT NULL, parameters_json TEXT NOT NULL, " +
            "features_json TEXT NOT NULL, metrics_json TEXT NOT NULL, loss_curve_json TEXT NOT NULL, dataset_name TEXT NOT NULL, dataset_version INTEGER NOT NULL, " +
            "job_id TEXT, artifact_path TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (name, version))",
        "CREATE TABLE IF NOT EXISTS model_aliases (name TEXT NOT NULL, alias TEXT NOT NULL, version INTEGER NOT NULL, updated_at BIGINT NOT NULL, updated_by TEXT NOT NULL, PRIMARY KEY (name, alias))",
        "CREATE TABLE IF NOT EXISTS model_alias_history (name TEXT NOT NULL, seq BIGINT NOT NULL, alias TEXT NOT NULL, from_version INTEGER, to_version INTEGER, " +
            "changed_at BIGINT NOT NULL, changed_by TEXT NOT NULL, PRIMARY KEY (name, seq))",
        "CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, type TEXT NOT NULL, state TEXT NOT NULL, priority INTEGER NOT NULL, spec_json TEXT NOT NULL, " +
            "progress DOUBLE PRECISION NOT NULL, step TEXT, attempt INTEGER NOT NULL, error_code TEXT, error_message TEXT, result_json TEXT, cancel_requested INTEGER NOT NULL, " +
            "lease_owner TEXT, lease_expires BIGINT, created_at BIGINT NOT NULL, started_at BIGINT, finished_at BIGINT)",
        "CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, priority, created_at)",
        "CREATE TABLE IF NOT EXISTS job_checkpoints (job_id TEXT PRIMARY KEY, step INTEGER NOT NULL, state BYTEA NOT NULL, saved_at BIGINT NOT NULL)",
    ];

    /// <summary>Evaluations of model versions on dataset versions.</summary>
    private static readonly string[] SchemaV3 =
    [
        "CREATE TABLE IF NOT EXISTS evaluations (id TEXT PRIMARY KEY, job_id TEXT, dataset TEXT NOT NULL, created_at BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS evaluation_models (evaluation_id TEXT NOT NULL, position INTEGER NOT NULL, model TEXT NOT NULL, version INTEGER NOT NULL, " +
            "report_json TEXT NOT NULL, PRIMARY KEY (evaluation_id, position))",
        "CREATE INDEX IF NOT EXISTS evaluation_models_by_model ON evaluation_models (model, version)",
    ];

    /// <summary>The node directory behind <c>/v1/cluster</c>.</summary>
    private static readonly string[] SchemaV4 =
    [
        "CREATE TABLE IF NOT EXISTS nodes (id TEXT PRIMARY KEY, url TEXT NOT NULL, silo_address TEXT NOT NULL, started_at BIGINT NOT NULL, " +
            "seen_at BIGINT NOT NULL, load_json TEXT NOT NULL)",
    ];

    /// <summary>Holds on blob folders being written, so no node's orphan sweep removes an upload in flight.</summary>
    private static readonly string[] SchemaV5 =
    [
        "CREATE TABLE IF NOT EXISTS blob_writes (prefix TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at BIGINT NOT NULL)",
    ];

    /// <summary>Schema migrations in order (index + 1 is the version); portable SQL both backends accept.</summary>
    protected static readonly string[][] Migrations = [SchemaV1, SchemaV2, SchemaV3, SchemaV4, SchemaV5];

    /// <summary>The schema version a fully migrated database has.</summary>
    internal static int SchemaVersion => Migrations.Length;

    /// <summary>
    /// Brings the schema to <see cref="Migrations"/>' latest version inside the caller's transaction (which the
    /// backend has made exclusive), refusing a database newer than this code.
    /// </summary>
    protected static async Task ApplyMigrationsAsync(DbConnection connection, DbTransaction transaction, string database, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)", cancellationToken);
        var applied = await ScalarLongAsync(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", cancellationToken);
        if (applied > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The database {database} has schema version {applied}, newer than this node's {Migrations.Length}; upgrade this node.");
        }

        for (var version = (int)applied + 1; version <= Migrations.Length; version++)
        {
            foreach (var statement in Migrations[version - 1])
            {
                await ExecuteAsync(connection, transaction, statement, cancellationToken);
            }

            await ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @now)",
                cancellationToken, ("version", version), ("now", ToMicros(DateTimeOffset.UtcNow)));
        }
    }

    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (parameterName, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = parameterName;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    protected static async Task<int> ExecuteAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> ScalarLongAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<DatasetRecord?> ReadDatasetAsync(DbConnection connection, DbTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "SELECT name, latest_version, created_at, updated_at FROM datasets WHERE name = @name", ("name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new DatasetRecord(reader.GetString(0), reader.GetInt32(1), FromMicros(reader.GetInt64(2)), FromMicros(reader.GetInt64(3)))
            : null;
    }

    private static async Task<DatasetVersionRecord?> ReadVersionAsync(
        DbConnection connection, DbTransaction? transaction, string name, int? version, CancellationToken cancellationToken)
    {
        var sql = version is null
            ? $"SELECT {VersionColumns("v")} FROM dataset_versions v JOIN datasets d ON d.name = v.name AND d.latest_version = v.version WHERE v.name = @name"
            : $"SELECT {VersionColumns("v")} FROM dataset_versions v WHERE v.name = @name AND v.version = @version";
        await using var command = version is null
            ? Command(connection, transaction, sql, ("name", name))
            : Command(connection, transaction, sql, ("name", name), ("version", version.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadVersion(reader, 0) : null;
    }

    private static string VersionColumns(string alias) =>
        $"{alias}.name, {alias}.version, {alias}.base_version, {alias}.kind, {alias}.schema_json, {alias}.row_count, {alias}.added_rows, {alias}.byte_count, {alias}.chunk_count, {alias}.created_at";

    private static DatasetVersionRecord ReadVersion(DbDataReader reader, int offset) => new(
        reader.GetString(offset),
        reader.GetInt32(offset + 1),
        reader.GetInt32(offset + 2),
        reader.GetString(offset + 3) == "upload" ? VersionKind.Upload : VersionKind.Append,
        SchemaJson.Deserialize(reader.GetString(offset + 4)),
        reader.GetInt64(offset + 5),
        reader.GetInt64(offset + 6),
        reader.GetInt64(offset + 7),
        reader.GetInt32(offset + 8),
        FromMicros(reader.GetInt64(offset + 9)));

    protected static long ToMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    protected static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);
}
