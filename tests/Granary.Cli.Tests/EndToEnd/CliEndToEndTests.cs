using System.Text.Json;

namespace Granary.Cli.Tests.EndToEnd;

/// <summary>
/// Drives the real CLI process against a real node. Every test uses its own dataset name, so they do
/// not depend on each other's order.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CliEndToEndTests : IClassFixture<GranaryNodeFixture>, IDisposable
{
    private const string Fruit = """
        id,name,price,in_stock
        1,apple,1.5,true
        2,banana,0.25,false
        3,cherry,4.75,true
        4,date,2.5,true

        """;

    private const string MoreFruit = """
        id,name,price,in_stock
        5,elderberry,3.0,false

        """;

    private readonly GranaryNodeFixture _node;
    private readonly string _files = Directory.CreateTempSubdirectory("granary-cli-files-").FullName;

    public CliEndToEndTests(GranaryNodeFixture node) => _node = node;

    public void Dispose() => Directory.Delete(_files, recursive: true);

    [Fact]
    public async Task Upload_SmallCsv_PrintsFirstVersionJson()
    {
        var result = await CliAsync("datasets", "upload", "fruit-upload", WriteFile("fruit.csv", Fruit));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal("fruit-upload", root.GetProperty("name").GetString());
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("upload", root.GetProperty("kind").GetString());
        Assert.Equal(4, root.GetProperty("rows").GetInt64());
        var schema = root.GetProperty("schema").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("type").GetString());
        Assert.Equal(["id", "name", "price", "in_stock"], schema.Keys);
        Assert.Equal("numeric", schema["price"]);
        Assert.Equal("string", schema["name"]);
        Assert.Equal("boolean", schema["in_stock"]);
    }

    [Fact]
    public async Task Upload_TypeOverride_ChangesColumnType()
    {
        var result = await CliAsync("datasets", "upload", "fruit-types", WriteFile("fruit.csv", Fruit), "--type", "id:string");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var id = json.RootElement.GetProperty("schema").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "id");
        Assert.Equal("string", id.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Append_Rows_CreatesSecondVersion()
    {
        await UploadFruitAsync("fruit-append");

        var result = await CliAsync("datasets", "append", "fruit-append", WriteFile("more.csv", MoreFruit));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("version").GetInt32());
        Assert.Equal("append", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal(5, json.RootElement.GetProperty("rows").GetInt64());
        Assert.Equal(1, json.RootElement.GetProperty("addedRows").GetInt64());
    }

    [Fact]
    public async Task List_AfterUpload_ContainsDataset()
    {
        await UploadFruitAsync("fruit-list");

        var result = await CliAsync("datasets", "list");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var entry = json.RootElement.GetProperty("datasets").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "fruit-list");
        Assert.Equal(4, entry.GetProperty("rows").GetInt64());
        Assert.Equal(4, entry.GetProperty("columns").GetInt32());
    }

    [Fact]
    public async Task Show_AfterAppend_ListsBothVersions()
    {
        await UploadFruitAsync("fruit-show");
        Assert.Equal(0, (await CliAsync("datasets", "append", "fruit-show", WriteFile("more.csv", MoreFruit))).ExitCode);

        var result = await CliAsync("datasets", "show", "fruit-show");
        var version = await CliAsync("datasets", "show", "fruit-show", "--version", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("latestVersion").GetInt32());
        Assert.Equal([1, 2], json.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.True(version.ExitCode == 0, version.ToString());
        using var versionJson = JsonDocument.Parse(version.Stdout);
        Assert.Equal(4, versionJson.RootElement.GetProperty("rows").GetInt64());
        Assert.NotEmpty(versionJson.RootElement.GetProperty("chunks").EnumerateArray());
    }

    [Fact]
    public async Task Preview_Limit_ReturnsFirstRowsInOrder()
    {
        await UploadFruitAsync("fruit-preview");

        var result = await CliAsync("datasets", "preview", "fruit-preview", "--limit", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal("apple", rows[0].GetProperty("name").GetString());
        Assert.Equal(0.25, rows[1].GetProperty("price").GetDouble());
    }

    [Fact]
    public async Task Preview_Table_ShowsValues()
    {
        await UploadFruitAsync("fruit-table");

        var result = await GranaryProcess.RunAsync("--url", _node.Url, "datasets", "preview", "fruit-table");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("cherry", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("4.75", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Profile_PriceColumn_MatchesData()
    {
        await UploadFruitAsync("fruit-profile");
        Assert.Equal(0, (await CliAsync("datasets", "append", "fruit-profile", WriteFile("more.csv", MoreFruit))).ExitCode);

        var latest = await CliAsync("datasets", "profile", "fruit-profile");
        var first = await CliAsync("datasets", "profile", "fruit-profile", "--version", "1");

        Assert.True(latest.ExitCode == 0, latest.ToString());
        Assert.True(first.ExitCode == 0, first.ToString());
        AssertPrice(latest.Stdout, count: 5, mean: (1.5 + 0.25 + 4.75 + 2.5 + 3.0) / 5, min: 0.25, max: 4.75);
        AssertPrice(first.Stdout, count: 4, mean: (1.5 + 0.25 + 4.75 + 2.5) / 4, min: 0.25, max: 4.75);
    }

    [Fact]
    public async Task Delete_WithYes_RemovesDataset()
    {
        await UploadFruitAsync("fruit-delete");

        var deleted = await CliAsync("datasets", "delete", "fruit-delete", "--yes");
        var show = await CliAsync("datasets", "show", "fruit-delete");

        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Equal(1, show.ExitCode);
        Assert.Contains("dataset_not_found", show.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_WithoutYesAndNoTerminal_RefusesAndKeepsDataset()
    {
        await UploadFruitAsync("fruit-keep");

        var refused = await CliAsync("datasets", "delete", "fruit-keep");
        var show = await CliAsync("datasets", "show", "fruit-keep");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--yes", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, show.ExitCode);
    }

    [Fact]
    public async Task Upload_RaggedCsv_ExitsOneWithLineAndColumn()
    {
        var ragged = WriteFile("ragged.csv", "a,b,c\n1,2,3\n4,5\n");

        var result = await CliAsync("datasets", "upload", "ragged", ragged);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches(@"line 3, column \d+: ", result.Stderr);
        Assert.Contains("ragged_row", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_UnreachableUrl_ExitsThree()
    {
        var url = $"http://127.0.0.1:{GranaryNodeFixture.FreePort()}";

        var result = await GranaryProcess.RunAsync("--url", url, "--json", "datasets", "list");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("not reachable", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("granary serve", result.Stderr, StringComparison.Ordinal);
    }

    private static void AssertPrice(string profileJson, long count, double mean, double min, double max)
    {
        using var json = JsonDocument.Parse(profileJson);
        var price = json.RootElement.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "price");
        Assert.Equal(count, price.GetProperty("count").GetInt64());
        Assert.Equal(0, price.GetProperty("missing").GetInt64());
        Assert.Equal(mean, price.GetProperty("mean").GetDouble(), precision: 9);
        Assert.Equal(min, price.GetProperty("min").GetDouble(), precision: 9);
        Assert.Equal(max, price.GetProperty("max").GetDouble(), precision: 9);
    }

    private async Task UploadFruitAsync(string name)
    {
        var result = await CliAsync("datasets", "upload", name, WriteFile(name + ".csv", Fruit));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Url_List_SkipsANodeThatCannotBeReached_AndSendsTheUploadOnce()
    {
        // Nothing listens on the first address: the upload never connected there, so it goes whole to the next node.
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var dead = $"http://127.0.0.1:{((System.Net.IPEndPoint)closed.LocalEndpoint).Port}";
        closed.Stop();
        var urls = $"{dead},{_node.Url}";

        var upload = await GranaryProcess.RunAsync("--url", urls, "--json", "datasets", "upload", "fruit-failover", WriteFile("fruit.csv", Fruit));
        Assert.True(upload.ExitCode == 0, upload.ToString());
        Assert.Equal(1, JsonDocument.Parse(upload.Stdout).RootElement.GetProperty("version").GetInt32());

        var show = await GranaryProcess.RunAsync("--url", urls, "--json", "datasets", "show", "fruit-failover");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Single(JsonDocument.Parse(show.Stdout).RootElement.GetProperty("versions").EnumerateArray());

        // Only unreachable addresses: the usual clear error, naming the first.
        var none = await GranaryProcess.RunAsync("--url", $"{dead},{dead}", "datasets", "list");
        Assert.NotEqual(0, none.ExitCode);
        Assert.Contains(dead, none.Stderr, StringComparison.Ordinal);
    }

    private Task<CliResult> CliAsync(params string[] args) =>
        GranaryProcess.RunAsync(["--url", _node.Url, "--json", .. args]);

    private string WriteFile(string fileName, string content)
    {
        var path = Path.Combine(_files, Guid.NewGuid().ToString("N")[..8] + "-" + fileName);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        return path;
    }
}
