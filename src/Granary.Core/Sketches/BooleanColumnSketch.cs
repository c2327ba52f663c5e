using Granary.Core.Data;

namespace Granary.Core.Sketches;

/// <summary>Boolean columns: exact true and false counts (bytes other than 0 and 1 count as missing).</summary>
internal sealed class BooleanColumnSketch(string name) : ColumnSketch(name, ColumnType.Boolean)
{
    private long _true;
    private long _false;

    private protected override void AddCore(Column column)
    {
        var boolean = (BooleanColumn)column;
        var values = boolean.Values.AsSpan(0, boolean.Length);
        // MemoryExtensions.Count is vectorised.
        var trues = values.Count((byte)1);
        var falses = values.Count((byte)0);
        _true += trues;
        _false += falses;
        Count += trues + falses;
        Missing += values.Length - trues - falses;
    }

    private protected override void MergeCore(ColumnSketch other)
    {
        var sketch = (BooleanColumnSketch)other;
        _true += sketch._true;
        _false += sketch._false;
    }

    public override ColumnProfile ToProfile()
    {
        var top = new List<TopValueProfile>(2);
        if (_true > 0)
        {
            top.Add(new TopValueProfile("true", _true, true));
        }

        if (_false > 0)
        {
            top.Add(new TopValueProfile("false", _false, true));
        }

        // Count descending, then "false" before "true" (ordinal) on a tie.
        top.Sort((a, b) => b.Count != a.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Value, b.Value));
        return new ColumnProfile
        {
            Name = Name,
            Type = Type,
            Count = Count,
            Missing = Missing,
            Distinct = top.Count,
            DistinctExact = true,
            DistinctRelativeError = 0,
            TopValues = top,
            TopValuesExact = true,
            TrueCount = _true,
            FalseCount = _false,
        };
    }

    private protected override void WritePayload(SketchWriter writer)
    {
        writer.WriteVarUInt64((ulong)_true);
        writer.WriteVarUInt64((ulong)_false);
    }

    private protected override void ReadPayload(ref SketchReader reader)
    {
        _true = (long)reader.ReadVarUInt64();
        _false = (long)reader.ReadVarUInt64();
        if (_true + _false != Count)
        {
            throw new InvalidDataException("Boolean sketch counts do not add up.");
        }
    }
}
