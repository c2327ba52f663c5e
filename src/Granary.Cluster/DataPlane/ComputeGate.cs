namespace Granary.Cluster.DataPlane;

/// <summary>
/// Bounds the node's data-plane work (loading chunks, passes over them) to a fixed number of slots,
/// normally one per core, and runs it on the thread pool, off the Orleans scheduler. Grains await a slot
/// asynchronously, so a dataset of a thousand chunks queues here instead of decoding a thousand chunks
/// into memory at once.
/// </summary>
public sealed class ComputeGate(int slots) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, slots), Math.Max(1, slots));

    public int Slots { get; } = Math.Max(1, slots);

    /// <summary>Work waiting for or holding a slot right now.</summary>
    public int Waiting => Slots - _slots.CurrentCount;

    public void Dispose() => _slots.Dispose();

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => work(cancellationToken), cancellationToken);
        }
        finally
        {
            _slots.Release();
        }
    }
}
