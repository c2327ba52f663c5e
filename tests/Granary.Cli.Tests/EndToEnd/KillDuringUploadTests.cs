using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Granary.Cli.Tests.EndToEnd;

/// <summary>
/// kill -9 of the node while an upload or append is streaming: acknowledged versions survive, nothing
/// half-written becomes visible, and the restarted node sweeps the orphaned chunk files.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class KillDuringUploadTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("granary-kill-").FullName;

    private string Blobs => Path.Combine(_data, "blobs");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Kill9_MidWrite_AcknowledgedDataSurvivesAndNothingPartialIsVisible(bool append)
    {
        var chunkRows = "--Datasets:ChunkRows=2000";
        await using (var node = await NodeProcess.StartAsync(_data, chunkRows))
        {
            using var http = new HttpClient { BaseAddress = node.Address };
            using (var acknowledged = await PostAsync(http, "/v1/datasets/kept", new MemoryStream(Rows(0, 5000))))
            {
                Assert.Equal(HttpStatusCode.Created, acknowledged.StatusCode);
            }

            var committedFiles = Files().Count;
            var target = append ? "/v1/datasets/kept/rows" : "/v1/datasets/doomed";
            var body = new EndlessRows(start: 5000);
            var upload = PostAsync(http, target, body);

            // Wait until the node has written chunk files for the doomed request, then crash it mid-stream.
            await WaitUntilAsync(() => Files().Count >= committedFiles + 3, node);
            await node.KillAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => upload);
            Assert.True(Files().Count > committedFiles, "the kill should have left uncommitted chunk files behind");
        }

        await using (var restarted = await NodeProcess.StartAsync(_data, chunkRows))
        {
            using var http = new HttpClient { BaseAddress = restarted.Address };
            var kept = await GetJsonAsync(http, "/v1/datasets/kept");
            Assert.Equal(1, kept.GetProperty("latestVersion").GetInt32());
            Assert.Equal(5000, kept.GetProperty("versions")[0].GetProperty("rows").GetInt64());
            using (var doomed = await http.GetAsync("/v1/datasets/doomed"))
            {
                Assert.Equal(HttpStatusCode.NotFound, doomed.StatusCode);
            }

            // Only the three committed chunks remain: the start-up sweep removed the rest.
            Assert.Equal(3, Files().Count);
            var profile = await GetJsonAsync(http, "/v1/datasets/kept/profile");
            var x = profile.GetProperty("columns")[0];
            Assert.Equal(5000, x.GetProperty("count").GetInt64());
            Assert.Equal(2499.5, x.GetProperty("mean").GetDouble(), 1e-9);

            using var next = await PostAsync(http, "/v1/datasets/kept/rows", new MemoryStream(Rows(5000, 10, header: true)));
            Assert.Equal(HttpStatusCode.Created, next.StatusCode);
            Assert.Equal(2, (await GetJsonAsync(http, "/v1/datasets/kept")).GetProperty("latestVersion").GetInt32());
        }
    }

    private List<string> Files() =>
        Directory.Exists(Blobs)
            ? Directory.EnumerateFiles(Blobs, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).ToList()
            : [];

    private static byte[] Rows(int start, int count, bool header = true)
    {
        var text = new StringBuilder(header ? "x,y\n" : string.Empty);
        for (var i = start; i < start + count; i++)
        {
            text.Append(i).Append(',').Append(i % 7).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, Stream body)
    {
        using var content = new StreamContent(body, 16384);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return await http.PostAsync(path, content);
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task WaitUntilAsync(Func<bool> condition, NodeProcess node)
    {
        for (var i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "the upload never reached the blob store:\n" + node.Log);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A CSV body that never ends, produced a little at a time, so the kill lands mid-request.</summary>
    private sealed class EndlessRows(int start) : Stream
    {
        private byte[] _pending = Rows(start, 500);
        private int _offset;
        private int _next = start + 500;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_offset == _pending.Length)
            {
                await Task.Delay(5, cancellationToken);
                _pending = Rows(_next, 500, header: false);
                _next += 500;
                _offset = 0;
            }

            var n = Math.Min(buffer.Length, _pending.Length - _offset);
            _pending.AsMemory(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
