using Granary.Storage.Jobs;

namespace Granary.Cluster.Jobs;

/// <summary>
/// What a runner sees of its job: the record as claimed, progress reporting (flushed to the store within
/// <see cref="JobsOptions.ProgressInterval"/>, so every node can show it), and checkpoints that only the lease holder may write.
/// </summary>
public sealed class JobContext(JobRecord job, IJobStore store, string owner, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _progress = job.Progress;
    private string? _step = job.Step;

    public JobRecord Job { get; } = job;

    public string Owner { get; } = owner;

    /// <summary>Records progress (0..1) and a short description of the current step.</summary>
    public void Report(double progress, string step)
    {
        lock (_gate)
        {
            _progress = Math.Clamp(progress, 0, 1);
            _step = step;
        }
    }

    public (double Progress, string? Step) Current
    {
        get
        {
            lock (_gate)
            {
                return (_progress, _step);
            }
        }
    }

    public Task SaveCheckpointAsync(int step, byte[] state, CancellationToken cancellationToken) =>
        store.SaveCheckpointAsync(Job.Id, Owner, step, state, time.GetUtcNow(), cancellationToken);

    public Task<JobCheckpoint?> LoadCheckpointAsync(CancellationToken cancellationToken) => store.GetCheckpointAsync(Job.Id, cancellationToken);
}
