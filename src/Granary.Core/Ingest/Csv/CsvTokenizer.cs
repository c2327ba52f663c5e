using System.Buffers;

namespace Granary.Core.Ingest.Csv;

/// <summary>
/// Splits a block of whole rows into fields (RFC 4180: quoted fields, doubled quotes, newlines inside quotes,
/// LF or CRLF). Blank lines are skipped. Thread-safe: one instance serves all parallel block parsers.
/// </summary>
internal sealed class CsvTokenizer
{
    private readonly byte _delimiter;
    private readonly int _columns;
    private readonly SearchValues<byte> _stops;

    public CsvTokenizer(byte delimiter, int columns)
    {
        _delimiter = delimiter;
        _columns = columns;
        _stops = SearchValues.Create([delimiter, (byte)'\n', (byte)'"']);
    }

    /// <summary>Tests turn this off to compare the fast path against the general one.</summary>
    internal bool UseUnquotedFastPath { get; init; } = true;

    public CsvFieldTable Tokenize(CsvBlock block)
    {
        var table = new CsvFieldTable(block, _columns);
        try
        {
            if (UseUnquotedFastPath && block.Span.IndexOf((byte)'"') < 0)
            {
                CsvUnquotedTokenizer.Fill(table, _delimiter, _columns);
            }
            else
            {
                Fill(table);
            }

            return table;
        }
        catch
        {
            table.Dispose();
            throw;
        }
    }

    private void Fill(CsvFieldTable table)
    {
        var block = table.Block;
        var text = block.Span;
        var n = text.Length;
        var pos = 0;
        var row = 0;
        while (pos < n)
        {
            // Blank line (LF or CRLF): skipped.
            if (text[pos] == (byte)'\n')
            {
                pos++;
                continue;
            }

            if (text[pos] == (byte)'\r' && (pos + 1 == n || text[pos + 1] == (byte)'\n'))
            {
                pos += pos + 1 == n ? 1 : 2;
                continue;
            }

            table.EnsureRow(row);
            var starts = table.Starts;
            var lengths = table.Lengths;
            var baseIndex = row * _columns;
            var field = 0;
            while (true)
            {
                if (field == _columns)
                {
                    throw block.Error(
                        DataFormatErrors.RaggedRow,
                        $"This row has more fields than the header's {_columns}",
                        pos - 1);
                }

                int stop;
                if (pos < n && text[pos] == (byte)'"')
                {
                    var open = pos;
                    var p = pos + 1;
                    var flags = CsvFieldTable.QuotedFlag;
                    while (true)
                    {
                        var k = text[p..].IndexOf((byte)'"');
                        if (k < 0)
                        {
                            throw block.Error(DataFormatErrors.UnterminatedQuote, "A quoted field is not closed", open);
                        }

                        p += k;
                        if (p + 1 < n && text[p + 1] == (byte)'"')
                        {
                            flags |= CsvFieldTable.EscapedFlag;
                            p += 2;
                            continue;
                        }

                        break;
                    }

                    starts[baseIndex + field] = open + 1;
                    lengths[baseIndex + field] = (p - open - 1) | flags;
                    stop = p + 1;
                    if (stop < n && text[stop] != _delimiter && text[stop] != (byte)'\n'
                        && !(text[stop] == (byte)'\r' && (stop + 1 == n || text[stop + 1] == (byte)'\n')))
                    {
                        throw block.Error(DataFormatErrors.InvalidQuote, "Unexpected text after a closing quote", stop);
                    }

                    if (stop < n && text[stop] == (byte)'\r')
                    {
                        stop++;
                    }
                }
                else
                {
                    var k = text[pos..].IndexOfAny(_stops);
                    stop = k < 0 ? n : pos + k;
                    if (stop < n && text[stop] == (byte)'"')
                    {
                        throw block.Error(DataFormatErrors.InvalidQuote, "A quote inside an unquoted field", stop);
                    }

                    var end = stop;
                    if ((stop == n || text[stop] == (byte)'\n') && end > pos && text[end - 1] == (byte)'\r')
                    {
                        end--;
                    }

                    starts[baseIndex + field] = pos;
                    lengths[baseIndex + field] = end - pos;
                }

                field++;
                if (stop < n && text[stop] == _delimiter)
                {
                    pos = stop + 1;
                    continue;
                }

                // End of row (newline or end of block).
                if (field != _columns)
                {
                    throw block.Error(
                        DataFormatErrors.RaggedRow,
                        $"This row has {field} fields but the header has {_columns}",
                        stop < n && text[stop - 1] == (byte)'\r' ? stop - 1 : stop);
                }

                pos = stop + 1;
                break;
            }

            row++;
        }

        table.Rows = row;
    }
}
