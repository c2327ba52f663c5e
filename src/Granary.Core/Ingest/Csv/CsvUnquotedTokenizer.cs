using System.Numerics;
using System.Runtime.Intrinsics;

namespace Granary.Core.Ingest.Csv;

/// <summary>
/// Fast path for blocks without any quote character (the usual numeric file): compares 16 bytes at a time
/// against the delimiter and newline and walks the resulting bit masks, instead of one search call per
/// field. Produces exactly what <see cref="CsvTokenizer"/> produces for such blocks, errors included.
/// </summary>
internal static class CsvUnquotedTokenizer
{
    public static void Fill(CsvFieldTable table, byte delimiter, int columns)
    {
        var block = table.Block;
        var text = block.Span;
        var n = text.Length;
        var starts = table.Starts;
        var lengths = table.Lengths;
        var row = 0;
        var field = 0;
        var pos = 0;
        var delimiters = Vector128.Create(delimiter);
        var newlines = Vector128.Create((byte)'\n');
        var chunk = 0;
        for (; chunk <= n - 16; chunk += 16)
        {
            var v = Vector128.Create(text.Slice(chunk, 16));
            var mask = (Vector128.Equals(v, delimiters) | Vector128.Equals(v, newlines)).ExtractMostSignificantBits();
            while (mask != 0)
            {
                var stop = chunk + BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
                Stop(table, text, stop, delimiter, columns, ref starts, ref lengths, ref row, ref field, ref pos);
            }
        }

        for (var stop = chunk; stop < n; stop++)
        {
            if (text[stop] == delimiter || text[stop] == (byte)'\n')
            {
                Stop(table, text, stop, delimiter, columns, ref starts, ref lengths, ref row, ref field, ref pos);
            }
        }

        // A last row without a newline (end of input), unless all that is left is a lone CR.
        if (pos < n && !(field == 0 && pos == n - 1 && text[pos] == (byte)'\r'))
        {
            Stop(table, text, n, delimiter, columns, ref starts, ref lengths, ref row, ref field, ref pos);
        }
        else if (pos == n && field > 0)
        {
            // The input ended just after a delimiter: the last field is empty.
            Stop(table, text, n, delimiter, columns, ref starts, ref lengths, ref row, ref field, ref pos);
        }

        table.Rows = row;
    }

    /// <summary>Handles the delimiter or newline at <paramref name="stop"/> (or the end of the block).</summary>
    private static void Stop(
        CsvFieldTable table, ReadOnlySpan<byte> text, int stop, byte delimiter, int columns,
        ref int[] starts, ref int[] lengths, ref int row, ref int field, ref int pos)
    {
        var isDelimiter = stop < text.Length && text[stop] == delimiter;
        var end = stop;
        if (!isDelimiter && end > pos && text[end - 1] == (byte)'\r')
        {
            end--;
        }

        if (field == 0)
        {
            if (!isDelimiter && end == pos)
            {
                pos = stop + 1; // blank line
                return;
            }

            table.EnsureRow(row);
            starts = table.Starts;
            lengths = table.Lengths;
        }

        var index = (row * columns) + field;
        starts[index] = pos;
        lengths[index] = end - pos;
        field++;
        pos = stop + 1;
        if (isDelimiter)
        {
            if (field == columns)
            {
                throw table.Block.Error(DataFormatErrors.RaggedRow, $"This row has more fields than the header's {columns}", stop);
            }

            return;
        }

        if (field != columns)
        {
            throw table.Block.Error(
                DataFormatErrors.RaggedRow,
                $"This row has {field} fields but the header has {columns}",
                stop < text.Length && text[stop - 1] == (byte)'\r' ? stop - 1 : stop);
        }

        row++;
        field = 0;
    }
}
