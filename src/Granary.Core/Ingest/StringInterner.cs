using System.Text;

namespace Granary.Core.Ingest;

/// <summary>
/// Deduplicates short strings within one block of one column, so a categorical column holds one string per
/// level instead of one per row. Capped so high-cardinality text does not grow it without bound.
/// </summary>
internal sealed class StringInterner
{
    private const int MaxEntries = 4_096;
    private const int MaxChars = 64;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringInterner() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Decodes valid UTF-8 to a string, reusing an earlier instance with the same text.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxChars)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[MaxChars];
        var count = Encoding.UTF8.GetChars(utf8, chars);
        var span = chars[..count];
        if (_lookup.TryGetValue(span, out var existing))
        {
            return existing;
        }

        var created = new string(span);
        if (_strings.Count < MaxEntries)
        {
            _strings.Add(created, created);
        }

        return created;
    }
}
