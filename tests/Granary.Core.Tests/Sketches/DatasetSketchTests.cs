using Granary.Core.Data;
using Granary.Core.Sketches;

namespace Granary.Core.Tests.Sketches;

public sealed class DatasetSketchTests
{
    private static readonly DatasetSchema Schema = new(
    [
        new ColumnSchema("x", ColumnType.Numeric),
        new ColumnSchema("flag", ColumnType.Boolean),
        new ColumnSchema("name", ColumnType.String),
        new ColumnSchema("at", ColumnType.Timestamp),
    ]);

    [Fact]
    public void Merge_ChunksThroughBytes_SameProfileAsOneFrame()
    {
        var whole = new DatasetSketch(Schema);
        whole.Add(MakeFrame(0, 30_000));
        var merged = new DatasetSketch(Schema);
        foreach (var (start, length) in new[] { (0, 10_000), (10_000, 1), (10_001, 19_999) })
        {
            var part = new DatasetSketch(Schema);
            part.Add(MakeFrame(start, length));
            merged.Merge(DatasetSketch.Deserialize(part.Serialize()));
        }

        var expected = whole.ToProfile();
        var actual = DatasetSketch.Deserialize(merged.Serialize()).ToProfile();
        Assert.Equal(30_000, actual.Rows);
        Assert.Equal(4, actual.Columns.Count);
        // Everything but quantiles/histogram is exact here (fewer than 512 distinct numbers and 10,000 strings),
        // so the profiles agree apart from floating-point rounding in mean/std.
        for (var i = 0; i < 4; i++)
        {
            static ColumnProfile ExactPart(ColumnProfile p) =>
                p with { Mean = null, Std = null, Quantiles = null, QuantileRankError = null, Histogram = null };
            Assert.Equal(SketchTestData.ToJson(ExactPart(expected.Columns[i])), SketchTestData.ToJson(ExactPart(actual.Columns[i])));
            if (actual.Columns[i].Quantiles is { } quantiles)
            {
                Assert.InRange(actual.Columns[i].QuantileRankError!.Value, 0, 0.01);
                Assert.Equal(expected.Columns[i].Quantiles!.Count, quantiles.Count);
            }
        }

        Assert.Equal(expected.Columns[0].Mean!.Value, actual.Columns[0].Mean!.Value, 1e-9);
    }

    [Fact]
    public void Serialize_SameFrames_SameBytes()
    {
        static byte[] Build()
        {
            var sketch = new DatasetSketch(Schema);
            sketch.Add(MakeFrame(0, 20_000));
            sketch.Add(MakeFrame(20_000, 5_000));
            return sketch.Serialize();
        }

        var bytes = Build();
        Assert.Equal(bytes, Build());
        Assert.Equal(DatasetSketch.FormatVersion, bytes[0]);
        Assert.Equal(bytes, DatasetSketch.Deserialize(bytes).Serialize());
    }

    [Fact]
    public void Add_FrameOfOtherSchema_Throws()
    {
        var sketch = new DatasetSketch(Schema);
        var other = new DatasetSchema([new ColumnSchema("x", ColumnType.Numeric)]);
        Assert.Throws<ArgumentException>(() => sketch.Add(new Frame(other, [new NumericColumn("x", [1.0])], 1)));
    }

    private static Frame MakeFrame(int start, int length)
    {
        var x = new double[length];
        var flag = new byte[length];
        var name = new string?[length];
        var at = new long[length];
        for (var i = 0; i < length; i++)
        {
            var row = start + i;
            x[i] = row % 97 == 0 ? double.NaN : row % 300;
            flag[i] = (byte)(row % 5 == 0 ? 255 : row % 3 == 0 ? 1 : 0);
            name[i] = row % 11 == 0 ? null : "n" + (row % 40);
            at[i] = row % 13 == 0 ? TimestampColumn.Missing : 1_600_000_000_000_000L + (row % 200 * 1000L);
        }

        return new Frame(Schema, [new NumericColumn("x", x), new BooleanColumn("flag", flag), new StringColumn("name", name), new TimestampColumn("at", at)], length);
    }
}
