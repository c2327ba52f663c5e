using Granary.Cluster.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Granary.Server.Tests.Api;

public sealed class ClusterSecretOptionsTests
{
    private const string Secret = "node-test-secret-0123456789abcdef0123456789";

    [Fact]
    public async Task Node_WithSecret_StartsWithTheHandshakeOnItsSilo()
    {
        await using var node = await NodeHost.StartAsync($"--Cluster:Secret={Secret}");

        Assert.Equal("ready", (await node.GetJsonAsync("/readyz")).GetProperty("status").GetString());
        Assert.NotNull(node.App.Services.GetService<ClusterSecretConnectionMiddleware>());
    }

    [Fact]
    public async Task Node_WithoutSecret_HasNoHandshake()
    {
        await using var node = await NodeHost.StartAsync();

        Assert.Null(node.App.Services.GetService<ClusterSecretConnectionMiddleware>());
    }

    [Fact]
    public async Task Node_WithSecretFile_ReadsItTrimmed()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, Secret + "\n");
        try
        {
            await using var node = await NodeHost.StartAsync($"--Cluster:SecretFile={file}");
            Assert.NotNull(node.App.Services.GetService<ClusterSecretConnectionMiddleware>());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--Cluster:Secret=too-short", "at least 32 characters")]
    [InlineData("--Cluster:SecretFile=/nonexistent/granary-secret", "cannot be read")]
    public void Build_BadSecret_FailsWithClearMessage(string argument, string expected)
    {
        var data = Directory.CreateTempSubdirectory("granary-secret-").FullName;
        var error = Assert.Throws<OptionsValidationException>(() => GranaryNode.Build(["--data", data, "--urls", "http://127.0.0.1:0", argument]));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SecretAndSecretFile_FailsWithClearMessage()
    {
        var data = Directory.CreateTempSubdirectory("granary-secret-").FullName;
        var error = Assert.Throws<OptionsValidationException>(() => GranaryNode.Build(
            ["--data", data, "--urls", "http://127.0.0.1:0", $"--Cluster:Secret={Secret}", "--Cluster:SecretFile=/tmp/x"]));
        Assert.Contains("not both", error.Message, StringComparison.Ordinal);
    }
}
