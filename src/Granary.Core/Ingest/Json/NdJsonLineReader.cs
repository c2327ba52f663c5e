using System.Buffers;

namespace Granary.Core.Ingest.Json;

/// <summary>
/// Reads the input line by line into a pooled buffer (a UTF-8 BOM is skipped). JSON strings cannot contain
/// raw newlines, so every '\n' ends a record. The current line is valid until the next call.
/// </summary>
internal sealed class NdJsonLineReader(Stream stream) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
    private int _start;
    private int _length;
    private bool _eof;
    private bool _started;

    public ReadOnlyMemory<byte> Line { get; private set; }

    /// <summary>1-based line number of <see cref="Line"/>.</summary>
    public long LineNumber { get; private set; }

    public async ValueTask<bool> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var available = _buffer.AsSpan(_start, _length - _start);
            var nl = available.IndexOf((byte)'\n');
            if (nl >= 0 || (_eof && available.Length > 0))
            {
                var take = nl >= 0 ? nl : available.Length;
                var line = _buffer.AsMemory(_start, take);
                if (line.Length > 0 && line.Span[^1] == (byte)'\r')
                {
                    line = line[..^1];
                }

                _start += nl >= 0 ? nl + 1 : take;
                LineNumber++;
                Line = line;
                return true;
            }

            if (_eof)
            {
                Line = default;
                return false;
            }

            await FillAsync(cancellationToken);
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

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _length - _start).CopyTo(_buffer);
            _length -= _start;
            _start = 0;
        }

        if (_length == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_length), cancellationToken);
        if (read == 0)
        {
            _eof = true;
        }

        _length += read;
        if (!_started && _length >= 3)
        {
            _started = true;
            if (_buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
            {
                _start = 3;
            }
        }
        else if (_eof)
        {
            _started = true;
        }
    }
}
