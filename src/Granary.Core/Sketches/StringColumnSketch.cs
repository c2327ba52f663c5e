using Granary.Core.Data;

namespace Granary.Core.Sketches;

/// <summary>String columns: value counts (<see cref="FrequentItems"/>) and a distinct count (<see cref="HyperLogLog"/>).</summary>
internal sealed class StringColumnSketch(string name) : ColumnSketch(name, ColumnType.String)
{
    private const int TopCount = TopValueCount;

    private FrequentItems _items = new();
    private HyperLogLog _distinct = new();

    private protected override void AddCore(Column column)
    {
        var strings = (StringColumn)column;
        long missing = 0;
        foreach (var value in strings.Values.AsSpan(0, strings.Length))
        {
            if (value is null)
            {
                missing++;
                continue;
            }

            _items.Add(value);
            _distinct.Add(Hash64.HashString(value));
        }

        Missing += missing;
        Count += strings.Length - missing;
    }

    private protected override void MergeCore(ColumnSketch other)
    {
        var sketch = (StringColumnSketch)other;
        _items.Merge(sketch._items);
        _distinct.Merge(sketch._distinct);
    }

    public override ColumnProfile ToProfile()
    {
        // While value counts are exact they also give the exact distinct count.
        var exact = _items.IsExact;
        var top = new List<TopValueProfile>(TopCount);
        foreach (var (value, count) in _items.Top(TopCount))
        {
            top.Add(new TopValueProfile(value, count, exact));
        }

        return new ColumnProfile
        {
            Name = Name,
            Type = Type,
            Count = Count,
            Missing = Missing,
            Distinct = exact ? _items.DistinctTracked : _distinct.Estimate(),
            DistinctExact = exact || _distinct.IsExact,
            DistinctRelativeError = exact || _distinct.IsExact ? 0 : HyperLogLog.RelativeStandardError,
            TopValues = top,
            TopValuesExact = exact,
            TopValuesMaxError = _items.MaxError,
        };
    }

    private protected override void WritePayload(SketchWriter writer)
    {
        _items.Write(writer);
        _distinct.Write(writer);
    }

    private protected override void ReadPayload(ref SketchReader reader)
    {
        _items = FrequentItems.Read(ref reader);
        _distinct = HyperLogLog.Read(ref reader);
    }
}
