using DuckDB.NET.Data;
using Granary.Core.Data;
using Granary.Storage.Parquet;

namespace Granary.Storage.Tests.Parquet;

public sealed class ParquetChunkCodecTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("granary-parquet-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static Frame SampleFrame()
    {
        var schema = new DatasetSchema(
        [
            new ColumnSchema("x", ColumnType.Numeric),
            new ColumnSchema("flag", ColumnType.Boolean),
            new ColumnSchema("name", ColumnType.String),
            new ColumnSchema("at", ColumnType.Timestamp),
        ]);
        var columns = new Column[]
        {
            new NumericColumn("x", [1.5, double.NaN, -0.000001, 1e300]),
            new BooleanColumn("flag", [1, 0, BooleanColumn.Missing, 1]),
            new StringColumn("name", ["a", null, "é\"q", ""]),
            new TimestampColumn("at", [0, TimestampColumn.Missing, 1_700_000_000_123_456, -86_400_000_001]),
        };
        return new Frame(schema, columns, 4);
    }

    [Fact]
    public async Task WriteAsync_AllTypesWithMissing_RoundTripsExactly()
    {
        var frame = SampleFrame();
        using var stream = new MemoryStream();
        var written = await ParquetChunkCodec.WriteAsync(frame, stream, CancellationToken.None);
        Assert.Equal(stream.Length, written);

        stream.Position = 0;
        var back = await ParquetChunkCodec.ReadAsync(stream, CancellationToken.None);
        Assert.Equal(frame.Schema, back.Schema);
        Assert.Equal(4, back.RowCount);
        Assert.Equal(((NumericColumn)frame.Columns[0]).Values, ((NumericColumn)back.Columns[0]).Values);
        Assert.Equal(((BooleanColumn)frame.Columns[1]).Values, ((BooleanColumn)back.Columns[1]).Values);
        Assert.Equal(((StringColumn)frame.Columns[2]).Values, ((StringColumn)back.Columns[2]).Values);
        Assert.Equal(((TimestampColumn)frame.Columns[3]).Values, ((TimestampColumn)back.Columns[3]).Values);
    }

    [Fact]
    public async Task WriteAsync_NonSeekableOutput_ReturnsBytesWritten()
    {
        using var inner = new MemoryStream();
        var written = await ParquetChunkCodec.WriteAsync(SampleFrame(), new ForwardOnlyStream(inner), CancellationToken.None);
        Assert.Equal(inner.Length, written);
    }

    [Fact]
    public async Task WriteAsync_NumericColumnWithoutGaps_RoundTripsLargeChunk()
    {
        const int rows = 262_144;
        var random = new Random(7);
        var values = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            values[i] = random.NextDouble();
        }

        var frame = new Frame(new DatasetSchema([new ColumnSchema("v", ColumnType.Numeric)]), [new NumericColumn("v", values)], rows);
        using var stream = new MemoryStream();
        await ParquetChunkCodec.WriteAsync(frame, stream, CancellationToken.None);
        stream.Position = 0;
        var back = await ParquetChunkCodec.ReadAsync(stream, CancellationToken.None);
        Assert.Equal(values, ((NumericColumn)back.Columns[0]).Values);
    }

    [Fact]
    public async Task WriteAsync_ChunkReadByDuckDb_HasSameValues()
    {
        var path = Path.Combine(_directory, "chunk.parquet");
        await using (var file = File.Create(path))
        {
            await ParquetChunkCodec.WriteAsync(SampleFrame(), file, CancellationToken.None);
        }

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using (var set = connection.CreateCommand())
        {
            set.CommandText = "SET TimeZone = 'UTC'";
            set.ExecuteNonQuery();
        }

        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT x, flag, name, epoch_us(\"at\") AS at_us, typeof(\"at\") AS at_type FROM read_parquet('{path}')";
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[5];
            for (var i = 0; i < 5; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        Assert.Equal(4, rows.Count);
        Assert.Equal(new object?[] { 1.5, null, -0.000001, 1e300 }, rows.Select(r => r[0]));
        Assert.Equal(new object?[] { true, false, null, true }, rows.Select(r => r[1]));
        Assert.Equal(new object?[] { "a", null, "é\"q", string.Empty }, rows.Select(r => r[2]));
        Assert.Equal(new object?[] { 0L, null, 1_700_000_000_123_456L, -86_400_000_001L }, rows.Select(r => r[3]));
        Assert.Equal("TIMESTAMP WITH TIME ZONE", rows[0][4]);
    }
}
