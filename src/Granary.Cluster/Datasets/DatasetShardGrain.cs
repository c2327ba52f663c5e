using Granary.Core.Sketches;
using Granary.Storage.Chunks;

namespace Granary.Cluster.Datasets;

/// <summary>
/// Computes over one chunk on the thread pool, off the Orleans scheduler, so a long pass never blocks
/// the silo's message loop.
/// </summary>
internal sealed class DatasetShardGrain(ChunkCache cache) : Grain, IDatasetShardGrain
{
    public async Task<byte[]> SketchAsync()
    {
        var frame = await cache.GetAsync(this.GetPrimaryKeyString(), CancellationToken.None);
        return await Task.Run(() =>
        {
            var sketch = new DatasetSketch(frame.Schema);
            sketch.Add(frame);
            return sketch.Serialize();
        });
    }

    public async Task<string> HeadAsync(int limit)
    {
        var frame = await cache.GetAsync(this.GetPrimaryKeyString(), CancellationToken.None);
        return FrameJson.RowsToJson(frame, 0, Math.Min(limit, frame.RowCount));
    }
}
