namespace Granary.Core.Sketches;

/// <summary>
/// KLL quantile sketch (Karnin, Lang, Liberty 2016) over order-preserving 64-bit keys.
/// Level h holds items of weight 2^h; a level over its capacity is sorted and halved (keep the even or odd
/// positions by a coin flip), which changes any rank by at most 2^h, up or down with equal probability.
/// Capacities shrink by 2/3 per level below the top (k = 2048 at the top, at least 8), so memory stays
/// about 3k items whatever n is, and the total weight always equals the number of values added.
/// Error bound: the sketch tracks S = sum of (2^h)^2 over all its compactions; by Hoeffding's inequality the
/// rank error of any single query exceeds eps*n = sqrt(2 ln(2/delta) S) with probability at most delta = 1e-6.
/// For k = 2048, S stays below about 8 n^2 / k^2, so eps stays below about 0.75% of n for any n and any way
/// of splitting and merging; in the usual case (large sorted chunks, few merges) it is well under 0.5%.
/// Coin flips come from a SplitMix64 stream seeded from the data, so equal input gives an equal sketch.
/// </summary>
internal sealed class KllSketch
{
    public const int K = 2048;
    private const int MinCapacity = 8;
    private const double Delta = 1e-6;

    private ulong[][] _levels = [];
    private int[] _sizes = [];
    private ulong _rng = 0x243F6A8885A308D3UL;
    private ulong[]? _viewKeys;
    private long[]? _viewCumulative;

    /// <summary>Total weight: the number of values added.</summary>
    public long Count { get; private set; }

    /// <summary>Sum of squared compaction weights (see the type remarks).</summary>
    public double SumSquaredWeights { get; private set; }

    /// <summary>The rank error bound as a fraction of <see cref="Count"/> (holds with probability 1 - 1e-6 per query).</summary>
    public double RankErrorBound =>
        Count == 0 || SumSquaredWeights == 0 ? 0 : Math.Sqrt(2 * Math.Log(2 / Delta) * SumSquaredWeights) / Count;

    /// <summary>Number of stored items (for tests and sizing).</summary>
    public int RetainedItems
    {
        get
        {
            var total = 0;
            foreach (var size in _sizes)
            {
                total += size;
            }

            return total;
        }
    }

    /// <summary>
    /// Adds a batch of keys that is already sorted ascending. The span is used as scratch.
    /// A sorted batch is halved level by level in one linear cascade, so it never needs sorting again.
    /// </summary>
    public void AddSorted(Span<ulong> sorted)
    {
        if (sorted.Length == 0)
        {
            return;
        }

        _viewKeys = null;
        Count += sorted.Length;
        if (sorted.Length > K / 2)
        {
            // Seed from the content so different chunks flip independent coins yet equal chunks flip equal ones.
            _rng ^= Hash64.Mix((ulong)sorted.Length) ^ Hash64.Mix(sorted[0] + 1) ^ Hash64.Mix(sorted[sorted.Length / 2] + 2)
                ^ Hash64.Mix(sorted[^1] + 3);
        }

        var level = 0;
        var run = sorted;
        while (run.Length > K / 2)
        {
            if ((run.Length & 1) == 1)
            {
                Append(level, run[..1]);
                run = run[1..];
            }

            var half = run.Length / 2;
            var offset = NextBit();
            for (var i = 0; i < half; i++)
            {
                run[i] = run[(2 * i) + offset];
            }

            run = run[..half];
            SumSquaredWeights += Square(level);
            level++;
        }

        Append(level, run);
        Compress();
    }

    /// <summary>Adds unsorted keys (small batches).</summary>
    public void AddUnsorted(ReadOnlySpan<ulong> keys)
    {
        if (keys.Length == 0)
        {
            return;
        }

        _viewKeys = null;
        Count += keys.Length;
        Append(0, keys);
        Compress();
    }

    public void Merge(KllSketch other)
    {
        if (other.Count == 0)
        {
            return;
        }

        _viewKeys = null;
        for (var h = 0; h < other._levels.Length; h++)
        {
            Append(h, other._levels[h].AsSpan(0, other._sizes[h]));
        }

        Count += other.Count;
        SumSquaredWeights += other.SumSquaredWeights;
        _rng = Hash64.Mix(_rng ^ (other._rng * 0x9E3779B97F4A7C15UL));
        Compress();
    }

    /// <summary>The smallest stored key whose estimated rank reaches ceil(p * n) (inverse CDF, nearest rank).</summary>
    public ulong Quantile(double p)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The sketch is empty.");
        }

        var (keys, cumulative) = GetView();
        var target = (long)Math.Ceiling(Math.Clamp(p, 0, 1) * Count);
        target = Math.Clamp(target, 1, Count);
        var lo = 0;
        var hi = keys.Length - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (cumulative[mid] >= target)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return keys[lo];
    }

    /// <summary>Estimated number of values strictly below <paramref name="key"/>.</summary>
    public long RankLessThan(ulong key)
    {
        var (keys, cumulative) = GetView();
        var lo = 0;
        var hi = keys.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (keys[mid] < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo == 0 ? 0 : cumulative[lo - 1];
    }

    /// <summary>Estimated number of values less than or equal to <paramref name="key"/>.</summary>
    public long RankAtMost(ulong key) => key == ulong.MaxValue ? Count : RankLessThan(key + 1);

    public void Write(SketchWriter writer)
    {
        writer.WriteVarUInt64((ulong)Count);
        writer.WriteDouble(SumSquaredWeights);
        writer.WriteUInt64(_rng);
        writer.WriteVarUInt64((ulong)_levels.Length);
        for (var h = 0; h < _levels.Length; h++)
        {
            // Order within a level carries no meaning; sorting gives canonical bytes and small deltas.
            var items = _levels[h].AsSpan(0, _sizes[h]);
            items.Sort();
            writer.WriteVarUInt64((ulong)items.Length);
            ulong previous = 0;
            foreach (var item in items)
            {
                writer.WriteVarUInt64(item - previous);
                previous = item;
            }
        }
    }

    public static KllSketch Read(ref SketchReader reader)
    {
        var sketch = new KllSketch
        {
            Count = (long)reader.ReadVarUInt64(),
            SumSquaredWeights = reader.ReadDouble(),
            _rng = reader.ReadUInt64(),
        };
        var levels = reader.ReadCount();
        if (levels > 64)
        {
            throw new InvalidDataException("Too many quantile sketch levels.");
        }

        long weight = 0;
        for (var h = 0; h < levels; h++)
        {
            var size = reader.ReadCount();
            var items = new ulong[Math.Max(size, MinCapacity)];
            ulong previous = 0;
            for (var i = 0; i < size; i++)
            {
                previous += reader.ReadVarUInt64();
                items[i] = previous;
            }

            sketch.EnsureLevel(h);
            sketch._levels[h] = items;
            sketch._sizes[h] = size;
            weight += (long)size << h;
        }

        if (weight != sketch.Count)
        {
            throw new InvalidDataException("Quantile sketch weights do not add up to its count.");
        }

        return sketch;
    }

    private static double Square(int level)
    {
        var w = Math.ScaleB(1.0, level);
        return w * w;
    }

    private int NextBit()
    {
        // SplitMix64 step; one bit per compaction.
        _rng += 0x9E3779B97F4A7C15UL;
        var z = _rng;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & 1);
    }

    /// <summary>Capacity of level h when the sketch has <paramref name="levels"/> levels (integer maths, so it is platform-exact).</summary>
    private static int Capacity(int h, int levels)
    {
        long capacity = K;
        for (var depth = levels - 1 - h; depth > 0 && capacity > MinCapacity; depth--)
        {
            capacity = capacity * 2 / 3;
        }

        return (int)Math.Max(MinCapacity, capacity);
    }

    private void Compress()
    {
        var changed = true;
        while (changed)
        {
            changed = false;
            for (var h = 0; h < _levels.Length; h++)
            {
                if (_sizes[h] > Capacity(h, _levels.Length))
                {
                    CompactLevel(h);
                    changed = true;
                    break;
                }
            }
        }
    }

    private void CompactLevel(int h)
    {
        EnsureLevel(h + 1);
        var items = _levels[h].AsSpan(0, _sizes[h]);
        items.Sort();
        var start = items.Length & 1; // an odd item out stays behind at full weight, keeping the total exact
        var half = (items.Length - start) / 2;
        var offset = start + NextBit();
        EnsureRoom(h + 1, half);
        var target = _levels[h + 1];
        var size = _sizes[h + 1];
        for (var i = 0; i < half; i++)
        {
            target[size + i] = items[offset + (2 * i)];
        }

        _sizes[h + 1] = size + half;
        _sizes[h] = start;
        SumSquaredWeights += Square(h);
    }

    private void Append(int h, ReadOnlySpan<ulong> keys)
    {
        EnsureLevel(h);
        EnsureRoom(h, keys.Length);
        keys.CopyTo(_levels[h].AsSpan(_sizes[h]));
        _sizes[h] += keys.Length;
    }

    private void EnsureLevel(int h)
    {
        if (h < _levels.Length)
        {
            return;
        }

        var old = _levels.Length;
        Array.Resize(ref _levels, h + 1);
        Array.Resize(ref _sizes, h + 1);
        for (var i = old; i <= h; i++)
        {
            _levels[i] = new ulong[MinCapacity];
        }
    }

    private void EnsureRoom(int h, int extra)
    {
        var needed = _sizes[h] + extra;
        if (needed > _levels[h].Length)
        {
            Array.Resize(ref _levels[h], Math.Max(needed, _levels[h].Length * 2));
        }
    }

    private (ulong[] Keys, long[] Cumulative) GetView()
    {
        if (_viewKeys is not null && _viewCumulative is not null)
        {
            return (_viewKeys, _viewCumulative);
        }

        var total = RetainedItems;
        var keys = new ulong[total];
        var weights = new long[total];
        var position = 0;
        for (var h = 0; h < _levels.Length; h++)
        {
            _levels[h].AsSpan(0, _sizes[h]).CopyTo(keys.AsSpan(position));
            weights.AsSpan(position, _sizes[h]).Fill(1L << h);
            position += _sizes[h];
        }

        Array.Sort(keys, weights);
        long running = 0;
        for (var i = 0; i < total; i++)
        {
            running += weights[i];
            weights[i] = running;
        }

        _viewKeys = keys;
        _viewCumulative = weights;
        return (keys, weights);
    }
}
