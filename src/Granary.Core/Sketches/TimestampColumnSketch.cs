using System.Buffers;
using System.Numerics.Tensors;
using Granary.Core.Data;

namespace Granary.Core.Sketches;

/// <summary>Timestamp columns (microseconds since the Unix epoch): exact min/max, KLL quantiles, HyperLogLog distinct.</summary>
internal sealed class TimestampColumnSketch(string name) : ColumnSketch(name, ColumnType.Timestamp)
{
    private long _min = long.MaxValue;
    private long _max = long.MinValue;
    private KllSketch _quantiles = new();
    private HyperLogLog _distinct = new();

    private protected override void AddCore(Column column)
    {
        var timestamps = (TimestampColumn)column;
        var values = timestamps.Values.AsSpan(0, timestamps.Length);
        var missing = values.Count(TimestampColumn.Missing);
        var present = values.Length - missing;
        Missing += missing;
        Count += present;
        if (present == 0)
        {
            return;
        }

        var keys = ArrayPool<ulong>.Shared.Rent(present);
        var scratch = ArrayPool<ulong>.Shared.Rent(present);
        try
        {
            if (missing == 0)
            {
                _min = Math.Min(_min, TensorPrimitives.Min(values));
                _max = Math.Max(_max, TensorPrimitives.Max(values));
                SortableKeys.FromInt64s(values, keys);
            }
            else
            {
                var j = 0;
                foreach (var value in values)
                {
                    if (value != TimestampColumn.Missing)
                    {
                        keys[j++] = SortableKeys.FromInt64(value);
                        _min = Math.Min(_min, value);
                        _max = Math.Max(_max, value);
                    }
                }
            }

            var sorted = keys.AsSpan(0, present);
            RadixSort.Sort(sorted, scratch.AsSpan(0, present));
            var count = 0;
            var previous = ~sorted[0];
            foreach (var key in sorted)
            {
                if (key != previous)
                {
                    scratch[count++] = Hash64.Mix((ulong)SortableKeys.ToInt64(key));
                    previous = key;
                }
            }

            _distinct.AddMany(scratch.AsSpan(0, count));

            _quantiles.AddSorted(sorted);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(keys);
            ArrayPool<ulong>.Shared.Return(scratch);
        }
    }

    private protected override void MergeCore(ColumnSketch other)
    {
        var sketch = (TimestampColumnSketch)other;
        _min = Math.Min(_min, sketch._min);
        _max = Math.Max(_max, sketch._max);
        _quantiles.Merge(sketch._quantiles);
        _distinct.Merge(sketch._distinct);
    }

    public override ColumnProfile ToProfile() => new()
    {
        Name = Name,
        Type = Type,
        Count = Count,
        Missing = Missing,
        MinTimestamp = Count == 0 ? null : _min,
        MaxTimestamp = Count == 0 ? null : _max,
        Quantiles = Count == 0 ? null : Quantiles(_quantiles, key =>
        {
            var micros = SortableKeys.ToInt64(key);
            return new QuantileProfile("", 0, micros, micros);
        }),
        QuantileRankError = Count == 0 ? null : _quantiles.RankErrorBound,
        Distinct = _distinct.Estimate(),
        DistinctExact = _distinct.IsExact,
        DistinctRelativeError = _distinct.IsExact ? 0 : HyperLogLog.RelativeStandardError,
    };

    private protected override void WritePayload(SketchWriter writer)
    {
        writer.WriteVarInt64(_min);
        writer.WriteVarInt64(_max);
        _quantiles.Write(writer);
        _distinct.Write(writer);
    }

    private protected override void ReadPayload(ref SketchReader reader)
    {
        _min = reader.ReadVarInt64();
        _max = reader.ReadVarInt64();
        _quantiles = KllSketch.Read(ref reader);
        _distinct = HyperLogLog.Read(ref reader);
        if (_quantiles.Count != Count)
        {
            throw new InvalidDataException("Timestamp sketch counts do not agree.");
        }
    }
}
