using System.Buffers;

namespace Granary.Core.Ingest.Csv;

/// <summary>
/// Where each field of each row of a block lies in the block's bytes: row-major, <c>Rows × Columns</c>
/// entries. Lengths carry flags in their high bits so the table stays two int arrays (no per-field objects).
/// </summary>
internal sealed class CsvFieldTable(CsvBlock block, int columns) : IDisposable
{
    /// <summary>The field was quoted and contains doubled quotes that must be unescaped.</summary>
    public const int EscapedFlag = 1 << 30;

    /// <summary>The field was quoted (its start is just after the opening quote).</summary>
    public const int QuotedFlag = 1 << 29;

    public const int LengthMask = QuotedFlag - 1;

    private int[] _starts = ArrayPool<int>.Shared.Rent(Math.Max(columns * 16, block.Length / 8));
    private int[] _lengths = ArrayPool<int>.Shared.Rent(Math.Max(columns * 16, block.Length / 8));

    public CsvBlock Block { get; } = block;

    public int Columns { get; } = columns;

    public int Rows { get; set; }

    public int[] Starts => _starts;

    public int[] Lengths => _lengths;

    /// <summary>Makes room for one more row of fields.</summary>
    public void EnsureRow(int row)
    {
        var needed = (row + 1) * Columns;
        if (needed > _starts.Length)
        {
            _starts = GrowArray(_starts, needed, row * Columns);
            _lengths = GrowArray(_lengths, needed, row * Columns);
        }
    }

    /// <summary>The raw bytes of a field (still escaped when <see cref="EscapedFlag"/> is set).</summary>
    public ReadOnlySpan<byte> Raw(int index) =>
        Block.Buffer.AsSpan(_starts[index], _lengths[index] & LengthMask);

    /// <summary>The field's value: raw bytes, or unescaped into <paramref name="scratch"/> when needed.</summary>
    public ReadOnlySpan<byte> Value(int index, ref byte[]? scratch)
    {
        var raw = Raw(index);
        if ((_lengths[index] & EscapedFlag) == 0)
        {
            return raw;
        }

        if (scratch is null || scratch.Length < raw.Length)
        {
            scratch = new byte[Math.Max(raw.Length, 256)];
        }

        var n = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            scratch[n++] = raw[i];
            if (raw[i] == (byte)'"')
            {
                i++; // skip the second quote of the pair
            }
        }

        return scratch.AsSpan(0, n);
    }

    /// <summary>Offset to report for a field: its opening quote when quoted.</summary>
    public int ErrorOffset(int index) =>
        (_lengths[index] & QuotedFlag) != 0 ? _starts[index] - 1 : _starts[index];

    public void Dispose()
    {
        if (_starts.Length > 0)
        {
            ArrayPool<int>.Shared.Return(_starts);
            ArrayPool<int>.Shared.Return(_lengths);
            _starts = _lengths = [];
        }

        if (Block.Buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(Block.Buffer);
        }
    }

    private static int[] GrowArray(int[] array, int needed, int used)
    {
        var bigger = ArrayPool<int>.Shared.Rent(Math.Max(needed, array.Length * 2));
        array.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<int>.Shared.Return(array);
        return bigger;
    }
}
