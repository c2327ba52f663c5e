using System.Net;
using System.Net.Http.Headers;
using Granary.Server.Auth;

namespace Granary.Server.Tests.Api;

public sealed class HostTests
{
    [Fact]
    public async Task Probes_OpenApiAndDocs_Answer()
    {
        await using var node = await NodeHost.StartAsync();

        Assert.Equal("ok", (await node.GetJsonAsync("/healthz")).GetProperty("status").GetString());
        Assert.Equal("ready", (await node.GetJsonAsync("/readyz")).GetProperty("status").GetString());
        var openApi = await node.GetJsonAsync("/openapi/v1.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/v1/datasets/{name}", out _));
        using var docs = await node.Http.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("swagger", await docs.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_AfterAnUpload_PrometheusTextWithGranaryCounters()
    {
        await using var node = await NodeHost.StartAsync();
        (await node.PostAsync("/v1/datasets/m", "a,b\n1,2\n3,4\n")).EnsureSuccessStatusCode();

        string text = string.Empty;
        for (var i = 0; i < 50 && !text.Contains("granary_ingest_rows", StringComparison.Ordinal); i++)
        {
            // The exporter caches a scrape briefly; ask again until the counter shows.
            await Task.Delay(100);
            text = await node.Http.GetStringAsync("/metrics");
        }

        Assert.Contains("granary_ingest_rows", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKeys_Configured_RequireBearerExceptOnProbes()
    {
        var key = ApiKeyHasher.NewKey();
        await using var node = await NodeHost.StartAsync($"--Auth:ApiKeyHashes:0={ApiKeyHasher.Hash(key)}");

        using var anonymous = await node.Http.GetAsync("/v1/datasets");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("unauthorized", (await NodeHost.ReadJsonAsync(anonymous)).GetProperty("code").GetString());
        using var health = await node.Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/datasets");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "gk_wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await node.Http.SendAsync(wrong)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, "/v1/datasets");
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await node.Http.SendAsync(right)).StatusCode);
    }

    [Fact]
    public async Task Start_NonLoopbackWithoutKeys_Refuses()
    {
        var data = Directory.CreateTempSubdirectory("granary-bind-").FullName;
        var app = GranaryNode.Build(["--data", data, "--urls", "http://0.0.0.0:0"]);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains("without API keys", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Start_InvalidOptions_FailsWithClearMessage()
    {
        var data = Directory.CreateTempSubdirectory("granary-opts-").FullName;
        var app = GranaryNode.Build(["--data", data, "--urls", "http://127.0.0.1:0", "--Datasets:ChunkRows=0"]);
        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("ChunkRows", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Start_RawKeyInsteadOfHash_FailsWithClearMessage()
    {
        var data = Directory.CreateTempSubdirectory("granary-opts-").FullName;
        var app = GranaryNode.Build(["--data", data, "--urls", "http://127.0.0.1:0", "--Auth:ApiKeyHashes:0=gk_not-a-hash"]);
        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }
}
