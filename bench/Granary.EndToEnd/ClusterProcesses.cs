using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace Granary.EndToEnd;

/// <summary>
/// A private PostgreSQL server for one benchmark invocation (<c>scripts/postgres.sh start DIR PORT</c> on a free
/// port, in its own temporary folder), stopped and deleted on dispose. Each cluster run gets a fresh database.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _script;
    private readonly string _directory;
    private readonly string _connectionString;

    private PrivatePostgres(string script, string directory, string connectionString)
    {
        _script = script;
        _directory = directory;
        _connectionString = connectionString;
    }

    public static async Task<PrivatePostgres> StartAsync()
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "postgres.sh");
        // Its own folder under /tmp: the script hands it to the 'postgres' user when run as root, which could
        // not enter a private parent folder.
        var directory = Directory.CreateTempSubdirectory("granary-bench-pg-").FullName;
        try
        {
            var output = await RunAsync(script, "start", directory, NodeProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
            var connectionString = output.Trim().Split('\n').Last().Trim();
            return new PrivatePostgres(script, directory, connectionString);
        }
        catch
        {
            try
            {
                await RunAsync(script, "stop", directory);
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }

            throw;
        }
    }

    /// <summary>A new, empty database on the server; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "bench_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(_connectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsync(_script, "stop", _directory);
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>The folder holding Granary.slnx, found by walking up from the benchmark's binaries (or the current folder).</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Granary.slnx")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("Granary.slnx not found above the benchmark or the current folder.");
    }

    private static async Task<string> RunAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run postgres.sh.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"postgres.sh {string.Join(' ', args)} failed ({process.ExitCode}): {await error}");
    }
}

/// <summary>
/// One cluster of `granary serve` processes for one benchmark run: a fresh database, its own blob folder and a
/// data folder (and log file) per node, all under a temporary folder deleted on dispose with the processes.
/// </summary>
public sealed class ClusterProcesses : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("granary-bench-cluster-").FullName;
    private readonly List<NodeProcess?> _nodes = [];
    private readonly string _connectionString;
    private readonly string[] _settings;

    private ClusterProcesses(string connectionString, string[] settings)
    {
        _connectionString = connectionString;
        _settings = settings;
    }

    public int Count => _nodes.Count;

    public NodeProcess this[int index] => _nodes[index] ?? throw new InvalidOperationException($"node {index} is not running");

    public IEnumerable<int> Running => Enumerable.Range(0, _nodes.Count).Where(i => _nodes[i] is not null);

    /// <summary>
    /// Starts one node per entry of <paramref name="cores"/> (the core to pin it to, or null), the first alone (it
    /// creates the schema), then waits until every node sees them all active.
    /// </summary>
    public static async Task<ClusterProcesses> StartAsync(PrivatePostgres postgres, IReadOnlyList<int?> cores, params string[] settings)
    {
        var cluster = new ClusterProcesses(await postgres.CreateDatabaseAsync(), settings);
        try
        {
            await cluster.AddNodeAsync(cores[0]);
            await Task.WhenAll(cores.Skip(1).Select(cluster.AddNodeAsync));
            await cluster.WaitForActiveAsync(cores.Count);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts another node (index = the number started so far) and returns its index once it answers /readyz.</summary>
    public async Task<int> AddNodeAsync(int? core)
    {
        int index;
        lock (_nodes)
        {
            index = _nodes.Count;
            _nodes.Add(null);
        }

        var data = Path.Combine(_root, $"node-{index}");
        Directory.CreateDirectory(data);
        var node = await NodeProcess.StartAsync(data, new NodeStart(core, Path.Combine(_root, $"node-{index}.log")),
        [
            "--postgres", _connectionString, "--blobs", Path.Combine(_root, "blobs"), "--cluster", "bench",
            "--Cluster:Secret=" + new string('b', 40),
            .. _settings,
        ]);
        lock (_nodes)
        {
            _nodes[index] = node;
        }

        return index;
    }

    public HttpClient Client(int index) => new() { BaseAddress = this[index].Address, Timeout = TimeSpan.FromMinutes(30) };

    public int IndexOf(string nodeId) => Running.Single(i => this[i].NodeId == nodeId);

    /// <summary>kill -9 of node <paramref name="index"/>.</summary>
    public async Task KillAsync(int index)
    {
        var node = this[index];
        await node.KillAsync();
        await node.DisposeAsync();
        _nodes[index] = null;
    }

    /// <summary>Waits until every running node sees <paramref name="count"/> active nodes.</summary>
    public async Task WaitForActiveAsync(int count)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var views = await Task.WhenAll(Running.Select(async i =>
            {
                using var http = Client(i);
                var view = await ClusterView.ReadAsync(http);
                return view.Nodes.Count(n => n.State == "active");
            }));
            if (views.All(v => v == count))
            {
                return;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new TimeoutException($"nodes see [{string.Join(", ", views)}] active, expected {count}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>What <c>GET /v1/cluster</c> says about one node.</summary>
public sealed record ClusterNode(string Id, string State, int Shards, long BlobBytesLoaded, int RunningJobs, DateTimeOffset? SeenAt);

/// <summary><c>GET /v1/cluster</c> as the benchmarks read it.</summary>
public sealed record ClusterView(IReadOnlyList<ClusterNode> Nodes)
{
    public ClusterNode? this[string id] => Nodes.FirstOrDefault(n => n.Id == id);

    public static async Task<ClusterView> ReadAsync(HttpClient http)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync("/v1/cluster"));
        return new ClusterView(document.RootElement.GetProperty("nodes").EnumerateArray().Select(n => new ClusterNode(
            n.GetProperty("id").GetString()!,
            n.GetProperty("state").GetString()!,
            Int(n, "shards"),
            n.TryGetProperty("blobBytesLoaded", out var bytes) && bytes.ValueKind == JsonValueKind.Number ? bytes.GetInt64() : 0,
            Int(n, "runningJobs"),
            n.TryGetProperty("seenAt", out var seen) && seen.ValueKind == JsonValueKind.String ? seen.GetDateTimeOffset() : null)).ToList());
    }

    /// <summary>
    /// Waits until every active node has published its figures (every 2 s) after <paramref name="after"/>, so
    /// shard counts and bytes loaded include everything that happened before it.
    /// </summary>
    public static async Task<ClusterView> ReadFreshAsync(HttpClient http, DateTimeOffset after)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var view = await ReadAsync(http);
            if (view.Nodes.Where(n => n.State == "active").All(n => n.SeenAt > after))
            {
                return view;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException("nodes did not publish their figures within 30 s");
            }

            await Task.Delay(200);
        }
    }

    private static int Int(JsonElement node, string name) =>
        node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : 0;
}
