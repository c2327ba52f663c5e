namespace Granary.Storage.Jobs;

/// <summary>Durable jobs, their leases and checkpoints. Implemented by the SQL metadata stores.</summary>
public interface IJobStore
{
    Task<JobRecord> CreateJobAsync(string id, string type, int priority, string specJson, CancellationToken cancellationToken);

    Task<JobRecord?> GetJobAsync(string id, CancellationToken cancellationToken);

    /// <summary>Newest first; optionally only one state.</summary>
    Task<IReadOnlyList<JobRecord>> ListJobsAsync(JobState? state, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the next runnable job for <paramref name="owner"/>: the queued job of highest priority (oldest
    /// first), or a running job whose lease has expired (resumed). Null when none, or when
    /// <paramref name="maxRunning"/> jobs already hold unexpired leases (counted in the same transaction).
    /// Atomic across nodes.
    /// </summary>
    Task<JobRecord?> ClaimNextAsync(string owner, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken, int maxRunning = int.MaxValue);

    /// <summary>Extends the lease and records progress; false when the lease was lost (another owner, or finished).</summary>
    Task<bool> RenewAsync(string id, string owner, TimeSpan lease, double progress, string? step, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Ends a job the owner holds. False when the lease was lost.</summary>
    Task<bool> CompleteAsync(string id, string owner, JobState state, string? resultJson, string? errorCode, string? errorMessage, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Puts a held job back in the queue for a later attempt (retry), keeping its checkpoint.</summary>
    Task<bool> RequeueAsync(string id, string owner, string? errorCode, string? errorMessage, CancellationToken cancellationToken);

    /// <summary>Cancels a queued job at once, or flags a running one for its runner; false when already finished or unknown.</summary>
    Task<JobRecord?> RequestCancelAsync(string id, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Expires every lease <paramref name="owner"/> holds (a restarted node gives back what it held before); returns how many.</summary>
    Task<int> ReleaseLeasesAsync(string owner, CancellationToken cancellationToken);

    Task<int> CountRunningAsync(DateTimeOffset now, CancellationToken cancellationToken);

    Task SaveCheckpointAsync(string id, string owner, int step, byte[] state, DateTimeOffset now, CancellationToken cancellationToken);

    Task<JobCheckpoint?> GetCheckpointAsync(string id, CancellationToken cancellationToken);
}
