using Granary.Cluster.DataPlane;
using Granary.Core.Sketches;
using Granary.Storage.Chunks;

namespace Granary.Cluster.Datasets;

/// <summary>
/// Computes over one chunk through the node's <see cref="ComputeGate"/>: on the thread pool, off the
/// Orleans scheduler, and never more chunks at once than the node has slots.
/// </summary>
internal sealed class DatasetShardGrain(ChunkCache cache, ComputeGate gate) : Grain, IDatasetShardGrain
{
    public Task<byte[]> SketchAsync() => gate.RunAsync(async ct =>
    {
        var frame = await cache.GetAsync(this.GetPrimaryKeyString(), ct);
        var sketch = new DatasetSketch(frame.Schema);
        sketch.Add(frame);
        return sketch.Serialize();
    }, CancellationToken.None);

    public Task<string> HeadAsync(int limit) => gate.RunAsync(async ct =>
    {
        var frame = await cache.GetAsync(this.GetPrimaryKeyString(), ct);
        return FrameJson.RowsToJson(frame, 0, Math.Min(limit, frame.RowCount));
    }, CancellationToken.None);
}
