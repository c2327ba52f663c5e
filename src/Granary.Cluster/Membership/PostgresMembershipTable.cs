using System.Data;
using System.Globalization;
using Npgsql;

namespace Granary.Cluster.Membership;

/// <summary>
/// Orleans' membership table on Granary's own PostgreSQL database, so a cluster needs no second service.
/// One version row per cluster carries the table version and its etag; each silo row carries its own etag,
/// which only a full row update changes (heartbeats leave it alone, as Orleans expects). Every conditional
/// write locks the version row first, so "check etag, write row, bump version" is atomic.
/// </summary>
internal sealed class PostgresMembershipTable(NpgsqlDataSource dataSource, string clusterId) : IMembershipTable, IDisposable
{
    // Serialises concurrent table creation by nodes that start at the same moment.
    private const long SchemaLockKey = 0x4752_414E_4D42_5231;

    public async Task InitializeMembershipTable(bool tryInitTableVersion)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", ("key", SchemaLockKey));
        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS orleans_membership_version (cluster_id TEXT PRIMARY KEY, version INTEGER NOT NULL, etag BIGINT NOT NULL)");
        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS orleans_membership (cluster_id TEXT NOT NULL, address TEXT NOT NULL, status INTEGER NOT NULL, " +
            "suspect_times TEXT NOT NULL, proxy_port INTEGER NOT NULL, host_name TEXT NOT NULL, silo_name TEXT NOT NULL, role_name TEXT NOT NULL, " +
            "update_zone INTEGER NOT NULL, fault_zone INTEGER NOT NULL, start_time BIGINT NOT NULL, i_am_alive_time BIGINT NOT NULL, etag BIGINT NOT NULL, " +
            "PRIMARY KEY (cluster_id, address))");
        if (tryInitTableVersion)
        {
            await ExecuteAsync(connection, transaction,
                "INSERT INTO orleans_membership_version (cluster_id, version, etag) VALUES (@cluster, 0, 0) ON CONFLICT (cluster_id) DO NOTHING",
                ("cluster", clusterId));
        }

        await transaction.CommitAsync();
    }

    public async Task DeleteMembershipTableEntries(string clusterId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, "DELETE FROM orleans_membership WHERE cluster_id = @cluster", ("cluster", clusterId));
        await ExecuteAsync(connection, transaction, "DELETE FROM orleans_membership_version WHERE cluster_id = @cluster", ("cluster", clusterId));
        await transaction.CommitAsync();
    }

    public async Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, null,
            "DELETE FROM orleans_membership WHERE cluster_id = @cluster AND status = @dead AND GREATEST(start_time, i_am_alive_time) < @before",
            ("cluster", clusterId), ("dead", (int)SiloStatus.Dead), ("before", MembershipRows.ToMicros(beforeDate.UtcDateTime)));
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadAsync(key);

    public Task<MembershipTableData> ReadAll() => ReadAsync(null);

    public async Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (!await TryBumpVersionAsync(connection, transaction, tableVersion))
        {
            return false;
        }

        await using var insert = MembershipRows.Write(
            "INSERT INTO orleans_membership (cluster_id, address, status, suspect_times, proxy_port, host_name, silo_name, role_name, update_zone, " +
            "fault_zone, start_time, i_am_alive_time, etag) VALUES (@cluster, @address, @status, @suspects, @proxy, @host, @silo, @role, @update, " +
            "@fault, @start, @alive, 0) ON CONFLICT (cluster_id, address) DO NOTHING", connection, transaction, clusterId, entry);
        if (await insert.ExecuteNonQueryAsync() != 1)
        {
            return false;
        }

        await transaction.CommitAsync();
        return true;
    }

    public async Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion)
    {
        if (!long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var rowEtag))
        {
            return false;
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (!await TryBumpVersionAsync(connection, transaction, tableVersion))
        {
            return false;
        }

        await using var update = MembershipRows.Write(
            "UPDATE orleans_membership SET status = @status, suspect_times = @suspects, proxy_port = @proxy, host_name = @host, silo_name = @silo, " +
            "role_name = @role, update_zone = @update, fault_zone = @fault, start_time = @start, i_am_alive_time = @alive, etag = etag + 1 " +
            "WHERE cluster_id = @cluster AND address = @address AND etag = @etag", connection, transaction, clusterId, entry);
        update.Parameters.AddWithValue("etag", rowEtag);
        if (await update.ExecuteNonQueryAsync() != 1)
        {
            return false;
        }

        await transaction.CommitAsync();
        return true;
    }

    public async Task UpdateIAmAlive(MembershipEntry entry)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, null,
            "UPDATE orleans_membership SET i_am_alive_time = @alive WHERE cluster_id = @cluster AND address = @address",
            ("alive", MembershipRows.ToMicros(entry.IAmAliveTime)), ("cluster", clusterId), ("address", entry.SiloAddress.ToParsableString()));
    }

    private async Task<MembershipTableData> ReadAsync(SiloAddress? key)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        // One snapshot for the version row and the silo rows: Orleans requires them read atomically.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        TableVersion version;
        await using (var read = new NpgsqlCommand("SELECT version, etag FROM orleans_membership_version WHERE cluster_id = @cluster", connection, transaction))
        {
            read.Parameters.AddWithValue("cluster", clusterId);
            await using var reader = await read.ExecuteReaderAsync();
            version = await reader.ReadAsync()
                ? new TableVersion(reader.GetInt32(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture))
                : new TableVersion(0, "0");
        }

        var rows = new List<Tuple<MembershipEntry, string>>();
        await using (var read = new NpgsqlCommand(
            $"SELECT {MembershipRows.Columns} FROM orleans_membership WHERE cluster_id = @cluster" + (key is null ? string.Empty : " AND address = @address"),
            connection, transaction))
        {
            read.Parameters.AddWithValue("cluster", clusterId);
            if (key is not null)
            {
                read.Parameters.AddWithValue("address", key.ToParsableString());
            }

            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(MembershipRows.Read(reader));
            }
        }

        await transaction.CommitAsync();
        return new MembershipTableData(rows, version);
    }

    /// <summary>Locks the version row; moves it to <paramref name="next"/> only if its etag is the one the caller read.</summary>
    private async Task<bool> TryBumpVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TableVersion next)
    {
        if (!long.TryParse(next.VersionEtag, NumberStyles.None, CultureInfo.InvariantCulture, out var expected))
        {
            return false;
        }

        await using var bump = new NpgsqlCommand(
            "UPDATE orleans_membership_version SET version = @version, etag = etag + 1 WHERE cluster_id = @cluster AND etag = @etag",
            connection, transaction);
        bump.Parameters.AddWithValue("version", next.Version);
        bump.Parameters.AddWithValue("cluster", clusterId);
        bump.Parameters.AddWithValue("etag", expected);
        return await bump.ExecuteNonQueryAsync() == 1;
    }

    public void Dispose() => dataSource.Dispose();

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
