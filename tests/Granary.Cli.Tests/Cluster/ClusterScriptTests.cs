using System.Diagnostics;
using Granary.Cli.Tests.EndToEnd;
using System.Text.Json;

namespace Granary.Cli.Tests.Cluster;

/// <summary>scripts/cluster.sh as a user runs it: up, status, a real kill -9, an idempotent up that brings the node back, down.</summary>
[Trait("Category", "Cluster")]
public sealed class ClusterScriptTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("granary-cluster-sh-").FullName;
    private readonly Dictionary<string, string> _environment;

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public ClusterScriptTests()
    {
        // PostgreSQL runs as its own user under this folder when the tests run as root: it must be able to enter it.
        File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        // Free, spread-out ports, so parallel runs and other services do not collide.
        var http = GranaryNodeFixture.FreePort();
        _environment = new Dictionary<string, string>
        {
            ["GRANARY_CLUSTER_DIR"] = _directory,
            ["GRANARY_CLUSTER_NAME"] = "script-test",
            ["GRANARY_CLUSTER_HTTP_BASE"] = (http - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GRANARY_CLUSTER_SILO_BASE"] = (GranaryNodeFixture.FreePort() - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GRANARY_CLUSTER_PG_PORT"] = GranaryNodeFixture.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GRANARY_SKIP_BUILD"] = "1",
        };
    }

    [Fact]
    public async Task Up_status_kill_up_and_down_behave_as_documented()
    {
        try
        {
            var up = await ScriptAsync("up", "2");
            Assert.True(up.ExitCode == 0, up.Output);
            var lines = up.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("node ", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, lines.Count);
            Assert.All(lines, line => Assert.Contains("ready", line, StringComparison.Ordinal));
            var url = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
            Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);

            using var http = new HttpClient { BaseAddress = new Uri(url) };
            await WaitForActiveAsync(http, 2);

            var kill = await ScriptAsync("kill", "2");
            Assert.True(kill.ExitCode == 0, kill.Output);
            var status = await ScriptAsync("status");
            Assert.Contains("down", status.Output.Split('\n').Single(l => l.StartsWith("node 2", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.Contains("ready", status.Output.Split('\n').Single(l => l.StartsWith("node 1", StringComparison.Ordinal)), StringComparison.Ordinal);

            // Idempotent: only the missing node starts, and it rejoins the same cluster.
            var pid1 = Pid(status.Output, 1);
            var again = await ScriptAsync("up", "2");
            Assert.True(again.ExitCode == 0, again.Output);
            Assert.Equal(pid1, Pid(again.Output, 1));
            await WaitForActiveAsync(http, 2);
        }
        finally
        {
            var down = await ScriptAsync("down");
            Assert.True(down.ExitCode == 0, down.Output);
        }

        var after = await ScriptAsync("status");
        Assert.All(after.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.EndsWith("down", line.TrimEnd(), StringComparison.Ordinal));
    }

    private static string Pid(string status, int node) =>
        status.Split('\n').Single(l => l.StartsWith($"node {node}", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1];

    private static async Task WaitForActiveAsync(HttpClient http, int count)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync("/v1/cluster"));
            if (document.RootElement.GetProperty("nodes").EnumerateArray().Count(n => n.GetProperty("state").GetString() == "active") == count)
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{count} active nodes not seen within 60 s");
            await Task.Delay(100);
        }
    }

    private async Task<(int ExitCode, string Output)> ScriptAsync(params string[] args)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "cluster.sh");
        var start = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Granary.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Granary.slnx not found above " + AppContext.BaseDirectory);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
        }
    }
}
