using System.Text;
using Granary.Core.Data;
using Granary.Core.Ingest;
using static Granary.Core.Tests.Ingest.ReaderTestHelpers;

namespace Granary.Core.Tests.Ingest;

public sealed class NdJsonTabularReaderTests
{
    private static readonly NdJsonTabularReader Reader = new();

    [Fact]
    public async Task ReadAsync_MixedValues_InfersTypesFromKeyUnion()
    {
        var frames = await ReadAllAsync(Reader,
            "\uFEFF{\"n\":1.5,\"b\":true,\"s\":\"x\",\"t\":\"2024-01-02T03:04:05Z\"}\r\n" +
            "\n" +
            "{\"n\":null,\"b\":false,\"extra\":\"y\"}\n" +
            "{\"n\":\"NA\",\"s\":\"x\",\"o\":{\"a\":[1]}}");
        var schema = frames[0].Schema.Columns.Select(c => (c.Name, c.Type)).ToArray();
        Assert.Equal(
            new[] { ("n", ColumnType.Numeric), ("b", ColumnType.Boolean), ("s", ColumnType.String), ("t", ColumnType.Timestamp), ("extra", ColumnType.String), ("o", ColumnType.String) },
            schema);
        Assert.Equal(new object?[] { 1.5, null, null }, Column(frames, "n"));
        Assert.Equal(new object?[] { true, false, null }, Column(frames, "b"));
        Assert.Equal(new object?[] { "x", null, "x" }, Column(frames, "s"));
        Assert.Equal(new object?[] { null, "y", null }, Column(frames, "extra"));
        Assert.Equal(new object?[] { null, null, "{\"a\":[1]}" }, Column(frames, "o"));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), Column(frames, "t")[0]);
    }

    [Fact]
    public async Task ReadAsync_UnknownKeyAfterInference_ThrowsUnknownColumnWithLine()
    {
        var e = await ErrorAsync(Reader, "{\"a\":1}\n{\"a\":2}\n{\"a\":3, \"zz\":4}\n", new IngestOptions { InferenceRows = 2 });
        Assert.Equal(DataFormatErrors.UnknownColumn, e.Code);
        Assert.Equal(3, e.Line);
        Assert.Equal(9, e.Column);
        Assert.Equal("zz", e.Field);
    }

    [Theory]
    [InlineData("{\"a\":1}\n{\"a\":}\n", 2, 6)]
    [InlineData("{\"a\":1}\n[1,2]\n", 2, 1)]
    [InlineData("{\"a\":1}\n{\"a\":2} x\n", 2, 9)]
    [InlineData("{\"a\":\"é\", \"b\" 2}\n", 1, 15)]
    public async Task ReadAsync_InvalidJson_ThrowsWithPosition(string body, long line, long column)
    {
        var e = await ErrorAsync(Reader, body);
        Assert.Equal(DataFormatErrors.InvalidJson, e.Code);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
    }

    [Fact]
    public async Task ReadAsync_ValueOfWrongType_ThrowsTypeMismatch()
    {
        var e = await ErrorAsync(Reader, "{\"a\":1}\n{\"a\":\"x\"}\n", new IngestOptions { InferenceRows = 1 });
        Assert.Equal(DataFormatErrors.TypeMismatch, e.Code);
        Assert.Equal(2, e.Line);
        Assert.Equal(6, e.Column);
        Assert.Contains("?types=a:string", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8_ThrowsInvalidUtf8()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"a\":\"x\"}\n{\"a\":\"é").Concat(new byte[] { 0xFF, (byte)'"', (byte)'}', (byte)'\n' }).ToArray();
        var e = await ErrorAsync(Reader, bytes);
        Assert.Equal(DataFormatErrors.InvalidUtf8, e.Code);
        Assert.Equal(2, e.Line);
        Assert.Equal(8, e.Column);
    }

    [Fact]
    public async Task ReadAsync_EmptyBody_ThrowsEmptyBody()
    {
        var e = await ErrorAsync(Reader, " \n\n");
        Assert.Equal(DataFormatErrors.EmptyBody, e.Code);
    }

    [Fact]
    public async Task ReadAsync_DuplicateKey_ThrowsDuplicateColumn()
    {
        var e = await ErrorAsync(Reader, "{\"a\":1,\"a\":2}\n");
        Assert.Equal(DataFormatErrors.DuplicateColumn, e.Code);
        Assert.Equal(8, e.Column);
    }

    [Fact]
    public async Task ReadAsync_OverrideAndExpectedSchema_AreApplied()
    {
        var overrides = new IngestOptions { TypeOverrides = new Dictionary<string, ColumnType> { ["id"] = ColumnType.String } };
        var frames = await ReadAllAsync(Reader, "{\"id\":7,\"v\":\"1\"}\n", overrides);
        Assert.Equal(new object?[] { "7" }, Column(frames, "id"));
        Assert.Equal(ColumnType.Numeric, frames[0].Schema.Columns[1].Type);

        var schema = new DatasetSchema([new ColumnSchema("v", ColumnType.Numeric), new ColumnSchema("id", ColumnType.String)]);
        frames = await ReadAllAsync(Reader, "{\"id\":\"a\",\"v\":2}\n", new IngestOptions { ExpectedSchema = schema });
        Assert.Equal(schema, frames[0].Schema);

        var e = await ErrorAsync(Reader, "{\"id\":\"a\",\"w\":2}\n", new IngestOptions { ExpectedSchema = schema });
        Assert.Equal(DataFormatErrors.SchemaMismatch, e.Code);
        e = await ErrorAsync(Reader, "{\"id\":\"a\"}\n", new IngestOptions { TypeOverrides = new Dictionary<string, ColumnType> { ["q"] = ColumnType.String } });
        Assert.Equal(DataFormatErrors.UnknownColumn, e.Code);
    }

    [Fact]
    public async Task ReadAsync_ManyRecords_ChunksExactly()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            text.Append("{\"i\":").Append(i).Append(",\"c\":\"k").Append(i % 3).Append("\"}\n");
        }

        var frames = await ReadAllAsync(Reader, text.ToString(), new IngestOptions { ChunkRows = 7_000, InferenceRows = 100 });
        Assert.Equal(new[] { 7_000, 7_000, 6_000 }, frames.Select(f => f.RowCount));
        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => (object?)(double)i), Column(frames, "i"));
    }
}
