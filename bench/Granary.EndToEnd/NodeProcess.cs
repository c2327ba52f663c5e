using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Granary.EndToEnd;

/// <summary>A `granary serve` child process on a free loopback port, for measuring the server as users run it.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private TextWriter? _log;

    private NodeProcess(Process process, Uri address, string dataDirectory)
    {
        _process = process;
        Address = address;
        DataDirectory = dataDirectory;
    }

    public Uri Address { get; }

    public string DataDirectory { get; }

    public int ProcessId => _process.Id;

    /// <summary>The node's id (silo name, job lease owner, <c>id</c> in <c>/v1/cluster</c>), which it writes to its data folder.</summary>
    public string NodeId => File.ReadAllText(Path.Combine(DataDirectory, "node-id")).Trim();

    public static Task<NodeProcess> StartAsync(string dataDirectory, params string[] extraArgs) =>
        StartAsync(dataDirectory, new NodeStart(), extraArgs);

    /// <summary>
    /// Starts a node; with <see cref="NodeStart.Core"/> under <c>taskset -c</c> (which execs dotnet, so the
    /// process id is the node's), with <see cref="NodeStart.LogFile"/> its output goes there instead of stderr.
    /// </summary>
    public static async Task<NodeProcess> StartAsync(string dataDirectory, NodeStart options, params string[] extraArgs)
    {
        var port = FreePort();
        var cli = Path.Combine(AppContext.BaseDirectory, "granary.dll");
        string[] command = options.Core is { } core ? ["taskset", "-c", core.ToString(CultureInfo.InvariantCulture), "dotnet"] : ["dotnet"];
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[.. command[1..], cli, "serve", "--data", dataDirectory, "--urls", $"http://127.0.0.1:{port}", .. extraArgs])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start granary.");
        TextWriter? log = null;
        if (options.LogFile is { } logFile)
        {
            log = TextWriter.Synchronized(new StreamWriter(logFile, append: true) { AutoFlush = true });
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.WriteLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.WriteLine(e.Data); };
        }
        else
        {
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[node] " + e.Data); };
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new NodeProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDirectory) { _log = log };
        try
        {
            await node.WaitReadyAsync();
            return node;
        }
        catch
        {
            // Not left running when start-up fails.
            await node.DisposeAsync();
            throw;
        }
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = Address };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"granary exited with code {_process.ExitCode} during start-up.");
            }

            try
            {
                using var response = await http.GetAsync("/readyz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("granary did not become ready in 60 s.");
    }

    /// <summary>SIGKILL, as <c>kill -9</c>: no shutdown, no leaving the cluster.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>The CPUs the node process may run on (<c>Cpus_allowed_list</c>, e.g. "0" when pinned to core 0).</summary>
    public string CpusAllowed() =>
        File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))?[18..].Trim() ?? "?";

    /// <summary>Peak resident memory of the node process so far (VmHWM), in bytes.</summary>
    public long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>How to start a node: pinned to one CPU core, and where its output goes.</summary>
public sealed record NodeStart(int? Core = null, string? LogFile = null);
