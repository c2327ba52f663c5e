using Granary.Cli.Keys;
using Granary.Cli.Tests.EndToEnd;
using Granary.Storage.Sqlite;
using Granary.Storage.Tests;

namespace Granary.Cli.Tests.Unit;

/// <summary><c>granary keys</c> opens the metadata store the Storage configuration names, as <c>serve</c> does.</summary>
public sealed class KeysCommandTests : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("granary-keys-").FullName;
    private readonly PostgresDatabases _postgres = new();

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var console = new CapturedConsole();
        var exitCode = await CliInvoker.InvokeAsync(Program.CreateRootCommand(), args, console.Console);
        return (exitCode, console.Output, console.Error);
    }

    [Fact]
    public async Task Keys_DataOption_UsesGranaryDbInThatFolder()
    {
        var data = Path.Combine(_directory, "node");
        var created = await RunAsync("keys", "create", "ci", "--data", data);

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.StartsWith("gk_", created.Output, StringComparison.Ordinal);
        var store = new SqliteMetadataStore(Path.Combine(data, "granary.db"));
        Assert.Equal(["ci"], (await store.ListApiKeysAsync(CancellationToken.None)).Select(k => k.Name));
    }

    [Fact]
    public async Task Keys_StorageSqlitePathOption_BeforeOrAfterTheName_UsesThatFile()
    {
        var path = Path.Combine(_directory, "elsewhere", "meta.db");

        Assert.Equal(0, (await RunAsync("keys", "create", $"--Storage:SqlitePath={path}", "first")).ExitCode);
        Assert.Equal(0, (await RunAsync("keys", "create", "second", "--Storage:SqlitePath", path)).ExitCode);
        var listed = await RunAsync("keys", "list", $"--Storage:SqlitePath={path}");
        Assert.Equal(0, (await RunAsync("keys", "delete", $"--Storage:SqlitePath={path}", "first")).ExitCode);

        Assert.Contains("first\t", listed.Output, StringComparison.Ordinal);
        Assert.Contains("second\t", listed.Output, StringComparison.Ordinal);
        var store = new SqliteMetadataStore(path);
        Assert.Equal(["second"], (await store.ListApiKeysAsync(CancellationToken.None)).Select(k => k.Name));
        Assert.False(Directory.Exists(Path.Combine(Directory.GetCurrentDirectory(), "granary-data", "first")));
    }

    [Fact]
    public async Task Keys_Postgres_CreateListDeleteInTheSharedDatabase()
    {
        var connectionString = await _postgres.CreateEmptyAsync();
        string[] storage = ["--Storage:Metadata=postgres", $"--Storage:PostgresConnectionString={connectionString}"];

        var created = await RunAsync(["keys", "create", "cluster-ci", .. storage]);
        Assert.True(created.ExitCode == 0, created.Error);
        var listed = await RunAsync(["keys", "list", .. storage]);
        var deleted = await RunAsync(["keys", "delete", .. storage, "cluster-ci"]);
        var after = await RunAsync(["keys", "list", .. storage]);

        Assert.StartsWith("cluster-ci\t", listed.Output, StringComparison.Ordinal);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal("", after.Output);
        var store = _postgres.Open(connectionString);
        Assert.Empty(await store.ListApiKeysAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Keys_PostgresWithoutConnectionString_IsAConfigurationError()
    {
        var result = await RunAsync("keys", "list", "--Storage:Metadata=postgres");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Storage:PostgresConnectionString is required", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_UnreachablePostgres_FailsNamingTheServer()
    {
        var result = await RunAsync("keys", "list", "--Storage:Metadata=postgres",
            "--Storage:PostgresConnectionString=Host=127.0.0.1;Port=1;Database=meta;Password=secret;Timeout=3");

        Assert.Equal(ExitCodes.ServerError, result.ExitCode);
        Assert.Contains("127.0.0.1:1/meta", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_StorageFromEnvironment_IsHonoured()
    {
        var path = Path.Combine(_directory, "from-env.db");
        var environment = new Dictionary<string, string> { ["GRANARY_Storage__SqlitePath"] = path };

        var created = await GranaryProcess.RunAsync(environment, "keys", "create", "env-key");
        var listed = await GranaryProcess.RunAsync(environment, "keys", "list");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.StartsWith("env-key\t", listed.Stdout, StringComparison.Ordinal);
        Assert.Equal(["env-key"], (await new SqliteMetadataStore(path).ListApiKeysAsync(CancellationToken.None)).Select(k => k.Name));
    }

    [Theory]
    [InlineData(new[] { "ci" }, "ci", new string[0])]
    [InlineData(new[] { "--Storage:Metadata=postgres", "ci" }, "ci", new[] { "--Storage:Metadata=postgres" })]
    [InlineData(new[] { "--Storage:SqlitePath", "x.db", "ci", "--A:B=c" }, "ci", new[] { "--Storage:SqlitePath", "x.db", "--A:B=c" })]
    public void SplitNameAndConfiguration_OneName_SeparatesIt(string[] tokens, string name, string[] configuration)
    {
        Assert.True(KeysCommand.SplitNameAndConfiguration(tokens, out var found, out var rest));
        Assert.Equal(name, found);
        Assert.Equal(configuration, rest);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("--Storage:Metadata=postgres")]
    [InlineData("--Storage:SqlitePath ci")]
    public void SplitNameAndConfiguration_NoneOrTwoNames_Refuses(string tokens) =>
        Assert.False(KeysCommand.SplitNameAndConfiguration(tokens.Split(' '), out _, out _));

    public async ValueTask DisposeAsync()
    {
        await _postgres.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
