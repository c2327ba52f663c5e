using Granary.Storage.Blobs;

namespace Granary.Cluster.Datasets;

/// <summary>
/// Holds an upload's blob folder in the shared store while it streams, a few minutes at a time and renewed well
/// before it runs out, so no node's orphan sweep takes its chunks however long the upload lasts. A crashed writer's
/// hold simply expires.
/// </summary>
public sealed class UploadHold : IAsyncDisposable
{
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan RenewEvery = TimeSpan.FromMinutes(1);

    private readonly IWriteHoldStore _store;
    private readonly string _prefix;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    private UploadHold(IWriteHoldStore store, string prefix, string owner, TimeProvider time)
    {
        _store = store;
        _prefix = prefix;
        _renewing = RenewAsync(owner, time);
    }

    public static async Task<UploadHold> StartAsync(IWriteHoldStore store, string prefix, string owner, TimeProvider time, CancellationToken cancellationToken)
    {
        await store.HoldWriteAsync(prefix, owner, time.GetUtcNow() + Duration, cancellationToken);
        return new UploadHold(store, prefix, owner, time);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        _stop.Dispose();
        try
        {
            await _store.ReleaseWriteAsync(_prefix, CancellationToken.None);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The hold expires on its own; the folder is committed or discarded by now either way.
        }
    }

    private async Task RenewAsync(string owner, TimeProvider time)
    {
        using var timer = new PeriodicTimer(RenewEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    await _store.HoldWriteAsync(_prefix, owner, time.GetUtcNow() + Duration, _stop.Token);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // Try again at the next tick; the hold has minutes left.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
