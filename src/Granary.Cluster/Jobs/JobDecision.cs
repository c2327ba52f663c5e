namespace Granary.Cluster.Jobs;

/// <summary>What to do with a job whose run ended in an exception.</summary>
public abstract record JobDecision
{
    private JobDecision()
    {
    }

    /// <summary>Queue it again; it resumes from its last checkpoint.</summary>
    public sealed record Retry(string Code, string Message) : JobDecision;

    /// <summary>Mark it failed with a stable code.</summary>
    public sealed record Fail(string Code, string Message) : JobDecision;

    /// <summary>Mark it cancelled (a user asked).</summary>
    public sealed record Cancel : JobDecision;

    /// <summary>Leave it: the lease was lost, another runner owns the job now.</summary>
    public sealed record Abandon : JobDecision;
}
