using Granary.Storage.Metadata;
using Granary.Storage.Sqlite;

namespace Granary.Storage.Tests;

/// <summary>Fresh, migrated SQLite stores in one temporary folder, removed on dispose; shared by the SQLite contract suites.</summary>
public sealed class SqliteDatabases : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("granary-sqlite-").FullName;

    public string PathFor(string name) => Path.Combine(_directory, name);

    public async Task<SqliteMetadataStore> CreateAsync() => (SqliteMetadataStore)(await CreateNodesAsync(1))[0];

    /// <summary><paramref name="count"/> stores over one fresh database file, as separate processes would open it.</summary>
    public async Task<IReadOnlyList<SqlMetadataStore>> CreateNodesAsync(int count)
    {
        var path = PathFor($"{Guid.NewGuid():N}.db");
        var stores = Enumerable.Range(0, count).Select(_ => new SqliteMetadataStore(path)).ToList();
        await stores[0].MigrateAsync(CancellationToken.None);
        return stores;
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
