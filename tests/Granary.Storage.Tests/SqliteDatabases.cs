using Granary.Storage.Sqlite;

namespace Granary.Storage.Tests;

/// <summary>Fresh, migrated SQLite stores in one temporary folder, removed on dispose; shared by the SQLite contract suites.</summary>
public sealed class SqliteDatabases : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("granary-sqlite-").FullName;

    public string PathFor(string name) => Path.Combine(_directory, name);

    public async Task<SqliteMetadataStore> CreateAsync()
    {
        var store = new SqliteMetadataStore(PathFor($"{Guid.NewGuid():N}.db"));
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled handle may outlive the test on some platforms; the temp folder is cleaned by the OS.
        }
    }
}
