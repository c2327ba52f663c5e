using System.Runtime.InteropServices;

namespace Granary.Core.Sketches;

/// <summary>
/// Value counts for string columns: exact while at most <see cref="ExactLimit"/> distinct values have been
/// seen (then merges are exact too); beyond that a mergeable Misra-Gries summary keeping
/// <see cref="Capacity"/> counters (Agarwal et al., "Mergeable summaries", 2012). In summary mode each
/// reported count is a lower bound, at most <see cref="MaxError"/> below the truth, and every value
/// occurring more than n / (Capacity + 1) times is guaranteed to be kept.
/// </summary>
internal sealed class FrequentItems
{
    public const int ExactLimit = 10_000;
    public const int Capacity = 256;
    private const int BufferLimit = 4 * Capacity; // reduce in batches so the per-value cost stays O(1) amortised

    private Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public bool IsExact { get; private set; } = true;

    /// <summary>Upper bound on how far any count (including an absent value's 0) is below the true count.</summary>
    public long MaxError { get; private set; }

    public int DistinctTracked => _counts.Count;

    public void Add(string value)
    {
        ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_counts, value, out _);
        count++;
        if (_counts.Count > (IsExact ? ExactLimit : BufferLimit))
        {
            IsExact = false;
            Reduce();
        }
    }

    public void Merge(FrequentItems other)
    {
        foreach (var (value, count) in other._counts)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_counts, value, out _);
            slot += count;
        }

        MaxError += other.MaxError;
        if (!IsExact || !other.IsExact || _counts.Count > ExactLimit)
        {
            IsExact = false;
            Reduce();
        }
    }

    /// <summary>The most frequent values, by count descending then ordinal value (a deterministic order).</summary>
    public List<KeyValuePair<string, long>> Top(int n)
    {
        var entries = _counts.ToList();
        entries.Sort(CompareEntries);
        if (entries.Count > n)
        {
            entries.RemoveRange(n, entries.Count - n);
        }

        return entries;
    }

    public void Write(SketchWriter writer)
    {
        writer.WriteBool(IsExact);
        writer.WriteVarUInt64((ulong)MaxError);
        var entries = _counts.ToList();
        entries.Sort(CompareEntries);
        writer.WriteVarUInt64((ulong)entries.Count);
        foreach (var (value, count) in entries)
        {
            writer.WriteString(value);
            writer.WriteVarUInt64((ulong)count);
        }
    }

    public static FrequentItems Read(ref SketchReader reader)
    {
        var items = new FrequentItems
        {
            IsExact = reader.ReadBool(),
            MaxError = (long)reader.ReadVarUInt64(),
        };
        var n = reader.ReadCount(2);
        if (n > ExactLimit)
        {
            throw new InvalidDataException("Too many values in a frequent-items sketch.");
        }

        for (var i = 0; i < n; i++)
        {
            var value = reader.ReadString();
            items._counts[value] = (long)reader.ReadVarUInt64();
        }

        return items;
    }

    private static int CompareEntries(KeyValuePair<string, long> a, KeyValuePair<string, long> b)
    {
        var byCount = b.Value.CompareTo(a.Value);
        return byCount != 0 ? byCount : string.CompareOrdinal(a.Key, b.Key);
    }

    /// <summary>Misra-Gries reduction: subtract the (Capacity+1)-th largest count from all and drop what reaches zero.</summary>
    private void Reduce()
    {
        if (_counts.Count <= Capacity)
        {
            return;
        }

        var counts = new long[_counts.Count];
        _counts.Values.CopyTo(counts, 0);
        Array.Sort(counts);
        var cut = counts[^(Capacity + 1)];
        var kept = new Dictionary<string, long>(Capacity * 2, StringComparer.Ordinal);
        foreach (var (value, count) in _counts)
        {
            if (count > cut)
            {
                kept[value] = count - cut;
            }
        }

        _counts = kept;
        MaxError += cut;
    }
}
