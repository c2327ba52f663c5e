using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Granary.Server.Auth;
using Granary.Storage.Blobs;
using Granary.Storage.Metadata;
using Granary.Storage.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Granary.Server.Tests.Api;

/// <summary>
/// The registry API against a real node. Training does not exist yet, so versions are seeded through the node's
/// own <see cref="IModelStore"/> and artifacts written through its <see cref="IBlobStore"/>.
/// </summary>
public sealed class ModelsApiTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync() => _node = await NodeHost.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static async Task<int> SeedAsync(NodeHost node, string name, bool withArtifact = true, string dataset = "iris", int datasetVersion = 1)
    {
        var store = node.App.Services.GetRequiredService<IModelStore>();
        var artifact = $"models/{name}/{Guid.NewGuid():N}.json";
        if (withArtifact)
        {
            await node.App.Services.GetRequiredService<IBlobStore>().WriteAsync(artifact,
                (stream, ct) => stream.WriteAsync("""{"format":"granary-linear","coefficients":{"x":1.5,"y":-0.25},"intercept":0.1}"""u8.ToArray(), ct).AsTask(),
                CancellationToken.None);
        }

        var version = await store.RegisterVersionAsync(name, new NewModelVersion(
            "logistic", """{"l2":0.1,"maxIterations":50}""", """[{"name":"x","type":"numeric"}]""", """{"auc":0.91,"logLoss":0.3}""", "[0.69,0.4,0.31]",
            dataset, datasetVersion, "job-7", artifact), CancellationToken.None);
        return version.Version;
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(code, body.GetProperty("code").GetString());
        return body;
    }

    private Task<HttpResponseMessage> PutAliasAsync(string name, string alias, int version) =>
        _node.Http.PutAsJsonAsync($"/v1/models/{name}/aliases/{alias}", new { version });

    [Fact]
    public async Task List_Empty_ThenModelsWithTheirAliases()
    {
        Assert.Equal(0, (await _node.GetJsonAsync("/v1/models")).GetProperty("models").GetArrayLength());
        await SeedAsync(_node, "churn");
        await SeedAsync(_node, "churn");
        await SeedAsync(_node, "fraud");
        (await PutAliasAsync("churn", "production", 1)).EnsureSuccessStatusCode();

        var models = (await _node.GetJsonAsync("/v1/models")).GetProperty("models");

        Assert.Equal(["churn", "fraud"], models.EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.Equal(2, models[0].GetProperty("latestVersion").GetInt32());
        Assert.Equal(1, models[0].GetProperty("aliases").GetProperty("production").GetInt32());
        Assert.Empty(models[1].GetProperty("aliases").EnumerateObject());
    }

    [Fact]
    public async Task Show_Model_VersionsLineageMetricsAliasesAndHistory()
    {
        await SeedAsync(_node, "show", dataset: "sales", datasetVersion: 3);
        await SeedAsync(_node, "show", dataset: "sales", datasetVersion: 4);
        (await PutAliasAsync("show", "production", 1)).EnsureSuccessStatusCode();
        (await PutAliasAsync("show", "production", 2)).EnsureSuccessStatusCode();

        var info = await _node.GetJsonAsync("/v1/models/show");

        Assert.Equal(2, info.GetProperty("latestVersion").GetInt32());
        var versions = info.GetProperty("versions");
        Assert.Equal(["sales@3", "sales@4"], versions.EnumerateArray().Select(v => v.GetProperty("dataset").GetString()));
        Assert.Equal("logistic", versions[0].GetProperty("algorithm").GetString());
        Assert.Equal(0.91, versions[1].GetProperty("metrics").GetProperty("auc").GetDouble());
        var alias = info.GetProperty("aliases")[0];
        Assert.Equal(("production", 2, "anonymous"), (alias.GetProperty("alias").GetString(), alias.GetProperty("version").GetInt32(), alias.GetProperty("updatedBy").GetString()));
        var history = info.GetProperty("aliasHistory").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("fromVersion").ValueKind);
        Assert.Equal((1, 2), (history[1].GetProperty("fromVersion").GetInt32(), history[1].GetProperty("toVersion").GetInt32()));
        Assert.True(history[1].GetProperty("changedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task ShowVersion_WithArtifact_ParsedFieldsArtifactAndAliases()
    {
        var version = await SeedAsync(_node, "detail");
        (await PutAliasAsync("detail", "staging", version)).EnsureSuccessStatusCode();

        var info = await _node.GetJsonAsync($"/v1/models/detail/versions/{version}");

        Assert.Equal(("detail", 1, "iris@1", "job-7"), (info.GetProperty("name").GetString(), info.GetProperty("version").GetInt32(),
            info.GetProperty("dataset").GetString(), info.GetProperty("jobId").GetString()));
        Assert.Equal(0.1, info.GetProperty("parameters").GetProperty("l2").GetDouble());
        Assert.Equal("x", info.GetProperty("features")[0].GetProperty("name").GetString());
        Assert.Equal(3, info.GetProperty("lossCurve").GetArrayLength());
        Assert.Equal(1.5, info.GetProperty("artifact").GetProperty("coefficients").GetProperty("x").GetDouble());
        Assert.Equal(["staging"], info.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task ShowVersion_ArtifactMissing_ArtifactIsNull()
    {
        await SeedAsync(_node, "bare", withArtifact: false);

        var info = await _node.GetJsonAsync("/v1/models/bare/versions/1");

        Assert.Equal(JsonValueKind.Null, info.GetProperty("artifact").ValueKind);
    }

    [Fact]
    public async Task Unknown_ModelOrVersion_ProblemJsonWithCodes()
    {
        await SeedAsync(_node, "known");

        await AssertProblemAsync(await _node.Http.GetAsync("/v1/models/nope"), HttpStatusCode.NotFound, "model_not_found");
        await AssertProblemAsync(await _node.Http.GetAsync("/v1/models/nope/versions/1"), HttpStatusCode.NotFound, "model_not_found");
        await AssertProblemAsync(await _node.Http.GetAsync("/v1/models/known/versions/9"), HttpStatusCode.NotFound, "version_not_found");
        await AssertProblemAsync(await _node.Http.GetAsync("/v1/models/Bad%20Name"), HttpStatusCode.BadRequest, "invalid_name");
        await AssertProblemAsync(await _node.Http.DeleteAsync("/v1/models/nope/versions/1"), HttpStatusCode.NotFound, "model_not_found");
        await AssertProblemAsync(await _node.Http.DeleteAsync("/v1/models/known/versions/9"), HttpStatusCode.NotFound, "version_not_found");
    }

    [Fact]
    public async Task SetAlias_Errors_ProblemJsonWithCodes()
    {
        await SeedAsync(_node, "aliased");

        await AssertProblemAsync(await PutAliasAsync("nope", "production", 1), HttpStatusCode.NotFound, "model_not_found");
        await AssertProblemAsync(await PutAliasAsync("aliased", "production", 5), HttpStatusCode.NotFound, "version_not_found");
        await AssertProblemAsync(await PutAliasAsync("aliased", "Prod!", 1), HttpStatusCode.BadRequest, "invalid_name");
        await AssertProblemAsync(await PutAliasAsync("aliased", "42", 1), HttpStatusCode.BadRequest, "invalid_name");
        await AssertProblemAsync(await PutAliasAsync("BAD", "production", 1), HttpStatusCode.BadRequest, "invalid_name");
        Assert.Equal(0, (await _node.GetJsonAsync("/v1/models/aliased")).GetProperty("aliasHistory").GetArrayLength());
    }

    [Fact]
    public async Task SetAlias_Valid_ReturnsAliasWithWhoAndWhen()
    {
        await SeedAsync(_node, "set");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var response = await PutAliasAsync("set", "production", 1);
        var body = await NodeHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("production", 1, "anonymous"), (body.GetProperty("alias").GetString(), body.GetProperty("version").GetInt32(), body.GetProperty("updatedBy").GetString()));
        Assert.InRange(body.GetProperty("updatedAt").GetDateTimeOffset(), before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task DeleteAlias_ExistingThenAgain_NoContentThenAliasNotFoundAndHistoryRecordsRemoval()
    {
        await SeedAsync(_node, "unalias");
        (await PutAliasAsync("unalias", "production", 1)).EnsureSuccessStatusCode();

        using var deleted = await _node.Http.DeleteAsync("/v1/models/unalias/aliases/production");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await AssertProblemAsync(await _node.Http.DeleteAsync("/v1/models/unalias/aliases/production"), HttpStatusCode.NotFound, "alias_not_found");
        await AssertProblemAsync(await _node.Http.DeleteAsync("/v1/models/nope/aliases/production"), HttpStatusCode.NotFound, "model_not_found");

        var info = await _node.GetJsonAsync("/v1/models/unalias");
        Assert.Equal(0, info.GetProperty("aliases").GetArrayLength());
        var last = info.GetProperty("aliasHistory")[1];
        Assert.Equal((1, JsonValueKind.Null), (last.GetProperty("fromVersion").GetInt32(), last.GetProperty("toVersion").ValueKind));
    }

    [Fact]
    public async Task DeleteVersion_Aliased_ConflictNamingAliasesThenDeletesAfterUnalias()
    {
        await SeedAsync(_node, "guarded");
        await SeedAsync(_node, "guarded");
        (await PutAliasAsync("guarded", "production", 2)).EnsureSuccessStatusCode();
        (await PutAliasAsync("guarded", "canary", 2)).EnsureSuccessStatusCode();
        var artifact = (await _node.GetJsonAsync("/v1/models/guarded/versions/2")).GetProperty("artifactPath").GetString()!;
        var blobs = _node.App.Services.GetRequiredService<IBlobStore>();

        var problem = await AssertProblemAsync(await _node.Http.DeleteAsync("/v1/models/guarded/versions/2"), HttpStatusCode.Conflict, "version_has_alias");
        Assert.Equal(["canary", "production"], problem.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.True(blobs.Exists(artifact));

        (await PutAliasAsync("guarded", "production", 1)).EnsureSuccessStatusCode();
        (await _node.Http.DeleteAsync("/v1/models/guarded/aliases/canary")).EnsureSuccessStatusCode();
        using var deleted = await _node.Http.DeleteAsync("/v1/models/guarded/versions/2");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.False(blobs.Exists(artifact));
        Assert.Equal(1, (await _node.GetJsonAsync("/v1/models/guarded")).GetProperty("latestVersion").GetInt32());
        await AssertProblemAsync(await _node.Http.GetAsync("/v1/models/guarded/versions/2"), HttpStatusCode.NotFound, "version_not_found");
    }

    [Fact]
    public async Task DeleteVersion_LastOne_RemovesTheModel()
    {
        await SeedAsync(_node, "single");

        (await _node.Http.DeleteAsync("/v1/models/single/versions/1")).EnsureSuccessStatusCode();

        await AssertProblemAsync(await _node.Http.GetAsync("/v1/models/single"), HttpStatusCode.NotFound, "model_not_found");
    }

    [Fact]
    public async Task AliasHistory_WithApiKeys_RecordsTheKeyName()
    {
        var configured = ApiKeyHasher.NewKey();
        await using var node = await NodeHost.StartAsync($"--Auth:ApiKeyHashes:0={ApiKeyHasher.Hash(configured)}");
        var stored = ApiKeyHasher.NewKey();
        await node.App.Services.GetRequiredService<IMetadataStore>()
            .AddApiKeyAsync(new ApiKeyRecord("ci-bot", ApiKeyHasher.Hash(stored), DateTimeOffset.UtcNow), CancellationToken.None);
        await SeedAsync(node, "audited");
        await SeedAsync(node, "audited");

        async Task PutAsync(string key, int version)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/models/audited/aliases/production") { Content = JsonContent.Create(new { version }) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            (await node.Http.SendAsync(request)).EnsureSuccessStatusCode();
        }

        await PutAsync(stored, 1);
        await PutAsync(configured, 2);

        using var show = new HttpRequestMessage(HttpMethod.Get, "/v1/models/audited");
        show.Headers.Authorization = new AuthenticationHeaderValue("Bearer", stored);
        var info = await NodeHost.ReadJsonAsync(await node.Http.SendAsync(show));
        Assert.Equal(["ci-bot", "config-key"], info.GetProperty("aliasHistory").EnumerateArray().Select(h => h.GetProperty("changedBy").GetString()));
        Assert.Equal("config-key", info.GetProperty("aliases")[0].GetProperty("updatedBy").GetString());
    }
}
