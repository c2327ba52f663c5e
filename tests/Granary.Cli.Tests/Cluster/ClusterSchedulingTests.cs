using System.Text.Json;
using Xunit.Abstractions;

namespace Granary.Cli.Tests.Cluster;

/// <summary>Jobs submitted to one node start wherever there is capacity, within the per-node and cluster-wide limits.</summary>
[Trait("Category", "Cluster")]
public sealed class ClusterSchedulingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Jobs_spread_over_nodes_with_capacity_and_queue_beyond_the_limits()
    {
        // One job per node, two in the whole cluster of three: the third node stays idle and the third job waits.
        // Slow-to-fit data: each job lasts seconds, so the two that run together are seen together.
        await using var cluster = await LocalCluster.StartAsync(output, 3, "--Datasets:ChunkRows=500", "--Jobs:MaxConcurrent=1", "--Jobs:MaxConcurrentCluster=2");
        using var first = cluster.Client(0);
        await Http.UploadCsvAsync(first, "q", Http.SlowToFitCsv(20_000));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await Http.SubmitAsync(first, Http.TrainSpec("q", $"model-{i}")));
        }

        var runningNodes = new HashSet<string>();
        var maxRunning = 0;
        var finished = false;
        while (!finished)
        {
            // One list request: one consistent snapshot of every job's state.
            var jobs = (await Http.GetAsync(first, "/v1/jobs")).GetProperty("jobs").EnumerateArray().ToList();
            var running = jobs.Where(j => j.GetProperty("state").GetString() == "running").ToList();
            maxRunning = Math.Max(maxRunning, running.Count);
            foreach (var job in running.Where(j => j.GetProperty("node").ValueKind == JsonValueKind.String))
            {
                runningNodes.Add(job.GetProperty("node").GetString()!);
            }

            Assert.True(running.Count <= 2, "more jobs running than Jobs:MaxConcurrentCluster allows");
            Assert.Equal(running.Count, running.Select(j => j.GetProperty("node").GetString()).Distinct().Count());
            finished = jobs.All(j => j.GetProperty("state").GetString() is "succeeded" or "failed" or "cancelled");
            await Task.Delay(20);
        }

        foreach (var id in ids)
        {
            Assert.Equal("succeeded", (await Http.GetAsync(first, $"/v1/jobs/{id}")).GetProperty("state").GetString());
        }

        Assert.Equal(2, maxRunning);
        Assert.True(runningNodes.Count >= 2, $"jobs ran on {runningNodes.Count} node(s)");

        // `granary cluster` shows the same three nodes from any of them, with the shards spread over them.
        var url = cluster[2].Address.ToString().TrimEnd('/');
        var json = await EndToEnd.GranaryProcess.RunAsync("cluster", "--url", url, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Stdout);
        var nodes = document.RootElement.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal("cluster", document.RootElement.GetProperty("mode").GetString());
        Assert.Equal(3, nodes.Count(n => n.GetProperty("state").GetString() == "active"));
        Assert.Equal(
            Enumerable.Range(0, 3).Select(cluster.IdOf).Order(StringComparer.Ordinal),
            nodes.Select(n => n.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        var table = await EndToEnd.GranaryProcess.RunAsync("cluster", "--url", url);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains(cluster.IdOf(2) + " *", table.Stdout, StringComparison.Ordinal);
    }
}
