using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Granary.Cli.Tests.Cluster;

/// <summary>
/// Separate node processes on PostgreSQL, killed with SIGKILL mid-work: jobs finish on survivors with the
/// model an uninterrupted run makes, and nothing acknowledged is lost.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ClusterFailoverTests(ITestOutputHelper output)
{
    // Small chunks spread each pass over many shard grains on every node.
    private static readonly string[] Settings = ["--Datasets:ChunkRows=500"];

    [Fact]
    public async Task Kill9_of_the_node_running_a_training_job_resumes_it_on_a_survivor_to_the_same_model()
    {
        await using var cluster = await LocalCluster.StartAsync(output, 3, Settings);
        using var first = cluster.Client(0);
        await Http.UploadCsvAsync(first, "k", Http.SlowToFitCsv(100_000));

        // Any node answers: the dataset uploaded through node 0 is there on node 2.
        using (var third = cluster.Client(2))
        {
            var dataset = await Http.GetAsync(third, "/v1/datasets/k");
            Assert.Equal(100_000, dataset.GetProperty("versions").EnumerateArray().Last().GetProperty("rows").GetInt64());
        }

        var reference = await Http.WaitAsync(first, await Http.SubmitAsync(first, Http.TrainSpec("k", "uninterrupted")));
        Assert.Equal("succeeded", reference.GetProperty("state").GetString());
        output.WriteLine($"uninterrupted run: {(reference.GetProperty("finishedAt").GetDateTimeOffset() - reference.GetProperty("startedAt").GetDateTimeOffset()).TotalSeconds:F1} s");

        var jobId = await Http.SubmitAsync(first, Http.TrainSpec("k", "killed"));
        var running = await Http.WaitForIterationAsync(first, jobId, 3);

        var victim = cluster.IndexOf(running.GetProperty("node").GetString()!);
        var survivor = cluster.Running.First(i => i != victim);
        var iterationAtKill = Http.Iteration(await Http.GetAsync(first, $"/v1/jobs/{jobId}"));
        var clock = Stopwatch.StartNew();
        await cluster.KillAsync(victim);

        using var http = cluster.Client(survivor);
        while (true)
        {
            var job = await Http.GetAsync(http, $"/v1/jobs/{jobId}");
            if (job.GetProperty("attempt").GetInt32() == 2 && (Http.Iteration(job) > iterationAtKill || job.GetProperty("state").GetString() == "succeeded"))
            {
                break;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the job did not progress on a survivor within 60 s");
            await Task.Delay(20);
        }

        output.WriteLine($"failover: job progressing on a survivor {clock.Elapsed.TotalSeconds:F2} s after kill -9 of node {victim}");
        var resumed = await Http.WaitAsync(http, jobId);
        Assert.Equal("succeeded", resumed.GetProperty("state").GetString());
        Assert.Equal(2, resumed.GetProperty("attempt").GetInt32());
        Assert.Equal(
            Http.Coefficients(await Http.GetAsync(http, "/v1/models/uninterrupted/versions/1")),
            Http.Coefficients(await Http.GetAsync(http, "/v1/models/killed/versions/1")));
        Assert.Single((await Http.GetAsync(http, "/v1/models/killed")).GetProperty("versions").EnumerateArray());

        // The killed node comes back over its folder and rejoins.
        await cluster.StartNodeAsync(victim);
        await cluster.WaitForActiveAsync(3);
    }

    [Fact]
    public async Task Kill9_of_a_node_holding_shards_mid_training_changes_neither_the_model_nor_serving_on_survivors()
    {
        await using var cluster = await LocalCluster.StartAsync(output, 3, Settings);
        using var first = cluster.Client(0);
        await Http.UploadCsvAsync(first, "s", Http.SlowToFitCsv(100_000, seed: 9));
        var reference = await Http.WaitAsync(first, await Http.SubmitAsync(first, Http.TrainSpec("s", "reference")));
        Assert.Equal("succeeded", reference.GetProperty("state").GetString());

        var jobId = await Http.SubmitAsync(first, Http.TrainSpec("s", "again"));
        var running = await Http.WaitForIterationAsync(first, jobId, 3);
        var runner = cluster.IndexOf(running.GetProperty("node").GetString()!);
        var victim = cluster.Running.First(i => i != runner);
        var other = cluster.Running.First(i => i != runner && i != victim);

        // Prediction load on the two survivors while the third dies.
        using var stop = new CancellationTokenSource();
        var load = Task.WhenAll(new[] { runner, other }.Select(i => PredictUntilAsync(cluster.Client(i), stop.Token)));
        await Task.Delay(300);
        await cluster.KillAsync(victim);

        using var http = cluster.Client(runner);
        var finished = await Http.WaitAsync(http, jobId);
        await stop.CancelAsync();
        var results = await load;
        output.WriteLine($"predictions during the kill: {results.Sum(r => r.Ok)} ok, {results.Sum(r => r.Failed)} failed");

        Assert.Equal("succeeded", finished.GetProperty("state").GetString());
        Assert.Equal(1, finished.GetProperty("attempt").GetInt32());
        Assert.Equal(
            Http.Coefficients(await Http.GetAsync(http, "/v1/models/reference/versions/1")),
            Http.Coefficients(await Http.GetAsync(http, "/v1/models/again/versions/1")));
        Assert.All(results, r => Assert.Equal(0, r.Failed));
        Assert.All(results, r => Assert.True(r.Ok > 0));
    }

    private static async Task<(int Ok, int Failed)> PredictUntilAsync(HttpClient http, CancellationToken stop)
    {
        using (http)
        {
            int ok = 0, failed = 0;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await http.PostAsJsonAsync("/v1/models/reference/predict", new { rows = new[] { new { x0 = 0.5, x1 = -0.1, x2 = 0.3, x3 = 5.0, x4 = -80.0, x5 = 0.02, x6 = -0.2, x7 = 1.0 } } }, CancellationToken.None);
                    if (response.IsSuccessStatusCode)
                    {
                        ok++;
                    }
                    else
                    {
                        failed++;
                    }
                }
                catch (HttpRequestException)
                {
                    failed++;
                }

                await Task.Delay(5, CancellationToken.None);
            }

            return (ok, failed);
        }
    }
}
