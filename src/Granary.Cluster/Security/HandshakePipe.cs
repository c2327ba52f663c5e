using System.Buffers;
using System.IO.Pipelines;

namespace Granary.Cluster.Security;

/// <summary>Exact-length reads and flushed writes on a pipe, for the fixed-size handshake messages.</summary>
internal static class HandshakePipe
{
    /// <summary>
    /// Fills <paramref name="destination"/> from the reader. Only the bytes copied are consumed: anything the peer sent
    /// after them (Orleans' own preamble, say) stays in the pipe for the next reader.
    /// </summary>
    public static async ValueTask ReadExactlyAsync(PipeReader reader, Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (buffer.Length >= destination.Length)
            {
                var message = buffer.Slice(0, destination.Length);
                message.CopyTo(destination.Span);
                reader.AdvanceTo(message.End);
                return;
            }

            // Nothing consumed, everything examined: the next read waits for more data.
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCanceled)
            {
                throw new ClusterHandshakeException("The handshake read was cancelled.");
            }

            if (result.IsCompleted)
            {
                throw new ClusterHandshakeException(
                    $"The peer closed the connection during the handshake ({buffer.Length} of {destination.Length} bytes of a message received).");
            }
        }
    }

    public static async ValueTask WriteAsync(PipeWriter writer, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var result = await writer.WriteAsync(message, cancellationToken);
        if (result.IsCanceled)
        {
            throw new ClusterHandshakeException("The handshake write was cancelled.");
        }

        if (result.IsCompleted)
        {
            throw new ClusterHandshakeException("The peer stopped reading during the handshake.");
        }
    }
}
