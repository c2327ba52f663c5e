using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Granary.Storage.Metadata;
using Granary.Storage.Postgres;
using Npgsql;

namespace Granary.Storage.Tests;

/// <summary>
/// The PostgreSQL server of this test run: the one in <c>GRANARY_TEST_POSTGRES</c> (a connection string whose
/// user may create databases; <c>scripts/test.sh</c> sets it), otherwise a private server started once with
/// <c>scripts/postgres.sh</c> and stopped when the test process exits. If neither works every PostgreSQL
/// test fails with the reason: they are never skipped.
/// </summary>
internal static class PostgresServer
{
    public const string EnvironmentVariable = "GRANARY_TEST_POSTGRES";

    private static readonly Lazy<Task<(NpgsqlDataSource DataSource, string ConnectionString)>> Admin =
        new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// A data source on the server's maintenance database, for CREATE/DROP DATABASE, and its connection string
    /// (kept apart: a data source's own <c>ConnectionString</c> drops the password).
    /// </summary>
    public static Task<(NpgsqlDataSource DataSource, string ConnectionString)> AdminAsync() => Admin.Value;

    private static async Task<(NpgsqlDataSource DataSource, string ConnectionString)> StartAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = await StartPrivateServerAsync();
        }

        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
        }
        catch (Exception error) when (error is NpgsqlException or SocketException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL test server does not answer ({RedactedTarget(connectionString)}): {error.Message}. " +
                $"Fix {EnvironmentVariable} or unset it so the tests start a private server.", error);
        }

        return (dataSource, connectionString);
    }

    private static async Task<string> StartPrivateServerAsync()
    {
        var script = FindScript();
        var directory = Path.Combine(Path.GetTempPath(), $"granary-test-pg-{Guid.NewGuid():N}");
        var (exitCode, output, errors) = await RunAsync(script, "start", directory, FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"PostgreSQL could not be started for the tests ('{script} start {directory}' exited with {exitCode}): {errors.Trim()} " +
                $"Install PostgreSQL, or set {EnvironmentVariable} to the connection string of a server whose user may create databases.");
        }

        // The test host may be killed soon after ProcessExit, so the stop and the clean-up run in their own
        // session, outliving it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            var stop = new ProcessStartInfo("setsid") { UseShellExecute = false };
            foreach (var argument in (string[])["bash", "-c", "exec </dev/null >/dev/null 2>&1; bash \"$0\" stop \"$1\"; rm -rf \"$1\"", script, directory])
            {
                stop.ArgumentList.Add(argument);
            }

            Process.Start(stop)?.Dispose();
        };
        return output.Trim().Split('\n')[^1].Trim();
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "scripts", "postgres.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new InvalidOperationException(
            $"scripts/postgres.sh was not found above {AppContext.BaseDirectory}, so no PostgreSQL server can be started for the tests; " +
            $"set {EnvironmentVariable} to a server's connection string.");
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {script}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string RedactedTarget(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";
    }
}

/// <summary>
/// Fresh PostgreSQL databases for one test class instance (xUnit makes one per test): each store or group of
/// stores gets its own <c>CREATE DATABASE</c>, so tests are independent; all are dropped on dispose.
/// </summary>
public sealed class PostgresDatabases : IAsyncDisposable
{
    private readonly List<string> _databases = [];
    private readonly List<PostgresMetadataStore> _stores = [];

    /// <summary>A new, empty (unmigrated) database; its connection string.</summary>
    public async Task<string> CreateEmptyAsync()
    {
        var (admin, adminConnectionString) = await PostgresServer.AdminAsync();
        var name = $"granary_test_{Guid.NewGuid():N}";
        lock (_databases)
        {
            _databases.Add(name);
        }

        await using (var command = admin.CreateCommand($"CREATE DATABASE \"{name}\""))
        {
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name };
        return builder.ConnectionString;
    }

    public PostgresMetadataStore Open(string connectionString)
    {
        var store = new PostgresMetadataStore(connectionString);
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    public async Task<PostgresMetadataStore> CreateAsync() => (PostgresMetadataStore)(await CreateNodesAsync(1))[0];

    /// <summary><paramref name="count"/> stores (each with its own connection pool, like separate nodes) over one fresh, migrated database.</summary>
    public async Task<IReadOnlyList<SqlMetadataStore>> CreateNodesAsync(int count)
    {
        var connectionString = await CreateEmptyAsync();
        var stores = Enumerable.Range(0, count).Select(_ => Open(connectionString)).ToList();
        await stores[0].MigrateAsync(CancellationToken.None);
        return stores;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        _stores.Clear();
        if (_databases.Count == 0)
        {
            return;
        }

        var (admin, _) = await PostgresServer.AdminAsync();
        foreach (var name in _databases)
        {
            await using var command = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
            await command.ExecuteNonQueryAsync();
        }

        _databases.Clear();
    }
}
