using System.Net;
using System.Text;
using Granary.Client;

namespace Granary.Cli.Tests.Unit;

public sealed class ModelClientTests
{
    private const string VersionJson = """
        {"name":"churn","version":2,"algorithm":"logistic","dataset":"sales@3","jobId":"j1",
         "parameters":{"l2":0.1},"features":[{"name":"x","type":"numeric"}],"metrics":{"auc":0.9},"lossCurve":[0.5,0.4],
         "artifactPath":"models/churn/2.json","artifact":{"coefficients":{"x":1.5}},"aliases":["production"],"createdAt":"2026-01-01T00:00:00Z"}
        """;

    [Fact]
    public async Task ListModelsAsync_ReadsModelsWithAliases()
    {
        var handler = new StubHandler(HttpStatusCode.OK, """
            {"models":[{"name":"churn","latestVersion":2,"aliases":{"production":1},"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-02T00:00:00Z"}]}
            """);
        using var client = CreateClient(handler);

        var models = await client.ListModelsAsync();

        Assert.Equal("http://node:5080/v1/models", handler.Request!.RequestUri!.AbsoluteUri);
        Assert.Equal(("churn", 2, 1), (models[0].Name, models[0].LatestVersion, models[0].Aliases["production"]));
    }

    [Fact]
    public async Task GetModelAsync_ReadsVersionsAliasesAndHistory()
    {
        var handler = new StubHandler(HttpStatusCode.OK, """
            {"name":"churn","latestVersion":2,
             "versions":[{"version":1,"algorithm":"logistic","dataset":"sales@3","metrics":{"auc":0.9},"createdAt":"2026-01-01T00:00:00Z"}],
             "aliases":[{"alias":"production","version":1,"updatedAt":"2026-01-01T00:00:00Z","updatedBy":"ci"}],
             "aliasHistory":[{"alias":"production","fromVersion":null,"toVersion":1,"changedAt":"2026-01-01T00:00:00Z","changedBy":"ci"}],
             "createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z"}
            """);
        using var client = CreateClient(handler);

        var model = await client.GetModelAsync("churn");

        Assert.Equal("/v1/models/churn", handler.Request!.RequestUri!.AbsolutePath);
        Assert.Equal("sales@3", model.Versions[0].Dataset);
        Assert.Equal(0.9, model.Versions[0].Metrics.GetProperty("auc").GetDouble());
        Assert.Equal(("ci", (int?)null, (int?)1), (model.AliasHistory[0].ChangedBy, model.AliasHistory[0].FromVersion, model.AliasHistory[0].ToVersion));
    }

    [Fact]
    public async Task GetModelVersionAsync_ReadsJsonFieldsAndArtifact()
    {
        var handler = new StubHandler(HttpStatusCode.OK, VersionJson);
        using var client = CreateClient(handler);

        var version = await client.GetModelVersionAsync("churn", 2);

        Assert.Equal("/v1/models/churn/versions/2", handler.Request!.RequestUri!.AbsolutePath);
        Assert.Equal(1.5, version.Artifact!.Value.GetProperty("coefficients").GetProperty("x").GetDouble());
        Assert.Equal(["production"], version.Aliases);
    }

    [Fact]
    public async Task SetAliasAsync_PutsVersionBodyWithBearer()
    {
        var handler = new StubHandler(HttpStatusCode.OK, """{"alias":"production","version":3,"updatedAt":"2026-01-01T00:00:00Z","updatedBy":"ci"}""");
        using var client = CreateClient(handler, apiKey: "secret");

        var alias = await client.SetAliasAsync("churn", "production", 3);

        Assert.Equal(HttpMethod.Put, handler.Request!.Method);
        Assert.Equal("/v1/models/churn/aliases/production", handler.Request.RequestUri!.AbsolutePath);
        Assert.Equal("secret", handler.Request.Headers.Authorization!.Parameter);
        Assert.Equal("""{"version":3}""", Encoding.UTF8.GetString(handler.RequestBody!));
        Assert.Equal(("production", 3, "ci"), (alias.Alias, alias.Version, alias.UpdatedBy));
    }

    [Fact]
    public async Task DeleteAliasAsync_SendsDelete()
    {
        var handler = new StubHandler(HttpStatusCode.NoContent, string.Empty);
        using var client = CreateClient(handler);

        await client.DeleteAliasAsync("churn", "staging");

        Assert.Equal(HttpMethod.Delete, handler.Request!.Method);
        Assert.Equal("/v1/models/churn/aliases/staging", handler.Request.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task DeleteModelVersionAsync_Conflict_ThrowsWithCode()
    {
        var handler = new StubHandler(
            HttpStatusCode.Conflict,
            """{"title":"Conflict","status":409,"detail":"Version 2 of model 'churn' is the target of 'production'","code":"version_has_alias","aliases":["production"]}""",
            "application/problem+json");
        using var client = CreateClient(handler);

        var ex = await Assert.ThrowsAsync<GranaryApiException>(() => client.DeleteModelVersionAsync("churn", 2));

        Assert.Equal("/v1/models/churn/versions/2", handler.Request!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Conflict, ex.StatusCode);
        Assert.Equal("version_has_alias", ex.Problem!.Code);
    }

    private static GranaryClient CreateClient(StubHandler handler, string? apiKey = null) =>
        new(new HttpClient(handler), new GranaryClientOptions { BaseAddress = new Uri("http://node:5080"), ApiKey = apiKey });
}
