using DuckDB.NET.Data;
using Granary.Core.Data;
using Granary.Core.Ingest;
using Granary.Storage.Parquet;

namespace Granary.Storage.Tests.Parquet;

public sealed class ParquetTabularReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("granary-parquet-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string DuckDbParquet(string select)
    {
        var path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".parquet");
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({select}) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000)";
        command.ExecuteNonQuery();
        return path;
    }

    private static async Task<List<Frame>> ReadAllAsync(Stream stream, IngestOptions? options = null)
    {
        var frames = new List<Frame>();
        await foreach (var frame in new ParquetTabularReader().ReadAsync(stream, options ?? new IngestOptions(), CancellationToken.None))
        {
            frames.Add(frame);
        }

        return frames;
    }

    [Fact]
    public async Task ReadAsync_DuckDbTypes_MapToGranaryTypes()
    {
        var path = DuckDbParquet(
            "SELECT i::INTEGER AS i32, i::BIGINT AS i64, (i / 2)::FLOAT AS f32, i / 4 AS f64, (i / 8)::DECIMAL(10,3) AS dec, " +
            "i % 2 = 0 AS b, 'v' || i AS s, DATE '2024-01-01' + i::INTEGER AS d, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) SECOND AS ts " +
            "FROM range(2500) t(i)");
        await using var file = File.OpenRead(path);
        var frames = await ReadAllAsync(file, new IngestOptions { ChunkRows = 1024 });
        Assert.Equal(new[] { 1024, 1024, 452 }, frames.Select(f => f.RowCount));
        Assert.Equal(
            new[] { ColumnType.Numeric, ColumnType.Numeric, ColumnType.Numeric, ColumnType.Numeric, ColumnType.Numeric, ColumnType.Boolean, ColumnType.String, ColumnType.Timestamp, ColumnType.Timestamp },
            frames[0].Schema.Columns.Select(c => c.Type));
        var last = frames[2];
        Assert.Equal(2499.0, last.Columns[0].GetValue(451));
        Assert.Equal(312.375, last.Columns[4].GetValue(451));
        Assert.Equal(false, last.Columns[5].GetValue(451));
        Assert.Equal("v2499", last.Columns[6].GetValue(451));
        var at = (TimestampColumn)last.Columns[8];
        Assert.Equal((new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds() + 2499) * 1_000_000, at.Values[451]);
        var day = (TimestampColumn)last.Columns[7];
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(2499).ToUnixTimeSeconds() * 1_000_000, day.Values[451]);
    }

    [Fact]
    public async Task ReadAsync_NonSeekableBody_IsSpooledAndRead()
    {
        var path = DuckDbParquet("SELECT i AS v, CASE WHEN i % 3 = 0 THEN NULL ELSE i END AS maybe FROM range(10) t(i)");
        await using var file = File.OpenRead(path);
        var frames = await ReadAllAsync(new ForwardOnlyStream(file));
        var frame = Assert.Single(frames);
        Assert.Equal(10, frame.RowCount);
        Assert.True(frame.Columns[1].IsMissing(0));
        Assert.Equal(1.0, frame.Columns[1].GetValue(1));
    }

    [Fact]
    public async Task ReadAsync_NotParquet_ThrowsInvalidParquet()
    {
        var e = await Assert.ThrowsAsync<DataFormatException>(() => ReadAllAsync(new MemoryStream("a,b\n1,2\n"u8.ToArray())));
        Assert.Equal(DataFormatErrors.InvalidParquet, e.Code);
    }

    [Fact]
    public async Task ReadAsync_EmptyBody_ThrowsEmptyBody()
    {
        var e = await Assert.ThrowsAsync<DataFormatException>(() => ReadAllAsync(new MemoryStream()));
        Assert.Equal(DataFormatErrors.EmptyBody, e.Code);
    }

    [Fact]
    public async Task ReadAsync_UnsupportedColumnType_ThrowsInvalidParquetNamingColumn()
    {
        var path = DuckDbParquet("SELECT 1 AS ok, '\\x01'::BLOB AS payload");
        await using var file = File.OpenRead(path);
        var e = await Assert.ThrowsAsync<DataFormatException>(() => ReadAllAsync(file));
        Assert.Equal(DataFormatErrors.InvalidParquet, e.Code);
        Assert.Equal("payload", e.Field);
    }

    [Fact]
    public async Task ReadAsync_ExpectedSchema_ReordersColumns()
    {
        var path = DuckDbParquet("SELECT 1.5::DOUBLE AS a, 'x' AS b");
        var schema = new DatasetSchema([new ColumnSchema("b", ColumnType.String), new ColumnSchema("a", ColumnType.Numeric)]);
        await using var file = File.OpenRead(path);
        var frame = Assert.Single(await ReadAllAsync(file, new IngestOptions { ExpectedSchema = schema }));
        Assert.Equal(schema, frame.Schema);
        Assert.Equal("x", frame.Columns[0].GetValue(0));
    }

    [Fact]
    public async Task ReadAsync_CodecOutput_ReadsBackSameFrame()
    {
        using var stream = new MemoryStream();
        await ParquetChunkCodec.WriteAsync(ParquetChunkCodecTests.SampleFrame(), stream, CancellationToken.None);
        stream.Position = 0;
        var frame = Assert.Single(await ReadAllAsync(stream));
        Assert.Equal(ParquetChunkCodecTests.SampleFrame().Schema, frame.Schema);
        Assert.Equal(1_700_000_000_123_456L, ((TimestampColumn)frame.Columns[3]).Values[2]);
    }
}
