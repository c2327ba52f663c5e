using System.Buffers;

namespace Granary.Core.Ingest.Csv;

/// <summary>
/// Reads the input in large blocks and cuts each at the last row boundary (a newline outside quotes), carrying
/// the partial row into the next block. Counting newlines per block gives each block its starting line.
/// This stage is cheap (vectorised scans), so one thread keeps the parallel parsers fed.
/// </summary>
internal sealed class CsvBlockSplitter(Stream stream, int blockSize, int maxRowBytes = CsvBlockSplitter.DefaultMaxRowBytes) : IDisposable
{
    /// <summary>Beyond this much text without a row end outside quotes, the block is cut at a raw newline.</summary>
    public const int DefaultMaxRowBytes = 64 << 20;

    private readonly int _blockSize = Math.Max(blockSize, 1);
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(blockSize, 1));
    private int _capacity = Math.Max(blockSize, 1);
    private int _start;
    private int _length;
    private bool _eof;
    private long _line = 1;

    public async ValueTask<CsvHeaderLine> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        do
        {
            // FillAsync grows a full buffer, so tiny test blocks still see the whole BOM.
            await FillAsync(cancellationToken);
        }
        while (_length < 3 && !_eof);

        if (_length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
        {
            _start = 3;
        }

        // Skip leading blank lines; a body of only whitespace is empty.
        while (true)
        {
            var text = _buffer.AsSpan(_start, _length - _start);
            var first = text.IndexOfAnyExcept(" \t\r\n"u8);
            if (first >= 0)
            {
                var skip = text[..first].LastIndexOf((byte)'\n') + 1;
                _line += text[..skip].Count((byte)'\n');
                _start += skip;
                break;
            }

            if (_eof)
            {
                throw new DataFormatException(DataFormatErrors.EmptyBody, "The body is empty.", 1, 1);
            }

            _line += text.Count((byte)'\n');
            _start = _length;
            await FillAsync(cancellationToken);
        }

        while (true)
        {
            var text = _buffer.AsSpan(_start, _length - _start);
            var end = FindRowEnd(text, last: false);
            if (end < 0 && !_eof)
            {
                await FillAsync(cancellationToken);
                continue;
            }

            var take = end < 0 ? text.Length : end;
            var row = text[..take];
            var headerLine = _line;
            _line += row.Count((byte)'\n');
            if (row.Length > 0 && row[^1] == (byte)'\n')
            {
                row = row[..^1];
            }

            if (row.Length > 0 && row[^1] == (byte)'\r')
            {
                row = row[..^1];
            }

            _start += take;
            return new CsvHeaderLine(row.ToArray(), headerLine);
        }
    }

    /// <summary>The next block of whole rows, or null at the end of the input.</summary>
    public async ValueTask<CsvBlock?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await FillAsync(cancellationToken);
            var available = _length - _start;
            if (available == 0)
            {
                return null;
            }

            var end = _eof ? available : FindRowEnd(_buffer.AsSpan(_start, available), last: true);
            if (end < 0 && available >= maxRowBytes)
            {
                // An unbalanced quote would otherwise make the rest of the input one "row" held in memory.
                // The tokenizer reports the quote problem before it reaches this cut, so cutting is safe.
                end = _buffer.AsSpan(_start, available).LastIndexOf((byte)'\n') + 1;
                end = end == 0 ? available : end;
            }

            if (end < 0)
            {
                // One row is longer than the buffer: grow and read more.
                Grow(_capacity * 2);
                continue;
            }

            var tail = available - end;
            var next = ArrayPool<byte>.Shared.Rent(Math.Max(_blockSize, tail * 2));
            _buffer.AsSpan(_start + end, tail).CopyTo(next);
            byte[] blockBuffer;
            if (_start == 0)
            {
                blockBuffer = _buffer;
            }
            else
            {
                // Only after the header: hand over a buffer that starts at the block.
                blockBuffer = ArrayPool<byte>.Shared.Rent(end);
                _buffer.AsSpan(_start, end).CopyTo(blockBuffer);
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            var block = new CsvBlock(blockBuffer, end, _line);
            _line += block.Span.Count((byte)'\n');
            _buffer = next;
            _capacity = Math.Max(_blockSize, tail * 2);
            _start = 0;
            _length = tail;
            return block;
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    /// <summary>
    /// Offset just past the first or last newline that is outside quotes, or -1. Blocks always start
    /// outside quotes, so counting quotes from the start gives the state.
    /// </summary>
    internal static int FindRowEnd(ReadOnlySpan<byte> text, bool last)
    {
        if (text.IndexOf((byte)'"') < 0)
        {
            var nl = last ? text.LastIndexOf((byte)'\n') : text.IndexOf((byte)'\n');
            return nl < 0 ? -1 : nl + 1;
        }

        var inQuotes = false;
        var found = -1;
        var pos = 0;
        while (true)
        {
            var k = text[pos..].IndexOfAny((byte)'"', (byte)'\n');
            if (k < 0)
            {
                return found;
            }

            var p = pos + k;
            if (text[p] == (byte)'"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes)
            {
                found = p + 1;
                if (!last)
                {
                    return found;
                }
            }

            pos = p + 1;
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0 && _start == _length)
        {
            _start = _length = 0;
        }
        else if (_start > 0 && _length == _capacity)
        {
            _buffer.AsSpan(_start, _length - _start).CopyTo(_buffer);
            _length -= _start;
            _start = 0;
        }

        if (_length == _capacity && !_eof)
        {
            Grow(_capacity * 2);
        }

        while (_length < _capacity && !_eof)
        {
            var read = await stream.ReadAsync(_buffer.AsMemory(_length, _capacity - _length), cancellationToken);
            if (read == 0)
            {
                _eof = true;
            }

            _length += read;
        }
    }

    private void Grow(int capacity)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(capacity);
        _buffer.AsSpan(_start, _length - _start).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
        _length -= _start;
        _start = 0;
        _capacity = capacity;
    }
}
