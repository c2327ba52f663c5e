using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Granary.Tests.Shared;

/// <summary>
/// The PostgreSQL server these tests use: <c>GRANARY_TEST_POSTGRES</c> when set (scripts/test.sh sets it),
/// otherwise a private one started with scripts/postgres.sh for this test process. Each caller gets a
/// fresh database, so tests never see each other's rows.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<string>> Server = new(StartAsync);

    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await Server.Value;
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("GRANARY_TEST_POSTGRES") is { Length: > 0 } given)
        {
            return given;
        }

        var directory = Directory.CreateTempSubdirectory("granary-test-pg-").FullName;
        var port = FreePort();
        var script = Path.Combine(RepositoryRoot(), "scripts", "postgres.sh");
        var start = Process.Start(new ProcessStartInfo(script, ["start", directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await start.StandardOutput.ReadToEndAsync();
        var errors = await start.StandardError.ReadToEndAsync();
        await start.WaitForExitAsync();
        if (start.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not start PostgreSQL for the tests ({script} exited {start.ExitCode}): {errors}");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Process.Start(script, ["stop", directory])?.WaitForExit(30_000);
        return output.Trim();
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
