using System.Collections.Concurrent;

namespace Granary.Cluster.Placement;

/// <summary>
/// Rendezvous over silos. A silo's identity is its endpoint (<c>ip:port</c>), not its generation, so a node
/// that restarts at the same address gets the same shards back.
/// </summary>
public static class SiloOwners
{
    private static readonly ConcurrentDictionary<SiloAddress, ulong> Seeds = new();

    /// <summary>The identity a silo has in rendezvous hashing.</summary>
    public static string NodeId(SiloAddress silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return silo.Endpoint.ToString();
    }

    /// <summary>The owner among <paramref name="silos"/> of a grain key (its raw UTF-8 bytes); null when there are none.</summary>
    public static SiloAddress? Owner(ReadOnlySpan<byte> keyUtf8, IReadOnlyList<SiloAddress> silos)
    {
        ArgumentNullException.ThrowIfNull(silos);
        if (silos.Count == 0)
        {
            return null;
        }

        Span<ulong> seeds = silos.Count <= 64 ? stackalloc ulong[silos.Count] : new ulong[silos.Count];
        FillSeeds(silos, seeds);
        return silos[Rendezvous.OwnerIndex(keyUtf8, seeds)];
    }

    /// <summary>The owner of <paramref name="grain"/> (keyed by string) among <paramref name="silos"/>.</summary>
    /// <summary>
    /// The owner of a shard: chunk paths are split evenly within their group (<see cref="BalancedRendezvous"/>);
    /// any other key goes to its plain rendezvous owner.
    /// </summary>
    public static SiloAddress? Owner(GrainId grain, IReadOnlyList<SiloAddress> silos)
    {
        ArgumentNullException.ThrowIfNull(silos);
        var key = grain.Key.ToString();
        if (silos.Count == 0 || !BalancedRendezvous.TryParse(key, out var group, out var sequence))
        {
            return Owner(grain.Key.AsSpan(), silos);
        }

        var seeds = new ulong[silos.Count];
        FillSeeds(silos, seeds);
        return silos[BalancedRendezvous.OwnerIndex(group, sequence, seeds)];
    }

    private static void FillSeeds(IReadOnlyList<SiloAddress> silos, Span<ulong> seeds)
    {
        for (var i = 0; i < silos.Count; i++)
        {
            seeds[i] = Seeds.GetOrAdd(silos[i], static s => Rendezvous.NodeSeed(NodeId(s)));
        }
    }
}
