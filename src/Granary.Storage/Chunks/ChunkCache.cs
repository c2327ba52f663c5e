using Granary.Core.Data;
using Granary.Storage.Blobs;
using Granary.Storage.Parquet;

namespace Granary.Storage.Chunks;

/// <summary>
/// Decoded chunks kept in memory on this node, least recently used evicted first, bounded by bytes.
/// Chunk files are immutable, so an entry never goes stale. Concurrent requests for one chunk share a
/// single load.
/// </summary>
public sealed class ChunkCache(IBlobStore blobs, long capacityBytes)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _recency = new();
    private long _bytes;

    public long CapacityBytes => capacityBytes;

    public long CachedBytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public async Task<Frame> GetAsync(string path, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(path, out entry!))
            {
                entry = new Entry(path, new Lazy<Task<Frame>>(() => LoadAsync(path), LazyThreadSafetyMode.ExecutionAndPublication));
                entry.Node = _recency.AddFirst(path);
                _entries[path] = entry;
            }
            else if (entry.Node is not null)
            {
                _recency.Remove(entry.Node);
                _recency.AddFirst(entry.Node);
            }
        }

        try
        {
            return await entry.Load.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            Remove(path, entry);
            throw;
        }
    }

    /// <summary>Adds a frame just written (an upload), so the first read does not decode the file again.</summary>
    public void Put(string path, Frame frame)
    {
        var entry = new Entry(path, new Lazy<Task<Frame>>(Task.FromResult(frame)));
        lock (_gate)
        {
            if (_entries.ContainsKey(path))
            {
                return;
            }

            entry.Node = _recency.AddFirst(path);
            _entries[path] = entry;
            Account(entry, frame.EstimateBytes());
        }
    }

    public void Evict(string path)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(path, out var entry))
            {
                RemoveLocked(path, entry);
            }
        }
    }

    private async Task<Frame> LoadAsync(string path)
    {
        // Decoding is CPU-bound: keep it on the thread pool, whatever context asked for it.
        var frame = await Task.Run(async () =>
        {
            await using var stream = blobs.OpenRead(path);
            return await ParquetChunkCodec.ReadAsync(stream, CancellationToken.None);
        });
        lock (_gate)
        {
            if (_entries.TryGetValue(path, out var entry) && entry.Bytes == 0)
            {
                Account(entry, frame.EstimateBytes());
            }
        }

        return frame;
    }

    private void Account(Entry entry, long bytes)
    {
        entry.Bytes = bytes;
        _bytes += bytes;
        // Evict from the cold end, never the entry just added.
        while (_bytes > capacityBytes && _recency.Last is { } last && last.Value != entry.Path)
        {
            RemoveLocked(last.Value, _entries[last.Value]);
        }
    }

    private void Remove(string path, Entry entry)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(path, out var current) && ReferenceEquals(current, entry))
            {
                RemoveLocked(path, entry);
            }
        }
    }

    private void RemoveLocked(string path, Entry entry)
    {
        _entries.Remove(path);
        if (entry.Node is not null)
        {
            _recency.Remove(entry.Node);
        }

        _bytes -= entry.Bytes;
    }

    private sealed class Entry(string path, Lazy<Task<Frame>> load)
    {
        public string Path { get; } = path;

        public Lazy<Task<Frame>> Load { get; } = load;

        public LinkedListNode<string>? Node { get; set; }

        public long Bytes { get; set; }
    }
}
