using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Granary.Server.Tests.Api;

public sealed class DatasetsApiTests : IAsyncLifetime
{
    private NodeHost _node = null!;

    public async Task InitializeAsync() => _node = await NodeHost.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static string Csv(int rows, int seed = 1)
    {
        var random = new Random(seed);
        var text = new StringBuilder("x,y,color,flag\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i},{Math.Round(random.NextDouble() * 100, 4)},{(i % 3 == 0 ? "red" : "blue")},{(i % 2 == 0 ? "true" : "false")}\n");
        }

        return text.ToString();
    }

    [Fact]
    public async Task Upload_Csv_CreatesVersionWithInferredSchemaAndChunks()
    {
        using var response = await _node.PostAsync("/v1/datasets/sales", Csv(2500));
        var body = await NodeHost.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/v1/datasets/sales/versions/1", response.Headers.Location?.ToString());
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal(2500, body.GetProperty("rows").GetInt64());
        Assert.Equal(4, body.GetProperty("chunks").GetArrayLength());
        Assert.Equal(["numeric", "numeric", "string", "boolean"], body.GetProperty("schema").EnumerateArray().Select(c => c.GetProperty("type").GetString()));

        var shown = await _node.GetJsonAsync("/v1/datasets/sales");
        Assert.Equal(1, shown.GetProperty("latestVersion").GetInt32());
        var listed = await _node.GetJsonAsync("/v1/datasets");
        Assert.Equal("sales", listed.GetProperty("datasets")[0].GetProperty("name").GetString());
        Assert.Equal(2500, listed.GetProperty("datasets")[0].GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task Append_Rows_NewVersionAndOldVersionUnchanged()
    {
        (await _node.PostAsync("/v1/datasets/events", Csv(10))).EnsureSuccessStatusCode();
        using var appended = await _node.PostAsync("/v1/datasets/events/rows", "flag,x,y,color\ntrue,100,1.5,green\nfalse,101,2.5,red\n");
        var body = await NodeHost.ReadJsonAsync(appended);

        Assert.Equal(HttpStatusCode.Created, appended.StatusCode);
        Assert.Equal((2, 12L, 2L, "append"), (body.GetProperty("version").GetInt32(), body.GetProperty("rows").GetInt64(), body.GetProperty("addedRows").GetInt64(), body.GetProperty("kind").GetString()));
        var v1 = await _node.GetJsonAsync("/v1/datasets/events/preview?version=1&limit=100");
        Assert.Equal(10, v1.GetProperty("rows").GetArrayLength());
        var v2 = await _node.GetJsonAsync("/v1/datasets/events/preview?limit=100");
        Assert.Equal(12, v2.GetProperty("rows").GetArrayLength());
        var last = v2.GetProperty("rows")[11];
        Assert.Equal((101.0, "red", false), (last.GetProperty("x").GetDouble(), last.GetProperty("color").GetString(), last.GetProperty("flag").GetBoolean()));
    }

    [Fact]
    public async Task Append_Ndjson_MatchesSchema()
    {
        (await _node.PostAsync("/v1/datasets/nd", Csv(3))).EnsureSuccessStatusCode();
        using var appended = await _node.PostAsync("/v1/datasets/nd/rows", "{\"x\":7,\"y\":0.5,\"color\":\"red\",\"flag\":true}\n", "application/x-ndjson");
        Assert.Equal(HttpStatusCode.Created, appended.StatusCode);
        Assert.Equal(4, (await NodeHost.ReadJsonAsync(appended)).GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task Upload_Ndjson_InfersTypes()
    {
        using var response = await _node.PostAsync("/v1/datasets/logs", "{\"a\":1.5,\"b\":\"x\",\"t\":\"2024-01-02T03:04:05Z\"}\n{\"a\":null,\"b\":\"y\",\"t\":\"2024-01-03T00:00:00Z\"}\n", "application/x-ndjson");
        var body = await NodeHost.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["numeric", "string", "timestamp"], body.GetProperty("schema").EnumerateArray().Select(c => c.GetProperty("type").GetString()));
        var preview = await _node.GetJsonAsync("/v1/datasets/logs/preview");
        Assert.Equal(JsonValueKind.Null, preview.GetProperty("rows")[1].GetProperty("a").ValueKind);
        Assert.StartsWith("2024-01-02T03:04:05", preview.GetProperty("rows")[0].GetProperty("t").GetString());
    }

    [Fact]
    public async Task Profile_NumericColumn_MatchesExactStatisticsAndIsCached()
    {
        var csv = Csv(5000, seed: 7);
        (await _node.PostAsync("/v1/datasets/prof", csv)).EnsureSuccessStatusCode();
        var ys = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        var mean = ys.Average();
        var std = Math.Sqrt(ys.Sum(v => (v - mean) * (v - mean)) / (ys.Length - 1));

        var profile = await _node.GetJsonAsync("/v1/datasets/prof/profile");
        var y = profile.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "y");

        Assert.Equal(5000, y.GetProperty("count").GetInt64() + y.GetProperty("missing").GetInt64());
        Assert.Equal(mean, y.GetProperty("mean").GetDouble(), 1e-9);
        Assert.Equal(std, y.GetProperty("std").GetDouble(), 1e-2);
        Assert.Equal(ys.Min(), y.GetProperty("min").GetDouble());
        Assert.Equal(ys.Max(), y.GetProperty("max").GetDouble());
        var sorted = ys.Order().ToArray();
        var median = y.GetProperty("quantiles").GetProperty("p50").GetDouble();
        var rank = Array.BinarySearch(sorted, median);
        Assert.InRange(Math.Abs((rank < 0 ? ~rank : rank) - 2500), 0, 5000 * 0.01 + 1);
        var color = profile.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "color");
        Assert.Equal(2, color.GetProperty("distinct").GetInt64());
        Assert.Equal(3333, color.GetProperty("topValues").EnumerateArray().Single(t => t.GetProperty("value").GetString() == "blue").GetProperty("count").GetInt64());

        var again = await _node.GetJsonAsync("/v1/datasets/prof/profile");
        Assert.Equal(profile.GetProperty("computedAt").GetString(), again.GetProperty("computedAt").GetString());
    }

    [Fact]
    public async Task Profile_InfiniteValues_ReportedWithoutBreakingJson()
    {
        (await _node.PostAsync("/v1/datasets/inf", "v\n1\n2\nInfinity\n-Infinity\n3\n")).EnsureSuccessStatusCode();
        var profile = await _node.GetJsonAsync("/v1/datasets/inf/profile");
        var v = profile.GetProperty("columns")[0];
        Assert.Equal("numeric", v.GetProperty("type").GetString());
        Assert.Equal(2.0, v.GetProperty("mean").GetDouble());
        Assert.Equal("1", v.GetProperty("extra").GetProperty("positiveInfinity").GetString());
        Assert.Equal("Infinity", v.GetProperty("quantiles").GetProperty("p99").GetString());
    }

    [Fact]
    public async Task Delete_Existing_RemovesMetadataAndFiles()
    {
        (await _node.PostAsync("/v1/datasets/gone", Csv(1500))).EnsureSuccessStatusCode();
        Assert.NotEmpty(_node.BlobFiles());

        using var deleted = await _node.Http.DeleteAsync("/v1/datasets/gone");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var missing = await _node.Http.GetAsync("/v1/datasets/gone");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Empty(_node.BlobFiles());
        using var again = await _node.Http.DeleteAsync("/v1/datasets/gone");
        Assert.Equal("dataset_not_found", (await NodeHost.ReadJsonAsync(again)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Preview_Limit_ReturnsFirstRowsInOrder()
    {
        (await _node.PostAsync("/v1/datasets/pre", Csv(2200))).EnsureSuccessStatusCode();
        var preview = await _node.GetJsonAsync("/v1/datasets/pre/preview?limit=1000");
        var rows = preview.GetProperty("rows");
        Assert.Equal(1000, rows.GetArrayLength());
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (double)i), rows.EnumerateArray().Select(r => r.GetProperty("x").GetDouble()));
    }

    [Fact]
    public async Task GetVersion_Unknown_Returns404WithCode()
    {
        (await _node.PostAsync("/v1/datasets/v", Csv(3))).EnsureSuccessStatusCode();
        using var response = await _node.Http.GetAsync("/v1/datasets/v/versions/9");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("version_not_found", (await NodeHost.ReadJsonAsync(response)).GetProperty("code").GetString());
    }
}
