using Granary.Core.Data;

namespace Granary.Core.Features;

/// <summary>
/// Maps a cell's text to a level index (−1 when absent) without allocating: strings directly, booleans as
/// "false"/"true", numbers formatted invariantly into a stack buffer and looked up by span.
/// </summary>
internal sealed class CategoryIndex
{
    private readonly Dictionary<string, int> _levels;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spans;
    private readonly int _false;
    private readonly int _true;

    public CategoryIndex(IReadOnlyList<string> levels)
    {
        _levels = new Dictionary<string, int>(levels.Count, StringComparer.Ordinal);
        for (var i = 0; i < levels.Count; i++)
        {
            _levels.TryAdd(levels[i], i);
        }

        _spans = _levels.GetAlternateLookup<ReadOnlySpan<char>>();
        _false = _levels.GetValueOrDefault("false", -1);
        _true = _levels.GetValueOrDefault("true", -1);
    }

    /// <summary>The level of a non-missing cell, or −1.</summary>
    public int Find(Column column, int row)
    {
        switch (column)
        {
            case StringColumn s:
                return _levels.GetValueOrDefault(s.Values[row]!, -1);
            case BooleanColumn b:
                return b.Values[row] == 1 ? _true : _false;
            case NumericColumn n:
                Span<char> buffer = stackalloc char[32];
                return n.Values[row].TryFormat(buffer, out var written, default, System.Globalization.CultureInfo.InvariantCulture)
                    && _spans.TryGetValue(buffer[..written], out var level) ? level : -1;
            default:
                throw new ArgumentException($"Column '{column.Name}' of type {column.Type} cannot be read as a category.");
        }
    }
}
