namespace Granary.Storage.Jobs;

/// <summary>The life of a job: queued → running → succeeded | failed | cancelled.</summary>
public enum JobState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>
/// A durable job. <c>SpecJson</c> is what was submitted; <c>ResultJson</c> what it produced. A running job
/// is held under a lease (<c>LeaseOwner</c> until <c>LeaseExpiresAt</c>) that its runner renews; an expired
/// lease lets another runner (or this node after a restart) take the job over and resume it.
/// </summary>
public sealed record JobRecord(
    string Id,
    string Type,
    JobState State,
    int Priority,
    string SpecJson,
    double Progress,
    string? Step,
    int Attempt,
    string? ErrorCode,
    string? ErrorMessage,
    string? ResultJson,
    bool CancelRequested,
    string? LeaseOwner,
    DateTimeOffset? LeaseExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>The last checkpoint of a job: opaque bytes its runner wrote after a completed step.</summary>
public sealed record JobCheckpoint(string JobId, int Step, byte[] State, DateTimeOffset SavedAt);
