using System.Diagnostics;
using System.Text;

namespace Granary.Cli.Tests.EndToEnd;

/// <summary>Runs the built <c>granary.dll</c> (copied next to the test assembly) as a separate process.</summary>
internal static class GranaryProcess
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    public static string DllPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "granary.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("granary.dll was not built next to the tests.", path);
        }
    }

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The tests pass --url and --api-key explicitly; a developer's environment must not leak in.
        info.Environment.Remove("GRANARY_URL");
        info.Environment.Remove("GRANARY_API_KEY");
        info.Environment["NO_COLOR"] = "1";
        return info;
    }

    /// <summary>Runs the CLI to completion with stdin closed (so it behaves as in a script).</summary>
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    /// <summary>As <see cref="RunAsync(string[])"/>, with extra environment variables.</summary>
    public static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = StartInfo(args);
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"granary {string.Join(' ', args)} did not finish within {RunTimeout}.");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
