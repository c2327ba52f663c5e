using System.Net;
using System.Text;

namespace Granary.Server.Tests.Api;

/// <summary>Every bad input gets a problem+json with a stable code, and changes nothing.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync()
    {
        _node = await NodeHost.StartAsync("--Datasets:MaxUploadBytes=100000");
        (await _node.PostAsync("/v1/datasets/base", "a,b\n1,x\n2,y\n")).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    public static TheoryData<string, string, int, string, long?, long?> Uploads => new()
    {
        { "text/csv", "a,b\n1,2\n3\n", 400, "ragged_row", 3, null },
        { "text/csv", "a,b\n1,\"open\n2,3\n", 400, "unterminated_quote", 2, null },
        { "text/csv", "", 400, "empty_body", null, null },
        { "text/csv", "a,b\n", 400, "no_rows", null, null },
        { "text/csv", "a,a\n1,2\n", 400, "duplicate_column", 1, null },
        { "text/csv", "a,,c\n1,2,3\n", 400, "empty_column_name", 1, null },
        { "application/x-ndjson", "{\"a\":1}\n{\"a\":\n", 400, "invalid_json", 2, null },
        { "application/x-parquet", "not parquet at all", 400, "invalid_parquet", null, null },
    };

    [Theory]
    [MemberData(nameof(Uploads))]
    public async Task Upload_Malformed_ProblemWithCodeAndPositionAndNothingStored(string contentType, string body, int status, string code, long? line, long? column)
    {
        var filesBefore = _node.BlobFiles().Count;
        using var response = await _node.PostAsync("/v1/datasets/bad", body, contentType);
        var problem = await NodeHost.ReadJsonAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        if (line is not null)
        {
            Assert.Equal(line, problem.GetProperty("line").GetInt64());
        }

        if (column is not null)
        {
            Assert.Equal(column, problem.GetProperty("column").GetInt64());
        }

        using var missing = await _node.Http.GetAsync("/v1/datasets/bad");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(filesBefore, _node.BlobFiles().Count);
    }

    [Fact]
    public async Task Upload_InvalidUtf8_ReportsLineAndColumn()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\n1,ok\n2,b").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("d\n")).ToArray();
        using var response = await _node.PostBytesAsync("/v1/datasets/bad", bytes, "text/csv");
        var problem = await NodeHost.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_utf8", problem.GetProperty("code").GetString());
        Assert.Equal(3, problem.GetProperty("line").GetInt64());
        Assert.Equal(4, problem.GetProperty("column").GetInt64());
    }

    [Fact]
    public async Task Append_TypeMismatch_422AndVersionUnchanged()
    {
        using var response = await _node.PostAsync("/v1/datasets/base/rows", "a,b\n3,z\nfour,w\n");
        var problem = await NodeHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("type_mismatch", problem.GetProperty("code").GetString());
        Assert.Equal(3, problem.GetProperty("line").GetInt64());
        Assert.Equal(1, problem.GetProperty("column").GetInt64());
        Assert.Equal("a", problem.GetProperty("field").GetString());
        Assert.Equal(1, (await _node.GetJsonAsync("/v1/datasets/base")).GetProperty("latestVersion").GetInt32());
    }

    [Fact]
    public async Task Append_DifferentColumns_422SchemaMismatch()
    {
        using var response = await _node.PostAsync("/v1/datasets/base/rows", "a,c\n3,z\n");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("schema_mismatch", (await NodeHost.ReadJsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Append_UnknownDataset_404()
    {
        using var response = await _node.PostAsync("/v1/datasets/nobody/rows", "a\n1\n");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("dataset_not_found", (await NodeHost.ReadJsonAsync(response)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("UPPER")]
    [InlineData(".hidden")]
    [InlineData("a%2Fb")]
    [InlineData("-lead")]
    [InlineData("x0123456789012345678901234567890123456789012345678901234567890123")]
    public async Task Upload_InvalidName_400InvalidName(string name)
    {
        using var response = await _node.PostAsync($"/v1/datasets/{name}", "a\n1\n");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_name", (await NodeHost.ReadJsonAsync(response)).GetProperty("code").GetString());
        Assert.Equal(["base"], Directory.EnumerateDirectories(Path.Combine(_node.BlobsDirectory, "datasets")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Upload_UnsupportedContentType_415()
    {
        using var response = await _node.PostAsync("/v1/datasets/x", "a\n1\n", "application/xml");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported_media_type", (await NodeHost.ReadJsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Upload_OverLimit_413AndNothingStored()
    {
        var big = "a\n" + string.Concat(Enumerable.Repeat("123456789\n", 20_000));
        var filesBefore = _node.BlobFiles().Count;
        using var response = await _node.PostAsync("/v1/datasets/big", big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload_too_large", (await NodeHost.ReadJsonAsync(response)).GetProperty("code").GetString());
        Assert.Equal(filesBefore, _node.BlobFiles().Count);
    }

    [Fact]
    public async Task Upload_OverLimitWithoutContentLength_413()
    {
        var big = Encoding.UTF8.GetBytes("a\n" + string.Concat(Enumerable.Repeat("123456789\n", 20_000)));
        using var content = new StreamContent(new NoLengthStream(big));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        using var response = await _node.Http.PostAsync("/v1/datasets/big", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload_too_large", (await NodeHost.ReadJsonAsync(response)).GetProperty("code").GetString());
        using var missing = await _node.Http.GetAsync("/v1/datasets/big");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Preview_BadLimit_400InvalidArgument()
    {
        using var response = await _node.Http.GetAsync("/v1/datasets/base/preview?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_argument", (await NodeHost.ReadJsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Upload_BadTypesQuery_400InvalidArgument()
    {
        using var response = await _node.PostAsync("/v1/datasets/t?types=a:complex", "a\n1\n");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_argument", (await NodeHost.ReadJsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Upload_TypeOverride_ForcesString()
    {
        using var response = await _node.PostAsync("/v1/datasets/zip?types=zip:string", "zip,n\n01234,1\n98765,2\n");
        var body = await NodeHost.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("string", body.GetProperty("schema")[0].GetProperty("type").GetString());
        var preview = await _node.GetJsonAsync("/v1/datasets/zip/preview");
        Assert.Equal("01234", preview.GetProperty("rows")[0].GetProperty("zip").GetString());
    }

    [Fact]
    public async Task UnknownRoute_404ProblemWithCode()
    {
        using var response = await _node.Http.GetAsync("/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (await NodeHost.ReadJsonAsync(response)).GetProperty("code").GetString());
    }

    /// <summary>A body whose length is unknown, so the server must enforce the limit while streaming (chunked encoding).</summary>
    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
