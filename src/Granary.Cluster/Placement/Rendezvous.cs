using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace Granary.Cluster.Placement;

/// <summary>
/// Rendezvous (highest-random-weight) hashing: a key belongs to the node whose weight for it is highest,
/// where the weight is a 64-bit hash of (key, node). Every process computes the same owner from the same
/// set of nodes, whatever their order, with no coordination. Adding a node moves only the keys it now
/// wins (about 1/(n+1) of them); removing one moves only the keys it held.
/// </summary>
/// <remarks>
/// A node contributes a seed, XxHash64 of its identity's UTF-8 bytes; the weight of a key is XxHash64 of
/// the key's UTF-8 bytes seeded with it. Both are fixed by the algorithm, so owners are stable across
/// processes, machines and runs (unlike <see cref="string.GetHashCode()"/>). Ties, which need a 64-bit
/// collision, go to the lower seed so the answer never depends on the order of the nodes.
/// </remarks>
public static class Rendezvous
{
    private const int StackBytes = 256;

    /// <summary>The seed a node identity contributes to every weight.</summary>
    public static ulong NodeSeed(string node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var max = Encoding.UTF8.GetMaxByteCount(node.Length);
        byte[]? rented = null;
        var buffer = max <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            return XxHash64.HashToUInt64(buffer[..Encoding.UTF8.GetBytes(node, buffer)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The weight of a key (its UTF-8 bytes) on the node with <paramref name="nodeSeed"/>.</summary>
    public static ulong Weight(ReadOnlySpan<byte> keyUtf8, ulong nodeSeed) =>
        XxHash64.HashToUInt64(keyUtf8, unchecked((long)nodeSeed));

    /// <summary>The index in <paramref name="nodeSeeds"/> of the key's owner; -1 when there are no nodes.</summary>
    public static int OwnerIndex(ReadOnlySpan<byte> keyUtf8, ReadOnlySpan<ulong> nodeSeeds)
    {
        var best = -1;
        var bestWeight = 0UL;
        for (var i = 0; i < nodeSeeds.Length; i++)
        {
            var weight = Weight(keyUtf8, nodeSeeds[i]);
            if (best < 0 || weight > bestWeight || (weight == bestWeight && nodeSeeds[i] < nodeSeeds[best]))
            {
                best = i;
                bestWeight = weight;
            }
        }

        return best;
    }

    /// <summary>The index in <paramref name="nodes"/> of the key's owner; -1 when there are no nodes.</summary>
    public static int OwnerIndex(string key, IReadOnlyList<string> nodes)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(nodes);
        var max = Encoding.UTF8.GetMaxByteCount(key.Length);
        byte[]? rented = null;
        var buffer = max <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var keyUtf8 = buffer[..Encoding.UTF8.GetBytes(key, buffer)];
            var best = -1;
            var bestWeight = 0UL;
            var bestSeed = 0UL;
            for (var i = 0; i < nodes.Count; i++)
            {
                var seed = NodeSeed(nodes[i]);
                var weight = Weight(keyUtf8, seed);
                if (best < 0 || weight > bestWeight || (weight == bestWeight && seed < bestSeed))
                {
                    best = i;
                    bestWeight = weight;
                    bestSeed = seed;
                }
            }

            return best;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The key's owner among <paramref name="nodes"/>; null when there are none.</summary>
    public static string? Owner(string key, IReadOnlyList<string> nodes) =>
        OwnerIndex(key, nodes) is var i and >= 0 ? nodes[i] : null;
}
