using System.Buffers;
using Granary.Core.Data;

namespace Granary.Core.Sketches;

/// <summary>
/// Numeric columns: moments of the finite values, infinity counts, a KLL quantile sketch and a
/// HyperLogLog over all non-missing values. Per chunk: one vectorised scan, vectorised key conversion,
/// a radix sort, then the sorted keys feed both the distinct counter (hashing each run of equal values
/// once) and the quantile sketch (a linear halving cascade). Scratch comes from the array pool.
/// </summary>
internal sealed class NumericColumnSketch(string name) : ColumnSketch(name, ColumnType.Numeric)
{
    private const int Bins = 20;

    private Moments _moments = new();
    private KllSketch _quantiles = new();
    private HyperLogLog _distinct = new();
    private long _positiveInfinity;
    private long _negativeInfinity;

    private protected override void AddCore(Column column)
    {
        var values = ((NumericColumn)column).Span;
        Moments.Scan(values, out var nanCount, out var infinityCount, out var sum, out var min, out var max);
        var present = values.Length - nanCount;
        Missing += nanCount;
        Count += present;
        if (present == 0)
        {
            return;
        }

        var keys = ArrayPool<ulong>.Shared.Rent(present);
        var scratch = ArrayPool<ulong>.Shared.Rent(present);
        try
        {
            if (nanCount == 0 && infinityCount == 0)
            {
                // Fast path: the scan's sum, min and max are valid; second pass for M2.
                var mean = sum / present;
                var m2 = Moments.CorrectedM2(values, ref mean);
                _moments.Merge(present, mean, m2, min, max);
                SortableKeys.FromDoubles(values, keys);
            }
            else
            {
                AddSlow(values, keys);
            }

            var sorted = keys.AsSpan(0, present);
            RadixSort.Sort(sorted, scratch.AsSpan(0, present));
            AddDistinct(sorted, scratch);
            _quantiles.AddSorted(sorted);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(keys);
            ArrayPool<ulong>.Shared.Return(scratch);
        }
    }

    /// <summary>Chunks with NaN or infinities: compact keys and take moments over finite values only.</summary>
    private void AddSlow(ReadOnlySpan<double> values, ulong[] keys)
    {
        var j = 0;
        long finite = 0;
        var sum = 0.0;
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        foreach (var x in values)
        {
            if (double.IsNaN(x))
            {
                continue;
            }

            keys[j++] = SortableKeys.FromDouble(x);
            if (double.IsPositiveInfinity(x))
            {
                _positiveInfinity++;
            }
            else if (double.IsNegativeInfinity(x))
            {
                _negativeInfinity++;
            }
            else
            {
                finite++;
                sum += x;
                min = Math.Min(min, x);
                max = Math.Max(max, x);
            }
        }

        if (finite == 0)
        {
            return;
        }

        var mean = sum / finite;
        var squares = 0.0;
        var residual = 0.0;
        foreach (var x in values)
        {
            if (double.IsFinite(x))
            {
                var d = x - mean;
                squares += d * d;
                residual += d;
            }
        }

        // Corrected two-pass, as in Moments.CorrectedM2.
        _moments.Merge(finite, mean + (residual / finite), Math.Max(0, squares - (residual * residual / finite)), min, max);
    }

    private void AddDistinct(ReadOnlySpan<ulong> sorted, ulong[] hashes)
    {
        // Equal values are adjacent after sorting, so each distinct value is hashed once per chunk.
        var count = 0;
        var previous = ~sorted[0];
        foreach (var key in sorted)
        {
            if (key != previous)
            {
                hashes[count++] = Hash64.HashDouble(SortableKeys.ToDouble(key));
                previous = key;
            }
        }

        _distinct.AddMany(hashes.AsSpan(0, count));
    }

    private protected override void MergeCore(ColumnSketch other)
    {
        var sketch = (NumericColumnSketch)other;
        _moments.Merge(sketch._moments);
        _quantiles.Merge(sketch._quantiles);
        _distinct.Merge(sketch._distinct);
        _positiveInfinity += sketch._positiveInfinity;
        _negativeInfinity += sketch._negativeInfinity;
    }

    public override ColumnProfile ToProfile()
    {
        var hasFinite = _moments.Count > 0;
        var variance = _moments.Variance;
        return new ColumnProfile
        {
            Name = Name,
            Type = Type,
            Count = Count,
            Missing = Missing,
            Mean = hasFinite ? _moments.Mean : null,
            Std = variance is { } v ? Math.Sqrt(v) : null,
            Min = Count == 0 ? null : _negativeInfinity > 0 ? double.NegativeInfinity : hasFinite ? _moments.Min : double.PositiveInfinity,
            Max = Count == 0 ? null : _positiveInfinity > 0 ? double.PositiveInfinity : hasFinite ? _moments.Max : double.NegativeInfinity,
            FiniteMin = hasFinite ? _moments.Min : null,
            FiniteMax = hasFinite ? _moments.Max : null,
            Quantiles = Count == 0 ? null : Quantiles(_quantiles, key => new QuantileProfile("", 0, SortableKeys.ToDouble(key), null)),
            QuantileRankError = Count == 0 ? null : _quantiles.RankErrorBound,
            Distinct = _distinct.Estimate(),
            DistinctExact = _distinct.IsExact,
            DistinctRelativeError = _distinct.IsExact ? 0 : HyperLogLog.RelativeStandardError,
            Histogram = hasFinite ? BuildHistogram() : null,
            PositiveInfinityCount = _positiveInfinity,
            NegativeInfinityCount = _negativeInfinity,
        };
    }

    private HistogramProfile BuildHistogram()
    {
        var min = _moments.Min;
        var max = _moments.Max;
        // -0.0 sorts just below 0.0: start at -0.0 and end at +0.0 so both zeros fall inside.
        var lowKey = min == 0 ? SortableKeys.NegativeZeroKey : SortableKeys.FromDouble(min);
        var highKey = SortableKeys.FromDouble(max == 0 ? 0.0 : max);
        var exact = _quantiles.SumSquaredWeights == 0;
        if (min == max)
        {
            return new HistogramProfile([min, max], [_quantiles.RankAtMost(highKey) - _quantiles.RankLessThan(lowKey)], exact);
        }

        var edges = new double[Bins + 1];
        var counts = new long[Bins];
        var width = (max - min) / Bins;
        for (var i = 0; i < Bins; i++)
        {
            edges[i] = min + (i * width);
        }

        edges[Bins] = max;
        var below = _quantiles.RankLessThan(lowKey);
        for (var i = 0; i < Bins; i++)
        {
            var upTo = i == Bins - 1 ? _quantiles.RankAtMost(highKey) : _quantiles.RankLessThan(SortableKeys.FromDouble(edges[i + 1]));
            counts[i] = Math.Max(0, upTo - below);
            below = Math.Max(below, upTo);
        }

        return new HistogramProfile(edges, counts, exact);
    }

    private protected override void WritePayload(SketchWriter writer)
    {
        writer.WriteVarUInt64((ulong)_positiveInfinity);
        writer.WriteVarUInt64((ulong)_negativeInfinity);
        _moments.Write(writer);
        _quantiles.Write(writer);
        _distinct.Write(writer);
    }

    private protected override void ReadPayload(ref SketchReader reader)
    {
        _positiveInfinity = (long)reader.ReadVarUInt64();
        _negativeInfinity = (long)reader.ReadVarUInt64();
        _moments = Moments.Read(ref reader);
        _quantiles = KllSketch.Read(ref reader);
        _distinct = HyperLogLog.Read(ref reader);
        if (_quantiles.Count != Count)
        {
            throw new InvalidDataException("Numeric sketch counts do not agree.");
        }
    }
}
