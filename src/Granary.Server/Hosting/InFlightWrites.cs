using Granary.Cluster.Datasets;
using Granary.Storage.Blobs;
using Granary.Storage.Jobs;

namespace Granary.Server.Hosting;

/// <summary>
/// Which blob paths belong to writes still in flight, whatever their age: uploads on any node (this node's registry,
/// and the folders held in the shared store), and the outputs of unfinished jobs anywhere in the cluster (scoring chunks and model artifacts live under a folder named
/// after their job id, and are committed only when the job ends, which may be hours after the first was written).
/// The orphan sweep keeps them; without this a long scoring job could lose finished chunks to another node's sweep.
/// </summary>
internal sealed class InFlightWrites(UploadRegistry uploads, IJobStore jobs, IWriteHoldStore holds, TimeProvider time)
{
    /// <summary>Read before the sweep lists files: a job that ends later has committed its files by then, one that starts later writes young files.</summary>
    public async Task<Func<string, bool>> SnapshotAsync(CancellationToken cancellationToken)
    {
        var unfinished = new HashSet<string>(StringComparer.Ordinal);
        foreach (var state in new[] { JobState.Queued, JobState.Running })
        {
            foreach (var job in await jobs.ListJobsAsync(state, 100_000, cancellationToken))
            {
                unfinished.Add(job.Id);
            }
        }

        var held = (await holds.ListHeldWritesAsync(time.GetUtcNow(), cancellationToken)).Select(prefix => prefix + "/").ToArray();
        return path => uploads.IsActive(path) ||
            (unfinished.Count > 0 && path.Split('/').Any(unfinished.Contains)) ||
            held.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal));
    }
}
