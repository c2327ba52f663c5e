namespace Granary.Cluster.Jobs;

/// <summary>Runs one type of job. Registered in DI; the scheduler picks the runner by <see cref="Type"/>.</summary>
public interface IJobRunner
{
    string Type { get; }

    /// <summary>Runs (or resumes, when <see cref="JobContext.LoadCheckpointAsync"/> returns state) and returns the result JSON.</summary>
    Task<string> RunAsync(JobContext context, CancellationToken cancellationToken);
}
