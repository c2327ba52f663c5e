using Granary.Storage.Jobs;
using Granary.Storage.Metadata;

namespace Granary.Storage.Tests.Jobs;

/// <summary>The behaviour every job-store backend must have.</summary>
public abstract class JobStoreContractTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = DateTimeOffset.UtcNow;

    protected abstract Task<IJobStore> CreateStoreAsync();

    /// <summary><paramref name="count"/> stores over one fresh database, each as a separate node would open it.</summary>
    protected abstract Task<IReadOnlyList<IJobStore>> CreateNodesAsync(int count);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task ClaimNextAsync_QueuedJobs_HighestPriorityThenOldestFirst()
    {
        var store = await CreateStoreAsync();
        await store.CreateJobAsync("a", "train", 0, "{}", Ct);
        await Task.Delay(2);
        await store.CreateJobAsync("b", "train", 5, "{}", Ct);
        await Task.Delay(2);
        await store.CreateJobAsync("c", "train", 0, "{}", Ct);

        var order = new List<string>();
        while (await store.ClaimNextAsync("node-1", Lease, T0, Ct) is { } job)
        {
            order.Add(job.Id);
            Assert.Equal((JobState.Running, "node-1", 1), (job.State, job.LeaseOwner, job.Attempt));
        }

        Assert.Equal(["b", "a", "c"], order);
    }

    [Fact]
    public async Task ClaimNextAsync_ConcurrentRunners_EachJobClaimedOnce()
    {
        var store = await CreateStoreAsync();
        for (var i = 0; i < 20; i++)
        {
            await store.CreateJobAsync($"j{i}", "train", 0, "{}", Ct);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (await store.ClaimNextAsync($"runner-{r}", Lease, T0, Ct) is { } job)
            {
                mine.Add(job.Id);
            }

            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(20, all.Count);
        Assert.Equal(20, all.Distinct().Count());
    }

    [Fact]
    public async Task ClaimNextAsync_ExpiredLease_ResumedByAnotherOwnerWithCheckpoint()
    {
        var store = await CreateStoreAsync();
        await store.CreateJobAsync("j", "train", 0, "{}", Ct);
        var first = await store.ClaimNextAsync("dead-node", Lease, T0, Ct);
        await store.SaveCheckpointAsync("j", "dead-node", 7, [1, 2, 3], T0, Ct);

        Assert.Null(await store.ClaimNextAsync("other", Lease, T0 + TimeSpan.FromSeconds(10), Ct));
        var resumed = await store.ClaimNextAsync("other", Lease, T0 + TimeSpan.FromSeconds(31), Ct);

        Assert.Equal(("j", "other", 2), (resumed!.Id, resumed.LeaseOwner, resumed.Attempt));
        Assert.Equal(first!.StartedAt, resumed.StartedAt);
        var checkpoint = await store.GetCheckpointAsync("j", Ct);
        Assert.Equal(7, checkpoint!.Step);
        Assert.Equal(new byte[] { 1, 2, 3 }, checkpoint.State);
        Assert.False(await store.RenewAsync("j", "dead-node", Lease, 0.5, "late", T0 + TimeSpan.FromSeconds(32), Ct));
        await Assert.ThrowsAsync<MetadataConflictException>(() => store.SaveCheckpointAsync("j", "dead-node", 8, [9], T0, Ct));
    }

    [Fact]
    public async Task RenewAndComplete_ByOwner_RecordsProgressAndResult()
    {
        var store = await CreateStoreAsync();
        await store.CreateJobAsync("j", "train", 0, "{\"a\":1}", Ct);
        await store.ClaimNextAsync("n", Lease, T0, Ct);

        Assert.True(await store.RenewAsync("j", "n", Lease, 0.25, "iteration 3", T0, Ct));
        var running = await store.GetJobAsync("j", Ct);
        Assert.Equal((0.25, "iteration 3"), (running!.Progress, running.Step));
        Assert.Equal(1, await store.CountRunningAsync(T0, Ct));

        Assert.True(await store.CompleteAsync("j", "n", JobState.Succeeded, "{\"version\":1}", null, null, T0, Ct));
        var done = await store.GetJobAsync("j", Ct);
        Assert.Equal((JobState.Succeeded, 1.0, "{\"version\":1}", (string?)null), (done!.State, done.Progress, done.ResultJson, done.LeaseOwner));
        Assert.NotNull(done.FinishedAt);
        Assert.False(await store.CompleteAsync("j", "n", JobState.Failed, null, "x", "y", T0, Ct));
        Assert.Equal(0, await store.CountRunningAsync(T0, Ct));
    }

    [Fact]
    public async Task RequestCancelAsync_Queued_CancelsAtOnce_Running_FlagsForRunner()
    {
        var store = await CreateStoreAsync();
        await store.CreateJobAsync("q", "train", 0, "{}", Ct);
        await store.CreateJobAsync("r", "train", 9, "{}", Ct);
        await store.ClaimNextAsync("n", Lease, T0, Ct);

        var queued = await store.RequestCancelAsync("q", T0, Ct);
        var running = await store.RequestCancelAsync("r", T0, Ct);

        Assert.Equal(JobState.Cancelled, queued!.State);
        Assert.Equal((JobState.Running, true), (running!.State, running.CancelRequested));
        Assert.Null(await store.RequestCancelAsync("missing", T0, Ct));
        Assert.Null(await store.ClaimNextAsync("n", Lease, T0, Ct));
    }

    [Fact]
    public async Task RequeueAsync_HeldJob_QueuedAgainKeepingAttemptCount()
    {
        var store = await CreateStoreAsync();
        await store.CreateJobAsync("j", "train", 0, "{}", Ct);
        await store.ClaimNextAsync("n", Lease, T0, Ct);
        Assert.True(await store.RequeueAsync("j", "n", "transient", "disk hiccup", Ct));

        var again = await store.ClaimNextAsync("n", Lease, T0, Ct);
        Assert.Equal((2, "transient"), (again!.Attempt, again.ErrorCode));
    }

    [Fact]
    public async Task ListJobsAsync_FilterByState_NewestFirst()
    {
        var store = await CreateStoreAsync();
        await store.CreateJobAsync("old", "train", 0, "{}", Ct);
        await Task.Delay(2);
        await store.CreateJobAsync("new", "train", 0, "{}", Ct);
        await store.ClaimNextAsync("n", Lease, T0, Ct);

        Assert.Equal(["new", "old"], (await store.ListJobsAsync(null, 10, Ct)).Select(j => j.Id));
        Assert.Equal(["new"], (await store.ListJobsAsync(JobState.Queued, 10, Ct)).Select(j => j.Id));
        Assert.Single(await store.ListJobsAsync(null, 1, Ct));
    }

    [Fact]
    public async Task ClaimNextAsync_ManyNodesRacing_EachJobClaimedExactlyOnce()
    {
        const int Total = 40;
        var nodes = await CreateNodesAsync(4);
        for (var i = 0; i < Total / 2; i++)
        {
            await nodes[i % nodes.Count].CreateJobAsync($"early-{i}", "train", i % 3, "{}", Ct);
        }

        // Half the jobs arrive while eight claimers (two per node) race for them.
        var producer = Task.Run(async () =>
        {
            for (var i = 0; i < Total / 2; i++)
            {
                await nodes[i % nodes.Count].CreateJobAsync($"late-{i}", "train", i % 3, "{}", Ct);
            }
        });
        var claimed = 0;
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        var claims = await Task.WhenAll(Enumerable.Range(0, 2 * nodes.Count).Select(r => Task.Run(async () =>
        {
            var mine = new List<JobRecord>();
            while (Volatile.Read(ref claimed) < Total && DateTimeOffset.UtcNow < deadline)
            {
                if (await nodes[r % nodes.Count].ClaimNextAsync($"runner-{r}", Lease, T0, Ct) is { } job)
                {
                    mine.Add(job);
                    Interlocked.Increment(ref claimed);
                }
                else
                {
                    await Task.Delay(1);
                }
            }

            return mine;
        })));
        await producer;

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(Total, all.Count);
        Assert.Equal(Total, all.Select(j => j.Id).Distinct().Count());
        foreach (var (runner, jobs) in claims.Select((jobs, r) => ($"runner-{r}", jobs)))
        {
            foreach (var job in jobs)
            {
                var stored = await nodes[0].GetJobAsync(job.Id, Ct);
                Assert.Equal((JobState.Running, runner, 1), (stored!.State, stored.LeaseOwner, stored.Attempt));
            }
        }

        Assert.Null(await nodes[0].ClaimNextAsync("late-runner", Lease, T0, Ct));
    }

    [Fact]
    public async Task ClaimNextAsync_ClusterLimit_HoldsWhenNodesRace()
    {
        var nodes = await CreateNodesAsync(4);
        for (var i = 0; i < 12; i++)
        {
            await nodes[0].CreateJobAsync($"job-{i}", "train", 0, "{}", Ct);
        }

        // Twelve claimers on four nodes, all at once, under a cluster-wide limit of three.
        var claims = await Task.WhenAll(Enumerable.Range(0, 12).Select(r => Task.Run(() =>
            nodes[r % nodes.Count].ClaimNextAsync($"runner-{r}", Lease, T0, Ct, maxRunning: 3))));
        Assert.Equal(3, claims.Count(c => c is not null));
        Assert.Equal(3, await nodes[1].CountRunningAsync(T0, Ct));

        // Capacity frees when one finishes; an expired lease no longer counts either.
        var first = claims.First(c => c is not null)!;
        await nodes[2].CompleteAsync(first.Id, first.LeaseOwner!, JobState.Succeeded, "{}", null, null, T0, Ct);
        Assert.NotNull(await nodes[3].ClaimNextAsync("runner-late", Lease, T0, Ct, maxRunning: 3));
        Assert.Null(await nodes[3].ClaimNextAsync("runner-late", Lease, T0, Ct, maxRunning: 3));
        Assert.NotNull(await nodes[3].ClaimNextAsync("runner-later", Lease, T0 + Lease + TimeSpan.FromSeconds(1), Ct, maxRunning: 3));
    }
}
