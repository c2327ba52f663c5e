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
    private long _loadedBytes;
    private long _loads;

    public long CapacityBytes => _cache.CapacityBytes;

    public long CachedBytes => _cache.CachedBytes;

    public int Count => _cache.Count;

    /// <summary>Bytes of chunk files this node has read from the blob store, since it started (cache misses only).</summary>
    public long LoadedBytes => Interlocked.Read(ref _loadedBytes);

    /// <summary>Chunk files this node has read from the blob store, since it started.</summary>
    public long Loads => Interlocked.Read(ref _loads);

    public Task<Frame> GetAsync(string path, CancellationToken cancellationToken) =>
        _cache.GetAsync(path, () => LoadAsync(path), cancellationToken);

    /// <summary>Adds a frame just written (an upload), so the first read does not decode the file again.</summary>
    public void Put(string path, Frame frame) => _cache.Put(path, frame);

    public void Evict(string path) => _cache.Evict(path);

    // Decoding is CPU-bound: keep it on the thread pool, whatever context asked for it.
    private Task<Frame> LoadAsync(string path) => Task.Run(async () =>
    {
        await using var stream = blobs.OpenRead(path);
        var length = stream.CanSeek ? stream.Length : 0; // before reading: the Parquet reader closes the stream
        var frame = await ParquetChunkCodec.ReadAsync(stream, CancellationToken.None);
        Interlocked.Add(ref _loadedBytes, length);
        Interlocked.Increment(ref _loads);
        return frame;
    });
}
