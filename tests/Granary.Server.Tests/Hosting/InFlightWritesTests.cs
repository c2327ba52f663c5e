using Granary.Cluster.Datasets;
using Granary.Server.Hosting;
using Granary.Storage.Blobs;
using Granary.Storage.Jobs;
using Granary.Storage.Sqlite;

namespace Granary.Server.Tests.Hosting;

/// <summary>The sweep keeps the outputs of unfinished jobs however old they are, and removes them once nothing will commit them.</summary>
public sealed class InFlightWritesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("granary-inflight-").FullName;

    [Fact]
    public async Task Outputs_of_unfinished_jobs_survive_the_sweep_until_the_job_ends()
    {
        var store = new SqliteMetadataStore(Path.Combine(_root, "granary.db"));
        await store.MigrateAsync(CancellationToken.None);
        var blobs = new FolderBlobStore(Path.Combine(_root, "blobs"));
        var sweeper = new OrphanSweeper(store, blobs, TimeProvider.System);
        var uploads = new UploadRegistry();
        var inFlight = new InFlightWrites(uploads, store, store, TimeProvider.System);

        await store.CreateJobAsync("job-scoring", "predict", 0, "{}", CancellationToken.None);
        var claimed = await store.ClaimNextAsync("node-a", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal("job-scoring", claimed!.Id);
        string[] paths =
        [
            "datasets/out/job-scoring/000000.parquet", "datasets/out/job-gone/000000.parquet", "datasets/up/x/000000.parquet",
            "datasets/up/held-elsewhere/000000.parquet",
        ];
        foreach (var path in paths)
        {
            await blobs.WriteAsync(path, (stream, ct) => stream.WriteAsync(new byte[] { 1, 2, 3 }, ct).AsTask(), CancellationToken.None);
            File.SetLastWriteTimeUtc(Path.Combine(_root, "blobs", path), DateTime.UtcNow.AddDays(-2));
        }

        uploads.Add("datasets/up/x");
        // An upload another node is receiving: known here only by its hold in the shared store.
        await store.HoldWriteAsync("datasets/up/held-elsewhere", "node-b", DateTimeOffset.UtcNow.AddMinutes(5), CancellationToken.None);
        var (files, _) = await sweeper.SweepAsync(TimeSpan.FromHours(1), await inFlight.SnapshotAsync(CancellationToken.None), CancellationToken.None);
        Assert.Equal(1, files); // only the output of a job that no longer exists
        Assert.True(blobs.Exists(paths[0]));
        Assert.False(blobs.Exists(paths[1]));
        Assert.True(blobs.Exists(paths[2]));
        Assert.True(blobs.Exists(paths[3]));

        await store.CompleteAsync("job-scoring", "node-a", JobState.Failed, null, "x", "failed", DateTimeOffset.UtcNow, CancellationToken.None);
        uploads.Remove("datasets/up/x");
        await store.ReleaseWriteAsync("datasets/up/held-elsewhere", CancellationToken.None);
        (files, _) = await sweeper.SweepAsync(TimeSpan.FromHours(1), await inFlight.SnapshotAsync(CancellationToken.None), CancellationToken.None);
        Assert.Equal(3, files);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
