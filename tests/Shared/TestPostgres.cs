using Granary.Storage.Tests;
using Npgsql;

namespace Granary.Tests.Shared;

/// <summary>
/// Fresh databases on the run's PostgreSQL test server (<see cref="PostgresServer"/>) for tests that hand a
/// connection string to something else: a membership table, a node process. The server and its databases go
/// away with the run.
/// </summary>
public static class TestPostgres
{
    public static async Task<string> CreateDatabaseAsync()
    {
        var (admin, connectionString) = await PostgresServer.AdminAsync();
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var create = admin.CreateCommand($"CREATE DATABASE {name}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { Database = name }.ConnectionString;
    }
}
