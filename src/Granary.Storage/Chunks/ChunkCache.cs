using Granary.Core.Data;
using Granary.Storage.Blobs;
using Granary.Storage.Parquet;

namespace Granary.Storage.Chunks;

/// <summary>
/// Decoded chunks kept in memory on this node, bounded by bytes. Chunk files are immutable, so an entry
/// never goes stale.
/// </summary>
public sealed class ChunkCache(IBlobStore blobs, long capacityBytes)
{
    private readonly ByteBoundedCache<Frame> _cache = new(capacityBytes, frame => frame.EstimateBytes());

    public long CapacityBytes => _cache.CapacityBytes;

    public long CachedBytes => _cache.CachedBytes;

    public int Count => _cache.Count;

    public Task<Frame> GetAsync(string path, CancellationToken cancellationToken) =>
        _cache.GetAsync(path, () => LoadAsync(path), cancellationToken);

    /// <summary>Adds a frame just written (an upload), so the first read does not decode the file again.</summary>
    public void Put(string path, Frame frame) => _cache.Put(path, frame);

    public void Evict(string path) => _cache.Evict(path);

    // Decoding is CPU-bound: keep it on the thread pool, whatever context asked for it.
    private Task<Frame> LoadAsync(string path) => Task.Run(async () =>
    {
        await using var stream = blobs.OpenRead(path);
        return await ParquetChunkCodec.ReadAsync(stream, CancellationToken.None);
    });
}
