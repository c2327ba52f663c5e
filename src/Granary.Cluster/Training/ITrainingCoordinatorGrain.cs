namespace Granary.Cluster.Training;

/// <summary>
/// Holds the optimiser of one training job (keyed by job id) and drives the passes over the dataset's
/// shard grains; each call is one optimiser iteration, so the job runner checkpoints, reports progress
/// and honours cancellation between them. Losing the activation loses nothing: the runner starts it
/// again from the last checkpoint.
/// </summary>
public interface ITrainingCoordinatorGrain : IGrainWithStringKey
{
    /// <summary>Starts fresh, or from a checkpoint an earlier iteration returned.</summary>
    [ResponseTimeout("00:30:00")]
    Task<IterationReport> StartAsync(TrainingPlan plan, byte[]? checkpoint);

    /// <summary>Runs evaluations until one optimiser iteration completes (or the optimiser stops).</summary>
    [ResponseTimeout("02:00:00")]
    Task<IterationReport> IterateAsync();

    /// <summary>A last pass for the final metrics; returns the coefficients and everything to register.</summary>
    [ResponseTimeout("02:00:00")]
    Task<TrainingOutcome> FinishAsync();
}
