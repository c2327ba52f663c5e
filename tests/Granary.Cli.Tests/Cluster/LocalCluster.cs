using System.Diagnostics;
using System.Text.Json;
using Granary.Cli.Tests.EndToEnd;
using Granary.Tests.Shared;
using Xunit.Abstractions;

namespace Granary.Cli.Tests.Cluster;

/// <summary>
/// A cluster of real `granary serve` processes on loopback: a fresh PostgreSQL database, one shared blob
/// folder, a data folder per node. Nodes can be killed with SIGKILL and started again over their folder.
/// Each node's log goes to the test's output when the node is killed or the cluster is disposed, so a failing
/// test shows what every node (the killed ones too) printed.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("granary-cluster-").FullName;
    private readonly NodeProcess?[] _nodes;
    private readonly string[] _settings;
    private readonly ITestOutputHelper _output;
    private string _postgres = string.Empty;

    private LocalCluster(ITestOutputHelper output, int size, string[] settings)
    {
        _nodes = new NodeProcess?[size];
        _settings = settings;
        _output = output;
    }

    public string BlobsDirectory => Path.Combine(_root, "blobs");

    public NodeProcess this[int index] => _nodes[index] ?? throw new InvalidOperationException($"node {index} is not running");

    public IEnumerable<int> Running => Enumerable.Range(0, _nodes.Length).Where(i => _nodes[i] is not null);

    public static async Task<LocalCluster> StartAsync(ITestOutputHelper output, int size, params string[] settings)
    {
        var cluster = new LocalCluster(output, size, settings);
        cluster._postgres = await TestPostgres.CreateDatabaseAsync();
        // The first node creates the schema; the others start together, as they would in a deployment.
        await cluster.StartNodeAsync(0);
        await Task.WhenAll(Enumerable.Range(1, size - 1).Select(cluster.StartNodeAsync));
        await cluster.WaitForActiveAsync(size);
        return cluster;
    }

    public async Task StartNodeAsync(int index)
    {
        var data = Path.Combine(_root, $"node-{index}");
        _nodes[index] = await NodeProcess.StartAsync(data,
        [
            "--postgres", _postgres, "--blobs", BlobsDirectory, "--cluster", "test",
            "--Cluster:Secret=" + new string('s', 40),
            "--Jobs:RenewInterval=00:00:00.200", "--Jobs:ProgressInterval=00:00:00.050", "--Jobs:PollInterval=00:00:00.200",
            .. _settings,
        ]);
    }

    /// <summary>The node id (silo name, job lease owner) of node <paramref name="index"/>.</summary>
    public string IdOf(int index) => File.ReadAllText(Path.Combine(_root, $"node-{index}", "node-id")).Trim();

    public int IndexOf(string nodeId) => Enumerable.Range(0, _nodes.Length).Single(i => IdOf(i) == nodeId);

    public async Task KillAsync(int index)
    {
        await this[index].KillAsync();
        WriteLog(index, "killed");
        await this[index].DisposeAsync();
        _nodes[index] = null;
    }

    public HttpClient Client(int index) => new() { BaseAddress = this[index].Address, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Waits until every running node sees <paramref name="count"/> active nodes.</summary>
    public async Task WaitForActiveAsync(int count, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var views = await Task.WhenAll(Running.Select(async i =>
            {
                using var http = Client(i);
                using var document = JsonDocument.Parse(await http.GetStringAsync("/v1/cluster"));
                return document.RootElement.GetProperty("nodes").EnumerateArray().Count(n => n.GetProperty("state").GetString() == "active");
            }));
            if (views.All(v => v == count))
            {
                return;
            }

            if (clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(60)))
            {
                throw new TimeoutException($"nodes see [{string.Join(", ", views)}] active, expected {count}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var index in Running.ToList())
        {
            WriteLog(index, "at the end");
            await this[index].DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void WriteLog(int index, string when)
    {
        try
        {
            _output.WriteLine($"--- node {index} ({when}) ---\n{string.Join('\n', this[index].Log.Split('\n').TakeLast(300))}");
        }
        catch (InvalidOperationException)
        {
            // No test is running any more (the output helper refuses writes then); the log has nowhere to go.
        }
    }
}
