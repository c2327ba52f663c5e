using Orleans.Runtime.Messaging;

namespace Granary.Cluster.DataPlane;

/// <summary>
/// Retries a grain call that failed because the node holding the grain went away. Until membership declares
/// that node dead (about 2 s with Granary's cluster options) calls to it fail fast; afterwards the shard
/// reactivates on a survivor from the blob store, so the same call succeeds. Shard calls are pure functions
/// of their request, so a retried call returns what the first would have.
/// </summary>
public static class NodeLossRetry
{
    /// <summary>Give up after this long: the cluster has not recovered, and the job's own retry takes over.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    public static async Task<T> CallAsync<T>(Func<Task<T>> call, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        time ??= TimeProvider.System;
        var started = time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception error) when (IsNodeLoss(error, cancellationToken) && time.GetElapsedTime(started) < Budget)
            {
                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    /// <summary>
    /// Failures that mean "the node went away", not "the request is wrong". A cancellation the caller did not
    /// ask for is one too: Orleans cancels requests to a silo as membership declares it dead, and a grain-directory
    /// lookup whose range the dead silo owned fails that way (seen as a 500 from a profile read just after a kill -9).
    /// </summary>
    public static bool IsNodeLoss(Exception error, CancellationToken callerToken = default) => error switch
    {
        OperationCanceledException => !callerToken.IsCancellationRequested,
        SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException => true,
        Orleans.Networking.Shared.SocketConnectionException => true,
        TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(e => IsNodeLoss(e, callerToken)),
        _ => error.InnerException is { } inner && IsNodeLoss(inner, callerToken),
    };
}
