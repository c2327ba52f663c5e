using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Unicode;

namespace Granary.Core.Inference;

/// <summary>
/// A frozen, ordinal map from text to an index (the first occurrence wins, as in training's category
/// index) that answers for a <see cref="string"/>, a <see cref="ReadOnlySpan{T}"/> of chars, UTF-8 bytes,
/// a boolean ("false"/"true") or a number (invariant shortest round-trip text) without allocating.
/// Immutable, so one instance is shared by every thread.
/// </summary>
internal sealed class TextIndex
{
    /// <summary>Keys longer than this are decoded into a pooled buffer instead of the stack.</summary>
    private const int StackChars = 256;

    private readonly FrozenDictionary<string, int> _map;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spans;
    private readonly int _maxChars;

    public TextIndex(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var map = new Dictionary<string, int>(keys.Count, StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i] ?? throw new ArgumentException($"Entry {i} is null.", nameof(keys));
            map.TryAdd(key, i);
            _maxChars = Math.Max(_maxChars, key.Length);
        }

        _map = map.ToFrozenDictionary(StringComparer.Ordinal);
        _spans = _map.GetAlternateLookup<ReadOnlySpan<char>>();
        False = Find("false");
        True = Find("true");
    }

    /// <summary>The index of "false", or −1.</summary>
    public int False { get; }

    /// <summary>The index of "true", or −1.</summary>
    public int True { get; }

    public int Find(string key) => _map.TryGetValue(key, out var index) ? index : -1;

    public int Find(ReadOnlySpan<char> key) => key.Length <= _maxChars && _spans.TryGetValue(key, out var index) ? index : -1;

    public int Find(bool value) => value ? True : False;

    /// <summary>A number as training's category index reads it: formatted invariantly ("3", "2.5").</summary>
    public int Find(double value)
    {
        Span<char> buffer = stackalloc char[32];
        return value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture) ? Find(buffer[..written]) : -1;
    }

    /// <summary>
    /// Looks up UTF-8 text: false only when the bytes are not valid UTF-8; otherwise <paramref name="index"/>
    /// is the key's index or −1.
    /// </summary>
    public bool TryFind(ReadOnlySpan<byte> utf8, out int index)
    {
        index = -1;

        // Every UTF-16 char takes at least one UTF-8 byte, so a key of n chars decodes into n chars or fewer;
        // text that does not fit in the longest key's length cannot match (but must still be valid UTF-8).
        var capacity = Math.Min(utf8.Length, _maxChars);
        char[]? rented = null;
        var buffer = capacity <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(capacity));
        try
        {
            var status = Utf8.ToUtf16(utf8, buffer[..capacity], out _, out var written, replaceInvalidSequences: false);
            switch (status)
            {
                case OperationStatus.Done:
                    index = Find(buffer[..written]);
                    return true;
                case OperationStatus.DestinationTooSmall:
                    return Utf8.IsValid(utf8);
                default:
                    return false;
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
