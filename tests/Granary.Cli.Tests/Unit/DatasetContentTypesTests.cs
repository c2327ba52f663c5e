using Granary.Client;

namespace Granary.Cli.Tests.Unit;

public sealed class DatasetContentTypesTests
{
    [Theory]
    [InlineData("data.csv", "text/csv")]
    [InlineData("DATA.CSV", "text/csv")]
    [InlineData("dir/data.tsv", "text/csv")]
    [InlineData("events.ndjson", "application/x-ndjson")]
    [InlineData("events.jsonl", "application/x-ndjson")]
    [InlineData("/tmp/table.parquet", "application/x-parquet")]
    public void FromPath_KnownExtension_ReturnsMediaType(string path, string expected) =>
        Assert.Equal(expected, DatasetContentTypes.FromPath(path));

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("archive.csv.gz")]
    [InlineData("noextension")]
    [InlineData("data.json")]
    public void FromPath_UnknownExtension_ReturnsNull(string path) =>
        Assert.Null(DatasetContentTypes.FromPath(path));
}
