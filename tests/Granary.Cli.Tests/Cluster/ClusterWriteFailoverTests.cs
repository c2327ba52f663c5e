using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Granary.Cli.Tests.Cluster;

/// <summary>
/// kill -9 of a node while it writes: an upload it was receiving never becomes visible (and what was
/// acknowledged before stays), and a batch-scoring job it was running finishes on a survivor with every row.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ClusterWriteFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Kill9_of_the_node_receiving_an_upload_loses_no_acknowledged_rows_and_shows_nothing_partial()
    {
        await using var cluster = await LocalCluster.StartAsync(output, 3, "--Datasets:ChunkRows=2000");
        using var victim = cluster.Client(1);
        using var survivor = cluster.Client(0);

        // Acknowledged through the node that will die: an upload and an append.
        await Http.UploadCsvAsync(victim, "kept", Http.LogisticCsv(5_000));
        using (var append = new ByteArrayContent(Encoding.UTF8.GetBytes(Http.LogisticCsv(3_000, seed: 2))))
        {
            append.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            Assert.Equal(HttpStatusCode.Created, (await victim.PostAsync("/v1/datasets/kept/rows", append)).StatusCode);
        }

        // A large upload that is still streaming when its node dies.
        var body = Encoding.UTF8.GetBytes(Http.LogisticCsv(400_000, seed: 3));
        var sent = new TaskCompletionSource();
        using var upload = new StreamContent(new SlowStream(body, sent));
        upload.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var uploading = victim.PostAsync("/v1/datasets/torn", upload);
        await sent.Task;
        await cluster.KillAsync(1);
        await Assert.ThrowsAnyAsync<Exception>(() => uploading);

        Assert.Equal(HttpStatusCode.NotFound, (await survivor.GetAsync("/v1/datasets/torn")).StatusCode);
        var kept = await Http.GetAsync(survivor, "/v1/datasets/kept");
        Assert.Equal(2, kept.GetProperty("latestVersion").GetInt32());
        Assert.Equal(8_000, kept.GetProperty("versions").EnumerateArray().Last().GetProperty("rows").GetInt64());
        var profile = await Http.GetAsync(survivor, "/v1/datasets/kept/profile");
        Assert.Equal(8_000, profile.GetProperty("rows").GetInt64());

        // The same upload sent again to a survivor is whole.
        await Http.UploadCsvAsync(survivor, "torn", Encoding.UTF8.GetString(body));
        var torn = await Http.GetAsync(cluster.Client(2), "/v1/datasets/torn");
        Assert.Equal(400_000, torn.GetProperty("versions").EnumerateArray().Last().GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task Kill9_of_the_node_running_batch_scoring_finishes_it_on_a_survivor_with_every_row()
    {
        await using var cluster = await LocalCluster.StartAsync(output, 3, "--Datasets:ChunkRows=250");
        using var first = cluster.Client(0);
        // 600 chunks: each scored chunk is a Parquet file written and fsync'd, so scoring lasts long enough to interrupt.
        await Http.UploadCsvAsync(first, "d", Http.LogisticCsv(150_000, seed: 4));
        var trained = await Http.WaitAsync(first, await Http.SubmitAsync(first, new
        {
            type = "train", dataset = "d", label = "y", algorithm = "logistic", model = "m", maxIterations = 5,
        }));
        Assert.Equal("succeeded", trained.GetProperty("state").GetString());

        var reference = await Http.WaitAsync(first, await Http.SubmitAsync(first, new { type = "predict", model = "m", dataset = "d", output = "scored-once" }));
        Assert.Equal("succeeded", reference.GetProperty("state").GetString());

        var jobId = await Http.SubmitAsync(first, new { type = "predict", model = "m", dataset = "d", output = "scored-killed" });
        JsonElement job;
        do
        {
            job = await Http.GetAsync(first, $"/v1/jobs/{jobId}");
            Assert.NotEqual("succeeded", job.GetProperty("state").GetString());
            await Task.Delay(5);
        }
        while (job.GetProperty("progress").GetDouble() <= 0 || job.GetProperty("node").ValueKind != JsonValueKind.String);

        var victim = cluster.IndexOf(job.GetProperty("node").GetString()!);
        output.WriteLine($"killing node {victim} at {job.GetProperty("step").GetString()}");
        await cluster.KillAsync(victim);

        using var http = cluster.Client(cluster.Running.First());
        var finished = await Http.WaitAsync(http, jobId);
        Assert.Equal("succeeded", finished.GetProperty("state").GetString());
        Assert.Equal(2, finished.GetProperty("attempt").GetInt32());
        var once = await Http.GetAsync(http, "/v1/datasets/scored-once/preview?limit=1000");
        var killed = await Http.GetAsync(http, "/v1/datasets/scored-killed/preview?limit=1000");
        Assert.Equal(once.GetProperty("rows").ToString(), killed.GetProperty("rows").ToString());
        Assert.Equal(150_000, (await Http.GetAsync(http, "/v1/datasets/scored-killed")).GetProperty("versions").EnumerateArray().Last().GetProperty("rows").GetInt64());
        Assert.Equal(150_000, (await Http.GetAsync(http, "/v1/datasets/scored-killed/profile")).GetProperty("rows").GetInt64());
    }

    /// <summary>Sends the body in 64 KiB pieces with pauses, and signals once a quarter of it is on the wire.</summary>
    private sealed class SlowStream(byte[] body, TaskCompletionSource quarter) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => body.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= body.Length / 4)
            {
                quarter.TrySetResult();
                await Task.Delay(50, cancellationToken);
            }

            var count = Math.Min(Math.Min(buffer.Length, 64 << 10), body.Length - _position);
            body.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
