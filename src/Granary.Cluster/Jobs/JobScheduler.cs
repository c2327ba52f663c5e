using Granary.Storage.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Cluster.Jobs;

/// <summary>
/// Claims queued jobs while this node and the cluster have capacity, runs each under a renewed lease, and
/// acts on <see cref="JobFailurePolicy"/>'s decision when a run throws. On start it releases the leases its
/// previous incarnation held, so interrupted jobs resume from their checkpoints straight away.
/// </summary>
public sealed partial class JobScheduler(
    IJobStore store,
    IEnumerable<IJobRunner> runners,
    JobRunnerIdentity identity,
    JobSignal signal,
    IOptions<JobsOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    Observability.GranaryMetrics metrics,
    ILogger<JobScheduler> logger) : BackgroundService
{
    private readonly Dictionary<string, IJobRunner> _runners = runners.ToDictionary(r => r.Type, StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);

    public int RunningHere
    {
        get
        {
            lock (_running)
            {
                return _running.Count;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var released = await store.ReleaseLeasesAsync(identity.Owner, stoppingToken);
        if (released > 0)
        {
            LogResuming(logger, released);
        }

        // Runs stop as soon as the node begins to stop, while the silo they call is still up.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        stoppingToken = stopping.Token;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (RunningHere < settings.MaxConcurrent &&
                       await store.ClaimNextAsync(identity.Owner, settings.LeaseDuration, time.GetUtcNow(), stoppingToken, settings.MaxConcurrentCluster) is { } job)
                {
                    Start(job, stoppingToken);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogClaimFailed(logger, error);
            }

            try
            {
                await signal.WaitAsync(settings.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Task[] remaining;
        lock (_running)
        {
            remaining = [.. _running.Values];
        }

        await Task.WhenAll(remaining);
    }

    private void Start(JobRecord job, CancellationToken stoppingToken)
    {
        lock (_running)
        {
            _running[job.Id] = Task.Run(async () =>
            {
                try
                {
                    await RunAsync(job, stoppingToken);
                }
                finally
                {
                    lock (_running)
                    {
                        _running.Remove(job.Id);
                    }

                    signal.Notify();
                }
            }, CancellationToken.None);
        }
    }

    private async Task RunAsync(JobRecord job, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var context = new JobContext(job, store, identity.Owner, time);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var flags = new RunFlags();
        using var renewing = new CancellationTokenSource();
        var renewal = RenewAsync(context, flags, run, renewing.Token);
        LogStarted(logger, job.Id, job.Type, job.Attempt);
        try
        {
            if (!_runners.TryGetValue(job.Type, out var runner))
            {
                throw new JobFailedException("unknown_job_type", $"No runner for job type '{job.Type}'.");
            }

            var result = await runner.RunAsync(context, run.Token);
            await renewing.CancelAsync();
            await renewal;
            if (await store.CompleteAsync(job.Id, identity.Owner, JobState.Succeeded, result, null, null, time.GetUtcNow(), CancellationToken.None))
            {
                LogFinished(logger, job.Id, "succeeded");
                metrics.JobFinished(job.Type, "succeeded");
            }
        }
        catch (Exception error)
        {
            await renewing.CancelAsync();
            await renewal;
            var decision = stoppingToken.IsCancellationRequested && !flags.CancelRequested
                ? new JobDecision.Retry("node_stopping", "The node running the job stopped; it resumes from its last checkpoint.")
                : JobFailurePolicy.Decide(job.Attempt, settings.MaxAttempts, flags.CancelRequested, flags.LeaseLost, error);
            await ActAsync(job, decision, error);
        }
    }

    private async Task ActAsync(JobRecord job, JobDecision decision, Exception error)
    {
        var now = time.GetUtcNow();
        switch (decision)
        {
            case JobDecision.Retry retry:
                LogRetrying(logger, error, job.Id, retry.Code);
                await store.RequeueAsync(job.Id, identity.Owner, retry.Code, retry.Message, CancellationToken.None);
                break;
            case JobDecision.Fail fail:
                LogFailed(logger, job.Id, fail.Code, fail.Message);
                await store.CompleteAsync(job.Id, identity.Owner, JobState.Failed, null, fail.Code, fail.Message, now, CancellationToken.None);
                metrics.JobFinished(job.Type, "failed");
                break;
            case JobDecision.Cancel:
                await store.CompleteAsync(job.Id, identity.Owner, JobState.Cancelled, null, "cancelled", "Cancelled on request.", now, CancellationToken.None);
                LogFinished(logger, job.Id, "cancelled");
                metrics.JobFinished(job.Type, "cancelled");
                break;
            case JobDecision.Abandon:
                LogAbandoned(logger, job.Id);
                break;
        }
    }

    /// <summary>
    /// Renews the lease every <see cref="JobsOptions.RenewInterval"/> and checks for a cancel request; in between,
    /// writes new progress at most every <see cref="JobsOptions.ProgressInterval"/> (each write renews the lease too).
    /// A lost lease or a cancel request stops the run.
    /// </summary>
    private async Task RenewAsync(JobContext context, RunFlags flags, CancellationTokenSource run, CancellationToken stop)
    {
        var settings = options.Value;
        var tick = settings.ProgressInterval < settings.RenewInterval ? settings.ProgressInterval : settings.RenewInterval;
        var written = context.Current;
        var lastRenewal = time.GetTimestamp();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(tick, time, stop);
                var current = context.Current;
                var renewalDue = time.GetElapsedTime(lastRenewal) >= settings.RenewInterval;
                if (!renewalDue && current == written)
                {
                    continue;
                }

                if (!await store.RenewAsync(context.Job.Id, identity.Owner, settings.LeaseDuration, current.Progress, current.Step, time.GetUtcNow(), stop))
                {
                    flags.LeaseLost = true;
                    await run.CancelAsync();
                    return;
                }

                written = current;
                if (!renewalDue)
                {
                    continue;
                }

                lastRenewal = time.GetTimestamp();
                if ((await store.GetJobAsync(context.Job.Id, stop))?.CancelRequested == true)
                {
                    flags.CancelRequested = true;
                    await run.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The store is unreachable: keep running; the lease may expire and another runner take over,
            // which the next renewal (or the final commit) detects.
            LogRenewFailed(logger, error, context.Job.Id);
            return;
        }

        // The run ended: without this its last step (the final iteration, or where it failed) would stay
        // whatever the last throttled write left, up to ProgressInterval old.
        if (context.Current != written)
        {
            await FlushProgressAsync(context, settings);
        }
    }

    private async Task FlushProgressAsync(JobContext context, JobsOptions settings)
    {
        try
        {
            var (progress, step) = context.Current;
            await store.RenewAsync(context.Job.Id, identity.Owner, settings.LeaseDuration, progress, step, time.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception error)
        {
            LogRenewFailed(logger, error, context.Job.Id);
        }
    }

    private sealed class RunFlags
    {
        public volatile bool LeaseLost;
        public volatile bool CancelRequested;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming {Count} jobs this node was running before it stopped")]
    private static partial void LogResuming(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Id} ({Type}) started, attempt {Attempt}")]
    private static partial void LogStarted(ILogger logger, string id, string type, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Id} {State}")]
    private static partial void LogFinished(ILogger logger, string id, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Id} failed: {Code}: {Message}")]
    private static partial void LogFailed(ILogger logger, string id, string code, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Id} will be retried ({Code})")]
    private static partial void LogRetrying(ILogger logger, Exception error, string id, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Id} lost its lease; another runner owns it now")]
    private static partial void LogAbandoned(ILogger logger, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lease of job {Id}")]
    private static partial void LogRenewFailed(ILogger logger, Exception error, string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not claim jobs; retrying at the next poll")]
    private static partial void LogClaimFailed(ILogger logger, Exception error);
}
