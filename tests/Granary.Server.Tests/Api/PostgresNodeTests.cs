using Granary.Storage.Tests;

namespace Granary.Server.Tests.Api;

/// <summary>A node configured with <c>Storage:Metadata=postgres</c> keeps its metadata in the shared database.</summary>
public sealed class PostgresNodeTests : IAsyncDisposable
{
    private readonly PostgresDatabases _postgres = new();

    [Fact]
    public async Task Start_WithPostgresMetadata_MigratesAndCommitsThere()
    {
        var connectionString = await _postgres.CreateEmptyAsync();
        await using (var node = await NodeHost.StartAsync("--Storage:Metadata=postgres", $"--Storage:PostgresConnectionString={connectionString}", Secret))
        {
            (await node.PostAsync("/v1/datasets/shared", "a,b\n1,2\n3,4\n")).EnsureSuccessStatusCode();
        }

        var store = _postgres.Open(connectionString);
        var version = await store.GetVersionAsync("shared", null, CancellationToken.None);
        Assert.Equal((1, 2L), (version!.Version, version.RowCount));
    }

    [Theory]
    [InlineData("--Storage:Metadata=postgres", "Storage:PostgresConnectionString is required")]
    [InlineData("--Storage:PostgresConnectionString=Host=db", "names no Database")]
    [InlineData("--Storage:Metadata=mysql", "must be 'sqlite' or 'postgres'")]
    public async Task Start_BadPostgresConfiguration_FailsWithClearMessage(string option, string message)
    {
        var data = Directory.CreateTempSubdirectory("granary-opts-").FullName;
        string[] args = ["--data", data, "--urls", "http://127.0.0.1:0", Secret, option];
        if (!option.StartsWith("--Storage:Metadata", StringComparison.Ordinal))
        {
            args = [.. args, "--Storage:Metadata=postgres"];
        }

        var app = GranaryNode.Build(args);
        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Fact]
    public void Start_ClusterModeWithoutSecret_RefusesWithClearMessage()
    {
        var data = Directory.CreateTempSubdirectory("granary-opts-").FullName;
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            GranaryNode.Build(["--data", data, "--urls", "http://127.0.0.1:0", "--postgres", "Host=127.0.0.1;Database=granary"]));
        Assert.Contains("Cluster mode needs Cluster:Secret or Cluster:SecretFile", error.Message, StringComparison.Ordinal);
    }

    private const string Secret = "--Cluster:Secret=0123456789abcdef0123456789abcdef-test";

    public ValueTask DisposeAsync() => _postgres.DisposeAsync();
}
