using System.Collections.Concurrent;

namespace Granary.Cluster.Placement;

/// <summary>
/// The shard activations this node holds now: grains with <see cref="ShardPlacement"/> register when they
/// activate and unregister when they deactivate. The rebalancer walks it after membership changes.
/// </summary>
public sealed class ShardRegistry
{
    private readonly ConcurrentDictionary<GrainId, IGrainContext> _held = new();

    /// <summary>Shard activations on this node.</summary>
    public int Count => _held.Count;

    public void Register(IGrainContext grain)
    {
        ArgumentNullException.ThrowIfNull(grain);
        _held[grain.GrainId] = grain;
    }

    /// <summary>Forgets <paramref name="grain"/>, unless a newer activation of the same key replaced it.</summary>
    public void Unregister(IGrainContext grain)
    {
        ArgumentNullException.ThrowIfNull(grain);
        _held.TryRemove(KeyValuePair.Create(grain.GrainId, grain));
    }

    /// <summary>The held activations by grain key (for views and tests).</summary>
    public IReadOnlyDictionary<string, IGrainContext> Snapshot() =>
        _held.ToDictionary(pair => pair.Key.Key.ToString(), pair => pair.Value, StringComparer.Ordinal);

    internal IEnumerable<KeyValuePair<GrainId, IGrainContext>> Entries => _held;
}
