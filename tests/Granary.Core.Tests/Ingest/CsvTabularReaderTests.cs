using System.Globalization;
using System.Text;
using Granary.Core.Data;
using Granary.Core.Ingest;
using static Granary.Core.Tests.Ingest.ReaderTestHelpers;

namespace Granary.Core.Tests.Ingest;

public sealed class CsvTabularReaderTests
{
    private static readonly CsvTabularReader Reader = new();

    public static TheoryData<int> BlockSizes => new() { 1, 2, 3, 7, 64, CsvTabularReader.DefaultBlockSize };

    [Theory]
    [InlineData("", 1, 1)]
    [InlineData("  \r\n\t\n ", 1, 1)]
    public async Task ReadAsync_EmptyOrWhitespaceBody_ThrowsEmptyBody(string body, long line, long column)
    {
        var e = await ErrorAsync(Reader, body);
        Assert.Equal(DataFormatErrors.EmptyBody, e.Code);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
    }

    [Theory]
    [InlineData("a,b\n")]
    [InlineData("a,b")]
    [InlineData("a,b\r\n\r\n")]
    public async Task ReadAsync_HeaderOnly_ThrowsNoRows(string body)
    {
        var e = await ErrorAsync(Reader, body);
        Assert.Equal(DataFormatErrors.NoRows, e.Code);
        Assert.Equal(2, e.Line);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3\n", 3, 2)]
    [InlineData("a,b\n1,2\n3,4,5\n", 3, 4)]
    [InlineData("a,b\r\n1,2\r\n3\r\n", 3, 2)]
    [InlineData("a,b\n1,\"x\ny\"\n1\n", 4, 2)]
    public async Task ReadAsync_RaggedRow_ThrowsWithPosition(string body, long line, long column)
    {
        var e = await ErrorAsync(Reader, body);
        Assert.Equal(DataFormatErrors.RaggedRow, e.Code);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
    }

    [Theory]
    [InlineData("a,b\n1,\"abc\n", 2, 3)]
    [InlineData("a,b\n1,2\n\"x,y\n", 3, 1)]
    public async Task ReadAsync_UnterminatedQuote_ThrowsAtOpeningQuote(string body, long line, long column)
    {
        var e = await ErrorAsync(Reader, body);
        Assert.Equal(DataFormatErrors.UnterminatedQuote, e.Code);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
    }

    [Theory]
    [InlineData("a,b\n1,ab\"c\n", 2, 5)]
    [InlineData("a,b\n1,\"ab\"c\n", 2, 7)]
    [InlineData("a,b\né,x\"\n", 2, 4)]
    public async Task ReadAsync_InvalidQuote_ThrowsWithPosition(string body, long line, long column)
    {
        var e = await ErrorAsync(Reader, body);
        Assert.Equal(DataFormatErrors.InvalidQuote, e.Code);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8InValue_ThrowsWithCharacterColumn()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\n1,x\n1,éa").Concat(new byte[] { 0xFF, (byte)'\n' }).ToArray();
        var e = await ErrorAsync(Reader, bytes);
        Assert.Equal(DataFormatErrors.InvalidUtf8, e.Code);
        Assert.Equal(3, e.Line);
        Assert.Equal(5, e.Column);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8AfterInferenceWindow_ThrowsWithPosition()
    {
        var bytes = Encoding.UTF8.GetBytes("a\nx\ny\n").Concat(new byte[] { (byte)'z', 0xC3, (byte)'\n' }).ToArray();
        var e = await ErrorAsync(new CsvTabularReader(4), bytes, new IngestOptions { InferenceRows = 1 });
        Assert.Equal(DataFormatErrors.InvalidUtf8, e.Code);
        Assert.Equal(4, e.Line);
        Assert.Equal(2, e.Column);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8InHeader_ThrowsInvalidUtf8()
    {
        var bytes = new byte[] { (byte)'a', (byte)',', 0xFE, (byte)'\n', (byte)'1', (byte)',', (byte)'2', (byte)'\n' };
        var e = await ErrorAsync(Reader, bytes);
        Assert.Equal(DataFormatErrors.InvalidUtf8, e.Code);
        Assert.Equal(1, e.Line);
        Assert.Equal(3, e.Column);
    }

    [Fact]
    public async Task ReadAsync_DuplicateColumn_ThrowsAtSecondName()
    {
        var e = await ErrorAsync(Reader, "a,bb,a\n1,2,3\n");
        Assert.Equal(DataFormatErrors.DuplicateColumn, e.Code);
        Assert.Equal(1, e.Line);
        Assert.Equal(6, e.Column);
        Assert.Equal("a", e.Field);
    }

    [Fact]
    public async Task ReadAsync_EmptyColumnName_ThrowsWithPosition()
    {
        var e = await ErrorAsync(Reader, "a,,c\n1,2,3\n");
        Assert.Equal(DataFormatErrors.EmptyColumnName, e.Code);
        Assert.Equal(1, e.Line);
        Assert.Equal(3, e.Column);
    }

    [Fact]
    public async Task ReadAsync_TooManyColumns_ThrowsTooManyColumns()
    {
        var e = await ErrorAsync(Reader, "a,b,c,d\n1,2,3,4\n", new IngestOptions { MaxColumns = 3 });
        Assert.Equal(DataFormatErrors.TooManyColumns, e.Code);
        Assert.Equal(1, e.Line);
        Assert.Equal(7, e.Column);
    }

    [Fact]
    public async Task ReadAsync_ValueNotOfInferredType_ThrowsTypeMismatchWithHint()
    {
        var e = await ErrorAsync(Reader, "x,y\n1,a\n2,b\nthree,c\n", new IngestOptions { InferenceRows = 2 });
        Assert.Equal(DataFormatErrors.TypeMismatch, e.Code);
        Assert.Equal(4, e.Line);
        Assert.Equal(1, e.Column);
        Assert.Equal("x", e.Field);
        Assert.Contains("'three'", e.Message, StringComparison.Ordinal);
        Assert.Contains("numeric", e.Message, StringComparison.Ordinal);
        Assert.Contains("first 2 rows", e.Message, StringComparison.Ordinal);
        Assert.Contains("?types=x:string", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_LongMismatchedValue_TruncatesItInMessage()
    {
        var e = await ErrorAsync(Reader, "x\n1\n" + new string('z', 500) + "\n", new IngestOptions { InferenceRows = 1 });
        Assert.Equal(DataFormatErrors.TypeMismatch, e.Code);
        Assert.True(e.Message.Length < 400);
    }

    [Fact]
    public async Task ReadAsync_UnknownOverride_ThrowsUnknownColumn()
    {
        var options = new IngestOptions { TypeOverrides = new Dictionary<string, ColumnType> { ["nope"] = ColumnType.String } };
        var e = await ErrorAsync(Reader, "a\n1\n", options);
        Assert.Equal(DataFormatErrors.UnknownColumn, e.Code);
        Assert.Equal("nope", e.Field);
    }

    [Fact]
    public async Task ReadAsync_EachKindOfColumn_InfersType()
    {
        var frames = await ReadAllAsync(Reader,
            "n,b,t,s,e,na\n1.5,true,2024-01-02,x,,NA\n,FALSE,2024-01-02T03:04:05.123456Z,,,\n-2e3,,2024-01-02 03:04+02:00,y,,3\n");
        var schema = frames[0].Schema.Columns.Select(c => c.Type).ToArray();
        Assert.Equal(
            new[] { ColumnType.Numeric, ColumnType.Boolean, ColumnType.Timestamp, ColumnType.String, ColumnType.String, ColumnType.Numeric },
            schema);
        Assert.Equal(new object?[] { 1.5, null, -2000.0 }, Column(frames, "n"));
        Assert.Equal(new object?[] { true, false, null }, Column(frames, "b"));
        Assert.Equal(new object?[] { "x", null, "y" }, Column(frames, "s"));
        Assert.Equal(new object?[] { null, null, 3.0 }, Column(frames, "na"));
        var t = (TimestampColumn)frames[0].Columns[2];
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000, t.Values[0]);
        Assert.Equal((new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000) + 123456, t.Values[1]);
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 1, 4, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000, t.Values[2]);
    }

    [Fact]
    public async Task ReadAsync_TypeOverride_ReplacesInferredType()
    {
        var options = new IngestOptions { TypeOverrides = new Dictionary<string, ColumnType> { ["zip"] = ColumnType.String } };
        var frames = await ReadAllAsync(Reader, "zip,v\n01234,1\n,2\n", options);
        Assert.Equal(ColumnType.String, frames[0].Schema.Columns[0].Type);
        Assert.Equal(new object?[] { "01234", null }, Column(frames, "zip"));
    }

    [Fact]
    public async Task ReadAsync_ExpectedSchema_ReordersColumnsAndSkipsInference()
    {
        var schema = new DatasetSchema([new ColumnSchema("b", ColumnType.String), new ColumnSchema("a", ColumnType.Numeric)]);
        var frames = await ReadAllAsync(Reader, "a,b\n1,2\n3,4\n", new IngestOptions { ExpectedSchema = schema });
        Assert.Equal(schema, frames[0].Schema);
        Assert.Equal(new object?[] { "2", "4" }, Column(frames, "b"));
        Assert.Equal(new object?[] { 1.0, 3.0 }, Column(frames, "a"));
    }

    [Fact]
    public async Task ReadAsync_ExpectedSchemaMismatch_NamesMissingAndExtraColumns()
    {
        var schema = new DatasetSchema([new ColumnSchema("a", ColumnType.Numeric), new ColumnSchema("c", ColumnType.Numeric)]);
        var e = await ErrorAsync(Reader, "a,b\n1,2\n", new IngestOptions { ExpectedSchema = schema });
        Assert.Equal(DataFormatErrors.SchemaMismatch, e.Code);
        Assert.Contains("'c'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'b'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ExpectedSchemaValueOfWrongType_ThrowsTypeMismatch()
    {
        var schema = new DatasetSchema([new ColumnSchema("a", ColumnType.Boolean)]);
        var e = await ErrorAsync(Reader, "a\ntrue\nmaybe\n", new IngestOptions { ExpectedSchema = schema });
        Assert.Equal(DataFormatErrors.TypeMismatch, e.Code);
        Assert.Equal(3, e.Line);
    }

    [Theory]
    [InlineData("a;b\n1;2\n")]
    [InlineData("a\tb\n1\t2\n")]
    [InlineData("a,b\n1,2\n")]
    public async Task ReadAsync_DelimiterInHeader_IsDetected(string body)
    {
        var frames = await ReadAllAsync(Reader, body);
        Assert.Equal(new[] { "a", "b" }, frames[0].Schema.Columns.Select(c => c.Name));
        Assert.Equal(new object?[] { 2.0 }, Column(frames, "b"));
    }

    [Fact]
    public async Task ReadAsync_ExplicitDelimiter_OverridesDetection()
    {
        var frames = await ReadAllAsync(Reader, "a,b;c\n1,5;2\n", new IngestOptions { Delimiter = ';' });
        Assert.Equal(new[] { "a,b", "c" }, frames[0].Schema.Columns.Select(c => c.Name));
    }

    [Theory]
    [MemberData(nameof(BlockSizes))]
    public async Task ReadAsync_QuotingEdgeCases_AreDecoded(int blockSize)
    {
        var body = "\uFEFF\"na,me\",\"q\"\"x\"\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n\"line1\r\nline2\",\"\"\r\nplain,\"é\"\r\n";
        var frames = await ReadAllAsync(new CsvTabularReader(blockSize), body);
        Assert.Equal(new[] { "na,me", "q\"x" }, frames[0].Schema.Columns.Select(c => c.Name));
        Assert.Equal(new object?[] { "a,b", "line1\r\nline2", "plain" }, Column(frames, "na,me"));
        Assert.Equal(new object?[] { "say \"hi\"", null, "é" }, Column(frames, "q\"x"));
    }

    [Fact]
    public async Task ReadAsync_ByteOrderMark_IsStripped()
    {
        var frames = await ReadAllAsync(Reader, "\uFEFFid\n1\n");
        Assert.Equal("id", frames[0].Schema.Columns[0].Name);
    }

    [Fact]
    public async Task ReadAsync_NoTrailingNewlineAndBlankLines_ReadsAllRows()
    {
        var frames = await ReadAllAsync(Reader, "a,b\n1,2\n\n3,4");
        Assert.Equal(new object?[] { 1.0, 3.0 }, Column(frames, "a"));
    }

    [Fact]
    public async Task ReadAsync_ManyRows_ProducesChunksOfExactlyChunkRows()
    {
        var text = new StringBuilder("v\n");
        for (var i = 0; i < 1000; i++)
        {
            text.Append(i).Append('\n');
        }

        var frames = await ReadAllAsync(new CsvTabularReader(100), text.ToString(), new IngestOptions { ChunkRows = 300, InferenceRows = 10 });
        Assert.Equal(new[] { 300, 300, 300, 100 }, frames.Select(f => f.RowCount));
        Assert.All(frames, f => Assert.Equal(f.RowCount, ((NumericColumn)f.Columns[0]).Values.Length));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (object?)(double)i), Column(frames, "v"));
    }

    [Fact]
    public async Task ReadAsync_LargeGeneratedFile_RoundTripsExactly()
    {
        const int rows = 300_000;
        var random = new Random(42);
        var text = new StringBuilder("x,y,label,name\n");
        var expectedX = new double[rows];
        var expectedY = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var x = ((random.NextDouble() * 2) - 1).ToString("F6", CultureInfo.InvariantCulture);
            var y = (random.NextDouble() * Math.Pow(10, random.Next(-20, 20))).ToString("R", CultureInfo.InvariantCulture);
            expectedX[i] = double.Parse(x, CultureInfo.InvariantCulture);
            expectedY[i] = double.Parse(y, CultureInfo.InvariantCulture);
            var name = i % 7 == 0 ? "\"q,\"\"\nz\"" : "c" + (i % 5);
            text.Append(x).Append(',').Append(y).Append(',').Append(i % 2 == 0 ? "true" : "false").Append(',').Append(name).Append('\n');
        }

        var frames = await ReadAllAsync(new CsvTabularReader(64 * 1024), text.ToString(), new IngestOptions { ChunkRows = 65_536 });
        Assert.Equal(5, frames.Count);
        Assert.Equal(rows, frames.Sum(f => f.RowCount));
        var x2 = frames.SelectMany(f => ((NumericColumn)f.Columns[0]).Span.ToArray()).ToArray();
        var y2 = frames.SelectMany(f => ((NumericColumn)f.Columns[1]).Span.ToArray()).ToArray();
        Assert.Equal(expectedX, x2);
        Assert.Equal(expectedY, y2);
        var names = Column(frames, "name");
        Assert.Equal("q,\"\nz", names[0]);
        Assert.Equal("c1", names[1]);
        Assert.Equal(ColumnType.Boolean, frames[0].Schema.Columns[2].Type);
    }

    [Fact]
    public async Task ReadAsync_TypeMismatchInLaterBlock_ReportsExactLine()
    {
        var text = new StringBuilder("a,b\n");
        for (var i = 0; i < 5000; i++)
        {
            text.Append(i).Append(",\"x\ny\"\n");
        }

        text.Append("oops,z\n");
        var e = await ErrorAsync(new CsvTabularReader(256), text.ToString(), new IngestOptions { InferenceRows = 100 });
        Assert.Equal(DataFormatErrors.TypeMismatch, e.Code);
        Assert.Equal(2 + (5000 * 2), e.Line);
        Assert.Equal(1, e.Column);
    }

    [Fact]
    public async Task ReadAsync_RepeatedCategories_AreInterned()
    {
        var frames = await ReadAllAsync(Reader, "c\nred\nred\nblue\n");
        var values = ((StringColumn)frames[0].Columns[0]).Values;
        Assert.Same(values[0], values[1]);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3,x\"y\n", DataFormatErrors.InvalidQuote, 3, 4)]
    [InlineData("a,b\n1,2\n\"3,4\n", DataFormatErrors.UnterminatedQuote, 3, 1)]
    public async Task ReadAsync_UnbalancedQuoteInLongInput_FailsAtQuoteWithBoundedBuffer(string start, string code, long line, long column)
    {
        var text = new StringBuilder(start);
        for (var i = 0; i < 2000; i++)
        {
            text.Append("5,6\n");
        }

        var e = await ErrorAsync(new CsvTabularReader(16, maxRowBytes: 256), text.ToString());
        Assert.Equal(code, e.Code);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
    }
}
