using System.Net;
using System.Net.Http.Headers;

namespace Granary.Client;

/// <summary>
/// Streams a body from a <see cref="Stream"/> in fixed-size pieces and reports the running byte count, so an
/// upload never holds more than one buffer of the file in memory. The caller owns the source stream.
/// </summary>
public sealed class ProgressStreamContent : HttpContent
{
    private const int BufferSize = 81920;

    private readonly Stream _source;
    private readonly IProgress<long>? _progress;

    public ProgressStreamContent(Stream source, string contentType, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        _source = source;
        _progress = progress;
        Headers.ContentType = new MediaTypeHeaderValue(contentType);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        long sent = 0;
        int read;
        while ((read = await _source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            sent += read;
            _progress?.Report(sent);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        // A known length lets the node reject oversized bodies up front; otherwise the body goes chunked.
        if (_source.CanSeek)
        {
            length = _source.Length - _source.Position;
            return true;
        }

        length = 0;
        return false;
    }
}
