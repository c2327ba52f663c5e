using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Granary.Cli.Tests.EndToEnd;

/// <summary>
/// Starts a real node (<c>granary serve</c>) in its own process on a free port with a temporary data
/// directory, waits until <c>/healthz</c> answers 200, and stops it when the tests are done. Setting
/// <c>GRANARY_E2E_URL</c> runs the tests against an already running node instead.
/// </summary>
public sealed class GranaryNodeFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _log = new();
    private Process? _process;

    public string Url { get; private set; } = string.Empty;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "granary-cli-e2e-" + Guid.NewGuid().ToString("N"));

    /// <summary>What the node printed so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("GRANARY_E2E_URL") is { Length: > 0 } external)
        {
            Url = external.TrimEnd('/');
            return;
        }

        Directory.CreateDirectory(DataDirectory);
        Url = $"http://127.0.0.1:{FreePort()}";
        var info = GranaryProcess.StartInfo(["serve", "--data", DataDirectory, "--urls", Url]);
        _process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"granary serve exited with {_process.ExitCode} before it was healthy:\n{Log}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Url + "/healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but slow to answer while starting.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"granary serve did not answer GET /healthz with 200 within {StartupTimeout}:\n{Log}");
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        try
        {
            if (Directory.Exists(DataDirectory))
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a file the node still held leaves a directory in the temp folder, nothing worse.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
