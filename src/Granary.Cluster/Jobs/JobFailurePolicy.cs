using Granary.Core.Ingest;
using Granary.Storage.Metadata;

namespace Granary.Cluster.Jobs;

/// <summary>
/// Decides the fate of a failed run: faults in what was submitted fail at once; anything else is assumed
/// transient (a node died mid-call, a timeout, I/O) and retried from the checkpoint until
/// <see cref="JobsOptions.MaxAttempts"/> runs have been made.
/// </summary>
public static class JobFailurePolicy
{
    public static JobDecision Decide(int attempt, int maxAttempts, bool cancelRequested, bool leaseLost, Exception error)
    {
        if (leaseLost)
        {
            return new JobDecision.Abandon();
        }

        if (cancelRequested && error is OperationCanceledException)
        {
            return new JobDecision.Cancel();
        }

        return error switch
        {
            JobFailedException failed => new JobDecision.Fail(failed.Code, failed.Message),
            DataFormatException format => new JobDecision.Fail(format.Code, format.Message),
            MetadataConflictException conflict => new JobDecision.Fail(conflict.Code, conflict.Message),
            ArgumentException argument => new JobDecision.Fail("invalid_spec", argument.Message),
            _ when attempt >= maxAttempts => new JobDecision.Fail("retries_exhausted", $"Failed {attempt} times; last error: {error.GetType().Name}: {error.Message}"),
            _ => new JobDecision.Retry("transient", $"{error.GetType().Name}: {error.Message}"),
        };
    }
}
