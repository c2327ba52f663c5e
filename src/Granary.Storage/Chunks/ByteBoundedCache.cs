namespace Granary.Storage.Chunks;

/// <summary>
/// An in-memory cache bounded by the bytes its values hold, least recently used evicted first. Concurrent
/// requests for one key share a single load; a failed load is forgotten so the next request retries.
/// Used for decoded chunks and for their encoded training matrices, which are large and immutable.
/// </summary>
public sealed class ByteBoundedCache<TValue>(long capacityBytes, Func<TValue, long> sizeOf)
    where TValue : class
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

    public async Task<TValue> GetAsync(string key, Func<Task<TValue>> load, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                entry = new Entry(key, new Lazy<Task<TValue>>(() => LoadAsync(key, load), LazyThreadSafetyMode.ExecutionAndPublication));
                entry.Node = _recency.AddFirst(key);
                _entries[key] = entry;
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
            Remove(key, entry);
            throw;
        }
    }

    /// <summary>Adds a value that is already at hand; an existing entry wins.</summary>
    public void Put(string key, TValue value)
    {
        var entry = new Entry(key, new Lazy<Task<TValue>>(Task.FromResult(value)));
        lock (_gate)
        {
            if (_entries.ContainsKey(key))
            {
                return;
            }

            entry.Node = _recency.AddFirst(key);
            _entries[key] = entry;
            Account(entry, sizeOf(value));
        }
    }

    public void Evict(string key)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                RemoveLocked(key, entry);
            }
        }
    }

    /// <summary>Evicts every key that starts with <paramref name="prefix"/>.</summary>
    public void EvictPrefix(string prefix)
    {
        lock (_gate)
        {
            foreach (var key in _entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                RemoveLocked(key, _entries[key]);
            }
        }
    }

    private async Task<TValue> LoadAsync(string key, Func<Task<TValue>> load)
    {
        var value = await load();
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.Bytes == 0)
            {
                Account(entry, sizeOf(value));
            }
        }

        return value;
    }

    private void Account(Entry entry, long bytes)
    {
        entry.Bytes = bytes;
        _bytes += bytes;
        // Evict from the cold end, never the entry just added.
        while (_bytes > capacityBytes && _recency.Last is { } last && last.Value != entry.Key)
        {
            RemoveLocked(last.Value, _entries[last.Value]);
        }
    }

    private void Remove(string key, Entry entry)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry))
            {
                RemoveLocked(key, entry);
            }
        }
    }

    private void RemoveLocked(string key, Entry entry)
    {
        _entries.Remove(key);
        if (entry.Node is not null)
        {
            _recency.Remove(entry.Node);
        }

        _bytes -= entry.Bytes;
    }

    private sealed class Entry(string key, Lazy<Task<TValue>> load)
    {
        public string Key { get; } = key;

        public Lazy<Task<TValue>> Load { get; } = load;

        public LinkedListNode<string>? Node { get; set; }

        public long Bytes { get; set; }
    }
}
