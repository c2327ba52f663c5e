using System.ComponentModel.DataAnnotations;

namespace Granary.Cluster.Jobs;

/// <summary>How this node runs durable jobs. Section <c>Jobs</c>.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Jobs this node runs at once; the rest wait in the queue in priority order. Default 2.</summary>
    [Range(1, 256)]
    public int MaxConcurrent { get; set; } = 2;

    /// <summary>Jobs running at once across the whole cluster. Default 16.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentCluster { get; set; } = 16;

    /// <summary>How long a runner's claim on a job lasts without renewal; a dead node's jobs resume after it. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:02", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a runner renews its lease and checks for cancellation (at the latest). Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Shortest gap between two progress writes of a running job (they happen only when progress changed, and renew
    /// the lease too), so followers see each step without a write per step. Default 250 ms.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often an idle node looks for queued work (a submission on this node wakes it at once). Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts before a job that keeps failing for transient reasons is marked failed. Default 3.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;
}
