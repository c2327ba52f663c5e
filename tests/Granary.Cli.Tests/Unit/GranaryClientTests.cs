using System.Net;
using System.Text.Json;
using Granary.Client;

namespace Granary.Cli.Tests.Unit;

public sealed class GranaryClientTests
{
    private const string VersionJson = """
        {"name":"sales","version":1,"kind":"upload","rows":2,"addedRows":2,"bytes":100,
         "createdAt":"2026-01-01T00:00:00Z","schema":[{"name":"a","type":"numeric"}],"chunks":[]}
        """;

    [Fact]
    public async Task UploadAsync_WithOptions_SendsQueryBearerAndContentType()
    {
        var handler = new StubHandler(HttpStatusCode.Created, VersionJson);
        using var client = CreateClient(handler, apiKey: "secret");
        using var content = new MemoryStream("a\n1\n2\n"u8.ToArray());
        var options = new UploadOptions { Types = new Dictionary<string, string> { ["a"] = "numeric" }, Delimiter = ";" };

        var version = await client.UploadAsync("sales", content, DatasetContentTypes.Csv, options);

        Assert.Equal(1, version.Version);
        Assert.Equal(HttpMethod.Post, handler.Request!.Method);
        Assert.Equal("http://node:5080/v1/datasets/sales?types=a%3Anumeric&delimiter=%3B", handler.Request.RequestUri!.AbsoluteUri);
        Assert.Equal("Bearer", handler.Request.Headers.Authorization!.Scheme);
        Assert.Equal("secret", handler.Request.Headers.Authorization.Parameter);
        Assert.Equal("text/csv", handler.Request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("a\n1\n2\n"u8.ToArray(), handler.RequestBody);
    }

    [Fact]
    public async Task AppendRowsAsync_LargeBody_ReportsProgressUpToLength()
    {
        var handler = new StubHandler(HttpStatusCode.Created, VersionJson);
        using var client = CreateClient(handler);
        var payload = new byte[300_000];
        using var content = new MemoryStream(payload);
        var progress = new RecordingProgress();

        await client.AppendRowsAsync("sales", content, DatasetContentTypes.Ndjson, bytesSent: progress);

        Assert.EndsWith("/v1/datasets/sales/rows", handler.Request!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        Assert.True(progress.Values.Count > 1, "a body larger than one buffer should report more than once");
        Assert.Equal(payload.Length, progress.Values[^1]);
        Assert.Equal(progress.Values.Order(), progress.Values);
    }

    [Fact]
    public async Task GetDatasetAsync_ProblemResponse_ThrowsWithStatusAndProblem()
    {
        var handler = new StubHandler(
            HttpStatusCode.NotFound,
            """{"title":"Not found","status":404,"detail":"dataset 'x' does not exist","code":"dataset_not_found"}""",
            "application/problem+json");
        using var client = CreateClient(handler);

        var ex = await Assert.ThrowsAsync<GranaryApiException>(() => client.GetDatasetAsync("x"));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("dataset_not_found", ex.Code);
        Assert.Equal("dataset 'x' does not exist", ex.Message);
    }

    [Fact]
    public async Task PreviewAsync_Rows_DeserializeAsJsonElements()
    {
        var handler = new StubHandler(
            HttpStatusCode.OK,
            """{"name":"s","version":2,"schema":[{"name":"a","type":"numeric"},{"name":"b","type":"string"}],"rows":[{"a":1.5,"b":"x"},{"a":null,"b":"y"}]}""");
        using var client = CreateClient(handler);

        var preview = await client.PreviewAsync("s", limit: 5, version: 2);

        Assert.Equal("/v1/datasets/s/preview?limit=5&version=2", handler.Request!.RequestUri!.PathAndQuery);
        var first = Assert.IsType<JsonElement>(preview.Rows[0]["a"]);
        Assert.Equal(1.5, first.GetDouble());
        Assert.Equal("1.5", Output.ValueFormatter.Format(preview.Rows[0]["a"]));
        Assert.Equal(Output.ValueFormatter.Missing, Output.ValueFormatter.Format(preview.Rows[1]["a"]));
    }

    [Fact]
    public async Task DeleteDatasetAsync_NoContent_Succeeds()
    {
        var handler = new StubHandler(HttpStatusCode.NoContent, string.Empty);
        using var client = CreateClient(handler);

        await client.DeleteDatasetAsync("old");

        Assert.Equal(HttpMethod.Delete, handler.Request!.Method);
        Assert.Null(handler.Request.Headers.Authorization);
    }

    [Fact]
    public void BuildUploadQuery_NoOptions_IsEmpty() =>
        Assert.Equal(string.Empty, GranaryClient.BuildUploadQuery(new UploadOptions()));

    private static GranaryClient CreateClient(StubHandler handler, string? apiKey = null) =>
        new(new HttpClient(handler), new GranaryClientOptions { BaseAddress = new Uri("http://node:5080"), ApiKey = apiKey });
}
