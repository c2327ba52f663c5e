namespace Granary.Cluster.DataPlane;

/// <summary>
/// Calls one shard per chunk with a bounded number of calls outstanding and returns the results in chunk
/// order (so merges over them are deterministic). A call that fails because its node died is retried
/// (<see cref="NodeLossRetry"/>) once the shard has moved to a survivor. Each node also queues shard work in its compute gate; the
/// bound keeps outstanding messages, and results waiting to be merged, in proportion.
/// </summary>
public static class ShardFanOut
{
    public const int MaxOutstanding = 64;

    public static async Task<TResult[]> RunAsync<TChunk, TResult>(
        IReadOnlyList<TChunk> chunks,
        Func<TChunk, int, Task<TResult>> call,
        Action<int>? finished = null,
        CancellationToken cancellationToken = default)
    {
        using var outstanding = new SemaphoreSlim(MaxOutstanding);
        var done = 0;
        return await Task.WhenAll(chunks.Select(async (chunk, i) =>
        {
            await outstanding.WaitAsync(cancellationToken);
            try
            {
                var result = await NodeLossRetry.CallAsync(() => call(chunk, i), cancellationToken: cancellationToken).WaitAsync(cancellationToken);
                finished?.Invoke(Interlocked.Increment(ref done));
                return result;
            }
            finally
            {
                outstanding.Release();
            }
        }));
    }
}
