using System.Buffers;
using System.IO.Pipelines;

namespace Granary.Cluster.Tests.Security;

/// <summary>Two ends of an in-memory full-duplex connection.</summary>
internal sealed class PipePair
{
    private readonly Pipe toAcceptor = new();
    private readonly Pipe toInitiator = new();

    public PipePair()
    {
        Initiator = new End(toInitiator.Reader, toAcceptor.Writer);
        Acceptor = new End(toAcceptor.Reader, toInitiator.Writer);
    }

    public End Initiator { get; }

    public End Acceptor { get; }

    public sealed class End(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;

        /// <summary>What closing the socket looks like to the other end.</summary>
        public void Close()
        {
            Output.Complete();
            Input.Complete();
        }

        public async Task WriteAsync(byte[] bytes) => await Output.WriteAsync(bytes);

        public async Task<byte[]> ReadAsync(int count)
        {
            while (true)
            {
                var result = await Input.ReadAsync();
                if (result.Buffer.Length >= count)
                {
                    var bytes = result.Buffer.Slice(0, count).ToArray();
                    Input.AdvanceTo(result.Buffer.GetPosition(count));
                    return bytes;
                }

                Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                if (result.IsCompleted)
                {
                    throw new EndOfStreamException();
                }
            }
        }
    }
}
