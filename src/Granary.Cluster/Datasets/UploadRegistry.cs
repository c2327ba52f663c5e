using System.Collections.Concurrent;

namespace Granary.Cluster.Datasets;

/// <summary>Blob prefixes that uploads on this node are writing, so the orphan sweep leaves them alone.</summary>
public sealed class UploadRegistry
{
    private readonly ConcurrentDictionary<string, byte> _prefixes = new(StringComparer.Ordinal);

    public void Add(string prefix) => _prefixes[prefix] = 0;

    public void Remove(string prefix) => _prefixes.TryRemove(prefix, out _);

    public bool IsActive(string path)
    {
        foreach (var prefix in _prefixes.Keys)
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length && path[prefix.Length] == '/')
            {
                return true;
            }
        }

        return false;
    }
}
