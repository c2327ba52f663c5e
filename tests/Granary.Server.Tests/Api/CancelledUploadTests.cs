using System.Net;
using System.Text;

namespace Granary.Server.Tests.Api;

public sealed class CancelledUploadTests
{
    [Fact]
    public async Task Upload_ClientAbortsMidBody_NothingVisibleAndNoFilesLeft()
    {
        await using var node = await NodeHost.StartAsync();
        using var cts = new CancellationTokenSource();
        var body = new AbortingStream(Encoding.UTF8.GetBytes("a,b\n" + string.Concat(Enumerable.Range(0, 200_000).Select(i => $"{i},{i * 0.5}\n"))), abortAfter: 1_500_000, cts);
        using var content = new StreamContent(body, 65536);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");

        await Assert.ThrowsAnyAsync<Exception>(() => node.Http.PostAsync("/v1/datasets/aborted", content, cts.Token));

        // The server notices the abort asynchronously; give it a moment to discard what it wrote.
        for (var i = 0; i < 100 && node.BlobFiles().Count > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Empty(node.BlobFiles());
        using var missing = await node.Http.GetAsync("/v1/datasets/aborted");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var health = await node.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>Serves part of a body, then cancels the request, as a client that goes away would.</summary>
    private sealed class AbortingStream(byte[] data, int abortAfter, CancellationTokenSource cancel) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= abortAfter)
            {
                await cancel.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
                throw new OperationCanceledException();
            }

            return await base.ReadAsync(buffer[..Math.Min(buffer.Length, 65536)], cancellationToken);
        }
    }
}
