using System.Data.Common;
using Granary.Storage.Jobs;

namespace Granary.Storage.Metadata;

/// <summary>Durable jobs: the queue, leases that runners renew, and checkpoints.</summary>
public abstract partial class SqlMetadataStore : IJobStore
{
    private const string JobColumns =
        "id, type, state, priority, spec_json, progress, step, attempt, error_code, error_message, result_json, cancel_requested, lease_owner, lease_expires, created_at, started_at, finished_at";

    public async Task<JobRecord> CreateJobAsync(string id, string type, int priority, string specJson, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        await ExecuteAsync(connection, transaction,
            $"INSERT INTO jobs ({JobColumns}) VALUES (@id, @type, 'queued', @priority, @spec, 0, NULL, 0, NULL, NULL, NULL, 0, NULL, NULL, @now, NULL, NULL)",
            cancellationToken, ("id", id), ("type", type), ("priority", priority), ("spec", specJson), ("now", ToMicros(DateTimeOffset.UtcNow)));
        var job = await ReadJobAsync(connection, transaction, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return job!;
    }

    public async Task<JobRecord?> GetJobAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadJobAsync(connection, null, id, cancellationToken);
    }

    public async Task<IReadOnlyList<JobRecord>> ListJobsAsync(JobState? state, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = state is null
            ? Command(connection, null, $"SELECT {JobColumns} FROM jobs ORDER BY created_at DESC, id DESC LIMIT @limit", ("limit", limit))
            : Command(connection, null, $"SELECT {JobColumns} FROM jobs WHERE state = @state ORDER BY created_at DESC, id DESC LIMIT @limit",
                ("state", StateName(state.Value)), ("limit", limit));
        return await ReadJobsAsync(command, cancellationToken);
    }

    public async Task<JobRecord?> ClaimNextAsync(string owner, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken, int maxRunning = int.MaxValue)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        // Counted inside the write transaction, so nodes claiming at the same moment cannot together exceed the limit.
        if (maxRunning < int.MaxValue &&
            await ScalarLongAsync(connection, transaction, "SELECT COUNT(*) FROM jobs WHERE state = 'running' AND lease_expires >= @now",
                cancellationToken, ("now", ToMicros(now))) >= maxRunning)
        {
            return null;
        }

        // A running job whose lease expired lost its runner (a crash): resume it before starting new work.
        string? id;
        await using (var pick = Command(connection, transaction,
            "SELECT id FROM jobs WHERE (state = 'running' AND lease_expires < @now) OR state = 'queued' " +
            "ORDER BY CASE WHEN state = 'running' THEN 0 ELSE 1 END, priority DESC, created_at, id LIMIT 1",
            ("now", ToMicros(now))))
        {
            id = await pick.ExecuteScalarAsync(cancellationToken) as string;
        }

        if (id is null)
        {
            return null;
        }

        await ExecuteAsync(connection, transaction,
            "UPDATE jobs SET state = 'running', lease_owner = @owner, lease_expires = @until, attempt = attempt + 1, " +
            "started_at = COALESCE(started_at, @now) WHERE id = @id",
            cancellationToken, ("owner", owner), ("until", ToMicros(now + lease)), ("now", ToMicros(now)), ("id", id));
        var job = await ReadJobAsync(connection, transaction, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return job;
    }

    public async Task<bool> RenewAsync(string id, string owner, TimeSpan lease, double progress, string? step, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var updated = await ExecuteAsync(connection, transaction,
            "UPDATE jobs SET lease_expires = @until, progress = @progress, step = @step WHERE id = @id AND lease_owner = @owner AND state = 'running'",
            cancellationToken, ("until", ToMicros(now + lease)), ("progress", progress), ("step", (object?)step ?? DBNull.Value), ("id", id), ("owner", owner));
        await transaction.CommitAsync(cancellationToken);
        return updated == 1;
    }

    public async Task<bool> CompleteAsync(
        string id, string owner, JobState state, string? resultJson, string? errorCode, string? errorMessage, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var updated = await ExecuteAsync(connection, transaction,
            "UPDATE jobs SET state = @state, result_json = @result, error_code = @code, error_message = @message, finished_at = @now, " +
            "progress = CASE WHEN @state = 'succeeded' THEN 1 ELSE progress END, lease_owner = NULL, lease_expires = NULL " +
            "WHERE id = @id AND lease_owner = @owner AND state = 'running'",
            cancellationToken, ("state", StateName(state)), ("result", (object?)resultJson ?? DBNull.Value), ("code", (object?)errorCode ?? DBNull.Value),
            ("message", (object?)errorMessage ?? DBNull.Value), ("now", ToMicros(now)), ("id", id), ("owner", owner));
        await transaction.CommitAsync(cancellationToken);
        return updated == 1;
    }

    public async Task<bool> RequeueAsync(string id, string owner, string? errorCode, string? errorMessage, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var updated = await ExecuteAsync(connection, transaction,
            "UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_expires = NULL, error_code = @code, error_message = @message " +
            "WHERE id = @id AND lease_owner = @owner AND state = 'running'",
            cancellationToken, ("code", (object?)errorCode ?? DBNull.Value), ("message", (object?)errorMessage ?? DBNull.Value), ("id", id), ("owner", owner));
        await transaction.CommitAsync(cancellationToken);
        return updated == 1;
    }

    public async Task<JobRecord?> RequestCancelAsync(string id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        await ExecuteAsync(connection, transaction,
            "UPDATE jobs SET state = 'cancelled', finished_at = @now, cancel_requested = 1 WHERE id = @id AND state = 'queued'",
            cancellationToken, ("now", ToMicros(now)), ("id", id));
        await ExecuteAsync(connection, transaction,
            "UPDATE jobs SET cancel_requested = 1 WHERE id = @id AND state = 'running'", cancellationToken, ("id", id));
        var job = await ReadJobAsync(connection, transaction, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return job;
    }

    public async Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var released = await ExecuteAsync(connection, transaction,
            "UPDATE jobs SET lease_expires = 0 WHERE lease_owner = @owner AND state = 'running'", cancellationToken, ("owner", owner));
        await transaction.CommitAsync(cancellationToken);
        return released;
    }

    public async Task<int> CountRunningAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT COUNT(*) FROM jobs WHERE state = 'running' AND lease_expires >= @now", ("now", ToMicros(now)));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task SaveCheckpointAsync(string id, string owner, int step, byte[] state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        // Only the lease holder may write: a runner that lost its lease must not overwrite its successor's progress.
        await using (var check = Command(connection, transaction, "SELECT COUNT(*) FROM jobs WHERE id = @id AND lease_owner = @owner AND state = 'running'",
            ("id", id), ("owner", owner)))
        {
            if (Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                throw new MetadataConflictException("lease_lost", $"Job '{id}' is no longer held by this runner.");
            }
        }

        await ExecuteAsync(connection, transaction,
            "INSERT INTO job_checkpoints (job_id, step, state, saved_at) VALUES (@id, @step, @state, @now) " +
            "ON CONFLICT (job_id) DO UPDATE SET step = excluded.step, state = excluded.state, saved_at = excluded.saved_at",
            cancellationToken, ("id", id), ("step", step), ("state", state), ("now", ToMicros(now)));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<JobCheckpoint?> GetCheckpointAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT job_id, step, state, saved_at FROM job_checkpoints WHERE job_id = @id", ("id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new JobCheckpoint(reader.GetString(0), reader.GetInt32(1), (byte[])reader.GetValue(2), FromMicros(reader.GetInt64(3)))
            : null;
    }

    private static async Task<JobRecord?> ReadJobAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"SELECT {JobColumns} FROM jobs WHERE id = @id", ("id", id));
        var jobs = await ReadJobsAsync(command, cancellationToken);
        return jobs.Count == 0 ? null : jobs[0];
    }

    private static async Task<IReadOnlyList<JobRecord>> ReadJobsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<JobRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new JobRecord(
                reader.GetString(0),
                reader.GetString(1),
                ParseState(reader.GetString(2)),
                reader.GetInt32(3),
                reader.GetString(4),
                reader.GetDouble(5),
                NullableString(reader, 6),
                reader.GetInt32(7),
                NullableString(reader, 8),
                NullableString(reader, 9),
                NullableString(reader, 10),
                reader.GetInt32(11) != 0,
                NullableString(reader, 12),
                reader.IsDBNull(13) ? null : FromMicros(reader.GetInt64(13)),
                FromMicros(reader.GetInt64(14)),
                reader.IsDBNull(15) ? null : FromMicros(reader.GetInt64(15)),
                reader.IsDBNull(16) ? null : FromMicros(reader.GetInt64(16))));
        }

        return list;
    }

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static string StateName(JobState state) => state switch
    {
        JobState.Queued => "queued",
        JobState.Running => "running",
        JobState.Succeeded => "succeeded",
        JobState.Failed => "failed",
        JobState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    private static JobState ParseState(string state) => state switch
    {
        "queued" => JobState.Queued,
        "running" => JobState.Running,
        "succeeded" => JobState.Succeeded,
        "failed" => JobState.Failed,
        "cancelled" => JobState.Cancelled,
        _ => throw new InvalidDataException($"Unknown job state '{state}'."),
    };
}
