using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Granary.Cluster.Placement;

/// <summary>
/// Owners for the chunks of one group (the folder one upload, append or scoring job wrote: <c>.../000007.parquet</c>)
/// that are exactly even: chunks are taken in sequence order and each goes to its highest rendezvous weight among
/// the nodes still below <c>ceil((k + 1) / n)</c>, so every prefix of a group is split within one chunk. Pure
/// rendezvous hashing splits each key independently (16 chunks on 2 nodes: 8 ± 2), which leaves a pass waiting for
/// the fuller node. The price: when a node joins, about 1.6× the minimal number of chunks move (16 chunks,
/// 2 → 3 nodes: 8.4 on average instead of 5.3), since keeping the split even reshuffles a few between old nodes.
/// Depends only on the group, the sequence number and the set of nodes, so every silo computes the same owner.
/// </summary>
public static class BalancedRendezvous
{
    private const int MaxCachedGroups = 4096;
    private static readonly ConcurrentDictionary<(string Group, string Nodes), int[]> Assignments = new();

    /// <summary>Splits a chunk path into its group (the folder) and its sequence number (the digits ending the file name).</summary>
    public static bool TryParse(string key, out string group, out int sequence)
    {
        group = string.Empty;
        sequence = 0;
        const string Suffix = ".parquet";
        var slash = key.LastIndexOf('/');
        if (slash <= 0 || !key.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var end = key.Length - Suffix.Length;
        var start = end;
        while (start > slash + 1 && char.IsAsciiDigit(key[start - 1]))
        {
            start--;
        }

        if (start == end || end - start > 9)
        {
            return false;
        }

        group = key[..slash];
        sequence = int.Parse(key.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Index in <paramref name="nodeSeeds"/> of the owner of chunk <paramref name="sequence"/> of <paramref name="group"/>.</summary>
    public static int OwnerIndex(string group, int sequence, IReadOnlyList<ulong> nodeSeeds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        if (nodeSeeds.Count == 0)
        {
            return -1;
        }

        // Computed over the seeds in sorted order, so the caller's order of nodes does not matter.
        var sorted = nodeSeeds.Order().ToArray();
        var nodes = string.Join(',', sorted);
        if (!Assignments.TryGetValue((group, nodes), out var owners) || owners.Length <= sequence)
        {
            if (Assignments.Count > MaxCachedGroups)
            {
                Assignments.Clear();
            }

            owners = Assign(group, Math.Max(sequence + 1, Math.Max(64, (owners?.Length ?? 0) * 2)), sorted);
            Assignments[(group, nodes)] = owners;
        }

        var seed = sorted[owners[sequence]];
        for (var i = 0; i < nodeSeeds.Count; i++)
        {
            if (nodeSeeds[i] == seed)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The owner (one of <paramref name="nodes"/>) of chunk <paramref name="sequence"/> of <paramref name="group"/>.</summary>
    public static string Owner(string group, int sequence, IReadOnlyList<string> nodes) =>
        nodes[OwnerIndex(group, sequence, nodes.Select(Rendezvous.NodeSeed).ToArray())];

    private static int[] Assign(string group, int count, ulong[] seeds)
    {
        var owners = new int[count];
        var held = new int[seeds.Length];
        var key = new byte[Encoding.UTF8.GetMaxByteCount(group.Length) + 12];
        var prefix = Encoding.UTF8.GetBytes(group, key);
        key[prefix++] = (byte)'#';
        for (var k = 0; k < count; k++)
        {
            var length = prefix + Encoding.UTF8.GetBytes(k.ToString(CultureInfo.InvariantCulture), key.AsSpan(prefix));
            var cap = (k / seeds.Length) + 1;
            var best = -1;
            var bestWeight = 0UL;
            for (var i = 0; i < seeds.Length; i++)
            {
                if (held[i] >= cap)
                {
                    continue;
                }

                var weight = Rendezvous.Weight(key.AsSpan(0, length), seeds[i]);
                if (best < 0 || weight > bestWeight)
                {
                    best = i;
                    bestWeight = weight;
                }
            }

            owners[k] = best;
            held[best]++;
        }

        return owners;
    }
}
